/**
 * The rear camera as a pinhole: where a face of known size appears in the image for a person at a
 * given range and bearing from the robot, and back. The tracker uses the inverse to give each face
 * a bearing and range; the simulator uses the forward projection to make the same detections a real
 * camera would, so both sides agree on one geometry.
 *
 * Frames: base_link is REP-103 (x forward, y left, z up, origin on the floor under the robot's
 * centre). Ranges and bearings are from that origin, in the floor plane: a person straight behind
 * the robot has bearing π. The camera looks along its own forward axis, yawed by `mountYawRad`
 * (π: backwards) and pitched up by `tiltRad` so that faces of standing adults close behind the robot
 * stay in view. Image pixels: u to the right, v down, box = top-left corner plus size.
 *
 * Range comes from the face's apparent width (depth = f · faceWidth / boxWidth): faces differ by
 * about ±15 % between adults, so ranges are good to about that much, plenty to tell "right behind"
 * from "falling behind". Lens distortion is not modelled (calibrate and undistort first).
 */

/** A detection box in pixels: top-left corner and size. */
export interface PixelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface CameraModel {
  imageWidth: number;
  imageHeight: number;
  /** Horizontal field of view, rad; square pixels, so the vertical one follows from the image. */
  hfovRad: number;
  /** Optical centre in base_link, m (the rear camera sits at the back edge of the robot). */
  mountX: number;
  mountY: number;
  mountHeightM: number;
  /** Where the camera looks, rad in base_link (π: straight back). */
  mountYawRad: number;
  /** Upward pitch of the optical axis, rad. */
  tiltRad: number;
  /** Typical adult face width (cheek to cheek, as a face detector's box spans it), m. */
  faceWidthM: number;
  /** Face box height over width (BlazeFace boxes are square). */
  faceAspect: number;
  /** Height of a standing adult's face centre above the floor, m (for the forward projection). */
  faceHeightM: number;
}

/** The rear camera: 640×480, 90° across, 1.1 m up at the robot's back edge, tilted up ~11°. */
export const REAR_CAMERA: CameraModel = {
  imageWidth: 640,
  imageHeight: 480,
  hfovRad: Math.PI / 2,
  mountX: -0.28,
  mountY: 0,
  mountHeightM: 1.1,
  mountYawRad: Math.PI,
  tiltRad: 0.2,
  faceWidthM: 0.15,
  faceAspect: 1,
  faceHeightM: 1.6,
};

/** Where a face is relative to the robot, in base_link's floor plane. */
export interface FacePlacement {
  /** rad, REP-103 (0 forward, +π/2 left, ±π behind). */
  bearing: number;
  /** From base_link's origin, m. */
  range: number;
}

export class CameraModelError extends Error {
  readonly code = 'BAD_BOX' as const;
  constructor(
    readonly where: string,
    message: string,
  ) {
    super(`${where}: ${message}`);
    this.name = 'CameraModelError';
  }
}

/** Focal length in pixels (same both ways: square pixels). */
export function focalLengthPx(cam: CameraModel): number {
  return cam.imageWidth / 2 / Math.tan(cam.hfovRad / 2);
}

/** A point in the camera's optical frame (REP-103 optical: x right, y down, z along the axis), m. */
export interface CameraPoint {
  x: number;
  y: number;
  z: number;
}

/**
 * Where the face in `box` is in the camera's optical frame: depth from its apparent width, the
 * rest from the pinhole. Throws CameraModelError when the box has no positive finite width (the
 * depth would be meaningless) or is not finite.
 */
export function boxToCameraPoint(cam: CameraModel, box: PixelBox, where = 'box'): CameraPoint {
  if (!(box.width > 0) || !Number.isFinite(box.width)) {
    throw new CameraModelError(`${where}.width`, `expected a positive finite width, found ${box.width}`);
  }
  if (!Number.isFinite(box.x) || !Number.isFinite(box.y) || !Number.isFinite(box.height)) {
    throw new CameraModelError(where, `expected finite x, y, height, found ${JSON.stringify(box)}`);
  }
  const f = focalLengthPx(cam);
  const depth = (f * cam.faceWidthM) / box.width;
  const u = box.x + box.width / 2;
  const v = box.y + box.height / 2;
  return {
    x: ((u - cam.imageWidth / 2) / f) * depth,
    y: ((v - cam.imageHeight / 2) / f) * depth,
    z: depth,
  };
}

/**
 * The bearing and range of the face in `box`. Throws CameraModelError when the box has no positive
 * finite width (the range would be meaningless).
 */
export function boxToPlacement(cam: CameraModel, box: PixelBox, where = 'box'): FacePlacement {
  const p = boxToCameraPoint(cam, box, where);
  // Camera coordinates with the axis pitched: depth along the axis, left, up.
  const left = -p.x;
  const up = -p.y;
  // Undo the tilt: horizontal forward component of the camera frame.
  const forward = p.z * Math.cos(cam.tiltRad) - up * Math.sin(cam.tiltRad);
  const c = Math.cos(cam.mountYawRad);
  const s = Math.sin(cam.mountYawRad);
  const x = cam.mountX + forward * c - left * s;
  const y = cam.mountY + forward * s + left * c;
  return { bearing: Math.atan2(y, x), range: Math.hypot(x, y) };
}

/**
 * The box a standing adult's face at `placement` makes in the image, or undefined when the face is
 * behind the camera's image plane. The box may lie partly or wholly outside the image: callers
 * decide what counts as in view (see `boxInImage`).
 */
export function placementToBox(cam: CameraModel, placement: FacePlacement): PixelBox | undefined {
  const f = focalLengthPx(cam);
  const dx = placement.range * Math.cos(placement.bearing) - cam.mountX;
  const dy = placement.range * Math.sin(placement.bearing) - cam.mountY;
  const dz = cam.faceHeightM - cam.mountHeightM;
  const c = Math.cos(cam.mountYawRad);
  const s = Math.sin(cam.mountYawRad);
  const forward = dx * c + dy * s;
  const left = -dx * s + dy * c;
  const depth = forward * Math.cos(cam.tiltRad) + dz * Math.sin(cam.tiltRad);
  const up = -forward * Math.sin(cam.tiltRad) + dz * Math.cos(cam.tiltRad);
  if (depth < 0.05) return undefined;
  const u = cam.imageWidth / 2 - (f * left) / depth;
  const v = cam.imageHeight / 2 - (f * up) / depth;
  const width = (f * cam.faceWidthM) / depth;
  const height = width * cam.faceAspect;
  return { x: u - width / 2, y: v - height / 2, width, height };
}

/** True when the box's centre lies inside the image (a face cut by the edge is still found). */
export function boxInImage(cam: CameraModel, box: PixelBox): boolean {
  const u = box.x + box.width / 2;
  const v = box.y + box.height / 2;
  return u >= 0 && u < cam.imageWidth && v >= 0 && v < cam.imageHeight;
}

/** Intersection over union of two boxes (0 when either is empty). */
export function iou(a: PixelBox, b: PixelBox): number {
  const ix = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const iy = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (ix <= 0 || iy <= 0) return 0;
  const inter = ix * iy;
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}
