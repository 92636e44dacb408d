/* The RGB status LED (PROTOCOL.md §1, §3.2): red D5 (OC0B) and green D6 (OC0A) on Timer0, blue
 * D11 (OC2A) on Timer2, all 8-bit fast PWM. Patterns are computed from the uptime each step. */
#ifndef LEDS_H
#define LEDS_H

#include <stdint.h>

void leds_init(void);

/* A validated SET_LEDS (pattern 0..5). */
void leds_set(uint8_t pattern, uint8_t red, uint8_t green, uint8_t blue);

/* Call every 1 ms step. */
void leds_update(uint32_t now_ms);

#endif
