#include "battery.h"

uint16_t battery_mv_from_adc(uint16_t reading) {
  if (reading > 1023u) reading = 1023u;
  return (uint16_t)(((uint32_t)reading * BATTERY_FULL_SCALE_MV + 512u) / 1024u);
}

uint16_t battery_filter(battery_filter_t *f, uint16_t mv) {
  if (!f->primed) {
    f->sum_x8 = (uint32_t)mv * 8u;
    f->primed = 1;
  } else {
    f->sum_x8 = f->sum_x8 - (f->sum_x8 + 4u) / 8u + mv;
  }
  return (uint16_t)((f->sum_x8 + 4u) / 8u);
}
