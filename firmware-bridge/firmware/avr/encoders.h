/* Quadrature wheel encoders, 2x decoding: every edge of channel A (INT0 / INT1, any edge) counts
 * one, the direction read from channel B in the same handler (PROTOCOL.md §1). Convention for
 * both wheels: channel A leads channel B when the wheel turns forward. */
#ifndef ENCODERS_H
#define ENCODERS_H

#include <stdint.h>

void encoders_init(void);

/* Cumulative counts since start-up (wrapping), read together with interrupts off. */
void encoders_read(int32_t *left, int32_t *right);

#endif
