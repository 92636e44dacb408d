import { describe, expect, it } from 'vitest';
import {
  EmbeddedContext,
  SimClock,
  TransformBuffer,
  header,
  pose2dToPose,
  yawToQuaternion,
  type Pose2D,
  type RosNode,
} from '../ros/index.js';
import { startDeadReckoning } from './index.js';

const MS = 1_000_000n;
const DOCK: Pose2D = { x: 12, y: 5, yaw: Math.PI / 2 };

/** The localiser, a probe playing the drive base's odometry on /tf, and a TF listener. */
function rig() {
  const clock = new SimClock(0n);
  const ctx = new EmbeddedContext({ clock });
  const localizer = startDeadReckoning(ctx.createNode('localizer'), DOCK);
  const probe = ctx.createNode('probe');
  const tfPub = probe.createPublisher('tf2_msgs/msg/TFMessage', '/tf');
  const tf = TransformBuffer.listen(probe);
  const odom = (p: Pose2D) =>
    tfPub.publish({
      transforms: [
        {
          header: header('odom', probe.now()),
          child_frame_id: 'base_link',
          transform: { translation: { x: p.x, y: p.y, z: 0 }, rotation: yawToQuaternion(p.yaw) },
        },
      ],
    });
  const run = (ms: number, odomPose: Pose2D) => {
    for (let i = 0; i < ms / 10; i++) {
      clock.advanceTo(clock.nowNs() + 10n * MS);
      odom(odomPose);
      ctx.spinSome();
    }
  };
  return { ctx, probe, tf, localizer, run };
}

function mapPose(tf: TransformBuffer): Pose2D {
  return tf.lookup('map', 'base_link')!.pose;
}

describe('dead reckoning from the dock', () => {
  it('puts the robot at its dock whatever the odometry read at start, and follows the wheels from there', () => {
    const r = rig();
    r.run(100, { x: 3, y: -1, yaw: 0.3 }); // odometry does not start at zero after a reboot
    expect(mapPose(r.tf).x).toBeCloseTo(DOCK.x, 9);
    expect(mapPose(r.tf).y).toBeCloseTo(DOCK.y, 9);
    expect(mapPose(r.tf).yaw).toBeCloseTo(DOCK.yaw, 9);
    // One metre forward on the wheels is one metre along the dock's heading (+y here).
    r.run(100, { x: 3 + Math.cos(0.3), y: -1 + Math.sin(0.3), yaw: 0.3 });
    expect(mapPose(r.tf).x).toBeCloseTo(DOCK.x, 9);
    expect(mapPose(r.tf).y).toBeCloseTo(DOCK.y + 1, 9);
    expect(r.localizer.pose()!.y).toBeCloseTo(DOCK.y + 1, 9);
  });

  it('keeps map → odom fresh, so navigation never finds the pose stale', () => {
    const r = rig();
    r.run(2000, { x: 0, y: 0, yaw: 0 });
    const t = r.tf.lookup('map', 'odom')!;
    expect(r.probe.now().nanoseconds - t.stampNs).toBeLessThanOrEqual(50n * MS);
  });

  it('publishes nothing until odometry arrives (no pose is better than a made-up one)', () => {
    const clock = new SimClock(0n);
    const ctx = new EmbeddedContext({ clock });
    const localizer = startDeadReckoning(ctx.createNode('localizer'), DOCK);
    const tf = TransformBuffer.listen(ctx.createNode('probe'));
    clock.advanceTo(1000n * MS);
    ctx.spinSome();
    expect(tf.lookup('map', 'odom')).toBeUndefined();
    expect(localizer.pose()).toBeUndefined();
  });

  it('takes a new pose from /initialpose, and ignores one outside the map frame', () => {
    const r = rig();
    r.run(100, { x: 0, y: 0, yaw: 0 });
    const initial = r.probe.createPublisher('geometry_msgs/msg/PoseWithCovarianceStamped', '/initialpose');
    const reset = (frame: string, p: Pose2D) =>
      initial.publish({
        header: header(frame, r.probe.now()),
        pose: { pose: pose2dToPose(p), covariance: new Float64Array(36) },
      });
    reset('odom', { x: 40, y: 40, yaw: 0 });
    r.run(100, { x: 0, y: 0, yaw: 0 });
    expect(mapPose(r.tf).x).toBeCloseTo(DOCK.x, 9);
    reset('map', { x: 30, y: 8, yaw: -1 });
    r.run(100, { x: 0, y: 0, yaw: 0 });
    expect(mapPose(r.tf)).toMatchObject({ x: expect.closeTo(30, 9), y: expect.closeTo(8, 9) });
    expect(mapPose(r.tf).yaw).toBeCloseTo(-1, 9);
  });

  it('refuses a rate that is not a positive number, naming the parameter', () => {
    const ctx = new EmbeddedContext({
      clock: new SimClock(0n),
      parameterOverrides: { localizer: { publish_rate: 0 } },
    });
    const node: RosNode = ctx.createNode('localizer');
    expect(() => startDeadReckoning(node, DOCK)).toThrow(/localizer\.publish_rate: expected Hz > 0, found 0/);
  });
});
