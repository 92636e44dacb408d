/* The two motor channels of the H-bridge: Timer1 8-bit phase-correct PWM (~31 kHz, above
 * hearing) on OC1A/OC1B plus a direction line each (PROTOCOL.md §1). */
#ifndef MOTORS_H
#define MOTORS_H

#include <stdint.h>

/* Call first at start-up: the pins become outputs driving 0, so a reset (watchdog included)
 * always comes up with the motors off. */
void motors_init(void);

/* Signed PWM per wheel, -255..255, positive forward. Ignored (motors held off) while an
 * emergency stop from the input interrupt is in force. */
void motors_set(int16_t left, int16_t right);

/* From the bumper/e-stop interrupt: PWM to 0 at once and hold it there until motors_release. */
void motors_emergency_off(void);

/* After the drive logic has cleared the latch with both inputs released. */
void motors_release(void);

#endif
