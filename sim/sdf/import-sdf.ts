/**
 * Reading an SDFormat world into a map: the file (bounded by sdfBytes before it is read), its
 * static solids (sdf-scene.ts, meshes read from files next to the SDF), their slice at the lidar's
 * height (slice.ts), and the free spot with the most room for the dock. Nothing here writes.
 */
import path from 'node:path';
import { InputError, excerpt, readInputFileSync, resolveInside } from '../../src/input/index.js';
import { CELL_FREE, CELL_OCCUPIED, GridMap, distanceTransform } from '../../src/map/index.js';
import { DEFAULT_ROBOT, type RobotDescription } from '../../src/robot-description.js';
import { MapRayCaster } from '../lidar.js';
import { SdfImportError } from './import-errors.js';
import { meshBounds, type Bounds3 } from './mesh-bounds.js';
import { readSdfScene, type SdfScene } from './sdf-scene.js';
import { parseXml } from './sdf-xml.js';
import { sliceSolids, type SliceResult } from './slice.js';

export interface ImportSdfOptions {
  /** The SDF file as the user named it. */
  file: string;
  /** m/cell of the map. Default 0.05. */
  resolution?: number;
  /** Free space kept round the geometry, m. Default 1. */
  marginM?: number;
  /** Whose lidar height the world is sliced at. Default DEFAULT_ROBOT. */
  robot?: RobotDescription;
}

export interface ImportedWorld {
  scene: SdfScene;
  slice: SliceResult;
  map: GridMap;
  sliceZ: number;
  /** The free cell with the most room round it (yaw 0), and that room, m. */
  dock: { x: number; y: number; yaw: number; clearanceM: number };
}

export function importSdf(options: ImportSdfOptions): ImportedWorld {
  const robot = options.robot ?? DEFAULT_ROBOT;
  const file = options.file;
  const bytes = readSdfBytes(file);
  const root = parseXml(bytes.toString('utf8'), file);
  const sdfDir = path.dirname(path.resolve(file));
  const scene = readSdfScene(root, { file, meshBounds: (uri, at) => readMeshBounds(uri, sdfDir, at) });
  if (scene.solids.length === 0) {
    const why =
      scene.staticModels.length === 0 ? 'no static model' : 'no collision of a static model could be read';
    throw new SdfImportError(
      'NO_GEOMETRY',
      file,
      `${why}: nothing to put on a map (${scene.movingModels.length} non-static models are not walls; ${scene.skipped.length} items skipped)`,
    );
  }
  const sliceZ = robot.lidar.height;
  const slice = sliceSolids(scene.solids, sliceZ, options.resolution ?? 0.05, options.marginM ?? 1, file);
  const map = gridMapOf(slice);
  return { scene, slice, map, sliceZ, dock: roomiestSpot(map, file) };
}

/** The SDF's bytes, refused by size (sdfBytes) or kind before anything is read. */
function readSdfBytes(file: string): Buffer {
  try {
    return readInputFileSync(file, { limit: 'sdfBytes' });
  } catch (e) {
    if (e instanceof InputError)
      throw new SdfImportError(
        e.code === 'TOO_LARGE' ? 'TOO_LARGE' : 'NOT_XML',
        e.where,
        e.message.slice(e.where.length + 2),
      );
    throw e;
  }
}

/**
 * A mesh's bounds from a file inside the SDF's folder: a relative path, file://, or model://name/…
 * looked for as name/… beside the SDF. Anything else is a reason to skip it (nothing is downloaded).
 */
function readMeshBounds(uri: string, sdfDir: string, at: string): Bounds3 | string {
  let relative: string;
  if (uri.startsWith('model://')) relative = uri.slice('model://'.length);
  else if (uri.startsWith('file://')) relative = uri.slice('file://'.length);
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri))
    return 'a remote mesh is not downloaded; save it next to the SDF and name it by a relative path';
  else relative = uri;
  if (relative === '') return 'the mesh has no <uri>';
  try {
    const file = resolveInside(sdfDir, relative, at);
    return meshBounds(readInputFileSync(file, { limit: 'meshFileBytes', where: at }), file);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const hint = uri.startsWith('model://')
      ? ` (model:// is looked for as ${excerpt(relative)} in the SDF's folder)`
      : '';
    return `${e.message.slice(e.where.length + 2)}${hint}`;
  }
}

function gridMapOf(slice: SliceResult): GridMap {
  const g = slice.grid;
  const data = new Int8Array(g.width * g.height);
  for (let i = 0; i < data.length; i++) data[i] = g.occupied[i] ? CELL_OCCUPIED : CELL_FREE;
  return new GridMap(g.width, g.height, g.resolution, g.originX, g.originY, data);
}

/** The free cell centre farthest from every wall and from the map's edge (the first such, row-major). */
function roomiestSpot(map: GridMap, file: string): ImportedWorld['dock'] {
  const caster = new MapRayCaster(map, distanceTransform(map));
  let best = { x: 0, y: 0, yaw: 0, clearanceM: -1 };
  for (let row = 0; row < map.height; row++) {
    for (let col = 0; col < map.width; col++) {
      if (map.data[row * map.width + col] !== CELL_FREE) continue;
      const x = map.originX + (col + 0.5) * map.resolution;
      const y = map.originY + (row + 0.5) * map.resolution;
      const room = caster.freeDistanceAt(x, y);
      if (room > best.clearanceM) best = { x, y, yaw: 0, clearanceM: room };
    }
  }
  if (best.clearanceM < 0)
    throw new SdfImportError(
      'NO_GEOMETRY',
      file,
      'every cell of the slice is occupied: no free spot for the dock',
    );
  return best;
}
