/**
 * An open hall's contents: a free-standing desk, places along its walls (the lifts, a ticket
 * machine, a café counter), and pillars on a grid wherever they leave room around everything.
 */
import type { Pose2D } from '../../src/ros/index.js';
import type { Rng } from '../rng.js';
import {
  COUNTER_DEPTH,
  OUTER_WALL,
  PILLAR,
  STOP_BEFORE_COUNTER,
  distanceToRect,
  round3,
  squareAt,
  type Rect,
} from './plan.js';

export interface HallSpec {
  /** The hall's inside: [x0, y0, x1, y1] in the building frame. */
  rect: Rect;
  /** Walls that are open (where a corridor or vestibule enters): keep pillars and desks away. */
  mouths: Array<{ x: number; y: number }>;
  /** How many places to put in it (1–3). */
  places: number;
}

export interface HallPlace {
  pose: Pose2D;
  where: string;
}

export interface HallContents {
  solids: Rect[];
  places: HallPlace[];
  pillars: number;
}

/** Room kept clear around a pillar's edge, m: two robots' widths and more. */
const PILLAR_CLEARANCE_M = 1.6;

export function furnishHall(rng: Rng, spec: HallSpec): HallContents {
  const [x0, y0, x1, y1] = spec.rect;
  const solids: Rect[] = [];
  const places: HallPlace[] = [];
  const inner = OUTER_WALL / 2;
  // 1. A free-standing desk in the middle third, its front to the west (towards where people come in).
  const dx = round3(x0 + (x1 - x0) * rng.uniform(0.45, 0.65));
  const dy = round3(y0 + (y1 - y0) * rng.uniform(0.35, 0.65));
  solids.push([dx - COUNTER_DEPTH / 2, dy - 1.1, dx + COUNTER_DEPTH / 2, dy + 1.1]);
  places.push({
    pose: { x: round3(dx - COUNTER_DEPTH / 2 - STOP_BEFORE_COUNTER), y: dy, yaw: 0 },
    where: 'hall, free-standing desk',
  });
  // 2. The east wall (lifts): the robot stops 1.3 m from it, facing it.
  if (spec.places >= 2) {
    const ly = round3(y0 + (y1 - y0) * rng.uniform(0.25, 0.75));
    places.push({ pose: { x: round3(x1 - inner - 1.3), y: ly, yaw: 0 }, where: 'hall, east wall' });
  }
  // 3. A counter against the south wall (a machine, a café).
  if (spec.places >= 3) {
    const sx = round3(x0 + (x1 - x0) * rng.uniform(0.3, 0.5));
    const top = y0 + inner + 0.6;
    solids.push([sx - 0.8, y0, sx + 0.8, top]);
    places.push({
      pose: { x: sx, y: round3(top + STOP_BEFORE_COUNTER), yaw: -Math.PI / 2 },
      where: 'hall, south wall counter',
    });
  }
  const pillars = pillarGrid(rng, spec, solids, places);
  return { solids: [...solids, ...pillars], places, pillars: pillars.length };
}

/** Pillars on a 4.5–6 m grid, leaving out any too close to a wall, desk, stop or mouth. */
function pillarGrid(rng: Rng, spec: HallSpec, solids: readonly Rect[], places: readonly HallPlace[]): Rect[] {
  const [x0, y0, x1, y1] = spec.rect;
  const step = rng.uniform(4.5, 6);
  const out: Rect[] = [];
  const margin = PILLAR_CLEARANCE_M + PILLAR / 2;
  for (let x = x0 + margin + rng.uniform(0, 1); x <= x1 - margin; x += step) {
    for (let y = y0 + margin + rng.uniform(0, 1); y <= y1 - margin; y += step) {
      const pillar = squareAt(round3(x), round3(y), PILLAR);
      const nearSolid = solids.some((s) => rectGap(pillar, s) < PILLAR_CLEARANCE_M);
      const nearPlace = places.some(
        (p) => distanceToRect(p.pose.x, p.pose.y, pillar) < PILLAR_CLEARANCE_M + 0.3,
      );
      const nearMouth = spec.mouths.some((m) => distanceToRect(m.x, m.y, pillar) < 3);
      if (!nearSolid && !nearPlace && !nearMouth) out.push(pillar);
    }
  }
  return out;
}

/** Gap between two rectangles (0 when they touch or overlap). */
function rectGap(a: Rect, b: Rect): number {
  const dx = Math.max(b[0] - a[2], 0, a[0] - b[2]);
  const dy = Math.max(b[1] - a[3], 0, a[1] - b[3]);
  return Math.hypot(dx, dy);
}
