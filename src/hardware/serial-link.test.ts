/**
 * Opening a serial device by path: what a person gave instead of one is named as what it is,
 * never opened blindly (a FIFO would wait for a writer, a file would be written to).
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HardwareError, closePort, serialLink } from './index.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'serial-link-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const EXPECTED = 'expected a serial device such as /dev/ttyUSB0 or /dev/ttyACM0';

async function refusal(target: string): Promise<HardwareError> {
  const error = await serialLink(target, `--port ${target}`)
    .open()
    .then(
      async (port) => {
        await closePort(port);
        return undefined;
      },
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(HardwareError);
  return error as HardwareError;
}

describe('a serial link refuses what is not a serial device', () => {
  it('names a path with nothing there, and where to look', async () => {
    const e = await refusal(path.join(dir, 'ttyUSB9'));
    expect(e.code).toBe('NO_SUCH_DEVICE');
    expect(e.message).toBe(
      `--port ${dir}/ttyUSB9: no such device; ${EXPECTED} (ls /dev/serial/by-id lists the USB serial devices plugged in)`,
    );
  });

  it('names an ordinary file, a directory and a FIFO as what they are', async () => {
    const file = path.join(dir, 'notes.txt');
    writeFileSync(file, 'hello');
    const folder = path.join(dir, 'folder');
    mkdirSync(folder);
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    for (const [target, kind] of [
      [file, 'an ordinary file'],
      [folder, 'a directory'],
      [fifo, 'a FIFO (named pipe)'],
    ] as const) {
      const e = await refusal(target);
      expect(e.code).toBe('NOT_A_SERIAL_DEVICE');
      expect(e.message).toBe(`--port ${target}: not a serial device: found ${kind}; ${EXPECTED}`);
    }
  });

  it('names a character device that is not a serial port (/dev/null)', async () => {
    const e = await refusal('/dev/null');
    expect(e.code).toBe('NOT_A_SERIAL_DEVICE');
    expect(e.message).toBe(
      `--port /dev/null: not a serial device: found a character device that takes no serial settings (ENOTTY); ${EXPECTED}`,
    );
  });

  it('names /dev/null as not serial even while another program holds a lock on it', async () => {
    // flock(1) holds the lock serialport takes; the refusal must still say what the device is.
    const holder = spawn('flock', ['--exclusive', '/dev/null', '--command', 'echo locked; exec sleep 60']);
    try {
      const [first] = (await once(holder.stdout, 'data')) as [Buffer];
      expect(first.toString()).toBe('locked\n');
      const e = await refusal('/dev/null');
      expect(e.message).toBe(
        `--port /dev/null: not a serial device: found a character device that takes no serial settings (ENOTTY); ${EXPECTED}`,
      );
    } finally {
      holder.kill();
    }
  });

  it('leaves the file it was given untouched', async () => {
    const file = path.join(dir, 'keep.txt');
    writeFileSync(file, 'unchanged');
    await refusal(file);
    expect(execFileSync('cat', [file]).toString()).toBe('unchanged');
  });
});
