#include "tx_queue.h"

#include <stdatomic.h>

#define PRIO_MASK (TXQ_PRIO_SIZE - 1u)

void txq_init(tx_queue_t *q) {
  q->main_head = 0;
  q->main_tail = 0;
  q->prio_head = 0;
  q->prio_tail = 0;
  q->source = 0;
}

/* Publishing a head index must come after the message bytes are stored: the fence keeps the
 * compiler from sinking those (non-volatile) stores past the volatile head write. On the AVR, a
 * single core, that is all the ordering an interrupt handler needs. */
bool txq_push(tx_queue_t *q, const uint8_t *msg, uint8_t len) {
  uint8_t head = q->main_head;
  uint8_t free_bytes = (uint8_t)(q->main_tail - head - 1u); /* one slot stays empty: full != empty */
  if (len == 0 || len > free_bytes) return false;
  for (uint8_t i = 0; i < len; i++) q->main_buf[(uint8_t)(head + i)] = msg[i];
  atomic_signal_fence(memory_order_release);
  q->main_head = (uint8_t)(head + len);
  return true;
}

bool txq_push_priority(tx_queue_t *q, const uint8_t *msg, uint8_t len) {
  uint8_t head = q->prio_head;
  uint8_t free_bytes = (uint8_t)((q->prio_tail - head - 1u) & PRIO_MASK);
  if (len == 0 || len > free_bytes) return txq_push(q, msg, len);
  for (uint8_t i = 0; i < len; i++) q->prio_buf[(head + i) & PRIO_MASK] = msg[i];
  atomic_signal_fence(memory_order_release);
  q->prio_head = (uint8_t)((head + len) & PRIO_MASK);
  return true;
}

/* A Firmata message starts with a status byte; F7 is the only status byte that ends one, and every
 * data byte is below 0x80. So a queue's next byte tells whether a message boundary is here. */
static bool starts_message(uint8_t byte) { return byte >= 0x80u && byte != 0xF7u; }

enum { SOURCE_NONE = 0, SOURCE_MAIN, SOURCE_PRIO };

bool txq_next(tx_queue_t *q, uint8_t *byte) {
  uint8_t prio_tail = q->prio_tail, main_tail = q->main_tail;
  bool prio_ready = prio_tail != q->prio_head;
  bool main_ready = main_tail != q->main_head;
  atomic_signal_fence(memory_order_acquire); /* read the bytes only after seeing the heads */
  /* Messages are published whole, so an empty queue is always at a boundary: a message in
   * progress continues until its queue's next byte starts another message. */
  if (q->source == SOURCE_PRIO && prio_ready && !starts_message(q->prio_buf[prio_tail])) {
    /* continue the priority message */
  } else if (q->source == SOURCE_MAIN && main_ready && !starts_message(q->main_buf[main_tail])) {
    /* continue the main message */
  } else if (prio_ready) {
    q->source = SOURCE_PRIO;
  } else if (main_ready) {
    q->source = SOURCE_MAIN;
  } else {
    q->source = SOURCE_NONE;
    return false;
  }
  if (q->source == SOURCE_PRIO) {
    *byte = q->prio_buf[prio_tail];
    q->prio_tail = (uint8_t)((prio_tail + 1u) & PRIO_MASK);
  } else {
    *byte = q->main_buf[main_tail];
    q->main_tail = (uint8_t)(main_tail + 1u);
  }
  return true;
}
