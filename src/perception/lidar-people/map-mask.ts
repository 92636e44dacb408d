/**
 * The static map mask: a return that lies on the site's walls (within `map_mask_distance` of an
 * occupied or unknown cell, or off the map) is the map's, never a person. The map's distance
 * field is computed once; a lookup per return is a multiply and an array read.
 */
import { sharedDistanceField, type GridMap } from '../../map/index.js';
import type { Pose2D } from '../../ros/index.js';
import type { ScanPoints } from './scan-points.js';

export class StaticMapMask {
  readonly #map: GridMap;
  readonly #distance: Float32Array;
  #keep = new Uint8Array(0);
  /** Map-frame positions of the last masked scan's returns. */
  mapXs = new Float64Array(0);
  mapYs = new Float64Array(0);

  constructor(
    map: GridMap,
    private readonly maskDistanceM: number,
    /** The map's distance field when the caller already has it (it is the slow part). */
    distance?: Float32Array,
  ) {
    this.#map = map;
    this.#distance = distance ?? sharedDistanceField(map);
  }

  /** True when map point (x, y) belongs to the static map (or lies off it). */
  isStatic(x: number, y: number): boolean {
    const m = this.#map;
    const col = Math.floor((x - m.originX) / m.resolution);
    const row = Math.floor((y - m.originY) / m.resolution);
    if (col < 0 || row < 0 || col >= m.width || row >= m.height) return true;
    return this.#distance[row * m.width + col]! <= this.maskDistanceM;
  }

  /**
   * Places the scan's returns in map (the sensor at `sensor`, map frame) and marks each one kept
   * (1) or the map's (0). The arrays are reused for the next scan.
   */
  apply(points: ScanPoints, sensor: Pose2D): Uint8Array {
    const n = points.count;
    if (this.#keep.length < n) {
      this.#keep = new Uint8Array(points.xs.length);
      this.mapXs = new Float64Array(points.xs.length);
      this.mapYs = new Float64Array(points.xs.length);
    }
    const c = Math.cos(sensor.yaw);
    const s = Math.sin(sensor.yaw);
    for (let i = 0; i < n; i++) {
      const px = points.xs[i]!;
      const py = points.ys[i]!;
      const x = sensor.x + c * px - s * py;
      const y = sensor.y + s * px + c * py;
      this.mapXs[i] = x;
      this.mapYs[i] = y;
      this.#keep[i] = this.isStatic(x, y) ? 0 : 1;
    }
    return this.#keep;
  }
}
