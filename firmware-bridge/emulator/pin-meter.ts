/**
 * Measures how long output pins of one port are high, as an H-bridge or an LED sees them: the
 * time-weighted duty of each watched pin over a window that the caller closes. Driven by avr8js's
 * port listener, so timer compare outputs (PWM) and plain GPIO writes count alike; a pin set as an
 * input counts as low (the bridge input and the LED driver are pulled down).
 */
import type { AVRIOPort, AVRPortConfig, CPU } from 'avr8js';

export class PinMeter {
  readonly #highCycles = new Float64Array(8);
  readonly #since = new Float64Array(8);
  readonly #duty = new Float64Array(8);
  #levels = 0;
  #windowStart: number;

  constructor(
    private readonly cpu: CPU,
    port: AVRIOPort,
    private readonly config: AVRPortConfig,
    private readonly mask: number,
  ) {
    this.#windowStart = cpu.cycles;
    this.#since.fill(cpu.cycles);
    this.#levels = this.#outputLevels(cpu.data[config.PORT] ?? 0);
    port.addListener((value) => this.#onChange(value));
  }

  /** The port listener passes output and pull-up bits alike; only outputs drive the load. */
  #outputLevels(portValue: number): number {
    return portValue & (this.cpu.data[this.config.DDR] ?? 0) & this.mask;
  }

  #onChange(value: number): void {
    const now = this.cpu.cycles;
    const levels = this.#outputLevels(value);
    let changed = levels ^ this.#levels;
    while (changed !== 0) {
      const bit = 31 - Math.clz32(changed);
      changed &= ~(1 << bit);
      if (levels & (1 << bit)) this.#since[bit] = now;
      else this.#highCycles[bit]! += now - this.#since[bit]!;
    }
    this.#levels = levels;
  }

  /** Ends the window at the current cycle: each watched pin's duty becomes readable with `duty`. */
  closeWindow(): void {
    const now = this.cpu.cycles;
    const length = now - this.#windowStart;
    for (let bit = 0; bit < 8; bit++) {
      if (!(this.mask & (1 << bit))) continue;
      if (this.#levels & (1 << bit)) {
        this.#highCycles[bit]! += now - this.#since[bit]!;
        this.#since[bit] = now;
      }
      this.#duty[bit] = length > 0 ? this.#highCycles[bit]! / length : (this.#levels >> bit) & 1;
      this.#highCycles[bit] = 0;
    }
    this.#windowStart = now;
  }

  /** Duty (0..1) of pin `bit` over the last closed window. */
  duty(bit: number): number {
    return this.#duty[bit] ?? 0;
  }
}
