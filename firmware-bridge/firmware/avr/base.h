/* The drive base on the board: moves values between the hardware (encoders, safety inputs,
 * battery ADC, motors) and the pure drive logic every 1 ms, answers the drive-base commands and
 * sends TELEMETRY every 20 ms (PROTOCOL.md §3, §4). */
#ifndef BASE_H
#define BASE_H

#include <stdint.h>

#include "config.h"
#include "sysex_codec.h"

#define TELEMETRY_PERIOD_MS 20u

void base_init(void);
void base_step(uint32_t now_ms);

void base_on_velocity(const msg_set_velocity_t *v); /* answers VELOCITY_ACK on the priority queue */
void base_on_set_config(const config_t *c);         /* answers CONFIG_REPORT */
void base_on_query_config(void);                    /* answers CONFIG_REPORT */
void base_on_clear_stop(void);                      /* answers COMMAND_ACK */
void base_on_set_leds(const msg_set_leds_t *l);     /* answers COMMAND_ACK */
void base_halt(void); /* SYSTEM_RESET */

#endif
