/**
 * The detector node: frames from a source (a camera, a video file, a still image, an image topic)
 * through a face detector to vision_msgs/msg/Detection2DArray on the rear detections topic, where
 * the follow node picks them up. The source paces the loop (a camera at its frame rate, a file as
 * fast as it decodes); the node adds no timers of its own.
 *
 * Privacy (issue 5): a frame lives only for its own detection; the node keeps counts, never an
 * image, a crop or an appearance feature, and logs error codes and counts only.
 */
import type { RosNode } from '../ros/index.js';
import type { Detector } from './blazeface.js';
import { REAR_CAMERA, type CameraModel, type PixelBox } from './camera-model.js';
import { PerceptionError } from './errors.js';
import { REAR_DETECTIONS_TOPIC, detectionsToMsg } from './follow-node.js';
import { checkRgbImage, type RgbImage } from './image.js';
import type { FrameSource } from './sources.js';
import type { Detection } from './tracker.js';

export interface DetectorNodeOptions {
  detector: Detector;
  source: FrameSource;
  /**
   * The camera the tracker downstream assumes. When given, boxes are scaled from the frame's
   * pixels to the model's image size (a 1280×960 stream for a 640×480 model), so bearings and
   * ranges stay right; without it, boxes are in the frame's own pixels.
   */
  camera?: CameraModel;
  /** header.frame_id of the published detections; default 'rear_camera'. */
  frameId?: string;
  /**
   * Failed frames in a row after which the node gives up on the source (a camera unplugged, a
   * broken stream that fails forever); default 30.
   */
  maxConsecutiveFailures?: number;
}

/** Counts since the node started; nothing about who or what was seen. */
export interface DetectorNodeStats {
  /** Frames run through the detector and published. */
  frames: number;
  /** Faces published, summed over frames. */
  detections: number;
  /** Frames that could not be read or detected, skipped without a message. */
  droppedFrames: number;
  /** False once the source has ended, failed for good or the node was stopped. */
  running: boolean;
}

export interface DetectorNode {
  stats(): DetectorNodeStats;
  /** Resolves when the loop has ended (source exhausted, given up, or stopped); never rejects. */
  readonly done: Promise<void>;
  /** Stops the loop and closes the source. The detector stays the caller's to release. */
  stop(): Promise<void>;
}

export const DEFAULT_FRAME_ID = 'rear_camera';
const DEFAULT_MAX_CONSECUTIVE_FAILURES = 30;

export function createDetectorNode(node: RosNode, options: DetectorNodeOptions): DetectorNode {
  const { detector, source, camera } = options;
  const frameId = options.frameId ?? DEFAULT_FRAME_ID;
  const maxFailures = options.maxConsecutiveFailures ?? DEFAULT_MAX_CONSECUTIVE_FAILURES;
  if (!(Number.isInteger(maxFailures) && maxFailures >= 1)) {
    throw new PerceptionError(
      'CONFIG_INVALID',
      'detector_node.max_consecutive_failures',
      `expected an integer ≥ 1, found ${maxFailures}`,
    );
  }
  const pub = node.createPublisher('vision_msgs/msg/Detection2DArray', REAR_DETECTIONS_TOPIC);
  const log = node.getLogger();
  const counts = { frames: 0, detections: 0, droppedFrames: 0 };
  let running = true;
  let stopping = false;

  /** Counts a failed frame; true when the source has failed too often in a row to go on. */
  let failuresInRow = 0;
  const frameFailed = (err: unknown, stage: 'read' | 'detect'): boolean => {
    counts.droppedFrames++;
    failuresInRow++;
    // The code and where only: a message could one day quote frame content.
    log.warn('frame skipped', {
      stage,
      code: err instanceof PerceptionError ? err.code : 'UNEXPECTED',
      dropped_frames: counts.droppedFrames,
    });
    return failuresInRow >= maxFailures;
  };

  const loop = async (): Promise<void> => {
    // The iterator by hand, not for-await: a source whose next() rejects for one bad frame can
    // still deliver the following ones (a generator that threw simply reports done next time).
    const frames = source[Symbol.asyncIterator]();
    while (!stopping) {
      let next: IteratorResult<RgbImage>;
      try {
        next = await frames.next();
      } catch (err) {
        if (frameFailed(err, 'read')) {
          log.error('source keeps failing, detector stopped', { failures_in_row: failuresInRow });
          break;
        }
        continue;
      }
      if (next.done || stopping) break;
      const frame = next.value;
      // Stamped on arrival: the closest this node gets to the capture time.
      const stamp = node.now().toMsg();
      let faces: Detection[];
      try {
        checkRgbImage(frame, source.name);
        faces = (await detector.detect(frame)).map((f) => ({
          box: camera ? scaleBox(f.box, frame, camera) : f.box,
          score: f.score,
        }));
      } catch (err) {
        if (frameFailed(err, 'detect')) {
          log.error('detector keeps failing, detector stopped', { failures_in_row: failuresInRow });
          break;
        }
        continue;
      }
      if (stopping) break;
      failuresInRow = 0;
      counts.frames++;
      counts.detections += faces.length;
      // Positions with the camera model; without one, the rear camera's lens at this frame's size.
      const lens = camera ?? { ...REAR_CAMERA, imageWidth: frame.width, imageHeight: frame.height };
      pub.publish(detectionsToMsg(faces, stamp, frameId, lens));
    }
  };

  const done = loop()
    .catch((err: unknown) => {
      log.error('detector loop failed', {
        code: err instanceof PerceptionError ? err.code : 'UNEXPECTED',
      });
    })
    .finally(async () => {
      running = false;
      await source.close().catch(() => undefined);
    });

  return {
    stats: () => ({ ...counts, running }),
    done,
    async stop() {
      stopping = true;
      // Closing wakes a source that is waiting for its next frame, so the loop can see `stopping`.
      await source.close().catch(() => undefined);
      await done;
    },
  };
}

/** A box in frame pixels as pixels of the camera model's image (identity when the sizes agree). */
function scaleBox(box: PixelBox, frame: RgbImage, camera: CameraModel): PixelBox {
  if (frame.width === camera.imageWidth && frame.height === camera.imageHeight) return box;
  const sx = camera.imageWidth / frame.width;
  const sy = camera.imageHeight / frame.height;
  return { x: box.x * sx, y: box.y * sy, width: box.width * sx, height: box.height * sy };
}
