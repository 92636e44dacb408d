/* The ADC, shared by the battery (A0, always) and the free Firmata analog inputs (A3..A5 in
 * ANALOG mode). Conversions run one at a time, started and collected from the main loop, so no
 * one ever waits ~104 us for a result. */
#ifndef ADC_H
#define ADC_H

#include <stdbool.h>
#include <stdint.h>

void adc_init(void);

/* Channels 0..5 to keep sampled besides the battery's (bit n = channel n). */
void adc_set_channels(uint8_t mask);

/* Collects a finished conversion and starts the next; call every main-loop pass. */
void adc_service(void);

/* Latest 10-bit reading of a channel (0 before its first conversion). */
uint16_t adc_value(uint8_t channel);

/* Number of battery conversions completed so far (wrapping), to tell a live ADC from a dead one. */
uint8_t adc_battery_samples(void);

#endif
