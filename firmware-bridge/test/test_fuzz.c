/* Fuzzing the inbound path (parser + classifier, exactly the firmware's): random bytes, and
 * streams of valid frames corrupted in every way, never crash (run under ASan/UBSan) and never
 * yield a command whose bytes are not a correctly encoded frame, i.e. whose CRC does not match. */
#include <string.h>

#include "frame_parser.h"
#include "inbound.h"
#include "suites.h"
#include "sysex_codec.h"
#include "test.h"

#define HISTORY 64u

typedef struct {
  frame_parser_t parser;
  uint8_t history[HISTORY]; /* the last bytes fed, to check an accepted frame against */
  uint64_t fed;
  uint64_t accepted;
  uint64_t rejected;
  bool bogus; /* an accepted command whose frame bytes differ from its correct encoding */
  uint64_t accepted_at; /* offset of the last acceptance */
} fuzz_t;

static void fuzz_init(fuzz_t *f) {
  memset(f, 0, sizeof *f);
  fp_init(&f->parser);
}

/* The frame a correct encoder makes for the accepted command; it must be what was just fed. */
static uint8_t reencode(const inbound_t *in, uint8_t *frame) {
  switch (in->kind) {
    case IN_SET_VELOCITY: return msg_encode_set_velocity(&in->u.velocity, frame);
    case IN_SET_LEDS: return msg_encode_set_leds(&in->u.leds, frame);
    case IN_SET_CONFIG: return msg_encode_config(DB_SET_CONFIG, &in->u.config, frame);
    case IN_CLEAR_STOP: return msg_encode_clear_stop(CLEAR_STOP_MAGIC, frame);
    case IN_QUERY_CONFIG: return msg_encode_query_config(frame);
    default: return 0;
  }
}

static bool tail_matches(const fuzz_t *f, const uint8_t *frame, uint8_t n) {
  if (f->fed < n) return false;
  for (uint8_t i = 0; i < n; i++) {
    if (f->history[(f->fed - n + i) % HISTORY] != frame[i]) return false;
  }
  return true;
}

static void fuzz_byte(fuzz_t *f, uint8_t byte) {
  f->history[f->fed % HISTORY] = byte;
  f->fed++;
  fp_message_t m;
  uint8_t ev = fp_feed(&f->parser, byte, &m);
  if (ev & FP_EV_MALFORMED) f->rejected++;
  if (!(ev & FP_EV_SYSEX)) return;
  inbound_t in;
  inbound_kind_t kind = inbound_classify(m.sysex, m.sysex_len, m.sysex_overflow, &in);
  if (kind == IN_REJECTED) {
    f->rejected++;
    return;
  }
  if (kind == IN_FIRMATA) return;
  f->accepted++;
  f->accepted_at = f->fed;
  uint8_t frame[DB_FRAME_MAX];
  uint8_t n = reencode(&in, frame);
  if (n == 0 || !tail_matches(f, frame, n)) f->bogus = true;
}

static void random_bytes_never_accepted_without_crc(void) {
  fuzz_t f;
  fuzz_init(&f);
  test_seed(0xC0FFEEu);
  for (uint32_t i = 0; i < 3000000u; i++) fuzz_byte(&f, (uint8_t)test_random());
  CHECK(!f.bogus);
  CHECK(f.rejected > 0);
  CHECK_EQ(f.fed, 3000000u);
}

/* Random bytes biased toward frame structure (F0, command ids, F7, 7-bit data): far more frames
 * of plausible shape reach the codec, so the length, padding and CRC checks are what stop them. */
static void structured_random_bytes_never_accepted_without_crc(void) {
  fuzz_t f;
  fuzz_init(&f);
  test_seed(0xBADC0DEu);
  for (uint32_t i = 0; i < 2000000u; i++) {
    uint32_t r = test_random();
    uint8_t byte;
    switch (r % 16u) {
      case 0: byte = SYSEX_START; break;
      case 1: byte = (uint8_t)(1u + (r >> 8) % 8u); break; /* a drive-base command id */
      case 2: byte = SYSEX_END; break;
      case 3: byte = (uint8_t)(r >> 8); break;             /* anything, status bytes included */
      default: byte = (uint8_t)((r >> 8) & 0x7Fu); break;
    }
    fuzz_byte(&f, byte);
  }
  CHECK(!f.bogus);
}

static uint8_t random_frame(uint8_t *frame) {
  uint32_t r = test_random();
  switch (r % 5u) {
    case 0: {
      msg_set_velocity_t v = {(uint16_t)test_random(), (int16_t)test_random(), (int16_t)test_random()};
      return msg_encode_set_velocity(&v, frame);
    }
    case 1: {
      msg_set_leds_t l = {(uint8_t)(test_random() % 6u), (uint8_t)test_random(), (uint8_t)test_random(),
                          (uint8_t)test_random()};
      return msg_encode_set_leds(&l, frame);
    }
    case 2: {
      config_t c = {(uint16_t)(100 + test_random() % 901), (uint16_t)(100 + test_random() % 19901),
                    (uint16_t)(50 + test_random() % 2951), (uint16_t)(50 + test_random() % 4951),
                    (uint16_t)(100 + test_random() % 5901)};
      return msg_encode_config(DB_SET_CONFIG, &c, frame);
    }
    case 3: return msg_encode_clear_stop(CLEAR_STOP_MAGIC, frame);
    default: return msg_encode_query_config(frame);
  }
}

/* Streams of valid frames, some corrupted (bit flip, byte replaced, dropped, inserted, truncated),
 * with garbage in between. Every intact frame is accepted whatever came before it (its F0
 * resynchronises the parser), and every acceptance is a correctly encoded frame. */
static void corrupted_frame_streams(void) {
  fuzz_t f;
  fuzz_init(&f);
  test_seed(0x5EED5EEDu);
  uint64_t intact = 0, intact_accepted = 0, corrupted = 0;
  for (uint32_t i = 0; i < 150000u; i++) {
    uint8_t frame[DB_FRAME_MAX + 1];
    uint8_t n = random_frame(frame);
    uint32_t mode = test_random() % 6u;
    uint8_t pos = (uint8_t)(1u + test_random() % (uint32_t)(n - 1)); /* not the F0 */
    switch (mode) {
      case 1: frame[pos] ^= (uint8_t)(1u << (test_random() % 8u)); break;
      case 2: {
        uint8_t old = frame[pos];
        do frame[pos] = (uint8_t)test_random(); while (frame[pos] == old);
        break;
      }
      case 3: memmove(frame + pos, frame + pos + 1, (size_t)(n - pos - 1)); n--; break;
      case 4:
        memmove(frame + pos + 1, frame + pos, (size_t)(n - pos));
        frame[pos] = (uint8_t)(test_random() & 0x7Fu);
        n++;
        break;
      case 5: n = pos; break;
      default: break;
    }
    uint64_t before = f.accepted;
    for (uint8_t b = 0; b < n; b++) fuzz_byte(&f, frame[b]);
    if (mode == 0) {
      intact++;
      if (f.accepted == before + 1 && f.accepted_at == f.fed) intact_accepted++;
    } else {
      corrupted++;
    }
    uint32_t garbage = test_random() % 4u;
    for (uint32_t g = 0; g < garbage; g++) fuzz_byte(&f, (uint8_t)test_random());
  }
  CHECK(!f.bogus);
  CHECK(intact > 10000 && corrupted > 50000);
  CHECK_EQ(intact_accepted, intact);
}

void suite_fuzz(void) {
  RUN(random_bytes_never_accepted_without_crc);
  RUN(structured_random_bytes_never_accepted_without_crc);
  RUN(corrupted_frame_streams);
}
