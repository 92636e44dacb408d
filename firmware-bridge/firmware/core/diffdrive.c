#include "diffdrive.h"

static int32_t clamp_abs(int32_t v, int32_t limit, bool *clamped) {
  if (v > limit) {
    *clamped = true;
    return limit;
  }
  if (v < -limit) {
    *clamped = true;
    return -limit;
  }
  return v;
}

static int32_t abs32(int32_t v) { return v < 0 ? -v : v; }

wheel_targets_t diffdrive_targets(int16_t linear_mm_s, int16_t angular_mrad_s, const config_t *c) {
  wheel_targets_t t = {0, 0, false};
  int32_t max_speed = c->max_speed_mm_s;
  int32_t v = clamp_abs(linear_mm_s, max_speed, &t.clamped);
  int32_t w = clamp_abs(angular_mrad_s, c->max_angular_mrad_s, &t.clamped);
  /* Each wheel is half the wheel base off the centre: w [mrad/s] * b [mm] / 2 / 1000 = mm/s.
   * Rounded to nearest so a symmetric turn stays symmetric. At most 6000 * 1000 = 6e6: fits. */
  int32_t spin = w * (int32_t)c->wheel_base_mm;
  int32_t half = (spin >= 0 ? spin + 1000 : spin - 1000) / 2000;
  int32_t left = v - half;
  int32_t right = v + half;
  int32_t biggest = abs32(left) > abs32(right) ? abs32(left) : abs32(right);
  if (biggest > max_speed) {
    t.clamped = true;
    /* Truncation toward zero keeps both wheels within the limit. */
    left = left * max_speed / biggest;
    right = right * max_speed / biggest;
  }
  t.left_mm_s = (int16_t)left;
  t.right_mm_s = (int16_t)right;
  return t;
}
