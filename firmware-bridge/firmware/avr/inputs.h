/* Bumper and e-stop inputs (PROTOCOL.md §1, §4.2). A pin-change interrupt cuts the motors the
 * moment either is pressed, whatever the main loop is doing; the drive logic then latches the
 * stop on its next 1 ms step. */
#ifndef INPUTS_H
#define INPUTS_H

#include <stdint.h>

void inputs_init(void);

/* INPUT_BUMPER | INPUT_ESTOP as read now. */
uint8_t inputs_now(void);

/* As read now, plus every press the interrupt saw since the last call: a press shorter than the
 * 1 ms step still latches the stop. */
uint8_t inputs_take(void);

#endif
