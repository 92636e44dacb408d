/**
 * A floor plan in the building's own frame (x along its length, y across, metres, origin at its
 * south-west corner), before it is rotated into a map: what is floor, what is wall, where the
 * doors are cut, the furniture and pillars, the dock and the destinations. Everything is an
 * axis-aligned rectangle here; the raster rotates them (raster.ts).
 */
import type { Pose2D } from '../../src/ros/index.js';
import type { Unit } from './units.js';

/** [x0, y0, x1, y1] in metres, x0 < x1, y0 < y1. */
export type Rect = readonly [number, number, number, number];

export const FLOOR_KINDS = ['corridor', 'corridor-hall', 'hall'] as const;
/**
 * - `corridor`: a corridor the building's length with rooms off both sides;
 * - `corridor-hall`: a corridor with rooms off it that opens into a hall with pillars and desks;
 * - `hall`: an open hall with pillars and free-standing desks, rooms off its north side,
 *   entered from a vestibule where the robot docks.
 */
export type FloorKind = (typeof FLOOR_KINDS)[number];

export interface PlannedDestination {
  unit: Unit;
  pose: Pose2D;
  /** Where it is, for the plan's notes: 'room 3 (south)', 'hall'. */
  where: string;
}

export interface FloorPlan {
  kind: FloorKind;
  /** Building extent: [0, length] × [0, width]. */
  length: number;
  width: number;
  floor: Rect[];
  walls: Rect[];
  /** Cut through walls after they are drawn. */
  doors: Rect[];
  /** Counters, benches, pillars: solid, drawn last. */
  solids: Rect[];
  dock: Pose2D;
  destinations: PlannedDestination[];
  /** Narrowest clear width on purpose (the narrow corridor by the dock, the doors), m. */
  notes: string[];
}

/** Wall thicknesses, m. */
export const WALL = 0.2;
export const OUTER_WALL = 0.3;
/** Counter depth, m, and how far in front of it the robot stops (site-format: "about 1 m"). */
export const COUNTER_DEPTH = 0.7;
export const STOP_BEFORE_COUNTER = 1.0;
export const PILLAR = 0.5;

/** A wall from (x0, y0) to (x1, y1) (axis-aligned), `t` thick. */
export function wallRect(x0: number, y0: number, x1: number, y1: number, t = WALL): Rect {
  const h = t / 2;
  return [Math.min(x0, x1) - h, Math.min(y0, y1) - h, Math.max(x0, x1) + h, Math.max(y0, y1) + h];
}

/** A door `width` wide centred at (x, y) through a wall running along x (`along: 'x'`) or y. */
export function doorRect(x: number, y: number, width: number, along: 'x' | 'y'): Rect {
  const h = width / 2;
  const t = OUTER_WALL; // cut through any wall thickness
  return along === 'x' ? [x - h, y - t, x + h, y + t] : [x - t, y - h, x + t, y + h];
}

export function squareAt(x: number, y: number, size: number): Rect {
  const h = size / 2;
  return [x - h, y - h, x + h, y + h];
}

/** Distance from a point to a rectangle (0 inside). */
export function distanceToRect(x: number, y: number, r: Rect): number {
  const dx = Math.max(r[0] - x, 0, x - r[2]);
  const dy = Math.max(r[1] - y, 0, y - r[3]);
  return Math.hypot(dx, dy);
}

export const round3 = (v: number): number => Math.round(v * 1000) / 1000;
