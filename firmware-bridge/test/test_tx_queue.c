/* The outbound queues: priority messages overtake queued ones only at message boundaries. */
#include <string.h>

#include "suites.h"
#include "sysex_codec.h"
#include "test.h"
#include "tx_queue.h"

static size_t drain(tx_queue_t *q, uint8_t *out, size_t max) {
  size_t n = 0;
  uint8_t b;
  while (n < max && txq_next(q, &b)) out[n++] = b;
  return n;
}

static void ack_overtakes_queued_telemetry_at_a_boundary(void) {
  static tx_queue_t q;
  txq_init(&q);
  uint8_t telemetry[DB_FRAME_MAX], ack[DB_FRAME_MAX];
  msg_telemetry_t t = {0};
  msg_velocity_ack_t a = {7, ACK_ACCEPTED};
  uint8_t tn = msg_encode_telemetry(&t, telemetry), an = msg_encode_velocity_ack(&a, ack);
  CHECK(txq_push(&q, telemetry, tn));
  CHECK(txq_push(&q, telemetry, tn));
  uint8_t out[256];
  size_t n = 0;
  uint8_t b;
  for (int i = 0; i < 5; i++) { /* the first telemetry is on the line */
    CHECK(txq_next(&q, &b));
    out[n++] = b;
  }
  CHECK(txq_push_priority(&q, ack, an));
  n += drain(&q, out + n, sizeof out - n);
  CHECK_EQ(n, 2u * tn + an);
  CHECK(memcmp(out, telemetry, tn) == 0);         /* the frame in progress is finished */
  CHECK(memcmp(out + tn, ack, an) == 0);          /* then the ACK */
  CHECK(memcmp(out + tn + an, telemetry, tn) == 0); /* then the queued telemetry */
  CHECK(!txq_next(&q, &b));
}

static void full_queues(void) {
  static tx_queue_t q;
  txq_init(&q);
  uint8_t msg[200];
  memset(msg, 0x01, sizeof msg);
  msg[0] = 0xF0;
  CHECK(txq_push(&q, msg, 200));
  CHECK(!txq_push(&q, msg, 56)); /* 255 usable bytes: 200 + 56 do not fit */
  CHECK(txq_push(&q, msg, 55));
  CHECK(!txq_push(&q, msg, 0));
  uint8_t ack[9] = {0xF0, 0x02, 1, 2, 3, 4, 5, 6, 0xF7};
  static tx_queue_t p;
  txq_init(&p);
  CHECK(txq_push_priority(&p, ack, 9));
  CHECK(txq_push_priority(&p, ack, 9));
  CHECK(txq_push_priority(&p, ack, 9)); /* 27 of 31 usable bytes */
  CHECK(txq_push_priority(&p, ack, 9)); /* falls back to the main queue */
  CHECK_EQ(p.main_head, 9);
}

/* Random messages pushed to both queues while the consumer drains at random: every message comes
 * out whole (its declared length), each queue keeps its order. */
static void interleaving_never_splits_a_message(void) {
  static tx_queue_t q;
  txq_init(&q);
  test_seed(99);
  uint32_t next_id[2] = {0, 0}, expect_id[2] = {0, 0};
  uint8_t current[64];
  size_t current_len = 0;
  int messages = 0;
  for (int step = 0; step < 200000; step++) {
    uint32_t r = test_random();
    if (r % 4 == 0) {
      /* status byte, queue tag, id, length (all 7-bit), random data; a Sysex ends with F7 */
      int prio = (int)((r >> 8) % 3 == 0);
      uint8_t msg[24];
      uint8_t len = (uint8_t)(5 + (r >> 12) % 18);
      bool sysex = (r >> 20) & 1;
      msg[0] = sysex ? 0xF0 : (uint8_t)(0x90 | ((r >> 24) & 0x0F));
      msg[1] = (uint8_t)prio;
      msg[2] = (uint8_t)(next_id[prio] & 0x7F);
      msg[3] = len;
      for (uint8_t i = 4; i < len; i++) msg[i] = (uint8_t)(test_random() & 0x7F);
      if (sysex) msg[len - 1] = 0xF7;
      /* Only while the priority queue has room: its fallback to the main queue is tested above. */
      uint8_t prio_free = (uint8_t)((q.prio_tail - q.prio_head - 1u) & (TXQ_PRIO_SIZE - 1u));
      if (prio && len > prio_free) continue;
      if (prio ? txq_push_priority(&q, msg, len) : txq_push(&q, msg, len)) next_id[prio]++;
      continue;
    }
    uint8_t b;
    if (!txq_next(&q, &b)) continue;
    if (b >= 0x80 && b != 0xF7) {
      REQUIRE(current_len == 0 || current_len == current[3]); /* the previous message was whole */
      current_len = 0;
      messages++;
    }
    REQUIRE(current_len < sizeof current);
    current[current_len++] = b;
    if (current_len == 3) {
      int prio = current[1];
      REQUIRE(prio == 0 || prio == 1);
      REQUIRE(current[2] == (uint8_t)(expect_id[prio] & 0x7F));
      expect_id[prio]++;
    }
  }
  CHECK(expect_id[0] > 1000 && expect_id[1] > 1000);
  CHECK(messages > 5000);
}

void suite_tx_queue(void) {
  RUN(ack_overtakes_queued_telemetry_at_a_boundary);
  RUN(full_queues);
  RUN(interleaving_never_splits_a_message);
}
