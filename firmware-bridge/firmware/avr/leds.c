#include "leds.h"

#include <avr/io.h>

#include "board.h"
#include "led_pattern.h"
#include "sysex_codec.h"

/* Until the host says otherwise: breathing dim white, "powered and idle". */
static uint8_t pattern = LED_IDLE;
static uint8_t colour[3] = {64, 64, 64};

void leds_init(void) {
  PORTD &= (uint8_t)~(_BV(LED_RED_BIT) | _BV(LED_GREEN_BIT));
  DDRD |= _BV(LED_RED_BIT) | _BV(LED_GREEN_BIT);
  PORTB &= (uint8_t)~_BV(LED_BLUE_BIT);
  DDRB |= _BV(LED_BLUE_BIT);
  /* Timer0's mode and clock belong to the tick; Timer2 mirrors them (fast PWM, clk/64, ~977 Hz). */
  TCCR2A = _BV(WGM21) | _BV(WGM20);
  TCCR2B = _BV(CS22);
}

void leds_set(uint8_t p, uint8_t red, uint8_t green, uint8_t blue) {
  pattern = p;
  colour[0] = red;
  colour[1] = green;
  colour[2] = blue;
}

/* Fast PWM still emits a one-count pulse at OCR 0, so "off" disconnects the compare output and
 * lets the port bit (low) drive the pin: a dark LED is really dark. */
void leds_update(uint32_t now_ms) {
  uint8_t level = led_pattern_level(pattern, now_ms);
  uint8_t red = led_scale(colour[0], level);
  uint8_t green = led_scale(colour[1], level);
  uint8_t blue = led_scale(colour[2], level);

  uint8_t a0 = (uint8_t)(TCCR0A & (uint8_t)~(_BV(COM0A1) | _BV(COM0B1)));
  if (green) a0 |= _BV(COM0A1);
  if (red) a0 |= _BV(COM0B1);
  OCR0A = green;
  OCR0B = red;
  TCCR0A = a0;

  OCR2A = blue;
  TCCR2A = blue ? (uint8_t)(_BV(COM2A1) | _BV(WGM21) | _BV(WGM20)) : (uint8_t)(_BV(WGM21) | _BV(WGM20));
}
