import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EmbeddedContext,
  SimClock,
  twist,
  type LaserScan,
  type Logger,
  type ParameterValue,
  type SetBoolResponse,
} from '../ros/index.js';
import { type SafetyState } from '../interfaces/index.js';
import { DEFAULT_SAFETY_PARAMS, SafetyError, createSafetyGate, type SafetyParams } from './index.js';

const MS = 1_000_000n;
const BEAMS = 360;
const INC = (2 * Math.PI) / BEAMS;

/** A 360-beam LaserScan from angle_min -π (as the sim lidar publishes), with returns at `pts`. */
function laserScan(stampNs: bigint, pts: Array<[number, number]>, frame = 'base_link'): LaserScan {
  const ranges = new Float32Array(BEAMS).fill(Infinity);
  for (const [x, y] of pts) {
    const i = Math.round((Math.atan2(y, x) + Math.PI) / INC) % BEAMS;
    ranges[i] = Math.min(ranges[i]!, Math.hypot(x, y));
  }
  return {
    header: {
      stamp: { sec: Number(stampNs / 1_000_000_000n), nanosec: Number(stampNs % 1_000_000_000n) },
      frame_id: frame,
    },
    angle_min: -Math.PI,
    angle_max: Math.PI - INC,
    angle_increment: INC,
    time_increment: 0,
    scan_time: 0.1,
    range_min: 0.12,
    range_max: 12,
    ranges,
    intensities: new Float32Array(0),
  };
}

/** A drive-base driver on the rig's graph: publishes /base/state, connected or with `fault`. */
function baseDriver(r: { ctx: EmbeddedContext }, fault: string): (connected: boolean) => void {
  const base = r.ctx
    .createNode('base_driver')
    .createPublisher('medhjalparen_msgs/msg/BaseState', '/base/state');
  return (connected) =>
    base.publish({
      header: { stamp: { sec: 0, nanosec: 0 }, frame_id: '' },
      connected,
      stop_latched: false,
      fault: connected ? '' : fault,
    });
}

interface Out {
  t: bigint;
  v: number;
  w: number;
}

/** The gate on an embedded graph, with a probe node playing navigation, operator, lidar and drive base. */
function rig(options: { params?: Partial<SafetyParams>; launch?: Record<string, ParameterValue> } = {}) {
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
    parameterOverrides: options.launch ? { safety_gate: options.launch } : {},
  });
  const safety = createSafetyGate(ctx.createNode('safety_gate'), options.params);
  const probe = ctx.createNode('probe');
  const nav = probe.createPublisher('geometry_msgs/msg/Twist', '/cmd_vel_nav');
  const teleop = probe.createPublisher('geometry_msgs/msg/Twist', '/cmd_vel_teleop');
  const lidar = probe.createPublisher('sensor_msgs/msg/LaserScan', '/scan');
  const out: Out[] = [];
  probe.createSubscription('geometry_msgs/msg/Twist', '/cmd_vel', (m) =>
    out.push({ t: clock.nowNs(), v: m.linear.x, w: m.angular.z }),
  );
  const states: Array<SafetyState & { t: bigint }> = [];
  probe.createSubscription('medhjalparen_msgs/msg/SafetyState', '/safety/state', (m) =>
    states.push({ ...m, t: clock.nowNs() }),
  );
  const estopClient = probe.createClient('std_srvs/srv/SetBool', '/safety/estop');

  /**
   * Advances in 10 ms sim steps to `toMs`, like the simulator: every 50 ms `each` may publish
   * commands; the lidar publishes `obstacles` (nothing while null) at 10 Hz, first at 10 ms.
   */
  const world = { obstacles: [] as Array<[number, number]> | null, frame: 'base_link' };
  let lastScanMs: number | undefined;
  function runTo(toMs: number, each?: (tMs: number) => void): void {
    const step = 10n * MS;
    for (let now = (clock.nowNs() / step + 1n) * step; now <= BigInt(toMs) * MS; now += step) {
      clock.advanceTo(now);
      const tMs = Number(now / MS);
      if (tMs % 50 === 0) each?.(tMs);
      if (world.obstacles && (lastScanMs === undefined || tMs - lastScanMs >= 100)) {
        lidar.publish(laserScan(now, world.obstacles, world.frame));
        lastScanMs = tMs;
      }
      ctx.spinSome();
    }
  }
  function estop(data: boolean): SetBoolResponse {
    let response: SetBoolResponse | undefined;
    estopClient.sendRequest({ data }, (r) => (response = r));
    ctx.spinSome();
    if (!response) throw new Error('no response from /safety/estop');
    return response;
  }
  const outputsBetween = (fromMs: number, toMs: number) =>
    out.filter((o) => o.t > BigInt(fromMs) * MS && o.t <= BigInt(toMs) * MS);
  return {
    clock,
    ctx,
    safety,
    nav,
    teleop,
    lidar,
    out,
    states,
    logs,
    world,
    runTo,
    estop,
    outputsBetween,
    estopClient,
  };
}

describe('createSafetyGate on the node graph', () => {
  it('feeds the base zeros at 20 Hz before anyone commands, and says why', () => {
    const r = rig();
    r.runTo(1000);
    expect(r.out.map((o) => Number(o.t / MS))).toEqual(Array.from({ length: 20 }, (_, i) => 50 * (i + 1)));
    expect(r.out.every((o) => o.v === 0 && o.w === 0)).toBe(true);
    expect(r.safety.status()).toMatchObject({ estopLatched: false, reason: 'cmd_timeout', source: '' });
    // once when the reason first appears, then the 1 Hz heartbeat
    expect(r.states.map((s) => [Number(s.t / MS), s.reason, s.estop_latched, s.source])).toEqual([
      [50, 'cmd_timeout', false, ''],
      [1000, 'cmd_timeout', false, ''],
    ]);
    expect(r.logs).toEqual([{ level: 'info', msg: 'safety gate: cmd_timeout' }]);
  });

  it('passes a nav command up the acceleration ramp, then as given', () => {
    const r = rig();
    r.runTo(1000, () => r.nav.publish(twist(0.3, 0.1)));
    const vs = r.out.map((o) => o.v);
    expect(vs[0]).toBeCloseTo(0.04, 12);
    expect(vs[1]).toBeCloseTo(0.08, 12);
    expect(vs.at(-1)).toBe(0.3);
    expect(r.out.at(-1)!.w).toBe(0.1);
    expect(r.safety.status()).toMatchObject({ reason: 'ok', source: 'nav' });
    expect(r.states.map((s) => s.reason)).toEqual(['accel_limit', 'ok', 'ok']);
  });

  it("takes navigation's commands on the topic safety.nav_cmd_topic names (Nav2's last stage), and only there", () => {
    const r = rig({ launch: { 'safety.nav_cmd_topic': '/cmd_vel_checked' } });
    const nav2 = r.ctx.createNode('nav2').createPublisher('geometry_msgs/msg/Twist', '/cmd_vel_checked');
    r.runTo(1000, () => r.nav.publish(twist(0.3, 0))); // the default topic: nobody listens now
    expect(r.out.length).toBeGreaterThan(15);
    expect(r.out.every((o) => o.v === 0 && o.w === 0)).toBe(true);
    r.runTo(2000, () => nav2.publish(twist(0.3, 0.1)));
    expect(r.out.at(-1)).toMatchObject({ v: 0.3, w: 0.1 });
    expect(r.safety.status()).toMatchObject({ reason: 'ok', source: 'nav' });
  });

  it('holds the robot while the drive base reports its board lost, and drives again after (issue 4)', () => {
    const r = rig();
    const baseState = baseDriver(r, 'port_closed');
    r.runTo(1000, () => r.nav.publish(twist(0.3, 0)));
    expect(r.out.at(-1)!.v).toBe(0.3);
    baseState(false);
    r.runTo(1500, () => r.nav.publish(twist(0.3, 0)));
    expect(r.outputsBetween(1010, 1500).every((o) => o.v === 0 && o.w === 0)).toBe(true);
    expect(r.safety.status().reason).toBe('base_disconnected');
    baseState(true);
    r.runTo(3000, () => r.nav.publish(twist(0.3, 0)));
    expect(r.out.at(-1)!.v).toBe(0.3);
  });

  it('waits for a drive base not linked yet (a warning), and calls one lost after it was there an error', () => {
    const r = rig();
    const baseState = baseDriver(r, 'connecting');
    baseState(false);
    r.runTo(500, () => r.nav.publish(twist(0.3, 0)));
    baseState(true);
    r.runTo(1000, () => r.nav.publish(twist(0.3, 0)));
    baseState(false);
    r.runTo(1500, () => r.nav.publish(twist(0.3, 0)));
    expect(r.logs.filter((l) => l.msg === 'safety gate: base_disconnected').map((l) => l.level)).toEqual([
      'warn',
      'error',
    ]);
  });

  it('stops exactly when commands stop coming for longer than cmd_timeout', () => {
    const r = rig();
    r.runTo(1000, () => r.nav.publish(twist(0.3, 0)));
    r.runTo(2000);
    // the last command arrived at 1000 ms: still fresh at 1500 ms, stale at 1550 ms
    expect(r.outputsBetween(1000, 1500).every((o) => o.v === 0.3)).toBe(true);
    expect(r.outputsBetween(1500, 2000).every((o) => o.v === 0 && o.w === 0)).toBe(true);
    expect(r.safety.status().reason).toBe('cmd_timeout');
  });

  it('stops when scans stop, logging it once', () => {
    const r = rig();
    r.runTo(1000, () => r.nav.publish(twist(0.2, 0)));
    r.world.obstacles = null;
    r.runTo(3000, () => r.nav.publish(twist(0.2, 0)));
    // scans went out at 10, 110, ..., 910 ms: the last one is fresh until 1410 ms
    expect(r.outputsBetween(900, 1400).every((o) => o.v === 0.2)).toBe(true);
    expect(r.outputsBetween(1400, 3000).every((o) => o.v === 0)).toBe(true);
    expect(r.logs.filter((l) => l.msg.includes('scan_stale'))).toEqual([
      { level: 'warn', msg: 'safety gate: scan_stale' },
    ]);
  });

  it('refuses scans in another frame (once in the log) and so stops, rather than driving blind', () => {
    const r = rig();
    r.world.frame = 'laser';
    r.runTo(2000, () => r.nav.publish(twist(0.2, 0)));
    expect(r.out.every((o) => o.v === 0)).toBe(true);
    expect(r.safety.status().reason).toBe('scan_stale');
    expect(r.logs.filter((l) => l.msg.startsWith('scan refused'))).toHaveLength(1);
  });

  it('stops forward motion for a point ahead, but backs away from it', () => {
    const r = rig();
    // 0.2 m ahead of the footprint: inside the 0.28 m stop zone of 0.3 m/s
    r.world.obstacles = [[0.5, 0]];
    r.runTo(1000, () => r.nav.publish(twist(0.3, 0)));
    expect(r.out.every((o) => o.v === 0)).toBe(true);
    expect(r.safety.status().reason).toBe('obstacle_stop');
    r.runTo(2000, () => r.nav.publish(twist(-0.2, 0)));
    expect(r.out.at(-1)!.v).toBe(-0.2);
  });

  it('latches the e-stop through the service: zero at once and until reset, whatever nav says', () => {
    const r = rig();
    r.runTo(1000, () => r.nav.publish(twist(0.3, 0)));
    r.clock.advanceTo(1025n * MS);
    const latched = r.estop(true);
    expect(latched).toEqual({ success: true, message: 'e-stop latched; output held at zero' });
    // the zero went out at once, between two 20 Hz ticks
    expect(r.out.at(-1)).toEqual({ t: 1025n * MS, v: 0, w: 0 });
    expect(r.estop(true)).toEqual({ success: true, message: 'e-stop was already latched' });
    r.runTo(3000, () => r.nav.publish(twist(0.3, 0)));
    expect(r.outputsBetween(1025, 3000).every((o) => o.v === 0 && o.w === 0)).toBe(true);
    expect(r.safety.status()).toMatchObject({ estopLatched: true, reason: 'estop_latched' });
    expect(r.states.at(-1)).toMatchObject({ estop_latched: true, reason: 'estop_latched' });

    expect(r.estop(false)).toEqual({
      success: true,
      message: 'e-stop reset; the robot moves again only on commands sent after the reset',
    });
    expect(r.estop(false)).toEqual({ success: true, message: 'e-stop was not latched; nothing to reset' });
    r.runTo(4000, () => r.nav.publish(twist(0.3, 0)));
    expect(r.out.at(-1)!.v).toBe(0.3);
    expect(r.logs.filter((l) => l.msg.startsWith('e-stop'))).toEqual([
      { level: 'warn', msg: 'e-stop latched' },
      { level: 'warn', msg: 'e-stop reset' },
    ]);
  });

  it('does not resume on a command sent before the reset', () => {
    const r = rig();
    r.runTo(500, () => r.nav.publish(twist(0.3, 0)));
    r.estop(true);
    r.runTo(1000, () => r.nav.publish(twist(0.3, 0)));
    r.estop(false);
    r.runTo(1200);
    expect(r.outputsBetween(500, 1200).every((o) => o.v === 0)).toBe(true);
    expect(r.safety.status().reason).toBe('cmd_timeout');
  });

  it('answers a malformed e-stop request with an error and goes on', () => {
    const r = rig();
    let response: SetBoolResponse | undefined;
    r.estopClient.sendRequest({ data: 'yes' } as unknown as { data: boolean }, (res) => (response = res));
    r.ctx.spinSome();
    expect(response).toEqual({
      success: false,
      message: 'expected data: true (latch) or false (reset), found yes',
    });
    expect(r.safety.status().estopLatched).toBe(false);
  });

  it('lets teleop override nav while it is fresh, then hands back to nav', () => {
    const r = rig();
    r.runTo(2000, (t) => {
      r.nav.publish(twist(0.3, 0));
      if (t <= 1000) r.teleop.publish(twist(-0.1, 0.5));
    });
    const at = (ms: number) => r.out.find((o) => o.t === BigInt(ms) * MS)!;
    expect(at(1000).v).toBe(-0.1);
    expect(at(1000).w).toBe(0.5);
    expect(at(1500).v).toBeLessThan(0); // still teleop: its last command is 0.5 s old
    expect(at(2000).v).toBe(0.3);
    expect(r.states.map((s) => s.source)).toContain('teleop');
    expect(r.states.at(-1)!.source).toBe('nav');
  });

  it('logs a reason when it changes, never every tick', () => {
    const r = rig();
    r.runTo(10_000, () => r.nav.publish(twist(0.5, 0)));
    expect(r.logs.map((l) => l.msg)).toEqual(['safety gate: accel_limit', 'safety gate: ok']);
    expect(r.out).toHaveLength(200);
  });

  it('says a last zero and falls silent on stop()', () => {
    const r = rig();
    r.runTo(1000, () => r.nav.publish(twist(0.3, 0)));
    r.clock.advanceTo(1010n * MS);
    r.safety.stop();
    r.safety.stop();
    r.ctx.spinSome();
    expect(r.out.at(-1)).toEqual({ t: 1010n * MS, v: 0, w: 0 });
    const count = r.out.length;
    r.runTo(3000, () => r.nav.publish(twist(0.3, 0)));
    expect(r.out).toHaveLength(count);
    expect(r.safety.status().cmd).toEqual({ linear: 0, angular: 0 });
  });

  it('takes launch overrides (a YAML integer for a double) over code overrides over defaults', () => {
    const r = rig({ params: { max_linear: 0.5, cmd_timeout: 0.2 }, launch: { 'safety.max_linear': 2n } });
    expect(r.safety.params.max_linear).toBe(2);
    expect(r.safety.params.cmd_timeout).toBe(0.2);
    expect(r.safety.params.max_reverse).toBe(0.25);
  });

  it('refuses invalid parameters at start-up, naming the parameter, expected and found', () => {
    expect(() => rig({ params: { max_linear: -1 } })).toThrow(SafetyError);
    expect(() => rig({ params: { max_linear: -1 } })).toThrow(
      'safety.max_linear: expected a finite number > 0, found -1',
    );
    expect(() => rig({ launch: { 'safety.cmd_timeout': 0 } })).toThrow(
      /safety\.cmd_timeout: expected a finite number > 0/,
    );
    expect(() => rig({ params: { base_frame: '' } })).toThrow(/safety\.base_frame/);
    expect(() => rig({ launch: { 'safety.nav_cmd_topic': '/cmd_vel' } })).toThrow(
      `safety.nav_cmd_topic: expected a topic of navigation's own, found "/cmd_vel", which the gate publishes`,
    );
    expect(() => rig({ params: { nav_cmd_topic: '/cmd_vel_teleop' } })).toThrow(
      /which the gate takes teleop on/,
    );
    expect(() => rig({ params: { nav_cmd_topic: 'cmd vel' } })).toThrow(
      /safety\.nav_cmd_topic: expected an absolute topic name such as '\/cmd_vel_nav', found "cmd vel"/,
    );
    try {
      rig({ params: { slow_distance: Number.NaN } });
    } catch (e) {
      expect(e).toMatchObject({ code: 'PARAM_INVALID', where: 'safety.slow_distance' });
    }
  });
});

// ---- property: whatever arrives on the graph, /cmd_vel stays within limits ---------------------

const anyNumber = fc.oneof(
  fc.double({ min: -2, max: 2, noNaN: true }),
  fc.constantFrom(0, 1e300, -1e300, Number.NaN, Infinity, -Infinity),
);
const event = fc.oneof(
  fc.record({ kind: fc.constant('nav' as const), v: anyNumber, w: anyNumber }),
  fc.record({ kind: fc.constant('teleop' as const), v: anyNumber, w: anyNumber }),
  fc.record({
    kind: fc.constant('scan' as const),
    pts: fc.array(
      fc.tuple(fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true })),
      {
        maxLength: 6,
      },
    ),
  }),
  fc.record({ kind: fc.constant('estop' as const), data: fc.boolean() }),
);

describe('property on the node graph', () => {
  it('for any commands, scans and e-stop toggles: limits hold, stops are exactly zero, e-stop outputs zero', () => {
    const p = DEFAULT_SAFETY_PARAMS;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            gapMs: fc.constantFrom(10, 20, 50, 100, 700),
            events: fc.array(event, { maxLength: 3 }),
          }),
          {
            minLength: 5,
            maxLength: 60,
          },
        ),
        (steps) => {
          const r = rig();
          let t = 0n;
          let latched = false;
          for (const s of steps) {
            const before = r.out.length;
            for (const e of s.events) {
              if (e.kind === 'nav') r.nav.publish(twist(e.v, e.w));
              else if (e.kind === 'teleop') r.teleop.publish(twist(e.v, e.w));
              else if (e.kind === 'scan') r.lidar.publish(laserScan(t, e.pts));
              else {
                r.estop(e.data); // handled at once; a latch publishes its zero at once
                latched = e.data;
              }
            }
            const beforeTick = r.out.length;
            t += BigInt(s.gapMs) * MS;
            r.clock.advanceTo(t);
            r.ctx.spinSome();
            for (let i = Math.max(1, before); i < r.out.length; i++) {
              const prev = r.out[i - 1]!;
              const o = r.out[i]!;
              expect(o.v).toBeLessThanOrEqual(p.max_linear);
              expect(o.v).toBeGreaterThanOrEqual(-p.max_reverse);
              expect(Math.abs(o.w)).toBeLessThanOrEqual(p.max_angular);
              if (latched && i >= beforeTick) expect(Object.is(o.v, 0) && Object.is(o.w, 0)).toBe(true);
              if (o.v === 0 && o.w === 0) continue; // a stop may be immediate
              const dt = Math.min(0.05, Number(o.t - prev.t) / 1e9);
              const rate = Math.abs(o.v) > Math.abs(prev.v) ? p.max_linear_accel : p.max_linear_decel;
              expect(Math.abs(o.v - prev.v)).toBeLessThanOrEqual(rate * dt + 1e-12);
              expect(Math.abs(o.w - prev.w)).toBeLessThanOrEqual(p.max_angular_accel * dt + 1e-12);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
