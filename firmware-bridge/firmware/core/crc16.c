#include "crc16.h"

/* Bitwise rather than table-driven: 512 bytes of table would be a quarter of the AVR's RAM (or
 * flash reads), and a 27-byte telemetry payload costs only ~2k cycles this way. */
uint16_t crc16_update(uint16_t crc, uint8_t byte) {
  crc ^= (uint16_t)((uint16_t)byte << 8);
  for (uint8_t bit = 0; bit < 8; bit++) {
    crc = (crc & 0x8000u) ? (uint16_t)((uint16_t)(crc << 1) ^ 0x1021u) : (uint16_t)(crc << 1);
  }
  return crc;
}

uint16_t crc16_ccitt_false(const uint8_t *data, size_t len) {
  uint16_t crc = CRC16_INIT;
  for (size_t i = 0; i < len; i++) crc = crc16_update(crc, data[i]);
  return crc;
}
