/**
 * Timer1 as the drive firmware uses it: a PWM generator for the two motor outputs, OC1A (D9) and
 * OC1B (D10), with no interrupts. avr8js's AVRTimer counts Timer1 with a clock event every CPU
 * cycle at prescaler 1 (the ~31 kHz motor PWM), which makes the whole emulation about 3× slower;
 * this model keeps the registers and computes each output's duty from mode, TOP, OCR and COM bits
 * instead, and TCNT1 from the cycle count when read. The plant needs the duty, not the 31 kHz
 * waveform. A firmware that enables a Timer1 interrupt gets an UNSUPPORTED error naming the exact
 * model (`timer1: 'avr8js'`), never a silently wrong board.
 */
import type { CPU } from 'avr8js';
import { EmulatorError } from './errors.js';

const TIFR1 = 0x36;
const TIMSK1 = 0x6f;
const TCCR1A = 0x80;
const TCCR1B = 0x81;
const TCCR1C = 0x82;
const TCNT1L = 0x84;
const TCNT1H = 0x85;
const ICR1L = 0x86;
const ICR1H = 0x87;
const OCR1AL = 0x88;
const OCR1AH = 0x89;
const OCR1BL = 0x8a;
const OCR1BH = 0x8b;

const DIVIDERS = [0, 1, 8, 64, 256, 1024, 0, 0] as const;

type Kind = 'normal' | 'ctc' | 'fast' | 'phase';
/** WGM13:0 → counting kind and TOP (a number, or 'ocra' / 'icr'), datasheet table 15-5. */
const MODES: readonly (readonly [Kind, number | 'ocra' | 'icr'])[] = [
  ['normal', 0xffff],
  ['phase', 0x00ff],
  ['phase', 0x01ff],
  ['phase', 0x03ff],
  ['ctc', 'ocra'],
  ['fast', 0x00ff],
  ['fast', 0x01ff],
  ['fast', 0x03ff],
  ['phase', 'icr'],
  ['phase', 'ocra'],
  ['phase', 'icr'],
  ['phase', 'ocra'],
  ['ctc', 'icr'],
  ['normal', 0xffff],
  ['fast', 'icr'],
  ['fast', 'ocra'],
];

export type PwmChannel = 'A' | 'B';

export class Timer1Pwm {
  #temp = 0;
  #ocrA = 0;
  #ocrB = 0;
  #icr = 0;
  /** TCNT1 at `#countFromCycle`, counting in the direction of the mode from there. */
  #countFromValue = 0;
  #countFromCycle = 0;

  constructor(private readonly cpu: CPU) {
    const data = cpu.data;
    const high = (value: number, _old: number, addr: number): boolean => {
      this.#temp = value;
      data[addr] = value;
      return true;
    };
    cpu.writeHooks[OCR1AH] = high;
    cpu.writeHooks[OCR1BH] = high;
    cpu.writeHooks[ICR1H] = high;
    cpu.writeHooks[TCNT1H] = (value) => {
      this.#temp = value;
      return true;
    };
    cpu.writeHooks[OCR1AL] = (value) => {
      this.#ocrA = (this.#temp << 8) | value;
      data[OCR1AL] = value;
      data[OCR1AH] = this.#temp;
      return true;
    };
    cpu.writeHooks[OCR1BL] = (value) => {
      this.#ocrB = (this.#temp << 8) | value;
      data[OCR1BL] = value;
      data[OCR1BH] = this.#temp;
      return true;
    };
    cpu.writeHooks[ICR1L] = (value) => {
      this.#icr = (this.#temp << 8) | value;
      data[ICR1L] = value;
      data[ICR1H] = this.#temp;
      return true;
    };
    cpu.writeHooks[TCNT1L] = (value) => {
      this.#countFromValue = (this.#temp << 8) | value;
      this.#countFromCycle = cpu.cycles;
      return true;
    };
    // Reading the low byte latches the high byte into TEMP, as the chip does for 16-bit reads.
    cpu.readHooks[TCNT1L] = () => {
      const tcnt = this.tcnt();
      this.#temp = tcnt >> 8;
      return tcnt & 0xff;
    };
    cpu.readHooks[TCNT1H] = () => this.#temp;
    cpu.writeHooks[TCCR1B] = (value) => {
      // Re-anchor the count so a prescaler change does not rewrite the past.
      this.#countFromValue = this.tcnt();
      this.#countFromCycle = cpu.cycles;
      data[TCCR1B] = value;
      return true;
    };
    cpu.writeHooks[TCCR1C] = () => true;
    cpu.writeHooks[TIFR1] = () => true;
    cpu.writeHooks[TIMSK1] = (value) => {
      if (value !== 0) {
        throw new EmulatorError(
          'UNSUPPORTED',
          'Timer1 (fast PWM model)',
          `TIMSK1 = 0x${value.toString(16)}: Timer1 interrupts are not emulated by the fast model; ` +
            `build the board with { timer1: 'avr8js' }`,
        );
      }
      data[TIMSK1] = value;
      return true;
    };
  }

  get #wgm(): number {
    return ((this.cpu.data[TCCR1B]! >> 1) & 0x0c) | (this.cpu.data[TCCR1A]! & 0x03);
  }

  get #top(): number {
    const top = MODES[this.#wgm]![1];
    return top === 'ocra' ? this.#ocrA : top === 'icr' ? this.#icr : top;
  }

  /** TCNT1 now, from the cycles elapsed since it was last written or re-anchored. */
  tcnt(): number {
    const divider = DIVIDERS[this.cpu.data[TCCR1B]! & 7]!;
    if (divider === 0) return this.#countFromValue;
    const counts = Math.floor((this.cpu.cycles - this.#countFromCycle) / divider);
    const top = this.#top;
    if (top === 0) return 0;
    const n = this.#countFromValue + counts;
    if (MODES[this.#wgm]![0] !== 'phase') return n % (top + 1);
    const m = n % (2 * top);
    return m <= top ? m : 2 * top - m;
  }

  /**
   * Fraction of time the output compare pin is high, or null when the channel is disconnected
   * from the timer (COM1x = 0, or a toggle mode the channel does not have) and the pin is plain GPIO.
   */
  duty(channel: PwmChannel): number | null {
    const tccr1a = this.cpu.data[TCCR1A]!;
    const com = (tccr1a >> (channel === 'A' ? 6 : 4)) & 3;
    if (com === 0) return null;
    const wgm = this.#wgm;
    const [kind] = MODES[wgm]!;
    const top = this.#top;
    const ocr = channel === 'A' ? this.#ocrA : this.#ocrB;
    const running = (this.cpu.data[TCCR1B]! & 7) !== 0;
    if (kind === 'normal' || kind === 'ctc') {
      if (!running) return 0;
      if (com === 1) return ocr <= top ? 0.5 : 0;
      return com === 3 ? 1 : 0;
    }
    if (com === 1) {
      // Toggle on match exists in PWM modes only for OC1A, and only with TOP = OCR1A.
      return channel === 'A' && (wgm === 9 || wgm === 11 || wgm === 14 || wgm === 15) && running ? 0.5 : null;
    }
    if (!running) return 0;
    let high: number;
    if (kind === 'fast') high = ocr >= top ? 1 : (ocr + 1) / (top + 1);
    else high = top === 0 ? 0 : Math.min(ocr, top) / top;
    return com === 3 ? 1 - high : high;
  }
}
