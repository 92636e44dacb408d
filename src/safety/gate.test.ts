import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { twist, type Twist } from '../ros/index.js';
import {
  CONTROL_PERIOD_NS,
  STOP_REASONS,
  gate,
  initialGateState,
  arcContact,
  limitSpeed,
  obstacleLimit,
  rampToward,
  selectSource,
  stopZoneLength,
  type CommandSource,
  type GateState,
  type Velocity,
} from './gate.js';
import { DEFAULT_ROBOT } from '../robot-description.js';
import { DEFAULT_SAFETY_PARAMS, safetyParamsFromRobot, type SafetyParams } from './params.js';
import type { ScanPoints } from './scan-points.js';

const P: SafetyParams = { ...DEFAULT_SAFETY_PARAMS };
const S = 1_000_000_000n;
const NOW = 100n * S;
const DT = Number(CONTROL_PERIOD_NS) / 1e9;

function points(...pts: Array<[number, number]>): ScanPoints {
  return {
    xs: Float64Array.from(pts.map((p) => p[0])),
    ys: Float64Array.from(pts.map((p) => p[1])),
    count: pts.length,
  };
}

/** A gate that heard nav just now, sees an empty room, and last sent `last` one period ago. */
function ready(last: Velocity = { linear: 0, angular: 0 }, scan = points()): GateState {
  return {
    ...initialGateState(),
    cmdStampNs: { nav: NOW, teleop: undefined },
    scan,
    scanStampNs: NOW,
    lastOutput: last,
    lastOutputNs: NOW - CONTROL_PERIOD_NS,
  };
}

const run = (cmd: Twist, state: GateState, source: CommandSource = 'nav') => gate(cmd, source, state, NOW, P);

describe('the layers, strongest first', () => {
  it('outputs zero while the e-stop is latched, whatever else is true', () => {
    const s = { ...ready({ linear: 0.5, angular: 0 }), estopLatched: true };
    expect(run(twist(0.5, 0), s)).toEqual({ cmd: { linear: 0, angular: 0 }, reason: 'estop_latched' });
    expect(run(twist(Number.NaN, 0), { ...s, scan: undefined })).toEqual({
      cmd: { linear: 0, angular: 0 },
      reason: 'estop_latched',
    });
  });

  it('stops when the source has been silent longer than cmd_timeout, and not a nanosecond before', () => {
    const s = ready({ linear: 0.3, angular: 0 });
    const at = (ageNs: bigint) =>
      gate(twist(0.3, 0), 'nav', { ...s, cmdStampNs: { nav: NOW - ageNs, teleop: undefined } }, NOW, P);
    expect(at(500_000_000n).reason).toBe('ok');
    expect(at(500_000_001n)).toEqual({ cmd: { linear: 0, angular: 0 }, reason: 'cmd_timeout' });
    expect(run(twist(0.3, 0), s, 'teleop').reason).toBe('cmd_timeout');
  });

  it('stops on NaN or Infinity in any component, or a malformed message', () => {
    const s = ready();
    const bad = [
      twist(Number.NaN, 0),
      twist(0, Infinity),
      twist(-Infinity, 0),
      { linear: { x: 0.1, y: Number.NaN, z: 0 }, angular: { x: 0, y: 0, z: 0 } },
      { linear: { x: 0.1, y: 0, z: 0 }, angular: { x: 0, y: 0, z: Number.NaN } },
      { linear: { x: 0.1, y: 0, z: 0 } } as unknown as Twist,
      null as unknown as Twist,
    ];
    for (const cmd of bad)
      expect(run(cmd, s)).toEqual({ cmd: { linear: 0, angular: 0 }, reason: 'invalid_command' });
  });

  it('stops without a scan, or with one older than scan_timeout', () => {
    expect(run(twist(0.2, 0), { ...ready(), scan: undefined }).reason).toBe('scan_stale');
    expect(run(twist(0.2, 0), { ...ready(), scanStampNs: NOW - 500_000_000n }).reason).toBe('accel_limit');
    expect(run(twist(0.2, 0), { ...ready(), scanStampNs: NOW - 500_000_001n })).toEqual({
      cmd: { linear: 0, angular: 0 },
      reason: 'scan_stale',
    });
  });

  it('stops while the drive base is lost, above everything but the e-stop (issue 4)', () => {
    const s = { ...ready({ linear: 0.5, angular: 0 }), baseConnected: false };
    expect(run(twist(0.5, 0), s)).toEqual({ cmd: { linear: 0, angular: 0 }, reason: 'base_disconnected' });
    expect(run(twist(0.5, 0), { ...s, estopLatched: true }).reason).toBe('estop_latched');
    expect(run(twist(0.5, 0), { ...s, baseConnected: true }).reason).not.toBe('base_disconnected');
  });

  it('drives without a scan only when require_scan is off, and then with no stop zone (bench use)', () => {
    const bench = { ...P, require_scan: false };
    const noScan = { ...ready({ linear: 0.2, angular: 0 }), scan: undefined, scanStampNs: undefined };
    expect(gate(twist(0.2, 0), 'nav', noScan, NOW, bench)).toEqual({
      cmd: { linear: 0.2, angular: 0 },
      reason: 'ok',
    });
    // A fresh scan still counts when there is one: a point right ahead stops forward motion.
    const blocked = ready({ linear: 0.2, angular: 0 }, points([0.35, 0]));
    expect(gate(twist(0.2, 0), 'nav', blocked, NOW, bench).reason).toBe('obstacle_stop');
    // Everything else still holds: the e-stop, the command timeout, the limits.
    expect(gate(twist(0.2, 0), 'nav', { ...noScan, estopLatched: true }, NOW, bench).reason).toBe(
      'estop_latched',
    );
    expect(gate(twist(5, 0), 'nav', noScan, NOW, bench).cmd.linear).toBeLessThanOrEqual(P.max_linear);
  });

  it('passes a command within every limit unchanged, reason ok', () => {
    expect(run(twist(0.5, 0.2), ready({ linear: 0.5, angular: 0.2 }))).toEqual({
      cmd: { linear: 0.5, angular: 0.2 },
      reason: 'ok',
    });
  });

  it('never returns a negative zero on a stop (so "exactly zero" holds bit for bit)', () => {
    const r = run(twist(-0.2, -0.5), { ...ready({ linear: -0.2, angular: -0.5 }), estopLatched: true });
    expect(Object.is(r.cmd.linear, 0)).toBe(true);
    expect(Object.is(r.cmd.angular, 0)).toBe(true);
  });
});

describe('speed limits', () => {
  it('scales v and w together so the path keeps its curvature', () => {
    expect(limitSpeed(2, 1, P)).toEqual({ linear: 1, angular: 0.5 });
    expect(limitSpeed(0.5, 3, P)).toEqual({ linear: 0.25, angular: 1.5 });
    expect(limitSpeed(-1, 0.5, P)).toEqual({ linear: -0.25, angular: 0.125 });
    expect(limitSpeed(0, -4, P)).toEqual({ linear: 0, angular: -1.5 });
    const huge = limitSpeed(1e308, 1e308, P);
    expect(huge.linear).toBeCloseTo(1, 12);
    expect(huge.angular).toBeCloseTo(1, 12);
    expect(limitSpeed(-0.1, 0, { ...P, max_reverse: 0 })).toEqual({ linear: 0, angular: 0 });
  });

  it('names the limit when it applied', () => {
    expect(run(twist(3, 0), ready({ linear: 1, angular: 0 }))).toEqual({
      cmd: { linear: 1, angular: 0 },
      reason: 'speed_limit',
    });
  });
});

describe('acceleration limits', () => {
  it('ramps up at max_linear_accel and max_angular_accel from the last output', () => {
    const r = run(twist(1, 1), ready());
    expect(r.reason).toBe('accel_limit');
    expect(r.cmd.linear).toBeCloseTo(0.8 * DT, 12);
    expect(r.cmd.angular).toBeCloseTo(2.5 * DT, 12);
  });

  it('slows down at max_linear_decel, faster than it speeds up', () => {
    const r = run(twist(0, 0), ready({ linear: 1, angular: 0 }));
    expect(r.cmd.linear).toBeCloseTo(1 - 1.6 * DT, 12);
    expect(r.reason).toBe('accel_limit');
  });

  it('never crosses zero in one step: reversing passes through a zero output', () => {
    expect(rampToward(0.05, -0.25, 0.8, 1.6, DT)).toBe(0);
    expect(rampToward(0, -0.25, 0.8, 1.6, DT)).toBeCloseTo(-0.04, 12);
    expect(rampToward(-0.05, 0.3, 0.8, 1.6, DT)).toBe(0);
  });

  it('never assumes more than one control period passed, however long since the last output', () => {
    const s = { ...ready(), lastOutputNs: NOW - 60n * S };
    expect(run(twist(1, 0), s).cmd.linear).toBeCloseTo(0.8 * DT, 12);
    expect(run(twist(1, 0), { ...ready(), lastOutputNs: undefined }).cmd.linear).toBeCloseTo(0.8 * DT, 12);
  });
});

describe('stop and slow zones from the scan', () => {
  it('grows the stop zone with speed: margin + reaction + braking distance', () => {
    expect(stopZoneLength(0, P)).toBeCloseTo(0.15, 12);
    expect(stopZoneLength(0.8, P)).toBeCloseTo(0.15 + 0.8 * 0.25 + 0.64 / 1.6, 12);
    // A point 0.5 m ahead of the footprint: a slow-down at 0.2 m/s, a stop at 0.8 m/s.
    const scan = points([0.8, 0]);
    const slow = obstacleLimit({ linear: 0.2, angular: 0 }, { linear: 0.2, angular: 0 }, scan, P);
    expect(slow).toBeCloseTo((0.5 - stopZoneLength(0.2, P)) / 1.0, 12);
    expect(obstacleLimit({ linear: 0.8, angular: 0 }, { linear: 0.8, angular: 0 }, scan, P)).toBe('stop');
  });

  it('stops forward motion for a point ahead, but lets the robot back away from it', () => {
    const s = ready(undefined, points([0.5, 0]));
    expect(run(twist(0.2, 0), s)).toEqual({ cmd: { linear: 0, angular: 0 }, reason: 'obstacle_stop' });
    const back = run(twist(-0.2, 0), s);
    expect(back.cmd.linear).toBeCloseTo(-0.04, 12);
    expect(back.reason).toBe('accel_limit');
  });

  it('stops reverse motion for a point behind', () => {
    const s = ready(undefined, points([-0.5, 0.1]));
    expect(run(twist(-0.2, 0), s).reason).toBe('obstacle_stop');
    expect(run(twist(0.2, 0), s).cmd.linear).toBeCloseTo(0.04, 12);
  });

  it('watches the front while the robot still rolls forward, even when reverse is asked', () => {
    // 0.3 m ahead of the footprint: inside the stop zone for 0.5 m/s (0.43 m), not for 0 m/s.
    const s = ready({ linear: 0.5, angular: 0 }, points([0.6, 0]));
    expect(run(twist(-0.2, 0), s).reason).toBe('obstacle_stop');
  });

  it('ignores points beside the zone (wider than footprint + side margin)', () => {
    const s = ready({ linear: 0.5, angular: 0 }, points([0.6, 0.36], [0.6, -0.36], [-0.4, 0]));
    expect(run(twist(0.5, 0), s)).toEqual({ cmd: { linear: 0.5, angular: 0 }, reason: 'ok' });
  });

  it('scales v and w together in the slow zone, reason obstacle_slow', () => {
    // Halfway into the 1 m slow zone beyond the 0.4 m/s stop zone, on the arc of (0.4, 0.4)
    // (radius 1 m about (0, 1)), counted from the footprint's face: factor one half.
    const stop = stopZoneLength(0.4, P);
    const along = (0.3 + stop + 0.5) / 1;
    const scan = points([Math.sin(along), 1 - Math.cos(along)]);
    const factor = obstacleLimit({ linear: 0.4, angular: 0.4 }, { linear: 0.4, angular: 0.4 }, scan, P);
    // The disc reaches the point a little before the arc does (a chord is shorter than its arc).
    expect(factor).toBeCloseTo(0.5, 2);
    expect(factor).toBeLessThanOrEqual(0.5);
    const r = run(twist(0.4, 0.4), ready({ linear: 0.2, angular: 0.2 }, scan));
    expect(r.reason).toBe('obstacle_slow');
    expect(r.cmd.angular / r.cmd.linear).toBeCloseTo(1, 12);
  });

  it('allows rotation in place next to an obstacle; within the margin only creeping; stops inside the footprint', () => {
    const near = ready(undefined, points([0.5, 0]));
    expect(run(twist(0, 1), near).cmd.angular).toBeCloseTo(2.5 * DT, 12);
    // 0.345 m from the centre: within footprint (0.30) + margin (0.05), outside the body.
    const touching = ready(undefined, points([0.1, -0.33]));
    const creeping = ready({ linear: 0, angular: 0.3 }, points([0.1, -0.33]));
    expect(run(twist(0, 1), creeping)).toEqual({ cmd: { linear: 0, angular: 0.3 }, reason: 'obstacle_slow' });
    expect(run(twist(0, -0.2), touching).cmd.angular).toBeCloseTo(-0.125, 12); // slower than the creep: ramped only
    expect(gate(twist(0, 1), 'nav', touching, NOW, { ...P, rotate_creep_speed: 0 }).reason).toBe(
      'obstacle_stop',
    );
    const inside = ready(undefined, points([0.1, -0.25]));
    expect(run(twist(0, 1), inside)).toEqual({ cmd: { linear: 0, angular: 0 }, reason: 'obstacle_stop' });
    // That point is ahead of the body's widest place: driving on closes in on it and stops;
    // backing away does not.
    expect(run(twist(0.1, 0), touching).reason).toBe('obstacle_stop');
    expect(run(twist(-0.1, 0), touching).reason).toBe('accel_limit');
  });

  it('lets a robot resting beside a wall, within the side margin, drive along it or away, not into it', () => {
    const wall: Array<[number, number]> = [];
    for (let x = -0.6; x <= 0.6 + 1e-9; x += 0.02) wall.push([x, -0.33]);
    const beside = ready(undefined, points(...wall));
    expect(run(twist(0.1, 0), beside).reason).toBe('accel_limit'); // along it
    expect(run(twist(0.1, 0.5), beside).reason).toBe('accel_limit'); // away from it
    expect(run(twist(0.1, -0.1), beside).reason).toBe('obstacle_stop'); // into it
    // The same wall 0.10 m from the body: steering into it slows, the full margin applies.
    const off = ready(undefined, points(...wall.map(([x]): [number, number] => [x, -0.4])));
    expect(run(twist(0.1, -0.1), off).reason).toBe('obstacle_slow');
    expect(run(twist(0.1, 0), off).reason).toBe('accel_limit');
  });
});

describe('zones along the commanded arc (footprint swept, time to collision)', () => {
  /** A door frame: wall points every 2 cm at ±half, from x0 to x1 (robot frame). */
  function doorFrame(half: number, x0 = -0.6, x1 = 0.6): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let x = x0; x <= x1 + 1e-9; x += 0.02) out.push([x, half], [x, -half]);
    return out;
  }
  /** A point on the arc of curvature kappa at arc length `s` from the robot (forward). */
  function onArc(kappa: number, s: number): [number, number] {
    if (kappa === 0) return [s, 0];
    return [Math.sin(kappa * s) / kappa, (1 - Math.cos(kappa * s)) / kappa];
  }

  it('lets the robot through a 0.8 m passage (its width + 2 × 0.10 m) at crawl speed: the frame is beside it, not on its arc', () => {
    const frame = points(...doorFrame(0.4));
    const r = run(twist(0.15, 0), ready({ linear: 0.15, angular: 0 }, frame));
    expect(r).toEqual({ cmd: { linear: 0.15, angular: 0 }, reason: 'ok' });
    // Steering inside it towards one side slows the robot (the arc nears the frame), never stops it.
    const steer = run(twist(0.15, 0.05), ready({ linear: 0.15, angular: 0.05 }, frame));
    expect(steer.reason).toBe('obstacle_slow');
    expect(steer.cmd.linear).toBeGreaterThan(0.05);
  });

  it('stops for the frame when the commanded arc drives the footprint into it', () => {
    // Coming at a door at an angle: the left jamb's face across the way ahead-left, 0.5 m off.
    const jamb: Array<[number, number]> = [];
    for (let y = 0.1; y <= 0.8; y += 0.02) jamb.push([0.5, y]);
    const r = run(twist(0.3, 0.3), ready({ linear: 0.3, angular: 0.3 }, points(...jamb)));
    expect(r).toEqual({ cmd: { linear: 0, angular: 0 }, reason: 'obstacle_stop' });
  });

  it('stops for an obstacle on the arc exactly where one straight ahead stopped it', () => {
    const v = 0.5;
    const stop = stopZoneLength(v, P);
    for (const kappa of [0, 0.5, -1, 2]) {
      const w = v * kappa;
      // Just inside the stop zone, counted along the arc from the footprint's face: stop.
      const inside = points(onArc(kappa, 0.3 + stop - 0.01));
      expect(run(twist(v, w), ready({ linear: v, angular: w }, inside)).reason).toBe('obstacle_stop');
      // The same point is no obstacle for a robot driving straight past it when it lies off to the side.
      if (kappa !== 0) {
        const [x, y] = onArc(kappa, 0.3 + stop - 0.01);
        const offArc = obstacleLimit({ linear: v, angular: 0 }, { linear: v, angular: 0 }, points([x, y]), P);
        if (Math.abs(y) > 0.35) expect(offArc).not.toBe('stop');
      }
    }
  });

  it('slows in proportion to the free length along the arc, as straight ahead', () => {
    const v = 0.4;
    const stop = stopZoneLength(v, P);
    for (const kappa of [0, 0.8, -0.8]) {
      const factor = (where: number) =>
        obstacleLimit(
          { linear: v, angular: v * kappa },
          { linear: v, angular: v * kappa },
          points(onArc(kappa, 0.3 + stop + where)),
          P,
        );
      expect(factor(0.25)).toBeCloseTo(0.25, 2);
      expect(factor(0.75)).toBeCloseTo(0.75, 2);
      expect(factor(1.5)).toBe(1);
    }
  });

  it('allows turning in place beside a wall (a round footprint sweeps nothing new)', () => {
    const wall = points(...doorFrame(0.4, -1, 1));
    const r = run(twist(0, 1), ready(undefined, wall));
    expect(r.reason).toBe('accel_limit');
    expect(r.cmd.angular).toBeCloseTo(2.5 * DT, 12);
  });

  it('backs up along its arc: a frame beside it does not stop a reverse, a wall behind does', () => {
    const frame = points(...doorFrame(0.4));
    expect(run(twist(-0.1, 0), ready({ linear: -0.1, angular: 0 }, frame)).reason).toBe('ok');
    const behind = points([-0.45, 0]);
    expect(run(twist(-0.1, 0), ready({ linear: -0.1, angular: 0 }, behind)).reason).toBe('obstacle_stop');
  });

  it('finds the first contact of the swept footprint in closed form (checked against a fine simulation)', () => {
    const reach = 0.35;
    fc.assert(
      fc.property(
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        (x, y, kappa) => {
          fc.pre(x * x + y * y > reach * reach + 1e-3);
          const s = arcContact(x, y, kappa, reach);
          // Step the centre along the arc every 1 mm up to 6 m: the first step inside the disc.
          let first = Infinity;
          for (let k = 0; k <= 6000; k++) {
            const [cx, cy] = onArc(Math.abs(kappa) < 1e-6 ? 0 : kappa, k / 1000);
            if ((cx - x) ** 2 + (cy - y) ** 2 <= reach * reach) {
              first = k / 1000;
              break;
            }
          }
          if (first === Infinity) expect(s === Infinity || s > 5.99).toBe(true);
          else expect(Math.abs(s - first)).toBeLessThan(0.002);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('the mux', () => {
  it('lets the operator win while teleop is fresh, then falls back to nav, then to nothing', () => {
    const s = ready();
    expect(selectSource(s, NOW, P)).toBe('nav');
    s.cmdStampNs.teleop = NOW - 100_000_000n;
    expect(selectSource(s, NOW, P)).toBe('teleop');
    expect(selectSource(s, NOW + 450_000_000n, P)).toBe('nav');
    expect(selectSource(s, NOW + 600_000_000n, P)).toBeUndefined();
  });
});

// ---- properties -------------------------------------------------------------------------------

/** Anything a broken or hostile sender might put in a field. */
const anyNumber = fc.oneof(
  fc.double({ min: -3, max: 3, noNaN: true }),
  fc.double(),
  fc.constantFrom(0, -0, 1e308, -1e308, Number.NaN, Infinity, -Infinity, Number.MIN_VALUE),
);
const anyTwist = fc.record({
  linear: fc.record({ x: anyNumber, y: fc.oneof(fc.constant(0), anyNumber), z: fc.constant(0) }),
  angular: fc.record({ x: fc.constant(0), y: fc.constant(0), z: anyNumber }),
});
const scanPoint = fc.tuple(
  fc.double({ min: -3, max: 3, noNaN: true }),
  fc.double({ min: -3, max: 3, noNaN: true }),
);
/** Mostly ordinary driving (20 Hz, fresh and often clear scans, sane commands), with hostile steps mixed in. */
const step = fc.record({
  dtMs: fc.oneof(
    { arbitrary: fc.constant(50), weight: 4 },
    { arbitrary: fc.integer({ min: 0, max: 700 }), weight: 1 },
  ),
  cmd: fc.option(
    fc.record({
      source: fc.constantFrom<CommandSource>('nav', 'nav', 'teleop'),
      twist: fc.oneof(
        {
          arbitrary: fc
            .record({
              v: fc.double({ min: -1.5, max: 1.5, noNaN: true }),
              w: fc.double({ min: -2, max: 2, noNaN: true }),
            })
            .map(({ v, w }) => twist(v, w)),
          weight: 3,
        },
        { arbitrary: anyTwist, weight: 1 },
      ),
    }),
    { freq: 2 },
  ),
  scan: fc.option(
    fc.record({
      pts: fc.oneof(
        { arbitrary: fc.constant([]), weight: 2 },
        { arbitrary: fc.array(scanPoint, { maxLength: 12 }), weight: 1 },
      ),
      ageMs: fc.oneof(
        { arbitrary: fc.constant(0), weight: 4 },
        { arbitrary: fc.integer({ min: 0, max: 1000 }), weight: 1 },
      ),
    }),
    { freq: 3 },
  ),
  estop: fc.option(fc.boolean(), { freq: 10 }),
});

describe('properties', () => {
  it('for any inputs: within speed limits, within acceleration limits unless stopping to exactly zero, zero while e-stopped, never faster than asked', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 80 }), (steps) => {
        const state = initialGateState();
        const latest: Record<CommandSource, Twist | undefined> = { nav: undefined, teleop: undefined };
        let now = 0n;
        for (const s of steps) {
          now += BigInt(s.dtMs) * 1_000_000n;
          if (s.estop !== null) state.estopLatched = s.estop;
          if (s.cmd) {
            latest[s.cmd.source] = s.cmd.twist;
            state.cmdStampNs[s.cmd.source] = now;
          }
          if (s.scan) {
            state.scan = points(...s.scan.pts);
            state.scanStampNs = now - BigInt(s.scan.ageMs) * 1_000_000n;
          }
          const source = selectSource(state, now, P) ?? 'nav';
          const asked = latest[source] ?? twist();
          const { cmd: out, reason } = gate(asked, source, state, now, P);
          const last = state.lastOutput;
          const dt = Math.min(
            DT,
            state.lastOutputNs === undefined ? DT : Number(now - state.lastOutputNs) / 1e9,
          );

          expect(Number.isFinite(out.linear) && Number.isFinite(out.angular)).toBe(true);
          expect(out.linear).toBeLessThanOrEqual(P.max_linear);
          expect(out.linear).toBeGreaterThanOrEqual(-P.max_reverse);
          expect(Math.abs(out.angular)).toBeLessThanOrEqual(P.max_angular);
          if (state.estopLatched) {
            expect(reason).toBe('estop_latched');
            expect(Object.is(out.linear, 0) && Object.is(out.angular, 0)).toBe(true);
          }
          if (STOP_REASONS.has(reason)) {
            expect(Object.is(out.linear, 0) && Object.is(out.angular, 0)).toBe(true);
          } else {
            const eps = 1e-12;
            const vRate =
              Math.abs(out.linear) > Math.abs(last.linear) ? P.max_linear_accel : P.max_linear_decel;
            expect(Math.abs(out.linear - last.linear)).toBeLessThanOrEqual(vRate * dt + eps);
            expect(Math.abs(out.angular - last.angular)).toBeLessThanOrEqual(P.max_angular_accel * dt + eps);
            expect(out.linear * last.linear).toBeGreaterThanOrEqual(0);
            // The gate limits; it never adds speed nobody asked for.
            const askedV = Math.abs(asked.linear.x);
            const askedW = Math.abs(asked.angular.z);
            expect(Math.abs(out.linear)).toBeLessThanOrEqual(Math.max(Math.abs(last.linear), askedV));
            expect(Math.abs(out.angular)).toBeLessThanOrEqual(Math.max(Math.abs(last.angular), askedW));
          }
          state.lastOutput = out;
          state.lastOutputNs = now;
        }
      }),
      { numRuns: 400 },
    );
  });

  it('stops exactly for a point on the stop zone’s far edge (found by the property below)', () => {
    const v = 0.05714312971832519;
    const s = ready({ linear: v, angular: 0 }, points([0.3 + stopZoneLength(v, P), 0]));
    expect(run(twist(v, 0), s)).toEqual({ cmd: { linear: 0, angular: 0 }, reason: 'obstacle_stop' });
  });

  it('for any scan, a point the footprint would touch in the stop zone ahead never lets a forward command through', () => {
    const reach = P.footprint_radius + P.zone_side_margin;
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.double({ min: -0.3, max: 0.3, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (v, y, where) => {
          // Where the footprint plus side margin, driving straight, touches a point at side offset
          // y: that far ahead of its face, plus the margin (dead ahead: exactly the old zone).
          const ahead = Math.sqrt(reach * reach - y * y) - P.zone_side_margin + where * stopZoneLength(v, P);
          const s = ready({ linear: v, angular: 0 }, points([ahead, y]));
          const r = run(twist(v, 0), s);
          expect(r).toEqual({ cmd: { linear: 0, angular: 0 }, reason: 'obstacle_stop' });
        },
      ),
    );
  });
});

describe('parameters', () => {
  it('derives the limits and footprint from the robot description', () => {
    const slow = { ...DEFAULT_ROBOT, maxLinear: 0.6, radius: 0.25, maxLinearAccel: 0.5 };
    expect(safetyParamsFromRobot(slow)).toMatchObject({
      max_linear: 0.6,
      footprint_radius: 0.25,
      max_linear_accel: 0.5,
      max_linear_decel: 1.0,
      braking_decel: 0.5,
    });
    expect(DEFAULT_SAFETY_PARAMS).toEqual({
      cmd_timeout: 0.5,
      scan_timeout: 0.5,
      max_linear: 1.0,
      max_reverse: 0.25,
      max_angular: 1.5,
      max_linear_accel: 0.8,
      max_linear_decel: 1.6,
      max_angular_accel: 2.5,
      braking_decel: 0.8,
      footprint_radius: 0.3,
      zone_side_margin: 0.05,
      stop_distance: 0.15,
      stop_time: 0.25,
      slow_distance: 1.0,
      rotate_margin: 0.05,
      rotate_creep_speed: 0.3,
      base_frame: 'base_link',
      require_scan: true,
      nav_cmd_topic: '/cmd_vel_nav',
    });
  });
});
