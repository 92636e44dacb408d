/**
 * The rear camera as a sensor: the face detections a real camera and detector would report for the
 * simulated people, so the simulator drives the same tracker and follow logic as the robot.
 *
 * A face is seen when it is in the camera's view (projected by the shared camera model), within
 * range, turned towards the camera, not behind a wall and not behind another person. The detector's
 * faults come from the seeded RNG: misses (more often far away), a little box jitter, and now and
 * then a false positive somewhere in the image.
 */
import {
  REAR_CAMERA,
  boxInImage,
  placementToBox,
  type CameraModel,
  type Detection,
} from '../src/perception/index.js';
import { normalizeAngle, type Pose2D } from '../src/ros/index.js';
import { requireFinite } from './errors.js';
import type { Rng } from './rng.js';

export interface SimCameraParams {
  /** Faces further than this from the robot's centre are not found, m. */
  rangeMaxM: number;
  /** Chance to miss a visible face right next to the robot ... */
  missProbabilityNear: number;
  /** ... rising linearly to this at `rangeMaxM`. */
  missProbabilityFar: number;
  /** A face is seen when the person faces within this angle of the camera, rad (~75°: profile). */
  faceVisibleHalfAngleRad: number;
  /** Chance per frame of one false positive. */
  falsePositiveRate: number;
  /** Box jitter, standard deviation as a share of the box width (centre and size). */
  boxNoiseShare: number;
  /** Score for a close face; it falls by `scoreFalloff` towards `rangeMaxM`. */
  scoreNear: number;
  scoreFalloff: number;
}

export const DEFAULT_SIM_CAMERA_PARAMS: SimCameraParams = {
  rangeMaxM: 6,
  missProbabilityNear: 0.03,
  missProbabilityFar: 0.25,
  faceVisibleHalfAngleRad: 1.3,
  falsePositiveRate: 0.01,
  boxNoiseShare: 0.03,
  scoreNear: 0.95,
  scoreFalloff: 0.25,
};

/** What the camera needs from the world (SimWorld has it). */
export interface CameraScene {
  robotPose(): Pose2D;
  people(): readonly { x: number; y: number; yaw: number; radius: number }[];
  lineOfSight(from: { x: number; y: number }, to: { x: number; y: number }): boolean;
}

export class SimCamera {
  readonly params: SimCameraParams;

  /** `rng`: the camera's own stream, `world.rng.fork('camera')`. */
  constructor(
    private readonly rng: Rng,
    params: Partial<SimCameraParams> = {},
    readonly camera: CameraModel = REAR_CAMERA,
  ) {
    this.params = { ...DEFAULT_SIM_CAMERA_PARAMS, ...params };
    for (const [k, v] of Object.entries(this.params)) requireFinite(v, `simCamera.${k}`, 0);
  }

  /** One frame's detections at the world's current state (stampNs names the frame; unused). */
  capture(world: CameraScene, _stampNs: bigint): Detection[] {
    const p = this.params;
    const cam = this.camera;
    const robot = world.robotPose();
    const cos = Math.cos(robot.yaw);
    const sin = Math.sin(robot.yaw);
    const eye = {
      x: robot.x + cam.mountX * cos - cam.mountY * sin,
      y: robot.y + cam.mountX * sin + cam.mountY * cos,
    };
    const people = world.people();
    const out: Detection[] = [];
    for (const person of people) {
      const dx = person.x - robot.x;
      const dy = person.y - robot.y;
      const range = Math.hypot(dx, dy);
      if (range > p.rangeMaxM) continue;
      const bearing = Math.atan2(-sin * dx + cos * dy, cos * dx + sin * dy);
      const box = placementToBox(cam, { bearing, range });
      if (!box || !boxInImage(cam, box)) continue;
      const towardsCamera = Math.atan2(eye.y - person.y, eye.x - person.x);
      if (Math.abs(normalizeAngle(towardsCamera - person.yaw)) > p.faceVisibleHalfAngleRad) continue;
      if (!world.lineOfSight(eye, person) || hiddenByOthers(eye, person, people)) continue;
      const reach = range / p.rangeMaxM;
      if (this.rng.chance(p.missProbabilityNear + (p.missProbabilityFar - p.missProbabilityNear) * reach))
        continue;
      const jitter = p.boxNoiseShare * box.width;
      const width = Math.max(2, box.width + this.rng.normal(0, jitter));
      const height = Math.max(2, box.height + this.rng.normal(0, jitter));
      const cx = box.x + box.width / 2 + this.rng.normal(0, jitter);
      const cy = box.y + box.height / 2 + this.rng.normal(0, jitter);
      const score = clamp01(p.scoreNear - p.scoreFalloff * reach + this.rng.normal(0, 0.02));
      out.push({ box: { x: cx - width / 2, y: cy - height / 2, width, height }, score });
    }
    if (this.rng.chance(p.falsePositiveRate)) out.push(this.#falsePositive());
    return out;
  }

  /** A face-sized box somewhere in the image with a middling score. */
  #falsePositive(): Detection {
    const size = this.rng.uniform(16, 64);
    const x = this.rng.uniform(0, this.camera.imageWidth - size);
    const y = this.rng.uniform(0, this.camera.imageHeight - size);
    return { box: { x, y, width: size, height: size }, score: this.rng.uniform(0.5, 0.7) };
  }
}

/** True when another person's body stands on the line from the camera to `target`. */
function hiddenByOthers(
  eye: { x: number; y: number },
  target: { x: number; y: number },
  people: readonly { x: number; y: number; radius: number }[],
): boolean {
  const dx = target.x - eye.x;
  const dy = target.y - eye.y;
  const len2 = dx * dx + dy * dy;
  if (len2 < 1e-12) return false;
  for (const q of people) {
    if (q === target) continue;
    const t = ((q.x - eye.x) * dx + (q.y - eye.y) * dy) / len2;
    if (t <= 0 || t >= 1) continue;
    const px = eye.x + t * dx - q.x;
    const py = eye.y + t * dy - q.y;
    // Heads are narrower than the body disc: only a person squarely in the way hides a face.
    if (px * px + py * py < (0.6 * q.radius) ** 2) return true;
  }
  return false;
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}
