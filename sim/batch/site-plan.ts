/**
 * A site as the HTML report draws it: the map's solid cells merged into few rectangles (wall
 * boxes, in metres), the desks and the dock. Computed once per site in the main thread.
 */
import type { Site } from '../../src/map/index.js';
import { wallBoxes } from '../sdf/wall-boxes.js';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SitePlan {
  id: string;
  name: string;
  /** The map's extent, m. */
  bounds: Rect;
  walls: Rect[];
  desks: Array<{ id: string; x: number; y: number }>;
  dock: { x: number; y: number };
}

export function sitePlan(site: Site): SitePlan {
  const m = site.map;
  const r = m.resolution;
  return {
    id: site.id,
    name: site.name,
    bounds: { x: m.originX, y: m.originY, width: m.widthM, height: m.heightM },
    walls: wallBoxes(m).map((b) => ({
      x: m.originX + b.col0 * r,
      y: m.originY + b.row0 * r,
      width: (b.col1 - b.col0) * r,
      height: (b.row1 - b.row0) * r,
    })),
    desks: site.destinations.map((d) => ({ id: d.id, x: d.pose.x, y: d.pose.y })),
    dock: { x: site.dock.x, y: site.dock.y },
  };
}
