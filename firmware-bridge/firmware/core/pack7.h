/* Firmata's Encoder7Bit: raw bytes as one least-significant-bit-first bit stream cut into 7-bit
 * groups, the last group zero-padded, so every byte inside a Sysex stays below 0x80
 * (PROTOCOL.md §3.1). n raw bytes pack into ceil(8n/7) bytes. */
#ifndef PACK7_H
#define PACK7_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
  PACK7_OK = 0,
  PACK7_BAD_LENGTH,  /* packed length is not exactly ceil(8n/7) */
  PACK7_NOT_7BIT,    /* a packed byte has bit 7 set (cannot happen inside a parsed Sysex) */
  PACK7_BAD_PADDING, /* the bits past the last raw byte are not zero */
} pack7_status_t;

static inline size_t pack7_len(size_t raw_len) { return (raw_len * 8u + 6u) / 7u; }

/* Writes pack7_len(n) bytes to out; returns that length. */
size_t pack7(const uint8_t *raw, size_t n, uint8_t *out);

/* Unpacks exactly n raw bytes from m packed bytes, checking length and padding. */
pack7_status_t unpack7(const uint8_t *packed, size_t m, uint8_t *raw, size_t n);

#endif
