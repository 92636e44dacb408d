import { describe, expect, it } from 'vitest';
import { RplidarDecoder, type ScanNode } from '../../src/hardware/rplidar/index.js';
import { DisconnectedError } from './serial-port.js';
import { EmulatedRplidar, type EmulatedRplidarOptions } from './rplidar-device.js';

const MS = 1_000_000n;
const settle = () => new Promise((r) => setImmediate(r));
const bytes = (text: string): number[] => [...Buffer.from(text.replace(/\s+/g, ''), 'hex')];
const hex = (b: ArrayLike<number>): string =>
  Array.from(b, (x) => x.toString(16).toUpperCase().padStart(2, '0')).join(' ');

/** An emulated lidar with a host listening on its port, stepped in 1 ms slices. */
function rig(options: EmulatedRplidarOptions = {}) {
  const device = new EmulatedRplidar(options);
  const got: number[] = [];
  device.transport.on('data', (chunk: Buffer) => got.push(...chunk));
  const write = (b: number[]) => device.transport.write(Buffer.from(b));
  const run = async (ms: number) => {
    const end = device.nowNs() + BigInt(ms) * MS;
    while (device.nowNs() < end) {
      device.advanceNs(MS);
      await settle();
    }
  };
  /** Everything received so far, then forgotten. */
  const take = () => got.splice(0);
  return { device, got, write, run, take };
}

/** Scan nodes in `wire` (after its descriptor), decoded by the driver's decoder. */
function nodes(wire: number[]): ScanNode[] {
  const d = new RplidarDecoder();
  d.push(wire);
  const out: ScanNode[] = [];
  for (let i = d.next(); i; i = d.next())
    if (i.kind === 'response' && i.response.kind === 'scan_node') out.push(i.response);
  return out;
}

describe('EmulatedRplidar', () => {
  it('answers GET_INFO byte-exactly: descriptor, model, firmware minor then major, hardware, serial', async () => {
    const r = rig({ serialNumber: '00112233445566778899AABBCCDDEEFF' });
    r.write([0xa5, 0x50]);
    await r.run(5);
    expect(hex(r.take())).toBe(
      hex(
        bytes(
          'A5 5A 14 00 00 00 04' + // descriptor: 20 bytes, single answer, data type 0x04
            '18' + // model A1M8
            '1D 01' + // firmware 1.29 (minor, major)
            '07' + // hardware 7
            '00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF', // serial number
        ),
      ),
    );
  });

  it('answers GET_HEALTH and GET_SAMPLERATE, and reports protection stop once set', async () => {
    const r = rig();
    r.write([0xa5, 0x52]);
    await r.run(5);
    expect(hex(r.take())).toBe('A5 5A 03 00 00 00 06 00 00 00'); // good, code 0
    r.device.setHealth('error', 0x8001);
    r.write([0xa5, 0x52]);
    await r.run(5);
    expect(hex(r.take())).toBe('A5 5A 03 00 00 00 06 02 01 80'); // error, code 0x8001
    r.write([0xa5, 0x59]);
    await r.run(5);
    expect(hex(r.take())).toBe('A5 5A 04 00 00 00 15 F4 01 FA 00'); // 500 µs, 250 µs
  });

  it('releases its bytes at 115200 baud: one 10-bit character every 86.8 µs', async () => {
    const r = rig();
    const at: bigint[] = [];
    r.device.onSerialByte((_b, atNs) => at.push(atNs));
    r.write([0xa5, 0x50]);
    await r.run(5);
    expect(at).toHaveLength(27);
    const gaps = at.slice(1).map((t, i) => Number(t - at[i]!));
    for (const gap of gaps) expect(Math.abs(gap - 1e10 / 115200)).toBeLessThanOrEqual(1);
    // The request's 2 bytes take 174 µs to arrive; the answer starts 100 µs later, its first byte lands 87 µs after that.
    expect(Number(at[0]!)).toBeCloseTo(2 * 86_806 + 100_000 + 86_806, -1);
  });

  it('streams scan nodes at about 2000 samples/s and 5.5 turns/s, on no fixed angle grid', async () => {
    const r = rig();
    r.write([0xa5, 0x20]); // SCAN; an A1 at power-up is already turning (no host holds DTR)
    await r.run(600); // past the spin-up
    r.take();
    const before = r.device.stats();
    await r.run(2000);
    const after = r.device.stats();
    const wire = [...bytes('A5 5A 05 00 00 40 81'), ...r.take()];
    const got = nodes(wire);
    expect(Math.abs(got.length - (after.nodes - before.nodes))).toBeLessThanOrEqual(1); // one may be on the wire
    expect(got.length / 2).toBeGreaterThan(1900);
    expect(got.length / 2).toBeLessThan(2100);
    expect((after.revolutions - before.revolutions) / 2).toBeGreaterThan(5.2);
    expect((after.revolutions - before.revolutions) / 2).toBeLessThan(5.8);
    // Successive turns do not repeat the same angles.
    const starts = got.filter((n) => n.start).map((n) => n.angleQ6);
    expect(new Set(starts).size).toBeGreaterThan(starts.length / 2);
  });

  it('measures clockwise: an object on its right (−π/2 in ROS terms) comes back at device angle 90°', async () => {
    const r = rig({ ranges: (a) => (Math.abs(a + Math.PI / 2) < (3 * Math.PI) / 180 ? 2 : Infinity) });
    r.write([0xa5, 0x20]);
    await r.run(1500);
    const got = nodes([...r.take()]);
    const hits = got.filter((n) => n.distanceQ2 > 0);
    expect(hits.length).toBeGreaterThan(10);
    for (const n of hits) {
      expect(Math.abs(n.angleQ6 / 64 - 90)).toBeLessThan(3.2);
      expect(n.distanceQ2).toBe(8000); // 2000 mm × 4
      expect(n.quality).toBe(15);
    }
    expect(got.filter((n) => n.distanceQ2 === 0).every((n) => n.quality === 0)).toBe(true);
  });

  it('follows DTR on an A1: opening the port stops the motor, releasing DTR starts it, nodes once up to speed', async () => {
    const r = rig();
    await new Promise<void>((resolve) => r.device.transport.close(() => resolve()));
    await new Promise<void>((resolve, reject) => r.device.transport.open((e) => (e ? reject(e) : resolve())));
    expect(r.device.state()).toMatchObject({ dtr: true, motorOn: false });
    r.write([0xa5, 0x20]);
    await r.run(1000);
    expect(hex(r.take())).toBe('A5 5A 05 00 00 40 81'); // announced, but the motor is still
    r.device.transport.set({ dtr: false });
    await r.run(300);
    expect(r.take()).toHaveLength(0); // spinning up
    await r.run(400);
    expect(nodes([...bytes('A5 5A 05 00 00 40 81'), ...r.take()]).length).toBeGreaterThan(300);
  });

  it('takes SET_MOTOR_PWM on an A2 and turns at its 10 Hz at duty 660', async () => {
    const r = rig({ model: 'A2' });
    expect(r.device.state().motorOn).toBe(false);
    r.write([0xa5, 0xf0, 0x02, 0x94, 0x02, 0xc1]); // SET_MOTOR_PWM 660
    await r.run(5);
    expect(r.device.state()).toMatchObject({ pwm: 660, motorOn: true });
    r.write([0xa5, 0x20]);
    await r.run(600);
    const before = r.device.stats().revolutions;
    await r.run(1000);
    expect(r.device.stats().revolutions - before).toBeGreaterThanOrEqual(9);
    r.write([0xa5, 0xf0, 0x02, 0x00, 0x00, 0x57]); // SET_MOTOR_PWM 0
    await r.run(5);
    expect(r.device.state().motorOn).toBe(false);
  });

  it('ignores a request sent within 1 ms after STOP, as the protocol document warns', async () => {
    const r = rig();
    r.write([0xa5, 0x25, 0xa5, 0x52]); // STOP then GET_HEALTH back to back
    await r.run(5);
    expect(r.take()).toHaveLength(0);
    expect(r.device.stats().ignoredBytes).toBe(2);
    r.write([0xa5, 0x52]);
    await r.run(5);
    expect(hex(r.take())).toBe('A5 5A 03 00 00 00 06 00 00 00');
  });

  it('stops its scan to answer another request', async () => {
    const r = rig();
    r.write([0xa5, 0x20]);
    await r.run(700);
    r.write([0xa5, 0x52]);
    await r.run(5);
    r.take();
    await r.run(50);
    expect(r.take()).toHaveLength(0);
    expect(r.device.state().scanning).toBe(false);
  });

  it('restarts on RESET and prints a text banner', async () => {
    const r = rig();
    r.write([0xa5, 0x40]);
    await r.run(20);
    expect(Buffer.from(r.take()).toString('latin1')).toMatch(/^RP LIDAR System\.\r\nFirmware Ver 1\.29/);
    expect(r.device.stats().resets).toBe(1);
  });

  it('goes silent on demand: requests unanswered until resumed', async () => {
    const r = rig();
    r.device.goSilent();
    r.write([0xa5, 0x50]);
    await r.run(100);
    expect(r.take()).toHaveLength(0);
    r.device.resume();
    r.write([0xa5, 0x52]);
    await r.run(5);
    expect(r.take()).toHaveLength(10);
  });

  it('stops in the middle of a packet and says nothing more', async () => {
    const r = rig();
    r.device.stopMidPacket(3);
    r.write([0xa5, 0x50]);
    await r.run(100);
    expect(hex(r.take())).toBe('A5 5A 14'); // the descriptor's first 3 bytes, then silence
    expect(r.device.state().silent).toBe(true);
  });

  it('puts garbage on the wire between its packets', async () => {
    const r = rig();
    r.device.sendGarbage([0xde, 0xad]);
    r.write([0xa5, 0x52]);
    await r.run(5);
    expect(hex(r.take())).toBe('DE AD A5 5A 03 00 00 00 06 00 00 00');
  });

  it('speaks another protocol: a Firmata board answering a burst of bytes with its 37-byte firmware report', async () => {
    const r = rig();
    r.device.speak('firmata');
    r.write([0xa5, 0x50]);
    await r.run(10);
    const reply = r.take();
    expect(reply).toHaveLength(37);
    expect(hex(reply.slice(0, 6))).toBe('F0 79 02 05 4D 00'); // REPORT_FIRMWARE 2.5 "M…"
    expect(reply.at(-1)).toBe(0xf7);
  });

  it('unplugs (the host port closes with a disconnect) and comes back powered up afresh on replug', async () => {
    const r = rig();
    r.write([0xa5, 0x20]);
    await r.run(700);
    const closed = new Promise<unknown>((resolve) => r.device.transport.once('close', resolve));
    r.device.unplug();
    expect(await closed).toBeInstanceOf(DisconnectedError);
    await r.run(100);
    expect(r.device.state()).toMatchObject({ plugged: false, scanning: false, motorOn: false });
    r.device.replug();
    await new Promise<void>((resolve, reject) => r.device.transport.open((e) => (e ? reject(e) : resolve())));
    r.take();
    r.write([0xa5, 0x52]);
    await r.run(5);
    expect(hex(r.take())).toBe('A5 5A 03 00 00 00 06 00 00 00');
  });

  it('gives the same bytes for the same seed and ranges', async () => {
    const run = async () => {
      const r = rig({ seed: 7, ranges: (a) => 1 + Math.abs(a) });
      r.write([0xa5, 0x20]);
      await r.run(800);
      return r.take();
    };
    const [a, b] = [await run(), await run()];
    expect(a.length).toBeGreaterThan(1000);
    expect(a).toEqual(b);
  });

  it('runs on the clock it is given: ranges see that clock, starting at startNs', async () => {
    const seen: bigint[] = [];
    const r = rig({
      startNs: 5_000n * MS,
      ranges: (_a, atNs) => {
        seen.push(atNs);
        return Infinity;
      },
    });
    expect(r.device.nowNs()).toBe(5_000n * MS);
    r.write([0xa5, 0x21]); // FORCE_SCAN: nodes at once
    await r.run(10);
    expect(seen.length).toBeGreaterThan(10);
    expect(seen[0]! > 5_000n * MS && seen.at(-1)! <= 5_010n * MS).toBe(true);
  });
});
