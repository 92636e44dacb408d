/**
 * Lays out one floor of a given kind in the building frame: corridors (1.8–3.2 m wide, some
 * narrowed to 1.3–1.7 m by the dock), rooms off them, an open hall, pillars, counters, the dock,
 * and which unit each destination is. Seeded: the same Rng gives the same plan.
 */
import type { Rng } from '../rng.js';
import { furnishHall } from './hall.js';
import {
  OUTER_WALL,
  PILLAR,
  WALL,
  round3,
  squareAt,
  wallRect,
  type FloorKind,
  type FloorPlan,
  type Rect,
} from './plan.js';
import { roomRow, type Room } from './rooms.js';
import { HALL_UNITS, ROOM_UNITS } from './units.js';

/** How far from the building's end wall the robot docks, m (its centre). */
const DOCK_FROM_WALL_M = 1.0;
/** Destinations a floor gets at most in rooms (the rest of its rooms are staff rooms). */
const MAX_ROOM_DESTINATIONS = 6;

export function layoutFloor(rng: Rng, kind: FloorKind): FloorPlan {
  if (kind === 'hall') return hallFloor(rng);
  return corridorFloor(rng, kind === 'corridor-hall');
}

/** Rooms off both sides of a corridor, maybe narrow by the dock, maybe opening into a hall. */
function corridorFloor(rng: Rng, withHall: boolean): FloorPlan {
  const length = round3(rng.uniform(withHall ? 26 : 20, withHall ? 36 : 30));
  const cw = round3(rng.uniform(1.8, 3.2));
  const ds = round3(rng.uniform(4, 5.5));
  const dn = round3(rng.uniform(4, 5.5));
  const width = round3(ds + cw + dn);
  const yc = ds + cw / 2;
  const hallLen = withHall ? round3(rng.uniform(9, 13)) : 0;
  const roomsEnd = length - hallLen;
  const narrow = rng.chance(0.4)
    ? { len: round3(rng.uniform(3, 5)), w: round3(rng.uniform(1.3, 1.7)) }
    : undefined;
  const roomsStart = narrow ? narrow.len : 0;
  const plan = emptyPlan(withHall ? 'corridor-hall' : 'corridor', length, width);
  plan.floor.push([0, 0, length, width]);
  plan.walls.push(...outerWalls(length, width));
  plan.notes.push(
    `corridor ${cw.toFixed(2)} m wide, rooms ${ds.toFixed(1)} m (south) and ${dn.toFixed(1)} m (north) deep`,
  );
  if (narrow) {
    // Cabinets and a service shaft narrow the corridor where the robot docks.
    const half = narrow.w / 2;
    plan.solids.push([0, 0, narrow.len, yc - half], [0, yc + half, narrow.len, width]);
    plan.notes.push(
      `corridor narrowed to ${narrow.w.toFixed(2)} m for ${narrow.len.toFixed(1)} m by the dock`,
    );
  }
  const south = roomRow(rng, { x0: roomsStart, x1: roomsEnd, frontY: ds, depth: ds, dir: -1, side: 'south' });
  const north = roomRow(rng, {
    x0: roomsStart,
    x1: roomsEnd,
    frontY: ds + cw,
    depth: dn,
    dir: 1,
    side: 'north',
  });
  for (const row of [south, north]) {
    plan.walls.push(...row.walls);
    plan.doors.push(...row.doors);
    plan.solids.push(...row.solids);
  }
  if (narrow)
    plan.walls.push(
      wallRect(roomsStart, 0, roomsStart, ds),
      wallRect(roomsStart, ds + cw, roomsStart, width),
    );
  if (cw >= 2.4) plan.solids.push(...corridorPillars(rng, roomsStart, roomsEnd, [ds, ds + cw], plan.doors));
  plan.dock = { x: DOCK_FROM_WALL_M + OUTER_WALL / 2, y: round3(yc), yaw: 0 };
  const rooms = [...south.rooms, ...north.rooms];
  let hallPlaces: Array<{ pose: FloorPlan['dock']; where: string }> = [];
  if (withHall) {
    plan.walls.push(wallRect(roomsEnd, 0, roomsEnd, ds), wallRect(roomsEnd, ds + cw, roomsEnd, width));
    const hall = furnishHall(rng, {
      rect: [roomsEnd + WALL / 2, OUTER_WALL / 2, length - OUTER_WALL / 2, width - OUTER_WALL / 2],
      mouths: [{ x: roomsEnd, y: yc }],
      places: 1 + rng.int(3),
    });
    plan.solids.push(...hall.solids);
    hallPlaces = hall.places;
    plan.notes.push(`hall ${hallLen.toFixed(1)} × ${width.toFixed(1)} m with ${hall.pillars} pillars`);
  }
  assignUnits(rng, plan, rooms, hallPlaces);
  return plan;
}

/** An open hall entered through a vestibule (the dock), rooms off its north side. */
function hallFloor(rng: Rng): FloorPlan {
  const length = round3(rng.uniform(20, 30));
  const hallH = round3(rng.uniform(11, 16));
  const dn = round3(rng.uniform(4, 5.5));
  const width = round3(hallH + dn);
  const vLen = round3(rng.uniform(3, 5));
  const vW = round3(rng.uniform(1.5, 2.4));
  const yc = round3(hallH / 2);
  const plan = emptyPlan('hall', length, width);
  plan.floor.push([0, yc - vW / 2, vLen, yc + vW / 2], [vLen, 0, length, width]);
  plan.walls.push(
    wallRect(0, yc - vW / 2, vLen, yc - vW / 2, OUTER_WALL),
    wallRect(0, yc + vW / 2, vLen, yc + vW / 2, OUTER_WALL),
    wallRect(0, yc - vW / 2, 0, yc + vW / 2, OUTER_WALL),
    wallRect(vLen, 0, vLen, yc - vW / 2, OUTER_WALL),
    wallRect(vLen, yc + vW / 2, vLen, width, OUTER_WALL),
    wallRect(vLen, 0, length, 0, OUTER_WALL),
    wallRect(vLen, width, length, width, OUTER_WALL),
    wallRect(length, 0, length, width, OUTER_WALL),
  );
  plan.notes.push(
    `vestibule ${vW.toFixed(2)} m wide, ${vLen.toFixed(1)} m long; hall ${(length - vLen).toFixed(1)} × ${hallH.toFixed(1)} m`,
  );
  const north = roomRow(rng, { x0: vLen, x1: length, frontY: hallH, depth: dn, dir: 1, side: 'north' });
  plan.walls.push(...north.walls);
  plan.doors.push(...north.doors);
  plan.solids.push(...north.solids);
  const hall = furnishHall(rng, {
    rect: [vLen + OUTER_WALL / 2, OUTER_WALL / 2, length - OUTER_WALL / 2, hallH - WALL / 2],
    mouths: [{ x: vLen, y: yc }, ...north.rooms.map((r) => ({ x: (r.x0 + r.x1) / 2, y: hallH }))],
    places: 2 + rng.int(2),
  });
  plan.solids.push(...hall.solids);
  plan.notes.push(`hall with ${hall.pillars} pillars`);
  plan.dock = { x: DOCK_FROM_WALL_M + OUTER_WALL / 2, y: yc, yaw: 0 };
  assignUnits(rng, plan, north.rooms, hall.places);
  return plan;
}

function emptyPlan(kind: FloorKind, length: number, width: number): FloorPlan {
  return {
    kind,
    length,
    width,
    floor: [],
    walls: [],
    doors: [],
    solids: [],
    dock: { x: 0, y: 0, yaw: 0 },
    destinations: [],
    notes: [],
  };
}

function outerWalls(length: number, width: number): Rect[] {
  return [
    wallRect(0, 0, length, 0, OUTER_WALL),
    wallRect(0, width, length, width, OUTER_WALL),
    wallRect(0, 0, 0, width, OUTER_WALL),
    wallRect(length, 0, length, width, OUTER_WALL),
  ];
}

/** Pillars half in the corridor walls every 5–7 m, never beside a door. */
function corridorPillars(rng: Rng, x0: number, x1: number, wallYs: number[], doors: readonly Rect[]): Rect[] {
  const out: Rect[] = [];
  const step = rng.uniform(5, 7);
  for (let x = x0 + 2 + rng.uniform(0, 2); x < x1 - 1.5; x += step) {
    const clearOfDoors = doors.every((d) => x + PILLAR / 2 + 0.6 < d[0] || x - PILLAR / 2 - 0.6 > d[2]);
    if (!clearOfDoors) continue;
    for (const y of wallYs) out.push(squareAt(round3(x), round3(y), PILLAR));
  }
  return out;
}

/** Gives rooms (a few of them) and hall places their units, drawn without putting back. */
function assignUnits(
  rng: Rng,
  plan: FloorPlan,
  rooms: readonly Room[],
  hallPlaces: ReadonlyArray<{ pose: FloorPlan['dock']; where: string }>,
): void {
  const roomUnits = shuffled(rng, ROOM_UNITS);
  const hallUnits = shuffled(rng, HALL_UNITS);
  const nRooms = Math.min(rooms.length, roomUnits.length, 3 + rng.int(MAX_ROOM_DESTINATIONS - 2));
  for (const room of shuffled(rng, rooms).slice(0, nRooms)) {
    plan.destinations.push({
      unit: roomUnits.pop()!,
      pose: room.pose,
      where: `${room.where}, door ${room.doorWidth.toFixed(2)} m`,
    });
  }
  for (const place of hallPlaces)
    plan.destinations.push({ unit: hallUnits.pop()!, pose: place.pose, where: place.where });
}

function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
