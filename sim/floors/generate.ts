/**
 * Plausible service-centre floors nobody tuned the robot for: a kind of floor (corridor, corridor
 * and hall, hall), its plan, a resolution (0.025–0.1 m), a building rotation in the grid and a map
 * origin, all from a seed; the same seed and index give the same files byte for byte.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Rng } from '../rng.js';
import { layoutFloor } from './layout.js';
import { FLOOR_KINDS, round3, type FloorKind, type FloorPlan } from './plan.js';
import { rasterize, type Placement } from './raster.js';
import { siteFiles, type SiteFiles } from './site-files.js';

export interface GeneratedFloor {
  id: string;
  kind: FloorKind;
  placement: Placement;
  plan: FloorPlan;
  files: SiteFiles;
}

const RESOLUTIONS = [0.025, 0.04, 0.05, 0.075, 0.1] as const;
/** A floor wider than this is drawn at 0.05 m or coarser (a 0.025 m grid of it costs too much to simulate fast). */
const FINE_GRID_MAX_M = 26;

/** Floor `index` of the set generated from `seed`; its kind cycles so every set has all kinds. */
export function generateFloor(seed: number, index: number): GeneratedFloor {
  const rng = new Rng(`floors/${seed}/${index}`);
  const kind = FLOOR_KINDS[index % FLOOR_KINDS.length]!;
  const plan = layoutFloor(rng.fork('layout'), kind);
  const placement = placeFloor(rng.fork('placement'), plan);
  const raster = rasterize(plan, placement);
  const id = `floor-${seed}-${String(index).padStart(2, '0')}`;
  return { id, kind, placement, plan, files: siteFiles(id, plan, placement, raster) };
}

/** Resolution, rotation (a quarter turn or any angle) and origin of the map. */
function placeFloor(rng: Rng, plan: FloorPlan): Placement {
  const big = Math.max(plan.length, plan.width) > FINE_GRID_MAX_M;
  const choices = big ? RESOLUTIONS.filter((r) => r >= 0.05) : RESOLUTIONS;
  const resolution = choices[rng.int(choices.length)]!;
  const rotation = rng.chance(0.4) ? round3(rng.uniform(-Math.PI, Math.PI)) : (rng.int(4) * Math.PI) / 2;
  return {
    resolution,
    rotation,
    originX: round3(rng.uniform(-60, 40)),
    originY: round3(rng.uniform(-60, 40)),
  };
}

/** Writes `count` floors from `seed` under `outDir`, one site folder each; returns their folders. */
export async function writeFloors(outDir: string, count: number, seed: number): Promise<string[]> {
  const dirs: string[] = [];
  for (let i = 0; i < count; i++) {
    const floor = generateFloor(seed, i);
    const dir = path.join(outDir, floor.id);
    await mkdir(dir, { recursive: true });
    for (const [name, content] of Object.entries(floor.files)) await writeFile(path.join(dir, name), content);
    dirs.push(dir);
  }
  return dirs;
}
