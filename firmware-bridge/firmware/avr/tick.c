#include "tick.h"

#include <avr/interrupt.h>
#include <avr/io.h>
#include <util/atomic.h>

/* Timer0 runs 8-bit fast PWM (its compare outputs are the red and green LEDs), so its period is
 * fixed at 256 counts: with the /64 prescaler that is 1024 us at 16 MHz, not 1000. The overflow
 * handler carries the extra 24 us per overflow (3 units of 8 us) and adds a millisecond when they
 * reach 1000 us (125 units), so uptime_ms keeps exact time on average, as Arduino's millis(). */
#define TICK_EXTRA_UNITS 3u /* (1024 - 1000) us / 8 us */
#define TICK_UNITS_PER_MS 125u /* 1000 us / 8 us */

static volatile uint32_t uptime_ms;
static uint8_t extra_units;

void tick_init(void) {
  TCCR0A = _BV(WGM01) | _BV(WGM00); /* fast PWM, TOP 0xFF; the LED module connects the outputs */
  TCCR0B = _BV(CS01) | _BV(CS00);   /* clk/64 */
  TIMSK0 = _BV(TOIE0);
}

ISR(TIMER0_OVF_vect) {
  uint32_t ms = uptime_ms + 1;
  uint8_t extra = (uint8_t)(extra_units + TICK_EXTRA_UNITS);
  if (extra >= TICK_UNITS_PER_MS) {
    extra = (uint8_t)(extra - TICK_UNITS_PER_MS);
    ms++;
  }
  extra_units = extra;
  uptime_ms = ms;
}

uint32_t tick_uptime_ms(void) {
  uint32_t ms;
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) { ms = uptime_ms; } /* 4 bytes: never half-updated */
  return ms;
}
