import { describe, expect, it } from 'vitest';
import { CELL_FREE, CELL_OCCUPIED, GridMap } from '../../map/index.js';
import {
  EmbeddedContext,
  SimClock,
  TransformBuffer,
  header,
  yawToQuaternion,
  type LaserScan,
  type Pose2D,
} from '../../ros/index.js';
import type { LocalizationStatus } from '../../interfaces/index.js';
import {
  AMCL_DEFAULTS,
  FilterRandom,
  LikelihoodField,
  Localizer,
  ParticleFilter,
  Particles,
  classify,
  startAmcl,
  kldParticles,
  readAmclParams,
  selectBeams,
  weighLikelihoodField,
} from '../index.js';
import { sampleOdometryMotion } from './motion-model.js';

/** A 10 m × 6 m room with a pillar (so no two poses look alike), 5 cm cells. */
function room(): GridMap {
  const res = 0.05;
  const w = 200;
  const h = 120;
  const data = new Int8Array(w * h).fill(CELL_FREE);
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const edge = r === 0 || c === 0 || r === h - 1 || c === w - 1;
      const pillar = c >= 60 && c < 70 && r >= 30 && r < 50;
      if (edge || pillar) data[r * w + c] = CELL_OCCUPIED;
    }
  }
  return new GridMap(w, h, res, 0, 0, data);
}

/** A 360-beam scan from `pose`, by marching each ray through the map in 1 cm steps. */
function scanFrom(map: GridMap, pose: Pose2D, beams = 360): LaserScan {
  const ranges = new Float32Array(beams);
  const inc = (2 * Math.PI) / beams;
  for (let i = 0; i < beams; i++) {
    const a = pose.yaw - Math.PI + i * inc;
    let r = 0;
    while (
      r < 12 &&
      map.valueAt(map.col(pose.x + r * Math.cos(a)), map.row(pose.y + r * Math.sin(a))) === CELL_FREE
    )
      r += 0.01;
    ranges[i] = r < 12 ? r : Infinity;
  }
  return {
    header: { stamp: { sec: 0, nanosec: 0 }, frame_id: 'base_link' },
    angle_min: -Math.PI,
    angle_max: -Math.PI + (beams - 1) * inc,
    angle_increment: inc,
    time_increment: 0,
    scan_time: 0.1,
    range_min: 0.12,
    range_max: 12,
    ranges,
    intensities: new Float32Array(0),
  };
}

const LIMITS = { max_beams: 60, laser_min_range: -1, laser_max_range: -1 };
const P = { ...AMCL_DEFAULTS };

describe('AMCL parts', () => {
  it('needs more particles for a spread-out set (KLD), none for one bin', () => {
    expect(kldParticles(1, 0.05, 0.99)).toBe(0);
    const few = kldParticles(5, 0.05, 0.99);
    const many = kldParticles(500, 0.05, 0.99);
    expect(few).toBeGreaterThan(0);
    expect(many).toBeGreaterThan(10 * few);
  });

  it('skips NaN, ±Infinity and out-of-range beams, and keeps at most max_beams', () => {
    const scan = scanFrom(room(), { x: 3, y: 3, yaw: 0 });
    expect(selectBeams(scan, LIMITS).count).toBe(60);
    scan.ranges.fill(NaN, 0, 180);
    scan.ranges.fill(Infinity, 180, 270);
    scan.ranges.fill(-Infinity, 270, 300);
    scan.ranges.fill(0.05, 300, 330); // shorter than range_min
    const beams = selectBeams(scan, LIMITS);
    expect(beams.count).toBeGreaterThan(0);
    expect(beams.count).toBeLessThan(10);
    for (let b = 0; b < beams.count; b++) expect(Number.isFinite(beams.lx[b]! + beams.ly[b]!)).toBe(true);
  });

  it('a scan of nothing but NaN and infinities weighs nothing and breaks nothing', () => {
    const field = new LikelihoodField(room(), 2);
    const scan = scanFrom(room(), { x: 3, y: 3, yaw: 0 });
    scan.ranges.forEach((_, i) => (scan.ranges[i] = [NaN, Infinity, -Infinity][i % 3]!));
    const pf = new ParticleFilter(P, field, new FilterRandom(1));
    pf.init({ x: 3, y: 3, yaw: 0 }, 0.1, 0.05);
    pf.correct(selectBeams(scan, LIMITS));
    pf.resample();
    const e = pf.estimate!;
    expect([e.pose.x, e.pose.y, e.pose.yaw].every(Number.isFinite)).toBe(true);
  });

  it('weighs the true pose above poses 10 cm or 3° off (wall faces, not cell centres)', () => {
    const map = room();
    const field = new LikelihoodField(map, 2);
    const truth = { x: 2.2, y: 3.1, yaw: 0.4 };
    const beams = selectBeams(scanFrom(map, truth), LIMITS);
    const offsets = [
      [0, 0, 0],
      [0.1, 0, 0],
      [-0.1, 0, 0],
      [0, 0.1, 0],
      [0, -0.1, 0],
      [0, 0, 0.05],
      [0, 0, -0.05],
    ] as const;
    for (const model of ['likelihood_field', 'likelihood_field_prob'] as const) {
      const p = new Particles(offsets.length);
      p.count = offsets.length;
      offsets.forEach(([dx, dy, da], i) => {
        p.x[i] = truth.x + dx;
        p.y[i] = truth.y + dy;
        p.yaw[i] = truth.yaw + da;
      });
      p.uniformWeights();
      weighLikelihoodField(p, beams, field, P, model);
      for (let i = 1; i < offsets.length; i++)
        expect(p.w[0], `${model} offset ${i}`).toBeGreaterThan(p.w[i]!);
    }
  });

  it('moves particles by the odometry change in their own frame (noise off)', () => {
    const p = new Particles(1);
    p.count = 1;
    p.x[0] = 5;
    p.y[0] = 1;
    p.yaw[0] = Math.PI / 2;
    const noise = { alpha1: 0, alpha2: 0, alpha3: 0, alpha4: 0 };
    // Odometry: 1 m forward along its own +x, then a quarter turn left.
    sampleOdometryMotion(
      p,
      { x: 0, y: 0, yaw: 0 },
      { x: 1, y: 0, yaw: Math.PI / 2 },
      noise,
      new FilterRandom(1),
    );
    expect(p.x[0]).toBeCloseTo(5, 9);
    expect(p.y[0]).toBeCloseTo(2, 9);
    expect(p.yaw[0]).toBeCloseTo(Math.PI, 9);
  });

  it('says lost for a quiet lidar, a jump, a wide spread or a scan that does not fit; ok otherwise', () => {
    const ok = {
      initialized: true,
      scanAgeS: 0.1,
      odometryProblem: '',
      positionSigma: 0.05,
      yawSigma: 0.02,
      scanMatch: 0.9,
    };
    expect(classify(ok, P)).toEqual({ state: 'ok', reason: '' });
    expect(classify({ ...ok, scanAgeS: 2.5 }, P)).toEqual({ state: 'lost', reason: 'lidar quiet for 2.5 s' });
    expect(classify({ ...ok, odometryProblem: 'odometry jumped' }, P).state).toBe('lost');
    expect(classify({ ...ok, positionSigma: 1.5 }, P).reason).toBe('position spread 1.50 m');
    expect(classify({ ...ok, scanMatch: 0.2 }, P).reason).toMatch(
      /scan does not match the map \(20 % of beams fit\)/,
    );
    expect(classify({ ...ok, positionSigma: 0.4 }, P).state).toBe('uncertain');
    expect(classify({ ...ok, initialized: false, scanAgeS: Infinity }, P).state).toBe('initializing');
  });

  it('refuses a bad parameter, naming it', () => {
    const ctx = new EmbeddedContext({
      clock: new SimClock(0n),
      parameterOverrides: { amcl: { max_particles: 100, min_particles: 500 } },
    });
    expect(() => readAmclParams(ctx.createNode('amcl'), {})).toThrow(
      /amcl\.max_particles: expected ≥ min_particles/,
    );
    const ctx2 = new EmbeddedContext({
      clock: new SimClock(0n),
      parameterOverrides: { amcl: { laser_model_type: 'beam' } },
    });
    expect(() => readAmclParams(ctx2.createNode('amcl'), {})).toThrow(/amcl\.laser_model_type/);
  });
});

describe('the localiser', () => {
  const map = room();
  const field = new LikelihoodField(map, 2);

  it('finds the robot again after it is carried 2 m, within a few scans', () => {
    const start = { x: 2, y: 3, yaw: 0 };
    const loc = new Localizer({ ...P, 'initial_pose.x': 2, 'initial_pose.y': 3, seed: 3 }, field);
    loc.odometry({ x: 0, y: 0, yaw: 0 }, 0);
    loc.scan(selectBeams(scanFrom(map, start), LIMITS), 0);
    expect(loc.status(0).state).toBe('ok');
    const carried = { x: 2.3, y: 5.0, yaw: 0.3 };
    let t = 0;
    let found: number | undefined;
    while (t < 10 && found === undefined) {
      t += 0.1;
      loc.odometry({ x: 0, y: 0, yaw: 0 }, t);
      loc.scan(selectBeams(scanFrom(map, carried), LIMITS), t);
      const p = loc.pose!;
      if (Math.hypot(p.x - carried.x, p.y - carried.y) < 0.1) found = t;
    }
    expect(found).toBeDefined();
    expect(found!).toBeLessThan(5);
    expect(loc.status(t).state).toBe('ok');
  });

  it('does not take an odometry jump as motion, and is lost until the scan fits again', () => {
    const truth = { x: 4, y: 2, yaw: 0 };
    const loc = new Localizer({ ...P, 'initial_pose.x': 4, 'initial_pose.y': 2, seed: 4 }, field);
    loc.odometry({ x: 0, y: 0, yaw: 0 }, 0);
    loc.scan(selectBeams(scanFrom(map, truth), LIMITS), 0);
    loc.odometry({ x: 5, y: 0, yaw: 0 }, 0.02); // the board restarted: odometry jumped 5 m
    expect(loc.status(0.02)).toMatchObject({
      state: 'lost',
      reason: expect.stringMatching(/odometry jumped 5\.00 m/),
    });
    expect(loc.pose!.x).toBeCloseTo(4, 1);
    loc.scan(selectBeams(scanFrom(map, truth), LIMITS), 0.1);
    expect(loc.status(0.1).state).toBe('ok');
  });

  it('gives the same particles for the same seed', () => {
    const run = () => {
      const loc = new Localizer({ ...P, 'initial_pose.x': 3, 'initial_pose.y': 3, seed: 9 }, field);
      for (let k = 0; k < 5; k++) {
        const truth = { x: 3 + 0.3 * k, y: 3, yaw: 0 };
        loc.odometry({ x: 0.3 * k, y: 0, yaw: 0 }, k * 0.5);
        loc.scan(selectBeams(scanFrom(map, truth), LIMITS), k * 0.5);
      }
      return [...loc.filter.particles.x.slice(0, loc.filter.particles.count)];
    };
    expect(run()).toEqual(run());
  });
});

describe('the amcl node', () => {
  it('publishes map → odom, /amcl_pose with covariance and status; says lost when the lidar goes quiet', () => {
    const map = room();
    const clock = new SimClock(0n);
    const ctx = new EmbeddedContext({ clock });
    const truth = { x: 2, y: 4, yaw: 0.5 };
    startAmcl(ctx.createNode('amcl'), { map, initialPose: truth, seed: 1 });
    const probe = ctx.createNode('probe');
    const tf = TransformBuffer.listen(probe);
    const tfPub = probe.createPublisher('tf2_msgs/msg/TFMessage', '/tf');
    const scanPub = probe.createPublisher('sensor_msgs/msg/LaserScan', '/scan');
    const poses: number[][] = [];
    const statuses: LocalizationStatus[] = [];
    probe.createSubscription('geometry_msgs/msg/PoseWithCovarianceStamped', '/amcl_pose', (m) =>
      poses.push([m.pose.pose.position.x, m.pose.covariance[0]!]),
    );
    probe.createSubscription('medhjalparen_msgs/msg/LocalizationStatus', '/localization/status', (m) =>
      statuses.push(m),
    );
    const scan = scanFrom(map, truth);
    const step = (ms: number, withScan: boolean) => {
      for (let t = 0; t < ms; t += 100) {
        clock.advanceTo(clock.nowNs() + 100_000_000n);
        if (withScan) scanPub.publish({ ...scan, header: header('base_link', probe.now()) });
        tfPub.publish({
          transforms: [
            {
              header: header('odom', probe.now()),
              child_frame_id: 'base_link',
              transform: { translation: { x: 0, y: 0, z: 0 }, rotation: yawToQuaternion(0) },
            },
          ],
        });
        ctx.spinSome();
      }
    };
    step(1000, true);
    const pose = tf.lookup('map', 'base_link')!.pose;
    expect(Math.hypot(pose.x - truth.x, pose.y - truth.y)).toBeLessThan(0.05);
    expect(poses.length).toBeGreaterThan(0);
    expect(poses.at(-1)![0]).toBeCloseTo(truth.x, 1);
    expect(Number.isFinite(poses.at(-1)![1])).toBe(true);
    expect(statuses.at(-1)).toMatchObject({ state: 'ok', reason: '', particles: expect.any(Number) });
    step(2500, false);
    expect(statuses.at(-1)).toMatchObject({
      state: 'lost',
      reason: expect.stringMatching(/^lidar quiet for/),
    });
    // map → odom stays fresh: the pose runs on odometry while the status tells the truth.
    expect(probe.now().nanoseconds - tf.lookup('map', 'base_link')!.stampNs).toBeLessThan(200_000_000n);
  });
});
