/* Differential-drive kinematics: wheel speed targets from a (v, w) command, clamped to the
 * configured limits (PROTOCOL.md §3.3: a clamped command is acknowledged with status 1). */
#ifndef DIFFDRIVE_H
#define DIFFDRIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"

typedef struct {
  int16_t left_mm_s;
  int16_t right_mm_s;
  bool clamped; /* v, w or a wheel speed was beyond its limit */
} wheel_targets_t;

/* v is clamped to +-max_speed, w to +-max_angular; when a wheel would then still exceed
 * max_speed both wheels are scaled down by the same factor, so the robot keeps the commanded
 * curvature (the path stays the same, only slower). */
wheel_targets_t diffdrive_targets(int16_t linear_mm_s, int16_t angular_mrad_s, const config_t *c);

#endif
