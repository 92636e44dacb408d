#include "config.h"

const config_t CONFIG_DEFAULTS = {
    .wheel_base_mm = 420,
    .ticks_per_m = 2000,
    .max_speed_mm_s = 1000,
    .max_accel_mm_s2 = 800,
    .max_angular_mrad_s = 1500,
};

static bool within(uint16_t v, uint16_t lo, uint16_t hi) { return v >= lo && v <= hi; }

bool config_valid(const config_t *c) {
  return within(c->wheel_base_mm, CONFIG_WHEEL_BASE_MIN, CONFIG_WHEEL_BASE_MAX) &&
         within(c->ticks_per_m, CONFIG_TICKS_MIN, CONFIG_TICKS_MAX) &&
         within(c->max_speed_mm_s, CONFIG_SPEED_MIN, CONFIG_SPEED_MAX) &&
         within(c->max_accel_mm_s2, CONFIG_ACCEL_MIN, CONFIG_ACCEL_MAX) &&
         within(c->max_angular_mrad_s, CONFIG_ANGULAR_MIN, CONFIG_ANGULAR_MAX);
}
