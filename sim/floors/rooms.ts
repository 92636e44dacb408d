/**
 * A row of rooms along one side of a corridor or hall: divider walls, a door in each room's front
 * wall (1.2–2.0 m, anywhere along it but clear of the corners), and a counter along the back wall
 * with the robot's stop 1 m in front of it, facing it.
 */
import type { Rng } from '../rng.js';
import {
  COUNTER_DEPTH,
  OUTER_WALL,
  STOP_BEFORE_COUNTER,
  WALL,
  doorRect,
  round3,
  wallRect,
  type Rect,
} from './plan.js';
import type { Pose2D } from '../../src/ros/index.js';

export interface RoomRowSpec {
  /** Rooms span x0..x1 along the front wall at y = frontY, and reach `depth` m away from it. */
  x0: number;
  x1: number;
  frontY: number;
  depth: number;
  /** +1: rooms lie north of the front wall; -1: south. */
  dir: 1 | -1;
  side: string;
}

export interface Room {
  x0: number;
  x1: number;
  doorWidth: number;
  /** The stop in front of its counter. */
  pose: Pose2D;
  where: string;
}

export interface RoomRow {
  walls: Rect[];
  doors: Rect[];
  solids: Rect[];
  rooms: Room[];
}

export const DOOR_MIN_M = 1.2;
export const DOOR_MAX_M = 2.0;
const ROOM_MIN_M = 4;
const ROOM_MAX_M = 6.5;
/** Door jamb: at least this much wall between a door and a room's corner. */
const JAMB_M = 0.4;

/** Room widths that fill x0..x1, each ROOM_MIN_M..ROOM_MAX_M (the last takes what is left). */
export function roomWidths(rng: Rng, length: number): number[] {
  const out: number[] = [];
  let left = length;
  while (left > 0) {
    if (left <= ROOM_MAX_M + 1) {
      if (left >= ROOM_MIN_M || out.length === 0) out.push(left);
      else out[out.length - 1]! += left;
      break;
    }
    const w = rng.uniform(ROOM_MIN_M, Math.min(ROOM_MAX_M, left - ROOM_MIN_M));
    out.push(w);
    left -= w;
  }
  return out;
}

export function roomRow(rng: Rng, spec: RoomRowSpec): RoomRow {
  const { x0, x1, frontY, depth, dir } = spec;
  const backY = frontY + dir * depth;
  const row: RoomRow = { walls: [wallRect(x0, frontY, x1, frontY)], doors: [], solids: [], rooms: [] };
  let x = x0;
  roomWidths(rng, x1 - x0).forEach((w, i) => {
    const rx0 = x;
    const rx1 = x + w;
    x = rx1;
    if (rx1 < x1 - 1e-9) row.walls.push(wallRect(rx1, frontY, rx1, backY));
    const doorWidth = round3(rng.uniform(DOOR_MIN_M, DOOR_MAX_M));
    const slack = w - WALL - 2 * JAMB_M - doorWidth;
    const doorX = rx0 + WALL / 2 + JAMB_M + doorWidth / 2 + rng.uniform(0, Math.max(0, slack));
    row.doors.push(doorRect(doorX, frontY, doorWidth, 'x'));
    // The counter along the back wall, somewhere along it, 1.4–2.6 m long.
    const counterLen = Math.min(w - 1.4, rng.uniform(1.4, 2.6));
    const cx = rx0 + w / 2 + rng.uniform(-1, 1) * Math.max(0, (w - counterLen) / 2 - 0.5);
    const face = backY - dir * (OUTER_WALL / 2 + COUNTER_DEPTH);
    const counterY0 = Math.min(face, backY - dir * (OUTER_WALL / 2));
    const counterY1 = Math.max(face, backY - dir * (OUTER_WALL / 2));
    row.solids.push([cx - counterLen / 2, counterY0, cx + counterLen / 2, counterY1]);
    const pose = { x: round3(cx), y: round3(face - dir * STOP_BEFORE_COUNTER), yaw: (dir * Math.PI) / 2 };
    row.rooms.push({ x0: rx0, x1: rx1, doorWidth, pose, where: `room ${i + 1} (${spec.side})` });
  });
  return row;
}
