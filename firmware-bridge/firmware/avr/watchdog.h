/* The AVR watchdog (PROTOCOL.md §4.6): resets the board when the main loop stops feeding it for
 * ~60 ms. A reset leaves every pin an input, so the motors are off until a valid command. */
#ifndef WATCHDOG_H
#define WATCHDOG_H

void watchdog_start(void);
void watchdog_feed(void);

#endif
