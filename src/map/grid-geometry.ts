/**
 * Where the cells of a grid lie in the map frame: row 0 is the bottom row (y = originY), as in
 * nav_msgs/msg/OccupancyGrid. Shared by the occupancy grid and the costmaps laid over it.
 */
export class GridGeometry {
  constructor(
    readonly width: number,
    readonly height: number,
    /** m/cell */
    readonly resolution: number,
    readonly originX: number,
    readonly originY: number,
  ) {}

  get widthM(): number {
    return this.width * this.resolution;
  }
  get heightM(): number {
    return this.height * this.resolution;
  }
  /** Cell column of a world x (may be out of bounds). */
  col(x: number): number {
    return Math.floor((x - this.originX) / this.resolution);
  }
  /** Cell row of a world y (may be out of bounds). */
  row(y: number): number {
    return Math.floor((y - this.originY) / this.resolution);
  }
  inBounds(col: number, row: number): boolean {
    return col >= 0 && row >= 0 && col < this.width && row < this.height;
  }
  cellCenterX(col: number): number {
    return this.originX + (col + 0.5) * this.resolution;
  }
  cellCenterY(row: number): number {
    return this.originY + (row + 0.5) * this.resolution;
  }
}
