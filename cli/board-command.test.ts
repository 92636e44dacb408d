/**
 * `medhjalparen board --emulate` as a user runs it: a real process, its link opened with
 * serialport as a third-party program would, stopped with Ctrl-C. The board runs on the wall
 * clock; the bounds here only turn a hang into a failure.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin', 'medhjalparen.js');
const HANG_MS = 60_000;
/** The bridge's own folder goes under TMPDIR: its socat processes name it. */
const tmp = mkdtempSync(path.join(os.tmpdir(), 'board-command-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Pids of socat processes naming `dir` on their command line; pgrep's exit 1 alone means none. */
function socatsUnder(dir: string): string[] {
  const r = spawnSync('pgrep', ['-f', `socat .*${dir}`], { encoding: 'utf8' });
  if (r.error) throw new Error(`pgrep could not run (apt-get install procps): ${r.error.message}`);
  if (r.status === 1) return [];
  if (r.status !== 0) throw new Error(`pgrep exited ${r.status}: ${r.stderr}`);
  return r.stdout.trim().split('\n');
}

function until<T>(what: string, check: (done: (value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${what} within ${HANG_MS} ms`)), HANG_MS);
    check((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

/** Index of the `n`th (1-based) REPORT_VERSION answer F9 02 05 in `bytes`, or -1. */
function nthVersion(bytes: Buffer, n: number): number {
  let at = -1;
  for (let k = 0; k < n; k++) {
    at = bytes.indexOf(Buffer.from([0xf9, 0x02, 0x05]), at + 1);
    if (at < 0) return -1;
  }
  return at;
}

describe('medhjalparen board --emulate', () => {
  it('serves the emulated board on its link until Ctrl-C, then removes the link and ends socat', async () => {
    const link = path.join(tmp, 'b');
    const child = spawn(process.execPath, [BIN, 'board', '--emulate', '--link', link], {
      cwd: ROOT,
      env: { ...process.env, TMPDIR: tmp },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      await until<void>('board line', (done) => {
        const check = (): void => {
          if (stdout.includes('\n')) done();
        };
        child.stdout.on('data', check);
        child.on('close', () => done());
        check();
      });
      expect(stdout.split('\n')[0]).toBe(
        `board: the emulated drive-base board (ATmega328P, real firmware) is on ${link} — open it at 115200 baud as an Arduino Uno; it resets on open. Ctrl-C stops.`,
      );
      expect(lstatSync(link).isSymbolicLink()).toBe(true);

      const port = new SerialPort({ path: link, baudRate: 115200, autoOpen: false });
      const received: Buffer[] = [];
      port.on('data', (d: Buffer) => received.push(d));
      await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
      // The reset's start-up report comes first; then REPORT_VERSION is asked and answered.
      await until<void>('start-up report', (done) => {
        const check = (): void => {
          if (nthVersion(Buffer.concat(received), 1) >= 0) done();
        };
        port.on('data', check);
        check();
      });
      expect(nthVersion(Buffer.concat(received), 1)).toBe(0);
      port.write(Buffer.from([0xf9]));
      await until<void>('answer to REPORT_VERSION', (done) => {
        const check = (): void => {
          if (nthVersion(Buffer.concat(received), 2) >= 0) done();
        };
        port.on('data', check);
        check();
      });
      await new Promise<void>((resolve) => port.close(() => resolve()));
      await until<void>("'closed' line", (done) => {
        const check = (): void => {
          if (stdout.includes('\nclosed\n')) done();
        };
        child.stdout.on('data', check);
        check();
      });
      expect(stdout.split('\n').slice(1, 3)).toEqual(['opened: board reset', 'closed']);
      expect(socatsUnder(tmp).length).toBeGreaterThan(0);

      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(stderr).toBe('');
      expect(existsSync(link)).toBe(false);
      expect(() => lstatSync(link)).toThrow(/ENOENT/);
      expect(socatsUnder(tmp)).toEqual([]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 120_000);
});
