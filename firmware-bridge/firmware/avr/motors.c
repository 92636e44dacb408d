#include "motors.h"

#include <avr/io.h>
#include <util/atomic.h>

#include "board.h"

#define DIR_MASK (_BV(MOTOR_LEFT_DIR_BIT) | _BV(MOTOR_RIGHT_DIR_BIT))

/* Set by the input interrupt, cleared only by motors_release: the main loop cannot undo an
 * emergency stop it has not yet seen. */
static volatile uint8_t inhibited;

/* Silicon resets every I/O register, so after a reset the PWM is off anyway; an emulator may keep
 * the timer running through a watchdog reset (avr8js does). Cut it before the C runtime's start-up,
 * which spends a while clearing RAM. .init3 runs after the stack and zero register are set up. */
void motors_off_at_reset(void) __attribute__((naked, used, section(".init3")));
void motors_off_at_reset(void) {
  TCCR1A = 0;
  OCR1A = 0;
  OCR1B = 0;
  PORTB &= (uint8_t)~(DIR_MASK | _BV(MOTOR_LEFT_PWM_BIT) | _BV(MOTOR_RIGHT_PWM_BIT));
}

void motors_init(void) {
  OCR1A = 0;
  OCR1B = 0;
  PORTB &= (uint8_t)~(DIR_MASK | _BV(MOTOR_LEFT_PWM_BIT) | _BV(MOTOR_RIGHT_PWM_BIT));
  DDRB |= DIR_MASK | _BV(MOTOR_LEFT_PWM_BIT) | _BV(MOTOR_RIGHT_PWM_BIT);
  /* Mode 1: phase-correct PWM, TOP 0xFF; non-inverting on both outputs. At OCR 0 the output is
   * constantly low (no glitch pulse, unlike fast PWM), so a stopped motor gets no current. */
  TCCR1A = _BV(COM1A1) | _BV(COM1B1) | _BV(WGM10);
  TCCR1B = _BV(CS10); /* clk/1: 16 MHz / 510 = 31.4 kHz */
}

static uint8_t magnitude(int16_t v) {
  if (v < 0) v = (int16_t)-v;
  return (uint8_t)(v > 255 ? 255 : v);
}

void motors_set(int16_t left, int16_t right) {
  uint8_t dir = 0;
  if (left >= 0) dir |= _BV(MOTOR_LEFT_DIR_BIT);
  if (right >= 0) dir |= _BV(MOTOR_RIGHT_DIR_BIT);
  uint8_t l = magnitude(left);
  uint8_t r = magnitude(right);
  /* With interrupts off: the inhibit check and the writes must not be split by the input
   * interrupt, and OCR1x are 16-bit registers written through the shared TEMP byte. */
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) {
    if (inhibited) {
      l = 0;
      r = 0;
    }
    PORTB = (uint8_t)((PORTB & (uint8_t)~DIR_MASK) | dir);
    OCR1A = l;
    OCR1B = r;
  }
}

void motors_emergency_off(void) {
  inhibited = 1;
  OCR1A = 0; /* called with interrupts off (from an ISR) */
  OCR1B = 0;
}

void motors_release(void) { inhibited = 0; }
