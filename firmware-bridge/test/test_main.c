/* Host unit tests of the firmware's pure modules. Usage: host_tests test-vectors.txt test-vectors.json */
#include <stdio.h>

#include "suites.h"
#include "test.h"
#include "vectors.h"

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s test-vectors.txt test-vectors.json\n", argv[0]);
    return 2;
  }
  const char *error = vectors_load(argv[1], argv[2]);
  if (error) {
    fprintf(stderr, "test vectors: %s\n", error);
    return 2;
  }
  suite_codec();
  suite_parser();
  suite_fuzz();
  suite_drive();
  suite_misc();
  suite_tx_queue();
  suite_behaviour();
  return test_summary();
}
