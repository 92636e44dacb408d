/* The Firmata subset of PROTOCOL.md §2: version and firmware reports, capability / analog-mapping /
 * pin-state queries, pin modes and digital writes on the free pins (D13, A3..A5), digital-port and
 * analog-channel reporting at the sampling interval. Pins the drive base owns are never touched
 * here: their modes are refused and their bits in a port write are ignored. */
#ifndef FIRMATA_H
#define FIRMATA_H

#include <stdint.h>

#define FIRMATA_MAJOR 2
#define FIRMATA_MINOR 5
#define FIRMATA_NAME "medhjalparen-drive"

void firmata_init(void);

/* REPORT_VERSION, then the firmware report, as StandardFirmata does at start-up: firmata.js (and so
 * johnny-five) waits for both before it asks for the capabilities. */
void firmata_send_startup(void);

/* A complete channel message from the parser (status byte with channel nibble, data bytes). */
void firmata_on_message(uint8_t status, uint8_t d0, uint8_t d1);

/* A Firmata Sysex query the inbound classifier accepted (command byte first). */
void firmata_on_sysex(const uint8_t *sysex, uint8_t len);

/* SYSTEM_RESET: reporting off, sampling interval and free pins back to their defaults. */
void firmata_reset(void);

/* Every 1 ms step: report changed digital ports, analog channels when the interval is due. */
void firmata_step(uint32_t now_ms);

#endif
