import { describe, expect, it } from 'vitest';
import {
  EmbeddedContext,
  SimClock,
  quaternionToYaw,
  twist,
  type BatteryState,
  type BoolMsg,
  type DiagnosticArray,
  type Logger,
  type Odometry,
  type TFMessage,
} from '../ros/index.js';
import { type BaseState } from '../interfaces/index.js';
import {
  DriveBase,
  HardwareError,
  LED_CUES,
  createDriveBaseNode,
  encodeFrame,
  type DriveBaseNodeOptions,
  type FirmataIO,
  type Frame,
} from './index.js';
import { FakeFirmataIO, ScriptedBoard } from './test-doubles.js';

const MS = 1_000_000n;
const settle = () => new Promise((r) => setImmediate(r));

interface Stamped<T> {
  ms: number;
  msg: T;
}

/**
 * The driver node on an embedded graph, a probe node playing gate, mission and listeners, and a
 * scripted board behind a fake Firmata IO that sends telemetry every 20 ms while `board.on`,
 * its wheels turning at the last commanded speed (no ramps: this is not the plant under test).
 */
function rig(options: DriveBaseNodeOptions & { withConnect?: boolean } = {}) {
  const clock = new SimClock(0n);
  const logs: Array<{ level: string; msg: string }> = [];
  const record = (level: keyof Logger) => (msg: string) => void logs.push({ level, msg });
  const ctx = new EmbeddedContext({
    clock,
    logger: () => ({
      debug: record('debug'),
      info: record('info'),
      warn: record('warn'),
      error: record('error'),
    }),
  });
  const ios: FakeFirmataIO[] = [];
  const newIo = () => {
    const io = new FakeFirmataIO();
    ios.push(io);
    return io;
  };
  const sim = { plugged: true, telemetry: true, leftMmS: 0, rightMmS: 0 };
  const base = new DriveBase(options.withConnect ? undefined : newIo(), { clock });
  const connect = options.withConnect
    ? () => (sim.plugged ? Promise.resolve<FirmataIO>(newIo()) : Promise.reject(new Error('no such port')))
    : undefined;
  const driver = createDriveBaseNode(ctx.createNode('drive_base'), base, {
    ...options,
    ...(connect ? { connect } : {}),
  });
  let board: ScriptedBoard | undefined;
  const currentBoard = () => {
    const io = ios.at(-1);
    if (io && board?.io !== io) board = new ScriptedBoard(io); // a new port: a board fresh from reset
    return board;
  };

  const probe = ctx.createNode('probe');
  const cmdPub = probe.createPublisher('geometry_msgs/msg/Twist', '/cmd_vel');
  const statusPub = probe.createPublisher('medhjalparen_msgs/msg/GuideStatus', '/guide/status');
  let nowMs = 0;
  const got = {
    odom: [] as Array<Stamped<Odometry>>,
    tf: [] as Array<Stamped<TFMessage>>,
    battery: [] as Array<Stamped<BatteryState>>,
    bumper: [] as Array<Stamped<BoolMsg>>,
    estop: [] as Array<Stamped<BoolMsg>>,
    state: [] as Array<Stamped<BaseState>>,
    diagnostics: [] as Array<Stamped<DiagnosticArray>>,
  };
  const listen = <K extends keyof typeof got>(
    key: K,
    type: Parameters<typeof probe.createSubscription>[0],
    topic: string,
  ) =>
    probe.createSubscription(type, topic, (msg: unknown) =>
      (got[key] as Array<Stamped<unknown>>).push({ ms: nowMs, msg }),
    );
  listen('odom', 'nav_msgs/msg/Odometry', '/odom');
  listen('tf', 'tf2_msgs/msg/TFMessage', '/tf');
  listen('battery', 'sensor_msgs/msg/BatteryState', '/battery');
  listen('bumper', 'std_msgs/msg/Bool', '/base/bumper');
  listen('estop', 'std_msgs/msg/Bool', '/base/estop');
  listen('state', 'medhjalparen_msgs/msg/BaseState', '/base/state');
  listen('diagnostics', 'diagnostic_msgs/msg/DiagnosticArray', '/diagnostics');

  /** Velocity commands the board received, with when. */
  const commandsAt = () =>
    ios
      .flatMap((io) => io.sentFrames())
      .filter((f): f is Extract<Frame, { kind: 'set_velocity' }> => f.kind === 'set_velocity');
  const sentLog: Array<{ ms: number; frame: Frame }> = [];
  let seenPerIo = new Map<FakeFirmataIO, number>();

  /** Steps 10 ms at a time to `toMs`, as the simulator does; `each` runs before the spin. */
  const run = async (toMs: number, each?: (ms: number) => void) => {
    while (nowMs < toMs) {
      nowMs += 10;
      clock.advanceTo(BigInt(nowMs) * MS);
      const b = currentBoard();
      if (b && sim.telemetry && nowMs % 20 === 0) {
        b.uptimeMs += 20;
        b.leftTicks += (sim.leftMmS * 0.02 * 2000) / 1000;
        b.rightTicks += (sim.rightMmS * 0.02 * 2000) / 1000;
        b.telemetry();
      }
      each?.(nowMs);
      ctx.spinSome();
      await settle();
      for (const io of ios) {
        const frames = io.sentFrames();
        for (const frame of frames.slice(seenPerIo.get(io) ?? 0)) {
          sentLog.push({ ms: nowMs, frame });
          if (frame.kind === 'set_velocity' && b?.io === io) {
            // The scripted wheels follow the command: v ± w·b/2.
            sim.leftMmS = frame.linearMmS - (frame.angularMradS * 420) / 2000;
            sim.rightMmS = frame.linearMmS + (frame.angularMradS * 420) / 2000;
          }
        }
        seenPerIo.set(io, frames.length);
      }
      b?.reply();
    }
  };
  const resetSentLog = () => {
    sentLog.length = 0;
    seenPerIo = new Map(ios.map((io) => [io, io.sentFrames().length]));
  };
  return {
    clock,
    ctx,
    base,
    driver,
    ios,
    sim,
    got,
    logs,
    run,
    sentLog,
    resetSentLog,
    commandsAt,
    board: () => currentBoard()!,
    cmd: (v: number, w: number) => cmdPub.publish(twist(v, w)),
    guide: (state: string) =>
      statusPub.publish({
        header: { stamp: { sec: 0, nanosec: 0 }, frame_id: '' },
        state,
        request_id: '',
        destination_id: '',
        reason: '',
        why: '',
      }),
  };
}

const velocitiesSent = (log: Array<{ ms: number; frame: Frame }>) =>
  log.flatMap(({ ms, frame }) =>
    frame.kind === 'set_velocity' ? [{ ms, v: frame.linearMmS, w: frame.angularMradS }] : [],
  );

describe('drive base node: /cmd_vel to the board', () => {
  it('forwards the gate’s 20 Hz commands at once, each one', async () => {
    const r = rig();
    await r.run(100);
    r.resetSentLog();
    await r.run(400, (ms) => ms % 50 === 0 && r.cmd(0.3, 0.1));
    expect(velocitiesSent(r.sentLog)).toEqual(
      [150, 200, 250, 300, 350, 400].map((ms) => ({ ms, v: 300, w: 100 })),
    );
  });

  it('sends a faster source at most every 50 ms, always its latest command', async () => {
    const r = rig();
    await r.run(100);
    r.resetSentLog();
    await r.run(300, (ms) => r.cmd(ms / 1000, 0)); // 100 Hz, speed = time
    expect(velocitiesSent(r.sentLog)).toEqual([
      { ms: 110, v: 110, w: 0 },
      { ms: 160, v: 160, w: 0 },
      { ms: 210, v: 210, w: 0 },
      { ms: 260, v: 260, w: 0 },
    ]);
  });

  it('repeats a fresh command every 100 ms, then sends one stop when it goes stale, then nothing', async () => {
    const r = rig();
    await r.run(100);
    r.resetSentLog();
    await r.run(110, () => r.cmd(0.5, 0));
    await r.run(800);
    expect(velocitiesSent(r.sentLog)).toEqual([
      { ms: 110, v: 500, w: 0 },
      { ms: 210, v: 500, w: 0 },
      { ms: 310, v: 500, w: 0 }, // fresh until 110 + 250 ms
      { ms: 370, v: 0, w: 0 }, // stale: one explicit stop; then the board's own 250 ms watchdog
    ]);
  });

  it('never lets the board’s 250 ms watchdog trip while commands keep coming, even at 5 Hz', async () => {
    const r = rig({ params: { cmd_timeout: 0.3 } });
    await r.run(2000, (ms) => ms % 200 === 0 && r.cmd(0.2, 0));
    const times = velocitiesSent(r.sentLog).map((c) => c.ms);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(100);
  });

  it('turns a command with NaN into a stop', async () => {
    const r = rig();
    await r.run(100);
    r.resetSentLog();
    await r.run(110, () => r.cmd(Number.NaN, 0.5));
    expect(velocitiesSent(r.sentLog)).toEqual([{ ms: 110, v: 0, w: 0 }]);
  });
});

describe('drive base node: what the board reports', () => {
  it('publishes /odom and odom→base_link from the wheel ticks at the board’s 50 Hz', async () => {
    const r = rig();
    await r.run(1000, (ms) => ms % 50 === 0 && r.cmd(0.5, 0));
    const odoms = r.got.odom.filter((o) => o.ms > 500 && o.ms <= 1000);
    expect(odoms).toHaveLength(25);
    const last = r.got.odom.at(-1)!.msg;
    expect(last.header.frame_id).toBe('odom');
    expect(last.child_frame_id).toBe('base_link');
    expect(last.twist.twist.linear.x).toBeCloseTo(0.5, 9);
    // Moving from the first ack (50 ms) on, in 20 ms steps: about 0.5 m/s × 0.94 s.
    expect(last.pose.pose.position.x).toBeGreaterThan(0.45);
    expect(last.pose.pose.position.x).toBeLessThan(0.5);
    const tf = r.got.tf.at(-1)!.msg.transforms[0]!;
    expect(tf.header.frame_id).toBe('odom');
    expect(tf.child_frame_id).toBe('base_link');
    expect(tf.transform.translation.x).toBe(last.pose.pose.position.x);
  });

  it('turns counter-clockwise for a positive angular command', async () => {
    const r = rig();
    await r.run(1000, (ms) => ms % 50 === 0 && r.cmd(0, 1.0));
    // Whole ticks (8 or 9 per 20 ms at ±210 mm/s) make single readings jitter; half a second averages out.
    const recent = r.got.odom.slice(-25).map((o) => o.msg.twist.twist.angular.z);
    expect(recent.reduce((a, b) => a + b, 0) / recent.length).toBeCloseTo(1.0, 2);
    const last = r.got.odom.at(-1)!.msg;
    expect(last.twist.twist.linear.x).toBeCloseTo(0, 9);
    expect(quaternionToYaw(last.pose.pose.orientation)).toBeGreaterThan(0.85);
  });

  it('publishes the battery at 1 Hz from the board’s voltage', async () => {
    const r = rig();
    r.board().batteryMv = 11550;
    await r.run(2000);
    expect(r.got.battery.map((b) => b.ms)).toEqual([1000, 2000]);
    const b = r.got.battery[0]!.msg;
    expect(b.voltage).toBeCloseTo(11.55, 9);
    // Halfway from 10.5 to 12.6 V is 3.85 V a cell: 58 % on the Li-ion resting curve.
    expect(b.percentage).toBeCloseTo(0.5 + (0.05 / 0.06) * 0.1, 9);
    expect(b.present).toBe(true);
    expect(Number.isNaN(b.current)).toBe(true); // not measured
    expect(b.cell_voltage).toEqual(new Float32Array(0));
  });

  it('says at once when the bumper latches a stop, on /base/bumper, /base/state and the LEDs', async () => {
    const r = rig();
    await r.run(200);
    const before = r.got.state.length;
    await r.run(210, () => Object.assign(r.board(), { inputs: 0x01, state: 0x01, fault: 1 }));
    await r.run(220);
    expect(r.got.bumper.at(-1)).toEqual({ ms: 220, msg: { data: true } });
    expect(
      r.got.state.slice(before).map((s) => [s.ms, s.msg.connected, s.msg.stop_latched, s.msg.fault]),
    ).toEqual([[220, true, true, 'bumper']]);
    const leds = r.ios[0]!.sentFrames().filter((f) => f.kind === 'set_leds');
    expect(leds.at(-1)).toEqual({ kind: 'set_leds', pattern: 'error', ...LED_CUES.stop_latched.rgb });
    expect(r.driver.ledCue()).toBe('stop_latched');
  });
});

describe('drive base node: LEDs follow the mission', () => {
  it('maps each /guide/status state through the table, sending only changes', async () => {
    const r = rig();
    await r.run(100);
    const states = [
      'escorting',
      'escorting',
      'waiting_for_customer',
      'arrived',
      'returning',
      'idle',
      'dancing',
    ];
    let i = 0;
    await r.run(100 + 10 * states.length, () => r.guide(states[i++]!));
    const leds = r.ios[0]!.sentFrames().filter((f) => f.kind === 'set_leds');
    const expected = [
      'idle',
      'escorting',
      'waiting_for_customer',
      'arrived',
      'returning',
      'idle',
      'unknown_state',
    ] as const;
    expect(leds).toEqual(
      expected.map((c) => ({ kind: 'set_leds', pattern: LED_CUES[c].pattern, ...LED_CUES[c].rgb })),
    );
  });
});

describe('drive base node: losing and finding the board', () => {
  it('publishes /base/state connected=false within 110 ms of the last telemetry', async () => {
    const r = rig();
    await r.run(500);
    r.sim.telemetry = false; // last telemetry at 500 ms
    await r.run(700);
    const down = r.got.state.find((s) => !s.msg.connected)!;
    expect(down.ms).toBeGreaterThan(600);
    expect(down.ms).toBeLessThanOrEqual(610);
    expect(down.msg.fault).toBe('telemetry_timeout');
    expect(r.logs).toContainEqual({ level: 'warn', msg: 'drive base disconnected' });
  });

  it('knows in the same step when the port is unplugged, reconnects when it is back, and odometry does not jump', async () => {
    const r = rig({ withConnect: true });
    await r.run(1000, (ms) => ms % 50 === 0 && r.cmd(0.4, 0));
    expect(r.base.connected).toBe(true);
    const xBefore = r.got.odom.at(-1)!.msg.pose.pose.position.x;
    r.sim.plugged = false;
    await r.run(1010, () => r.ios[0]!.unplug());
    expect(r.got.state.at(-1)).toMatchObject({ ms: 1010, msg: { connected: false, fault: 'port_closed' } });
    await r.run(1500, (ms) => ms % 50 === 0 && r.cmd(0.4, 0));
    expect(r.ios).toHaveLength(1); // the port is gone: attempts fail
    r.sim.plugged = true;
    await r.run(3500, (ms) => ms % 50 === 0 && r.cmd(0.4, 0));
    expect(r.ios).toHaveLength(2);
    expect(r.base.connected).toBe(true);
    const states = r.got.state.filter((s) => s.ms > 1010).map((s) => s.msg.connected);
    expect(states.at(-1)).toBe(true);
    // The new board counts from zero; the pose carries on from where it was, forward only.
    const xs = r.got.odom.map((o) => o.msg.pose.pose.position.x);
    expect(xs.every((x, i) => i === 0 || x >= xs[i - 1]! - 1e-12)).toBe(true);
    expect(xs.at(-1)!).toBeGreaterThan(xBefore);
    expect(r.driver.connection!.status().failures).toBeGreaterThan(0);
  });
});

describe('drive base node: diagnostics', () => {
  const level = (d: DiagnosticArray) => d.status[0]!.level;
  const value = (d: DiagnosticArray, key: string) => d.status[0]!.values.find((v) => v.key === key)?.value;

  it('reports STALE before the board speaks, OK once connected, WARN on rejected frames, ERROR when lost', async () => {
    const r = rig();
    r.sim.telemetry = false;
    await r.run(1000);
    expect(level(r.got.diagnostics.at(-1)!.msg)).toBe(3);
    r.sim.telemetry = true;
    await r.run(2000, (ms) => ms % 50 === 0 && r.cmd(0.2, 0));
    const ok = r.got.diagnostics.at(-1)!.msg;
    expect(level(ok)).toBe(0);
    expect(ok.status[0]!.hardware_id).toBe('medhjalparen-drive');
    expect(value(ok, 'connected')).toBe('true');
    expect(Number(value(ok, 'ack_rtt_p50_ms'))).toBeGreaterThanOrEqual(0);
    const bad = encodeFrame({ kind: 'velocity_ack', seq: 1, status: 'accepted' });
    bad[3] = bad[3]! ^ 0x10;
    await r.run(2010, () => r.ios[0]!.receive(bad));
    await r.run(3000);
    const warn = r.got.diagnostics.at(-1)!.msg;
    expect(level(warn)).toBe(1);
    expect(value(warn, 'host_rejected_frames')).toBe('1');
    expect(value(warn, 'host_rejected_by_reason')).toBe('FRAME_CRC=1');
    r.sim.telemetry = false;
    await r.run(4000);
    expect(level(r.got.diagnostics.at(-1)!.msg)).toBe(2);
  });
});

describe('drive base node: set-up and shut-down', () => {
  it('refuses a refresh period the board’s watchdog would not survive', () => {
    const clock = new SimClock(0n);
    const ctx = new EmbeddedContext({ clock });
    const base = new DriveBase(new FakeFirmataIO(), { clock });
    expect(() =>
      createDriveBaseNode(ctx.createNode('drive_base'), base, { params: { cmd_refresh_period: 0.3 } }),
    ).toThrow(HardwareError);
    expect(() =>
      createDriveBaseNode(ctx.createNode('drive_base_2'), base, { params: { cmd_refresh_period: 0.3 } }),
    ).toThrow(/base\.cmd_refresh_period: expected < 0\.25 s/);
  });

  it('sends the configuration at start, and on stop() one last stop and then nothing', async () => {
    const config = {
      wheelBaseMm: 400,
      ticksPerM: 2500,
      maxSpeedMmS: 900,
      maxAccelMmS2: 600,
      maxAngularMradS: 1200,
    };
    const r = rig({ config });
    expect(r.ios[0]!.sentFrames()).toContainEqual({ kind: 'set_config', config });
    await r.run(300, (ms) => ms % 50 === 0 && r.cmd(0.3, 0));
    r.resetSentLog();
    r.driver.stop();
    await r.run(600, (ms) => ms % 50 === 0 && r.cmd(0.3, 0));
    expect(velocitiesSent(r.sentLog)).toEqual([{ ms: 310, v: 0, w: 0 }]);
  });
});
