/* The inbound Firmata stream parser: channel messages, Sysex, and every way a frame is cut short. */
#include <string.h>

#include "frame_parser.h"
#include "suites.h"
#include "test.h"

typedef struct {
  int messages, sysex, malformed;
  fp_message_t last_message;
  uint8_t last_sysex[64];
  uint8_t last_sysex_len;
  bool last_overflow;
} events_t;

static events_t run(const uint8_t *bytes, size_t n) {
  frame_parser_t p;
  fp_init(&p);
  events_t e;
  memset(&e, 0, sizeof e);
  for (size_t i = 0; i < n; i++) {
    fp_message_t m;
    uint8_t ev = fp_feed(&p, bytes[i], &m);
    if (ev & FP_EV_MALFORMED) e.malformed++;
    if (ev & FP_EV_MESSAGE) {
      e.messages++;
      e.last_message = m;
    }
    if (ev & FP_EV_SYSEX) {
      e.sysex++;
      e.last_sysex_len = m.sysex_len;
      e.last_overflow = m.sysex_overflow;
      memcpy(e.last_sysex, m.sysex, m.sysex_len);
    }
  }
  return e;
}

#define RUN_BYTES(...)                               \
  ({                                                 \
    static const uint8_t bytes_[] = {__VA_ARGS__};   \
    run(bytes_, sizeof bytes_);                      \
  })

static void channel_messages_take_their_data_bytes(void) {
  events_t e = RUN_BYTES(0x91, 0x20, 0x00);
  CHECK_EQ(e.messages, 1);
  CHECK_EQ(e.last_message.status, 0x91);
  CHECK_EQ(e.last_message.data[0], 0x20);
  e = RUN_BYTES(0xF4, 13, 1);
  CHECK_EQ(e.messages, 1);
  CHECK_EQ(e.last_message.status, 0xF4);
  CHECK_EQ(e.last_message.data[1], 1);
  e = RUN_BYTES(0xC3, 1);
  CHECK_EQ(e.messages, 1);
  CHECK_EQ(e.last_message.data[0], 1);
  e = RUN_BYTES(0xD1, 1, 0xE2, 0x10, 0x01, 0xF5, 13, 0);
  CHECK_EQ(e.messages, 3);
  CHECK_EQ(e.last_message.status, 0xF5);
}

static void version_and_reset_complete_at_once(void) {
  events_t e = RUN_BYTES(0xF9);
  CHECK_EQ(e.messages, 1);
  CHECK_EQ(e.last_message.status, 0xF9);
  e = RUN_BYTES(0xFF);
  CHECK_EQ(e.messages, 1);
  CHECK_EQ(e.last_message.status, 0xFF);
}

static void no_running_status(void) {
  /* Firmata repeats the status byte: stray data after a complete message is ignored. */
  events_t e = RUN_BYTES(0x91, 0x20, 0x00, 0x21, 0x00);
  CHECK_EQ(e.messages, 1);
}

static void data_outside_messages_and_unknown_status_skipped(void) {
  events_t e = RUN_BYTES(0x01, 0x02, 0xF7, 0xA0, 0x10, 0x11, 0x12, 0xF1, 0x05, 0xF9);
  CHECK_EQ(e.messages, 1);
  CHECK_EQ(e.last_message.status, 0xF9);
  CHECK_EQ(e.sysex, 0);
  CHECK_EQ(e.malformed, 0);
}

static void unfinished_channel_message_dropped_by_next_status(void) {
  events_t e = RUN_BYTES(0x91, 0x20, 0xF9);
  CHECK_EQ(e.messages, 1);
  CHECK_EQ(e.last_message.status, 0xF9);
}

static void sysex_collected_to_its_end(void) {
  events_t e = RUN_BYTES(0xF0, 0x79, 0xF7);
  CHECK_EQ(e.sysex, 1);
  CHECK_EQ(e.last_sysex_len, 1);
  CHECK_EQ(e.last_sysex[0], 0x79);
  e = RUN_BYTES(0xF0, 0xF7);
  CHECK_EQ(e.sysex, 1);
  CHECK_EQ(e.last_sysex_len, 0);
}

static void status_byte_inside_sysex_ends_it_malformed(void) {
  events_t e = RUN_BYTES(0xF0, 0x01, 0x02, 0xF9);
  CHECK_EQ(e.malformed, 1);
  CHECK_EQ(e.messages, 1); /* and the F9 is a REPORT_VERSION of its own */
  CHECK_EQ(e.sysex, 0);
  e = RUN_BYTES(0xF0, 0x01, 0x02, 0x91, 0x20, 0x00);
  CHECK_EQ(e.malformed, 1);
  CHECK_EQ(e.messages, 1);
  CHECK_EQ(e.last_message.status, 0x91);
}

static void start_inside_sysex_restarts_it(void) {
  events_t e = RUN_BYTES(0xF0, 0x01, 0x02, 0xF0, 0x08, 0x78, 0x41, 0x01, 0xF7);
  CHECK_EQ(e.malformed, 1);
  CHECK_EQ(e.sysex, 1);
  CHECK_EQ(e.last_sysex_len, 4);
  CHECK_EQ(e.last_sysex[0], 0x08);
}

static void long_sysex_flagged_as_overflow(void) {
  uint8_t bytes[FP_SYSEX_MAX + 10];
  bytes[0] = 0xF0;
  for (size_t i = 1; i < sizeof bytes - 1; i++) bytes[i] = 0x10;
  bytes[sizeof bytes - 1] = 0xF7;
  events_t e = run(bytes, sizeof bytes);
  CHECK_EQ(e.sysex, 1);
  CHECK(e.last_overflow);
  CHECK_EQ(e.last_sysex_len, FP_SYSEX_MAX);
  uint8_t exact[FP_SYSEX_MAX + 2];
  exact[0] = 0xF0;
  for (size_t i = 1; i <= FP_SYSEX_MAX; i++) exact[i] = 0x10;
  exact[FP_SYSEX_MAX + 1] = 0xF7;
  e = run(exact, sizeof exact);
  CHECK(!e.last_overflow);
  CHECK_EQ(e.last_sysex_len, FP_SYSEX_MAX);
}

void suite_parser(void) {
  RUN(channel_messages_take_their_data_bytes);
  RUN(version_and_reset_complete_at_once);
  RUN(no_running_status);
  RUN(data_outside_messages_and_unknown_status_skipped);
  RUN(unfinished_channel_message_dropped_by_next_status);
  RUN(sysex_collected_to_its_end);
  RUN(status_byte_inside_sysex_ends_it_malformed);
  RUN(start_inside_sysex_restarts_it);
  RUN(long_sysex_flagged_as_overflow);
}
