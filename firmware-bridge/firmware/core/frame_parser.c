#include "frame_parser.h"

enum { ST_IDLE = 0, ST_CHANNEL, ST_SYSEX };

void fp_init(frame_parser_t *p) {
  p->state = ST_IDLE;
  p->status = 0;
  p->need = 0;
  p->have = 0;
  p->data[0] = 0;
  p->data[1] = 0;
  p->sysex_len = 0;
  p->sysex_overflow = false;
}

/* Data bytes a known status takes; -1 for an unknown status, which is skipped with its data. */
static int8_t data_bytes(uint8_t status) {
  switch (status & 0xF0u) {
    case FM_DIGITAL_MESSAGE:
    case FM_ANALOG_MESSAGE: return 2;
    case FM_REPORT_ANALOG:
    case FM_REPORT_DIGITAL: return 1;
    default: break;
  }
  switch (status) {
    case FM_SET_PIN_MODE:
    case FM_SET_DIGITAL_PIN_VALUE: return 2;
    case FM_REPORT_VERSION:
    case FM_SYSTEM_RESET: return 0;
    default: return -1;
  }
}

static uint8_t start_status(frame_parser_t *p, uint8_t byte, fp_message_t *out) {
  if (byte == 0xF0u) {
    p->state = ST_SYSEX;
    p->sysex_len = 0;
    p->sysex_overflow = false;
    return 0;
  }
  int8_t need = data_bytes(byte);
  if (need < 0) { /* unknown status or a stray F7: skip to the next status byte */
    p->state = ST_IDLE;
    return 0;
  }
  p->status = byte;
  p->need = (uint8_t)need;
  p->have = 0;
  if (need == 0) {
    p->state = ST_IDLE;
    out->status = byte;
    return FP_EV_MESSAGE;
  }
  p->state = ST_CHANNEL;
  return 0;
}

uint8_t fp_feed(frame_parser_t *p, uint8_t byte, fp_message_t *out) {
  if (p->state == ST_SYSEX) {
    if (byte == 0xF7u) {
      p->state = ST_IDLE;
      out->sysex = p->sysex;
      out->sysex_len = p->sysex_len;
      out->sysex_overflow = p->sysex_overflow;
      return FP_EV_SYSEX;
    }
    if (byte & 0x80u) { /* F0 or any other status inside a Sysex: malformed, restart here */
      p->state = ST_IDLE;
      return (uint8_t)(FP_EV_MALFORMED | start_status(p, byte, out));
    }
    if (p->sysex_len < FP_SYSEX_MAX) {
      p->sysex[p->sysex_len++] = byte;
    } else {
      p->sysex_overflow = true;
    }
    return 0;
  }
  if (byte & 0x80u) return start_status(p, byte, out); /* an unfinished channel message is dropped */
  if (p->state == ST_CHANNEL) {
    p->data[p->have++] = byte;
    if (p->have == p->need) {
      p->state = ST_IDLE; /* Firmata has no running status */
      out->status = p->status;
      out->data[0] = p->data[0];
      out->data[1] = p->data[1];
      return FP_EV_MESSAGE;
    }
  }
  return 0; /* data byte outside any message */
}
