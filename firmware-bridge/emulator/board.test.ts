import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmulatedBoard, type EmulatedBoardOptions } from './board.js';
import { DisconnectedError } from './serial-port.js';
import { steadySpeed, DEFAULT_PLANT_PARAMS } from './plant.js';
import { runRealtime } from './realtime.js';
import { compileTestProgram, removeTestProgram } from './test-programs/compile.js';

// The probe (test-programs/probe.c) stands in for the drive firmware: same pins and peripherals,
// trivial logic, so these tests check the emulator's wiring and timing, not the firmware.
let probeHex = '';
let slowProbeHex = '';
beforeAll(async () => {
  [probeHex, slowProbeHex] = await Promise.all([
    compileTestProgram('probe'),
    compileTestProgram('probe', { PROBE_UBRR: 103, PROBE_U2X: 0 }), // 9600 baud
  ]);
}, 30_000);
afterAll(async () => {
  await Promise.all([removeTestProgram(probeHex), removeTestProgram(slowProbeHex)]);
});

const MS = 1_000_000n;
const SET = 0x01; // l r dirs → 0x01
const QUERY = 0x02; // → 0x02 i32 left, i32 right, u16 adc0, u8 pinc
const HANG = 0x03; // watchdog 16 ms, then hang

interface Heard {
  byte: number;
  atNs: bigint;
}

async function probe(options: EmulatedBoardOptions = {}): Promise<{ board: EmulatedBoard; heard: Heard[] }> {
  const board = await EmulatedBoard.fromHexFile(probeHex, options);
  const heard: Heard[] = [];
  board.onSerialByte((byte, atNs) => heard.push({ byte, atNs }));
  board.advanceNs(2n * MS); // start-up and the 'P' banner
  return { board, heard };
}

function send(board: EmulatedBoard, ...bytes: number[]): void {
  board.transport.write(Buffer.from(bytes));
}

interface Query {
  left: number;
  right: number;
  adc0: number;
  pinc: number;
}

function query(board: EmulatedBoard, heard: Heard[]): Query {
  const from = heard.length;
  send(board, QUERY);
  board.advanceNs(2n * MS);
  const b = Buffer.from(heard.slice(from).map((h) => h.byte));
  expect(b.length).toBe(12);
  expect(b[0]).toBe(QUERY);
  return { left: b.readInt32LE(1), right: b.readInt32LE(5), adc0: b.readUInt16LE(9), pinc: b[11]! };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('EmulatedBoard: time', () => {
  it('runs 160 000 cycles per 10 ms step and never drifts over many steps', async () => {
    const board = await EmulatedBoard.fromHexFile(probeHex);
    board.advanceNs(10_000_000);
    expect(board.nowNs()).toBe(10n * MS);
    expect(board.stats().cycles - 160_000).toBeGreaterThanOrEqual(0);
    expect(board.stats().cycles - 160_000).toBeLessThan(5);
    for (let k = 0; k < 99; k++) board.advanceNs(10_000_000);
    expect(board.nowNs()).toBe(1000n * MS);
    expect(board.stats().cycles - 16_000_000).toBeLessThan(5);
  });

  it('refuses to be advanced from inside one of its own callbacks', async () => {
    const { board } = await probe();
    board.onSerialByte(() => board.advanceNs(1000));
    send(board, 0x41);
    expect(() => board.advanceNs(MS)).toThrow(/advanceTo: called from inside a board callback/);
  });
});

describe('EmulatedBoard: serial timing at 115200 baud', () => {
  it('sends the start-up banner one character time after the firmware writes it', async () => {
    const { heard } = await probe();
    expect(heard.map((h) => h.byte)).toEqual([0x50]); // 'P'
    // The probe's UART (U2X, UBRR 16 = 117 647 baud) takes 1360 cycles = 85 µs per byte.
    expect(heard[0]!.atNs).toBeGreaterThan(85_000n);
    expect(heard[0]!.atNs).toBeLessThan(200_000n);
  });

  it('echoes a byte after one host byte time (86.8 µs) plus one board byte time (85 µs)', async () => {
    const { board, heard } = await probe();
    const t0 = board.nowNs();
    send(board, 0x41);
    board.advanceNs(MS);
    expect(heard.at(-1)!.byte).toBe(0x41);
    const latency = heard.at(-1)!.atNs - t0;
    expect(latency).toBeGreaterThanOrEqual(86_806n + 85_000n);
    expect(latency).toBeLessThan(86_806n + 85_000n + 2_000n); // firmware turnaround: a few µs
  });

  it('feeds host bytes at most one per byte time: a burst is echoed 86.8 µs apart, none lost', async () => {
    const { board, heard } = await probe();
    const burst = Array.from({ length: 20 }, (_, i) => 0x40 + i);
    send(board, ...burst);
    board.advanceNs(5n * MS);
    const echoes = heard.slice(1);
    expect(echoes.map((h) => h.byte)).toEqual(burst);
    for (let i = 1; i < echoes.length; i++) {
      const gap = Number(echoes[i]!.atNs - echoes[i - 1]!.atNs);
      expect(gap).toBeGreaterThan(86_000);
      expect(gap).toBeLessThan(87_700);
    }
    expect(board.stats()).toMatchObject({ rxOverruns: 0, rxDropped: 0, framingErrors: 0, rxBytes: 20 });
  });

  it('spaces the firmware’s back-to-back bytes by its own character time', async () => {
    const { board, heard } = await probe();
    query(board, heard);
    const reply = heard.slice(1);
    for (let i = 1; i < reply.length; i++) {
      // 1360 cycles per byte, plus the few cycles the firmware takes to refill UDR0 after UDRE0:
      // avr8js's transmitter is single-buffered, the chip's double-buffered one would not gap.
      const gap = reply[i]!.atNs - reply[i - 1]!.atNs;
      expect(gap).toBeGreaterThanOrEqual(85_000n);
      expect(gap).toBeLessThan(86_000n);
    }
  });

  it('hears nothing from a firmware at the wrong baud rate, and counts it', async () => {
    const board = await EmulatedBoard.fromHexFile(slowProbeHex);
    const heard: number[] = [];
    board.onSerialByte((b) => heard.push(b));
    board.advanceNs(5n * MS);
    send(board, 0x41);
    board.advanceNs(5n * MS);
    expect(heard).toEqual([]);
    expect(board.stats().framingErrors).toBeGreaterThanOrEqual(2);
  });
});

describe('EmulatedBoard: transport (the host end of the cable)', () => {
  it('carries bytes both ways as a Duplex stream with serialport-like state', async () => {
    const board = await EmulatedBoard.fromHexFile(probeHex);
    const port = board.transport;
    const got: number[] = [];
    const events: string[] = [];
    port.on('open', () => events.push('open'));
    port.on('data', (d: Buffer) => got.push(...d));
    await tick();
    expect(port.isOpen).toBe(true);
    expect(events).toEqual(['open']); // autoOpen-like: 'open' on the next tick
    board.advanceNs(2n * MS);
    await new Promise<void>((resolve) => port.write(Buffer.from('hello'), () => resolve()));
    board.advanceNs(2n * MS);
    await tick();
    expect(Buffer.from(got).toString()).toBe('Phello');
  });

  it('closes, queues writes made while closed until reopened, and reopening resets the board (DTR)', async () => {
    const { board, heard } = await probe();
    const port = board.transport;
    const closes: unknown[] = [];
    port.on('close', (e: unknown) => closes.push(e));
    await new Promise<void>((resolve, reject) => port.close((e) => (e ? reject(e) : resolve())));
    expect(closes).toEqual([null]);
    expect(port.isOpen).toBe(false);
    let written = false;
    port.write(Buffer.from([0x42]), () => (written = true));
    board.advanceNs(2n * MS);
    expect(written).toBe(false);
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    expect(written).toBe(true);
    expect(board.stats().externalResets).toBe(1);
    board.advanceNs(2n * MS);
    // The reset board greets again, then echoes the byte queued while the port was closed.
    expect(heard.slice(1).map((h) => h.byte)).toEqual([0x50, 0x42]);
  });

  it('holds the board in its bootloader after a DTR reset when asked: bytes sent meanwhile are lost', async () => {
    const { board, heard } = await probe({ bootDelayNs: 500_000_000 });
    const port = board.transport;
    await new Promise<void>((resolve) => port.close(() => resolve()));
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    const opened = board.nowNs();
    send(board, 0x42);
    board.advanceNs(400n * MS);
    expect(heard.length).toBe(1);
    board.advanceNs(200n * MS);
    expect(heard.slice(1).map((h) => h.byte)).toEqual([0x50]);
    expect(heard[1]!.atNs - opened).toBeGreaterThan(500n * MS);
    expect(board.stats().rxDropped).toBe(1);
  });

  it('unplugging closes the port with a DisconnectedError, open fails until replugged, the board runs on', async () => {
    const { board } = await probe();
    const port = board.transport;
    const got: number[] = [];
    port.on('data', (d: Buffer) => got.push(...d));
    const closed = new Promise<unknown>((resolve) => port.once('close', resolve));
    send(board, SET, 255, 255, 0b11);
    board.advanceNs(50n * MS);
    board.unplug();
    const error = await closed;
    expect(error).toBeInstanceOf(DisconnectedError);
    expect((error as DisconnectedError).disconnected).toBe(true);
    expect(port.isOpen).toBe(false);
    const openError = await new Promise<Error | null | undefined>((resolve) => port.open(resolve));
    expect(openError?.message).toMatch(/unplugged/);
    board.advanceNs(200n * MS); // no cable, the firmware keeps driving
    expect(board.wheelSpeeds().left).toBeGreaterThan(1);
    board.replug();
    got.length = 0;
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    board.advanceNs(2n * MS);
    await tick();
    expect(got).toEqual([0x50]); // reset on open: banner again
    expect(board.pwm()).toEqual({ left: 0, right: 0 }); // the fresh firmware's outputs are off
  });
});

describe('EmulatedBoard: motors, encoders and inputs on the firmware’s pins', () => {
  for (const timer1 of ['fast', 'avr8js'] as const) {
    it(`turns PWM duty and direction into wheel speed (Timer1 model: ${timer1})`, async () => {
      const { board } = await probe({ timer1 });
      send(board, SET, 255, 128, 0b01); // left forward full, right backward half
      board.advanceNs(600n * MS); // 10 time constants
      const p = DEFAULT_PLANT_PARAMS;
      expect(board.pwm().left).toBeCloseTo(1, 2);
      expect(board.pwm().right).toBeCloseTo(-128 / 255, timer1 === 'fast' ? 6 : 1);
      expect(board.wheelSpeeds().left).toBeCloseTo(steadySpeed(1, 12, p), 2);
      expect(board.wheelSpeeds().right).toBeCloseTo(steadySpeed(-128 / 255, 12, p), 2);
    });
  }

  it('delivers every encoder edge to the firmware’s INT0/INT1 handlers, with direction', async () => {
    const { board, heard } = await probe();
    send(board, SET, 200, 90, 0b01);
    board.advanceNs(1000n * MS);
    send(board, SET, 0, 0, 0);
    board.advanceNs(1000n * MS); // wheels stopped
    const ticks = board.ticks();
    expect(ticks.left).toBeGreaterThan(1500);
    expect(ticks.right).toBeLessThan(-500);
    const counted = query(board, heard);
    expect([counted.left, counted.right]).toEqual([ticks.left, ticks.right]);
    const travelled = board.wheelPositions();
    expect(Math.abs(ticks.left - travelled.left * 2000)).toBeLessThanOrEqual(1);
  });

  it('scales wheel speed with the battery and shows it on A0 through the 1:3 divider', async () => {
    const { board, heard } = await probe();
    expect(query(board, heard).adc0).toBe(Math.floor((12 / 3 / 5) * 1024));
    board.setBatteryVolts(10.5);
    expect(query(board, heard).adc0).toBe(Math.floor((10.5 / 3 / 5) * 1024));
    send(board, SET, 255, 255, 0b11);
    board.advanceNs(600n * MS);
    expect(board.wheelSpeeds().left).toBeCloseTo(1.5 * (10.5 / 12), 2);
  });

  it('reads the bumper low when pressed and the e-stop high when pressed (pull-ups on)', async () => {
    const { board, heard } = await probe();
    expect(query(board, heard).pinc & 0b110).toBe(0b010);
    board.setBumper(true);
    expect(query(board, heard).pinc & 0b110).toBe(0b000);
    board.setEstop(true);
    expect(query(board, heard).pinc & 0b110).toBe(0b100);
    board.setBumper(false);
    board.setEstop(false);
    expect(query(board, heard).pinc & 0b110).toBe(0b010);
  });

  it('measures LED PWM from Timer0 and Timer2, and reads plain pins', async () => {
    const { board, heard } = await probe();
    board.advanceNs(20n * MS);
    const leds = board.leds();
    expect(leds.red).toBeCloseTo(65 / 256, 2);
    expect(leds.green).toBe(0);
    expect(leds.blue).toBeCloseTo(192 / 256, 2);
    const before = board.pinLevel(13);
    send(board, 0x41);
    board.advanceNs(MS);
    expect(heard.at(-1)!.byte).toBe(0x41);
    expect(board.pinLevel(13)).toBe(!before); // the probe toggles D13 per echoed byte
    expect(board.pinLevel(15)).toBe(true); // A1: bumper released, pulled up
  });
});

describe('EmulatedBoard: watchdog', () => {
  it('resets a hung firmware after the watchdog period, which restarts and reports the cause', async () => {
    const { board, heard } = await probe();
    const t0 = board.nowNs();
    send(board, HANG);
    board.advanceNs(30n * MS);
    expect(board.stats().watchdogResets).toBe(1);
    const after = heard.slice(1);
    expect(after.map((h) => h.byte)).toEqual([0x57, 0x50]); // 'W' (WDRF seen in MCUSR), 'P'
    const resetToBanner = after[0]!.atNs - t0;
    expect(resetToBanner).toBeGreaterThan(16n * MS);
    expect(resetToBanner).toBeLessThan(17n * MS);
  });
});

/** Lets the event loop turn `n` times, timers included: room for a run loop to do what it would. */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setTimeout(resolve, 1));
}

/** Waits until `done()` holds; the bound only turns a hang into a failure, however slow the machine. */
async function until(done: () => boolean, what: string, boundMs = 30_000): Promise<void> {
  const start = performance.now();
  while (!done()) {
    if (performance.now() - start > boundMs) throw new Error(`still waiting after ${boundMs} ms for ${what}`);
    await turns(1);
  }
}

describe('runRealtime', () => {
  it('catches up with the wall clock it is given, exactly, and never runs ahead of it', async () => {
    const board = await EmulatedBoard.fromHexFile(probeHex);
    let wallMs = 5_000; // a wall clock this test moves by hand
    const run = runRealtime(board, { speed: 1, maxSliceNs: 1_000_000, wallMs: () => wallMs });
    try {
      await turns(10);
      expect(board.nowNs()).toBe(0n); // no wall time has passed: nothing to run
      wallMs += 15;
      expect(run.lagNs()).toBe(15n * MS);
      await until(() => board.nowNs() >= 15n * MS, 'emulated time to reach 15 ms');
      await turns(10);
      expect(board.nowNs()).toBe(15n * MS); // caught up in 1 ms slices, and no further
      expect(run.lagNs()).toBe(0n);
      wallMs += 3.5;
      await until(() => board.nowNs() >= 18_500_000n, 'emulated time to reach 18.5 ms');
      await turns(10);
      expect(board.nowNs()).toBe(18_500_000n);
    } finally {
      await run.stop();
    }
  });

  it('runs `speed` emulated seconds per wall second', async () => {
    const board = await EmulatedBoard.fromHexFile(probeHex);
    let wallMs = 0;
    const run = runRealtime(board, { speed: 0.5, wallMs: () => wallMs });
    try {
      wallMs += 20;
      await until(() => board.nowNs() >= 10n * MS, 'emulated time to reach 10 ms');
      await turns(10);
      expect(board.nowNs()).toBe(10n * MS);
    } finally {
      await run.stop();
    }
  });

  it('by default paces by the real wall clock: it gets going, and is never ahead of it', async () => {
    const board = await EmulatedBoard.fromHexFile(probeHex);
    const wallStart = performance.now();
    const run = runRealtime(board, { maxSliceNs: 1_000_000 });
    try {
      await until(() => board.nowNs() > 10n * MS, 'emulated time to pass 10 ms');
      // The same instant on both clocks (nothing runs in between): emulated ≤ wall.
      const emulatedNs = board.nowNs();
      const wallNs = BigInt(Math.ceil((performance.now() - wallStart) * 1e6));
      expect(emulatedNs).toBeLessThanOrEqual(wallNs);
    } finally {
      await run.stop();
    }
  });
});
