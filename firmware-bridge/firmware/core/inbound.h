/* What a complete inbound Sysex means to the board: one of the drive-base commands (checked for
 * length, padding, CRC and value ranges), a Firmata query of the supported subset, or a frame to
 * reject and count (PROTOCOL.md §3.1, §4.4). Deciding this in one pure function keeps "never act
 * on a rejected frame" testable on the host, with the exact code the firmware runs. */
#ifndef INBOUND_H
#define INBOUND_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "sysex_codec.h"

/* Firmata Sysex commands the board answers (PROTOCOL.md §2). */
enum {
  FS_ANALOG_MAPPING_QUERY = 0x69,
  FS_ANALOG_MAPPING_RESPONSE = 0x6A,
  FS_CAPABILITY_QUERY = 0x6B,
  FS_CAPABILITY_RESPONSE = 0x6C,
  FS_PIN_STATE_QUERY = 0x6D,
  FS_PIN_STATE_RESPONSE = 0x6E,
  FS_REPORT_FIRMWARE = 0x79,
  FS_SAMPLING_INTERVAL = 0x7A,
};

typedef enum {
  IN_REJECTED = 0,  /* count it, never act on it */
  IN_FIRMATA,       /* a Firmata query with the right number of data bytes */
  IN_SET_VELOCITY,
  IN_SET_LEDS,
  IN_SET_CONFIG,
  IN_CLEAR_STOP,
  IN_QUERY_CONFIG,
} inbound_kind_t;

typedef enum {
  REJECT_NONE = 0,
  REJECT_UNKNOWN,   /* unknown command, or a board-to-host message sent to the board */
  REJECT_LENGTH,
  REJECT_PADDING,
  REJECT_CRC,
  REJECT_RANGE,     /* a field outside its allowed values (config range, LED pattern, magic) */
  REJECT_MALFORMED, /* ended by a status byte before its F7 (reported by the parser) */
} reject_reason_t;

typedef struct {
  inbound_kind_t kind;
  reject_reason_t reason; /* for IN_REJECTED */
  union {
    msg_set_velocity_t velocity;
    msg_set_leds_t leds;
    config_t config;
  } u;
} inbound_t;

inbound_kind_t inbound_classify(const uint8_t *sysex, uint8_t len, bool overflow, inbound_t *out);

#endif
