import { existsSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmulatedBoard } from './board.js';
import { PtyBridge } from './pty-bridge.js';
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

  it('says how to install socat when it is missing', async () => {
    const board = await EmulatedBoard.fromHexFile(probeHex);
    await expect(PtyBridge.start(board, { socat: 'socat-not-installed-here' })).rejects.toThrow(
      /socat: socat is not installed: apt-get install socat/,
    );
  });
});
