#include "adc.h"

#include <avr/io.h>

#include "board.h"

#define ADC_CHANNELS 6

static uint16_t values[ADC_CHANNELS];
static uint8_t wanted = _BV(BATTERY_ADC_CHANNEL);
static uint8_t current;
static bool converting;
static uint8_t battery_samples;

void adc_init(void) {
  /* 16 MHz / 128 = 125 kHz, within the 50-200 kHz the datasheet asks for 10-bit accuracy. */
  ADCSRA = _BV(ADEN) | _BV(ADPS2) | _BV(ADPS1) | _BV(ADPS0);
  ADMUX = _BV(REFS0) | BATTERY_ADC_CHANNEL; /* AVCC reference: the divider is sized for 5 V */
}

void adc_set_channels(uint8_t mask) { wanted = (uint8_t)((mask & 0x3Fu) | _BV(BATTERY_ADC_CHANNEL)); }

void adc_service(void) {
  if (converting) {
    if (ADCSRA & _BV(ADSC)) return; /* still converting */
    values[current] = ADC;
    if (current == BATTERY_ADC_CHANNEL) battery_samples++;
    converting = false;
  }
  /* Round robin over the wanted channels. */
  uint8_t next = current;
  for (uint8_t i = 0; i < ADC_CHANNELS; i++) {
    next = (uint8_t)((next + 1) % ADC_CHANNELS);
    if (wanted & _BV(next)) break;
  }
  current = next;
  ADMUX = (uint8_t)(_BV(REFS0) | current);
  ADCSRA |= _BV(ADSC);
  converting = true;
}

uint16_t adc_value(uint8_t channel) { return channel < ADC_CHANNELS ? values[channel] : 0; }

uint8_t adc_battery_samples(void) { return battery_samples; }
