/* The shared test vectors: test-vectors.txt (name, command, raw, frame in hex) joined with the
 * field values of test-vectors.json, so the C tests check both the bytes and their meaning. */
#ifndef VECTORS_H
#define VECTORS_H

#include <stddef.h>
#include <stdint.h>

#define VEC_MAX 64
#define VEC_FIELDS_MAX 16

typedef struct {
  char name[64];
  uint8_t command;
  uint8_t raw[64];
  size_t raw_len;
  uint8_t frame[80];
  size_t frame_len;
  int field_count;
  char field_names[VEC_FIELDS_MAX][32];
  long long field_values[VEC_FIELDS_MAX];
} vector_t;

/* test-vectors.json "behaviour": one SET_VELOCITY under the default configuration and what it gives. */
typedef struct {
  char name[64];
  int16_t linear_mm_s, angular_mrad_s;
  int16_t left_mm_s, right_mm_s;
  uint8_t status;
} clamp_case_t;

/* A run of SET_VELOCITY commands from start-up with the ACK status of each; seq -1 is a SYSTEM_RESET. */
#define SEQ_STEPS_MAX 8
typedef struct {
  char name[64];
  int steps;
  int32_t seq[SEQ_STEPS_MAX];
  uint8_t status[SEQ_STEPS_MAX];
} seq_case_t;

#define CASES_MAX 32
extern clamp_case_t clamp_cases[CASES_MAX];
extern int clamp_case_count;
extern seq_case_t seq_cases[CASES_MAX];
extern int seq_case_count;

extern vector_t vectors[VEC_MAX];
extern int vector_count;
extern char crc_check_input[64];
extern long long crc_check_value;

/* Loads both files; returns an error message or NULL. */
const char *vectors_load(const char *txt_path, const char *json_path);

/* A field's value; fails the running test when the vector lacks it. */
long long vec_field(const vector_t *v, const char *name);

#endif
