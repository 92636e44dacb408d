/**
 * The adaptive Monte Carlo localiser as a node, shaped like Nav2's AMCL: it reads the scan and
 * odometry (odom → base_link on /tf), localises on the site's map, and publishes map → odom on
 * /tf (stamped `transform_tolerance` ahead, as Nav2 does, so a consumer's staleness check
 * passes between scans and fails once scans stop), the pose with its covariance on /amcl_pose,
 * and how sure it is on /localization/status. An operator (or RViz) resets it on /initialpose.
 *
 * A scan waits for the odometry of its own moment: in one step the scan can arrive before the
 * odometry of that step, and a pose 20 ms old at 1 m/s is 2 cm wrong.
 *
 * | direction | name | type |
 * |---|---|---|
 * | in  | /scan (`scan_topic`) | sensor_msgs/msg/LaserScan |
 * | in  | /tf (odom → base_link) | tf2_msgs/msg/TFMessage |
 * | in  | /initialpose | geometry_msgs/msg/PoseWithCovarianceStamped |
 * | out | /tf (map → odom) | tf2_msgs/msg/TFMessage |
 * | out | /amcl_pose | geometry_msgs/msg/PoseWithCovarianceStamped |
 * | out | /localization/status | medhjalparen_msgs/msg/LocalizationStatus |
 */
import type { GridMap } from '../../map/index.js';
import {
  NS_PER_S,
  TransformBuffer,
  header,
  nsToTimeMsg,
  pose2dToPose,
  quaternionToYaw,
  secondsToNs,
  timeMsgToNs,
  yawToQuaternion,
  type LaserScan,
  type Pose2D,
  type PoseWithCovarianceStamped,
  type RosNode,
  type TFMessage,
} from '../../ros/index.js';
import { LikelihoodField } from './likelihood-field.js';
import { Localizer, type LocalizerStatus } from './localizer.js';
import { readAmclParams, type AmclParams } from './params.js';
import { selectBeams } from './sensor-model.js';
import { initialPoseIn } from '../initial-pose.js';

export interface AmclOptions {
  map: GridMap;
  /** Where the robot starts (its dock); initial_pose.* parameters override it. */
  initialPose?: Pose2D;
  /** Seeds the filter (the `seed` parameter overrides it). */
  seed?: number;
  /** The map's likelihood field, when the caller has it already (it is built once per map). */
  field?: LikelihoodField;
}

export interface Amcl {
  /** The robot in the map now, or undefined before the first pose. */
  pose(): Pose2D | undefined;
  status(): LocalizerStatus;
  readonly localizer: Localizer;
  readonly params: AmclParams;
  stop(): void;
}

export function startAmcl(node: RosNode, options: AmclOptions): Amcl {
  const p = readAmclParams(node, {
    ...(options.initialPose
      ? {
          'initial_pose.x': options.initialPose.x,
          'initial_pose.y': options.initialPose.y,
          'initial_pose.yaw': options.initialPose.yaw,
        }
      : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  });
  const field = options.field ?? new LikelihoodField(options.map, p.laser_likelihood_max_dist);
  const loc = new Localizer(p, field);
  const log = node.getLogger();
  const tf = TransformBuffer.listen(node);
  const tfPub = node.createPublisher('tf2_msgs/msg/TFMessage', '/tf');
  const posePub = node.createPublisher('geometry_msgs/msg/PoseWithCovarianceStamped', '/amcl_pose');
  const statusPub = node.createPublisher('medhjalparen_msgs/msg/LocalizationStatus', '/localization/status');
  const nowS = () => Number(node.now().nanoseconds) / 1e9;
  let pending: { scan: LaserScan; stampNs: bigint } | undefined;
  let odomStampNs = -1n;
  let lastState = '';
  let lastStatusS = -Infinity;

  const publishStatus = () => {
    const s = loc.status(nowS());
    lastStatusS = nowS();
    if (s.state !== lastState) {
      const fields = { state: s.state, reason: s.reason };
      if (s.state === 'lost') log.warn('localisation lost', fields);
      else log.info('localisation state', fields);
      lastState = s.state;
    }
    statusPub.publish({
      header: header(p.global_frame_id, node.now()),
      state: s.state,
      position_sigma: finiteOr(s.positionSigma, 0),
      yaw_sigma: finiteOr(s.yawSigma, 0),
      particles: s.particles,
      scan_match: finiteOr(s.scanMatch, 0),
      reason: s.reason,
    });
  };

  const publishTf = (stampNs: bigint) => {
    const m = loc.mapToOdom;
    if (!m || !p.tf_broadcast) return;
    tfPub.publish({
      transforms: [
        {
          header: {
            stamp: nsToTimeMsg(stampNs + secondsToNs(p.transform_tolerance)),
            frame_id: p.global_frame_id,
          },
          child_frame_id: p.odom_frame_id,
          transform: { translation: { x: m.x, y: m.y, z: 0 }, rotation: yawToQuaternion(m.yaw) },
        },
      ],
    });
  };

  const publishPose = (stampNs: bigint) => {
    const pose = loc.pose;
    const e = loc.estimate;
    if (!pose || !e) return;
    const cov = new Float64Array(36);
    cov[0] = e.cov.xx;
    cov[1] = e.cov.xy;
    cov[6] = e.cov.xy;
    cov[7] = e.cov.yy;
    cov[35] = e.cov.aa;
    posePub.publish({
      header: { stamp: nsToTimeMsg(stampNs), frame_id: p.global_frame_id },
      pose: { pose: pose2dToPose(pose), covariance: cov },
    });
  };

  const process = (scan: LaserScan, stampNs: bigint) => {
    const sensor = scanOrigin(tf, p, scan.header?.frame_id);
    if (!sensor) {
      log.warn('scan frame has no transform to the base frame: scan skipped', {
        frame: String(scan.header?.frame_id),
      });
      return;
    }
    const beams = selectBeams(scan, p, sensor);
    const updated = loc.scan(beams, Number(stampNs) / 1e9);
    if (updated) publishTf(node.now().nanoseconds);
    if (updated) publishPose(stampNs);
    const state = loc.status(nowS()).state;
    if (updated || state !== lastState) publishStatus();
  };

  node.createSubscription('tf2_msgs/msg/TFMessage', '/tf', (msg: TFMessage) => {
    for (const t of msg?.transforms ?? []) {
      if (t?.child_frame_id !== p.base_frame_id || t.header?.frame_id !== p.odom_frame_id) continue;
      const stampNs = safeStampNs(t.header.stamp, node);
      const pose = {
        x: t.transform.translation.x,
        y: t.transform.translation.y,
        yaw: quaternionToYaw(t.transform.rotation),
      };
      loc.odometry(pose, Number(stampNs) / 1e9);
      odomStampNs = stampNs;
      if (pending && stampNs >= pending.stampNs) {
        const { scan, stampNs: at } = pending;
        pending = undefined;
        process(scan, at);
      }
    }
  });

  node.createSubscription('sensor_msgs/msg/LaserScan', p.scan_topic, (scan: LaserScan) => {
    const stampNs = safeStampNs(scan?.header?.stamp, node);
    // A scan still waiting for its odometry is used with the newest there is rather than dropped.
    if (pending) process(pending.scan, pending.stampNs);
    pending = { scan, stampNs };
    if (odomStampNs >= stampNs) {
      pending = undefined;
      process(scan, stampNs);
    }
  });

  node.createSubscription(
    'geometry_msgs/msg/PoseWithCovarianceStamped',
    '/initialpose',
    (msg: PoseWithCovarianceStamped) => {
      const pose = initialPoseIn(msg, p.global_frame_id, log);
      if (!pose) return;
      const c = msg.pose.covariance;
      const sdXY = Math.sqrt(Math.max(finiteOr(c?.[0], 0), finiteOr(c?.[7], 0)));
      const sdYaw = Math.sqrt(finiteOr(c?.[35], 0));
      loc.setPose(pose, sdXY > 0 ? sdXY : p.initial_sigma_xy, sdYaw > 0 ? sdYaw : p.initial_sigma_yaw);
      log.info('pose reset from /initialpose', { x: pose.x, y: pose.y, yaw: pose.yaw });
      publishStatus();
    },
  );

  // At least `status_rate`: a lidar that went quiet is reported even though no scan comes to say so.
  const period = BigInt(Math.round(Number(NS_PER_S) / p.status_rate));
  const timer = node.createTimer(period, () => {
    if (nowS() - lastStatusS >= 1 / p.status_rate - 1e-6) publishStatus();
  });

  // map → odom at a steady rate, fresh whether or not scans come, as the navigation servers read
  // it (a pose older than their tolerance is refused): while the lidar is quiet the robot's pose
  // runs on odometry and the status says 'lost', rather than the transform going stale.
  const tfTimer = node.createTimer(BigInt(Math.round(Number(NS_PER_S) / p.tf_publish_rate)), () =>
    publishTf(node.now().nanoseconds),
  );

  return {
    pose: () => loc.pose,
    status: () => loc.status(nowS()),
    localizer: loc,
    params: p,
    stop() {
      timer.cancel();
      tfTimer.cancel();
    },
  };
}

/** Where the scan's rays start in the base frame (identity when the scan is in the base frame). */
function scanOrigin(tf: TransformBuffer, p: AmclParams, frame: string | undefined): Pose2D | undefined {
  if (!frame || frame === p.base_frame_id) return { x: 0, y: 0, yaw: 0 };
  return tf.lookup(p.base_frame_id, frame)?.pose;
}

/** A message's stamp, or now when it is missing or malformed (a bad stamp must not stop localisation). */
function safeStampNs(stamp: { sec: number; nanosec: number } | undefined, node: RosNode): bigint {
  if (stamp && Number.isInteger(stamp.sec) && Number.isInteger(stamp.nanosec) && stamp.sec >= 0) {
    return timeMsgToNs(stamp);
  }
  return node.now().nanoseconds;
}

function finiteOr(v: number | undefined, fallback: number): number {
  return v !== undefined && Number.isFinite(v) ? v : fallback;
}
