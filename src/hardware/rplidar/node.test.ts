import { describe, expect, it } from 'vitest';
import {
  EmulatedRplidar,
  PtyBridge,
  type EmulatedRplidarOptions,
} from '../../../firmware-bridge/emulator/index.js';
import {
  EmbeddedContext,
  SimClock,
  SystemClock,
  spinRealtime,
  timeMsgToNs,
  type DiagnosticArray,
  type LaserScan,
  type Logger,
} from '../../ros/index.js';
import {
  LidarConnection,
  LidarError,
  RplidarDriver,
  createLidarNode,
  openLidarPort,
  type LidarNodeParams,
  type LidarPort,
} from './index.js';

const MS = 1_000_000n;
const settle = () => new Promise((r) => setImmediate(r));

/** A wall 2 m away on the lidar's right (−π/2 ± 10°, counter-clockwise from its front), nothing else. */
const wallOnTheRight = (a: number) => (Math.abs(a + Math.PI / 2) < (10 * Math.PI) / 180 ? 2 : Infinity);

interface Rig {
  clock: SimClock;
  lidar: EmulatedRplidar;
  scans: Array<{ ms: number; scan: LaserScan }>;
  diagnostics: Array<{ ms: number; msg: DiagnosticArray }>;
  logs: Array<{ level: string; msg: string }>;
  connectAttemptsAt: number[];
  run(toMs: number): Promise<void>;
  nowMs(): number;
}

/**
 * The lidar node on an embedded graph with a listener node, an emulated A1 behind a reconnecting
 * connection whose connect() opens the emulated port (failing while unplugged, as opening a
 * missing /dev/ttyUSB0 does), all stepped in 10 ms slices on one simulated clock.
 */
function rig(
  device: EmulatedRplidarOptions = { ranges: wallOnTheRight },
  params: Partial<LidarNodeParams> = {},
  withConnection = true,
) {
  const clock = new SimClock(0n);
  const logs: Array<{ level: string; msg: string }> = [];
  const record = (level: keyof Logger) => (msg: string) => void logs.push({ level, msg });
  const ctx = new EmbeddedContext({
    clock,
    logger: () => ({ debug: () => {}, info: record('info'), warn: record('warn'), error: record('error') }),
  });
  const lidar = new EmulatedRplidar(device);
  const driver = new RplidarDriver(withConnection ? undefined : lidar.transport, { clock });
  const connectAttemptsAt: number[] = [];
  const connect = () =>
    new Promise<LidarPort>((resolve, reject) => {
      connectAttemptsAt.push(Number(clock.nowNs() / MS));
      const port = lidar.transport;
      if (port.isOpen) return resolve(port);
      port.open((e) => (e ? reject(new Error(`cannot open ${port.path}: ${e.message}`)) : resolve(port)));
    });
  const source = withConnection ? new LidarConnection(driver, { clock, connect }) : driver;
  const lidarNode = createLidarNode(ctx.createNode('lidar'), source, params);
  const probe = ctx.createNode('probe');
  let nowMs = 0;
  const scans: Rig['scans'] = [];
  const diagnostics: Rig['diagnostics'] = [];
  probe.createSubscription('sensor_msgs/msg/LaserScan', '/scan', (scan) => scans.push({ ms: nowMs, scan }));
  probe.createSubscription('diagnostic_msgs/msg/DiagnosticArray', '/diagnostics', (msg) =>
    diagnostics.push({ ms: nowMs, msg }),
  );
  const run = async (toMs: number) => {
    while (nowMs < toMs) {
      nowMs += 10;
      clock.advanceTo(BigInt(nowMs) * MS);
      lidar.advanceTo(clock.nowNs());
      ctx.spinSome();
      await settle();
    }
  };
  return {
    clock,
    lidar,
    driver,
    lidarNode,
    scans,
    diagnostics,
    logs,
    connectAttemptsAt,
    run,
    nowMs: () => nowMs,
    lastDiagnostic: () => diagnostics.at(-1)!.msg.status[0]!,
    value: (key: string) => diagnostics.at(-1)!.msg.status[0]!.values.find((v) => v.key === key)?.value,
  };
}

/** Beam index of angle `a` (rad) on the scan's grid. */
const beamOf = (scan: LaserScan, a: number) => Math.round((a - scan.angle_min) / scan.angle_increment);
/** The nearest range measured within ±3° of `a`: a turn's samples need not fall in every 1° bin (those are NaN). */
const rangeToward = (scan: LaserScan, a: number) => {
  const i = beamOf(scan, a);
  const n = scan.ranges.length;
  const measured = [-3, -2, -1, 0, 1, 2, 3]
    .map((k) => scan.ranges[(i + k + n) % n]!)
    .filter((r) => !Number.isNaN(r));
  return measured.length > 0 ? Math.min(...measured) : NaN;
};

describe('createLidarNode against the emulated A1 (lockstep, simulated time)', () => {
  it('starts the device and publishes /scan in base_link at its ~5.5 Hz, the wall on the right at −π/2', async () => {
    const r = rig();
    await r.run(3000);
    expect(r.lidarNode.status()).toMatchObject({
      state: 'scanning',
      info: { model: 0x18 },
      health: { status: 'good' },
    });
    expect(r.scans.length).toBeGreaterThan(10);
    const { scan } = r.scans.at(-1)!;
    expect(scan.header.frame_id).toBe('base_link');
    expect(scan.ranges).toHaveLength(360);
    expect(scan.scan_time).toBeGreaterThan(0.16);
    expect(scan.scan_time).toBeLessThan(0.2);
    expect(scan.time_increment).toBeCloseTo(scan.scan_time / 360, 12);
    const right = beamOf(scan, -Math.PI / 2);
    expect(rangeToward(scan, -Math.PI / 2)).toBeCloseTo(2, 2);
    expect(rangeToward(scan, Math.PI / 2)).toBe(Infinity); // nothing on the left
    const hits = [...scan.ranges].map((v, i) => [v, i] as const).filter(([v]) => Number.isFinite(v));
    expect(hits.every(([, i]) => Math.abs(i - right) <= 11)).toBe(true);
    // Stamps are the node clock's, one turn apart.
    const stamps = r.scans.slice(-5).map((s) => Number(timeMsgToNs(s.scan.header.stamp) / MS));
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]! - stamps[i - 1]!).toBeGreaterThanOrEqual(160);
  });

  it('publishes in the robot frame from the mount pose: a lidar mounted backwards sees the wall on the left', async () => {
    const r = rig({ ranges: wallOnTheRight }, { mount_yaw: Math.PI });
    await r.run(2500);
    const { scan } = r.scans.at(-1)!;
    expect(rangeToward(scan, Math.PI / 2)).toBeCloseTo(2, 2);
    expect(rangeToward(scan, -Math.PI / 2)).toBe(Infinity);
  });

  it('stops publishing when the device goes silent, reports it, and scans again after the port is recycled', async () => {
    const r = rig();
    await r.run(2000);
    r.lidar.goSilent();
    const silentAt = r.nowMs();
    await r.run(silentAt + 1000);
    // At most the turn that was complete when the device fell silent; nothing after.
    expect(r.scans.filter((s) => s.ms > silentAt + 20)).toEqual([]);
    expect(r.lidarNode.status().state).toBe('silent');
    expect(r.lastDiagnostic()).toMatchObject({
      level: 2,
      message: expect.stringMatching(/^silent: no scan node for \d+ ms$/),
    });
    expect(r.logs.filter((l) => l.msg.startsWith('lidar silent'))).toHaveLength(1);
    // The hung firmware recovers on a power cycle; the connection has closed and reopens the port.
    r.lidar.unplug();
    r.lidar.replug();
    await r.run(silentAt + 7000);
    expect(r.lidarNode.status().state).toBe('scanning');
    expect(r.scans.filter((s) => s.ms > silentAt + 1000).length).toBeGreaterThan(5);
  });

  it('reconnects after an unplug, backing off while the device is away, and /scan resumes', async () => {
    const r = rig();
    await r.run(2000);
    expect(r.scans.length).toBeGreaterThan(0);
    r.lidar.unplug();
    const unpluggedAt = r.nowMs();
    await r.run(unpluggedAt + 3000);
    expect(r.lidarNode.status().state).toBe('waiting');
    expect(r.scans.filter((s) => s.ms > unpluggedAt + 10)).toEqual([]);
    expect(r.lastDiagnostic()).toMatchObject({ level: 2, message: 'disconnected: port_closed' });
    const failedAttempts = r.connectAttemptsAt.filter((ms) => ms > unpluggedAt);
    expect(failedAttempts.length).toBeGreaterThanOrEqual(3);
    const gaps = failedAttempts.slice(1).map((t, i) => t - failedAttempts[i]!);
    expect(gaps.every((g, i) => i === 0 || g >= gaps[i - 1]!)).toBe(true); // backing off
    r.lidar.replug();
    const repluggedAt = r.nowMs();
    await r.run(repluggedAt + 4000);
    expect(r.lidarNode.status().state).toBe('scanning');
    expect(r.scans.filter((s) => s.ms > repluggedAt).length).toBeGreaterThan(5);
    expect(Number(r.value('links'))).toBe(2);
    expect(Number(r.value('reconnect_failures'))).toBeGreaterThanOrEqual(3);
  });

  it('refuses to scan a device whose health stays ERROR after a reset, says so once, and retries with backoff', async () => {
    const r = rig({ ranges: wallOnTheRight });
    r.lidar.setHealth('error', 0x8002, { survivesReset: true }); // a lasting fault
    await r.run(8000);
    // Between retries the node is starting again; look when it has met the refusal once more.
    while (r.lidarNode.status().state !== 'refused' && r.nowMs() < 12_000) await r.run(r.nowMs() + 10);
    const why = 'emulated:rplidar: health ERROR (error code 0x8002) after a reset: not scanning';
    expect(r.lidarNode.status()).toMatchObject({
      state: 'refused',
      reason: why,
      health: { errorCode: 0x8002 },
    });
    expect(r.logs.filter((l) => l.level === 'error')).toEqual([
      { level: 'error', msg: `lidar refused: ${why}` },
    ]);
    expect(r.scans).toEqual([]);
    expect(r.lidar.stats().requests.scan).toBeUndefined();
    // Between refusals too, the diagnostics keep the error up.
    const refusedSince = r.diagnostics.filter((d) => d.ms > 2000).map((d) => d.msg.status[0]!);
    expect(refusedSince.length).toBeGreaterThan(4);
    for (const s of refusedSince) {
      expect(s.level).toBe(2);
      expect(s.message.startsWith(`refused: ${why}`)).toBe(true);
    }
    // Each refusal closes the link and counts as a failed attempt: the retries back off.
    const attempts = r.connectAttemptsAt;
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
    expect(gaps.every((g, i) => i === 0 || g >= gaps[i - 1]!)).toBe(true);
    expect(Number(r.value('reconnect_failures'))).toBe(attempts.length - 1);
  });

  it('recovers a device in protection stop with one reset, as the protocol suggests', async () => {
    const r = rig({ ranges: wallOnTheRight });
    r.lidar.setHealth('error', 0x8001);
    await r.run(3000);
    expect(r.lidar.stats().requests).toMatchObject({ reset: 1 });
    expect(r.lidarNode.status()).toMatchObject({ state: 'scanning', health: { status: 'good' } });
    expect(r.scans.length).toBeGreaterThan(5);
  });

  it('counts garbage and packets cut short in /diagnostics and warns, while scans go on', async () => {
    const r = rig();
    await r.run(2000);
    r.lidar.sendGarbage([0x00, 0x00, 0x00, 0x00]);
    await r.run(3000);
    expect(r.value('rejected_bytes')).toBe('4');
    expect(r.value('rejected_by_reason')).toBe('NODE_SYNC=4');
    expect(r.logs.filter((l) => l.msg === 'lidar bytes rejected')).toHaveLength(1);
    expect(r.lidarNode.status().state).toBe('scanning');
    const warned = r.diagnostics.find((d) => d.msg.status[0]!.level === 1);
    expect(warned?.msg.status[0]!.message).toBe('4 bytes rejected');
  });

  it('reports the device in /diagnostics: model, firmware, serial, rotation, counts', async () => {
    const r = rig();
    await r.run(3000);
    expect(r.lastDiagnostic()).toMatchObject({
      level: 0,
      name: 'lidar: lidar',
      message: expect.stringMatching(/^scanning at 5\.\d Hz$/),
      hardware_id: 'rplidar 4BE4F6A0C2E39AD3B8E59EF3365A3418',
    });
    expect(r.value('model')).toBe('A1M8');
    expect(r.value('firmware')).toBe('1.29');
    expect(Number(r.value('nodes_per_revolution'))).toBeGreaterThan(330);
    expect(Number(r.value('scans_published'))).toBeGreaterThan(10);
  });

  it('restarts a bare driver’s device on its own port after a silence (no connection to recycle it)', async () => {
    const r = rig({ ranges: wallOnTheRight }, {}, false);
    await r.run(2000);
    r.lidar.goSilent();
    await r.run(2500);
    expect(r.lidarNode.status().state).toBe('silent');
    r.lidar.resume(); // it answers again, but its scan was lost: the node must ask anew
    r.lidar.speak('rplidar');
    await r.run(8000);
    expect(r.lidarNode.status()).toMatchObject({ state: 'scanning' });
    expect(r.lidarNode.status().starts).toBeGreaterThanOrEqual(2);
    expect(r.scans.filter((s) => s.ms > 5000).length).toBeGreaterThan(5);
  });

  it('turns the motor off and stops the scan on shutdown, and refuses bad parameters by name', async () => {
    const r = rig();
    await r.run(2000);
    expect(r.lidar.state()).toMatchObject({ scanning: true, motorOn: true });
    r.lidarNode.stop();
    expect(r.lidar.state()).toMatchObject({ dtr: true, motorOn: false }); // motor off first …
    await r.run(2100);
    expect(r.lidar.state().scanning).toBe(false); // … then STOP, then the port closed:
    expect(r.driver.attached).toBe(false);
    // closing drops DTR, and an A1's motor turns again once no program holds its port.
    expect(r.lidar.state()).toMatchObject({ dtr: false, motorOn: true });
    expect(() => rig({}, { beams: 7.5 })).toThrow(
      new LidarError('PARAM_INVALID', 'lidar.beams', 'expected an integer 8…8192, found 7.5'),
    );
    expect(() => rig({}, { range_max: 0.1 })).toThrow(
      /lidar\.range_max: expected > range_min \(0\.15\), found 0\.1/,
    );
  });
});

/** Waits until `done()` holds, checking every 20 ms; fails after `limitMs` (a generous bound, not a timing claim). */
async function waitFor(done: () => boolean, what: string, limitMs = 15_000): Promise<void> {
  for (let waited = 0; !done(); waited += 20) {
    if (waited > limitMs) throw new Error(`still waiting for ${what} after ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('createLidarNode through a real pty (serialport, socat; real time)', () => {
  it('scans, notices the unplug, retries while the device is gone, and resumes /scan after the replug', async () => {
    // An A2: its motor is switched by SET_MOTOR_PWM bytes, which a pty carries (it has no DTR line).
    const device = new EmulatedRplidar({ model: 'A2', ranges: wallOnTheRight });
    const bridge = await PtyBridge.start(device);
    const clock = new SystemClock();
    const ctx = new EmbeddedContext({ clock });
    const driver = new RplidarDriver(undefined, { clock, motorControl: 'pwm' });
    const connection = new LidarConnection(driver, { clock, connect: () => openLidarPort(bridge.hostPath) });
    const lidarNode = createLidarNode(ctx.createNode('lidar'), connection);
    const scans: LaserScan[] = [];
    ctx
      .createNode('probe')
      .createSubscription('sensor_msgs/msg/LaserScan', '/scan', (scan) => scans.push(scan));
    const spin = spinRealtime(ctx);
    try {
      await waitFor(() => scans.length >= 3, 'the first scans');
      const scan = scans.at(-1)!;
      expect(scan.header.frame_id).toBe('base_link');
      expect(rangeToward(scan, -Math.PI / 2)).toBeCloseTo(2, 2);
      const linksBefore = lidarNode.status().driver.links;

      await bridge.unplug();
      // serialport reports the pty's hang-up as a close, almost always at once; when it does not,
      // the silence recycles the port (relink after 2 s). Either way the link goes down.
      await waitFor(() => lidarNode.status().state === 'waiting', 'the node to notice the unplug');
      const scansWhenUnplugged = scans.length;
      await waitFor(() => (lidarNode.status().connection?.failures ?? 0) >= 2, 'failed reopen attempts');
      expect(lidarNode.status().connection?.lastError).toMatch(/: no such device; expected a serial device/);
      expect(scans.length).toBe(scansWhenUnplugged);

      await bridge.replug();
      const scansBeforeReplug = scans.length;
      await waitFor(() => scans.length >= scansBeforeReplug + 3, '/scan to resume after the replug');
      expect(lidarNode.status().state).toBe('scanning');
      expect(lidarNode.status().driver.links).toBe(linksBefore + 1);
      const again = scans.at(-1)!;
      expect(rangeToward(again, -Math.PI / 2)).toBeCloseTo(2, 2);
    } finally {
      lidarNode.stop();
      spin.stop();
      await bridge.close();
    }
  });
});
