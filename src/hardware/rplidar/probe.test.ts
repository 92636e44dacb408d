/**
 * The probe against an emulated RPLIDAR behind a real pty pair (socat), opened with serialport
 * exactly as /dev/ttyUSB0 would be. The device runs in real time; nothing here asserts on wall
 * time: the probe's own 1 s answer timeout is the only clock that matters, and the tests wait for
 * its verdict. socat must be installed (scripts/ensure-system-deps.sh): without it these fail,
 * saying so.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EmulatedRplidar, PtyBridge } from '../../../firmware-bridge/emulator/index.js';
import { LidarError, closeLidarPort, openLidarPort, probeRplidar } from './index.js';

/** Waits until `done()` holds, checking every 20 ms; fails after `limitMs` (a generous bound, not a timing claim). */
async function waitFor(done: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  for (let waited = 0; !done(); waited += 20) {
    if (waited > limitMs) throw new Error(`still waiting for ${what} after ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const bridges: PtyBridge[] = [];
afterEach(async () => {
  await Promise.all(bridges.splice(0).map((b) => b.close()));
});

/** An emulated A2 behind a fresh pty pair (an A2: its motor is switched by bytes, which a pty carries). */
async function lidarOnPty(): Promise<{ device: EmulatedRplidar; path: string }> {
  const device = new EmulatedRplidar({ model: 'A2', serialNumber: '00112233445566778899AABBCCDDEEFF' });
  const bridge = await PtyBridge.start(device);
  bridges.push(bridge);
  return { device, path: bridge.hostPath };
}

describe('probeRplidar through a real pty', () => {
  it('recognises the RPLIDAR: model, firmware, serial number and health', async () => {
    const { path } = await lidarOnPty();
    const found = await probeRplidar(path);
    expect(found).toEqual({
      device: `--lidar ${path}`,
      info: {
        kind: 'info',
        model: 0x28,
        firmwareMajor: 1,
        firmwareMinor: 27,
        hardware: 5,
        serialNumber: '00112233445566778899AABBCCDDEEFF',
      },
      health: { kind: 'health', status: 'good', errorCode: 0 },
    });
  });

  it('stops a scan an earlier program left running and still finds the device', async () => {
    const { device, path } = await lidarOnPty();
    const earlier = await openLidarPort(path);
    earlier.write(Buffer.from([0xa5, 0xf0, 0x02, 0x94, 0x02, 0xc1])); // SET_MOTOR_PWM 660
    earlier.write(Buffer.from([0xa5, 0x20])); // SCAN
    await closeLidarPort(earlier); // and the earlier program ends without STOP
    await waitFor(() => device.stats().nodes > 200, 'the device to stream nodes');
    const found = await probeRplidar(path);
    expect(found.info.model).toBe(0x28);
    expect(device.state().scanning).toBe(false);
  });

  it('names a device that is not there, and what was expected', async () => {
    const missing = '/dev/ttyUSB-medhjalparen-absent';
    await expect(probeRplidar(missing)).rejects.toThrow(
      new LidarError(
        'CANNOT_OPEN',
        `--lidar ${missing}`,
        'no such device; expected a serial device such as /dev/ttyUSB0 or /dev/ttyACM0 (ls /dev/serial/by-id lists the USB serial devices plugged in)',
      ),
    );
  });

  it('names a silent device and the answer it waited for', async () => {
    const { device, path } = await lidarOnPty();
    device.goSilent();
    const error = await probeRplidar(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LidarError);
    expect((error as LidarError).message).toBe(
      `--lidar ${path}: no answer to GET_INFO within 1000 ms (expected an RPLIDAR response descriptor A5 5A 14 00 00 00 04)`,
    );
  });

  it('names a device speaking another protocol, with the bytes it sent', async () => {
    const { device, path } = await lidarOnPty();
    device.speak('firmata');
    const error = await probeRplidar(path).catch((e: unknown) => e);
    expect((error as LidarError).code).toBe('NOT_RPLIDAR');
    const said = new RegExp(
      `^--lidar ${path}: answered \\d+ bytes that are not RPLIDAR \\(first bytes ((?:[0-9A-F]{2} ){7}[0-9A-F]{2}) …\\)$`,
    ).exec((error as LidarError).message);
    expect(said, (error as LidarError).message).not.toBeNull();
    // The device answers each request with a Firmata REPORT_FIRMWARE. On a loaded machine the
    // answer to STOP may still be arriving when GET_INFO goes out, so the bytes named may start
    // inside it: they are the board's own bytes either way (the lockstep driver test pins the
    // first ones exactly).
    const report = [0xf0, 0x79, 2, 5, ...[...Buffer.from('Medhjalparen.ino')].flatMap((c) => [c, 0]), 0xf7];
    const stream = [...report, ...report].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
    expect(stream).toContain(said![1]);
  });

  it('refuses a device whose health is ERROR', async () => {
    const { device, path } = await lidarOnPty();
    device.setHealth('error', 0x8002);
    await expect(probeRplidar(path)).rejects.toThrow(
      `--lidar ${path}: health ERROR (error code 0x8002): the device will not scan (expected GOOD or WARNING)`,
    );
  });
});
