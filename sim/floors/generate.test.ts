import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSite, loadSite, type Site } from '../../src/map/index.js';
import { generateFloor, writeFloors } from './generate.js';
import { FLOOR_KINDS } from './plan.js';
import { DOOR_MAX_M, DOOR_MIN_M } from './rooms.js';

const COUNT = 24;
let dir: string;
let dirs: string[];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'floors-'));
  dirs = await writeFloors(dir, COUNT, 7);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('generated floors', () => {
  it('are the same bytes for the same seed and index, and differ between indices and seeds', () => {
    const a = generateFloor(7, 3).files;
    const b = generateFloor(7, 3).files;
    expect(Buffer.from(a['floor.pgm']).equals(Buffer.from(b['floor.pgm']))).toBe(true);
    expect(a['site.yaml']).toBe(b['site.yaml']);
    expect(generateFloor(7, 4).files['site.yaml']).not.toBe(a['site.yaml']);
    expect(generateFloor(8, 3).files['site.yaml']).not.toBe(a['site.yaml']);
  });

  it('each pass map check: files, poses clear for the footprint and reachable from the dock, terms', async () => {
    for (const d of dirs) {
      const errors = (await checkSite(d)).filter((i) => i.severity === 'error');
      expect(errors, d).toEqual([]);
    }
  });

  it('vary as the issue asks: kinds, resolutions 0.025–0.1 m, rotations, origins, 20–40 m across', async () => {
    const floors = Array.from({ length: COUNT }, (_, i) => generateFloor(7, i));
    expect(new Set(floors.map((f) => f.kind))).toEqual(new Set(FLOOR_KINDS));
    const res = floors.map((f) => f.placement.resolution);
    expect(Math.min(...res)).toBeGreaterThanOrEqual(0.025);
    expect(Math.max(...res)).toBeLessThanOrEqual(0.1);
    expect(new Set(res).size).toBeGreaterThanOrEqual(3);
    const quarter = (r: number) => Math.abs(r / (Math.PI / 2) - Math.round(r / (Math.PI / 2))) < 1e-9;
    expect(floors.some((f) => !quarter(f.placement.rotation))).toBe(true);
    expect(new Set(floors.map((f) => Math.round(f.placement.rotation * 100))).size).toBeGreaterThan(3);
    expect(new Set(floors.map((f) => f.placement.originX)).size).toBe(COUNT);
    for (const f of floors) {
      const across = Math.max(f.plan.length, f.plan.width);
      expect(across, f.id).toBeGreaterThanOrEqual(15);
      expect(across, f.id).toBeLessThanOrEqual(40);
    }
    // Some corridors are narrow by the dock, as on the floor the issue tells of.
    expect(floors.some((f) => f.plan.notes.some((n) => n.includes('narrowed')))).toBe(true);
  });

  it('cut doors 1.2–2.0 m wide and put destinations both in rooms and in halls', () => {
    const floors = Array.from({ length: COUNT }, (_, i) => generateFloor(7, i));
    const widths = floors.flatMap((f) => f.plan.doors.map((d) => Math.max(d[2] - d[0], d[3] - d[1])));
    expect(Math.min(...widths)).toBeGreaterThanOrEqual(DOOR_MIN_M);
    expect(Math.max(...widths)).toBeLessThanOrEqual(DOOR_MAX_M);
    const wheres = floors.flatMap((f) => f.plan.destinations.map((d) => d.where));
    expect(wheres.some((w) => w.startsWith('room'))).toBe(true);
    expect(wheres.some((w) => w.startsWith('hall'))).toBe(true);
  });

  it('name every destination in Finnish, Swedish and English, with services and opening hours', async () => {
    const sites: Site[] = await Promise.all(dirs.slice(0, 6).map((d) => loadSite(d)));
    for (const site of sites) {
      expect(site.destinations.length).toBeGreaterThanOrEqual(3);
      for (const d of site.destinations) {
        for (const lang of ['fi', 'sv', 'en'] as const) {
          expect(d.name[lang].length, `${site.id}/${d.id} ${lang}`).toBeGreaterThan(0);
          expect(d.aliases[lang].length).toBeGreaterThan(0);
          expect(d.description?.[lang]).toBeTruthy();
        }
      }
    }
    const all = sites.flatMap((s) => s.destinations);
    expect(all.some((d) => d.services.length > 0)).toBe(true);
    expect(all.some((d) => d.hours !== undefined)).toBe(true);
    expect(all.some((d) => d.hours === undefined)).toBe(true);
  });

  it('writes the map as map_server reads it: an origin anywhere, yaw 0', async () => {
    const yaml = await readFile(path.join(dirs[0]!, 'floor.yaml'), 'utf8');
    expect(yaml).toMatch(/^origin: \[-?\d+(\.\d+)?, -?\d+(\.\d+)?, 0\.0\]$/m);
    expect(yaml).toMatch(/^image: floor\.pgm$/m);
  });
});
