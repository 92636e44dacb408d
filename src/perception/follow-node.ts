/**
 * The customer-follow node: face detections from the rear camera in, "is my customer still
 * following" out. Runs the tracker and the customer follower on each camera frame and publishes
 * /guide/customer; binds the customer when the guide mission starts an escort and lets go when
 * the escort ends. The detections come from the ONNX detector on a real camera or from the
 * simulator's camera model: the same follow logic either way.
 */
import type { Detection2DArray, GuideStatus, RosNode } from '../ros/index.js';
import { timeMsgToNs } from '../ros/index.js';
import { REAR_CAMERA, type CameraModel, type PixelBox } from './camera-model.js';
import { CustomerFollower, type FollowParams } from './follow.js';
import { Tracker, type Detection, type TrackerParams } from './tracker.js';

export const REAR_DETECTIONS_TOPIC = '/camera/rear/detections';
export const FACE_CLASS_ID = 'face';

/** Mission states in which the customer stays bound (from the start of an escort to its end). */
const ESCORT_STATES = new Set(['escorting', 'waiting_for_customer']);

export interface FollowNodeOptions {
  camera?: CameraModel;
  tracker?: Partial<TrackerParams>;
  follow?: Partial<FollowParams>;
}

export function createFollowNode(node: RosNode, options: FollowNodeOptions = {}): { stop(): void } {
  const camera = options.camera ?? REAR_CAMERA;
  const tracker = new Tracker(options.tracker, camera);
  const follower = new CustomerFollower(options.follow);
  const customerPub = node.createPublisher('medhjalparen_msgs/msg/CustomerFollow', '/guide/customer');
  let escorting = false;
  let stopped = false;
  let loggedTrack: number | undefined;
  const log = node.getLogger();

  node.createSubscription(
    'vision_msgs/msg/Detection2DArray',
    REAR_DETECTIONS_TOPIC,
    (msg: Detection2DArray) => {
      if (stopped) return;
      const stampNs = timeMsgToNs(msg.header.stamp);
      const tracks = tracker.update(detectionsFromMsg(msg), stampNs);
      const signal = follower.update(tracks, stampNs);
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
    if (now && !escorting) follower.bind(node.now().nanoseconds);
    if (!now && escorting) follower.unbind();
    escorting = now;
  });
  return {
    stop() {
      stopped = true;
    },
  };
}

/** Faces as vision_msgs detections: centre and size in pixels, class 'face'. */
export function detectionsToMsg(
  detections: readonly Detection[],
  stamp: Detection2DArray['header']['stamp'],
  frameId: string,
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
          pose: {
            pose: { position: { x: 0, y: 0, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } },
            covariance: new Float64Array(36),
          },
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
