import type { OccupancyGrid } from '../ros/index.js';
import { Time, header, point, yawToQuaternion } from '../ros/index.js';
import { GridGeometry } from './grid-geometry.js';

/** Cell values as in nav_msgs/msg/OccupancyGrid. */
export const CELL_FREE = 0;
export const CELL_OCCUPIED = 100;
export const CELL_UNKNOWN = -1;

/**
 * An occupancy grid in the map frame: row 0 is the bottom row (y = originY), as in
 * nav_msgs/msg/OccupancyGrid; a map_server image's top row is the grid's last row.
 */
export class GridMap extends GridGeometry {
  constructor(
    width: number,
    height: number,
    /** m/cell */
    resolution: number,
    originX: number,
    originY: number,
    /** Row-major, width × height, values 0..100 or -1. */
    readonly data: Int8Array,
  ) {
    super(width, height, resolution, originX, originY);
    if (data.length !== width * height) {
      throw new RangeError(`grid data has ${data.length} cells, expected ${width}×${height}`);
    }
  }
  /** Cell value, or CELL_OCCUPIED outside the map (the robot treats the unknown edge as a wall). */
  valueAt(col: number, row: number): number {
    return this.inBounds(col, row) ? this.data[row * this.width + col]! : CELL_OCCUPIED;
  }
  /** True when the world point lies on a known-free cell. */
  isFreeAt(x: number, y: number): boolean {
    return this.valueAt(this.col(x), this.row(y)) === CELL_FREE;
  }

  toMsg(stamp: Time = new Time(0n)): OccupancyGrid {
    return {
      header: header('map', stamp),
      info: {
        map_load_time: stamp.toMsg(),
        resolution: this.resolution,
        width: this.width,
        height: this.height,
        origin: { position: point(this.originX, this.originY), orientation: yawToQuaternion(0) },
      },
      data: this.data,
    };
  }
}
