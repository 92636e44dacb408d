/**
 * `sim export-sdf <site-dir> -o world.sdf [--bridge bridge.yaml] [--pedestrians N] [--seed S]`:
 * the site as a Gazebo (gz-sim) world in SDFormat 1.9, with N scripted pedestrians walking seeded
 * loops, and the ros_gz_bridge mapping for the robot's topics. Each file is written whole or not
 * at all (a temporary file renamed into place).
 */
import { rename, writeFile } from 'node:fs/promises';
import { excerpt } from '../src/input/index.js';
import { loadSite } from '../src/map/index.js';
import { DEFAULT_ROBOT } from '../src/robot-description.js';
import { pedestrianTracks } from '../sim/sdf/actors.js';
import { wallBoxes } from '../sim/sdf/wall-boxes.js';
import { bridgeYaml, worldSdf } from '../sim/sdf/world-sdf.js';

export interface ExportSdfOptions {
  siteDir: string;
  out: string;
  bridge?: string;
  /** Scripted pedestrians to add as <actor>s (default 0), and the seed of their walks (default 1). */
  pedestrians?: number;
  seed?: number;
}

export async function runExportSdfCommand(options: ExportSdfOptions): Promise<number> {
  const site = await loadSite(options.siteDir);
  const boxes = wallBoxes(site.map);
  const wanted = options.pedestrians ?? 0;
  const actors = wanted > 0 ? pedestrianTracks(site, { count: wanted, seed: options.seed ?? 1 }) : [];
  const written: string[] = [];
  try {
    await writeWhole(options.out, worldSdf(site, DEFAULT_ROBOT, { boxes, actors }));
    written.push(options.out);
    if (options.bridge !== undefined) {
      await writeWhole(options.bridge, bridgeYaml());
      written.push(options.bridge);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    process.stderr.write(`medhjalparen: cannot write ${excerpt(options.bridge ?? options.out)} (${code})\n`);
    return 2;
  }
  const people = wanted > 0 ? `, ${actors.length} of ${wanted} pedestrians (seed ${options.seed ?? 1})` : '';
  process.stdout.write(
    `${site.name}: ${boxes.length} wall boxes, ${site.destinations.length} desks${people}, the robot at the dock → ${written.map((f) => excerpt(f)).join(', ')}\n`,
  );
  return 0;
}

async function writeWhole(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.part`;
  await writeFile(temp, text);
  await rename(temp, path);
}
