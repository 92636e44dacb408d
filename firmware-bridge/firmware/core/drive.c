#include "drive.h"

#include "diffdrive.h"
#include "ramp.h"

/* Cuts the motors without a ramp (PROTOCOL.md §4.2): the bumper, the e-stop and an encoder
 * fault, where driving on even to brake is wrong; also the end of a controlled stop. */
static void stop_now(drive_t *d) {
  d->have_command = false;
  d->stopping = false;
  d->target_left_mm_s = 0;
  d->target_right_mm_s = 0;
  d->setpoint_left_um_s = 0;
  d->setpoint_right_um_s = 0;
  pi_reset(&d->pi_left);
  pi_reset(&d->pi_right);
  d->pwm_left = 0;
  d->pwm_right = 0;
  d->stall_left_ms = 0;
  d->stall_right_ms = 0;
}

void drive_init(drive_t *d) {
  d->config = CONFIG_DEFAULTS;
  d->config_is_default = true;
  d->now_ms = 0;
  d->command_ms = 0;
  d->last_seq = 0;
  d->seq_open = true;
  d->history_index = 0;
  d->history_primed = false;
  d->speed_left_mm_s = 0;
  d->speed_right_mm_s = 0;
  d->latched = false;
  d->timed_out = false;
  d->battery_low = false;
  d->battery_below_ms = 0;
  d->battery_above_ms = 0;
  d->stall_left_ticks = 0;
  d->stall_right_ticks = 0;
  d->fault = FAULT_NONE;
  stop_now(d);
}

/* Zero wheel targets, reached along the stop ramp with the speed controller braking
 * (PROTOCOL.md §4.1): the timeout and a low battery. The command is no longer in force. */
static void begin_controlled_stop(drive_t *d) {
  if (!d->have_command) return; /* nothing is moving under control: nothing to ramp down */
  d->stopping = true;
  d->target_left_mm_s = 0;
  d->target_right_mm_s = 0;
}

bool drive_seq_newer(uint16_t seq, uint16_t last) {
  uint16_t ahead = (uint16_t)(seq - last);
  return ahead >= 1u && ahead <= 32767u;
}

uint8_t drive_command(drive_t *d, uint16_t seq, int16_t linear_mm_s, int16_t angular_mrad_s) {
  /* The order is the spec's: the latch first (the most urgent thing for the host to know). */
  if (d->latched) return ACK_REFUSED_LATCHED;
  if (d->battery_low) return ACK_REFUSED_BATTERY;
  if (!d->seq_open && !drive_seq_newer(seq, d->last_seq)) return ACK_REFUSED_STALE;
  d->last_seq = seq;
  d->seq_open = false;
  wheel_targets_t t = diffdrive_targets(linear_mm_s, angular_mrad_s, &d->config);
  if (!d->have_command) {
    /* Resuming after a stop while the wheels may still coast: ramp on from the speed they have
     * rather than from zero, or the PI would brake them hard before accelerating again. */
    d->setpoint_left_um_s = (int32_t)d->speed_left_mm_s * 1000;
    d->setpoint_right_um_s = (int32_t)d->speed_right_mm_s * 1000;
  }
  d->target_left_mm_s = t.left_mm_s;
  d->target_right_mm_s = t.right_mm_s;
  d->have_command = true;
  d->stopping = false;
  d->command_ms = d->now_ms;
  d->timed_out = false;
  /* The fault names why the board last stopped; an accepted command (the cause is gone: a latch
   * or a low battery refuses it) ends that story. */
  d->fault = FAULT_NONE;
  return t.clamped ? ACK_CLAMPED : ACK_ACCEPTED;
}

uint8_t drive_clear_stop(drive_t *d, uint8_t inputs_now) {
  if (!d->latched) return CMD_NOTHING_TO_DO;
  if (inputs_now & (INPUT_BUMPER | INPUT_ESTOP)) return CMD_REFUSED_PRESSED;
  d->latched = false; /* the motors stay off until the next valid command */
  return CMD_DONE;
}

void drive_set_config(drive_t *d, const config_t *c) {
  d->config = *c;
  d->config_is_default = false;
}

void drive_halt(drive_t *d) {
  stop_now(d);
  d->timed_out = false;
  d->seq_open = true;
}

static int16_t clamp16(int32_t v) { return (int16_t)(v > 32767 ? 32767 : (v < -32768 ? -32768 : v)); }

/* Wheel speeds over the last 20 steps (= 20 ms): ticks * (1000 mm/m) * (1000/20 per s) / ticks_per_m. */
static void measure(drive_t *d, const drive_inputs_t *in) {
  if (!d->history_primed) {
    for (uint8_t i = 0; i < DRIVE_SPEED_WINDOW_MS; i++) {
      d->history_left[i] = in->left_ticks;
      d->history_right[i] = in->right_ticks;
    }
    d->stall_left_ticks = in->left_ticks;
    d->stall_right_ticks = in->right_ticks;
    d->history_primed = true;
  }
  uint8_t i = d->history_index;
  /* Unsigned subtraction: the counters wrap at 2^32 and the difference stays right. */
  int32_t dl = (int32_t)((uint32_t)in->left_ticks - (uint32_t)d->history_left[i]);
  int32_t dr = (int32_t)((uint32_t)in->right_ticks - (uint32_t)d->history_right[i]);
  d->history_left[i] = in->left_ticks;
  d->history_right[i] = in->right_ticks;
  d->history_index = (uint8_t)((i + 1) % DRIVE_SPEED_WINDOW_MS);
  const int32_t scale = 1000L * (1000L / DRIVE_SPEED_WINDOW_MS);
  int32_t tpm = d->config.ticks_per_m;
  /* |d| <= 20000 ticks/m * 3 m/s * 20 ms = 1200 ticks: 1200 * 50000 fits in int32. Clamped for
   * absurd inputs (a noisy encoder line) so nothing overflows. */
  if (dl > 20000) dl = 20000;
  if (dl < -20000) dl = -20000;
  if (dr > 20000) dr = 20000;
  if (dr < -20000) dr = -20000;
  d->speed_left_mm_s = clamp16((dl * scale + (dl >= 0 ? tpm / 2 : -tpm / 2)) / tpm);
  d->speed_right_mm_s = clamp16((dr * scale + (dr >= 0 ? tpm / 2 : -tpm / 2)) / tpm);
}

static void latch_if_pressed(drive_t *d, uint8_t inputs) {
  uint8_t pressed = inputs & (INPUT_BUMPER | INPUT_ESTOP);
  if (!pressed) return;
  if (!d->latched) {
    d->latched = true;
    /* Both at once: the e-stop is the operator's deliberate act, name it. */
    d->fault = (pressed & INPUT_ESTOP) ? FAULT_ESTOP : FAULT_BUMPER;
  }
  stop_now(d);
}

static void watch_battery(drive_t *d, uint16_t mv) {
  if (mv < DRIVE_BATTERY_LOW_MV) {
    d->battery_above_ms = 0;
    if (d->battery_below_ms < DRIVE_BATTERY_FILTER_MS) d->battery_below_ms++;
    if (!d->battery_low && d->battery_below_ms >= DRIVE_BATTERY_FILTER_MS) {
      d->battery_low = true;
      if (!d->latched) d->fault = FAULT_BATTERY_LOW; /* a latched stop keeps naming its input */
      begin_controlled_stop(d);
    }
  } else {
    d->battery_below_ms = 0;
    if (d->battery_above_ms < DRIVE_BATTERY_FILTER_MS) d->battery_above_ms++;
    if (d->battery_low && d->battery_above_ms >= DRIVE_BATTERY_FILTER_MS) d->battery_low = false;
  }
}

static void watch_command(drive_t *d) {
  if (!d->have_command || d->stopping) return;
  if (d->now_ms - d->command_ms >= DRIVE_COMMAND_TIMEOUT_MS - DRIVE_TIMEOUT_GUARD_MS) {
    d->timed_out = true;
    d->fault = FAULT_TIMEOUT;
    begin_controlled_stop(d);
  }
}

/* A wheel driven hard that does not turn: broken encoder wiring, or a stalled motor. Either way
 * the PI would keep pushing harder, so stop. */
static bool stalled(int16_t pwm, int32_t ticks, int32_t *since_ticks, uint16_t *ms) {
  int16_t magnitude = pwm < 0 ? (int16_t)-pwm : pwm;
  if (magnitude <= DRIVE_ENCODER_FAULT_PWM || ticks != *since_ticks) {
    *since_ticks = ticks;
    *ms = 0;
    return false;
  }
  if (*ms < DRIVE_ENCODER_FAULT_MS) (*ms)++;
  return *ms >= DRIVE_ENCODER_FAULT_MS;
}

static void control(drive_t *d) {
  int32_t target_left = (int32_t)d->target_left_mm_s * 1000;
  int32_t target_right = (int32_t)d->target_right_mm_s * 1000;
  uint16_t rate = d->config.max_accel_mm_s2;
  if (d->stopping && rate < DRIVE_STOP_DECEL_MM_S2) rate = DRIVE_STOP_DECEL_MM_S2;
  d->setpoint_left_um_s = ramp_step(d->setpoint_left_um_s, target_left, rate);
  d->setpoint_right_um_s = ramp_step(d->setpoint_right_um_s, target_right, rate);
  /* At rest and told to rest: no PWM and no integrator, so the wheels do not hunt around zero on
   * quantized speed readings. */
  if (d->setpoint_left_um_s == 0 && target_left == 0) {
    pi_reset(&d->pi_left);
    d->pwm_left = 0;
  } else {
    d->pwm_left = pi_step(&d->pi_left, (int16_t)(d->setpoint_left_um_s / 1000), d->speed_left_mm_s);
  }
  if (d->setpoint_right_um_s == 0 && target_right == 0) {
    pi_reset(&d->pi_right);
    d->pwm_right = 0;
  } else {
    d->pwm_right = pi_step(&d->pi_right, (int16_t)(d->setpoint_right_um_s / 1000), d->speed_right_mm_s);
  }
}

void drive_step(drive_t *d, const drive_inputs_t *in) {
  d->now_ms = in->now_ms;
  measure(d, in);
  latch_if_pressed(d, in->inputs);
  watch_battery(d, in->battery_mv);
  watch_command(d);
  if (d->latched || !d->have_command) {
    stop_now(d);
    return;
  }
  control(d);
  if (d->stopping && d->setpoint_left_um_s == 0 && d->setpoint_right_um_s == 0) {
    stop_now(d); /* ramped down: the controlled stop is over, the motors are off */
    return;
  }
  bool left_stalled = stalled(d->pwm_left, in->left_ticks, &d->stall_left_ticks, &d->stall_left_ms);
  bool right_stalled = stalled(d->pwm_right, in->right_ticks, &d->stall_right_ticks, &d->stall_right_ms);
  if (left_stalled || right_stalled) {
    d->fault = FAULT_ENCODER;
    stop_now(d);
  }
}

uint8_t drive_state_bits(const drive_t *d) {
  uint8_t s = 0;
  if (d->latched) s |= STATE_LATCHED;
  if (d->timed_out) s |= STATE_TIMEOUT;
  if (d->pwm_left != 0 || d->pwm_right != 0) s |= STATE_DRIVING;
  if (d->config_is_default) s |= STATE_DEFAULT_CONFIG;
  if (d->speed_left_mm_s != 0 || d->speed_right_mm_s != 0) s |= STATE_TURNING;
  if (d->stopping) s |= STATE_STOPPING;
  return s;
}
