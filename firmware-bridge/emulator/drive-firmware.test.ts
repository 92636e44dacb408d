// The real drive firmware (firmware-bridge/build/drive.hex) in the emulator: johnny-five connects
// to it through the board's transport unmodified, and the firmware's speed loop closes through the
// emulated motors and encoders. The harness's own wiring is tested with the probe (board.test.ts).
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { setVelocity } from '../../test/support/drive-base-wire.js';
import { EmulatedBoard } from './board.js';

const BRIDGE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HEX = path.join(BRIDGE, 'build', 'drive.hex');

beforeAll(async () => {
  await promisify(execFile)('bash', [path.join(BRIDGE, 'build.sh')]);
}, 60_000);

/** The part of johnny-five's Board this test uses (the package ships no types). */
interface FiveBoard {
  on(event: 'ready', listener: () => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  io: { firmware: { name: string }; analogPins: number[]; pins: unknown[] };
}
const five = createRequire(import.meta.url)('johnny-five') as {
  Board: new (options: Record<string, unknown>) => FiveBoard;
};

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('drive firmware in the emulator', () => {
  it('johnny-five’s Board gets ready on the emulated board’s transport, in lockstep', async () => {
    const board = await EmulatedBoard.fromHexFile(HEX);
    const j5 = new five.Board({ port: board.transport, repl: false, debug: false, timeout: 30_000 });
    let ready = false;
    const errors: Error[] = [];
    j5.on('ready', () => (ready = true));
    j5.on('error', (e) => errors.push(e));
    while (!ready && board.nowNs() < 2_000_000_000n) {
      board.advanceNs(10_000_000);
      await tick(); // firmata parses what arrived, and queues its next query
    }
    expect(errors).toEqual([]);
    expect(ready).toBe(true);
    expect(board.nowNs()).toBeLessThan(500_000_000n);
    expect(j5.io.firmware.name).toBe('medhjalparen-drive');
    expect(j5.io.analogPins).toEqual([14, 15, 16, 17, 18, 19]);
    expect(board.stats()).toMatchObject({ watchdogResets: 0, rxOverruns: 0, framingErrors: 0 });
  });

  it('turns the wheels at a commanded 0.5 m/s through the emulated plant (encoder rate within 5 %)', async () => {
    const board = await EmulatedBoard.fromHexFile(HEX);
    // 0.5 m/s straight, each command with the next seq (a repeated one is refused as stale).
    let seq = 0;
    const forward = () => Buffer.from(setVelocity(++seq, 500, 0));
    board.advanceNs(50_000_000);
    for (let k = 0; k < 150; k++) {
      if (k % 10 === 0) board.transport.write(forward()); // well inside the 250 ms command timeout
      board.advanceNs(10_000_000);
    }
    const before = board.ticks();
    for (let k = 0; k < 50; k++) {
      if (k % 10 === 0) board.transport.write(forward());
      board.advanceNs(10_000_000);
    }
    const after = board.ticks();
    const rate = { left: (after.left - before.left) / 0.5, right: (after.right - before.right) / 0.5 };
    expect(rate.left).toBeGreaterThan(0.95 * 1000); // 0.5 m/s × 2000 ticks/m
    expect(rate.left).toBeLessThan(1.05 * 1000);
    expect(rate.right).toBeGreaterThan(0.95 * 1000);
    expect(rate.right).toBeLessThan(1.05 * 1000);
    expect(board.stats().watchdogResets).toBe(0);
  });
});
