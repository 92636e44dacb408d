/* Drive-base firmware for the ATmega328P at 16 MHz: Firmata for johnny-five plus the drive-base
 * Sysex messages, with the robot's safety rules enforced on the board (PROTOCOL.md).
 *
 * Interrupts only count and buffer (tick, encoders, UART, safety inputs); everything else runs in
 * the main loop, in 1 ms steps driven by the tick. The watchdog is fed once per completed step, so
 * it bites when the loop hangs and also when the tick stops (no steps means no control). */
#include <avr/interrupt.h>
#include <avr/sleep.h>
#include <stdint.h>

#include "adc.h"
#include "base.h"
#include "encoders.h"
#include "firmata.h"
#include "inputs.h"
#include "leds.h"
#include "link.h"
#include "motors.h"
#include "tick.h"
#include "uart.h"
#include "watchdog.h"

/* Idle sleep until the next interrupt when there is nothing to do (the next tick, a received or
 * sent byte, an encoder edge): less current from the robot's battery, and an emulator may skip
 * ahead to its next event on SLEEP. Idle mode keeps the timers, PWM, USART and ADC running. */
static void idle_until_interrupt(uint32_t stepped) {
  cli();
  if (!uart_rx_available() && tick_uptime_ms() == stepped) {
    sleep_enable();
    sei(); /* the instruction after SEI runs before any interrupt: a wake-up cannot slip in between */
    sleep_cpu();
    sleep_disable();
  }
  sei();
}

int main(void) {
  motors_init(); /* first: PWM outputs low before anything else can go wrong */
  tick_init();
  encoders_init();
  inputs_init();
  adc_init();
  leds_init();
  uart_init();
  link_init();
  base_init();
  firmata_init();
  sei();
  firmata_send_startup();
  watchdog_start();
  set_sleep_mode(SLEEP_MODE_IDLE);

  uint32_t stepped = tick_uptime_ms();
  for (;;) {
    link_service();
    adc_service();
    uint32_t now = tick_uptime_ms();
    if (now == stepped) {
      idle_until_interrupt(stepped);
      continue;
    }
    /* Catch up step by step: the 250 ms timeout, the ramps and the 20 ms telemetry count steps. */
    while (stepped != now) {
      stepped++;
      base_step(stepped);
      leds_update(stepped);
      firmata_step(stepped);
    }
    watchdog_feed();
  }
}
