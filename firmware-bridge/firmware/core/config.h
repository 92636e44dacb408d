/* Drive-base configuration: defaults and sane ranges of PROTOCOL.md §5. A SET_CONFIG outside
 * the ranges is rejected as a bad frame, so the board never runs on nonsense values. */
#ifndef CONFIG_H
#define CONFIG_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
  uint16_t wheel_base_mm;      /* distance between the wheel contact points */
  uint16_t ticks_per_m;        /* counted encoder edges (2x decoding) per metre of wheel travel */
  uint16_t max_speed_mm_s;     /* per wheel and forward */
  uint16_t max_accel_mm_s2;    /* per wheel: slope of the speed ramps */
  uint16_t max_angular_mrad_s; /* commanded turn rate limit */
} config_t;

#define CONFIG_WHEEL_BASE_MIN 100u
#define CONFIG_WHEEL_BASE_MAX 1000u
#define CONFIG_TICKS_MIN 100u
#define CONFIG_TICKS_MAX 20000u
#define CONFIG_SPEED_MIN 50u
#define CONFIG_SPEED_MAX 3000u
#define CONFIG_ACCEL_MIN 50u
#define CONFIG_ACCEL_MAX 5000u
#define CONFIG_ANGULAR_MIN 100u
#define CONFIG_ANGULAR_MAX 6000u

extern const config_t CONFIG_DEFAULTS;

bool config_valid(const config_t *c);

#endif
