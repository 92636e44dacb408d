/* The inbound side of the serial link: drains the receive ring through the frame parser and the
 * inbound classifier, hands each message to Firmata or the drive base, and counts every rejected
 * frame (PROTOCOL.md §3.1, §4.4). */
#ifndef LINK_H
#define LINK_H

#include <stdint.h>

void link_init(void);
void link_service(void);

/* TELEMETRY's rejected_frames: wraps at 65536 like the other counters, so the host can take
 * differences across the wrap. */
uint16_t link_rejected_frames(void);

#endif
