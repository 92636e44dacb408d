/* Wheel speed controller: feed-forward plus PI, run every 1 ms per wheel (PROTOCOL.md §4).
 * The feed-forward gives most of the PWM at once; the PI term removes what the motor, load and
 * battery voltage make it miss, so the wheel reaches the commanded speed, not just near it. */
#ifndef PI_H
#define PI_H

#include <stdint.h>

#define PWM_MAX 255

/* Feed-forward: the wheel speed a free-running motor reaches at full PWM. The integrator makes
 * up for a real motor being slower or faster, so this only needs to be roughly right. */
#define MOTOR_MM_S_AT_FULL_PWM 1250

/* Proportional gain: PWM counts per mm/s of error, as KP_NUM / KP_DEN (0.125). Kept low: the
 * measured speed is quantized (25 mm/s per tick at 2000 ticks/m over 20 ms) and 10 ms late. */
#define PI_KP_NUM 1
#define PI_KP_DEN 8
/* Integral gain: 2.0 PWM counts per (mm/s * s), i.e. 2/1000 per 1 ms step, in Q16. */
#define PI_KI_Q16_PER_MS 131

typedef struct {
  int32_t integral_q16; /* PWM counts in Q16 */
} pi_state_t;

void pi_reset(pi_state_t *s);

/* Returns the signed PWM (-255..255) for the wheel; positive drives forward. */
int16_t pi_step(pi_state_t *s, int16_t target_mm_s, int16_t measured_mm_s);

#endif
