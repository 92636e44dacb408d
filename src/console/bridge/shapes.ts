/**
 * Geometry the pages draw, made small for the wire: scan endpoints in the map frame and the
 * planned path, thinned to a bounded number of points and rounded to centimetres.
 */
import type { LaserScan, Path, Pose2D } from '../../ros/index.js';
import { composePose } from '../../ros/index.js';

export const MAX_PATH_POINTS = 200;
export const MAX_SCAN_POINTS = 360;

export type Point = [number, number];

const cm = (v: number) => Math.round(v * 100) / 100;

/** Every n-th item so that at most `max` remain; the last one always stays (a path's goal). */
export function thin<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const step = Math.ceil(items.length / max);
  const out: T[] = [];
  for (let i = 0; i < items.length; i += step) out.push(items[i]!);
  if (out.length >= max) out.length = max - 1;
  out.push(items[items.length - 1]!);
  return out;
}

/** The path's points in its own frame (the navigator plans in map). */
export function pathPoints(path: Path): Point[] {
  const all = path.poses.map((p): Point => [cm(p.pose.position.x), cm(p.pose.position.y)]);
  return thin(all, MAX_PATH_POINTS);
}

/** The scan's returns as map-frame points, given the scanner's pose in the map. */
export function scanPoints(scan: LaserScan, sensorInMap: Pose2D): Point[] {
  const out: Point[] = [];
  const n = scan.ranges.length;
  const step = Math.max(1, Math.ceil(n / MAX_SCAN_POINTS));
  for (let i = 0; i < n; i += step) {
    const r = scan.ranges[i]!;
    if (!(r >= scan.range_min && r <= scan.range_max)) continue;
    const a = scan.angle_min + i * scan.angle_increment;
    const p = composePose(sensorInMap, { x: r * Math.cos(a), y: r * Math.sin(a), yaw: 0 });
    out.push([cm(p.x), cm(p.y)]);
  }
  return out;
}

/**
 * Metres of `path` left from the point nearest the robot to its end (the path as sent, so a
 * thinned path gives nearly the same length: its corners are kept closely enough for a display).
 */
export function remainingMetres(path: readonly Point[], robot: { x: number; y: number }): number {
  if (path.length === 0) return 0;
  let nearest = 0;
  let best = Infinity;
  path.forEach(([x, y], i) => {
    const d = Math.hypot(x - robot.x, y - robot.y);
    if (d < best) {
      best = d;
      nearest = i;
    }
  });
  let metres = best;
  for (let i = nearest + 1; i < path.length; i++) {
    metres += Math.hypot(path[i]![0] - path[i - 1]![0], path[i]![1] - path[i - 1]![1]);
  }
  return Math.round(metres * 10) / 10;
}
