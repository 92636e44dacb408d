/**
 * `sim export-sdf <site-dir> -o world.sdf [--bridge bridge.yaml]`: the site as a Gazebo (gz-sim)
 * world in SDFormat 1.9, and the ros_gz_bridge mapping for the robot's topics. Each file is
 * written whole or not at all (a temporary file renamed into place).
 */
import { rename, writeFile } from 'node:fs/promises';
import { excerpt } from '../src/input/index.js';
import { loadSite } from '../src/map/index.js';
import { DEFAULT_ROBOT } from '../src/robot-description.js';
import { wallBoxes } from '../sim/sdf/wall-boxes.js';
import { bridgeYaml, worldSdf } from '../sim/sdf/world-sdf.js';

export interface ExportSdfOptions {
  siteDir: string;
  out: string;
  bridge?: string;
}

export async function runExportSdfCommand(options: ExportSdfOptions): Promise<number> {
  const site = await loadSite(options.siteDir);
  const boxes = wallBoxes(site.map);
  const written: string[] = [];
  try {
    await writeWhole(options.out, worldSdf(site, DEFAULT_ROBOT, { boxes }));
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
  process.stdout.write(
    `${site.name}: ${boxes.length} wall boxes, ${site.destinations.length} desks, the robot at the dock → ${written.map((f) => excerpt(f)).join(', ')}\n`,
  );
  return 0;
}

async function writeWhole(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.part`;
  await writeFile(temp, text);
  await rename(temp, path);
}
