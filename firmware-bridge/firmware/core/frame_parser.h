/* The inbound byte stream as Firmata messages: channel messages with their data bytes, and
 * Sysex frames (PROTOCOL.md §2, §3.1). A status byte (>= 0x80) inside a Sysex ends it as
 * malformed and decoding restarts at that byte; data bytes outside a message are skipped. Pure
 * state machine, one byte at a time, so the RX path never blocks and the host tests can fuzz it. */
#ifndef FRAME_PARSER_H
#define FRAME_PARSER_H

#include <stdbool.h>
#include <stdint.h>

/* Longest inbound Sysex kept (command byte + data). SET_CONFIG, the longest the board accepts,
 * has 15; a longer one is reported with `overflow` so it is rejected for its length. */
#define FP_SYSEX_MAX 32u

/* Firmata status bytes the board knows (PROTOCOL.md §2). */
enum {
  FM_DIGITAL_MESSAGE = 0x90, /* low nibble: port */
  FM_ANALOG_MESSAGE = 0xE0,  /* low nibble: channel */
  FM_REPORT_ANALOG = 0xC0,   /* low nibble: channel */
  FM_REPORT_DIGITAL = 0xD0,  /* low nibble: port */
  FM_SET_PIN_MODE = 0xF4,
  FM_SET_DIGITAL_PIN_VALUE = 0xF5,
  FM_REPORT_VERSION = 0xF9,
  FM_SYSTEM_RESET = 0xFF,
};

typedef struct {
  uint8_t state;
  uint8_t status;    /* message being collected */
  uint8_t need;      /* data bytes it takes */
  uint8_t have;      /* data bytes collected */
  uint8_t data[2];
  uint8_t sysex_len; /* bytes stored in sysex[] */
  bool sysex_overflow;
  uint8_t sysex[FP_SYSEX_MAX];
} frame_parser_t;

typedef struct {
  uint8_t status;        /* FP_EV_MESSAGE: the status byte, channel nibble included */
  uint8_t data[2];       /* FP_EV_MESSAGE: its data bytes */
  const uint8_t *sysex;  /* FP_EV_SYSEX: command byte then data, valid until the next feed */
  uint8_t sysex_len;     /* FP_EV_SYSEX: 0 for an empty F0 F7 */
  bool sysex_overflow;   /* FP_EV_SYSEX: longer than FP_SYSEX_MAX, content truncated */
} fp_message_t;

/* Events of one byte, as bits: a status byte inside a Sysex both ends it (MALFORMED) and may
 * complete a message of its own (a REPORT_VERSION or SYSTEM_RESET takes no data). */
enum { FP_EV_MALFORMED = 0x01, FP_EV_MESSAGE = 0x02, FP_EV_SYSEX = 0x04 };

void fp_init(frame_parser_t *p);
uint8_t fp_feed(frame_parser_t *p, uint8_t byte, fp_message_t *out);

#endif
