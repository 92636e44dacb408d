/* Wheel kinematics, ramps, the speed controller and the drive logic's safety rules. */
#include <stdlib.h>
#include <string.h>

#include "diffdrive.h"
#include "drive.h"
#include "pi.h"
#include "ramp.h"
#include "suites.h"
#include "test.h"

/* --- diffdrive --- */

static void straight_and_turning_targets(void) {
  wheel_targets_t t = diffdrive_targets(500, 0, &CONFIG_DEFAULTS);
  CHECK_EQ(t.left_mm_s, 500);
  CHECK_EQ(t.right_mm_s, 500);
  CHECK(!t.clamped);
  /* 1 rad/s on a 420 mm base: each wheel 210 mm/s off the centre speed; CCW = right faster. */
  t = diffdrive_targets(300, 1000, &CONFIG_DEFAULTS);
  CHECK_EQ(t.left_mm_s, 90);
  CHECK_EQ(t.right_mm_s, 510);
  CHECK(!t.clamped);
  t = diffdrive_targets(-250, -1500, &CONFIG_DEFAULTS);
  CHECK_EQ(t.left_mm_s, 65);
  CHECK_EQ(t.right_mm_s, -565);
  CHECK(!t.clamped);
  t = diffdrive_targets(0, 1, &CONFIG_DEFAULTS); /* 0.21 mm/s rounds to 0, symmetrically */
  CHECK_EQ(t.left_mm_s, -t.right_mm_s);
}

static void linear_and_angular_clamped(void) {
  wheel_targets_t t = diffdrive_targets(1500, 0, &CONFIG_DEFAULTS);
  CHECK(t.clamped);
  CHECK_EQ(t.left_mm_s, 1000);
  CHECK_EQ(t.right_mm_s, 1000);
  t = diffdrive_targets(-32768, 0, &CONFIG_DEFAULTS);
  CHECK(t.clamped);
  CHECK_EQ(t.left_mm_s, -1000);
  t = diffdrive_targets(0, 2000, &CONFIG_DEFAULTS);
  CHECK(t.clamped);
  CHECK_EQ(t.right_mm_s, 315); /* w clamped to 1500 mrad/s */
  CHECK_EQ(t.left_mm_s, -315);
  t = diffdrive_targets(1000, 0, &CONFIG_DEFAULTS);
  CHECK(!t.clamped); /* exactly at the limit is not clamped */
}

static void wheel_overspeed_scaled_keeping_curvature(void) {
  /* 900 mm/s with 1 rad/s wants 690 / 1110: the right wheel is over; both scale by 1000/1110. */
  wheel_targets_t t = diffdrive_targets(900, 1000, &CONFIG_DEFAULTS);
  CHECK(t.clamped);
  CHECK_EQ(t.right_mm_s, 1000);
  CHECK_EQ(t.left_mm_s, 690 * 1000 / 1110);
  /* Every command in range ends within the limits. */
  test_seed(3);
  for (int i = 0; i < 20000; i++) {
    int16_t v = (int16_t)test_random(), w = (int16_t)test_random();
    t = diffdrive_targets(v, w, &CONFIG_DEFAULTS);
    REQUIRE(abs(t.left_mm_s) <= 1000 && abs(t.right_mm_s) <= 1000);
  }
}

/* --- ramp --- */

static void ramp_moves_by_max_accel_per_ms(void) {
  int32_t s = 0;
  int steps = 0;
  while (s != 1000000 && steps < 10000) {
    int32_t next = ramp_step(s, 1000000, 800);
    REQUIRE(next - s <= 800 && next >= s);
    s = next;
    steps++;
  }
  CHECK_EQ(steps, 1250); /* 1 m/s at 0.8 m/s^2 */
  CHECK_EQ(ramp_step(0, 500, 800), 500); /* lands on the target, no overshoot */
  CHECK_EQ(ramp_step(1000, -1000, 800), 200);
  CHECK_EQ(ramp_step(-500000, -500000, 800), -500000);
}

/* --- PI and a simulated wheel --- */

/* A DC motor wheel: first-order lag toward gain * pwm, with encoder ticks counted as it turns. */
typedef struct {
  double speed_mm_s;
  double mm_s_per_pwm;
  double tau_ms;
  double position_ticks;
  double ticks_per_mm;
  bool stalled;
} wheel_t;

static void wheel_step(wheel_t *w, int16_t pwm) {
  double goal = w->stalled ? 0.0 : pwm * w->mm_s_per_pwm;
  w->speed_mm_s += (goal - w->speed_mm_s) / w->tau_ms;
  w->position_ticks += w->speed_mm_s * w->ticks_per_mm / 1000.0;
}

static int32_t wheel_ticks(const wheel_t *w) { return (int32_t)w->position_ticks; }

static void pi_holds_speed_with_a_mismatched_motor(void) {
  /* The motor is 15 % slower than the feed-forward assumes; the integrator makes up for it. */
  wheel_t w = {0, 0.85 * MOTOR_MM_S_AT_FULL_PWM / PWM_MAX, 40, 0, 2.0, false};
  pi_state_t pi;
  pi_reset(&pi);
  int32_t history[20] = {0};
  double sum = 0;
  for (int ms = 0; ms < 3000; ms++) {
    int32_t now = wheel_ticks(&w);
    int32_t measured = (now - history[ms % 20]) * 50000 / 2000;
    history[ms % 20] = now;
    int16_t pwm = pi_step(&pi, 600, (int16_t)measured);
    wheel_step(&w, pwm);
    if (ms >= 2000) sum += w.speed_mm_s;
  }
  double mean = sum / 1000;
  CHECK(mean > 600 * 0.98 && mean < 600 * 1.02);
}

static void pi_output_saturates_without_windup(void) {
  pi_state_t pi;
  pi_reset(&pi);
  for (int ms = 0; ms < 5000; ms++) REQUIRE(pi_step(&pi, 1000, 0) <= PWM_MAX);
  CHECK_EQ(pi_step(&pi, 1000, 0), PWM_MAX);
  /* Wound up against the limit for 5 s, yet at speed the output falls back at once. */
  CHECK(pi_step(&pi, 1000, 1000) <= PWM_MAX);
  CHECK(pi.integral_q16 <= ((int32_t)PWM_MAX << 16));
  pi_reset(&pi);
  CHECK_EQ(pi_step(&pi, -3000, 0), -PWM_MAX);
}

/* --- drive logic --- */

typedef struct {
  drive_t d;
  wheel_t left, right;
  uint32_t now;
  uint16_t seq; /* the last seq sent: each command is newer (PROTOCOL.md §3.3) */
  uint8_t inputs;
  uint16_t battery_mv;
} rig_t;

static void rig_init(rig_t *r) {
  memset(r, 0, sizeof *r);
  drive_init(&r->d);
  wheel_t w = {0, 0.9 * MOTOR_MM_S_AT_FULL_PWM / PWM_MAX, 40, 0, 2.0, false};
  r->left = w;
  r->right = w;
  r->battery_mv = 12600;
}

static void rig_step(rig_t *r) {
  r->now++;
  drive_inputs_t in = {r->now, wheel_ticks(&r->left), wheel_ticks(&r->right), r->inputs, r->battery_mv};
  drive_step(&r->d, &in);
  wheel_step(&r->left, r->d.pwm_left);
  wheel_step(&r->right, r->d.pwm_right);
}

static void rig_run(rig_t *r, uint32_t ms) {
  for (uint32_t i = 0; i < ms; i++) rig_step(r);
}

/* Commands every 50 ms (20 Hz, as the host does) for the given time. */
static void rig_drive(rig_t *r, int16_t v, int16_t w, uint32_t ms) {
  for (uint32_t i = 0; i < ms; i++) {
    if (i % 50 == 0) drive_command(&r->d, ++r->seq, v, w);
    rig_step(r);
  }
}

static void starts_idle_with_default_config(void) {
  rig_t r;
  rig_init(&r);
  rig_run(&r, 1000);
  CHECK_EQ(drive_state_bits(&r.d), STATE_DEFAULT_CONFIG); /* as the telemetry_idle vector */
  CHECK_EQ(r.d.fault, FAULT_NONE);
  CHECK_EQ(r.d.pwm_left, 0);
  CHECK_EQ(r.d.pwm_right, 0);
}

static void drives_at_commanded_speed(void) {
  rig_t r;
  rig_init(&r);
  CHECK_EQ(drive_command(&r.d, ++r.seq, 500, 0), ACK_ACCEPTED);
  rig_drive(&r, 500, 0, 3000);
  CHECK(drive_state_bits(&r.d) & STATE_DRIVING);
  /* Encoder rate over the last second within 2 % of 500 mm/s * 2 ticks/mm. */
  int32_t before = wheel_ticks(&r.left);
  rig_drive(&r, 500, 0, 1000);
  int32_t rate = wheel_ticks(&r.left) - before;
  CHECK(rate > 980 && rate < 1020);
  CHECK(abs(r.d.speed_left_mm_s - 500) <= 50);
  CHECK_EQ(r.d.last_seq, r.seq);
}

static void accelerates_along_the_ramp(void) {
  rig_t r;
  rig_init(&r);
  drive_command(&r.d, ++r.seq, 800, 0);
  rig_step(&r);
  CHECK_EQ(r.d.setpoint_left_um_s, 800); /* 800 mm/s^2 = 0.8 mm/s per ms */
  rig_run(&r, 99);
  CHECK_EQ(r.d.setpoint_left_um_s, 80000);
}

static void clamped_command_acknowledged_as_clamped(void) {
  rig_t r;
  rig_init(&r);
  CHECK_EQ(drive_command(&r.d, ++r.seq, 2000, 0), ACK_CLAMPED);
  CHECK_EQ(r.d.target_left_mm_s, 1000);
  CHECK_EQ(drive_command(&r.d, ++r.seq, 0, 3000), ACK_CLAMPED);
}

static void command_timeout_brakes_to_a_stop(void) {
  rig_t r;
  rig_init(&r);
  rig_drive(&r, 500, 0, 1000);
  drive_command(&r.d, ++r.seq, 500, 0);
  uint32_t command_ms = r.now;
  uint32_t timeout_ms = 0, motors_off_ms = 0;
  int32_t setpoint_before = 0;
  for (int i = 0; i < 1000 && !motors_off_ms; i++) {
    setpoint_before = r.d.setpoint_left_um_s;
    rig_step(&r);
    if (!timeout_ms && (drive_state_bits(&r.d) & STATE_TIMEOUT)) {
      timeout_ms = r.now;
      CHECK(drive_state_bits(&r.d) & STATE_STOPPING);
      CHECK_EQ(r.d.fault, FAULT_TIMEOUT);
    } else if (timeout_ms && r.d.setpoint_left_um_s > 0) {
      /* Ramping down at the stop deceleration (3000 mm/s^2 = 3000 um/s per ms), braking. */
      REQUIRE(setpoint_before - r.d.setpoint_left_um_s == (int32_t)DRIVE_STOP_DECEL_MM_S2);
    }
    if (timeout_ms && !(drive_state_bits(&r.d) & (STATE_DRIVING | STATE_STOPPING))) motors_off_ms = r.now;
  }
  CHECK(timeout_ms - command_ms <= DRIVE_COMMAND_TIMEOUT_MS);
  CHECK(timeout_ms - command_ms >= DRIVE_COMMAND_TIMEOUT_MS - DRIVE_TIMEOUT_GUARD_MS);
  /* 500 mm/s at 3 m/s^2: 167 ms of ramp, then the motors are off. */
  CHECK(motors_off_ms - timeout_ms <= 500000 / DRIVE_STOP_DECEL_MM_S2 + 2);
  CHECK(!(drive_state_bits(&r.d) & STATE_STOPPING));
  CHECK(drive_state_bits(&r.d) & STATE_TIMEOUT);
  /* The wheels followed the ramp: they are (nearly) still when the motors go off, and still soon after. */
  CHECK(abs(r.d.speed_left_mm_s) <= 100);
  rig_run(&r, 200);
  CHECK_EQ(r.d.speed_left_mm_s, 0);
  CHECK(!(drive_state_bits(&r.d) & STATE_TURNING));
  CHECK_EQ(r.d.fault, FAULT_TIMEOUT);
  /* The next valid command drives again. */
  CHECK_EQ(drive_command(&r.d, ++r.seq, 300, 0), ACK_ACCEPTED);
  rig_run(&r, 10); /* from standstill, up the ramp */
  CHECK(r.d.pwm_left > 0);
  CHECK(!(drive_state_bits(&r.d) & STATE_TIMEOUT));
  CHECK_EQ(r.d.fault, FAULT_NONE);
}

static void bumper_stops_at_once_and_latches(void) {
  rig_t r;
  rig_init(&r);
  rig_drive(&r, 800, 0, 2000);
  CHECK(r.d.pwm_left > 100);
  r.inputs = INPUT_BUMPER;
  rig_step(&r);
  CHECK_EQ(r.d.pwm_left, 0); /* no ramp */
  CHECK_EQ(r.d.pwm_right, 0);
  CHECK_EQ(drive_state_bits(&r.d) & STATE_LATCHED, STATE_LATCHED);
  CHECK_EQ(r.d.fault, FAULT_BUMPER);
  r.inputs = 0; /* released: still latched */
  rig_run(&r, 10);
  CHECK(r.d.latched);
  uint16_t accepted = r.d.last_seq;
  CHECK_EQ(drive_command(&r.d, ++r.seq, 300, 0), ACK_REFUSED_LATCHED);
  CHECK_EQ(r.d.last_seq, accepted); /* a refused command is not "the last accepted" */
  rig_run(&r, 10);
  CHECK_EQ(r.d.pwm_left, 0);
  CHECK_EQ(drive_clear_stop(&r.d, INPUT_BUMPER), CMD_REFUSED_PRESSED); /* pressed again */
  CHECK(r.d.latched);
  CHECK_EQ(drive_clear_stop(&r.d, 0), CMD_DONE);
  CHECK(!r.d.latched);
  CHECK_EQ(drive_clear_stop(&r.d, 0), CMD_NOTHING_TO_DO);
  rig_run(&r, 10);
  CHECK_EQ(r.d.pwm_left, 0); /* cleared, but no motion until a new command */
  CHECK_EQ(drive_command(&r.d, ++r.seq, 300, 0), ACK_ACCEPTED);
  rig_step(&r);
  CHECK(r.d.pwm_left != 0);
}

static void estop_latches_with_its_own_fault(void) {
  rig_t r;
  rig_init(&r);
  rig_drive(&r, 300, 0, 500);
  r.inputs = INPUT_ESTOP;
  rig_step(&r);
  CHECK_EQ(r.d.fault, FAULT_ESTOP);
  CHECK_EQ(r.d.pwm_left, 0);
  CHECK_EQ(drive_clear_stop(&r.d, INPUT_ESTOP), CMD_REFUSED_PRESSED);
  r.inputs = INPUT_ESTOP | INPUT_BUMPER;
  rig_init(&r);
  r.inputs = INPUT_ESTOP | INPUT_BUMPER;
  rig_step(&r);
  CHECK_EQ(r.d.fault, FAULT_ESTOP);
}

static void battery_low_for_a_second_stops(void) {
  rig_t r;
  rig_init(&r);
  r.battery_mv = 10400;
  rig_drive(&r, 400, 0, 999);
  CHECK(r.d.pwm_left != 0); /* 999 ms low: still driving */
  CHECK(!(drive_state_bits(&r.d) & STATE_STOPPING));
  rig_step(&r);
  CHECK_EQ(r.d.fault, FAULT_BATTERY_LOW);
  CHECK(drive_state_bits(&r.d) & STATE_STOPPING); /* a controlled stop, as the timeout's */
  CHECK_EQ(drive_command(&r.d, ++r.seq, 400, 0), ACK_REFUSED_BATTERY);
  rig_run(&r, 400 / 3 + 2); /* 400 mm/s at 3 m/s^2 */
  CHECK_EQ(r.d.pwm_left, 0);
  CHECK(!(drive_state_bits(&r.d) & STATE_STOPPING));
  CHECK_EQ(r.d.fault, FAULT_BATTERY_LOW);
  r.battery_mv = 12000;
  rig_drive(&r, 400, 0, 1100);
  CHECK(r.d.pwm_left != 0); /* a second above the threshold: drives again */
}

static void battery_low_while_latched_keeps_the_latch_fault(void) {
  rig_t r;
  rig_init(&r);
  r.inputs = INPUT_BUMPER;
  rig_step(&r);
  r.battery_mv = 10000;
  rig_run(&r, 1500);
  CHECK(r.d.battery_low);
  CHECK_EQ(r.d.fault, FAULT_BUMPER);
}

static void short_battery_dip_ignored(void) {
  rig_t r;
  rig_init(&r);
  r.battery_mv = 9000; /* a motor start sags the battery */
  rig_drive(&r, 400, 0, 500);
  r.battery_mv = 12000;
  rig_drive(&r, 400, 0, 600);
  r.battery_mv = 9000;
  rig_drive(&r, 400, 0, 900);
  CHECK(r.d.pwm_left != 0);
  CHECK_EQ(r.d.fault, FAULT_NONE);
}

static void encoder_fault_after_half_a_second_without_ticks(void) {
  rig_t r;
  rig_init(&r);
  r.left.stalled = true;
  uint32_t fault_ms = 0;
  for (int i = 0; i < 3000 && !fault_ms; i++) {
    if (i % 50 == 0) drive_command(&r.d, ++r.seq, 500, 0);
    rig_step(&r);
    if (r.d.fault == FAULT_ENCODER) fault_ms = r.now;
  }
  CHECK(fault_ms > 0);
  CHECK_EQ(r.d.pwm_left, 0);
  CHECK_EQ(r.d.pwm_right, 0);
  /* PWM passes 30 % while the ramp is still low; the fault needs 500 ms above it from there. */
  CHECK(fault_ms >= DRIVE_ENCODER_FAULT_MS);
  CHECK(fault_ms < DRIVE_ENCODER_FAULT_MS + 400);
}

static void slow_driving_is_not_an_encoder_fault(void) {
  rig_t r;
  rig_init(&r);
  rig_drive(&r, 60, 0, 3000); /* low PWM: below 30 %, never a fault even when ticks are sparse */
  CHECK_EQ(r.d.fault, FAULT_NONE);
}

static void system_reset_stops_but_keeps_latch(void) {
  rig_t r;
  rig_init(&r);
  rig_drive(&r, 500, 0, 500);
  drive_halt(&r.d);
  rig_step(&r);
  CHECK_EQ(r.d.pwm_left, 0);
  CHECK(!r.d.latched);
  r.inputs = INPUT_BUMPER;
  rig_step(&r);
  r.inputs = 0;
  drive_halt(&r.d);
  CHECK(r.d.latched);
  CHECK_EQ(drive_command(&r.d, ++r.seq, 100, 0), ACK_REFUSED_LATCHED);
}

static void set_config_applies_new_limits(void) {
  rig_t r;
  rig_init(&r);
  config_t c = CONFIG_DEFAULTS;
  c.max_speed_mm_s = 400;
  drive_set_config(&r.d, &c);
  CHECK(!(drive_state_bits(&r.d) & STATE_DEFAULT_CONFIG));
  CHECK_EQ(drive_command(&r.d, ++r.seq, 500, 0), ACK_CLAMPED);
  CHECK_EQ(r.d.target_left_mm_s, 400);
  drive_set_config(&r.d, &CONFIG_DEFAULTS); /* even the default values: no longer "default" */
  CHECK(!(drive_state_bits(&r.d) & STATE_DEFAULT_CONFIG));
}

static void speed_measured_over_20_ms_across_wrap(void) {
  drive_t d;
  drive_init(&d);
  int32_t ticks = INT32_MAX - 10; /* the counter wraps during the run */
  for (uint32_t ms = 1; ms <= 100; ms++) {
    drive_inputs_t in = {ms, ticks, (int32_t)-ms * 2, 0, 12600};
    drive_step(&d, &in);
    ticks = (int32_t)((uint32_t)ticks + 1u);
  }
  CHECK_EQ(d.speed_left_mm_s, 500);   /* 1 tick/ms at 2000 ticks/m */
  CHECK_EQ(d.speed_right_mm_s, -1000);
}

static void resumes_from_coasting_speed(void) {
  rig_t r;
  rig_init(&r);
  rig_drive(&r, 600, 0, 2000);
  rig_run(&r, 260); /* timed out: braking along the stop ramp */
  CHECK(drive_state_bits(&r.d) & STATE_STOPPING);
  int32_t braking_setpoint = r.d.setpoint_left_um_s;
  CHECK(braking_setpoint > 0 && braking_setpoint < 600000);
  drive_command(&r.d, ++r.seq, 600, 0);
  CHECK(!(drive_state_bits(&r.d) & STATE_STOPPING));
  rig_step(&r);
  /* picks up from where the ramp was, at the normal acceleration: no jolt either way */
  CHECK_EQ(r.d.setpoint_left_um_s, braking_setpoint + CONFIG_DEFAULTS.max_accel_mm_s2);
  /* after a stop that has ended, it picks up from the wheel's measured speed */
  rig_run(&r, 600);
  CHECK(!r.d.have_command);
  drive_command(&r.d, ++r.seq, 600, 0);
  CHECK_EQ(r.d.setpoint_left_um_s, (int32_t)r.d.speed_left_mm_s * 1000);
}

static void stale_commands_change_nothing(void) {
  rig_t r;
  rig_init(&r);
  rig_drive(&r, 400, 0, 500);
  uint16_t last = r.d.last_seq;
  uint32_t command_ms = r.d.command_ms;
  /* A replayed command (the last one again) and an older one: refused, no effect on targets,
   * the timeout or last_seq. */
  CHECK_EQ(drive_command(&r.d, last, -400, 0), ACK_REFUSED_STALE);
  CHECK_EQ(drive_command(&r.d, (uint16_t)(last - 1), -400, 0), ACK_REFUSED_STALE);
  CHECK_EQ(r.d.target_left_mm_s, 400);
  CHECK_EQ(r.d.last_seq, last);
  CHECK_EQ(r.d.command_ms, command_ms);
  /* Replays alone do not keep the robot driving: the timeout still fires. */
  for (int i = 0; i < 300; i++) {
    if (i % 20 == 0) drive_command(&r.d, last, 400, 0);
    rig_step(&r);
  }
  CHECK(drive_state_bits(&r.d) & STATE_TIMEOUT);
  /* SYSTEM_RESET opens the window: an older seq is accepted once. */
  drive_halt(&r.d);
  CHECK_EQ(drive_command(&r.d, (uint16_t)(last - 100), 200, 0), ACK_ACCEPTED);
  CHECK_EQ(drive_command(&r.d, (uint16_t)(last - 100), 200, 0), ACK_REFUSED_STALE);
}

static void serial_number_arithmetic(void) {
  CHECK(drive_seq_newer(1, 0));
  CHECK(drive_seq_newer(0, 65535));
  CHECK(drive_seq_newer(32767, 0));
  CHECK(!drive_seq_newer(32768, 0));
  CHECK(!drive_seq_newer(5, 5));
  CHECK(!drive_seq_newer(65535, 3));
}

static void turning_bit_follows_measured_speed(void) {
  rig_t r;
  rig_init(&r);
  CHECK(!(drive_state_bits(&r.d) & STATE_TURNING));
  rig_drive(&r, 300, 0, 500);
  CHECK(drive_state_bits(&r.d) & STATE_TURNING);
  r.inputs = INPUT_BUMPER; /* cut at once: the wheels roll on for a while */
  rig_step(&r);
  CHECK(!(drive_state_bits(&r.d) & STATE_DRIVING));
  CHECK(drive_state_bits(&r.d) & STATE_TURNING);
  rig_run(&r, 2000);
  CHECK(!(drive_state_bits(&r.d) & STATE_TURNING));
}

void suite_drive(void) {
  RUN(stale_commands_change_nothing);
  RUN(serial_number_arithmetic);
  RUN(turning_bit_follows_measured_speed);
  RUN(straight_and_turning_targets);
  RUN(linear_and_angular_clamped);
  RUN(wheel_overspeed_scaled_keeping_curvature);
  RUN(ramp_moves_by_max_accel_per_ms);
  RUN(pi_holds_speed_with_a_mismatched_motor);
  RUN(pi_output_saturates_without_windup);
  RUN(starts_idle_with_default_config);
  RUN(drives_at_commanded_speed);
  RUN(accelerates_along_the_ramp);
  RUN(clamped_command_acknowledged_as_clamped);
  RUN(command_timeout_brakes_to_a_stop);
  RUN(bumper_stops_at_once_and_latches);
  RUN(estop_latches_with_its_own_fault);
  RUN(battery_low_for_a_second_stops);
  RUN(battery_low_while_latched_keeps_the_latch_fault);
  RUN(short_battery_dip_ignored);
  RUN(encoder_fault_after_half_a_second_without_ticks);
  RUN(slow_driving_is_not_an_encoder_fault);
  RUN(system_reset_stops_but_keeps_latch);
  RUN(set_config_applies_new_limits);
  RUN(speed_measured_over_20_ms_across_wrap);
  RUN(resumes_from_coasting_speed);
}
