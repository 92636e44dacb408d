/* A minimal unit-test harness for the firmware's pure modules on the host: named tests, checks
 * that report file:line and the values, one summary line at the end. */
#ifndef TEST_H
#define TEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

extern int test_check_failures; /* failures in the running test */

void test_run(const char *name, void (*fn)(void));
void test_fail(const char *file, int line, const char *what);
int test_summary(void); /* prints "N passed, M failed"; returns the exit code */

#define RUN(fn) test_run(#fn, fn)

#define CHECK(cond)                                   \
  do {                                                \
    if (!(cond)) test_fail(__FILE__, __LINE__, #cond); \
  } while (0)

#define CHECK_EQ(a, b)                                                                       \
  do {                                                                                       \
    long long check_a_ = (long long)(a), check_b_ = (long long)(b);                          \
    if (check_a_ != check_b_) {                                                              \
      char check_msg_[256];                                                                  \
      snprintf(check_msg_, sizeof check_msg_, "%s == %s: found %lld, expected %lld", #a, #b, \
               check_a_, check_b_);                                                          \
      test_fail(__FILE__, __LINE__, check_msg_);                                             \
    }                                                                                        \
  } while (0)

/* Checks inside loops: stop the test at the first failure instead of printing thousands. */
#define REQUIRE(cond)                                 \
  do {                                                \
    if (!(cond)) {                                    \
      test_fail(__FILE__, __LINE__, #cond);           \
      return;                                         \
    }                                                 \
  } while (0)

/* Deterministic pseudo-random numbers (xorshift32), so every run tests the same cases. */
uint32_t test_random(void);
void test_seed(uint32_t seed);

/* Hex helpers. */
size_t hex_decode(const char *hex, uint8_t *out, size_t max);
void hex_print(FILE *f, const uint8_t *b, size_t n);

#endif
