import { describe, expect, it } from 'vitest';
import { EmulatedRplidar, type EmulatedRplidarOptions } from '../../../firmware-bridge/emulator/index.js';
import { SimClock } from '../../ros/index.js';
import {
  LidarError,
  RplidarDriver,
  type LidarPort,
  type LinkChange,
  type NodeEvent,
  type Rejection,
  type RplidarDriverOptions,
} from './index.js';

const MS = 1_000_000n;
const settle = () => new Promise((r) => setImmediate(r));

/**
 * The driver on an emulated RPLIDAR's port, in lockstep on a simulated clock: each 1 ms step
 * advances the clock and the device together, then lets the driver look at its deadlines.
 */
function rig(device: EmulatedRplidarOptions = {}, driver: Partial<RplidarDriverOptions> = {}) {
  const clock = new SimClock(0n);
  const lidar = new EmulatedRplidar(device);
  const d = new RplidarDriver(lidar.transport, { clock, ...driver });
  const got = { nodes: [] as NodeEvent[], rejected: [] as Rejection[], links: [] as LinkChange[] };
  d.on('node', (e) => got.nodes.push(e));
  d.on('rejected', (e) => got.rejected.push(e));
  d.on('link', (e) => got.links.push(e));
  const run = async (ms: number) => {
    const end = clock.nowNs() + BigInt(ms) * MS;
    while (clock.nowNs() < end) {
      clock.advanceTo(clock.nowNs() + MS);
      lidar.advanceTo(clock.nowNs());
      d.check();
      await settle();
    }
  };
  /** Runs until `p` settles (at most `limitMs` of simulated time), returning how it settled. */
  const until = async <T>(p: Promise<T>, limitMs = 5000) => {
    let outcome: { value: T } | { error: unknown } | undefined;
    p.then(
      (value) => (outcome = { value }),
      (error: unknown) => (outcome = { error }),
    );
    for (let ms = 0; !outcome && ms < limitMs; ms++) await run(1);
    if (!outcome) throw new Error(`not settled within ${limitMs} ms of simulated time`);
    return { ...outcome, atMs: Number(clock.nowNs() / MS) };
  };
  return { clock, lidar, driver: d, got, run, until };
}

describe('RplidarDriver against the emulated device (lockstep, simulated time)', () => {
  it('reads the device info and health', async () => {
    const r = rig({ serialNumber: '0123456789ABCDEF0123456789ABCDEF' });
    expect(await r.until(r.driver.info())).toMatchObject({
      value: {
        kind: 'info',
        model: 0x18,
        firmwareMajor: 1,
        firmwareMinor: 29,
        hardware: 7,
        serialNumber: '0123456789ABCDEF0123456789ABCDEF',
      },
    });
    r.lidar.setHealth('warning', 0x0042);
    expect(await r.until(r.driver.health())).toMatchObject({
      value: { kind: 'health', status: 'warning', errorCode: 0x42 },
    });
    expect(await r.until(r.driver.sampleRate())).toMatchObject({
      value: { standardUs: 500, expressUs: 250 },
    });
  });

  it('holds a request after STOP until the device may listen again, so it is not lost', async () => {
    const r = rig();
    r.driver.stop();
    const answer = await r.until(r.driver.health());
    expect(answer).toMatchObject({ value: { status: 'good' } });
    expect(r.lidar.stats()).toMatchObject({ requests: { stop: 1, get_health: 1 }, ignoredBytes: 0 });
  });

  it('starts a scan and hands over nodes with their receive time on the driver clock', async () => {
    const r = rig({ ranges: () => 3 });
    await r.until(r.driver.motor(true));
    expect(await r.until(r.driver.startScan())).toMatchObject({ value: undefined });
    expect(r.driver.scanning).toBe(true);
    await r.run(1500);
    const n = r.got.nodes;
    expect(n.length).toBeGreaterThan(1500);
    expect(n.every((e) => e.node.distanceQ2 === 12000)).toBe(true); // 3 m × 1000 × 4
    expect(n.every((e, i) => i === 0 || e.atNs >= n[i - 1]!.atNs)).toBe(true);
    expect(r.driver.connected).toBe(true);
    expect(r.driver.status()).toMatchObject({ rejections: 0, rejectedBytes: 0 });
  });

  it('gives up on a silent device after 1000 ms of driver-clock time, saying what it expected', async () => {
    const r = rig();
    r.lidar.goSilent();
    const result = await r.until(r.driver.info());
    // Past the deadline at 1001 ms, and still so at the next look (checks here are 1 ms apart).
    expect(result).toMatchObject({ atMs: 1002 });
    expect('error' in result && result.error).toEqual(
      new LidarError(
        'NO_ANSWER',
        'emulated:rplidar',
        'no answer to GET_INFO within 1000 ms (expected an RPLIDAR response descriptor A5 5A 14 00 00 00 04)',
      ),
    );
    expect(r.driver.status().requestsUnanswered).toBe(1);
  });

  it('takes an answer that came while the process was held up past the deadline, not giving up on it', async () => {
    const r = rig();
    let outcome: string | undefined;
    r.driver.info().then(
      (info) => (outcome = `model ${info.model}`),
      (e: unknown) => (outcome = (e as LidarError).code),
    );
    // The process is held up for 2 s: the clock moves on while the device's answer waits, unread.
    r.clock.advanceTo(2000n * MS);
    r.driver.check(); // the first look after the hold-up comes before the bytes are read
    r.lidar.advanceTo(r.clock.nowNs());
    await settle();
    r.driver.check();
    await settle();
    expect(outcome).toBe('model 24'); // the emulated A1
  });

  it('gives up once two looks in a row find the deadline passed with nothing in between', async () => {
    const r = rig();
    r.lidar.goSilent();
    let outcome: string | undefined;
    r.driver.info().catch((e: unknown) => (outcome = (e as LidarError).code));
    r.clock.advanceTo(2000n * MS);
    r.driver.check();
    await settle();
    expect(outcome).toBeUndefined();
    r.driver.check();
    await settle();
    expect(outcome).toBe('NO_ANSWER');
  });

  it('tells a device speaking another protocol from a silent one, with its first bytes', async () => {
    const r = rig();
    r.lidar.speak('firmata');
    const result = await r.until(r.driver.info());
    expect('error' in result && (result.error as LidarError).message).toBe(
      'emulated:rplidar: answered 37 bytes that are not RPLIDAR (first bytes F0 79 02 05 4D 00 65 00 …)',
    );
    expect('error' in result && (result.error as LidarError).code).toBe('NOT_RPLIDAR');
    r.driver.check();
    expect(r.driver.status().rejectedBytes).toBe(37);
  });

  it('counts a node cut short as TRUNCATED once the line has been quiet for 50 ms, naming its offset', async () => {
    const r = rig();
    await r.until(r.driver.startScan());
    await r.run(700);
    r.lidar.stopMidPacket(2);
    await r.run(100);
    expect(r.got.rejected).toHaveLength(1);
    const cut = r.got.rejected[0]!;
    expect(cut.code).toBe('TRUNCATED');
    expect(cut.length).toBe(2);
    expect(cut.offset).toBe(r.driver.status().bytes - 2);
    expect(cut.message).toMatch(
      /^bytes \d+–\d+: packet cut short: expected a 5-byte scan_node, found 2 bytes \(.. ..\), then silence$/,
    );
  });

  it('resynchronises after garbage in the middle of a scan and goes on delivering nodes', async () => {
    const r = rig({ ranges: () => 2 });
    await r.until(r.driver.startScan());
    await r.run(700);
    const before = r.got.nodes.length;
    r.lidar.sendGarbage([0x00, 0x00, 0x00]); // S = !S: never a node
    await r.run(200);
    expect(r.got.rejected.map((x) => [x.code, x.length])).toEqual([['NODE_SYNC', 3]]);
    expect(r.got.nodes.length - before).toBeGreaterThan(350);
    expect(r.got.nodes.slice(before).every((e) => e.node.distanceQ2 === 8000)).toBe(true); // no misread nodes
  });

  it('switches an A1 motor with DTR and an A2 motor with SET_MOTOR_PWM', async () => {
    const a1 = rig();
    await a1.until(a1.driver.motor(false));
    expect(a1.lidar.state()).toMatchObject({ dtr: true, motorOn: false });
    await a1.until(a1.driver.motor(true));
    expect(a1.lidar.state()).toMatchObject({ dtr: false, motorOn: true });

    const a2 = rig({ model: 'A2' }, { motorControl: 'pwm', motorPwm: 800 });
    await a2.until(a2.driver.motor(true));
    await a2.run(2);
    expect(a2.lidar.state()).toMatchObject({ pwm: 800, motorOn: true });
    await a2.until(a2.driver.motor(false));
    await a2.run(2);
    expect(a2.lidar.state()).toMatchObject({ pwm: 0, motorOn: false });
  });

  it('reports a port that refuses DTR (a pty) as MOTOR_CONTROL, not as a crash', async () => {
    const clock = new SimClock(0n);
    const lidar = new EmulatedRplidar();
    const port = lidar.transport as unknown as LidarPort;
    const noModemLines: LidarPort = Object.assign(Object.create(port) as LidarPort, {
      set: (_l: unknown, cb?: (e?: Error | null) => void) =>
        cb?.(new Error('Inappropriate ioctl for device, cannot set')),
    });
    const d = new RplidarDriver(noModemLines, { clock, name: '/dev/ttyUSB1' });
    await expect(d.motor(true)).rejects.toThrow(
      new LidarError(
        'MOTOR_CONTROL',
        '/dev/ttyUSB1',
        'cannot set DTR: Inappropriate ioctl for device, cannot set',
      ),
    );
  });

  it('refuses a second request while one waits for its answer', async () => {
    const r = rig();
    const first = r.driver.info();
    await expect(r.driver.health()).rejects.toThrow(/BUSY|while GET_INFO waits for its answer/);
    expect(await r.until(first)).toMatchObject({ value: { kind: 'info' } });
  });

  it('passes over the boot banner after RESET, then answers', async () => {
    const r = rig();
    r.driver.reset();
    const health = await r.until(r.driver.health());
    expect(health).toMatchObject({ value: { status: 'good' } });
    expect(health.atMs).toBeGreaterThanOrEqual(50); // held for the reset's quiet time
    expect(r.driver.status()).toMatchObject({ rejectedBytes: 0 });
    expect(r.driver.status().bannerBytes).toBeGreaterThan(20);
  });

  it('lets go of an unplugged port: the waiting request fails LINK_LOST and the link goes down', async () => {
    const r = rig();
    await r.until(r.driver.startScan());
    await r.run(600);
    const pending = r.driver.info();
    r.lidar.unplug();
    const result = await r.until(pending);
    expect('error' in result && (result.error as LidarError).code).toBe('LINK_LOST');
    expect(r.got.links.at(-1)).toEqual({ up: false, reason: 'port_closed' });
    expect(r.driver.attached).toBe(false);
    await expect(r.driver.info()).rejects.toThrow(/NOT_ATTACHED|no port to send GET_INFO on/);
  });
});
