#include "watchdog.h"

#include <avr/io.h>
#include <avr/wdt.h>

/* After a watchdog reset the watchdog stays on at its shortest period (16 ms) until cleared, and
 * start-up (zeroing RAM, then init) could outlast that: a reset loop. So before anything else runs,
 * in .init3, clear the reset flag (WDE cannot be cleared while WDRF is set) and turn it off. */
void watchdog_early_off(void) __attribute__((naked, used, section(".init3")));
void watchdog_early_off(void) {
  MCUSR = 0;
  wdt_disable();
}

void watchdog_start(void) { wdt_enable(WDTO_60MS); }

void watchdog_feed(void) { wdt_reset(); }
