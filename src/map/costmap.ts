import { GridGeometry } from './grid-geometry.js';

/** Nav2's cost values (nav2_costmap_2d/cost_values.hpp). */
export const COST_FREE = 0;
/** Highest cost a traversable cell can have (the inflation ramp's top). */
export const COST_MAX_NON_OBSTACLE = 252;
/** The robot's centre here means its footprint touches an obstacle. */
export const COST_INSCRIBED = 253;
export const COST_LETHAL = 254;
export const COST_UNKNOWN = 255;

/**
 * A 2D costmap over the same cells as a GridMap (row 0 at originY). Costs are Nav2's: the
 * planner treats ≥ COST_INSCRIBED as impassable, the ramp below as "prefer to stay away".
 */
export class Costmap extends GridGeometry {
  constructor(
    width: number,
    height: number,
    /** m/cell */
    resolution: number,
    originX: number,
    originY: number,
    /** Row-major, width × height. */
    readonly costs: Uint8Array,
  ) {
    super(width, height, resolution, originX, originY);
    if (costs.length !== width * height) {
      throw new RangeError(`costmap has ${costs.length} cells, expected ${width}×${height}`);
    }
  }

  /** Cost at a cell; outside the map is lethal. */
  costAt(col: number, row: number): number {
    return this.inBounds(col, row) ? this.costs[row * this.width + col]! : COST_LETHAL;
  }
  /** Cost under a world point. */
  costAtWorld(x: number, y: number): number {
    return this.costAt(this.col(x), this.row(y));
  }
  clone(): Costmap {
    return new Costmap(
      this.width,
      this.height,
      this.resolution,
      this.originX,
      this.originY,
      this.costs.slice(),
    );
  }
}
