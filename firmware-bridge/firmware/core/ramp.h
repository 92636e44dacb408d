/* Acceleration ramp: a speed setpoint moves toward its target by at most max_accel per 1 ms
 * step (PROTOCOL.md §4.3), so a step in the command never jerks the robot or its passenger. */
#ifndef RAMP_H
#define RAMP_H

#include <stdint.h>

/* Setpoints in um/s, so that max_accel [mm/s^2] * 1 ms = max_accel um/s per step, exactly. */
int32_t ramp_step(int32_t current_um_s, int32_t target_um_s, uint16_t max_accel_mm_s2);

#endif
