/**
 * The drive-base board, emulated: the real firmware .hex running on avr8js's ATmega328P at
 * 16 MHz, with the motor and encoder plant on its pins, the bumper, e-stop and battery on its
 * inputs, and its USART behind `transport`, a serial port the host driver opens as it would the
 * USB cable. Time is emulated and advances only through `advanceNs`/`advanceTo`, so a simulator
 * can step it in lockstep with its own clock (runRealtime in realtime.ts paces it by wall time).
 *
 * Pin map (PROTOCOL.md §1): D9/D8 left PWM/direction, D10/D12 right PWM/direction, D2/D4 left
 * encoder A/B, D3/D7 right encoder A/B, A0 battery through 1:3, A1 bumper (low = pressed, pull-up),
 * A2 e-stop (closed to ground, high = pressed), D5/D6/D11 LED red/green/blue, D13 heartbeat.
 */
import { readFile } from 'node:fs/promises';
import { portBConfig, portCConfig, portDConfig } from 'avr8js';
import { EmulatorError, requireInRange } from './errors.js';
import { TimedByteQueue } from './byte-queue.js';
import { parseIntelHex } from './intel-hex.js';
import { CLOCK_HZ, Mcu, type ResetCause, type Timer1Model } from './mcu.js';
import { DrivePlant, LEFT, RIGHT, channelA, channelB, type PlantParams, type Side } from './plant.js';
import { EmulatedSerialPort } from './serial-port.js';

export interface EmulatedBoardOptions {
  /** Timer1 (motor PWM) model: 'fast' (default, ~3× faster) or avr8js's cycle-exact 'avr8js'. */
  timer1?: Timer1Model;
  /** Motor and encoder plant; defaults in plant.ts (1.5 m/s no-load at 12 V, τ 60 ms, 2000 ticks/m). */
  plant?: Partial<PlantParams>;
  /** Battery voltage at start, V. Default 12. */
  batteryVolts?: number;
  /** How often the plant is stepped, ns of emulated time. Default 100 µs. */
  plantStepNs?: number;
  /** Opening the port resets the board, as an Arduino's DTR auto-reset does. Default true. */
  resetOnOpen?: boolean;
  /**
   * After an external (DTR) reset, ns the firmware stays held, as an Uno's bootloader waits for an
   * upload before starting it (Optiboot: about 0.5 s); host bytes meanwhile are lost. Default 0.
   */
  bootDelayNs?: number;
  /** The port's `path`, for logs. Default 'emulated:atmega328p'. */
  path?: string;
  /** Names the program in errors (its file). */
  source?: string;
}

/** Left and right, as the simulator's WheelSpeedSource and the telemetry name them. */
export interface Wheels {
  left: number;
  right: number;
}

export interface BoardStats {
  /** CPU cycles run since power-on. */
  cycles: number;
  watchdogResets: number;
  /** Resets by the DTR line (the host opening the port) or `reset()`. */
  externalResets: number;
  /** Host bytes that reached the board while its receiver was off (during start-up): lost. */
  rxDropped: number;
  /** Host bytes that arrived before the firmware read the previous one: one of them is lost. */
  rxOverruns: number;
  /** Bytes lost because the firmware's baud rate is more than 3 % off 115200. */
  framingErrors: number;
  txBytes: number;
  rxBytes: number;
}

/** Called with each byte from the board as its stop bit reaches the host, in emulated ns. */
export type SerialByteListener = (byte: number, atNs: bigint) => void;

const HOST_BAUD = 115200;
/** 10 bits (start, 8 data, stop) at the host's 115200 baud: 86.8 µs. */
const HOST_BYTE_CYCLES = (10 * CLOCK_HZ) / HOST_BAUD;
/** A UART pair works within about ±3 % of each other's baud rate with 8N1 framing. */
const BAUD_TOLERANCE = 0.03;
/** LED duty is averaged over 8.192 ms: whole periods of Timer0/Timer2 PWM at prescaler 64. */
const LED_WINDOW_CYCLES = 131_072;
const UCSR0A = 0x0c0;
const UCSR0A_RXC = 0x80;
/** Bits of the encoder channels on port D: [side] → A, B. */
const ENCODER_A = [2, 3] as const;
const ENCODER_B = [4, 7] as const;
/** Bits on port C. */
const BUMPER_BIT = 1;
const ESTOP_BIT = 2;
/** Bits on port B: PWM (OC1A, OC1B) and direction (D8, D12) per side. */
const PWM_BIT = [1, 2] as const;
const DIR_BIT = [0, 4] as const;

export class EmulatedBoard {
  /** The host end of the USB cable: hand it to firmata / johnny-five as their port. */
  readonly transport: EmulatedSerialPort;
  readonly #program: Uint16Array;
  readonly #timer1: Timer1Model;
  readonly #resetOnOpen: boolean;
  readonly #bootDelayCycles: number;
  /** The firmware does not run before this cycle (held in the bootloader after a reset). */
  #heldUntil = 0;
  readonly #plant: DrivePlant;
  readonly #stepCycles: number;
  readonly #stepS: number;
  #mcu: Mcu;
  #timeNs = 0n;
  #running = false;
  // Plant state between steps.
  #stepStart = 0;
  #nextStep = 0;
  readonly #edgeAt = new Float64Array([Infinity, Infinity]);
  readonly #drive = new Float64Array(2);
  #nextLedWindow = LED_WINDOW_CYCLES;
  // The world on the inputs.
  #bumper = false;
  #estop = false;
  #batteryVolts: number;
  // The wire.
  readonly #rx = new TimedByteQueue();
  readonly #tx = new TimedByteQueue();
  readonly #hostBatch: number[] = [];
  readonly #listeners: SerialByteListener[] = [];
  readonly #stats: BoardStats = {
    cycles: 0,
    watchdogResets: 0,
    externalResets: 0,
    rxDropped: 0,
    rxOverruns: 0,
    framingErrors: 0,
    txBytes: 0,
    rxBytes: 0,
  };

  /** Loads an Intel HEX file (as `avr-objcopy -O ihex` writes it) into a powered-up board. */
  static async fromHexFile(path: string, options: EmulatedBoardOptions = {}): Promise<EmulatedBoard> {
    const text = await readFile(path, 'utf8');
    return EmulatedBoard.fromHex(text, { source: path, ...options });
  }

  static fromHex(text: string, options: EmulatedBoardOptions = {}): EmulatedBoard {
    return new EmulatedBoard(parseIntelHex(text, { source: options.source ?? '<hex>' }), options);
  }

  /** A powered-up board running `program` (flash words) from emulated time 0. */
  constructor(program: Uint16Array, options: EmulatedBoardOptions = {}) {
    this.#program = program;
    this.#timer1 = options.timer1 ?? 'fast';
    this.#resetOnOpen = options.resetOnOpen ?? true;
    const bootNs = requireInRange(options.bootDelayNs ?? 0, 'bootDelayNs', 0, 10_000_000_000);
    this.#bootDelayCycles = Math.round((bootNs * CLOCK_HZ) / 1e9);
    this.#plant = new DrivePlant(options.plant);
    this.#batteryVolts = requireInRange(options.batteryVolts ?? 12, 'batteryVolts', 0, 30);
    const stepNs = requireInRange(options.plantStepNs ?? 100_000, 'plantStepNs', 1_000, 10_000_000);
    this.#stepCycles = Math.round((stepNs * CLOCK_HZ) / 1e9);
    this.#stepS = this.#stepCycles / CLOCK_HZ;
    this.#nextStep = 0;
    this.transport = new EmulatedSerialPort(
      {
        hostWrite: (bytes) => this.#hostWrite(bytes),
        hostOpened: () => {
          if (this.#resetOnOpen) this.reset();
        },
      },
      options.path,
    );
    this.#mcu = this.#powerUp('power-on', 0);
  }

  /** Emulated time the board has been advanced to, ns since power-on. */
  nowNs(): bigint {
    return this.#timeNs;
  }

  /** Runs the board for `ns` more nanoseconds of emulated time (16 CPU cycles per µs). */
  advanceNs(ns: number | bigint): void {
    const delta = typeof ns === 'bigint' ? ns : BigInt(Math.round(requireInRange(ns, 'advanceNs', 0, 1e15)));
    if (delta < 0n) throw new EmulatorError('BAD_NUMBER', 'advanceNs', `expected ns ≥ 0, found ${delta}`);
    this.advanceTo(this.#timeNs + delta);
  }

  /**
   * Runs the board until emulated time `timeNs`. The CPU stops at the first instruction boundary
   * at or after it (at most 4 cycles, 250 ns, later); the next call continues from there, so
   * stepping never drifts.
   */
  advanceTo(timeNs: bigint): void {
    if (timeNs <= this.#timeNs) return;
    if (this.#running)
      throw new EmulatorError('UNSUPPORTED', 'advanceTo', 'called from inside a board callback');
    this.#running = true;
    try {
      this.#run(Number((timeNs * BigInt(CLOCK_HZ) + 999_999_999n) / 1_000_000_000n));
      this.#timeNs = timeNs;
    } finally {
      this.#running = false;
      this.#flushToHost();
    }
  }

  /** Presses or releases the bumper (A1 reads low while pressed). */
  setBumper(pressed: boolean): void {
    this.#bumper = pressed;
    this.#applyInputs();
  }

  /** Presses or releases the e-stop (A2 is normally closed to ground; pressed opens it: high). */
  setEstop(pressed: boolean): void {
    this.#estop = pressed;
    this.#applyInputs();
  }

  /** Battery voltage, V; A0 sees a third of it. */
  setBatteryVolts(volts: number): void {
    this.#batteryVolts = requireInRange(volts, 'setBatteryVolts', 0, 30);
    this.#applyInputs();
  }

  /** True wheel ground speeds, m/s, forward positive. */
  wheelSpeeds(): Wheels {
    return { left: this.#plant.speed(LEFT), right: this.#plant.speed(RIGHT) };
  }

  /** True wheel travel since power-on, m. */
  wheelPositions(): Wheels {
    return { left: this.#plant.position(LEFT), right: this.#plant.position(RIGHT) };
  }

  /** Channel-A edges the encoders have produced (signed): what correct firmware has counted. */
  ticks(): Wheels {
    return { left: this.#plant.ticks(LEFT), right: this.#plant.ticks(RIGHT) };
  }

  /** Signed motor drive the H-bridges see (PWM duty × direction, -1..1), over the last plant step. */
  pwm(): Wheels {
    return { left: this.#drive[LEFT]!, right: this.#drive[RIGHT]! };
  }

  /** LED brightness (PWM duty 0..1) over the last 8.192 ms. */
  leds(): { red: number; green: number; blue: number } {
    const m = this.#mcu;
    return { red: m.ledMeterD.duty(5), green: m.ledMeterD.duty(6), blue: m.ledMeterB.duty(3) };
  }

  /**
   * Level of Arduino pin 0…19 (D0–D13, A0–A5 = 14–19) as the chip's PIN register reads it. With
   * the fast Timer1 model, D9/D10 show their PORT bits, not the PWM waveform: use `pwm()`.
   */
  pinLevel(pin: number): boolean {
    requireInRange(pin, 'pinLevel', 0, 19);
    const [address, bit] =
      pin < 8 ? [portDConfig.PIN, pin] : pin < 14 ? [portBConfig.PIN, pin - 8] : [portCConfig.PIN, pin - 14];
    return ((this.#mcu.cpu.data[address]! >> bit) & 1) === 1;
  }

  /** Listens to bytes from the board as they reach the host, with their arrival time. */
  onSerialByte(listener: SerialByteListener): () => void {
    this.#listeners.push(listener);
    return () => {
      const i = this.#listeners.indexOf(listener);
      if (i >= 0) this.#listeners.splice(i, 1);
    };
  }

  /** Pulls the USB cable: the port closes (DisconnectedError); the board runs on from its battery. */
  unplug(): void {
    this.#rx.clear();
    this.#tx.clear();
    this.#hostBatch.length = 0;
    this.transport.unplug();
  }

  /** Plugs the cable back in; the host's next `open()` resets the board (DTR), as on an Arduino. */
  replug(): void {
    this.transport.replug();
  }

  /**
   * A program opened the port behind a pty (PtyBridge), which carries no DTR line: what was on its
   * way to the host is dropped (the USB-serial chip had no one to give it to) and, with
   * `resetOnOpen`, the board resets as an Uno does on the open, so the opener hears the start-up
   * report first and nothing stale.
   */
  hostAttached(): void {
    this.#tx.clear();
    this.#hostBatch.length = 0;
    if (this.#resetOnOpen) this.reset();
  }

  /** Pulses the reset line (external reset): the firmware starts again; the wheels roll on. */
  reset(): void {
    this.#stats.externalResets++;
    const now = this.#mcu.cpu.cycles;
    this.#mcu = this.#powerUp('external', now);
    this.#heldUntil = now + this.#bootDelayCycles;
  }

  stats(): BoardStats {
    return { ...this.#stats, cycles: this.#mcu.cpu.cycles };
  }

  #powerUp(cause: ResetCause, cycle: number): Mcu {
    const mcu = new Mcu(this.#program, cycle, cause, this.#timer1);
    mcu.usart.onByteTransmit = (byte) => this.#boardTransmit(mcu, byte);
    mcu.portC.addListener(() => this.#applyInputs());
    this.#mcu = mcu;
    this.#setEncoderPins(LEFT, this.#plant.quarter(LEFT));
    this.#setEncoderPins(RIGHT, this.#plant.quarter(RIGHT));
    this.#applyInputs();
    return mcu;
  }

  #run(targetCycle: number): void {
    const edgeAt = this.#edgeAt;
    for (;;) {
      const mcu = this.#mcu;
      const stop = Math.min(
        targetCycle,
        this.#nextStep,
        edgeAt[0]!,
        edgeAt[1]!,
        this.#rx.nextAt,
        this.#tx.nextAt,
      );
      if (mcu.cpu.cycles < this.#heldUntil) {
        // In reset: time passes, no instruction runs, the receiver is off.
        mcu.cpu.cycles = Math.max(mcu.cpu.cycles, Math.min(stop, this.#heldUntil));
      } else mcu.runUntil(stop);
      if (mcu.watchdogFired) {
        this.#stats.watchdogResets++;
        this.#powerUp('watchdog', mcu.cpu.cycles);
        continue;
      }
      const now = mcu.cpu.cycles;
      while (edgeAt[0]! <= now) this.#encoderEdge(LEFT);
      while (edgeAt[1]! <= now) this.#encoderEdge(RIGHT);
      while (this.#tx.nextAt <= now) this.#deliverToHost();
      while (this.#rx.nextAt <= now) this.#deliverToBoard();
      if (this.#nextStep <= now) this.#plantStep();
      if (now >= targetCycle) return;
    }
  }

  /** Ends the plant step that is due and begins the next with the drive of the one just ended. */
  #plantStep(): void {
    const plant = this.#plant;
    const boundary = this.#nextStep;
    plant.endStep();
    for (let side: Side = LEFT; side <= RIGHT; side++) {
      while (plant.owedEdges(side) !== 0) this.#setEncoderPins(side, plant.settleEdge(side));
    }
    this.#measureDrive();
    plant.beginStep(this.#stepS, this.#drive[LEFT]!, this.#drive[RIGHT]!, this.#batteryVolts);
    this.#stepStart = boundary;
    this.#nextStep = boundary + this.#stepCycles;
    this.#scheduleEdge(LEFT);
    this.#scheduleEdge(RIGHT);
    const mcu = this.#mcu;
    if (mcu.cpu.cycles >= this.#nextLedWindow) {
      mcu.ledMeterB.closeWindow();
      mcu.ledMeterD.closeWindow();
      this.#nextLedWindow = mcu.cpu.cycles + LED_WINDOW_CYCLES;
    }
  }

  #measureDrive(): void {
    const mcu = this.#mcu;
    const data = mcu.cpu.data;
    const outputs = data[portBConfig.PORT]! & data[portBConfig.DDR]!;
    mcu.motorMeter?.closeWindow();
    for (let side: Side = LEFT; side <= RIGHT; side++) {
      const bit = PWM_BIT[side];
      let duty: number;
      if (mcu.motorMeter) duty = mcu.motorMeter.duty(bit);
      else if (!(data[portBConfig.DDR]! & (1 << bit))) duty = 0;
      else duty = mcu.timer1Pwm?.duty(side === LEFT ? 'A' : 'B') ?? (outputs >> bit) & 1;
      const forward = (outputs >> DIR_BIT[side]) & 1;
      this.#drive[side] = forward || duty === 0 ? duty : -duty;
    }
  }

  #scheduleEdge(side: Side): void {
    const f = this.#plant.nextEdgeFraction(side);
    this.#edgeAt[side] = f === Infinity ? Infinity : this.#stepStart + f * this.#stepCycles;
  }

  #encoderEdge(side: Side): void {
    this.#setEncoderPins(side, this.#plant.applyEdge(side));
    this.#scheduleEdge(side);
  }

  /** B before A, so the firmware's interrupt on A's edge reads B's level for the new position. */
  #setEncoderPins(side: Side, q: number): void {
    const port = this.#mcu.portD;
    port.setPin(ENCODER_B[side], channelB(q) === 1);
    port.setPin(ENCODER_A[side], channelA(q) === 1);
  }

  /** Drives A0–A2 from the battery and switches; an open switch reads its pull-up, or low without one. */
  #applyInputs(): void {
    const mcu = this.#mcu;
    const data = mcu.cpu.data;
    const pullUps = data[portCConfig.PORT]! & ~data[portCConfig.DDR]!;
    const bumperLevel = this.#bumper ? false : ((pullUps >> BUMPER_BIT) & 1) === 1;
    const estopLevel = this.#estop ? ((pullUps >> ESTOP_BIT) & 1) === 1 : false;
    mcu.portC.setPin(BUMPER_BIT, bumperLevel);
    mcu.portC.setPin(ESTOP_BIT, estopLevel);
    mcu.adc.channelValues[0] = Math.min(5, this.#batteryVolts / 3);
    mcu.adc.channelValues[BUMPER_BIT] = bumperLevel ? 5 : 0;
    mcu.adc.channelValues[ESTOP_BIT] = estopLevel ? 5 : 0;
  }

  #baudOk(mcu: Mcu): boolean {
    return Math.abs(mcu.usart.baudRate - HOST_BAUD) <= HOST_BAUD * BAUD_TOLERANCE;
  }

  /** The firmware wrote UDR0: the byte's stop bit leaves the pin one character time later. */
  #boardTransmit(mcu: Mcu, byte: number): void {
    if (mcu !== this.#mcu) return;
    if (!this.#baudOk(mcu)) {
      this.#stats.framingErrors++;
      return;
    }
    const at = Math.max(mcu.cpu.cycles, this.#tx.lastAt) + mcu.usartCyclesPerChar();
    this.#tx.push(byte, at);
  }

  #deliverToHost(): void {
    const at = this.#tx.nextAt;
    const byte = this.#tx.shift();
    this.#stats.txBytes++;
    if (!this.transport.plugged) return;
    this.#hostBatch.push(byte);
    if (this.#listeners.length > 0) {
      const atNs = (BigInt(Math.ceil(at)) * 1_000_000_000n) / BigInt(CLOCK_HZ);
      for (const listener of this.#listeners) listener(byte, atNs);
    }
  }

  #flushToHost(): void {
    if (this.#hostBatch.length === 0) return;
    const bytes = Buffer.from(this.#hostBatch);
    this.#hostBatch.length = 0;
    this.transport.deliver(bytes);
  }

  /** Host bytes go onto the wire back to back at 115200 baud from the board's present time. */
  #hostWrite(bytes: Uint8Array): void {
    if (!this.transport.plugged) return;
    const now = this.#mcu.cpu.cycles;
    for (const byte of bytes) this.#rx.push(byte, Math.max(now, this.#rx.lastAt) + HOST_BYTE_CYCLES);
  }

  #deliverToBoard(): void {
    const byte = this.#rx.shift();
    const mcu = this.#mcu;
    this.#stats.rxBytes++;
    if (!mcu.usart.rxEnable) {
      this.#stats.rxDropped++;
      return;
    }
    if (!this.#baudOk(mcu)) {
      this.#stats.framingErrors++;
      return;
    }
    if (mcu.cpu.data[UCSR0A]! & UCSR0A_RXC) this.#stats.rxOverruns++;
    mcu.usart.writeByte(byte, true);
  }
}
