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
export class Costmap {
  constructor(
    readonly width: number,
    readonly height: number,
    /** m/cell */
    readonly resolution: number,
    readonly originX: number,
    readonly originY: number,
    /** Row-major, width × height. */
    readonly costs: Uint8Array,
  ) {
    if (costs.length !== width * height) {
      throw new RangeError(`costmap has ${costs.length} cells, expected ${width}×${height}`);
    }
  }

  col(x: number): number {
    return Math.floor((x - this.originX) / this.resolution);
  }
  row(y: number): number {
    return Math.floor((y - this.originY) / this.resolution);
  }
  inBounds(col: number, row: number): boolean {
    return col >= 0 && row >= 0 && col < this.width && row < this.height;
  }
  /** Cost at a cell; outside the map is lethal. */
  costAt(col: number, row: number): number {
    return this.inBounds(col, row) ? this.costs[row * this.width + col]! : COST_LETHAL;
  }
  /** Cost under a world point. */
  costAtWorld(x: number, y: number): number {
    return this.costAt(this.col(x), this.row(y));
  }
  cellCenterX(col: number): number {
    return this.originX + (col + 0.5) * this.resolution;
  }
  cellCenterY(row: number): number {
    return this.originY + (row + 0.5) * this.resolution;
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
