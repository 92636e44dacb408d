#include "sysex_codec.h"

#include "bytes.h"
#include "crc16.h"
#include "pack7.h"

uint8_t codec_raw_length(uint8_t command) {
  switch (command) {
    case DB_SET_VELOCITY: return 8;
    case DB_VELOCITY_ACK: return 5;
    case DB_TELEMETRY: return 27;
    case DB_SET_LEDS: return 6;
    case DB_SET_CONFIG: return 12;
    case DB_CONFIG_REPORT: return 12;
    case DB_CLEAR_STOP: return 3;
    case DB_QUERY_CONFIG: return 2;
    case DB_COMMAND_ACK: return 4;
    default: return 0;
  }
}

/* The CRC covers the command byte too, so a frame cannot be replayed as another command. */
static uint16_t frame_crc(uint8_t command, const uint8_t *fields, uint8_t field_len) {
  uint16_t crc = crc16_update(CRC16_INIT, command);
  for (uint8_t i = 0; i < field_len; i++) crc = crc16_update(crc, fields[i]);
  return crc;
}

codec_status_t codec_decode(uint8_t command, const uint8_t *packed, uint8_t packed_len, uint8_t *raw) {
  uint8_t n = codec_raw_length(command);
  if (n == 0) return CODEC_UNKNOWN_COMMAND;
  switch (unpack7(packed, packed_len, raw, n)) {
    case PACK7_OK: break;
    case PACK7_BAD_LENGTH: return CODEC_BAD_LENGTH;
    case PACK7_NOT_7BIT: return CODEC_BAD_LENGTH; /* unreachable from the parser: status bytes end a Sysex */
    case PACK7_BAD_PADDING: return CODEC_BAD_PADDING;
  }
  uint8_t field_len = (uint8_t)(n - 2);
  return frame_crc(command, raw, field_len) == get_u16le(raw + field_len) ? CODEC_OK : CODEC_BAD_CRC;
}

uint8_t codec_encode_frame(uint8_t command, const uint8_t *fields, uint8_t field_len, uint8_t *frame) {
  uint8_t n = codec_raw_length(command);
  if (n == 0 || field_len != n - 2) return 0;
  uint8_t raw[DB_RAW_MAX];
  for (uint8_t i = 0; i < field_len; i++) raw[i] = fields[i];
  put_u16le(raw + field_len, frame_crc(command, fields, field_len));
  frame[0] = SYSEX_START;
  frame[1] = command;
  uint8_t len = (uint8_t)(2 + pack7(raw, n, frame + 2));
  frame[len++] = SYSEX_END;
  return len;
}

uint8_t msg_encode_set_velocity(const msg_set_velocity_t *m, uint8_t *frame) {
  uint8_t f[6];
  put_u16le(f, m->seq);
  put_u16le(f + 2, (uint16_t)m->linear_mm_s);
  put_u16le(f + 4, (uint16_t)m->angular_mrad_s);
  return codec_encode_frame(DB_SET_VELOCITY, f, sizeof f, frame);
}

uint8_t msg_encode_velocity_ack(const msg_velocity_ack_t *m, uint8_t *frame) {
  uint8_t f[3];
  put_u16le(f, m->seq);
  f[2] = m->status;
  return codec_encode_frame(DB_VELOCITY_ACK, f, sizeof f, frame);
}

uint8_t msg_encode_telemetry(const msg_telemetry_t *m, uint8_t *frame) {
  uint8_t f[25];
  put_u16le(f, m->last_seq);
  put_u32le(f + 2, (uint32_t)m->left_ticks);
  put_u32le(f + 6, (uint32_t)m->right_ticks);
  put_u16le(f + 10, (uint16_t)m->left_speed_mm_s);
  put_u16le(f + 12, (uint16_t)m->right_speed_mm_s);
  put_u16le(f + 14, m->battery_mv);
  f[16] = m->inputs;
  f[17] = m->state;
  f[18] = m->fault;
  put_u16le(f + 19, m->rejected_frames);
  put_u32le(f + 21, m->uptime_ms);
  return codec_encode_frame(DB_TELEMETRY, f, sizeof f, frame);
}

uint8_t msg_encode_set_leds(const msg_set_leds_t *m, uint8_t *frame) {
  uint8_t f[4] = {m->pattern, m->red, m->green, m->blue};
  return codec_encode_frame(DB_SET_LEDS, f, sizeof f, frame);
}

uint8_t msg_encode_config(uint8_t command, const config_t *c, uint8_t *frame) {
  uint8_t f[10];
  put_u16le(f, c->wheel_base_mm);
  put_u16le(f + 2, c->ticks_per_m);
  put_u16le(f + 4, c->max_speed_mm_s);
  put_u16le(f + 6, c->max_accel_mm_s2);
  put_u16le(f + 8, c->max_angular_mrad_s);
  return codec_encode_frame(command, f, sizeof f, frame);
}

uint8_t msg_encode_clear_stop(uint8_t magic, uint8_t *frame) {
  return codec_encode_frame(DB_CLEAR_STOP, &magic, 1, frame);
}

uint8_t msg_encode_query_config(uint8_t *frame) { return codec_encode_frame(DB_QUERY_CONFIG, 0, 0, frame); }

uint8_t msg_encode_command_ack(const msg_command_ack_t *m, uint8_t *frame) {
  uint8_t f[2] = {m->command, m->status};
  return codec_encode_frame(DB_COMMAND_ACK, f, sizeof f, frame);
}

void msg_read_set_velocity(const uint8_t *raw, msg_set_velocity_t *m) {
  m->seq = get_u16le(raw);
  m->linear_mm_s = get_i16le(raw + 2);
  m->angular_mrad_s = get_i16le(raw + 4);
}

void msg_read_velocity_ack(const uint8_t *raw, msg_velocity_ack_t *m) {
  m->seq = get_u16le(raw);
  m->status = raw[2];
}

void msg_read_telemetry(const uint8_t *raw, msg_telemetry_t *m) {
  m->last_seq = get_u16le(raw);
  m->left_ticks = get_i32le(raw + 2);
  m->right_ticks = get_i32le(raw + 6);
  m->left_speed_mm_s = get_i16le(raw + 10);
  m->right_speed_mm_s = get_i16le(raw + 12);
  m->battery_mv = get_u16le(raw + 14);
  m->inputs = raw[16];
  m->state = raw[17];
  m->fault = raw[18];
  m->rejected_frames = get_u16le(raw + 19);
  m->uptime_ms = get_u32le(raw + 21);
}

void msg_read_set_leds(const uint8_t *raw, msg_set_leds_t *m) {
  m->pattern = raw[0];
  m->red = raw[1];
  m->green = raw[2];
  m->blue = raw[3];
}

void msg_read_config(const uint8_t *raw, config_t *c) {
  c->wheel_base_mm = get_u16le(raw);
  c->ticks_per_m = get_u16le(raw + 2);
  c->max_speed_mm_s = get_u16le(raw + 4);
  c->max_accel_mm_s2 = get_u16le(raw + 6);
  c->max_angular_mrad_s = get_u16le(raw + 8);
}

void msg_read_command_ack(const uint8_t *raw, msg_command_ack_t *m) {
  m->command = raw[0];
  m->status = raw[1];
}
