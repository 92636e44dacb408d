/**
 * PtyBridge with real socat, real ptys and serialport on the host's side, as a third-party program
 * would open the device. The devices run paced by the wall clock, as slowly as a loaded machine
 * makes them: the tests wait for conditions (on the emulator's clock where there is one) and their
 * wall-time bounds only turn a hang into a failure.
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  constants,
  existsSync,
  lstatSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmulatedBoard } from './board.js';
import { EmulatorError } from './errors.js';
import { DEFAULT_HEX } from './in-the-loop.js';
import { PtyBridge, type PtyDevice } from './pty-bridge.js';
import { EmulatedRplidar } from './rplidar-device.js';
import { EmulatedSerialPort } from './serial-port.js';
import { compileTestProgram, removeTestProgram } from './test-programs/compile.js';

/** A hang guard, never a timing claim. */
const HANG_MS = 30_000;
/** REPORT_VERSION (protocol 2.5), then the start of REPORT_FIRMWARE (sysex F0 79). */
const STARTUP = [0xf9, 0x02, 0x05, 0xf0, 0x79];

let probeHex = '';
const scratch = mkdtempSync(path.join(os.tmpdir(), 'pty-bridge-test-'));
beforeAll(async () => {
  probeHex = await compileTestProgram('probe');
}, 30_000);
afterAll(async () => {
  await removeTestProgram(probeHex);
  rmSync(scratch, { recursive: true, force: true });
});

/** The real drive firmware (npm run build:firmware makes it). */
function driveBoard(): Promise<EmulatedBoard> {
  if (!existsSync(DEFAULT_HEX)) throw new Error(`${DEFAULT_HEX} is missing: npm run build:firmware`);
  return EmulatedBoard.fromHexFile(DEFAULT_HEX);
}

function openHost(path: string): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
    port.open((e) => (e ? reject(e) : resolve(port)));
  });
}

function closeHost(port: SerialPort): Promise<void> {
  return new Promise((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()));
}

/** Collects bytes from `port` until `count` have arrived. */
function receive(port: SerialPort, count: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const timer = setTimeout(
      () => reject(new Error(`only ${length} of ${count} bytes in ${HANG_MS} ms`)),
      HANG_MS,
    );
    const onData = (d: Buffer): void => {
      chunks.push(d);
      length += d.length;
      if (length >= count) {
        clearTimeout(timer);
        port.off('data', onData);
        resolve(Buffer.concat(chunks));
      }
    };
    port.on('data', onData);
  });
}

/** Waits until `done()` holds, checking every 20 ms. */
async function waitFor(done: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !done(); waited += 20) {
    if (waited > HANG_MS) throw new Error(`still waiting for ${what} after ${HANG_MS} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A device that talks without pause at `bytesPerS` of its own (emulated) time, whatever the host does. */
class ChattyDevice implements PtyDevice {
  readonly transport = new EmulatedSerialPort({ hostWrite() {}, hostOpened() {} }, 'emulated:chatty');
  sent = 0;
  #nowNs = 0n;
  constructor(private readonly bytesPerS: number) {}
  nowNs(): bigint {
    return this.#nowNs;
  }
  advanceNs(ns: bigint): void {
    const before = Math.floor((Number(this.#nowNs) * this.bytesPerS) / 1e9);
    this.#nowNs += ns;
    const count = Math.floor((Number(this.#nowNs) * this.bytesPerS) / 1e9) - before;
    if (count > 0) {
      this.transport.deliver(Buffer.alloc(count, 0x55));
      this.sent += count;
    }
  }
  unplug(): void {
    this.transport.unplug();
  }
  replug(): void {
    this.transport.replug();
  }
}

/**
 * Pids of socat processes whose command line names `dir` (each session's socat makes its own
 * link in the bridge's folder). Only pgrep's "nothing matched" (exit 1) means none; a missing
 * pgrep or any other failure fails the test rather than passing it for want of a process list.
 */
function socatsFor(dir: string): number[] {
  const r = spawnSync('pgrep', ['-f', `socat .*${dir}`], { encoding: 'utf8' });
  if (r.error) throw new Error(`pgrep could not run (apt-get install procps): ${r.error.message}`);
  if (r.status === 1) return [];
  if (r.status !== 0) throw new Error(`pgrep exited ${r.status}: ${r.stderr}`);
  return r.stdout.trim().split('\n').map(Number);
}

/** The bridge's own folder (where its default link and socat's links are). */
const folderOf = (bridge: PtyBridge): string => path.dirname(bridge.hostPath);

describe('PtyBridge (real ptys through socat, serialport on the host side)', () => {
  it('round-trips bytes between a serialport host and the emulated board; each open resets it', async () => {
    const board = await EmulatedBoard.fromHexFile(probeHex);
    const bridge = await PtyBridge.start(board);
    try {
      expect(existsSync(bridge.hostPath)).toBe(true);
      let host = await openHost(bridge.hostPath);
      const first = receive(host, 6);
      host.write(Buffer.from('hello'));
      // The banner of the board reset by the open, then the echo.
      expect((await first).toString()).toBe('Phello');
      await closeHost(host);

      host = await openHost(bridge.hostPath);
      const again = receive(host, 3);
      host.write(Buffer.from([0x01, 0, 0, 0])); // probe: set PWM → answers 0x01
      host.write(Buffer.from('Z'));
      expect([...(await again)]).toEqual([0x50, 0x01, 0x5a]);
      await closeHost(host);
      expect(board.stats().externalResets).toBe(2);
      expect(board.nowNs()).toBeGreaterThan(0n); // paced by the wall clock meanwhile
    } finally {
      await bridge.close();
    }
    expect(existsSync(bridge.hostPath)).toBe(false);
  });

  it('gives a late opener the start-up report first, never stale bytes from before it opened', async () => {
    const board = await driveBoard();
    const bridge = await PtyBridge.start(board);
    try {
      // Two seconds of the board's own time with nobody listening: its power-on report and its
      // telemetry go nowhere, as they do from an Uno whose port no program has open.
      await waitFor(() => board.nowNs() >= 2_000_000_000n, 'two emulated seconds');
      expect(bridge.stats().droppedClosedBytes).toBeGreaterThan(0);
      const host = await openHost(bridge.hostPath);
      const first = await receive(host, STARTUP.length);
      expect([...first.subarray(0, STARTUP.length)]).toEqual(STARTUP);
      await closeHost(host);
      expect(board.stats().externalResets).toBe(1);
      expect(bridge.stats().opens).toBe(1);
    } finally {
      await bridge.close();
    }
  });

  it('resets the board on every open, also when a program closes and opens again at once', async () => {
    const board = await driveBoard();
    const events: string[] = [];
    const bridge = await PtyBridge.start(board, { onHost: (e) => events.push(e) });
    try {
      for (let i = 1; i <= 2; i++) {
        const host = await openHost(bridge.hostPath);
        const first = await receive(host, STARTUP.length);
        expect([...first.subarray(0, STARTUP.length)]).toEqual(STARTUP);
        await closeHost(host); // and straight on to the next open
      }
      expect(board.stats().externalResets).toBe(2);
      await waitFor(() => events.length === 4, 'the second close');
      expect(events).toEqual(['opened', 'closed', 'opened', 'closed']);
      expect(bridge.stats()).toMatchObject({ opens: 2, refusedOpens: 0 });
    } finally {
      await bridge.close();
    }
  });

  it('serves one program at a time: a second one that opens the port meanwhile is hung up', async () => {
    const board = await driveBoard();
    const bridge = await PtyBridge.start(board);
    try {
      const firstPty = readlinkSync(bridge.hostPath);
      const first = await openHost(bridge.hostPath);
      await receive(first, STARTUP.length);
      // Once the bridge has seen the open, the link moves on to a fresh pty (before that, a second
      // serialport would find the first one's pty locked: "Cannot lock port").
      await waitFor(() => readlinkSync(bridge.hostPath) !== firstPty, 'the link to move on');
      const second = await openHost(bridge.hostPath); // the first one still has it
      second.on('error', () => undefined);
      await waitFor(() => bridge.stats().refusedOpens === 1, 'the second program to be refused');
      await receive(first, 100); // the first one is still served
      expect(board.stats().externalResets).toBe(1);
      expect(bridge.stats().opens).toBe(1);
      await closeHost(second);
      await closeHost(first);
    } finally {
      await bridge.close();
    }
  });

  it('keeps an RPLIDAR streaming across a close and an immediate reopen (no reset: it has no DTR here)', async () => {
    const device = new EmulatedRplidar({ model: 'A2' });
    const bridge = await PtyBridge.start(device);
    try {
      let host = await openHost(bridge.hostPath);
      const descriptor = receive(host, 7 + 500);
      host.write(Buffer.from([0xa5, 0xf0, 0x02, 0x94, 0x02, 0xc1])); // SET_MOTOR_PWM 660
      host.write(Buffer.from([0xa5, 0x20])); // SCAN
      expect([...(await descriptor).subarray(0, 7)]).toEqual([0xa5, 0x5a, 0x05, 0x00, 0x00, 0x40, 0x81]);
      await closeHost(host);
      const nodesAtClose = device.stats().nodes;

      host = await openHost(bridge.hostPath); // at once: no STOP, no new SCAN
      const more = await receive(host, 1000);
      expect(more.length).toBeGreaterThanOrEqual(1000);
      expect(device.state().scanning).toBe(true);
      expect(device.stats().nodes).toBeGreaterThan(nodesAtClose);
      expect(device.stats().resets).toBe(0);
      await closeHost(host);
      expect(bridge.stats()).toMatchObject({ opens: 2, refusedOpens: 0 });
    } finally {
      await bridge.close();
    }
  });

  it('hands the device what a program wrote even when it closed the port at once (echo > PATH)', async () => {
    const device = new EmulatedRplidar({ model: 'A2' });
    const events: string[] = [];
    const bridge = await PtyBridge.start(device, { onHost: (e) => events.push(e) });
    try {
      // Opened, written and closed in one go: far quicker than socat looks for an opener.
      const fd = openSync(bridge.hostPath, 'r+');
      writeSync(fd, Buffer.from([0xa5, 0xf0, 0x02, 0x94, 0x02, 0xc1, 0xa5, 0x20])); // SET_MOTOR_PWM 660, SCAN
      closeSync(fd);
      await waitFor(() => device.stats().nodes > 0, 'the device to scan');
      expect(device.stats().requests).toMatchObject({ set_motor_pwm: 1, scan: 1 });
      await waitFor(() => events.length === 2, 'the close');
      expect(events).toEqual(['opened', 'closed']);
      // And the next program finds the port as usual.
      const host = await openHost(bridge.hostPath);
      expect((await receive(host, 100)).length).toBeGreaterThanOrEqual(100);
      await closeHost(host);
    } finally {
      await bridge.close();
    }
  });

  it('keeps the spacing of what a program writes when this process is too busy to read it at once', async () => {
    const device = new EmulatedRplidar({ model: 'A2' });
    const bridge = await PtyBridge.start(device);
    const fd = openSync(bridge.hostPath, constants.O_RDWR | constants.O_NOCTTY);
    try {
      await waitFor(() => bridge.hostOpen, 'the bridge to see the port opened');
      const busy = (ms: number): void => {
        const until = performance.now() + ms;
        while (performance.now() < until); // this process (the bridge's) reads nothing meanwhile
      };
      // STOP, then GET_INFO 20 ms later: past the device's 1 ms quiet time after STOP, though the
      // bridge reads both at once, long after.
      writeSync(fd, Buffer.from([0xa5, 0x25]));
      busy(20);
      writeSync(fd, Buffer.from([0xa5, 0x50]));
      busy(80);
      await waitFor(() => device.stats().requests.get_info === 1, 'GET_INFO to reach the device');
      expect(device.stats().requests.stop).toBe(1);
      expect(device.stats().ignoredBytes).toBe(0);
    } finally {
      closeSync(fd);
      await bridge.close();
    }
  });

  it('unplugging takes the device away (the host sees a disconnect); replugging brings it back', async () => {
    const board = await EmulatedBoard.fromHexFile(probeHex);
    const bridge = await PtyBridge.start(board);
    try {
      const host = await openHost(bridge.hostPath);
      expect((await receive(host, 1)).toString()).toBe('P');
      const closed = new Promise<unknown>((resolve) => host.once('close', resolve));
      await bridge.unplug();
      const error = (await closed) as { disconnected?: boolean } | null;
      expect(error?.disconnected).toBe(true);
      expect(existsSync(bridge.hostPath)).toBe(false);
      expect(socatsFor(folderOf(bridge))).toEqual([]);
      const resetsBefore = board.stats().externalResets;
      await bridge.replug();
      const again = await openHost(bridge.hostPath);
      const greeting = receive(again, 3);
      again.write(Buffer.from('ok'));
      expect((await greeting).toString()).toBe('Pok'); // banner of the reset board, then the echo
      // The replug opens the board's port (DTR) and so does the program.
      expect(board.stats().externalResets).toBe(resetsBefore + 2);
      await closeHost(again);
    } finally {
      await bridge.close();
    }
  });

  it('drops what a host that never reads leaves waiting beyond 1 MiB, and closes cleanly after', async () => {
    const device = new ChattyDevice(1_000_000);
    const bridge = await PtyBridge.start(device);
    const dir = folderOf(bridge);
    const host = await openHost(bridge.hostPath); // opened, never read
    host.on('error', () => undefined);
    // Several seconds of the device talking at 1 MB/s into a port nobody reads.
    await waitFor(() => bridge.stats().droppedUnreadBytes > 0 && device.nowNs() >= 4_000_000_000n, 'drops');
    const { toHostBytes, droppedUnreadBytes } = bridge.stats();
    expect(toHostBytes).toBeLessThan(2 * 1024 * 1024); // a pipe's and a pty's worth above 1 MiB
    expect(droppedUnreadBytes).toBeGreaterThan(device.sent / 4);
    expect(socatsFor(dir).length).toBeGreaterThanOrEqual(1);
    await expect(bridge.close()).resolves.toBeUndefined();
    expect(socatsFor(dir)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(bridge.hostPath)).toBe(false);
    await closeHost(host);
  });

  it('gets over its socat processes being killed from outside, and closes without throwing after', async () => {
    const board = await driveBoard();
    const events: string[] = [];
    const bridge = await PtyBridge.start(board, { onHost: (e) => events.push(e) });
    const dir = folderOf(bridge);
    const killAll = (): void => {
      const pids = socatsFor(dir);
      expect(pids.length).toBeGreaterThanOrEqual(1);
      for (const pid of pids) process.kill(pid, 'SIGKILL');
    };
    let host = await openHost(bridge.hostPath);
    host.on('error', () => undefined);
    await receive(host, STARTUP.length);
    killAll(); // the host's session, the one linked for the next program, the spare
    await waitFor(() => events.includes('closed'), 'the bridge to see the session end');
    // (serialport may not notice a pty hung up in the middle of its read: closed here, not awaited.)
    await closeHost(host);
    // The bridge made new sessions: a program finds the board again.
    await waitFor(() => existsSync(bridge.hostPath), 'a new link');
    host = await openHost(bridge.hostPath);
    host.on('error', () => undefined);
    expect([...(await receive(host, STARTUP.length)).subarray(0, STARTUP.length)]).toEqual(STARTUP);
    killAll();
    await expect(bridge.close()).resolves.toBeUndefined();
    await expect(bridge.close()).resolves.toBeUndefined(); // and again: nothing more
    await closeHost(host);
    expect(socatsFor(dir)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(bridge.hostPath)).toBe(false);
  });

  it('puts the link at a stable path of the caller, and refuses one that is taken', async () => {
    const link = path.join(scratch, 'board');
    const board = await driveBoard();
    const bridge = await PtyBridge.start(board, { link });
    try {
      expect(bridge.hostPath).toBe(link);
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      expect(readlinkSync(link)).toMatch(/^\/dev\/pts\/\d+$/);
      const host = await openHost(link);
      expect([...(await receive(host, STARTUP.length)).subarray(0, STARTUP.length)]).toEqual(STARTUP);
      await closeHost(host);
      // A second bridge on the same path: the first one's pty is live.
      const other = PtyBridge.start(new EmulatedRplidar({ model: 'A2' }), { link });
      await expect(other).rejects.toThrow(/the live pty of another running bridge/);
      await expect(other).rejects.toMatchObject({ code: 'PTY_LINK' });
      expect(lstatSync(link).isSymbolicLink()).toBe(true); // untouched
    } finally {
      await bridge.close();
    }
    expect(existsSync(link)).toBe(false);
    expect(() => lstatSync(link)).toThrow(/ENOENT/);

    // A regular file is refused, and left as it was.
    const file = path.join(scratch, 'notes');
    writeFileSync(file, 'mine\n');
    const refused = await PtyBridge.start(await driveBoard(), { link: file }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(EmulatorError);
    expect((refused as EmulatorError).code).toBe('PTY_LINK');
    expect((refused as Error).message).toBe(
      `${file}: a file is already there; the link is made only where nothing is, or over a stale link`,
    );
    expect(readFileSync(file, 'utf8')).toBe('mine\n');

    // A stale link (its bridge was killed) is replaced.
    const stale = path.join(scratch, 'stale');
    spawnSync('ln', ['-s', '/dev/pts/999999', stale]);
    const replacing = await PtyBridge.start(await driveBoard(), { link: stale });
    try {
      expect(readlinkSync(stale)).not.toBe('/dev/pts/999999');
    } finally {
      await replacing.close();
    }
    expect(existsSync(stale)).toBe(false);
  });

  it('says how to install socat when it is missing', async () => {
    const board = await EmulatedBoard.fromHexFile(probeHex);
    await expect(PtyBridge.start(board, { socat: 'socat-not-installed-here' })).rejects.toThrow(
      /socat: socat is not installed: apt-get install socat/,
    );
  });
});
