#include "firmata.h"

#include <avr/io.h>
#include <stdbool.h>

#include "adc.h"
#include "board.h"
#include "frame_parser.h"
#include "inbound.h"
#include "uart.h"

enum {
  MODE_INPUT = 0x00,
  MODE_OUTPUT = 0x01,
  MODE_ANALOG = 0x02,
  MODE_PULLUP = 0x0B,
  MODE_IGNORE = 0x7F, /* Firmata's "not for you": what a drive-base pin reports */
};

#define PORT_COUNT 3 /* pins 0..7, 8..15, 16..19 */
#define ANALOG_CHANNELS 6
#define SAMPLING_DEFAULT_MS 19u
#define SAMPLING_MIN_MS 10u
#define SAMPLING_MAX_MS 1000u

typedef struct {
  volatile uint8_t *pin;
  volatile uint8_t *ddr;
  volatile uint8_t *port;
  uint8_t mask;
} pin_io_t;

static uint8_t mode[FIRMATA_PIN_COUNT];
static uint8_t written[FIRMATA_PIN_COUNT]; /* output value, or 1 for an input with pull-up */
static uint8_t report_ports;               /* bit p: report digital port p */
static uint8_t last_port_value[PORT_COUNT];
static uint8_t report_channels;            /* bit c: report analog channel c */
static uint16_t sampling_ms = SAMPLING_DEFAULT_MS;
static uint32_t last_sample_ms;

/* The free pins: D13 (heartbeat LED) and A3..A5. Everything else belongs to the drive base. */
static bool pin_io(uint8_t pin, pin_io_t *io) {
  if (pin == 13) {
    *io = (pin_io_t){&PINB, &DDRB, &PORTB, _BV(PB5)};
    return true;
  }
  if (pin >= 17 && pin <= 19) {
    *io = (pin_io_t){&PINC, &DDRC, &PORTC, (uint8_t)_BV(pin - FIRMATA_PIN_A0)};
    return true;
  }
  return false;
}

static bool is_analog_pin(uint8_t pin) { return pin >= FIRMATA_PIN_A0 && pin < FIRMATA_PIN_COUNT; }

static bool supports(uint8_t pin, uint8_t m) {
  pin_io_t io;
  if (!pin_io(pin, &io)) return false;
  switch (m) {
    case MODE_INPUT:
    case MODE_OUTPUT:
    case MODE_PULLUP: return true;
    case MODE_ANALOG: return is_analog_pin(pin);
    default: return false;
  }
}

static void update_adc_channels(void) {
  uint8_t mask = 0;
  for (uint8_t c = 0; c < ANALOG_CHANNELS; c++) {
    if (mode[FIRMATA_PIN_A0 + c] == MODE_ANALOG) mask |= (uint8_t)_BV(c);
  }
  adc_set_channels(mask);
}

static void set_mode(uint8_t pin, uint8_t m) {
  pin_io_t io;
  if (!supports(pin, m) || !pin_io(pin, &io)) return;
  mode[pin] = m;
  switch (m) {
    case MODE_OUTPUT:
      if (written[pin]) {
        *io.port |= io.mask;
      } else {
        *io.port &= (uint8_t)~io.mask;
      }
      *io.ddr |= io.mask;
      break;
    case MODE_PULLUP:
      *io.ddr &= (uint8_t)~io.mask;
      *io.port |= io.mask;
      written[pin] = 1;
      break;
    default: /* INPUT, ANALOG: high impedance, no pull-up (it would skew an analog reading) */
      *io.ddr &= (uint8_t)~io.mask;
      *io.port &= (uint8_t)~io.mask;
      written[pin] = 0;
      break;
  }
  update_adc_channels();
}

static void write_pin(uint8_t pin, uint8_t value) {
  pin_io_t io;
  if (!pin_io(pin, &io) || mode[pin] != MODE_OUTPUT) return;
  written[pin] = value ? 1 : 0;
  if (value) {
    *io.port |= io.mask;
  } else {
    *io.port &= (uint8_t)~io.mask;
  }
}

/* Inputs of a port as Firmata reports them: only free pins in INPUT or PULLUP mode. */
static uint8_t read_port(uint8_t port) {
  uint8_t value = 0;
  for (uint8_t bit = 0; bit < 8; bit++) {
    uint8_t pin = (uint8_t)(port * 8u + bit);
    pin_io_t io;
    if (pin >= FIRMATA_PIN_COUNT || !pin_io(pin, &io)) continue;
    if (mode[pin] != MODE_INPUT && mode[pin] != MODE_PULLUP) continue;
    if (*io.pin & io.mask) value |= (uint8_t)_BV(bit);
  }
  return value;
}

static void send_port(uint8_t port, uint8_t value) {
  uint8_t msg[3] = {(uint8_t)(FM_DIGITAL_MESSAGE | port), (uint8_t)(value & 0x7Fu), (uint8_t)(value >> 7)};
  uart_send(msg, sizeof msg);
}

static void send_version(void) {
  static const uint8_t msg[3] = {FM_REPORT_VERSION, FIRMATA_MAJOR, FIRMATA_MINOR};
  uart_send(msg, sizeof msg);
}

static void send_firmware(void) {
  static const char name[] = FIRMATA_NAME;
  uint8_t msg[5 + 2 * (sizeof name - 1)];
  uint8_t n = 0;
  msg[n++] = SYSEX_START;
  msg[n++] = FS_REPORT_FIRMWARE;
  msg[n++] = FIRMATA_MAJOR;
  msg[n++] = FIRMATA_MINOR;
  for (uint8_t i = 0; i < sizeof name - 1; i++) { /* each character as two 7-bit bytes */
    msg[n++] = (uint8_t)(name[i] & 0x7F);
    msg[n++] = (uint8_t)((uint8_t)name[i] >> 7);
  }
  msg[n++] = SYSEX_END;
  uart_send(msg, n);
}

static void send_capabilities(void) {
  /* 16 drive-base pins list no modes (1 byte each), D13 lists 3, A3..A5 list 4 (2 bytes each). */
  uint8_t msg[2 + 16 + 7 + 3 * 9 + 1];
  uint8_t n = 0;
  msg[n++] = SYSEX_START;
  msg[n++] = FS_CAPABILITY_RESPONSE;
  for (uint8_t pin = 0; pin < FIRMATA_PIN_COUNT; pin++) {
    static const uint8_t modes[] = {MODE_INPUT, MODE_OUTPUT, MODE_ANALOG, MODE_PULLUP};
    for (uint8_t i = 0; i < sizeof modes; i++) {
      if (!supports(pin, modes[i])) continue;
      msg[n++] = modes[i];
      msg[n++] = modes[i] == MODE_ANALOG ? 10 : 1; /* resolution in bits */
    }
    msg[n++] = 0x7F;
  }
  msg[n++] = SYSEX_END;
  uart_send(msg, n);
}

static void send_analog_mapping(void) {
  uint8_t msg[2 + FIRMATA_PIN_COUNT + 1];
  uint8_t n = 0;
  msg[n++] = SYSEX_START;
  msg[n++] = FS_ANALOG_MAPPING_RESPONSE;
  for (uint8_t pin = 0; pin < FIRMATA_PIN_COUNT; pin++) {
    msg[n++] = is_analog_pin(pin) ? (uint8_t)(pin - FIRMATA_PIN_A0) : 0x7F;
  }
  msg[n++] = SYSEX_END;
  uart_send(msg, n);
}

static void send_pin_state(uint8_t pin) {
  if (pin >= FIRMATA_PIN_COUNT) return; /* as StandardFirmata: no such pin, no answer */
  uint8_t msg[6] = {SYSEX_START, FS_PIN_STATE_RESPONSE, pin, mode[pin], (uint8_t)(written[pin] & 0x7Fu), SYSEX_END};
  uart_send(msg, sizeof msg);
}

void firmata_reset(void) {
  report_ports = 0;
  report_channels = 0;
  sampling_ms = SAMPLING_DEFAULT_MS;
  for (uint8_t pin = 0; pin < FIRMATA_PIN_COUNT; pin++) {
    mode[pin] = MODE_IGNORE;
    written[pin] = 0;
  }
  /* StandardFirmata's defaults: digital pins outputs (low), analog pins analog inputs. */
  set_mode(13, MODE_OUTPUT);
  for (uint8_t pin = 17; pin <= 19; pin++) set_mode(pin, MODE_ANALOG);
}

void firmata_init(void) { firmata_reset(); }

void firmata_send_startup(void) {
  send_version();
  send_firmware();
}

void firmata_on_message(uint8_t status, uint8_t d0, uint8_t d1) {
  uint8_t low = status & 0x0Fu;
  switch (status & 0xF0u) {
    case FM_DIGITAL_MESSAGE: {
      if (low >= PORT_COUNT) return;
      uint8_t value = (uint8_t)(d0 | (uint8_t)(d1 << 7));
      for (uint8_t bit = 0; bit < 8; bit++) write_pin((uint8_t)(low * 8u + bit), value & _BV(bit));
      return;
    }
    case FM_REPORT_ANALOG:
      if (low >= ANALOG_CHANNELS) return;
      if (d0) {
        report_channels |= (uint8_t)_BV(low);
      } else {
        report_channels &= (uint8_t)~_BV(low);
      }
      return;
    case FM_REPORT_DIGITAL:
      if (low >= PORT_COUNT) return;
      if (d0) {
        report_ports |= (uint8_t)_BV(low);
        last_port_value[low] = read_port(low);
        send_port(low, last_port_value[low]); /* the current state at once, as StandardFirmata */
      } else {
        report_ports &= (uint8_t)~_BV(low);
      }
      return;
    case FM_ANALOG_MESSAGE: return; /* no free PWM pin: nothing to write */
    default: break;
  }
  switch (status) {
    case FM_SET_PIN_MODE:
      if (d0 < FIRMATA_PIN_COUNT) set_mode(d0, d1);
      return;
    case FM_SET_DIGITAL_PIN_VALUE:
      if (d0 < FIRMATA_PIN_COUNT) write_pin(d0, d1);
      return;
    case FM_REPORT_VERSION: send_version(); return;
    default: return; /* SYSTEM_RESET is the link's: it also stops the motors */
  }
}

void firmata_on_sysex(const uint8_t *sysex, uint8_t len) {
  switch (sysex[0]) {
    case FS_REPORT_FIRMWARE: send_firmware(); return;
    case FS_CAPABILITY_QUERY: send_capabilities(); return;
    case FS_ANALOG_MAPPING_QUERY: send_analog_mapping(); return;
    case FS_PIN_STATE_QUERY:
      if (len >= 2) send_pin_state(sysex[1]);
      return;
    case FS_SAMPLING_INTERVAL: {
      if (len < 3) return;
      uint16_t ms = (uint16_t)(sysex[1] | ((uint16_t)sysex[2] << 7));
      if (ms < SAMPLING_MIN_MS) ms = SAMPLING_MIN_MS;
      if (ms > SAMPLING_MAX_MS) ms = SAMPLING_MAX_MS;
      sampling_ms = ms;
      return;
    }
    default: return;
  }
}

/* A free analog pin in ANALOG mode, or A0: the battery divider belongs to the drive base, but a
 * Firmata tool may watch its raw reading (PROTOCOL.md §2). A1 and A2 are switches: never. */
static bool reportable(uint8_t channel) {
  return channel == BATTERY_ADC_CHANNEL || mode[FIRMATA_PIN_A0 + channel] == MODE_ANALOG;
}

void firmata_step(uint32_t now_ms) {
  for (uint8_t port = 0; port < PORT_COUNT; port++) {
    if (!(report_ports & _BV(port))) continue;
    uint8_t value = read_port(port);
    if (value != last_port_value[port]) {
      last_port_value[port] = value;
      send_port(port, value);
    }
  }
  if (now_ms - last_sample_ms < sampling_ms) return;
  last_sample_ms = now_ms;
  for (uint8_t c = 0; c < ANALOG_CHANNELS; c++) {
    if (!(report_channels & _BV(c)) || !reportable(c)) continue;
    uint16_t v = adc_value(c);
    uint8_t msg[3] = {(uint8_t)(FM_ANALOG_MESSAGE | c), (uint8_t)(v & 0x7Fu), (uint8_t)(v >> 7)};
    uart_send(msg, sizeof msg);
  }
}
