import { describe, expect, it } from 'vitest';
import { EmbeddedContext, SimClock, point, type LaserScan, type People } from '../ros/index.js';
import { Latest, NavInputs } from './inputs.js';
import { warnOnceTo } from './warn-once.js';

const MS = 1_000_000n;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function rig(inputTimeoutS = 1.0) {
  const clock = new SimClock(0n);
  const ctx = new EmbeddedContext({ clock });
  const warnings: string[] = [];
  const scans: LaserScan[] = [];
  let estops = 0;
  const inputs = new NavInputs(ctx.createNode('navigator'), {
    maxLinear: 1.2,
    inputTimeoutS,
    warnOnce: warnOnceTo({ ...quiet, warn: (msg) => warnings.push(msg) }),
    onScan: (s) => scans.push(s),
    onEstopLatched: () => estops++,
  });
  const probe = ctx.createNode('probe');
  const header = (frame_id = 'map') => ({ stamp: probe.now().toMsg(), frame_id });
  const pub = {
    odom: probe.createPublisher('nav_msgs/msg/Odometry', '/odom'),
    people: probe.createPublisher('people_msgs/msg/People', '/people'),
    limit: probe.createPublisher('nav2_msgs/msg/SpeedLimit', '/speed_limit'),
    scan: probe.createPublisher('sensor_msgs/msg/LaserScan', '/scan'),
    safety: probe.createPublisher('medhjalparen_msgs/msg/SafetyState', '/safety/state'),
    base: probe.createPublisher('medhjalparen_msgs/msg/BaseState', '/base/state'),
  };
  return {
    inputs,
    pub,
    header,
    warnings,
    scans,
    estops: () => estops,
    /** Delivers what was published at `ms` on the node clock. */
    at(ms: number) {
      clock.advanceTo(BigInt(ms) * MS);
      ctx.spinSome();
    },
    nowNs: () => clock.nowNs(),
    odom(speed: number) {
      pub.odom.publish({
        header: header('odom'),
        child_frame_id: 'base_link',
        pose: {
          pose: { position: point(), orientation: { x: 0, y: 0, z: 0, w: 1 } },
          covariance: new Float64Array(36),
        },
        twist: { twist: { linear: point(speed), angular: point() }, covariance: new Float64Array(36) },
      });
    },
    people(frame: string, positions: Array<{ x: number; y: number }>) {
      const people: People['people'] = positions.map((q, i) => ({
        name: `p${i}`,
        position: point(q.x, q.y),
        velocity: point(),
        reliability: 1,
        tagnames: [],
        tags: [],
      }));
      pub.people.publish({ header: header(frame), people });
    },
    limit(percentage: boolean, speed_limit: number) {
      pub.limit.publish({ header: header(''), percentage, speed_limit });
    },
    scan(s: LaserScan) {
      pub.scan.publish(s);
    },
    estop(latched: boolean) {
      pub.safety.publish({ header: header(''), estop_latched: latched, reason: '', source: 'test' });
    },
    base(connected: boolean) {
      pub.base.publish({ header: header(''), connected, stop_latched: false, fault: '' });
    },
  };
}

const scanMsg = (): LaserScan => ({
  header: { stamp: { sec: 0, nanosec: 0 }, frame_id: 'base_link' },
  angle_min: 0,
  angle_max: 0,
  angle_increment: 1,
  time_increment: 0,
  scan_time: 0.1,
  range_min: 0.1,
  range_max: 10,
  ranges: new Float32Array([1]),
  intensities: new Float32Array(1),
});

describe('Latest (freshness of one input)', () => {
  it('has no value before the first one arrives, even at time 0', () => {
    expect(new Latest<number>(1_000n).fresh(0n)).toBeUndefined();
  });

  it('counts a value up to and including the timeout after it arrived, not a nanosecond later', () => {
    const v = new Latest<string>(1_000n);
    v.set('a', 5_000n);
    expect(v.fresh(5_000n)).toBe('a');
    expect(v.fresh(6_000n)).toBe('a');
    expect(v.fresh(6_001n)).toBeUndefined();
  });

  it('a newer value restarts the timeout', () => {
    const v = new Latest<string>(1_000n);
    v.set('a', 0n);
    v.set('b', 900n);
    expect(v.fresh(1_500n)).toBe('b');
  });
});

describe('NavInputs', () => {
  it('uses odometry only while it is fresh (input_timeout), and ignores a non-finite speed', () => {
    const r = rig(1.0);
    expect(r.inputs.odomSpeed(r.nowNs())).toBeUndefined();
    r.odom(0.4);
    r.at(100);
    expect(r.inputs.odomSpeed(r.nowNs())).toBe(0.4);
    r.odom(NaN);
    r.at(600);
    expect(r.inputs.odomSpeed(r.nowNs())).toBe(0.4); // the NaN did not replace it…
    r.at(1_100);
    expect(r.inputs.odomSpeed(r.nowNs())).toBe(0.4); // …nor restart its timeout: 1.0 s after 0.1 s
    r.at(1_101);
    expect(r.inputs.odomSpeed(r.nowNs())).toBeUndefined();
  });

  it('keeps finite people in the map frame while fresh; drops /people in another frame with one warning', () => {
    const r = rig(0.5);
    r.people('map', [
      { x: 1, y: 2 },
      { x: NaN, y: 0 },
    ]);
    r.at(10);
    expect(r.inputs.people(r.nowNs())).toEqual([{ x: 1, y: 2, vx: 0, vy: 0 }]);
    r.people('base_link', [{ x: 9, y: 9 }]);
    r.people('base_link', [{ x: 9, y: 9 }]);
    r.at(20);
    expect(r.inputs.people(r.nowNs())).toEqual([{ x: 1, y: 2, vx: 0, vy: 0 }]);
    expect(r.warnings).toEqual(['ignoring /people not in the map frame']);
    r.at(511);
    expect(r.inputs.people(r.nowNs())).toEqual([]);
  });

  it('drops a malformed message with one warning per kind and keeps the last good value', () => {
    const r = rig();
    r.limit(false, 0.3);
    r.people('map', [{ x: 1, y: 1 }]);
    r.at(10);
    r.limit(true, 150); // over 100 %
    r.limit(true, 150);
    r.limit(false, -1);
    r.pub.people.publish({ header: r.header('map'), people: undefined } as never);
    r.pub.people.publish({ header: r.header('map'), people: undefined } as never);
    r.at(20);
    expect(r.inputs.speedCap).toBe(0.3);
    expect(r.inputs.people(r.nowNs())).toEqual([{ x: 1, y: 1, vx: 0, vy: 0 }]);
    expect(r.warnings).toEqual([
      'ignoring a malformed /speed_limit', // 150 %
      'ignoring a malformed /speed_limit', // -1 m/s: another value, another warning
      'ignoring a malformed /people',
    ]);
  });

  it('reads /speed_limit as Nav2 does: a percentage of the top speed, an absolute speed, 0 for none', () => {
    const r = rig();
    expect(r.inputs.speedCap).toBe(Infinity);
    r.limit(true, 50);
    r.at(10);
    expect(r.inputs.speedCap).toBeCloseTo(0.6, 12);
    r.limit(false, 0.25);
    r.at(20);
    expect(r.inputs.speedCap).toBe(0.25);
    r.limit(false, 0);
    r.at(30);
    expect(r.inputs.speedCap).toBe(Infinity);
  });

  it('stores every scan and passes it on; a fresh scan only within input_timeout', () => {
    const r = rig(0.2);
    const s = scanMsg();
    r.scan(s);
    r.at(50);
    expect(r.scans).toEqual([s]);
    expect(r.inputs.scan(r.nowNs())).toBe(s);
    r.at(251);
    expect(r.inputs.scan(r.nowNs())).toBeUndefined();
  });

  it('reports the e-stop as soon as it latches, and not when it is released', () => {
    const r = rig();
    r.estop(true);
    r.at(10);
    expect(r.inputs.estopLatched).toBe(true);
    expect(r.estops()).toBe(1);
    r.estop(false);
    r.at(20);
    expect(r.inputs.estopLatched).toBe(false);
    expect(r.estops()).toBe(1);
  });

  it('takes the drive base as connected until /base/state says otherwise', () => {
    const r = rig();
    expect(r.inputs.baseConnected).toBe(true);
    r.base(false);
    r.at(10);
    expect(r.inputs.baseConnected).toBe(false);
    r.base(true);
    r.at(20);
    expect(r.inputs.baseConnected).toBe(true);
  });
});
