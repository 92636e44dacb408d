/* USART0 at 115200 baud 8N1 (PROTOCOL.md: USB serial to the host). Interrupt-driven both ways
 * with ring buffers, so neither receiving nor sending ever blocks the main loop. Outbound
 * messages are queued whole in tx_queue (core/tx_queue.h): a priority message (VELOCITY_ACK) goes
 * out before queued telemetry but never inside another message. */
#ifndef UART_H
#define UART_H

#include <stdbool.h>
#include <stdint.h>

#define UART_BAUD 115200UL

void uart_init(void);

/* Next received byte, false when none is waiting. */
bool uart_read(uint8_t *byte);

/* Whether received bytes are waiting (the main loop sleeps only when none are). */
bool uart_rx_available(void);

/* Queue a whole message; false (dropped) when it does not fit. Telemetry that cannot be queued is
 * simply superseded by the next one 20 ms later. */
bool uart_send(const uint8_t *msg, uint8_t len);
bool uart_send_priority(const uint8_t *msg, uint8_t len);

#endif
