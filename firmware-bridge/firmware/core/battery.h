/* Battery voltage from the ADC (PROTOCOL.md §1: A0 through a 1:3 divider, 0-15 V -> 0-5 V,
 * 10-bit, AVCC reference). */
#ifndef BATTERY_H
#define BATTERY_H

#include <stdint.h>

#define BATTERY_FULL_SCALE_MV 15000u

/* mV at the battery for a 10-bit reading: reading * 15000 / 1024, rounded. */
uint16_t battery_mv_from_adc(uint16_t reading);

/* Smooths ADC noise (and H-bridge switching spikes) with an exponential average over ~8 samples,
 * state in mV * 8. Starts at the first sample rather than at 0 so the battery-low filter does not
 * see a fake empty battery at start-up. */
typedef struct {
  uint32_t sum_x8;
  uint8_t primed;
} battery_filter_t;

uint16_t battery_filter(battery_filter_t *f, uint16_t mv);

#endif
