/* Status LED patterns of PROTOCOL.md §3.2 as a brightness (0..255) over time, computed from the
 * 1 ms uptime so no timer of their own is needed and the pattern is the same on every board. */
#ifndef LED_PATTERN_H
#define LED_PATTERN_H

#include <stdint.h>

#define LED_BREATH_PERIOD_MS 4000u /* idle: slow breathing */
#define LED_SLOW_BLINK_MS 1000u    /* waiting for the customer: 0.5 s on, 0.5 s off */
#define LED_FAST_BLINK_MS 200u     /* error: 5 Hz */

uint8_t led_pattern_level(uint8_t pattern, uint32_t now_ms);

/* One colour channel scaled by the level, rounded: channel * level / 255. */
uint8_t led_scale(uint8_t channel, uint8_t level);

#endif
