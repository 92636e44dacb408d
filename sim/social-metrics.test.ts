import { describe, expect, it } from 'vitest';
import { SocialMetrics, summarizeRun, type PersonState, type RobotState } from './social-metrics.js';

const DT = 0.01;
const RADIUS = 0.3;
const escort = { index: 0, personId: 'customer-0' };
const straight = (a: { x: number; y: number }, b: { x: number; y: number }) =>
  Math.hypot(b.x - a.x, b.y - a.y);

/** Feeds `steps` steps of a track given by `at(k)` (pose and speed at step k) with `people(k)`. */
function feed(
  m: SocialMetrics,
  steps: number,
  at: (k: number) => RobotState,
  people: (k: number) => PersonState[] = () => [],
  customerId: string | undefined = escort.personId,
): void {
  for (let k = 0; k <= steps; k++) m.step(k * DT, at(k), people(k), escort, customerId);
}

const metrics = () => new SocialMetrics({ robotRadiusM: RADIUS, followGapM: 2 });

describe('social metrics', () => {
  it('a straight line at constant speed: ratio 1, no irregularity, no jerk, never still', () => {
    const m = metrics();
    feed(m, 1000, (k) => ({ x: 0.5 * k * DT, y: 0, yaw: 0, v: 0.5 }));
    const r = m.request(0, true, straight)!;
    expect(r.escort_s).toBeCloseTo(10, 9);
    expect(r.path_length_m).toBeCloseTo(5, 9);
    expect(r.shortest_path_m).toBeCloseTo(5, 9);
    expect(r.path_length_ratio).toBeCloseTo(1, 9);
    expect(r.path_irregularity_rad_per_m).toBe(0);
    expect(r.jerk_m_s3).toBeCloseTo(0, 9);
    expect(r.time_not_moving_s).toBe(0);
    expect(r.time_to_goal_s).toBeCloseTo(10, 9);
    expect(r.personal_intrusion_pct).toBe(0);
  });

  it('a person standing 1.0 m from the robot for half the time: personal 50 %, intimate 0 %, one intrusion', () => {
    const m = metrics();
    // 1.0 m from the robot's edge: the robot stands at the origin, the person 1.3 m from its centre.
    feed(
      m,
      999,
      () => ({ x: 0, y: 0, yaw: 0, v: 0 }),
      (k) => (k < 500 ? [{ id: 'p', x: 1.3, y: 0 }] : []),
    );
    const r = m.request(0, false)!;
    expect(r.personal_intrusion_pct).toBeCloseTo(50, 9);
    expect(r.intimate_intrusion_pct).toBe(0);
    expect(r.personal_intrusions).toBe(1);
    expect(r.time_to_goal_s).toBeNull();
    expect(m.runIntrusions().personal_intrusion_pct).toBeCloseTo(50, 9);
  });

  it('counts each entry into a zone as one intrusion, and never the customer being served', () => {
    const m = metrics();
    feed(
      m,
      999,
      () => ({ x: 0, y: 0, yaw: 0, v: 0 }),
      (k) => [
        { id: 'customer-0', x: 0.4, y: 0 },
        { id: 'p', x: Math.floor(k / 100) % 2 === 0 ? 0.6 : 5, y: 0 },
      ],
    );
    const r = m.request(0, false)!;
    expect(r.intimate_intrusions).toBe(5);
    expect(r.intimate_intrusion_pct).toBeCloseTo(50, 9);
    // The customer at 0.1 m from the robot's edge is their gap, not an intrusion.
    expect(r.customer_gap_max_m).toBeCloseTo(0.1, 9);
    expect(r.customer_beyond_follow_pct).toBe(0);
  });

  it('a zig-zag: heading changes per metre driven', () => {
    const m = metrics();
    // 10 legs of 1 m at ±45°, each leg 100 steps; every leg turns by 90°.
    const track = (k: number): RobotState => {
      const leg = Math.min(9, Math.floor(k / 100));
      const s = (k - leg * 100) / 100;
      const yaw = leg % 2 === 0 ? Math.PI / 4 : -Math.PI / 4;
      const x = (leg + s) * Math.SQRT1_2;
      const y = (leg % 2 === 0 ? s : 1 - s) * Math.SQRT1_2;
      return { x, y, yaw, v: 1 };
    };
    feed(m, 1000, track);
    const r = m.request(0, true, straight)!;
    expect(r.path_length_m).toBeCloseTo(10, 6);
    expect(r.heading_changes_rad).toBeCloseTo((9 * Math.PI) / 2, 9);
    expect(r.path_irregularity_rad_per_m).toBeCloseTo((9 * Math.PI) / 2 / 10, 6);
    expect(r.path_length_ratio).toBeCloseTo(10 / Math.hypot(10 * Math.SQRT1_2, 0), 6);
  });

  it('stop and go: the seconds below 0.05 m/s; jerk from the speed ramps', () => {
    const m = metrics();
    // 2 s at 0.5 m/s, 3 s stopped, 2 s at 0.5 m/s (instant changes).
    const v = (k: number) => (k < 200 || k >= 500 ? 0.5 : 0);
    let x = 0;
    feed(m, 700, (k) => {
      x += v(k) * DT;
      return { x, y: 0, yaw: 0, v: v(k) };
    });
    const r = m.request(0, true)!;
    expect(r.time_not_moving_s).toBeCloseTo(3, 6);
    // Two jumps of 0.5 m/s seen in 0.1 s samples: each gives second differences of ±50 m/s³.
    expect(r.jerk_m_s3).toBeGreaterThan(0);
    expect(r.jerk_m_s3).toBeCloseTo((4 * 50) / 69, 6);
  });

  it('a customer lagging beyond the follow distance for a quarter of the escort', () => {
    const m = metrics();
    feed(
      m,
      999,
      () => ({ x: 0, y: 0, yaw: 0, v: 0 }),
      (k) => [{ id: 'customer-0', x: k < 250 ? -3.3 : -1.3, y: 0 }],
    );
    const r = m.request(0, false)!;
    expect(r.customer_beyond_follow_pct).toBeCloseTo(25, 9);
    expect(r.customer_gap_max_m).toBeCloseTo(3, 9);
    expect(r.customer_gap_mean_m).toBeCloseTo(0.25 * 3 + 0.75 * 1, 9);
    expect(r.personal_intrusion_pct).toBe(0);
  });

  it('keeps only the escort under way when told not to keep requests (an endless stream)', () => {
    const m = new SocialMetrics({ robotRadiusM: RADIUS, followGapM: 2, keepRequests: false });
    const robot = { x: 0, y: 0, yaw: 0, v: 0 };
    m.step(0, robot, [], { index: 0, personId: 'a' }, 'a');
    m.step(1, robot, [], { index: 1, personId: 'b' }, 'b');
    expect(m.request(0, false)).toBeNull();
    expect(m.request(1, false)).not.toBeNull();
  });

  it('has nothing for a request never escorted, and sums the run over its escorts', () => {
    const m = metrics();
    feed(m, 100, (k) => ({ x: k * DT, y: 0, yaw: 0, v: 1 }));
    expect(m.request(1, false)).toBeNull();
    const run = summarizeRun([m.request(0, true, straight), null], m.runIntrusions());
    expect(run.escorts).toBe(1);
    expect(run.path_length_ratio_max).toBeCloseTo(1, 9);
    expect(run.time_to_goal_mean_s).toBeCloseTo(1, 9);
    const empty = summarizeRun([null], m.runIntrusions());
    expect(empty).toMatchObject({ escorts: 0, path_length_ratio_max: null, jerk_mean_m_s3: null });
  });
});
