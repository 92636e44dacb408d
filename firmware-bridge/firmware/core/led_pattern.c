#include "led_pattern.h"

#include "sysex_codec.h"

uint8_t led_pattern_level(uint8_t pattern, uint32_t now_ms) {
  switch (pattern) {
    case LED_IDLE: {
      uint32_t t = now_ms % LED_BREATH_PERIOD_MS;
      uint32_t half = LED_BREATH_PERIOD_MS / 2;
      uint32_t ramp = t < half ? t : LED_BREATH_PERIOD_MS - t;   /* 0..half..0 */
      uint32_t linear = ramp * 255u / half;                       /* 0..255 */
      return (uint8_t)(linear * linear / 255u); /* squared: the eye sees a smooth breath */
    }
    case LED_GUIDING:
    case LED_STEADY: return 255;
    case LED_WAITING: return (now_ms % LED_SLOW_BLINK_MS) < LED_SLOW_BLINK_MS / 2 ? 255 : 0;
    case LED_ERROR: return (now_ms % LED_FAST_BLINK_MS) < LED_FAST_BLINK_MS / 2 ? 255 : 0;
    default: return 0; /* LED_OFF */
  }
}

uint8_t led_scale(uint8_t channel, uint8_t level) { return (uint8_t)(((uint16_t)channel * level + 127u) / 255u); }
