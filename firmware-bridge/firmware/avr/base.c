#include "base.h"

#include "adc.h"
#include "battery.h"
#include "board.h"
#include "drive.h"
#include "encoders.h"
#include "inputs.h"
#include "leds.h"
#include "link.h"
#include "motors.h"
#include "uart.h"

/* With the round robin over at most four channels a battery reading lands every ~0.5 ms; none for
 * 100 ms means the ADC is not working, and an unknown battery is treated as an empty one (the
 * battery-low rule then stops the motors after its 1 s). */
#define BATTERY_STALE_MS 100u

static drive_t drive;
static battery_filter_t battery;
static uint16_t battery_mv;
static uint8_t battery_seen;
static uint16_t battery_stale_ms;

void base_init(void) {
  drive_init(&drive);
  battery.primed = 0;
  battery_seen = adc_battery_samples();
}

static void update_battery(void) {
  uint8_t samples = adc_battery_samples();
  if (samples != battery_seen) {
    battery_seen = samples;
    battery_stale_ms = 0;
    battery_mv = battery_filter(&battery, battery_mv_from_adc(adc_value(BATTERY_ADC_CHANNEL)));
  } else if (battery_stale_ms < BATTERY_STALE_MS) {
    battery_stale_ms++;
  } else {
    battery_mv = 0;
    battery.primed = 0;
  }
}

static void send_telemetry(uint32_t now_ms) {
  msg_telemetry_t t;
  encoders_read(&t.left_ticks, &t.right_ticks);
  t.last_seq = drive.last_seq;
  t.left_speed_mm_s = drive.speed_left_mm_s;
  t.right_speed_mm_s = drive.speed_right_mm_s;
  t.battery_mv = battery_mv;
  t.inputs = inputs_now();
  t.state = drive_state_bits(&drive);
  t.fault = drive.fault;
  t.rejected_frames = link_rejected_frames();
  t.uptime_ms = now_ms;
  uint8_t frame[DB_FRAME_MAX];
  uart_send(frame, msg_encode_telemetry(&t, frame));
}

void base_step(uint32_t now_ms) {
  drive_inputs_t in;
  in.now_ms = now_ms;
  encoders_read(&in.left_ticks, &in.right_ticks);
  in.inputs = inputs_take();
  update_battery();
  in.battery_mv = battery_mv;
  drive_step(&drive, &in);
  motors_set(drive.pwm_left, drive.pwm_right);
  if (now_ms % TELEMETRY_PERIOD_MS == 0) send_telemetry(now_ms);
}

void base_on_velocity(const msg_set_velocity_t *v) {
  msg_velocity_ack_t ack;
  ack.seq = v->seq;
  ack.status = drive_command(&drive, v->seq, v->linear_mm_s, v->angular_mrad_s);
  uint8_t frame[DB_FRAME_MAX];
  uart_send_priority(frame, msg_encode_velocity_ack(&ack, frame));
}

void base_on_query_config(void) {
  uint8_t frame[DB_FRAME_MAX];
  uart_send(frame, msg_encode_config(DB_CONFIG_REPORT, &drive.config, frame));
}

void base_on_set_config(const config_t *c) {
  drive_set_config(&drive, c);
  base_on_query_config();
}

static void send_command_ack(uint8_t command, uint8_t status) {
  msg_command_ack_t ack = {command, status};
  uint8_t frame[DB_FRAME_MAX];
  uart_send(frame, msg_encode_command_ack(&ack, frame));
}

void base_on_clear_stop(void) {
  uint8_t status = drive_clear_stop(&drive, inputs_now());
  if (status == CMD_DONE) motors_release();
  send_command_ack(DB_CLEAR_STOP, status);
}

void base_on_set_leds(const msg_set_leds_t *l) {
  leds_set(l->pattern, l->red, l->green, l->blue);
  send_command_ack(DB_SET_LEDS, CMD_DONE);
}

void base_halt(void) {
  drive_halt(&drive);
  motors_set(0, 0);
}
