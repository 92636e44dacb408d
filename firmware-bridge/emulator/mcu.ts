/**
 * One power-up of the ATmega328P: avr8js's CPU with the peripherals the drive firmware uses
 * (PROTOCOL.md §1). A reset builds a new one: avr8js's `CPU.reset()` keeps every I/O register and
 * peripheral's state, which a real reset clears, so the board rebuilds the chip instead.
 */
import {
  AVRADC,
  AVRClock,
  AVRIOPort,
  AVRTimer,
  AVRUSART,
  AVRWatchdog,
  CPU,
  adcConfig,
  avrInstruction,
  clockConfig,
  portBConfig,
  portCConfig,
  portDConfig,
  timer0Config,
  timer1Config,
  timer2Config,
  usart0Config,
  watchdogConfig,
} from 'avr8js';
import { PinMeter } from './pin-meter.js';
import { Timer1Pwm } from './timer1-pwm.js';

export const CLOCK_HZ = 16_000_000;
/** SRAM of the ATmega328P. */
const SRAM_BYTES = 2048;

/** Why the chip (re)started; sets MCUSR as the hardware does. */
export type ResetCause = 'power-on' | 'external' | 'watchdog';
const MCUSR_BITS: Record<ResetCause, number> = { 'power-on': 0x01, external: 0x02, watchdog: 0x08 };
const WDTCSR_WDCE = 0x10;
const WDTCSR_WDE = 0x08;
const UCSRA_U2X = 0x02;

/** How Timer1 (the motor PWM) is emulated; see timer1-pwm.ts. */
export type Timer1Model = 'fast' | 'avr8js';

export class Mcu {
  readonly cpu: CPU;
  readonly portB: AVRIOPort;
  readonly portC: AVRIOPort;
  readonly portD: AVRIOPort;
  readonly usart: AVRUSART;
  readonly adc: AVRADC;
  readonly watchdog: AVRWatchdog;
  /** Set by the fast model; null when avr8js's AVRTimer runs Timer1. */
  readonly timer1Pwm: Timer1Pwm | null;
  /** Motor PWM pins D9, D10 measured from their levels (exact Timer1 model only). */
  readonly motorMeter: PinMeter | null;
  /** LED pins: D11 (blue) on port B, D5 (red) and D6 (green) on port D. */
  readonly ledMeterB: PinMeter;
  readonly ledMeterD: PinMeter;
  /** Set when the watchdog timed out: the run loop stops and the board builds a fresh chip. */
  watchdogFired = false;

  constructor(program: Uint16Array, startCycle: number, cause: ResetCause, timer1: Timer1Model) {
    const cpu = new CPU(program, SRAM_BYTES);
    cpu.cycles = startCycle;
    this.cpu = cpu;
    this.portB = new AVRIOPort(cpu, portBConfig);
    this.portC = new AVRIOPort(cpu, portCConfig);
    this.portD = new AVRIOPort(cpu, portDConfig);
    const clock = new AVRClock(cpu, CLOCK_HZ, clockConfig);
    new AVRTimer(cpu, timer0Config);
    new AVRTimer(cpu, timer2Config);
    if (timer1 === 'avr8js') {
      new AVRTimer(cpu, timer1Config);
      this.timer1Pwm = null;
      this.motorMeter = new PinMeter(cpu, this.portB, portBConfig, 0b0000_0110);
    } else {
      this.timer1Pwm = new Timer1Pwm(cpu);
      this.motorMeter = null;
    }
    this.ledMeterB = new PinMeter(cpu, this.portB, portBConfig, 0b0000_1000);
    this.ledMeterD = new PinMeter(cpu, this.portD, portDConfig, 0b0110_0000);
    this.usart = new AVRUSART(cpu, usart0Config, CLOCK_HZ);
    this.adc = new AVRADC(cpu, adcConfig);
    this.watchdog = new AVRWatchdog(cpu, watchdogConfig, clock);
    // avr8js resets the CPU in place on a watchdog timeout; the board wants a whole new chip.
    cpu.reset = () => {
      this.watchdogFired = true;
    };
    cpu.data[watchdogConfig.MCUSR] = MCUSR_BITS[cause];
    if (cause === 'watchdog') {
      // After a watchdog reset the watchdog stays on at its shortest period (16 ms) until the
      // firmware turns it off: the timed sequence, through avr8js's own register hook.
      cpu.writeData(watchdogConfig.WDTCSR, WDTCSR_WDCE | WDTCSR_WDE);
      cpu.writeData(watchdogConfig.WDTCSR, WDTCSR_WDE);
    }
  }

  /** CPU cycles one character takes at the rate the firmware set (avr8js keeps its own private). */
  usartCyclesPerChar(): number {
    const data = this.cpu.data;
    const ubrr = ((data[usart0Config.UBRRH] ?? 0) << 8) | (data[usart0Config.UBRRL] ?? 0);
    const cyclesPerBit = (ubrr + 1) * ((data[usart0Config.UCSRA] ?? 0) & UCSRA_U2X ? 8 : 16);
    const u = this.usart;
    return cyclesPerBit * (1 + u.bitsPerChar + u.stopBits + (u.parityEnabled ? 1 : 0));
  }

  /** Runs instructions until `stop` cycles (the last one may overshoot by its length) or a watchdog reset. */
  runUntil(stop: number): void {
    const cpu = this.cpu;
    while (cpu.cycles < stop && !this.watchdogFired) {
      avrInstruction(cpu);
      cpu.tick();
    }
  }
}
