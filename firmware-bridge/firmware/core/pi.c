#include "pi.h"

#include <stdbool.h>

#define INTEGRAL_LIMIT_Q16 ((int32_t)PWM_MAX << 16)

void pi_reset(pi_state_t *s) { s->integral_q16 = 0; }

static int32_t clamp32(int32_t v, int32_t lo, int32_t hi) { return v < lo ? lo : (v > hi ? hi : v); }

int16_t pi_step(pi_state_t *s, int16_t target_mm_s, int16_t measured_mm_s) {
  int32_t error = (int32_t)target_mm_s - measured_mm_s;
  int32_t ff = (int32_t)target_mm_s * PWM_MAX / MOTOR_MM_S_AT_FULL_PWM;
  int32_t p = error * PI_KP_NUM / PI_KP_DEN;
  int32_t unclamped = ff + p + (s->integral_q16 >> 16);
  /* Anti-windup: integrate only while the output is not saturated in the direction the error
   * pushes it, so a stalled or overloaded wheel does not store up a lurch for later. */
  bool saturated_high = unclamped >= PWM_MAX && error > 0;
  bool saturated_low = unclamped <= -PWM_MAX && error < 0;
  if (!saturated_high && !saturated_low) {
    s->integral_q16 = clamp32(s->integral_q16 + error * PI_KI_Q16_PER_MS, -INTEGRAL_LIMIT_Q16, INTEGRAL_LIMIT_Q16);
  }
  int32_t out = ff + p + (s->integral_q16 >> 16);
  return (int16_t)clamp32(out, -PWM_MAX, PWM_MAX);
}
