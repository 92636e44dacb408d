#include "link.h"

#include "base.h"
#include "firmata.h"
#include "frame_parser.h"
#include "inbound.h"
#include "uart.h"

/* Bytes handled per main-loop pass: a full ring waits at most a few passes, and the 1 ms step is
 * never held up by a burst. */
#define LINK_BYTES_PER_PASS 48u

static frame_parser_t parser;
static uint16_t rejected;

void link_init(void) { fp_init(&parser); }

uint16_t link_rejected_frames(void) { return rejected; }

static void on_sysex(const fp_message_t *m) {
  inbound_t in;
  switch (inbound_classify(m->sysex, m->sysex_len, m->sysex_overflow, &in)) {
    case IN_REJECTED: rejected++; return;
    case IN_FIRMATA: firmata_on_sysex(m->sysex, m->sysex_len); return;
    case IN_SET_VELOCITY: base_on_velocity(&in.u.velocity); return;
    case IN_SET_LEDS: base_on_set_leds(&in.u.leds); return;
    case IN_SET_CONFIG: base_on_set_config(&in.u.config); return;
    case IN_CLEAR_STOP: base_on_clear_stop(); return;
    case IN_QUERY_CONFIG: base_on_query_config(); return;
  }
}

void link_service(void) {
  uint8_t byte;
  for (uint8_t n = 0; n < LINK_BYTES_PER_PASS && uart_read(&byte); n++) {
    fp_message_t m;
    uint8_t ev = fp_feed(&parser, byte, &m);
    if (ev & FP_EV_MALFORMED) rejected++;
    if (ev & FP_EV_SYSEX) on_sysex(&m);
    if (ev & FP_EV_MESSAGE) {
      if (m.status == FM_SYSTEM_RESET) {
        base_halt();
        firmata_reset();
      } else {
        firmata_on_message(m.status, m.data[0], m.data[1]);
      }
    }
  }
}
