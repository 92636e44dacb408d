/**
 * `sim import-sdf world.sdf -o maps/<site>/ [--resolution 0.05] [--name ID] [--force]`: an
 * SDFormat world's static collisions, cut at the lidar's height, as a site folder (map image, map
 * YAML, site.yaml with the dock and no destinations). Bad input is one clear error naming the file,
 * line and element, exit status 2, and nothing written: the folder appears whole or not at all.
 */
import path from 'node:path';
import { InputError, LIMITS, excerpt } from '../src/input/index.js';
import { SdfImportError } from '../sim/sdf/import-errors.js';
import { importSdf, type ImportedWorld } from '../sim/sdf/import-sdf.js';
import { importedSiteFiles } from '../sim/sdf/imported-site.js';
import { folderState, writeFolderWhole } from './write-folder.js';

export interface ImportSdfCommandOptions {
  sdf: string;
  out: string;
  /** m/cell; default 0.05. */
  resolution?: number;
  /** The site's id; default from the output folder's name. */
  name?: string;
  /** Replace an output folder that has files in it. */
  force?: boolean;
}

/** As the site format's ids (src/map/site-schema.ts ID_PATTERN): lower-case kebab-case. */
const SITE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Skipped items listed one a line; the rest are counted. */
const SKIPPED_LISTED = 20;

export async function runImportSdfCommand(options: ImportSdfCommandOptions): Promise<number> {
  try {
    const id = siteId(options);
    const resolution = checkedResolution(options.resolution ?? 0.05);
    await refuseFullFolder(options.out, options.force ?? false);
    const world = importSdf({ file: options.sdf, resolution });
    const files = importedSiteFiles({
      id,
      source: path.basename(options.sdf),
      map: world.map,
      dock: world.dock,
    });
    await writeFolderWhole(options.out, files, options.force ?? false).catch((e: unknown) => {
      throw new SdfImportError(
        'OUTPUT',
        options.out,
        `cannot write the site folder: ${excerpt(describe(e), 200)}`,
      );
    });
    process.stdout.write(report(options, world, Object.keys(files)));
    return 0;
  } catch (e) {
    if (!(e instanceof SdfImportError) && !(e instanceof InputError)) throw e;
    for (const line of e.message.split('\n')) process.stderr.write(`medhjalparen: ${excerpt(line, 400)}\n`);
    return 2;
  }
}

function siteId(options: ImportSdfCommandOptions): string {
  if (options.name !== undefined) {
    if (!SITE_ID.test(options.name) || options.name.length > LIMITS.nameChars.value)
      throw new SdfImportError(
        'OUTPUT',
        '--name',
        `expected a lower-case kebab-case id like "my-floor", found "${excerpt(options.name)}"`,
      );
    return options.name;
  }
  const fromFolder = path
    .basename(path.resolve(options.out))
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return fromFolder === '' ? 'imported' : fromFolder;
}

function checkedResolution(resolution: number): number {
  const min = LIMITS.mapResolutionMin.value;
  const max = LIMITS.mapResolutionMax.value;
  if (Number.isFinite(resolution) && resolution >= min && resolution <= max) return resolution;
  throw new SdfImportError(
    'BAD_VALUE',
    '--resolution',
    `expected a number of metres per cell ${min}..${max} (docs/limits.md), found ${resolution}`,
  );
}

async function refuseFullFolder(out: string, force: boolean): Promise<void> {
  const state = await folderState(out).catch((e: unknown) => {
    throw new SdfImportError('OUTPUT', out, `cannot look at the output folder: ${excerpt(describe(e), 200)}`);
  });
  if (state === 'not-a-folder')
    throw new SdfImportError('OUTPUT', out, 'exists and is not a folder; expected a new or empty folder');
  if (state === 'full' && !force)
    throw new SdfImportError(
      'OUTPUT',
      out,
      'exists and is not empty; choose a new folder, or give --force to replace it',
    );
}

function report(options: ImportSdfCommandOptions, world: ImportedWorld, files: readonly string[]): string {
  const { scene, slice, map, dock } = world;
  const solids = scene.solids;
  const count = (kind: string, mesh = false) =>
    solids.filter((s) => s.kind === kind && (s.kind !== 'box' || (s.fromMesh ?? false) === mesh)).length;
  const lines = [
    `${excerpt(options.sdf)}: SDFormat ${scene.version}, world "${excerpt(scene.worldName)}"`,
    `  ${scene.staticModels.length} static models: ${listed(scene.staticModels.map(modelName))}`,
    `  ${scene.movingModels.length} non-static models left out (they move, so they are not walls)${scene.movingModels.length ? `: ${listed(scene.movingModels.map(modelName))}` : ''}`,
    `  ${solids.length} solids: ${count('box')} boxes, ${count('cylinder')} cylinders, ${count('sphere')} spheres, ${count('box', true)} meshes as their bounding boxes; ${slice.cut.length} cross the lidar height ${world.sliceZ} m`,
    ...skippedLines(scene.skipped),
    `  map: ${map.width} × ${map.height} cells at ${map.resolution} m (origin ${map.originX.toFixed(3)}, ${map.originY.toFixed(3)}); dock at (${dock.x.toFixed(2)}, ${dock.y.toFixed(2)}) with ${dock.clearanceM.toFixed(2)} m of room`,
    `→ ${excerpt(options.out)}: ${files.join(', ')}; no destinations yet (the site format needs at least one)`,
    `next: add destinations to ${excerpt(path.join(options.out, 'site.yaml'))}, then run: medhjalparen map check ${excerpt(options.out)}`,
    '',
  ];
  return lines.join('\n');
}

function skippedLines(skipped: readonly string[]): string[] {
  if (skipped.length === 0) return ['  nothing skipped'];
  const shown = skipped.slice(0, SKIPPED_LISTED).map((s) => `  skipped: ${excerpt(s, 300)}`);
  if (skipped.length > SKIPPED_LISTED) shown.push(`  … and ${skipped.length - SKIPPED_LISTED} more skipped`);
  return shown;
}

function modelName(elementPath: string): string {
  return elementPath.replace(/^world\//, '');
}

function listed(names: readonly string[]): string {
  const shown = names.slice(0, 8).map((n) => excerpt(n, 60));
  return names.length > 8 ? `${shown.join(', ')}, … (${names.length - 8} more)` : shown.join(', ');
}

function describe(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? String(e);
}
