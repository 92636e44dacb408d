#include "vectors.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

vector_t vectors[VEC_MAX];
int vector_count;
clamp_case_t clamp_cases[CASES_MAX];
int clamp_case_count;
seq_case_t seq_cases[CASES_MAX];
int seq_case_count;
char crc_check_input[64];
long long crc_check_value = -1;

/* --- a small JSON reader: enough for test-vectors.json (objects, arrays, strings, integers) --- */

typedef enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } jtype_t;

typedef struct jnode {
  jtype_t type;
  long long num;
  char *str;
  char *key;           /* as a member of an object */
  struct jnode *child; /* first element / member */
  struct jnode *next;  /* next sibling */
} jnode_t;

typedef struct {
  const char *p;
  const char *error;
} jparser_t;

static void skip_ws(jparser_t *jp) {
  while (isspace((unsigned char)*jp->p)) jp->p++;
}

static jnode_t *new_node(jtype_t t) {
  jnode_t *n = calloc(1, sizeof *n);
  if (n) n->type = t;
  return n;
}

static char *parse_string(jparser_t *jp) {
  if (*jp->p != '"') {
    jp->error = "expected a string";
    return NULL;
  }
  jp->p++;
  size_t cap = 64, len = 0;
  char *s = malloc(cap);
  while (s && *jp->p && *jp->p != '"') {
    char c = *jp->p++;
    if (c == '\\' && *jp->p) {
      char e = *jp->p++;
      c = e == 'n' ? '\n' : e == 't' ? '\t' : e;
    }
    if (len + 2 > cap) {
      cap *= 2;
      char *bigger = realloc(s, cap);
      if (!bigger) {
        free(s);
        return NULL;
      }
      s = bigger;
    }
    s[len++] = c;
  }
  if (!s || *jp->p != '"') {
    free(s);
    jp->error = "unterminated string";
    return NULL;
  }
  jp->p++;
  s[len] = 0;
  return s;
}

static jnode_t *parse_value(jparser_t *jp);

static jnode_t *parse_container(jparser_t *jp, jtype_t t, char close) {
  jnode_t *node = new_node(t), *last = NULL;
  jp->p++;
  skip_ws(jp);
  if (*jp->p == close) {
    jp->p++;
    return node;
  }
  for (;;) {
    char *key = NULL;
    skip_ws(jp);
    if (t == J_OBJ) {
      key = parse_string(jp);
      skip_ws(jp);
      if (!key || *jp->p != ':') {
        free(key);
        jp->error = "expected a member";
        return node;
      }
      jp->p++;
    }
    jnode_t *v = parse_value(jp);
    if (!v) {
      free(key);
      return node;
    }
    v->key = key;
    if (last) {
      last->next = v;
    } else {
      node->child = v;
    }
    last = v;
    skip_ws(jp);
    if (*jp->p == ',') {
      jp->p++;
      continue;
    }
    if (*jp->p == close) {
      jp->p++;
      return node;
    }
    jp->error = "expected , or a closing bracket";
    return node;
  }
}

static jnode_t *parse_value(jparser_t *jp) {
  skip_ws(jp);
  char c = *jp->p;
  if (c == '{') return parse_container(jp, J_OBJ, '}');
  if (c == '[') return parse_container(jp, J_ARR, ']');
  if (c == '"') {
    jnode_t *n = new_node(J_STR);
    n->str = parse_string(jp);
    return n;
  }
  if (c == '-' || isdigit((unsigned char)c)) {
    jnode_t *n = new_node(J_NUM);
    char *end;
    n->num = strtoll(jp->p, &end, 10);
    jp->p = end;
    return n;
  }
  if (!strncmp(jp->p, "true", 4) || !strncmp(jp->p, "null", 4)) {
    jp->p += 4;
    return new_node(c == 't' ? J_BOOL : J_NULL);
  }
  if (!strncmp(jp->p, "false", 5)) {
    jp->p += 5;
    return new_node(J_BOOL);
  }
  jp->error = "unexpected character";
  return NULL;
}

static void free_node(jnode_t *n) {
  while (n) {
    jnode_t *next = n->next;
    free_node(n->child);
    free(n->str);
    free(n->key);
    free(n);
    n = next;
  }
}

static jnode_t *member(jnode_t *obj, const char *key) {
  for (jnode_t *m = obj ? obj->child : NULL; m; m = m->next) {
    if (m->key && !strcmp(m->key, key)) return m;
  }
  return NULL;
}

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)size + 1);
  if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
    free(buf);
    buf = NULL;
  }
  if (buf) buf[size] = 0;
  fclose(f);
  return buf;
}

static long long num_member(jnode_t *obj, const char *key, const char **error) {
  jnode_t *m = member(obj, key);
  if (!m || m->type != J_NUM) {
    *error = "a behaviour case lacks an integer field";
    return 0;
  }
  return m->num;
}

static const char *load_clamping(jnode_t *list) {
  const char *error = NULL;
  for (jnode_t *item = list ? list->child : NULL; item && !error; item = item->next) {
    if (clamp_case_count >= CASES_MAX) return "too many clamping cases";
    clamp_case_t *c = &clamp_cases[clamp_case_count++];
    jnode_t *name = member(item, "name");
    snprintf(c->name, sizeof c->name, "%s", name && name->str ? name->str : "?");
    c->linear_mm_s = (int16_t)num_member(item, "linear_mm_s", &error);
    c->angular_mrad_s = (int16_t)num_member(item, "angular_mrad_s", &error);
    c->left_mm_s = (int16_t)num_member(item, "left_mm_s", &error);
    c->right_mm_s = (int16_t)num_member(item, "right_mm_s", &error);
    c->status = (uint8_t)num_member(item, "status", &error);
  }
  return error;
}

static const char *load_sequence(jnode_t *list) {
  for (jnode_t *item = list ? list->child : NULL; item; item = item->next) {
    if (seq_case_count >= CASES_MAX) return "too many sequence cases";
    seq_case_t *c = &seq_cases[seq_case_count++];
    jnode_t *name = member(item, "name");
    snprintf(c->name, sizeof c->name, "%s", name && name->str ? name->str : "?");
    jnode_t *steps = member(item, "steps");
    for (jnode_t *step = steps ? steps->child : NULL; step; step = step->next) {
      if (c->steps >= SEQ_STEPS_MAX) return "a sequence case has too many steps";
      if (step->type == J_STR && !strcmp(step->str, "reset")) {
        c->seq[c->steps] = -1;
        c->status[c->steps++] = 0;
        continue;
      }
      jnode_t *seq = step->type == J_ARR ? step->child : NULL;
      jnode_t *status = seq ? seq->next : NULL;
      if (!status || seq->type != J_NUM || status->type != J_NUM) return "a sequence step is not [seq, status] or \"reset\"";
      c->seq[c->steps] = (int32_t)seq->num;
      c->status[c->steps++] = (uint8_t)status->num;
    }
  }
  return NULL;
}

static vector_t *find_vector(const char *name) {
  for (int i = 0; i < vector_count; i++) {
    if (!strcmp(vectors[i].name, name)) return &vectors[i];
  }
  return NULL;
}

const char *vectors_load(const char *txt_path, const char *json_path) {
  FILE *f = fopen(txt_path, "r");
  if (!f) return "cannot open test-vectors.txt";
  char line[512];
  while (fgets(line, sizeof line, f)) {
    if (line[0] == '#' || isspace((unsigned char)line[0])) continue;
    char name[64], raw[160], frame[200];
    unsigned command;
    if (sscanf(line, "%63s %x %159s %199s", name, &command, raw, frame) != 4) continue;
    if (vector_count >= VEC_MAX) break;
    vector_t *v = &vectors[vector_count++];
    memset(v, 0, sizeof *v);
    snprintf(v->name, sizeof v->name, "%s", name);
    v->command = (uint8_t)command;
    v->raw_len = hex_decode(raw, v->raw, sizeof v->raw);
    v->frame_len = hex_decode(frame, v->frame, sizeof v->frame);
  }
  fclose(f);
  if (vector_count == 0) return "no vectors in test-vectors.txt";

  char *text = read_file(json_path);
  if (!text) return "cannot read test-vectors.json";
  jparser_t jp = {text, NULL};
  jnode_t *root = parse_value(&jp);
  const char *error = jp.error;
  if (!error) {
    jnode_t *check = member(root, "crc16_ccitt_false_check");
    jnode_t *input = member(check, "input_ascii"), *crc = member(check, "crc");
    if (input && input->str && crc) {
      snprintf(crc_check_input, sizeof crc_check_input, "%s", input->str);
      crc_check_value = crc->num;
    }
    jnode_t *list = member(root, "vectors");
    for (jnode_t *item = list ? list->child : NULL; item; item = item->next) {
      jnode_t *name = member(item, "name");
      vector_t *v = name && name->str ? find_vector(name->str) : NULL;
      if (!v) {
        error = "a vector of test-vectors.json is missing from test-vectors.txt";
        break;
      }
      for (jnode_t *fl = member(item, "fields") ? member(item, "fields")->child : NULL; fl; fl = fl->next) {
        if (v->field_count >= VEC_FIELDS_MAX) break;
        snprintf(v->field_names[v->field_count], sizeof v->field_names[0], "%s", fl->key);
        v->field_values[v->field_count++] = fl->num;
      }
    }
    jnode_t *behaviour = member(root, "behaviour");
    if (!error) error = load_clamping(member(behaviour, "clamping"));
    if (!error) error = load_sequence(member(behaviour, "sequence"));
    if (!error && (clamp_case_count == 0 || seq_case_count == 0)) error = "no behaviour cases in test-vectors.json";
  }
  free_node(root);
  free(text);
  return error;
}

long long vec_field(const vector_t *v, const char *name) {
  for (int i = 0; i < v->field_count; i++) {
    if (!strcmp(v->field_names[i], name)) return v->field_values[i];
  }
  char msg[128];
  snprintf(msg, sizeof msg, "vector %s has no field %s", v->name, name);
  test_fail(__FILE__, __LINE__, msg);
  return 0;
}
