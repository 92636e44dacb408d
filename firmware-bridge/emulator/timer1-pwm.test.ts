import { CPU } from 'avr8js';
import { describe, expect, it } from 'vitest';
import { Timer1Pwm } from './timer1-pwm.js';

const TCCR1A = 0x80;
const TCCR1B = 0x81;
const OCR1AL = 0x88;
const OCR1AH = 0x89;
const OCR1BL = 0x8a;
const ICR1L = 0x86;
const ICR1H = 0x87;
const TIMSK1 = 0x6f;
const TCNT1L = 0x84;
const TCNT1H = 0x85;

function timer(): { cpu: CPU; t1: Timer1Pwm } {
  const cpu = new CPU(new Uint16Array(16 * 1024), 2048);
  return { cpu, t1: new Timer1Pwm(cpu) };
}

/** Writes a 16-bit register the way avr-gcc does: high byte (into TEMP) first. */
function write16(cpu: CPU, low: number, value: number): void {
  cpu.writeData(low + 1, value >> 8);
  cpu.writeData(low, value & 0xff);
}

describe('Timer1 fast PWM model', () => {
  it('gives OCR/TOP in the drive firmware mode (8-bit phase-correct, non-inverting) and null when disconnected', () => {
    const { cpu, t1 } = timer();
    expect(t1.duty('A')).toBeNull(); // COM1A = 0: D9 is plain GPIO
    cpu.writeData(TCCR1A, 0b1010_0001); // COM1A1 COM1B1 WGM10
    cpu.writeData(TCCR1B, 0b001); // clk/1
    write16(cpu, OCR1AL, 200);
    write16(cpu, OCR1BL, 0);
    expect(t1.duty('A')).toBeCloseTo(200 / 255, 12);
    expect(t1.duty('B')).toBe(0);
    write16(cpu, OCR1BL, 255);
    expect(t1.duty('B')).toBe(1);
    cpu.writeData(TCCR1A, 0b1111_0001); // inverting on both
    expect(t1.duty('A')).toBeCloseTo(1 - 200 / 255, 12);
  });

  it('handles fast PWM with TOP from ICR1 and a stopped clock', () => {
    const { cpu, t1 } = timer();
    write16(cpu, ICR1L, 999);
    cpu.writeData(TCCR1A, 0b1000_0010); // COM1A1, WGM11
    cpu.writeData(TCCR1B, 0b0001_1000); // WGM13 WGM12, stopped
    write16(cpu, OCR1AL, 499);
    expect(t1.duty('A')).toBe(0);
    cpu.writeData(TCCR1B, 0b0001_1001);
    expect(t1.duty('A')).toBeCloseTo(500 / 1000, 12);
    expect(cpu.data[ICR1H]).toBe(999 >> 8);
    expect(cpu.data[OCR1AH]).toBe(499 >> 8);
  });

  it('counts TCNT1 up and down in phase-correct mode from the cycle count, read low byte first', () => {
    const { cpu, t1 } = timer();
    cpu.writeData(TCCR1A, 0b0000_0001);
    cpu.writeData(TCCR1B, 0b001);
    cpu.cycles = 300; // 255 up, then 45 down
    expect(t1.tcnt()).toBe(210);
    expect(cpu.readData(TCNT1L)).toBe(210);
    expect(cpu.readData(TCNT1H)).toBe(0);
  });

  it('refuses Timer1 interrupts by name rather than silently never raising them', () => {
    const { cpu } = timer();
    expect(() => cpu.writeData(TIMSK1, 0x01)).toThrow(/TIMSK1 = 0x1: .*timer1: 'avr8js'/);
  });
});
