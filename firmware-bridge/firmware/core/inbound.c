#include "inbound.h"

static inbound_kind_t reject(inbound_t *out, reject_reason_t reason) {
  out->kind = IN_REJECTED;
  out->reason = reason;
  return IN_REJECTED;
}

static inbound_kind_t accept(inbound_t *out, inbound_kind_t kind) {
  out->kind = kind;
  out->reason = REJECT_NONE;
  return kind;
}

/* Data bytes each supported Firmata query carries; -1 when the board does not support it. */
static int8_t firmata_query_length(uint8_t command) {
  switch (command) {
    case FS_REPORT_FIRMWARE:
    case FS_CAPABILITY_QUERY:
    case FS_ANALOG_MAPPING_QUERY: return 0;
    case FS_PIN_STATE_QUERY: return 1;
    case FS_SAMPLING_INTERVAL: return 2;
    default: return -1;
  }
}

static reject_reason_t codec_reason(codec_status_t s) {
  switch (s) {
    case CODEC_UNKNOWN_COMMAND: return REJECT_UNKNOWN;
    case CODEC_BAD_LENGTH: return REJECT_LENGTH;
    case CODEC_BAD_PADDING: return REJECT_PADDING;
    default: return REJECT_CRC;
  }
}

inbound_kind_t inbound_classify(const uint8_t *sysex, uint8_t len, bool overflow, inbound_t *out) {
  if (len == 0) return reject(out, REJECT_UNKNOWN);
  uint8_t command = sysex[0];
  if (command >= 0x10u) { /* Firmata's own Sysex range */
    int8_t want = firmata_query_length(command);
    if (want < 0) return reject(out, REJECT_UNKNOWN);
    if (overflow || len != (uint8_t)(1 + want)) return reject(out, REJECT_LENGTH);
    return accept(out, IN_FIRMATA);
  }
  /* Only the host-to-board commands; an ACK, TELEMETRY or CONFIG_REPORT arriving here is as
   * unknown to the board as 0x00 or 0x09..0x0F. Checked before the CRC so no work is spent. */
  switch (command) {
    case DB_SET_VELOCITY:
    case DB_SET_LEDS:
    case DB_SET_CONFIG:
    case DB_CLEAR_STOP:
    case DB_QUERY_CONFIG: break;
    default: return reject(out, REJECT_UNKNOWN);
  }
  if (overflow) return reject(out, REJECT_LENGTH);
  uint8_t raw[DB_RAW_MAX];
  codec_status_t s = codec_decode(command, sysex + 1, (uint8_t)(len - 1), raw);
  if (s != CODEC_OK) return reject(out, codec_reason(s));
  switch (command) {
    case DB_SET_VELOCITY:
      msg_read_set_velocity(raw, &out->u.velocity);
      return accept(out, IN_SET_VELOCITY);
    case DB_SET_LEDS:
      msg_read_set_leds(raw, &out->u.leds);
      if (out->u.leds.pattern > LED_PATTERN_MAX) return reject(out, REJECT_RANGE);
      return accept(out, IN_SET_LEDS);
    case DB_SET_CONFIG:
      msg_read_config(raw, &out->u.config);
      if (!config_valid(&out->u.config)) return reject(out, REJECT_RANGE);
      return accept(out, IN_SET_CONFIG);
    case DB_CLEAR_STOP:
      if (raw[0] != CLEAR_STOP_MAGIC) return reject(out, REJECT_RANGE);
      return accept(out, IN_CLEAR_STOP);
    default:
      return accept(out, IN_QUERY_CONFIG);
  }
}
