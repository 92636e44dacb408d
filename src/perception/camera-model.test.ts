import { describe, expect, it } from 'vitest';
import {
  REAR_CAMERA,
  CameraModelError,
  boxInImage,
  boxToCameraPoint,
  boxToPlacement,
  focalLengthPx,
  iou,
  placementToBox,
} from './camera-model.js';

describe('rear camera model', () => {
  it('has a 320 px focal length for 640 px across 90°', () => {
    expect(focalLengthPx(REAR_CAMERA)).toBeCloseTo(320, 9);
  });

  it('puts a face straight behind at 1.5 m in the middle column, ~37 px wide, above centre', () => {
    const box = placementToBox(REAR_CAMERA, { bearing: Math.PI, range: 1.5 })!;
    // Depth along the tilted axis: 1.22·cos0.2 + 0.5·sin0.2 = 1.2950 m; 320 · 0.15 / 1.2950 px.
    expect(box.x + box.width / 2).toBeCloseTo(320, 9);
    expect(box.width).toBeCloseTo(37.066, 2);
    expect(box.height).toBeCloseTo(box.width, 9);
    expect(box.y + box.height / 2).toBeCloseTo(178.8, 1);
    expect(boxInImage(REAR_CAMERA, box)).toBe(true);
  });

  it('halves the box when the face is twice as far from the camera (level camera)', () => {
    const level = { ...REAR_CAMERA, tiltRad: 0, faceHeightM: REAR_CAMERA.mountHeightM };
    const near = placementToBox(level, { bearing: Math.PI, range: 0.28 + 1 })!;
    const far = placementToBox(level, { bearing: Math.PI, range: 0.28 + 2 })!;
    expect(near.width).toBeCloseTo(48, 9);
    expect(far.width).toBeCloseTo(24, 9);
    expect(near.y + near.height / 2).toBeCloseTo(240, 9);
  });

  it('maps a person behind-left of the robot to the image right (the camera looks back)', () => {
    const box = placementToBox(REAR_CAMERA, { bearing: Math.PI - 0.4, range: 2 })!;
    expect(box.x + box.width / 2).toBeGreaterThan(320);
    const p = boxToPlacement(REAR_CAMERA, box);
    expect(p.bearing).toBeCloseTo(Math.PI - 0.4, 9);
    expect(p.range).toBeCloseTo(2, 9);
  });

  it('inverts exactly over the field of view', () => {
    for (let b = -0.7; b <= 0.7; b += 0.1) {
      for (const r of [0.8, 1.5, 3, 6]) {
        const bearing = Math.PI + b;
        const box = placementToBox(REAR_CAMERA, { bearing, range: r })!;
        const p = boxToPlacement(REAR_CAMERA, box);
        expect(Math.cos(p.bearing - bearing)).toBeCloseTo(1, 9);
        expect(p.range).toBeCloseTo(r, 9);
      }
    }
  });

  it('reads a 48 px face at the image centre as 1.28 m behind with a level camera', () => {
    const level = { ...REAR_CAMERA, tiltRad: 0 };
    const p = boxToPlacement(level, { x: 296, y: 216, width: 48, height: 48 });
    expect(Math.abs(p.bearing)).toBeCloseTo(Math.PI, 9);
    expect(p.range).toBeCloseTo(1.28, 9);
  });

  it('sees nothing in front of the robot', () => {
    expect(placementToBox(REAR_CAMERA, { bearing: 0, range: 2 })).toBeUndefined();
    const side = placementToBox(REAR_CAMERA, { bearing: Math.PI / 2, range: 2 });
    expect(side === undefined || !boxInImage(REAR_CAMERA, side)).toBe(true);
  });

  it('refuses a box with no width, saying where', () => {
    expect(() =>
      boxToPlacement(REAR_CAMERA, { x: 1, y: 1, width: 0, height: 3 }, 'detections[2].box'),
    ).toThrow(CameraModelError);
    expect(() =>
      boxToPlacement(REAR_CAMERA, { x: 1, y: 1, width: 0, height: 3 }, 'detections[2].box'),
    ).toThrow(/detections\[2\]\.box\.width: expected a positive finite width, found 0/);
  });

  it('places a face in the optical frame: x right, y down, z along the axis', () => {
    const f = focalLengthPx(REAR_CAMERA); // 320 px
    // A 48 px face at the image centre: 1 m out along the axis, nothing sideways.
    const centre = boxToCameraPoint(REAR_CAMERA, { x: 296, y: 216, width: 48, height: 48 });
    expect(centre.x).toBeCloseTo(0, 12);
    expect(centre.y).toBeCloseTo(0, 12);
    expect(centre.z).toBeCloseTo((f * 0.15) / 48, 12);
    // Right of and above the centre: +x, −y, in proportion to the depth.
    const off = boxToCameraPoint(REAR_CAMERA, { x: 456, y: 56, width: 48, height: 48 });
    expect(off.x).toBeCloseTo((160 / f) * off.z, 12);
    expect(off.y).toBeCloseTo((-160 / f) * off.z, 12);
    expect(() => boxToCameraPoint(REAR_CAMERA, { x: 0, y: 0, width: -1, height: 1 })).toThrow(
      CameraModelError,
    );
  });

  it('computes IoU', () => {
    const a = { x: 0, y: 0, width: 10, height: 10 };
    expect(iou(a, a)).toBe(1);
    expect(iou(a, { x: 5, y: 0, width: 10, height: 10 })).toBeCloseTo(50 / 150, 12);
    expect(iou(a, { x: 10, y: 0, width: 10, height: 10 })).toBe(0);
  });
});
