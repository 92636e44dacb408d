#include "inputs.h"

#include <avr/interrupt.h>
#include <avr/io.h>
#include <util/atomic.h>

#include "board.h"
#include "motors.h"
#include "sysex_codec.h"

static volatile uint8_t seen;

uint8_t inputs_now(void) {
  uint8_t p = PINC;
  uint8_t s = 0;
  if (!(p & _BV(BUMPER_BIT))) s |= INPUT_BUMPER; /* low = pressed */
  if (p & _BV(ESTOP_BIT)) s |= INPUT_ESTOP;      /* high = pressed, and a cut wire reads high */
  return s;
}

void inputs_init(void) {
  DDRC &= (uint8_t)~(_BV(BUMPER_BIT) | _BV(ESTOP_BIT));
  PORTC |= _BV(BUMPER_BIT) | _BV(ESTOP_BIT);
  PCMSK1 = _BV(PCINT9) | _BV(PCINT10); /* PC1, PC2 only: the free Firmata pins A3..A5 do not wake it */
  PCIFR = _BV(PCIF1);
  PCICR |= _BV(PCIE1);
}

/* No debounce on purpose: the first contact of a bumper is the one that matters. A bounce only
 * re-latches a stop that is already latched. */
ISR(PCINT1_vect) {
  uint8_t s = inputs_now();
  if (s) {
    motors_emergency_off();
    seen |= s;
  }
}

uint8_t inputs_take(void) {
  uint8_t s;
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) {
    s = (uint8_t)(seen | inputs_now());
    seen = 0;
  }
  return s;
}
