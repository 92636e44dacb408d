/* The board behaviour cases of test-vectors.json ("behaviour"), shared with the TypeScript
 * conformance suite that sends the same commands to the emulated board over a pty: the clamping
 * rule (PROTOCOL.md §4.3) and the sequence-number rule (§3.3), run on the drive logic itself. */
#include <stdio.h>

#include "diffdrive.h"
#include "drive.h"
#include "suites.h"
#include "test.h"
#include "vectors.h"

static void fail_case(const char *kind, const char *name, const char *what, long long found, long long want) {
  char msg[200];
  snprintf(msg, sizeof msg, "%s case %s: %s found %lld, expected %lld", kind, name, what, found, want);
  test_fail(__FILE__, __LINE__, msg);
}

static void clamping_cases_give_their_wheel_targets_and_status(void) {
  for (int i = 0; i < clamp_case_count; i++) {
    const clamp_case_t *c = &clamp_cases[i];
    wheel_targets_t t = diffdrive_targets(c->linear_mm_s, c->angular_mrad_s, &CONFIG_DEFAULTS);
    if (t.left_mm_s != c->left_mm_s) fail_case("clamping", c->name, "left", t.left_mm_s, c->left_mm_s);
    if (t.right_mm_s != c->right_mm_s) fail_case("clamping", c->name, "right", t.right_mm_s, c->right_mm_s);
    drive_t d;
    drive_init(&d);
    uint8_t status = drive_command(&d, 1, c->linear_mm_s, c->angular_mrad_s);
    if (status != c->status) fail_case("clamping", c->name, "ack status", status, c->status);
    if (d.target_left_mm_s != c->left_mm_s) fail_case("clamping", c->name, "board target", d.target_left_mm_s, c->left_mm_s);
  }
}

static void sequence_cases_accept_only_newer_commands(void) {
  for (int i = 0; i < seq_case_count; i++) {
    const seq_case_t *c = &seq_cases[i];
    drive_t d;
    drive_init(&d);
    for (int s = 0; s < c->steps; s++) {
      if (c->seq[s] < 0) {
        drive_halt(&d);
        continue;
      }
      uint16_t before = d.last_seq;
      uint8_t status = drive_command(&d, (uint16_t)c->seq[s], 100, 0);
      if (status != c->status[s]) fail_case("sequence", c->name, "ack status", status, c->status[s]);
      bool accepted = status == ACK_ACCEPTED || status == ACK_CLAMPED;
      uint16_t want = accepted ? (uint16_t)c->seq[s] : before;
      if (d.last_seq != want) fail_case("sequence", c->name, "last_seq", d.last_seq, want);
    }
  }
}

void suite_behaviour(void) {
  RUN(clamping_cases_give_their_wheel_targets_and_status);
  RUN(sequence_cases_accept_only_newer_commands);
}
