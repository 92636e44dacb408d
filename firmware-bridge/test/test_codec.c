/* The drive-base Sysex codec against the shared vectors, and the ways a frame can be wrong. */
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "crc16.h"
#include "frame_parser.h"
#include "inbound.h"
#include "pack7.h"
#include "suites.h"
#include "sysex_codec.h"
#include "test.h"
#include "vectors.h"

static const vector_t *vec; /* the vector the running per-vector test looks at */

static bool host_to_board(uint8_t command) {
  return command == DB_SET_VELOCITY || command == DB_SET_LEDS || command == DB_SET_CONFIG ||
         command == DB_CLEAR_STOP || command == DB_QUERY_CONFIG;
}

/* Packed payload of a frame: between the command byte and F7. */
static const uint8_t *payload(const vector_t *v) { return v->frame + 2; }
static uint8_t payload_len(const vector_t *v) { return (uint8_t)(v->frame_len - 3); }

static void crc_check_value_from_json(void) {
  CHECK(crc_check_value >= 0);
  CHECK_EQ(crc16_ccitt_false((const uint8_t *)crc_check_input, strlen(crc_check_input)), crc_check_value);
  CHECK_EQ(crc16_ccitt_false((const uint8_t *)"123456789", 9), 0x29B1);
}

static void crc_is_incremental(void) {
  const uint8_t data[] = {0x01, 0x01, 0x00, 0xf4, 0x01, 0x00, 0x00};
  uint16_t crc = CRC16_INIT;
  for (size_t i = 0; i < sizeof data; i++) crc = crc16_update(crc, data[i]);
  CHECK_EQ(crc, 0x6e83); /* PROTOCOL.md §6's worked example */
  CHECK_EQ(crc16_ccitt_false(data, sizeof data), 0x6e83);
}

static void pack7_lengths_are_ceil_8n_over_7(void) {
  for (size_t n = 0; n <= 40; n++) CHECK_EQ(pack7_len(n), (8 * n + 6) / 7);
  CHECK_EQ(pack7_len(8), 10);
  CHECK_EQ(pack7_len(27), 31);
  CHECK_EQ(pack7_len(2), 3);
}

static void pack7_round_trips_random_payloads(void) {
  test_seed(7);
  for (int round = 0; round < 2000; round++) {
    uint8_t raw[40], packed[48], back[40];
    size_t n = test_random() % 41;
    for (size_t i = 0; i < n; i++) raw[i] = (uint8_t)test_random();
    size_t m = pack7(raw, n, packed);
    REQUIRE(m == pack7_len(n));
    for (size_t i = 0; i < m; i++) REQUIRE(packed[i] < 0x80);
    REQUIRE(unpack7(packed, m, back, n) == PACK7_OK);
    REQUIRE(n == 0 || memcmp(raw, back, n) == 0);
  }
}

static void vector_crc_covers_command_and_fields(void) {
  uint8_t buf[64];
  buf[0] = vec->command;
  memcpy(buf + 1, vec->raw, vec->raw_len - 2);
  CHECK_EQ(crc16_ccitt_false(buf, vec->raw_len - 1), get_u16le(vec->raw + vec->raw_len - 2));
  CHECK_EQ(codec_raw_length(vec->command), vec->raw_len);
}

static void vector_encodes_to_frame(void) {
  uint8_t frame[DB_FRAME_MAX];
  uint8_t n = codec_encode_frame(vec->command, vec->raw, (uint8_t)(vec->raw_len - 2), frame);
  CHECK_EQ(n, vec->frame_len);
  CHECK(n == vec->frame_len && memcmp(frame, vec->frame, n) == 0);
}

static void vector_frame_decodes_to_raw(void) {
  uint8_t raw[DB_RAW_MAX];
  CHECK_EQ(codec_decode(vec->command, payload(vec), payload_len(vec), raw), CODEC_OK);
  CHECK(memcmp(raw, vec->raw, vec->raw_len) == 0);
}

/* Typed fields: encoding the JSON's field values gives the frame; reading the raw gives them back. */
static void vector_fields_round_trip(void) {
  uint8_t frame[DB_FRAME_MAX];
  uint8_t n = 0;
  const vector_t *v = vec;
  switch (v->command) {
    case DB_SET_VELOCITY: {
      msg_set_velocity_t m = {(uint16_t)vec_field(v, "seq"), (int16_t)vec_field(v, "linear_mm_s"),
                              (int16_t)vec_field(v, "angular_mrad_s")};
      n = msg_encode_set_velocity(&m, frame);
      msg_set_velocity_t r;
      msg_read_set_velocity(v->raw, &r);
      CHECK_EQ(r.seq, m.seq);
      CHECK_EQ(r.linear_mm_s, m.linear_mm_s);
      CHECK_EQ(r.angular_mrad_s, m.angular_mrad_s);
      break;
    }
    case DB_VELOCITY_ACK: {
      msg_velocity_ack_t m = {(uint16_t)vec_field(v, "seq"), (uint8_t)vec_field(v, "status")};
      n = msg_encode_velocity_ack(&m, frame);
      msg_velocity_ack_t r;
      msg_read_velocity_ack(v->raw, &r);
      CHECK_EQ(r.seq, m.seq);
      CHECK_EQ(r.status, m.status);
      break;
    }
    case DB_TELEMETRY: {
      msg_telemetry_t m = {
          .last_seq = (uint16_t)vec_field(v, "last_seq"),
          .left_ticks = (int32_t)vec_field(v, "left_ticks"),
          .right_ticks = (int32_t)vec_field(v, "right_ticks"),
          .left_speed_mm_s = (int16_t)vec_field(v, "left_speed_mm_s"),
          .right_speed_mm_s = (int16_t)vec_field(v, "right_speed_mm_s"),
          .battery_mv = (uint16_t)vec_field(v, "battery_mv"),
          .inputs = (uint8_t)vec_field(v, "inputs"),
          .state = (uint8_t)vec_field(v, "state"),
          .fault = (uint8_t)vec_field(v, "fault"),
          .rejected_frames = (uint16_t)vec_field(v, "rejected_frames"),
          .uptime_ms = (uint32_t)vec_field(v, "uptime_ms"),
      };
      n = msg_encode_telemetry(&m, frame);
      msg_telemetry_t r;
      msg_read_telemetry(v->raw, &r);
      CHECK_EQ(r.last_seq, m.last_seq);
      CHECK_EQ(r.left_ticks, m.left_ticks);
      CHECK_EQ(r.right_ticks, m.right_ticks);
      CHECK_EQ(r.left_speed_mm_s, m.left_speed_mm_s);
      CHECK_EQ(r.right_speed_mm_s, m.right_speed_mm_s);
      CHECK_EQ(r.battery_mv, m.battery_mv);
      CHECK_EQ(r.inputs, m.inputs);
      CHECK_EQ(r.state, m.state);
      CHECK_EQ(r.fault, m.fault);
      CHECK_EQ(r.rejected_frames, m.rejected_frames);
      CHECK_EQ(r.uptime_ms, m.uptime_ms);
      break;
    }
    case DB_SET_LEDS: {
      msg_set_leds_t m = {(uint8_t)vec_field(v, "pattern"), (uint8_t)vec_field(v, "red"),
                          (uint8_t)vec_field(v, "green"), (uint8_t)vec_field(v, "blue")};
      n = msg_encode_set_leds(&m, frame);
      msg_set_leds_t r;
      msg_read_set_leds(v->raw, &r);
      CHECK(r.pattern == m.pattern && r.red == m.red && r.green == m.green && r.blue == m.blue);
      break;
    }
    case DB_SET_CONFIG:
    case DB_CONFIG_REPORT: {
      config_t c = {(uint16_t)vec_field(v, "wheel_base_mm"), (uint16_t)vec_field(v, "ticks_per_m"),
                    (uint16_t)vec_field(v, "max_speed_mm_s"), (uint16_t)vec_field(v, "max_accel_mm_s2"),
                    (uint16_t)vec_field(v, "max_angular_mrad_s")};
      n = msg_encode_config(v->command, &c, frame);
      config_t r;
      msg_read_config(v->raw, &r);
      CHECK(memcmp(&r, &c, sizeof r) == 0);
      break;
    }
    case DB_CLEAR_STOP:
      n = msg_encode_clear_stop((uint8_t)vec_field(v, "magic"), frame);
      CHECK_EQ(v->raw[0], vec_field(v, "magic"));
      break;
    case DB_QUERY_CONFIG: n = msg_encode_query_config(frame); break;
    case DB_COMMAND_ACK: {
      msg_command_ack_t m = {(uint8_t)vec_field(v, "command"), (uint8_t)vec_field(v, "status")};
      n = msg_encode_command_ack(&m, frame);
      msg_command_ack_t r;
      msg_read_command_ack(v->raw, &r);
      CHECK_EQ(r.command, m.command);
      CHECK_EQ(r.status, m.status);
      break;
    }
    default: CHECK(!"vector with an unknown command"); return;
  }
  CHECK_EQ(n, v->frame_len);
  CHECK(n == v->frame_len && memcmp(frame, v->frame, n) == 0);
}

/* Feeds bytes through the parser and the classifier exactly as the firmware's link does. */
typedef struct {
  int sysex;
  int malformed;
  int rejected; /* malformed + classified as rejected */
  int accepted; /* drive-base commands */
  int firmata;
  inbound_t last;
} outcome_t;

static void feed(frame_parser_t *p, const uint8_t *bytes, size_t n, outcome_t *o) {
  for (size_t i = 0; i < n; i++) {
    fp_message_t m;
    uint8_t ev = fp_feed(p, bytes[i], &m);
    if (ev & FP_EV_MALFORMED) {
      o->malformed++;
      o->rejected++;
    }
    if (ev & FP_EV_SYSEX) {
      o->sysex++;
      inbound_t in;
      inbound_kind_t k = inbound_classify(m.sysex, m.sysex_len, m.sysex_overflow, &in);
      if (k == IN_REJECTED) {
        o->rejected++;
      } else if (k == IN_FIRMATA) {
        o->firmata++;
      } else {
        o->accepted++;
        o->last = in;
      }
    }
  }
}

static void vector_parses_and_classifies(void) {
  frame_parser_t p;
  fp_init(&p);
  outcome_t o = {0};
  feed(&p, vec->frame, vec->frame_len, &o);
  CHECK_EQ(o.sysex, 1);
  CHECK_EQ(o.malformed, 0);
  if (host_to_board(vec->command)) {
    CHECK_EQ(o.accepted, 1);
    CHECK_EQ(o.rejected, 0);
    if (vec->command == DB_SET_VELOCITY) {
      CHECK_EQ(o.last.kind, IN_SET_VELOCITY);
      CHECK_EQ(o.last.u.velocity.seq, vec_field(vec, "seq"));
      CHECK_EQ(o.last.u.velocity.linear_mm_s, vec_field(vec, "linear_mm_s"));
      CHECK_EQ(o.last.u.velocity.angular_mrad_s, vec_field(vec, "angular_mrad_s"));
    }
  } else {
    /* ACKs, TELEMETRY, CONFIG_REPORT are the board's to send: received, they are unknown. */
    CHECK_EQ(o.accepted, 0);
    CHECK_EQ(o.rejected, 1);
    CHECK_EQ(o.last.kind, IN_REJECTED);
  }
}

/* Every single-bit flip of the frame: never accepted. A flip that makes a status byte ends the
 * frame as malformed; any other is rejected by length, padding, CRC or command. A sentinel frame
 * after it must still be accepted (the parser resynchronises). */
static void vector_single_bit_flips_never_accepted(void) {
  uint8_t sentinel[DB_FRAME_MAX];
  uint8_t sentinel_len = msg_encode_query_config(sentinel);
  for (size_t byte = 0; byte < vec->frame_len; byte++) {
    for (uint8_t bit = 0; bit < 8; bit++) {
      uint8_t bad[80];
      memcpy(bad, vec->frame, vec->frame_len);
      bad[byte] ^= (uint8_t)(1u << bit);
      frame_parser_t p;
      fp_init(&p);
      outcome_t o = {0};
      feed(&p, bad, vec->frame_len, &o);
      REQUIRE(o.accepted == 0);
      /* Only a flipped F0 stops it being a frame at all; everything else is counted as rejected
       * (a flipped F7 leaves the frame open until the sentinel's F0 ends it as malformed). */
      outcome_t after = {0};
      feed(&p, sentinel, sentinel_len, &after);
      REQUIRE(after.accepted == 1 && after.last.kind == IN_QUERY_CONFIG);
      if (byte != 0) REQUIRE(o.rejected + after.rejected >= 1);
      /* A byte flipped into F7 ends the frame early instead: then it is rejected for its length. */
      if (bad[byte] >= 0x80 && bad[byte] != SYSEX_END && byte != 0 && byte != vec->frame_len - 1) {
        REQUIRE(o.malformed == 1);
      }
      /* The codec alone (what the TypeScript side mirrors) refuses the flipped payload too. */
      if (byte >= 2 && byte < vec->frame_len - 1 && bad[byte] < 0x80) {
        uint8_t raw[DB_RAW_MAX];
        REQUIRE(codec_decode(vec->command, bad + 2, payload_len(vec), raw) != CODEC_OK);
      }
      if (byte == 1 && bad[1] < 0x80) {
        uint8_t raw[DB_RAW_MAX];
        REQUIRE(codec_decode(bad[1], bad + 2, payload_len(vec), raw) != CODEC_OK);
      }
    }
  }
}

static void vector_wrong_lengths_rejected(void) {
  uint8_t raw[DB_RAW_MAX];
  uint8_t m = payload_len(vec);
  /* Every truncation, and one byte too many (any value) at every position. */
  for (uint8_t len = 0; len < m; len++) {
    REQUIRE(codec_decode(vec->command, payload(vec), len, raw) == CODEC_BAD_LENGTH);
  }
  for (uint8_t pos = 0; pos <= m; pos++) {
    uint8_t longer[64];
    memcpy(longer, payload(vec), pos);
    longer[pos] = 0x00;
    memcpy(longer + pos + 1, payload(vec) + pos, m - pos);
    REQUIRE(codec_decode(vec->command, longer, (uint8_t)(m + 1), raw) == CODEC_BAD_LENGTH);
  }
  if (host_to_board(vec->command)) {
    uint8_t sysex[64];
    sysex[0] = vec->command;
    memcpy(sysex + 1, payload(vec), m - 1); /* one packed byte short */
    inbound_t in;
    CHECK_EQ(inbound_classify(sysex, m, false, &in), IN_REJECTED);
    CHECK_EQ(in.reason, REJECT_LENGTH);
  }
}

static void vector_padding_bits_rejected(void) {
  uint8_t m = payload_len(vec);
  size_t padding_bits = (size_t)m * 7 - vec->raw_len * 8;
  CHECK(padding_bits >= 1 && padding_bits <= 6);
  for (size_t b = 0; b < padding_bits; b++) {
    uint8_t bad[64], raw[DB_RAW_MAX];
    memcpy(bad, payload(vec), m);
    bad[m - 1] |= (uint8_t)(1u << (6 - b)); /* the padding is the top of the last group */
    REQUIRE(bad[m - 1] < 0x80);
    REQUIRE(codec_decode(vec->command, bad, m, raw) == CODEC_BAD_PADDING);
  }
}

static void vector_bad_crc_rejected(void) {
  for (int which = 0; which < 2; which++) {
    uint8_t raw[64], frame_payload[64], back[DB_RAW_MAX];
    memcpy(raw, vec->raw, vec->raw_len);
    raw[vec->raw_len - 1 - which] ^= 0x01; /* a well-packed frame whose CRC is off */
    size_t m = pack7(raw, vec->raw_len, frame_payload);
    REQUIRE(codec_decode(vec->command, frame_payload, (uint8_t)m, back) == CODEC_BAD_CRC);
  }
}

static void crc_binds_the_command_byte(void) {
  /* SET_CONFIG and CONFIG_REPORT have the same length: only the CRC tells them apart. */
  uint8_t frame[DB_FRAME_MAX], raw[DB_RAW_MAX];
  uint8_t n = msg_encode_config(DB_SET_CONFIG, &CONFIG_DEFAULTS, frame);
  CHECK_EQ(codec_decode(DB_SET_CONFIG, frame + 2, (uint8_t)(n - 3), raw), CODEC_OK);
  CHECK_EQ(codec_decode(DB_CONFIG_REPORT, frame + 2, (uint8_t)(n - 3), raw), CODEC_BAD_CRC);
}

static void unknown_commands_rejected(void) {
  const uint8_t unknown[] = {0x00, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F};
  for (size_t i = 0; i < sizeof unknown; i++) {
    uint8_t raw[DB_RAW_MAX];
    uint8_t sysex[16] = {unknown[i], 0x78, 0x41, 0x01}; /* QUERY_CONFIG's payload */
    CHECK_EQ(codec_raw_length(unknown[i]), 0);
    CHECK_EQ(codec_decode(unknown[i], sysex + 1, 3, raw), CODEC_UNKNOWN_COMMAND);
    inbound_t in;
    CHECK_EQ(inbound_classify(sysex, 4, false, &in), IN_REJECTED);
    CHECK_EQ(in.reason, REJECT_UNKNOWN);
  }
  CHECK_EQ(codec_encode_frame(0x0A, NULL, 0, (uint8_t[DB_FRAME_MAX]){0}), 0);
}

static inbound_kind_t classify_frame(const uint8_t *frame, uint8_t n, inbound_t *in) {
  return inbound_classify(frame + 1, (uint8_t)(n - 2), false, in);
}

static void out_of_range_values_rejected(void) {
  uint8_t frame[DB_FRAME_MAX];
  inbound_t in;
  msg_set_leds_t leds = {LED_PATTERN_MAX, 1, 2, 3};
  CHECK_EQ(classify_frame(frame, msg_encode_set_leds(&leds, frame), &in), IN_SET_LEDS);
  leds.pattern = LED_PATTERN_MAX + 1;
  CHECK_EQ(classify_frame(frame, msg_encode_set_leds(&leds, frame), &in), IN_REJECTED);
  CHECK_EQ(in.reason, REJECT_RANGE);
  CHECK_EQ(classify_frame(frame, msg_encode_clear_stop(0xA5, frame), &in), IN_CLEAR_STOP);
  CHECK_EQ(classify_frame(frame, msg_encode_clear_stop(0x5A, frame), &in), IN_REJECTED);
  CHECK_EQ(in.reason, REJECT_RANGE);
  config_t c = CONFIG_DEFAULTS;
  c.max_speed_mm_s = 3001;
  CHECK_EQ(classify_frame(frame, msg_encode_config(DB_SET_CONFIG, &c, frame), &in), IN_REJECTED);
  CHECK_EQ(in.reason, REJECT_RANGE);
  c.max_speed_mm_s = 3000;
  CHECK_EQ(classify_frame(frame, msg_encode_config(DB_SET_CONFIG, &c, frame), &in), IN_SET_CONFIG);
  CHECK_EQ(in.u.config.max_speed_mm_s, 3000);
}

static void firmata_sysex_checked_for_length(void) {
  inbound_t in;
  const uint8_t firmware[] = {0x79}, firmware_long[] = {0x79, 0x00};
  const uint8_t capability[] = {0x6B}, mapping[] = {0x69};
  const uint8_t pin_state[] = {0x6D, 13}, pin_state_short[] = {0x6D};
  const uint8_t sampling[] = {0x7A, 0x13, 0x00}, sampling_short[] = {0x7A, 0x13};
  const uint8_t string_data[] = {0x71, 0x41, 0x00}, servo[] = {0x70, 9, 0, 0, 0, 0};
  CHECK_EQ(inbound_classify(firmware, 1, false, &in), IN_FIRMATA);
  CHECK_EQ(inbound_classify(capability, 1, false, &in), IN_FIRMATA);
  CHECK_EQ(inbound_classify(mapping, 1, false, &in), IN_FIRMATA);
  CHECK_EQ(inbound_classify(pin_state, 2, false, &in), IN_FIRMATA);
  CHECK_EQ(inbound_classify(sampling, 3, false, &in), IN_FIRMATA);
  CHECK_EQ(inbound_classify(firmware_long, 2, false, &in), IN_REJECTED);
  CHECK_EQ(in.reason, REJECT_LENGTH);
  CHECK_EQ(inbound_classify(pin_state_short, 1, false, &in), IN_REJECTED);
  CHECK_EQ(inbound_classify(sampling_short, 2, false, &in), IN_REJECTED);
  CHECK_EQ(inbound_classify(string_data, 3, false, &in), IN_REJECTED);
  CHECK_EQ(in.reason, REJECT_UNKNOWN);
  CHECK_EQ(inbound_classify(servo, 6, false, &in), IN_REJECTED);
  CHECK_EQ(inbound_classify(firmware, 0, false, &in), IN_REJECTED); /* F0 F7 */
}

static void overflowing_sysex_rejected(void) {
  /* A valid SET_VELOCITY prefix that runs on past the parser's buffer is rejected for length. */
  frame_parser_t p;
  fp_init(&p);
  outcome_t o = {0};
  uint8_t frame[DB_FRAME_MAX];
  msg_set_velocity_t v = {5, 100, 0};
  uint8_t n = msg_encode_set_velocity(&v, frame);
  feed(&p, frame, (size_t)n - 1, &o);
  uint8_t filler[FP_SYSEX_MAX];
  memset(filler, 0x11, sizeof filler);
  feed(&p, filler, sizeof filler, &o);
  uint8_t end = SYSEX_END;
  feed(&p, &end, 1, &o);
  CHECK_EQ(o.sysex, 1);
  CHECK_EQ(o.accepted, 0);
  CHECK_EQ(o.rejected, 1);
}

static void run_per_vector(const char *what, void (*fn)(void)) {
  for (int i = 0; i < vector_count; i++) {
    char name[160];
    snprintf(name, sizeof name, "%s %s", what, vectors[i].name);
    vec = &vectors[i];
    test_run(name, fn);
  }
}

void suite_codec(void) {
  RUN(crc_check_value_from_json);
  RUN(crc_is_incremental);
  RUN(pack7_lengths_are_ceil_8n_over_7);
  RUN(pack7_round_trips_random_payloads);
  run_per_vector("crc", vector_crc_covers_command_and_fields);
  run_per_vector("encode", vector_encodes_to_frame);
  run_per_vector("decode", vector_frame_decodes_to_raw);
  run_per_vector("fields", vector_fields_round_trip);
  run_per_vector("parse", vector_parses_and_classifies);
  run_per_vector("bit flips", vector_single_bit_flips_never_accepted);
  run_per_vector("lengths", vector_wrong_lengths_rejected);
  run_per_vector("padding", vector_padding_bits_rejected);
  run_per_vector("bad crc", vector_bad_crc_rejected);
  RUN(crc_binds_the_command_byte);
  RUN(unknown_commands_rejected);
  RUN(out_of_range_values_rejected);
  RUN(firmata_sysex_checked_for_length);
  RUN(overflowing_sysex_rejected);
}
