import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WheelOdometry, geometryFromConfig, integrateArc, tickDelta, uptimeDeltaMs } from './odometry.js';
import { DEFAULT_DRIVE_CONFIG } from './protocol.js';

const B = 0.42; // wheel base, m (PROTOCOL.md default 420 mm)
const close = (a: number, b: number, eps = 1e-9) => expect(Math.abs(a - b)).toBeLessThan(eps);

describe('counter arithmetic', () => {
  it('takes int32 tick differences across the wrap', () => {
    expect(tickDelta(-2147483600, 2147483600)).toBe(96); // +96 edges through +2³¹
    expect(tickDelta(2147483600, -2147483600)).toBe(-96);
    expect(tickDelta(-7, 123456)).toBe(-123463);
  });

  it('takes u32 uptime differences across the wrap', () => {
    expect(uptimeDeltaMs(10, 4294967290)).toBe(16);
    expect(uptimeDeltaMs(1000, 980)).toBe(20);
  });
});

describe('integrateArc', () => {
  it('drives straight: 1 m on both wheels is 1 m along the heading', () => {
    const p = integrateArc({ x: 1, y: 2, yaw: Math.PI / 2 }, 1, 1, B);
    close(p.x, 1);
    close(p.y, 3);
    close(p.yaw, Math.PI / 2);
  });

  it('turns a quarter circle of radius 1 m to (1, 1, π/2)', () => {
    const arc = Math.PI / 2;
    const p = integrateArc({ x: 0, y: 0, yaw: 0 }, (1 - B / 2) * arc, (1 + B / 2) * arc, B);
    close(p.x, 1);
    close(p.y, 1);
    close(p.yaw, Math.PI / 2);
  });

  it('spins in place about the centre, counter-clockwise when the right wheel goes forward', () => {
    const p = integrateArc({ x: 3, y: -1, yaw: 0 }, -0.21, 0.21, B);
    close(p.x, 3);
    close(p.y, -1);
    close(p.yaw, 1); // (0.21 + 0.21) / 0.42 rad
  });

  it('is exact on an arc: one step equals any number of smaller steps', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.integer({ min: 2, max: 50 }),
        (dL, dR, n) => {
          const once = integrateArc({ x: 0, y: 0, yaw: 0.3 }, dL, dR, B);
          let p = { x: 0, y: 0, yaw: 0.3 };
          for (let i = 0; i < n; i++) p = integrateArc(p, dL / n, dR / n, B);
          close(p.x, once.x, 1e-9);
          close(p.y, once.y, 1e-9);
          close(Math.cos(p.yaw), Math.cos(once.yaw), 1e-9);
          close(Math.sin(p.yaw), Math.sin(once.yaw), 1e-9);
        },
      ),
      { numRuns: 300, seed: 21 },
    );
  });
});

describe('WheelOdometry', () => {
  const geometry = geometryFromConfig(DEFAULT_DRIVE_CONFIG); // 2000 ticks/m, 0.42 m

  it('reads the geometry from the board configuration', () => {
    expect(geometry).toEqual({ ticksPerM: 2000, wheelBaseM: 0.42 });
  });

  it('sets a baseline first, then integrates ticks into pose and twist over the board clock', () => {
    const odo = new WheelOdometry(geometry);
    expect(odo.update(123456, -7, 1000)).toEqual({ pose: { x: 0, y: 0, yaw: 0 }, v: 0, w: 0 });
    // 20 ms later: 20 edges on each wheel = 1 cm: 0.5 m/s straight.
    const e = odo.update(123476, 13, 1020);
    close(e.pose.x, 0.01);
    close(e.pose.y, 0);
    close(e.v, 0.5);
    close(e.w, 0);
    // Another 20 ms, the right wheel 8 edges further than the left: turning left.
    const t = odo.update(123496, 41, 1040);
    close(t.v, (0.01 + 0.014) / 2 / 0.02);
    close(t.w, (0.014 - 0.01) / 0.42 / 0.02);
    expect(t.pose.yaw).toBeGreaterThan(0);
  });

  it('goes around a full circle of radius 1 m and ends where it started', () => {
    const odo = new WheelOdometry({ ticksPerM: 20000, wheelBaseM: B });
    const steps = 500;
    let left = 2147480000; // start near the int32 limit: the counters wrap on the way
    let right = 2147480000;
    let leftM = 0;
    let rightM = 0;
    odo.update(left, right, 0);
    for (let i = 1; i <= steps; i++) {
      const l = Math.round(((1 - B / 2) * 2 * Math.PI * i * 20000) / steps);
      const r = Math.round(((1 + B / 2) * 2 * Math.PI * i * 20000) / steps);
      odo.update((left + l - leftM) | 0, (right + r - rightM) | 0, i * 20);
      left = (left + l - leftM) | 0;
      right = (right + r - rightM) | 0;
      leftM = l;
      rightM = r;
    }
    const { pose, v, w } = odo.estimate();
    close(pose.x, 0, 1e-3);
    close(pose.y, 0, 1e-3);
    close(Math.cos(pose.yaw), 1, 1e-6);
    close(v, (2 * Math.PI) / (steps * 0.02), 1e-2); // 2π m in 10 s
    close(w, (2 * Math.PI) / (steps * 0.02), 1e-2);
  });

  it('does not jump when the board restarts (uptime and ticks back to zero)', () => {
    const odo = new WheelOdometry(geometry);
    odo.update(50000, 50000, 60000);
    odo.update(50020, 50020, 60020);
    const before = odo.estimate().pose;
    const after = odo.update(0, 0, 15); // restarted: counters from zero
    expect(after.pose).toEqual(before);
    expect(odo.discontinuities).toBe(1);
    close(odo.update(20, 20, 35).pose.x, before.x + 0.01); // counts on from the new baseline
  });

  it('ignores an implausible tick jump but keeps counting after it', () => {
    const odo = new WheelOdometry(geometry);
    odo.update(0, 0, 0);
    odo.update(100000, 100000, 20); // 50 m in 20 ms
    expect(odo.estimate().pose.x).toBe(0);
    expect(odo.discontinuities).toBe(1);
    close(odo.update(100020, 100020, 40).pose.x, 0.01);
  });

  it('rebaseline() makes the next reading a baseline only', () => {
    const odo = new WheelOdometry(geometry, { start: { x: 1, y: 1, yaw: 0 } });
    odo.update(0, 0, 0);
    odo.rebaseline();
    expect(odo.update(5000, 5000, 5000).pose).toEqual({ x: 1, y: 1, yaw: 0 });
  });

  it('uses a new geometry for later ticks only', () => {
    const odo = new WheelOdometry(geometry);
    odo.update(0, 0, 0);
    odo.update(2000, 2000, 1000); // 1 m at 2000 ticks/m
    odo.setGeometry({ ticksPerM: 4000, wheelBaseM: B });
    close(odo.update(4000, 4000, 2000).pose.x, 1.5);
  });
});
