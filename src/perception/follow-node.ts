/**
 * The customer-follow node: face detections from the rear camera in, "is my customer still
 * following" out. Runs the tracker and the customer follower on each camera frame and publishes
 * /guide/customer; binds the customer when the guide mission starts an escort and lets go when
 * the escort ends. The detections come from the ONNX detector on a real camera or from the
 * simulator's camera model: the same follow logic either way.
 */
import type { Detection2DArray, People, Pose2D, RosNode } from '../ros/index.js';
import type { GuideStatus } from '../interfaces/index.js';
import { TransformBuffer, declareParams, timeMsgToNs } from '../ros/index.js';
import { REAR_CAMERA, boxToCameraPoint, type CameraModel, type PixelBox } from './camera-model.js';
import { CustomerFollower, type FollowParams } from './follow.js';
import { PerceptionError } from './errors.js';
import { Tracker, type Detection, type Track, type TrackerParams } from './tracker.js';

export const REAR_DETECTIONS_TOPIC = '/camera/rear/detections';
/** The face tracks, with stable ids, as people in base_link (people_msgs/msg/People). */
export const REAR_PEOPLE_TOPIC = '/camera/rear/people';
export const FACE_CLASS_ID = 'face';

/** Mission states in which the customer stays bound (from the start of an escort to its end). */
const ESCORT_STATES = new Set(['escorting', 'waiting_for_customer']);

/** ROS parameters `follow.<name>`. */
export const FOLLOW_NODE_DEFAULTS = {
  /**
   * While a customer is bound and no camera frame has come for this long (s), the node says so
   * itself (bound, not visible, lost for as long as it has been): a dead camera must look like
   * a lost customer to the mission, never like "no perception, just guide".
   */
  camera_timeout_s: 1.0,
};

export interface FollowNodeOptions {
  camera?: CameraModel;
  tracker?: Partial<TrackerParams>;
  follow?: Partial<FollowParams>;
}

export function createFollowNode(node: RosNode, options: FollowNodeOptions = {}): { stop(): void } {
  const camera = options.camera ?? REAR_CAMERA;
  const p = declareParams(node, 'follow', FOLLOW_NODE_DEFAULTS);
  if (!(Number.isFinite(p.camera_timeout_s) && p.camera_timeout_s > 0)) {
    throw new PerceptionError(
      'CONFIG_INVALID',
      `${node.name()}: parameter follow.camera_timeout_s`,
      `expected a number > 0, found ${p.camera_timeout_s}`,
    );
  }
  const cameraTimeoutNs = BigInt(Math.round(p.camera_timeout_s * 1e9));
  const tracker = new Tracker(options.tracker, camera);
  const follower = new CustomerFollower({ viewHalfAngleRad: camera.hfovRad / 2, ...options.follow });
  const customerPub = node.createPublisher('medhjalparen_msgs/msg/CustomerFollow', '/guide/customer');
  const peoplePub = node.createPublisher('people_msgs/msg/People', REAR_PEOPLE_TOPIC);
  const tf = TransformBuffer.listen(node);
  let escorting = false;
  let stopped = false;
  let loggedTrack: number | undefined;
  /** Node time of the last camera frame (or of binding, when none came since). */
  let lastFrameNs: bigint | undefined;
  let cameraSilent = false;
  const log = node.getLogger();

  /** The robot in a fixed frame (odom, else map) so places stay put while it turns. */
  const robotPose = (): Pose2D | undefined =>
    (tf.lookup('odom', 'base_link') ?? tf.lookup('map', 'base_link'))?.pose;

  node.createSubscription(
    'vision_msgs/msg/Detection2DArray',
    REAR_DETECTIONS_TOPIC,
    (msg: Detection2DArray) => {
      if (stopped) return;
      lastFrameNs = node.now().nanoseconds;
      if (cameraSilent) {
        cameraSilent = false;
        log.info('rear camera frames again');
      }
      const stampNs = timeMsgToNs(msg.header.stamp);
      const tracks = tracker.update(detectionsFromMsg(msg), stampNs);
      peoplePub.publish(tracksToPeople(tracks, msg.header.stamp, camera));
      const signal = follower.update(tracks, stampNs, robotPose());
      if (follower.trackId !== loggedTrack) {
        // Track ids and ranges only: no appearance, no image, nothing personal.
        log.info('customer track', {
          track_id: follower.trackId ?? null,
          distance_behind: signal.distance_behind,
        });
        loggedTrack = follower.trackId;
      }
      customerPub.publish(signal);
    },
  );
  node.createSubscription('medhjalparen_msgs/msg/GuideStatus', '/guide/status', (status: GuideStatus) => {
    const now = ESCORT_STATES.has(status.state);
    if (now && !escorting) {
      follower.bind(node.now().nanoseconds);
      lastFrameNs ??= node.now().nanoseconds;
    }
    if (!now && escorting) follower.unbind();
    escorting = now;
  });
  // The watchdog: quiet while frames come (the simulator's and a live camera's do), so it never
  // changes what a healthy camera's escort looks like.
  const watchdog = node.createTimer(cameraTimeoutNs, () => {
    if (stopped || !escorting) return;
    const now = node.now().nanoseconds;
    if (lastFrameNs !== undefined && now - lastFrameNs < cameraTimeoutNs) return;
    if (!cameraSilent) {
      cameraSilent = true;
      log.warn('no rear camera frames: the customer counts as not seen', {
        timeout_s: p.camera_timeout_s,
      });
    }
    customerPub.publish(follower.update([], now, robotPose()));
  });
  return {
    stop() {
      stopped = true;
      watchdog.cancel();
    },
  };
}

/**
 * Faces as vision_msgs detections: centre and size in pixels, class 'face', and the face's
 * estimated position in the camera's optical frame (`frameId`; REP-103 optical: x right, y down,
 * z along the axis) from `camera`'s pinhole model, depth from the face's width. Its covariance
 * says how good that is: ±15 % (one sigma) in depth, as adult faces differ in width, and the
 * same share sideways; orientation unknown.
 */
export function detectionsToMsg(
  detections: readonly Detection[],
  stamp: Detection2DArray['header']['stamp'],
  frameId: string,
  camera: CameraModel = REAR_CAMERA,
): Detection2DArray {
  const header = { stamp, frame_id: frameId };
  return {
    header,
    detections: detections.map((d, i) => ({
      header,
      id: String(i),
      results: [
        {
          hypothesis: { class_id: FACE_CLASS_ID, score: d.score },
          pose: facePose(camera, d.box),
        },
      ],
      bbox: {
        center: { position: { x: d.box.x + d.box.width / 2, y: d.box.y + d.box.height / 2 }, theta: 0 },
        size_x: d.box.width,
        size_y: d.box.height,
      },
    })),
  };
}

const FACE_WIDTH_SPREAD = 0.15;
/** Variance for "not estimated" (REP-145 style: a huge variance, never a zero). */
const UNKNOWN_VARIANCE = 1e6;

function facePose(camera: CameraModel, box: PixelBox) {
  const covariance = new Float64Array(36);
  let position = { x: 0, y: 0, z: 0 };
  try {
    position = boxToCameraPoint(camera, box);
    const share = FACE_WIDTH_SPREAD ** 2;
    covariance[0] = share * position.x ** 2 + 1e-4;
    covariance[7] = share * position.y ** 2 + 1e-4;
    covariance[14] = share * position.z ** 2;
  } catch {
    // A degenerate box (no width): no position, and the covariance says so.
    covariance[0] = covariance[7] = covariance[14] = UNKNOWN_VARIANCE;
  }
  covariance[21] = covariance[28] = covariance[35] = UNKNOWN_VARIANCE;
  return { pose: { position, orientation: { x: 0, y: 0, z: 0, w: 1 } }, covariance };
}

/**
 * Face tracks as people_msgs people in base_link: `name` is the track id (stable across frames),
 * the position is on the floor plane at face height from the track's bearing and range, and the
 * tags say bearing (rad), range (m) and whether the face was seen in this frame. Velocity is not
 * estimated (zero). Nothing about appearance.
 */
export function tracksToPeople(
  tracks: readonly Track[],
  stamp: Detection2DArray['header']['stamp'],
  camera: CameraModel = REAR_CAMERA,
): People {
  const people: People['people'] = [];
  for (const t of tracks) {
    if (t.bearing === undefined || t.range === undefined) continue;
    people.push({
      name: String(t.id),
      position: {
        x: t.range * Math.cos(t.bearing),
        y: t.range * Math.sin(t.bearing),
        z: camera.faceHeightM,
      },
      velocity: { x: 0, y: 0, z: 0 },
      reliability: t.score,
      tagnames: ['bearing', 'range', 'seen'],
      tags: [t.bearing.toFixed(4), t.range.toFixed(3), String(t.timeSinceUpdateS === 0)],
    });
  }
  return { header: { stamp, frame_id: 'base_link' }, people };
}

/** The faces in a detections message (other classes ignored), boxes top-left and size. */
export function detectionsFromMsg(msg: Detection2DArray): Detection[] {
  const out: Detection[] = [];
  for (const d of msg.detections ?? []) {
    const face = d.results?.find((r) => r.hypothesis?.class_id === FACE_CLASS_ID);
    if (!face || !d.bbox) continue;
    const box: PixelBox = {
      x: d.bbox.center.position.x - d.bbox.size_x / 2,
      y: d.bbox.center.position.y - d.bbox.size_y / 2,
      width: d.bbox.size_x,
      height: d.bbox.size_y,
    };
    out.push({ box, score: face.hypothesis.score });
  }
  return out;
}
