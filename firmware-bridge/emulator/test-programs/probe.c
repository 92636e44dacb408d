/*
 * Probe: a tiny ATmega328P program that exercises the emulator's harness without the drive
 * firmware. It uses the same pins and peripherals as the drive firmware (PROTOCOL.md §1), so the
 * harness tests check the wiring (PWM pins, direction pins, encoder interrupts, ADC, inputs,
 * watchdog, USART) independently of the firmware's logic.
 *
 * Serial at 115200 baud, 8N1 (U2X, UBRR 16, as the Arduino core does; -DPROBE_UBRR=n and
 * -DPROBE_U2X=0 build variants at other rates). LEDs: red (D5, OC0B) at duty 65/256 and blue
 * (D11, OC2A) at 192/256, both fast PWM at clk/64 as the drive firmware runs them. Bytes from the host:
 *   0x01 l r dirs   set OCR1A = l (left PWM), OCR1B = r (right PWM), D8 = dirs bit 0 (left
 *                   forward), D12 = dirs bit 1 (right forward); answers 0x01
 *   0x02            answers 0x02, i32 left count, i32 right count, u16 ADC0, u8 PINC (LE)
 *   0x03            enables the watchdog (16 ms) and hangs: the board must reset
 *   anything else   echoed back; D13 toggles per echoed byte
 * At start-up it sends 'P' and, after a watchdog reset, 'W' first.
 * Encoder counts: any edge of channel A; forward when A != B after the edge (B lags A by 90°).
 */
#include <avr/interrupt.h>
#include <avr/io.h>
#include <avr/wdt.h>
#include <stdint.h>

#ifndef PROBE_UBRR
#define PROBE_UBRR 16
#endif
#ifndef PROBE_U2X
#define PROBE_U2X 1
#endif

static volatile int32_t left_count;
static volatile int32_t right_count;
static uint8_t reset_cause __attribute__((section(".noinit")));

/* The watchdog stays enabled after a watchdog reset; turn it off before anything else. */
void early_wdt_off(void) __attribute__((naked, used, section(".init3")));
void early_wdt_off(void) {
  reset_cause = MCUSR;
  MCUSR = 0;
  wdt_disable();
}

ISR(INT0_vect) {
  uint8_t pins = PIND;
  uint8_t a = (pins >> PD2) & 1, b = (pins >> PD4) & 1;
  left_count += (a != b) ? 1 : -1;
}

ISR(INT1_vect) {
  uint8_t pins = PIND;
  uint8_t a = (pins >> PD3) & 1, b = (pins >> PD7) & 1;
  right_count += (a != b) ? 1 : -1;
}

static void uart_put(uint8_t byte) {
  while (!(UCSR0A & _BV(UDRE0))) {
  }
  UDR0 = byte;
}

static uint8_t uart_get(void) {
  while (!(UCSR0A & _BV(RXC0))) {
  }
  return UDR0;
}

static void put32(int32_t v) {
  for (uint8_t i = 0; i < 4; i++) uart_put((uint8_t)((uint32_t)v >> (8 * i)));
}

static uint16_t adc_read(uint8_t channel) {
  ADMUX = _BV(REFS0) | channel; /* AVcc reference */
  ADCSRA |= _BV(ADSC);
  while (ADCSRA & _BV(ADSC)) {
  }
  return ADC;
}

int main(void) {
  UCSR0A = PROBE_U2X ? _BV(U2X0) : 0;
  UBRR0 = PROBE_UBRR;
  UCSR0B = _BV(RXEN0) | _BV(TXEN0);
  UCSR0C = _BV(UCSZ01) | _BV(UCSZ00);

  DDRB = _BV(PB0) | _BV(PB1) | _BV(PB2) | _BV(PB4) | _BV(PB5); /* D8 D9 D10 D12 D13 */
  PORTC = _BV(PC1) | _BV(PC2);                                 /* pull-ups on A1, A2 */
  /* Timer1: 8-bit phase-correct PWM, no prescaler (31.4 kHz), non-inverting on OC1A and OC1B. */
  TCCR1A = _BV(COM1A1) | _BV(COM1B1) | _BV(WGM10);
  TCCR1B = _BV(CS10);
  OCR1A = 0;
  OCR1B = 0;
  DDRB |= _BV(PB3);             /* D11 */
  DDRD = _BV(PD5) | _BV(PD6);   /* D5, D6 */
  TCCR0A = _BV(COM0B1) | _BV(WGM01) | _BV(WGM00);
  TCCR0B = _BV(CS01) | _BV(CS00);
  OCR0B = 64;
  TCCR2A = _BV(COM2A1) | _BV(WGM21) | _BV(WGM20);
  TCCR2B = _BV(CS22);
  OCR2A = 191;
  /* INT0 and INT1 on any edge. */
  EICRA = _BV(ISC00) | _BV(ISC10);
  EIMSK = _BV(INT0) | _BV(INT1);
  ADCSRA = _BV(ADEN) | _BV(ADPS2) | _BV(ADPS1) | _BV(ADPS0);
  sei();

  if (reset_cause & _BV(WDRF)) uart_put('W');
  uart_put('P');
  for (;;) {
    uint8_t cmd = uart_get();
    if (cmd == 0x01) {
      uint8_t l = uart_get(), r = uart_get(), dirs = uart_get();
      OCR1A = l;
      OCR1B = r;
      PORTB = (PORTB & ~(_BV(PB0) | _BV(PB4))) | ((dirs & 1) ? _BV(PB0) : 0) | ((dirs & 2) ? _BV(PB4) : 0);
      uart_put(0x01);
    } else if (cmd == 0x02) {
      cli();
      int32_t l = left_count, r = right_count;
      sei();
      uint16_t adc = adc_read(0);
      uart_put(0x02);
      put32(l);
      put32(r);
      uart_put((uint8_t)adc);
      uart_put((uint8_t)(adc >> 8));
      uart_put(PINC);
    } else if (cmd == 0x03) {
      wdt_enable(WDTO_15MS);
      for (;;) {
      }
    } else {
      uart_put(cmd);
      PINB = _BV(PB5);
    }
  }
}
