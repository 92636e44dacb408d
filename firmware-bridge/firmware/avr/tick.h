/* The 1 ms system tick and uptime (PROTOCOL.md §1: Timer0's overflow is the tick; Timer0 also
 * drives the red and green LED PWM). */
#ifndef TICK_H
#define TICK_H

#include <stdint.h>

void tick_init(void);

/* Milliseconds since start-up, wrapping at 2^32. */
uint32_t tick_uptime_ms(void);

#endif
