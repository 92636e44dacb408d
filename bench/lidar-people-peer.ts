/**
 * The named peer for the lidar people detector: plain jump-distance clustering of the scan (the
 * same segmentation), with no static map mask, no leg/body classification beyond a width limit
 * and no tracking: every cluster narrower than a body is a person, at its returns' mean. It shows
 * what the mask, the classifier and the tracker buy.
 */
import { LIDAR_PEOPLE_DEFAULTS, ScanPointBuffer, segmentScan } from '../src/perception/lidar-people/index.js';
import type { LaserScan, Pose2D } from '../src/ros/index.js';

export const PEER_NAME = 'plain jump-distance clustering (no map mask, no tracking)';

export class PlainJumpClustering {
  readonly #points = new ScanPointBuffer(LIDAR_PEOPLE_DEFAULTS.min_range, LIDAR_PEOPLE_DEFAULTS.max_range);

  detect(scan: LaserScan, sensor: Pose2D): { x: number; y: number }[] {
    const pts = this.#points.take(scan);
    if (typeof pts === 'string') return [];
    const c = Math.cos(sensor.yaw);
    const s = Math.sin(sensor.yaw);
    const out: { x: number; y: number }[] = [];
    for (const cluster of segmentScan(pts, LIDAR_PEOPLE_DEFAULTS)) {
      const a = cluster[0]!;
      const b = cluster[cluster.length - 1]!;
      const width = Math.hypot(pts.xs[b]! - pts.xs[a]!, pts.ys[b]! - pts.ys[a]!);
      if (width > LIDAR_PEOPLE_DEFAULTS.body_max_width) continue;
      let x = 0;
      let y = 0;
      for (const i of cluster) {
        x += pts.xs[i]!;
        y += pts.ys[i]!;
      }
      x /= cluster.length;
      y /= cluster.length;
      out.push({ x: sensor.x + c * x - s * y, y: sensor.y + s * x + c * y });
    }
    return out;
  }
}
