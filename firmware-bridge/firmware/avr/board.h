/* Pin map of the drive-base board (PROTOCOL.md §1). Every module takes its pins from here. */
#ifndef BOARD_H
#define BOARD_H

#include <avr/io.h>

/* Encoders: channel A on the external interrupt pins, channel B read in the handler. */
#define ENC_LEFT_A_BIT PD2  /* D2, INT0 */
#define ENC_LEFT_B_BIT PD4  /* D4 */
#define ENC_RIGHT_A_BIT PD3 /* D3, INT1 */
#define ENC_RIGHT_B_BIT PD7 /* D7 */

/* Motors: Timer1 PWM + a direction line each, high = forward. */
#define MOTOR_LEFT_PWM_BIT PB1  /* D9, OC1A */
#define MOTOR_LEFT_DIR_BIT PB0  /* D8 */
#define MOTOR_RIGHT_PWM_BIT PB2 /* D10, OC1B */
#define MOTOR_RIGHT_DIR_BIT PB4 /* D12 */

/* Status LED: red and green on Timer0, blue on Timer2. */
#define LED_RED_BIT PD5   /* D5, OC0B */
#define LED_GREEN_BIT PD6 /* D6, OC0A */
#define LED_BLUE_BIT PB3  /* D11, OC2A */

/* Safety inputs on port C, with pull-ups. */
#define BUMPER_BIT PC1 /* A1 = D15: low = pressed */
#define ESTOP_BIT PC2  /* A2 = D16: high = pressed (normally closed to ground; a cut wire reads pressed) */

/* Battery on ADC channel 0 (A0). */
#define BATTERY_ADC_CHANNEL 0

/* Firmata pin numbering: D0..D13 = 0..13, A0..A5 = 14..19. */
#define FIRMATA_PIN_COUNT 20
#define FIRMATA_PIN_A0 14

#endif
