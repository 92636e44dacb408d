#include "pack7.h"

size_t pack7(const uint8_t *raw, size_t n, uint8_t *out) {
  uint16_t acc = 0; /* at most 6 + 8 pending bits */
  uint8_t bits = 0;
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    acc |= (uint16_t)((uint16_t)raw[i] << bits);
    bits += 8;
    while (bits >= 7) {
      out[o++] = (uint8_t)(acc & 0x7Fu);
      acc >>= 7;
      bits -= 7;
    }
  }
  if (bits > 0) out[o++] = (uint8_t)(acc & 0x7Fu);
  return o;
}

pack7_status_t unpack7(const uint8_t *packed, size_t m, uint8_t *raw, size_t n) {
  if (m != pack7_len(n)) return PACK7_BAD_LENGTH;
  uint16_t acc = 0; /* at most 7 + 7 pending bits */
  uint8_t bits = 0;
  size_t o = 0;
  for (size_t i = 0; i < m; i++) {
    if (packed[i] & 0x80u) return PACK7_NOT_7BIT;
    acc |= (uint16_t)((uint16_t)packed[i] << bits);
    bits += 7;
    if (bits >= 8) {
      raw[o++] = (uint8_t)acc;
      acc >>= 8;
      bits -= 8;
    }
  }
  /* With m == ceil(8n/7) exactly n bytes came out and fewer than 7 bits are left: the padding.
   * Non-zero padding means the frame was not produced by a correct encoder: reject it rather
   * than guess (a flipped padding bit would otherwise pass the CRC unnoticed). */
  return acc == 0 ? PACK7_OK : PACK7_BAD_PADDING;
}
