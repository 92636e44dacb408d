#include "ramp.h"

int32_t ramp_step(int32_t current_um_s, int32_t target_um_s, uint16_t max_accel_mm_s2) {
  int32_t step = max_accel_mm_s2; /* um/s per ms */
  if (target_um_s > current_um_s) {
    return target_um_s - current_um_s > step ? current_um_s + step : target_um_s;
  }
  return current_um_s - target_um_s > step ? current_um_s - step : target_um_s;
}
