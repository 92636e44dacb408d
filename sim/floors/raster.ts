/**
 * Draws a floor plan into a map_server occupancy image: the building rotated by `rotation` in
 * the grid (a SLAM map is drawn in whatever heading the robot started in), at `resolution`, with
 * the map's origin anywhere. Unknown outside the building, free floor, walls with doors cut in
 * them, then furniture and pillars, as map_saver's trinary colours.
 */
import type { Pose2D } from '../../src/ros/index.js';
import type { FloorPlan, Rect } from './plan.js';

export const FREE = 254;
export const OCCUPIED = 0;
export const UNKNOWN = 205;
/** Unknown border around the building, m. */
const MARGIN_M = 1;

export interface Placement {
  resolution: number;
  /** Radians, counter-clockwise: the building's x axis in the map frame. */
  rotation: number;
  /** The map's origin: where the image's lower-left corner is in the map frame, m. */
  originX: number;
  originY: number;
}

export interface Raster {
  width: number;
  height: number;
  /** PGM order: row 0 is the top (north) edge. */
  pixels: Uint8Array;
  /** A building-frame pose in the map frame. */
  toMap(p: Pose2D): Pose2D;
}

export function rasterize(plan: FloorPlan, place: Placement): Raster {
  const { resolution: res, rotation } = place;
  const cos = Math.cos(rotation);
  const sin = Math.sin(rotation);
  const corners: Array<[number, number]> = [
    [0, 0],
    [plan.length, 0],
    [0, plan.width],
    [plan.length, plan.width],
  ];
  const rotated = corners.map(([x, y]) => [x * cos - y * sin, x * sin + y * cos] as const);
  const minX = Math.min(...rotated.map((p) => p[0])) - MARGIN_M;
  const minY = Math.min(...rotated.map((p) => p[1])) - MARGIN_M;
  const maxX = Math.max(...rotated.map((p) => p[0])) + MARGIN_M;
  const maxY = Math.max(...rotated.map((p) => p[1])) + MARGIN_M;
  const width = Math.ceil((maxX - minX) / res);
  const height = Math.ceil((maxY - minY) / res);
  const pixels = new Uint8Array(width * height).fill(UNKNOWN);
  /** Image-local metres (from the lower-left corner) of a building-frame point. */
  const forward = (x: number, y: number): [number, number] => [
    x * cos - y * sin - minX,
    x * sin + y * cos - minY,
  ];
  const fill = (r: Rect, value: number): void => {
    const pts = [forward(r[0], r[1]), forward(r[2], r[1]), forward(r[0], r[3]), forward(r[2], r[3])];
    const c0 = Math.max(0, Math.floor(Math.min(...pts.map((p) => p[0])) / res) - 1);
    const c1 = Math.min(width - 1, Math.ceil(Math.max(...pts.map((p) => p[0])) / res) + 1);
    const r0 = Math.max(0, Math.floor(Math.min(...pts.map((p) => p[1])) / res) - 1);
    const r1 = Math.min(height - 1, Math.ceil(Math.max(...pts.map((p) => p[1])) / res) + 1);
    for (let row = r0; row <= r1; row++) {
      const ly = (row + 0.5) * res + minY;
      const base = (height - 1 - row) * width;
      for (let col = c0; col <= c1; col++) {
        const lx = (col + 0.5) * res + minX;
        // Back into the building frame (the inverse rotation).
        const bx = lx * cos + ly * sin;
        const by = -lx * sin + ly * cos;
        if (bx >= r[0] && bx < r[2] && by >= r[1] && by < r[3]) pixels[base + col] = value;
      }
    }
  };
  for (const r of plan.floor) fill(r, FREE);
  for (const r of plan.walls) fill(r, OCCUPIED);
  for (const r of plan.doors) fill(r, FREE);
  for (const r of plan.solids) fill(r, OCCUPIED);
  const toMap = (p: Pose2D): Pose2D => {
    const [lx, ly] = forward(p.x, p.y);
    return { x: lx + place.originX, y: ly + place.originY, yaw: normalizeAngle(p.yaw + rotation) };
  };
  return { width, height, pixels, toMap };
}

function normalizeAngle(a: number): number {
  let out = a;
  while (out > Math.PI) out -= 2 * Math.PI;
  while (out <= -Math.PI) out += 2 * Math.PI;
  return out;
}
