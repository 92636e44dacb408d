/* Configuration validation, LED patterns and the battery reading. */
#include <stddef.h>

#include "battery.h"
#include "config.h"
#include "led_pattern.h"
#include "suites.h"
#include "sysex_codec.h"
#include "test.h"

static void defaults_match_protocol(void) {
  CHECK_EQ(CONFIG_DEFAULTS.wheel_base_mm, 420);
  CHECK_EQ(CONFIG_DEFAULTS.ticks_per_m, 2000);
  CHECK_EQ(CONFIG_DEFAULTS.max_speed_mm_s, 1000);
  CHECK_EQ(CONFIG_DEFAULTS.max_accel_mm_s2, 800);
  CHECK_EQ(CONFIG_DEFAULTS.max_angular_mrad_s, 1500);
  CHECK(config_valid(&CONFIG_DEFAULTS));
}

/* Each field at min-1, min, max, max+1 with the others at their defaults. */
static void config_ranges_inclusive(void) {
  static const struct {
    size_t offset;
    uint16_t lo, hi;
  } fields[] = {
      {offsetof(config_t, wheel_base_mm), 100, 1000},   {offsetof(config_t, ticks_per_m), 100, 20000},
      {offsetof(config_t, max_speed_mm_s), 50, 3000},   {offsetof(config_t, max_accel_mm_s2), 50, 5000},
      {offsetof(config_t, max_angular_mrad_s), 100, 6000},
  };
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
    const uint16_t values[4] = {(uint16_t)(fields[i].lo - 1), fields[i].lo, fields[i].hi, (uint16_t)(fields[i].hi + 1)};
    const bool valid[4] = {false, true, true, false};
    for (int k = 0; k < 4; k++) {
      config_t c = CONFIG_DEFAULTS;
      *(uint16_t *)((uint8_t *)&c + fields[i].offset) = values[k];
      CHECK_EQ(config_valid(&c), valid[k]);
    }
  }
  config_t zero = {0, 0, 0, 0, 0};
  CHECK(!config_valid(&zero));
}

static void led_patterns_over_time(void) {
  CHECK_EQ(led_pattern_level(LED_OFF, 123), 0);
  CHECK_EQ(led_pattern_level(LED_GUIDING, 5), 255);
  CHECK_EQ(led_pattern_level(LED_STEADY, 99999), 255);
  CHECK_EQ(led_pattern_level(LED_WAITING, 100), 255);
  CHECK_EQ(led_pattern_level(LED_WAITING, 600), 0);
  CHECK_EQ(led_pattern_level(LED_ERROR, 50), 255);
  CHECK_EQ(led_pattern_level(LED_ERROR, 150), 0);
  CHECK_EQ(led_pattern_level(LED_ERROR, 250), 255);
  CHECK_EQ(led_pattern_level(LED_IDLE, 0), 0);
  CHECK_EQ(led_pattern_level(LED_IDLE, 2000), 255);
  CHECK_EQ(led_pattern_level(LED_IDLE, 4000), 0);
  CHECK(led_pattern_level(LED_IDLE, 1000) < led_pattern_level(LED_IDLE, 1500));
  CHECK_EQ(led_pattern_level(LED_IDLE, 1000), led_pattern_level(LED_IDLE, 3000)); /* symmetric */
  CHECK_EQ(led_pattern_level(42, 0), 0);
}

static void led_colour_scaled(void) {
  CHECK_EQ(led_scale(255, 255), 255);
  CHECK_EQ(led_scale(64, 255), 64);
  CHECK_EQ(led_scale(255, 0), 0);
  CHECK_EQ(led_scale(200, 128), 100);
}

static void battery_from_adc(void) {
  CHECK_EQ(battery_mv_from_adc(0), 0);
  CHECK_EQ(battery_mv_from_adc(1023), 14985);
  CHECK_EQ(battery_mv_from_adc(860), 12598); /* 12.6 V through the 1:3 divider reads 860 */
  CHECK_EQ(battery_mv_from_adc(717), 10503);
  CHECK_EQ(battery_mv_from_adc(5000), 14985);
}

static void battery_filter_smooths_and_starts_at_first_sample(void) {
  battery_filter_t f = {0, 0};
  CHECK_EQ(battery_filter(&f, 12600), 12600);
  uint16_t v = 0;
  for (int i = 0; i < 200; i++) v = battery_filter(&f, (uint16_t)(i % 2 ? 12700 : 12500));
  CHECK(v >= 12550 && v <= 12650);
  for (int i = 0; i < 100; i++) v = battery_filter(&f, 10000);
  CHECK_EQ(v, 10000);
}

void suite_misc(void) {
  RUN(defaults_match_protocol);
  RUN(config_ranges_inclusive);
  RUN(led_patterns_over_time);
  RUN(led_colour_scaled);
  RUN(battery_from_adc);
  RUN(battery_filter_smooths_and_starts_at_first_sample);
}
