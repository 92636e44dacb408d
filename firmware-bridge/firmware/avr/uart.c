#include "uart.h"

#include <avr/interrupt.h>
#include <avr/io.h>
#include <stdatomic.h>
#include <util/atomic.h>

#include "tx_queue.h"

/* Why the transmitter runs on the TX-complete interrupt rather than data-register-empty (UDRE):
 * a UDRE-driven transmitter has to switch UDRIE on and off in UCSR0B (UDRE is a level: left
 * enabled on an empty queue it fires forever). The avr8js emulator the tests run this firmware in
 * drops a pending receive interrupt on every UCSR0B write (its UCSRB hook calls
 * clearInterrupt(RXC) whenever RXEN stays set), so a UDRE transmitter loses received bytes there.
 * TXC fires once per sent byte and is cleared by taking the interrupt, on silicon and in avr8js
 * alike, so UCSR0B is written once at init and never again. The cost: one interrupt latency
 * (~2 us) between bytes, ~2 % of the line rate. */

#define RX_SIZE 128u /* ~11 ms of line time; the main loop drains it every pass (well under 1 ms) */
#define RX_MASK (RX_SIZE - 1u)

static uint8_t rx_buf[RX_SIZE];
static volatile uint8_t rx_head; /* written by the RX interrupt */
static volatile uint8_t rx_tail; /* written by the main loop */

static tx_queue_t tx;
static volatile bool tx_busy; /* a byte is on the line: its TXC interrupt will come */

void uart_init(void) {
  txq_init(&tx);
  /* U2X: at 16 MHz, UBRR 16 gives 117647 baud (+2.1 %) where normal speed's best is -3.5 %. */
  UCSR0A = _BV(U2X0);
  UBRR0 = (uint16_t)((F_CPU + 4UL * UART_BAUD) / (8UL * UART_BAUD) - 1UL);
  UCSR0C = _BV(UCSZ01) | _BV(UCSZ00); /* 8N1 */
  UCSR0B = _BV(RXEN0) | _BV(TXEN0) | _BV(RXCIE0) | _BV(TXCIE0);
}

ISR(USART_RX_vect) {
  uint8_t byte = UDR0; /* reading clears the interrupt, even when the byte is dropped below */
  uint8_t next = (uint8_t)((rx_head + 1u) & RX_MASK);
  if (next == rx_tail) return; /* full: the frame it belonged to fails its CRC and is counted */
  rx_buf[rx_head] = byte;
  rx_head = next;
}

bool uart_rx_available(void) { return rx_tail != rx_head; }

bool uart_read(uint8_t *byte) {
  uint8_t tail = rx_tail;
  if (tail == rx_head) return false;
  atomic_signal_fence(memory_order_acquire); /* the byte is read only after its head was seen */
  *byte = rx_buf[tail];
  atomic_signal_fence(memory_order_release); /* ...and before its slot is handed back */
  rx_tail = (uint8_t)((tail + 1u) & RX_MASK);
  return true;
}

ISR(USART_TX_vect) {
  uint8_t byte;
  if (txq_next(&tx, &byte)) {
    UDR0 = byte;
  } else {
    tx_busy = false;
  }
}

/* Starts the transmitter when it is idle; while it is busy the TX interrupt picks the message up. */
static void kick(void) {
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) {
    uint8_t byte;
    if (!tx_busy && txq_next(&tx, &byte)) {
      tx_busy = true;
      UDR0 = byte;
    }
  }
}

bool uart_send(const uint8_t *msg, uint8_t len) {
  if (!txq_push(&tx, msg, len)) return false;
  kick();
  return true;
}

bool uart_send_priority(const uint8_t *msg, uint8_t len) {
  if (!txq_push_priority(&tx, msg, len)) return false;
  kick();
  return true;
}
