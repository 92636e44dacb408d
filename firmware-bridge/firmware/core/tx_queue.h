/* The outbound byte queues of the serial link: a main queue (telemetry, Firmata replies) and a
 * priority queue (VELOCITY_ACK). Messages go in whole; the transmitter takes bytes one at a time
 * and switches queues only at a message boundary, so an ACK overtakes queued telemetry but never
 * lands inside another message.
 *
 * One producer (the main loop: txq_push*) and one consumer (the transmit interrupt: txq_next),
 * sharing only the 8-bit head and tail indices, which the AVR reads and writes atomically. */
#ifndef TX_QUEUE_H
#define TX_QUEUE_H

#include <stdbool.h>
#include <stdint.h>

#define TXQ_MAIN_SIZE 256u /* uint8_t indices wrap by themselves */
#define TXQ_PRIO_SIZE 32u  /* three ACKs */

typedef struct {
  uint8_t main_buf[TXQ_MAIN_SIZE];
  volatile uint8_t main_head; /* published by the producer after a whole message is written */
  volatile uint8_t main_tail; /* advanced by the consumer */
  uint8_t prio_buf[TXQ_PRIO_SIZE];
  volatile uint8_t prio_head;
  volatile uint8_t prio_tail;
  uint8_t source; /* consumer only: the queue of the message being sent */
} tx_queue_t;

void txq_init(tx_queue_t *q);

/* Queues a whole message; false (nothing queued) when it does not fit. */
bool txq_push(tx_queue_t *q, const uint8_t *msg, uint8_t len);

/* Queues a whole message ahead of the main queue's; when the priority queue is full it goes to the
 * main queue instead (late rather than lost). */
bool txq_push_priority(tx_queue_t *q, const uint8_t *msg, uint8_t len);

/* The next byte to send, false when both queues are empty. Consumer side only. */
bool txq_next(tx_queue_t *q, uint8_t *byte);

#endif
