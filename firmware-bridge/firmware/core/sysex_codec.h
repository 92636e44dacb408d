/* The drive-base Sysex messages of PROTOCOL.md §3: framing (F0 cmd packed F7), fixed raw
 * lengths, the CRC, and the typed fields of each message. Pure: no I/O, used by the firmware and
 * by the host unit tests alike. */
#ifndef SYSEX_CODEC_H
#define SYSEX_CODEC_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"

#define SYSEX_START 0xF0u
#define SYSEX_END 0xF7u

enum {
  DB_SET_VELOCITY = 0x01,
  DB_VELOCITY_ACK = 0x02,
  DB_TELEMETRY = 0x03,
  DB_SET_LEDS = 0x04,
  DB_SET_CONFIG = 0x05,
  DB_CONFIG_REPORT = 0x06,
  DB_CLEAR_STOP = 0x07,
  DB_QUERY_CONFIG = 0x08,
  DB_COMMAND_ACK = 0x09,
};

/* Raw lengths include the 2-byte CRC (PROTOCOL.md §3.2). */
#define DB_RAW_MAX 27u   /* TELEMETRY */
#define DB_FRAME_MAX 34u /* TELEMETRY: F0 + cmd + 31 packed + F7 */

typedef enum {
  CODEC_OK = 0,
  CODEC_UNKNOWN_COMMAND,
  CODEC_BAD_LENGTH,
  CODEC_BAD_PADDING,
  CODEC_BAD_CRC,
} codec_status_t;

/* Raw length (fields + CRC) of a drive-base command, 0 when the id is not one of 0x01..0x09. */
uint8_t codec_raw_length(uint8_t command);

/* Checks and unpacks a frame's packed payload (the bytes between the command byte and F7).
 * On CODEC_OK raw holds codec_raw_length(command) bytes, CRC included; otherwise raw is garbage
 * and the frame must not be acted on. */
codec_status_t codec_decode(uint8_t command, const uint8_t *packed, uint8_t packed_len, uint8_t *raw);

/* Builds a whole frame (F0 .. F7) from the fields (raw payload without CRC); the field count must
 * be codec_raw_length(command) - 2. Returns the frame length, 0 for an unknown command or a wrong
 * field count. frame must hold DB_FRAME_MAX bytes. */
uint8_t codec_encode_frame(uint8_t command, const uint8_t *fields, uint8_t field_len, uint8_t *frame);

/* Typed messages. Field comments give the wire units. */
typedef struct {
  uint16_t seq;
  int16_t linear_mm_s;    /* forward + */
  int16_t angular_mrad_s; /* counter-clockwise + */
} msg_set_velocity_t;

/* VELOCITY_ACK status (PROTOCOL.md §3.2): accepted, accepted but clamped, or refused (not acted
 * on) because a stop is latched, the sequence number is not newer than the last accepted one, or
 * the battery is low. */
enum {
  ACK_ACCEPTED = 0,
  ACK_CLAMPED = 1,
  ACK_REFUSED_LATCHED = 2,
  ACK_REFUSED_STALE = 3,
  ACK_REFUSED_BATTERY = 4,
};

typedef struct {
  uint16_t seq;
  uint8_t status; /* ACK_* */
} msg_velocity_ack_t;

/* TELEMETRY inputs / state / fault bits (PROTOCOL.md §3.2). */
enum { INPUT_BUMPER = 0x01, INPUT_ESTOP = 0x02 };
enum {
  STATE_LATCHED = 0x01,
  STATE_TIMEOUT = 0x02,
  STATE_DRIVING = 0x04,
  STATE_DEFAULT_CONFIG = 0x08,
  STATE_TURNING = 0x10,  /* a wheel's measured speed is not zero */
  STATE_STOPPING = 0x20, /* a controlled stop (timeout, battery low) is ramping the wheels down */
};
enum {
  FAULT_NONE = 0,
  FAULT_BUMPER = 1,
  FAULT_ESTOP = 2,
  FAULT_TIMEOUT = 3,
  FAULT_BATTERY_LOW = 4,
  FAULT_ENCODER = 5,
};

typedef struct {
  uint16_t last_seq;
  int32_t left_ticks;
  int32_t right_ticks;
  int16_t left_speed_mm_s;
  int16_t right_speed_mm_s;
  uint16_t battery_mv;
  uint8_t inputs;
  uint8_t state;
  uint8_t fault;
  uint16_t rejected_frames;
  uint32_t uptime_ms;
} msg_telemetry_t;

enum { LED_OFF = 0, LED_IDLE = 1, LED_GUIDING = 2, LED_WAITING = 3, LED_ERROR = 4, LED_STEADY = 5 };
#define LED_PATTERN_MAX LED_STEADY

typedef struct {
  uint8_t pattern; /* LED_* */
  uint8_t red;
  uint8_t green;
  uint8_t blue;
} msg_set_leds_t;

#define CLEAR_STOP_MAGIC 0xA5u

/* COMMAND_ACK (PROTOCOL.md §3.2): the board's answer to SET_LEDS and CLEAR_STOP. */
typedef struct {
  uint8_t command; /* the id answered: DB_SET_LEDS or DB_CLEAR_STOP */
  uint8_t status;  /* CMD_* */
} msg_command_ack_t;

enum { CMD_DONE = 0, CMD_NOTHING_TO_DO = 1, CMD_REFUSED_PRESSED = 2 };

/* Encoders: return the frame length (see codec_encode_frame). */
uint8_t msg_encode_set_velocity(const msg_set_velocity_t *m, uint8_t *frame);
uint8_t msg_encode_velocity_ack(const msg_velocity_ack_t *m, uint8_t *frame);
uint8_t msg_encode_telemetry(const msg_telemetry_t *m, uint8_t *frame);
uint8_t msg_encode_set_leds(const msg_set_leds_t *m, uint8_t *frame);
uint8_t msg_encode_config(uint8_t command, const config_t *c, uint8_t *frame); /* SET_CONFIG or CONFIG_REPORT */
uint8_t msg_encode_clear_stop(uint8_t magic, uint8_t *frame);
uint8_t msg_encode_query_config(uint8_t *frame);
uint8_t msg_encode_command_ack(const msg_command_ack_t *m, uint8_t *frame);

/* Field readers: raw is a payload that codec_decode accepted for the matching command. */
void msg_read_set_velocity(const uint8_t *raw, msg_set_velocity_t *m);
void msg_read_velocity_ack(const uint8_t *raw, msg_velocity_ack_t *m);
void msg_read_telemetry(const uint8_t *raw, msg_telemetry_t *m);
void msg_read_set_leds(const uint8_t *raw, msg_set_leds_t *m);
void msg_read_config(const uint8_t *raw, config_t *c);
void msg_read_command_ack(const uint8_t *raw, msg_command_ack_t *m);

#endif
