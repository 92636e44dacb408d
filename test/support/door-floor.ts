/**
 * A small floor of the kind a service centre draws, written as a site folder in the documented
 * format (site.yaml, a map_server YAML and a PGM): a corridor running east from the dock with
 * rooms off both sides, each behind its own doorway (a gap in the corridor wall, or a longer
 * narrow passage), and one destination inside each room, off to the side of its door so the
 * robot turns into the room. For the door and passage tests, the `map check` tests and the
 * door benchmark; nothing here is tuned to the robot.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CustomerSpec, Scenario } from '../../sim/scenario.js';
import { encodePgm } from '../../src/map/index.js';

/** One room's doorway: `width` m wide through a wall `depth` m deep (0.2: a door; more: a passage). */
export interface Doorway {
  width: number;
  depth?: number;
}

export interface DoorFloorOptions {
  /** Doorways of the rooms, in order: room i is south of the corridor for even i, north for odd. */
  doors: readonly Doorway[];
  /** m/cell. Default 0.05. */
  resolution?: number;
  /** Corridor width, m. Default 2.0. */
  corridorWidth?: number;
  /** Where the map's lower-left corner is in the map frame, m. Default (0, 0). */
  origin?: { x: number; y: number };
  /** Wall cells painted unknown (205) instead of occupied (0), as a SLAM map leaves unseen rooms. */
  unknownOutside?: boolean;
  /** Extra occupied rectangles [x0, y0, x1, y1] in floor coordinates (before the origin shift). */
  blocks?: ReadonlyArray<readonly [number, number, number, number]>;
  /** Dock pose in floor coordinates; default the lobby's south-west corner, facing north. */
  dock?: { x: number; y: number; yaw: number };
}

/** Room names in three languages (distinct words, so every request matches one room). */
const ROOM_NAMES: ReadonlyArray<{ id: string; fi: string; sv: string; en: string }> = [
  { id: 'birch', fi: 'koivu', sv: 'björk', en: 'birch' },
  { id: 'spruce', fi: 'kuusi', sv: 'gran', en: 'spruce' },
  { id: 'pine', fi: 'mänty', sv: 'tall', en: 'pine' },
  { id: 'oak', fi: 'tammi', sv: 'ek', en: 'oak' },
  { id: 'maple', fi: 'vaahtera', sv: 'lönn', en: 'maple' },
  { id: 'rowan', fi: 'pihlaja', sv: 'rönn', en: 'rowan' },
  { id: 'alder', fi: 'leppä', sv: 'al', en: 'alder' },
  { id: 'aspen', fi: 'haapa', sv: 'asp', en: 'aspen' },
  { id: 'willow', fi: 'paju', sv: 'pil', en: 'willow' },
  { id: 'linden', fi: 'lehmus', sv: 'lind', en: 'linden' },
];

/** Room width along the corridor, and depth away from it, m. */
const ROOM_W = 4;
const ROOM_D = 4;
/** Wall thickness, m. */
const WALL = 0.2;
/** The lobby west of the first room, where the dock is, m. */
const DOCK_BAY = 4;
/** How far the lobby reaches beyond the corridor's sides, m. */
const LOBBY_REACH = 2;

export interface DoorFloorRoom {
  id: string;
  /** English name (what a customer asks for). */
  en: string;
  door: Required<Doorway>;
  /** The doorway's centre in the map frame. */
  doorX: number;
  doorY: number;
  /** The destination pose in the map frame. */
  pose: { x: number; y: number; yaw: number };
}

export interface DoorFloor {
  dir: string;
  rooms: DoorFloorRoom[];
  dock: { x: number; y: number; yaw: number };
  remove(): Promise<void>;
}

type Rect = readonly [number, number, number, number];

/** Writes the floor as a site folder in a fresh temp dir. */
export async function writeDoorFloor(options: DoorFloorOptions): Promise<DoorFloor> {
  const dir = await mkdtemp(join(tmpdir(), 'medhjalparen-doors-'));
  const floor = drawDoorFloor(options);
  await writeFile(join(dir, 'floor.pgm'), floor.pgm);
  await writeFile(join(dir, 'floor.yaml'), floor.mapYaml);
  await writeFile(join(dir, 'site.yaml'), floor.siteYaml);
  return {
    dir,
    rooms: floor.rooms,
    dock: floor.dock,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The floor's three files' contents, and where its rooms and dock are. */
export function drawDoorFloor(options: DoorFloorOptions): {
  pgm: Uint8Array;
  mapYaml: string;
  siteYaml: string;
  rooms: DoorFloorRoom[];
  dock: { x: number; y: number; yaw: number };
} {
  const res = options.resolution ?? 0.05;
  const cw = options.corridorWidth ?? 2.0;
  const ox = options.origin?.x ?? 0;
  const oy = options.origin?.y ?? 0;
  const n = options.doors.length;
  if (n > ROOM_NAMES.length) throw new RangeError(`at most ${ROOM_NAMES.length} rooms`);
  const perSide = Math.ceil(n / 2);
  const widthM = DOCK_BAY + perSide * ROOM_W + 2 * WALL;
  const south0 = WALL; // south rooms: y WALL..WALL+ROOM_D
  const corridorY0 = south0 + ROOM_D + WALL;
  const corridorY1 = corridorY0 + cw;
  const north1 = corridorY1 + WALL + ROOM_D;
  const heightM = north1 + WALL;

  // The lobby is wider than the corridor: the customer walks up to the robot there and has room
  // to step in behind it (a dock in a tight corridor is a different problem).
  const free: Rect[] = [
    [WALL, corridorY0, widthM - WALL, corridorY1],
    [WALL, corridorY0 - LOBBY_REACH, DOCK_BAY - WALL / 2, corridorY1 + LOBBY_REACH],
  ];
  const rooms: DoorFloorRoom[] = [];
  options.doors.forEach((d, i) => {
    const door = { width: d.width, depth: d.depth ?? WALL };
    const south = i % 2 === 0;
    const k = Math.floor(i / 2);
    const x0 = DOCK_BAY + k * ROOM_W + WALL / 2;
    const x1 = x0 + ROOM_W - WALL;
    // The doorway sits off the room's middle (west third); the desk is in the far east corner,
    // so the way in turns out of the corridor into the door and again inside the room.
    const doorX = x0 + ROOM_W / 3;
    const roomY0 = south ? south0 : corridorY1 + WALL;
    const roomY1 = south ? south0 + ROOM_D : north1;
    // A passage deeper than the wall eats into the room.
    const inner = door.depth - WALL;
    free.push(south ? [x0, roomY0, x1, roomY1 - inner] : [x0, roomY0 + inner, x1, roomY1]);
    free.push(
      south
        ? [doorX - door.width / 2, corridorY0 - door.depth, doorX + door.width / 2, corridorY0]
        : [doorX - door.width / 2, corridorY1, doorX + door.width / 2, corridorY1 + door.depth],
    );
    const name = ROOM_NAMES[i]!;
    const deskY = south ? roomY0 + 1.0 : roomY1 - 1.0;
    rooms.push({
      id: name.id,
      en: name.en,
      door,
      doorX: doorX + ox,
      doorY: (south ? corridorY0 - door.depth / 2 : corridorY1 + door.depth / 2) + oy,
      pose: { x: x1 - 1.0 + ox, y: deskY + oy, yaw: south ? -Math.PI / 2 : Math.PI / 2 },
    });
  });

  const cols = Math.round(widthM / res);
  const rowsN = Math.round(heightM / res);
  const outside = options.unknownOutside ? 205 : 0;
  const px = new Uint8Array(cols * rowsN).fill(outside);
  const paint = ([x0, y0, x1, y1]: Rect, value: number) => {
    // A cell belongs to a rectangle when its centre does.
    for (let r = 0; r < rowsN; r++) {
      const y = (r + 0.5) * res;
      if (y < y0 || y > y1) continue;
      const imageRow = rowsN - 1 - r;
      for (let c = 0; c < cols; c++) {
        const x = (c + 0.5) * res;
        if (x >= x0 && x <= x1) px[imageRow * cols + c] = value;
      }
    }
  };
  for (const rect of free) paint(rect, 254);
  for (const rect of options.blocks ?? []) paint(rect, 0);
  const pgm = encodePgm({ width: cols, height: rowsN, maxval: 255, samples: px });

  const dock = options.dock
    ? { x: options.dock.x + ox, y: options.dock.y + oy, yaw: options.dock.yaw }
    : { x: 1.0 + ox, y: corridorY0 - LOBBY_REACH + 1.0 + oy, yaw: Math.PI / 2 };
  const mapYaml =
    `image: floor.pgm\nresolution: ${res}\norigin: [${ox}, ${oy}, 0.0]\nnegate: 0\n` +
    `occupied_thresh: 0.65\nfree_thresh: 0.196\n`;
  const siteYaml = siteYamlFor(rooms, dock);
  return { pgm, mapYaml, siteYaml, rooms, dock };
}

function num(v: number): string {
  return Number(v.toFixed(4)).toString();
}

function siteYamlFor(rooms: readonly DoorFloorRoom[], dock: { x: number; y: number; yaw: number }): string {
  const lines = [
    'id: door-floor',
    'name: Rooms off a corridor',
    'map: floor.yaml',
    'timezone: Europe/Helsinki',
    `dock: { x: ${num(dock.x)}, y: ${num(dock.y)}, yaw: ${num(dock.yaw)} }`,
    'destinations:',
  ];
  rooms.forEach((room, i) => {
    const name = ROOM_NAMES[i]!;
    lines.push(
      `  - id: ${room.id}`,
      `    name: { fi: ${name.fi}huone, sv: ${name.sv}rummet, en: ${name.en} room }`,
      '    aliases:',
      `      fi: [${name.fi}]`,
      `      sv: [${name.sv}]`,
      `      en: [${name.en}]`,
      '    organisation: Test',
      `    pose: { x: ${num(room.pose.x)}, y: ${num(room.pose.y)}, yaw: ${num(room.pose.yaw)} }`,
    );
  });
  return `${lines.join('\n')}\n`;
}

/**
 * A scenario escorting a following customer from the dock into every room of `floor` in turn
 * (English requests, no pedestrians, seed 13), each expected to arrive, touching nothing.
 */
export function everyRoomScenario(floor: Pick<DoorFloor, 'dir' | 'rooms'>): Scenario {
  const customers: CustomerSpec[] = floor.rooms.map((room) => ({
    at: 0,
    ask: `${room.en} room`,
    language: 'en',
    plain: false,
    mode: 'escort',
    behaviour: { kind: 'follow' },
    expect: { outcome: 'arrived', destination: room.id },
    where: room.id,
  }));
  return {
    file: 'door-floor',
    name: 'rooms behind doors',
    description: '',
    siteDir: floor.dir,
    seed: 13,
    startEpochMs: Date.parse('2026-11-26T10:00:00+02:00'),
    robotStart: 'dock',
    pedestrians: 0,
    timeLimitS: 150 * customers.length,
    customers,
    events: [],
    expect: { collisions: 0 },
  };
}
