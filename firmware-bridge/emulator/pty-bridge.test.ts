import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmulatedBoard } from './board.js';
import { PtyBridge, type PtyDevice } from './pty-bridge.js';
import { EmulatedSerialPort } from './serial-port.js';
import { compileTestProgram, removeTestProgram } from './test-programs/compile.js';

let probeHex = '';
beforeAll(async () => {
  probeHex = await compileTestProgram('probe');
}, 30_000);
afterAll(async () => {
  await Promise.all([removeTestProgram(probeHex)]);
});

function openHost(path: string): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
    port.open((e) => (e ? reject(e) : resolve(port)));
  });
}

/**
 * Collects bytes from `port` until `count` have arrived. The board behind the pty runs on the wall
 * clock, as slowly as a loaded machine makes it: the bound only turns a hang into a failure.
 */
function receive(port: SerialPort, count: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const timer = setTimeout(() => reject(new Error(`only ${length} of ${count} bytes in 30 s`)), 30_000);
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

/** A device that talks without pause at `bytesPerS`, whatever the host does. */
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
 * Pids of socat processes whose command line names `dir` (the bridge's links are in it). Only
 * pgrep's "nothing matched" (exit 1) means none; a missing pgrep or any other failure fails the
 * test rather than passing it for want of a process list.
 */
function socatsFor(dir: string): string[] {
  const r = spawnSync('pgrep', ['-f', `socat .*${dir}`], { encoding: 'utf8' });
  if (r.error) throw new Error(`pgrep could not run (apt-get install procps): ${r.error.message}`);
  if (r.status === 1) return [];
  if (r.status !== 0) throw new Error(`pgrep exited ${r.status}: ${r.stderr}`);
  return r.stdout.trim().split('\n');
}

describe('PtyBridge (real ptys through socat and serialport)', () => {
  it('round-trips bytes between a serialport host and the emulated board, across a host reconnect', async () => {
    const board = await EmulatedBoard.fromHexFile(probeHex);
    const bridge = await PtyBridge.start(board);
    try {
      expect(existsSync(bridge.hostPath)).toBe(true);
      let host = await openHost(bridge.hostPath);
      const first = receive(host, 6);
      host.write(Buffer.from('hello'));
      // The banner the board sent at power-on waited in the pty until the host opened it.
      expect((await first).toString()).toBe('Phello');
      await new Promise<void>((resolve) => host.close(() => resolve()));

      host = await openHost(bridge.hostPath);
      const again = receive(host, 2);
      host.write(Buffer.from([0x01, 0, 0, 0])); // probe: set PWM → answers 0x01
      host.write(Buffer.from('Z'));
      expect([...(await again)]).toEqual([0x01, 0x5a]);
      await new Promise<void>((resolve) => host.close(() => resolve()));
      expect(board.nowNs()).toBeGreaterThan(0n); // paced by the wall clock meanwhile
    } finally {
      await bridge.close();
    }
    expect(existsSync(bridge.hostPath)).toBe(false);
  });

  it('unplugging takes the device away (the host sees a disconnect); replugging brings it back, board reset', async () => {
    const board = await EmulatedBoard.fromHexFile(probeHex);
    const bridge = await PtyBridge.start(board);
    try {
      const host = await openHost(bridge.hostPath);
      const banner = receive(host, 1);
      expect((await banner).toString()).toBe('P');
      const closed = new Promise<unknown>((resolve) => host.once('close', resolve));
      await bridge.unplug();
      const error = (await closed) as { disconnected?: boolean } | null;
      expect(error?.disconnected).toBe(true);
      expect(existsSync(bridge.hostPath)).toBe(false);
      await bridge.replug();
      expect(board.stats().externalResets).toBe(1);
      const again = await openHost(bridge.hostPath);
      const greeting = receive(again, 3);
      again.write(Buffer.from('ok'));
      expect((await greeting).toString()).toBe('Pok'); // banner of the reset board, then the echo
      await new Promise<void>((resolve) => again.close(() => resolve()));
    } finally {
      await bridge.close();
    }
  });

  it('closes cleanly after its host end went unread while the device kept talking: socat ended, folder gone', async () => {
    const device = new ChattyDevice(200_000);
    const bridge = await PtyBridge.start(device);
    const dir = path.dirname(bridge.hostPath);
    const host = await openHost(bridge.hostPath); // opened, never read
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(device.sent).toBeGreaterThan(100_000); // far more than a pty holds
    expect(socatsFor(dir)).toHaveLength(1);
    await expect(bridge.close()).resolves.toBeUndefined();
    expect(socatsFor(dir)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    await new Promise<void>((resolve) => host.close(() => resolve()));
  });

  it('says how to install socat when it is missing', async () => {
    const board = await EmulatedBoard.fromHexFile(probeHex);
    await expect(PtyBridge.start(board, { socat: 'socat-not-installed-here' })).rejects.toThrow(
      /socat: socat is not installed: apt-get install socat/,
    );
  });
});
