/* The drive base's behaviour, stepped every 1 ms: command handling, speed measurement, ramps,
 * PI control and all the stops of PROTOCOL.md §4 (command timeout, bumper/e-stop latch, battery
 * low, encoder fault). Pure: it sees ticks, inputs and battery as numbers and answers PWM, so the
 * safety rules are unit-tested on the host; the firmware's glue only moves values in and out. */
#ifndef DRIVE_H
#define DRIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "pi.h"
#include "sysex_codec.h"

/* PROTOCOL.md §4.1. The stop is due 250 ms after the last valid command; the 1 ms step and the
 * ms counter's own granularity add up to ~2 ms, so it fires from 247 ms on, which keeps "motors
 * stopped within 250 ms of the last command" true as measured from the command's first byte. */
#define DRIVE_COMMAND_TIMEOUT_MS 250u
#define DRIVE_TIMEOUT_GUARD_MS 3u

/* PROTOCOL.md §4.1: a controlled stop (command timeout, battery low) ramps the wheels down at
 * this deceleration, or at max_accel_mm_s2 when that is higher: from the default 1 m/s in a
 * third of a second and 17 cm, the same on any H-bridge, where cutting the motors gave a jolt
 * of up to 1.7 g on the emulated base (and a coast on a fast-decay driver). */
#define DRIVE_STOP_DECEL_MM_S2 3000u

/* PROTOCOL.md §4.5: below 10.5 V for 1 s. Also 1 s above the threshold to resume, so a battery
 * hovering at 10.5 V under load does not make the robot stutter. */
#define DRIVE_BATTERY_LOW_MV 10500u
#define DRIVE_BATTERY_FILTER_MS 1000u

/* PROTOCOL.md §3.2 fault 5: a motor driven above 30 % for 0.5 s with no ticks. */
#define DRIVE_ENCODER_FAULT_PWM 76 /* 30 % of 255, rounded down: "above" means > 76 */
#define DRIVE_ENCODER_FAULT_MS 500u

/* Speeds are measured over the last 20 ms (PROTOCOL.md §3.2), as ticks counted across 20 steps. */
#define DRIVE_SPEED_WINDOW_MS 20u

typedef struct {
  uint32_t now_ms;
  int32_t left_ticks; /* cumulative, wrapping */
  int32_t right_ticks;
  uint8_t inputs;     /* INPUT_BUMPER | INPUT_ESTOP: pressed now, or pressed since the last step */
  uint16_t battery_mv;
} drive_inputs_t;

typedef struct {
  config_t config;
  bool config_is_default;
  uint32_t now_ms;

  /* command */
  bool have_command; /* the wheels are under control: false at start, after a stop or a reset */
  bool stopping;     /* a controlled stop is ramping the wheels down (have_command stays true) */
  uint32_t command_ms;
  uint16_t last_seq; /* the last accepted command's */
  bool seq_open;     /* no command accepted since start-up or SYSTEM_RESET: any seq is taken */
  int16_t target_left_mm_s; /* clamped wheel targets of the command in force */
  int16_t target_right_mm_s;

  /* control */
  int32_t setpoint_left_um_s; /* ramped */
  int32_t setpoint_right_um_s;
  pi_state_t pi_left;
  pi_state_t pi_right;
  int16_t pwm_left;
  int16_t pwm_right;

  /* measurement */
  int32_t history_left[DRIVE_SPEED_WINDOW_MS];
  int32_t history_right[DRIVE_SPEED_WINDOW_MS];
  uint8_t history_index;
  bool history_primed;
  int16_t speed_left_mm_s;
  int16_t speed_right_mm_s;

  /* safety */
  bool latched;
  bool timed_out;
  bool battery_low;
  uint16_t battery_below_ms;
  uint16_t battery_above_ms;
  uint16_t stall_left_ms;
  uint16_t stall_right_ms;
  int32_t stall_left_ticks;
  int32_t stall_right_ticks;
  uint8_t fault;
} drive_t;

void drive_init(drive_t *d);

/* A valid SET_VELOCITY (PROTOCOL.md §3.2, §4): returns the ACK status. Refused (latched, stale
 * or battery low) commands change nothing, not even last_seq or the timeout. Timestamped with
 * the latest step's time. */
uint8_t drive_command(drive_t *d, uint16_t seq, int16_t linear_mm_s, int16_t angular_mrad_s);

/* PROTOCOL.md §3.3: true when `seq` comes after `last` in 16-bit serial-number arithmetic
 * (1 ≤ (seq − last) mod 65536 ≤ 32767). */
bool drive_seq_newer(uint16_t seq, uint16_t last);

/* CLEAR_STOP: clears the latch only when neither input is pressed now; returns the COMMAND_ACK
 * status (CMD_DONE, CMD_NOTHING_TO_DO when nothing was latched, CMD_REFUSED_PRESSED). */
uint8_t drive_clear_stop(drive_t *d, uint8_t inputs_now);

/* A valid SET_CONFIG: takes effect at once; targets of the command in force are recomputed on the
 * next command, the limits apply from the next step. */
void drive_set_config(drive_t *d, const config_t *c);

/* Firmata SYSTEM_RESET: motors off, the command forgotten and the sequence window opened (the
 * next command is accepted whatever its seq); a latched stop stays latched, the fault stays. */
void drive_halt(drive_t *d);

/* One 1 ms step: measure, apply the safety rules, ramp, control. Returns nothing: the PWM is in
 * d->pwm_left / d->pwm_right (signed, -255..255). */
void drive_step(drive_t *d, const drive_inputs_t *in);

/* TELEMETRY state bits (STATE_*). */
uint8_t drive_state_bits(const drive_t *d);

#endif
