#include "test.h"

#include <ctype.h>
#include <string.h>

int test_check_failures;
static int passed;
static int failed;
static char current[160];
static uint32_t rng = 0x12345678u;

void test_fail(const char *file, int line, const char *what) {
  test_check_failures++;
  if (test_check_failures <= 5) fprintf(stderr, "FAIL %s: %s:%d: %s\n", current, file, line, what);
}

void test_run(const char *name, void (*fn)(void)) {
  snprintf(current, sizeof current, "%s", name);
  test_check_failures = 0;
  fn();
  if (test_check_failures == 0) {
    passed++;
  } else {
    failed++;
  }
}

int test_summary(void) {
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 && passed > 0 ? 0 : 1;
}

uint32_t test_random(void) {
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return rng;
}

void test_seed(uint32_t seed) { rng = seed ? seed : 1u; }

static int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = (char)tolower((unsigned char)c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

size_t hex_decode(const char *hex, uint8_t *out, size_t max) {
  size_t n = 0;
  while (hex[0] && hex[1] && n < max) {
    int hi = nibble(hex[0]), lo = nibble(hex[1]);
    if (hi < 0 || lo < 0) break;
    out[n++] = (uint8_t)(hi << 4 | lo);
    hex += 2;
  }
  return n;
}

void hex_print(FILE *f, const uint8_t *b, size_t n) {
  for (size_t i = 0; i < n; i++) fprintf(f, "%02x", b[i]);
}
