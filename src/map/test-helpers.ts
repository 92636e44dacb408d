/**
 * Test fixtures for the map module (used only by *.test.ts): a small site folder on disk with a
 * known floor, so loader and checker tests can break one thing at a time.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePgm } from './pgm.js';

export const FREE_PX = 254;
export const OCCUPIED_PX = 0;
export const UNKNOWN_PX = 205;

/**
 * A 10 m × 6 m room at 0.05 m/cell (200 × 120), walls 0.1 m thick all round, and a full-height
 * wall at x 5.9..6.1 that cuts off the east part (x > 6.1): free but unreachable from the west.
 */
export function roomPgm(): Uint8Array {
  const width = 200;
  const height = 120;
  const px = new Uint8Array(width * height).fill(FREE_PX);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const border = col < 2 || row < 2 || col >= width - 2 || row >= height - 2;
      const divider = col >= 118 && col < 122;
      if (border || divider) px[row * width + col] = OCCUPIED_PX;
    }
  }
  return encodePgm({ width, height, maxval: 255, samples: px });
}

export const ROOM_MAP_YAML = `image: room.pgm
resolution: 0.05
origin: [0.0, 0.0, 0.0]
negate: 0
occupied_thresh: 0.65
free_thresh: 0.196
`;

/** A valid site on the room map: two destinations and a landmark west of the divider. */
export const ROOM_SITE_YAML = `id: test-room
name: Test room
map: room.yaml
timezone: Europe/Helsinki
dock: { x: 1.0, y: 1.0, yaw: 0.0 }
destinations:
  - id: kela
    name: { fi: Kela, sv: FPA, en: Kela }
    aliases:
      fi: [kela]
      sv: [fpa]
      en: [social insurance]
    organisation: Kela
    pose: { x: 3.0, y: 3.0, yaw: 1.57 }
    hours:
      mon: 09:00-16:00
      sat: closed
  - id: library
    name: { fi: Kirjasto, sv: Bibliotek, en: Library }
    aliases:
      fi: [kirjasto]
      sv: [bibliotek]
      en: [library, books]
    organisation: City of Espoo
    pose: { x: 5.0, y: 4.5, yaw: 0.0 }
    description: { fi: Kirjasto., sv: Bibliotek., en: Library. }
landmarks:
  - id: screen
    name: { fi: näyttö, sv: skärm, en: screen }
    position: { x: 2.0, y: 5.0 }
zones:
  - id: slow-corner
    kind: slow
    max_speed: 0.5
    polygon: [[0.5, 0.5], [2.0, 0.5], [2.0, 2.0]]
`;

export interface SiteFiles {
  'site.yaml'?: string;
  'room.yaml'?: string;
  'room.pgm'?: Uint8Array | string;
}

/** Writes a site folder in a fresh temp dir; absent keys get the valid defaults, null-ish skips. */
export async function writeSite(files: SiteFiles = {}, omit: Array<keyof SiteFiles> = []): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'medhjalparen-site-'));
  const all: Required<SiteFiles> = {
    'site.yaml': files['site.yaml'] ?? ROOM_SITE_YAML,
    'room.yaml': files['room.yaml'] ?? ROOM_MAP_YAML,
    'room.pgm': files['room.pgm'] ?? roomPgm(),
  };
  for (const [name, content] of Object.entries(all)) {
    if (!omit.includes(name as keyof SiteFiles)) await writeFile(join(dir, name), content);
  }
  return dir;
}

export async function removeSite(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** 1-based line of the first line containing `needle` (after the `nth` match), for asserting `file:line`. */
export function lineOf(text: string, needle: string, nth = 0): number {
  const lines = text.split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.includes(needle) && seen++ === nth) return i + 1;
  }
  throw new Error(`"${needle}" not found`);
}
