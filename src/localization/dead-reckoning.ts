/**
 * Localisation on odometry alone, until a map-matching localiser exists: the robot is taken to
 * start at a known pose (its dock), so map → odom is that pose composed with the inverse of the
 * odometry at start, and it stays fixed while the wheels' drift accumulates. An operator (or a
 * tool such as RViz) can reset it on /initialpose, as with AMCL. The transform is republished on
 * /tf with a fresh stamp, like a localiser's, so consumers' staleness checks keep working.
 *
 * | direction | name | type |
 * |---|---|---|
 * | in  | /tf (odom → base_link) | tf2_msgs/msg/TFMessage |
 * | in  | /initialpose | geometry_msgs/msg/PoseWithCovarianceStamped |
 * | out | /tf (map → odom) | tf2_msgs/msg/TFMessage |
 */
import {
  NS_PER_S,
  TransformBuffer,
  composePose,
  declareParams,
  header,
  relativePose,
  yawToQuaternion,
  type Pose2D,
  type PoseWithCovarianceStamped,
  type RosNode,
} from '../ros/index.js';
import { LocalizationError } from './errors.js';
import { initialPoseIn } from './initial-pose.js';

export const DEAD_RECKONING_DEFAULTS = {
  /** Hz: how often map → odom is republished. */
  publish_rate: 20.0,
  /** Default 'map'. */
  map_frame: 'map',
  /** Default 'odom'. */
  odom_frame: 'odom',
  /** Default 'base_link'. */
  base_frame: 'base_link',
};

export interface DeadReckoning {
  /** Where the robot is taken to be in the map, now (undefined until odometry has arrived). */
  pose(): Pose2D | undefined;
  stop(): void;
}

/** Starts the stand-in localiser on `node`, taking the robot to stand at `startPose` (map). */
export function startDeadReckoning(node: RosNode, startPose: Pose2D): DeadReckoning {
  const p = declareParams(node, '', DEAD_RECKONING_DEFAULTS);
  if (!(p.publish_rate > 0) || !Number.isFinite(p.publish_rate)) {
    throw new LocalizationError(
      'PARAM_INVALID',
      `${node.name()}.publish_rate`,
      `expected Hz > 0, found ${p.publish_rate}`,
    );
  }
  const log = node.getLogger();
  const tf = TransformBuffer.listen(node);
  const tfPub = node.createPublisher('tf2_msgs/msg/TFMessage', '/tf');
  /** The pose to anchor at the next odometry reading (the start pose, or an operator's reset). */
  let anchor: Pose2D | undefined = startPose;
  let mapToOdom: Pose2D | undefined;
  log.warn('no localiser: running on odometry alone from the start pose; drift is not corrected', {
    x: startPose.x,
    y: startPose.y,
    yaw: startPose.yaw,
  });

  const odomPose = () => tf.lookup(p.odom_frame, p.base_frame)?.pose;

  node.createSubscription(
    'geometry_msgs/msg/PoseWithCovarianceStamped',
    '/initialpose',
    (msg: PoseWithCovarianceStamped) => {
      const pose = initialPoseIn(msg, p.map_frame, log);
      if (!pose) return;
      anchor = pose;
      log.info('pose reset from /initialpose', { x: pose.x, y: pose.y, yaw: pose.yaw });
    },
  );

  const publish = () => {
    const odom = odomPose();
    if (!odom) return; // no odometry yet: no map pose either (navigation waits, then says why)
    if (anchor) {
      // map → odom such that map → odom → base_link lands on the anchor pose.
      mapToOdom = composePose(anchor, relativePose(odom, { x: 0, y: 0, yaw: 0 }));
      anchor = undefined;
    }
    if (!mapToOdom) return;
    tfPub.publish({
      transforms: [
        {
          header: header(p.map_frame, node.now()),
          child_frame_id: p.odom_frame,
          transform: {
            translation: { x: mapToOdom.x, y: mapToOdom.y, z: 0 },
            rotation: yawToQuaternion(mapToOdom.yaw),
          },
        },
      ],
    });
  };
  const timer = node.createTimer(BigInt(Math.round(Number(NS_PER_S) / p.publish_rate)), publish);

  return {
    pose() {
      const odom = odomPose();
      return odom && mapToOdom ? composePose(mapToOdom, odom) : undefined;
    },
    stop() {
      timer.cancel();
    },
  };
}
