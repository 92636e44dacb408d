/**
 * Draws the sample floor of the Iso Omena service centre (3rd floor) as a ROS map_server map:
 * maps/iso-omena/iso-omena.pgm (P5, 0.05 m/cell) and iso-omena.yaml.
 *
 *   npx tsx scripts/generate-iso-omena.ts
 *
 * The plan is a plausible sample, not the real floor plan (the units and their names are
 * real; see shared SITE.md). It covers the robot's public floor, 98 m × 50 m; staff areas behind
 * the desks are left unknown, as a SLAM map would leave rooms the robot never entered.
 *
 * Map frame: x east, y north, metres, origin at the image's lower-left corner. The mall
 * entrance is in the south wall, the metro escalators and the lifts at the east end, the library
 * fills the west half. A main corridor (the "concourse", y 20..26) runs the whole length.
 *
 * Desk poses in maps/iso-omena/site.yaml match this plan; `medhjalparen map check maps/iso-omena`
 * verifies they are free and reachable after any edit here.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { encodePgm } from '../src/map/index.js';

const RESOLUTION = 0.05; // m/cell
const WIDTH_M = 98;
const HEIGHT_M = 50;

/** map_server trinary colours (what map_saver writes). */
const FREE = 254;
const OCCUPIED = 0;
const UNKNOWN = 205;

/** [x0, y0, x1, y1] in metres, x0 < x1, y0 < y1. */
type Rect = readonly [number, number, number, number];
/** An axis-aligned wall from one point to another, `t` metres thick. */
interface Wall {
  from: readonly [number, number];
  to: readonly [number, number];
  t?: number;
  what: string;
}

const SOLID = 0.2;
const GLASS = 0.1;
const OUTER = 0.3;

// ---------------------------------------------------------------------------------------------
// Public floor: everything the robot may see and drive on. The rest stays unknown.
const FLOOR: Array<{ rect: Rect; what: string }> = [
  { rect: [0.5, 0.5, 44, 49.5], what: 'library (west half of the floor)' },
  { rect: [44, 20, 97.5, 26], what: 'concourse, the main corridor, 6 m wide' },
  { rect: [44, 12, 52, 20], what: 'toilet lobby' },
  { rect: [52, 0.5, 68, 20], what: 'entrance hall from the mall, customer service point' },
  { rect: [68, 8.5, 78, 20], what: 'HUSLAB laboratory waiting room' },
  { rect: [78, 8.5, 86, 20], what: 'HUS imaging (X-ray) waiting room' },
  { rect: [86, 0.5, 97.5, 20], what: 'metro hall: escalators down to Matinkylä metro' },
  { rect: [44, 26, 54, 40], what: 'Kohtaamo meeting and event space' },
  { rect: [54, 26, 84, 36], what: 'service bays: Kela, employment, Ohjaamo, Espoon Asunnot' },
  { rect: [84, 26, 97.5, 44], what: 'health wing waiting hall: health station, neuvola, mental health' },
];

/** Inside the library block but staff only. */
const UNMAPPED: Array<{ rect: Rect; what: string }> = [
  { rect: [0.5, 42, 14, 49.5], what: 'library workroom' },
];

const WALLS: Wall[] = [
  // Outer walls.
  { from: [0.5, 0.5], to: [97.5, 0.5], t: OUTER, what: 'south wall (to the mall)' },
  { from: [0.5, 49.5], to: [97.5, 49.5], t: OUTER, what: 'north wall' },
  { from: [0.5, 0.5], to: [0.5, 49.5], t: OUTER, what: 'west wall' },
  { from: [97.5, 0.5], to: [97.5, 49.5], t: OUTER, what: 'east wall (lifts)' },
  // Library edges.
  { from: [44, 0.5], to: [44, 20], what: 'library / toilets' },
  { from: [44, 26], to: [44, 49.5], what: 'library / Kohtaamo' },
  { from: [0.5, 42], to: [14, 42], what: 'library workroom' },
  { from: [14, 42], to: [14, 49.5], what: 'library workroom / group rooms' },
  { from: [30, 42], to: [30, 49.5], what: 'group rooms east wall' },
  { from: [14, 42], to: [30, 42], t: GLASS, what: 'group rooms, glass front' },
  { from: [18, 42], to: [18, 49.5], t: GLASS, what: 'group room 1 / 2' },
  { from: [22, 42], to: [22, 49.5], t: GLASS, what: 'group room 2 / 3' },
  { from: [26, 42], to: [26, 49.5], t: GLASS, what: 'group room 3 / 4' },
  // South side of the concourse.
  { from: [44, 12], to: [52, 12], what: 'toilet doors' },
  { from: [52, 0.5], to: [52, 20], what: 'toilets / entrance hall' },
  { from: [68, 0.5], to: [68, 20], what: 'entrance hall / HUSLAB' },
  { from: [68, 8.5], to: [78, 8.5], what: 'HUSLAB sampling rooms (staff)' },
  { from: [68, 20], to: [78, 20], t: GLASS, what: 'HUSLAB glass front' },
  { from: [78, 0.5], to: [78, 20], what: 'HUSLAB / imaging' },
  { from: [78, 8.5], to: [86, 8.5], what: 'imaging rooms (staff)' },
  { from: [78, 20], to: [86, 20], t: GLASS, what: 'imaging glass front' },
  { from: [86, 0.5], to: [86, 20], what: 'imaging / metro hall' },
  // North side of the concourse.
  { from: [44, 26], to: [54, 26], t: GLASS, what: 'Kohtaamo glass front' },
  { from: [44, 40], to: [54, 40], what: 'Kohtaamo back wall' },
  { from: [54, 26], to: [54, 40], what: 'Kohtaamo / Kela' },
  { from: [54, 36], to: [84, 36], what: 'service bays back wall (staff offices behind)' },
  { from: [64, 26], to: [64, 36], what: 'Kela / employment' },
  { from: [72, 26], to: [72, 36], what: 'employment / Ohjaamo' },
  { from: [78, 26], to: [78, 36], what: 'Ohjaamo / Espoon Asunnot' },
  { from: [84, 26], to: [84, 44], what: 'Espoon Asunnot / health wing' },
  { from: [84, 26], to: [97.5, 26], t: GLASS, what: 'health wing glass front' },
  { from: [84, 44], to: [97.5, 44], what: 'health wing back wall (consultation rooms behind)' },
];

/** Gaps cut through walls after they are drawn: doors and open fronts. */
const OPENINGS: Array<{ rect: Rect; what: string }> = [
  { rect: [56, 0, 64, 0.8], what: 'main entrance from the mall, 8 m of glass doors (open)' },
  { rect: [43.8, 20.1, 44.2, 25.9], what: 'library entrance from the concourse' },
  { rect: [15.4, 41.9, 16.6, 42.1], what: 'group room 1 door' },
  { rect: [19.4, 41.9, 20.6, 42.1], what: 'group room 2 door' },
  { rect: [23.4, 41.9, 24.6, 42.1], what: 'group room 3 door' },
  { rect: [27.4, 41.9, 28.6, 42.1], what: 'group room 4 door' },
  { rect: [71.5, 19.9, 74.5, 20.1], what: 'HUSLAB door' },
  { rect: [80.5, 19.9, 83.5, 20.1], what: 'imaging door' },
  { rect: [47, 25.9, 51, 26.1], what: 'Kohtaamo doors' },
  { rect: [86, 25.9, 94, 26.1], what: 'health wing entrance' },
];

/** Counters, shelves, benches, escalators: everything solid that is not a wall or pillar. */
const FURNITURE: Array<{ rect: Rect; what: string }> = [
  // Desks (the robot stops about 1 m in front of each, facing it; poses in site.yaml).
  { rect: [53.2, 6, 54, 12], what: 'customer service point counter (staff behind, west)' },
  { rect: [36, 27.3, 40, 28.1], what: 'library information desk' },
  { rect: [71, 8.6, 77, 9.4], what: 'HUSLAB reception' },
  { rect: [81, 8.6, 85, 9.4], what: 'HUS imaging reception' },
  { rect: [56, 35.1, 62, 35.9], what: 'Kela counters' },
  { rect: [66, 35.1, 70, 35.9], what: 'employment services desk' },
  { rect: [73.5, 35.1, 76.5, 35.9], what: 'Ohjaamo desk' },
  { rect: [79.5, 35.1, 82.5, 35.9], what: 'Espoon Asunnot desk' },
  { rect: [86, 43.1, 90, 43.9], what: 'health station reception' },
  { rect: [92.5, 43.1, 95.5, 43.9], what: 'mental health and substance abuse services reception' },
  { rect: [96.5, 34, 97.3, 38], what: 'maternity and child health clinic (neuvola) desk' },
  // Metro hall.
  { rect: [89, 2, 95, 10], what: 'escalator well down to Matinkylä metro, glass railing' },
  // Waiting areas.
  { rect: [60, 16.5, 63.5, 17], what: 'entrance hall bench' },
  { rect: [68.6, 13.5, 71.6, 14], what: 'HUSLAB bench' },
  { rect: [68.6, 16, 71.6, 16.5], what: 'HUSLAB bench' },
  { rect: [77.2, 11, 77.7, 17], what: 'HUSLAB bench along the wall' },
  { rect: [78.3, 11, 78.8, 17], what: 'imaging bench along the wall' },
  { rect: [54.6, 28, 55.1, 33], what: 'Kela bench along the wall' },
  { rect: [87, 30, 91, 30.5], what: 'health wing bench' },
  { rect: [87, 33, 91, 33.5], what: 'health wing bench' },
  { rect: [94, 30, 95.5, 30.5], what: 'health wing bench' },
  // Kohtaamo.
  { rect: [46, 37, 52, 39.8], what: 'Kohtaamo stage' },
  { rect: [46.5, 31, 48.5, 32], what: 'Kohtaamo table' },
  { rect: [49.5, 31, 51.5, 32], what: 'Kohtaamo table' },
  // Library: children's corner and reading lounge.
  { rect: [33, 3, 35, 3.5], what: "children's corner low shelf" },
  { rect: [38, 3, 41, 3.5], what: "children's corner low shelf" },
  { rect: [33, 8, 34, 9], what: "children's corner play table" },
  { rect: [39, 7.5, 41, 9], what: "children's corner reading sofa" },
  ...grid(33, 32, 3, 3, 3.5, 4.5).map((r) => ({ rect: r, what: 'library reading table' })),
  // Library stacks: rows of shelves 0.5 m deep, 1.5 m aisles between them, cross aisles and
  // the aisle along the west wall at least 2.4 m.
  ...shelfRows(3.1, 27, 2.5, 8.5),
  ...shelfRows(3.1, 27, 11, 17),
  ...shelfRows(3.1, 27, 28, 32),
  ...shelfRows(3.1, 27, 34.5, 39),
];

/** Reading tables: `nx` × `ny` tables of 1.6 × 0.8 m from (x0, y0) every (dx, dy). */
function grid(x0: number, y0: number, nx: number, ny: number, dx: number, dy: number): Rect[] {
  const out: Rect[] = [];
  for (let i = 0; i < nx; i++) {
    for (let j = 0; j < ny; j++) out.push([x0 + i * dx, y0 + j * dy, x0 + i * dx + 1.6, y0 + j * dy + 0.8]);
  }
  return out;
}

/** Shelf rows running north-south between y0 and y1, every 2 m from x0 while they fit before x1. */
function shelfRows(x0: number, x1: number, y0: number, y1: number): Array<{ rect: Rect; what: string }> {
  const out: Array<{ rect: Rect; what: string }> = [];
  for (let x = x0; x + 0.5 <= x1; x += 2) out.push({ rect: [x, y0, x + 0.5, y1], what: 'library shelf' });
  return out;
}

/**
 * Structural pillars, 0.6 m square, on the building's 8 m grid (x = 4 + 8i, y = 7 + 8j). The
 * concourse runs along the grid line y = 23, leaving 2.7 m either side of each pillar. Pillars
 * are drawn only on mapped floor and walls: inside the unknown staff areas they are not seen.
 */
const PILLAR_SIZE = 0.6;
const PILLARS_X = Array.from({ length: 12 }, (_, i) => 4 + 8 * i);
const PILLARS_Y = Array.from({ length: 6 }, (_, j) => 7 + 8 * j);

// ---------------------------------------------------------------------------------------------

class Canvas {
  readonly width = Math.round(WIDTH_M / RESOLUTION);
  readonly height = Math.round(HEIGHT_M / RESOLUTION);
  /** Image order: row 0 is the NORTH edge (top of the PGM). */
  readonly pixels = new Uint8Array(this.width * this.height).fill(UNKNOWN);

  /** Paints every cell whose centre lies in the rect; `unless` leaves cells of that colour alone. */
  fill([x0, y0, x1, y1]: Rect, value: number, unless?: number): void {
    const c0 = Math.max(0, Math.ceil(x0 / RESOLUTION - 0.5));
    const c1 = Math.min(this.width - 1, Math.ceil(x1 / RESOLUTION - 0.5) - 1);
    const r0 = Math.max(0, Math.ceil(y0 / RESOLUTION - 0.5));
    const r1 = Math.min(this.height - 1, Math.ceil(y1 / RESOLUTION - 0.5) - 1);
    for (let row = r0; row <= r1; row++) {
      const base = (this.height - 1 - row) * this.width;
      for (let col = c0; col <= c1; col++) {
        if (unless === undefined || this.pixels[base + col] !== unless) this.pixels[base + col] = value;
      }
    }
  }

  wall(w: Wall): void {
    const h = (w.t ?? SOLID) / 2;
    const [ax, ay] = w.from;
    const [bx, by] = w.to;
    if (ax !== bx && ay !== by) throw new Error(`wall "${w.what}" is not axis-aligned`);
    this.fill(
      [Math.min(ax, bx) - h, Math.min(ay, by) - h, Math.max(ax, bx) + h, Math.max(ay, by) + h],
      OCCUPIED,
    );
  }
}

function draw(): Canvas {
  const canvas = new Canvas();
  for (const f of FLOOR) canvas.fill(f.rect, FREE);
  for (const u of UNMAPPED) canvas.fill(u.rect, UNKNOWN);
  for (const w of WALLS) canvas.wall(w);
  for (const o of OPENINGS) canvas.fill(o.rect, FREE);
  for (const f of FURNITURE) canvas.fill(f.rect, OCCUPIED);
  const h = PILLAR_SIZE / 2;
  for (const x of PILLARS_X) {
    for (const y of PILLARS_Y) canvas.fill([x - h, y - h, x + h, y + h], OCCUPIED, UNKNOWN);
  }
  // The doorway to the mall opens onto the unmapped mall: keep the map edge itself unknown.
  canvas.fill([0, 0, WIDTH_M, 0.35], UNKNOWN);
  return canvas;
}

/** The map files exactly as they are committed in maps/iso-omena (a test compares them). */
export function renderIsoOmena(): { pgm: Uint8Array; yaml: string; width: number; height: number } {
  const canvas = draw();
  const pgm = encodePgm(
    { width: canvas.width, height: canvas.height, maxval: 255, samples: canvas.pixels },
    'Iso Omena service centre, 3rd floor: a plausible sample plan (not the real one).\n' +
      'Generated by scripts/generate-iso-omena.ts; edit that, not this file.',
  );
  const yaml = [
    '# map_server map of the Iso Omena service centre floor (sample plan).',
    '# Generated by scripts/generate-iso-omena.ts; schema in docs/site-format.md.',
    'image: iso-omena.pgm',
    'mode: trinary',
    `resolution: ${RESOLUTION}`,
    'origin: [0.0, 0.0, 0.0]',
    'negate: 0',
    'occupied_thresh: 0.65',
    'free_thresh: 0.196',
    '',
  ].join('\n');
  return { pgm, yaml, width: canvas.width, height: canvas.height };
}

function main(): void {
  const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'maps', 'iso-omena');
  const { pgm, yaml, width, height } = renderIsoOmena();
  writeFileSync(join(outDir, 'iso-omena.pgm'), pgm);
  writeFileSync(join(outDir, 'iso-omena.yaml'), yaml);
  console.log(`wrote ${width}×${height} cells (${pgm.length} bytes) to ${outDir}`);
}

// Run as a script, not when a test imports renderIsoOmena.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
