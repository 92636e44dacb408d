/**
 * ROS map_server maps: the YAML that describes an occupancy image, and the conversion of that
 * image into a GridMap exactly as nav2_map_server's map_io does it, so a map drawn for a ROS
 * robot means the same here.
 */
import { dirname, isAbsolute, join } from 'node:path';
import { LIMITS } from '../input/index.js';
import { CELL_FREE, CELL_OCCUPIED, CELL_UNKNOWN, GridMap } from './grid-map.js';
import { IssueList } from './errors.js';
import { decodePgm, type PgmImage } from './pgm.js';
import { SiteFolder } from './site-files.js';
import { FieldReader, choices, parseYaml, type NumberRule } from './yaml-fields.js';

export const MAP_MODES = ['trinary', 'scale', 'raw'] as const;
export type MapMode = (typeof MAP_MODES)[number];

/** The fields of a map_server YAML, validated. */
export interface MapYaml {
  /** The `image` field as written. */
  image: string;
  /**
   * The image's path: relative to the YAML's folder unless absolute (as map_server does). A
   * site reads it only when it lies inside the site (SiteFolder).
   */
  imagePath: string;
  /** m/cell, within LIMITS.mapResolutionMin..mapResolutionMax */
  resolution: number;
  /** Pose of the image's lower-left pixel in the map frame: x m, y m (within ±LIMITS.mapCoordinateM), yaw 0. */
  origin: [number, number, number];
  /** When true, white is occupied and black is free. */
  negate: boolean;
  /** Occupancy probability above which a cell is occupied, 0..1. */
  occupied_thresh: number;
  /** Occupancy probability below which a cell is free, 0..1. */
  free_thresh: number;
  /** Default 'trinary'. */
  mode: MapMode;
  /** The YAML file itself. */
  file: string;
  /** `file:line` of the `image` field, for complaints about the image. */
  imageWhere: string;
}

/** The finest and coarsest cell a map may have (docs/limits.md); checked before any allocation. */
const RESOLUTION: NumberRule = {
  min: LIMITS.mapResolutionMin.value,
  max: LIMITS.mapResolutionMax.value,
  limit: { names: 'mapResolutionMin..mapResolutionMax', unit: 'm/cell' },
};

/** How far from 0 a coordinate in the map frame may be (docs/limits.md). */
export const COORDINATE: NumberRule = {
  min: -LIMITS.mapCoordinateM.value,
  max: LIMITS.mapCoordinateM.value,
  limit: { names: 'mapCoordinateM', unit: 'm' },
};

const REQUIRED = ['image', 'resolution', 'origin', 'negate', 'occupied_thresh', 'free_thresh'] as const;
const OPTIONAL = ['mode'] as const;

/**
 * Validates map YAML text, collecting every problem in `issues`; undefined when any field is
 * unusable. `file` names the YAML in messages and anchors a relative image path.
 */
export function readMapYaml(text: string, file: string, issues: IssueList): MapYaml | undefined {
  const before = issues.errorCount;
  const src = parseYaml(text, file, issues);
  if (!src) return undefined;
  const r = new FieldReader(src, issues);
  const f = r.object(r.root, '', { required: REQUIRED, optional: OPTIONAL });
  if (!f) return undefined;

  const image = r.string(f, 'image', { nonEmpty: true });
  const imageWhere = r.whereEntry(f.get('image'), f.where);
  if (image !== undefined && !/\.pgm$/i.test(image)) {
    issues.error(
      'IMAGE_FORMAT',
      imageWhere,
      `image: expected a .pgm file (PGM P5 or P2 is what this loader reads), found "${image}"`,
    );
  }
  const resolution = r.number(f, 'resolution', RESOLUTION);
  const origin = readOrigin(r, f.get('origin')?.value ?? null, f.where, issues);
  const negate = r.boolOrInt(f, 'negate');
  const occupied = r.number(f, 'occupied_thresh', { min: 0, max: 1 });
  const free = r.number(f, 'free_thresh', { min: 0, max: 1 });
  if (occupied !== undefined && free !== undefined && !(free < occupied)) {
    issues.error(
      'FIELD_VALUE',
      r.whereEntry(f.get('free_thresh'), f.where),
      `free_thresh: expected less than occupied_thresh (${occupied}), found ${free}`,
    );
  }
  let mode: MapMode | undefined = 'trinary';
  if (f.has('mode')) {
    const m = r.string(f, 'mode');
    mode = MAP_MODES.find((x) => x === m);
    if (m !== undefined && mode === undefined) {
      r.valueError(r.whereEntry(f.get('mode'), f.where), 'mode', `one of ${choices(MAP_MODES)}`, `"${m}"`);
    }
  }
  if (issues.errorCount > before) return undefined;
  return {
    image: image!,
    imagePath: isAbsolute(image!) ? image! : join(dirname(file), image!),
    resolution: resolution!,
    origin: origin!,
    negate: negate!,
    occupied_thresh: occupied!,
    free_thresh: free!,
    mode: mode!,
    file,
    imageWhere,
  };
}

function readOrigin(
  r: FieldReader,
  node: Parameters<FieldReader['listAt']>[0],
  mapWhere: string,
  issues: IssueList,
): [number, number, number] | undefined {
  if (node === null) return undefined;
  const items = r.listAt(node, 'origin', mapWhere);
  if (!items) return undefined;
  const where = r.where(node);
  if (items.length !== 3) {
    return r.valueError(where, 'origin', '3 numbers [x, y, yaw]', `${items.length} items`);
  }
  const xs = items.map((item, i) => r.numberAt(item, `origin[${i}]`, i < 2 ? COORDINATE : {}, where));
  if (xs.some((x) => x === undefined)) return undefined;
  const [x, y, yaw] = xs as [number, number, number];
  // GridMap and the costmap are axis-aligned (Nav2's costmap ignores the yaw too); accepting a
  // rotated image would silently put every desk in the wrong place.
  if (yaw !== 0) {
    issues.error(
      'ORIGIN_YAW_UNSUPPORTED',
      where,
      `origin[2]: expected yaw 0 (rotated map images are not supported; rotate the image instead), found ${yaw}`,
    );
    return undefined;
  }
  return [x, y, yaw];
}

/** Parses map YAML text; throws its problems as one MapError (the first as its code). */
export function parseMapYaml(text: string, file: string): MapYaml {
  const issues = new IssueList();
  const meta = readMapYaml(text, file, issues);
  issues.throwErrors();
  return meta!;
}

/**
 * Reads and parses a map YAML. `referencedAt` is where it was named (e.g. `site.yaml:3`), used if
 * it cannot be read; `folder` is the site it belongs to (default: the YAML's own folder).
 */
export async function loadMapYaml(
  file: string,
  referencedAt = file,
  folder = new SiteFolder(dirname(file)),
): Promise<MapYaml> {
  return parseMapYaml((await folder.read(file, 'yamlFileBytes', referencedAt)).toString('utf8'), file);
}

/** map_server's rint: round half to even. */
function rint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The cell value one sample gives, as nav2_map_server's loadMapFromFile computes it: shade is
 * the sample's brightness 0..1, occupancy is 1 − shade (or shade when negated), then thresholds
 * per mode. PGM has no alpha, so every pixel counts as opaque.
 */
export function sampleToCell(
  sample: number,
  maxval: number,
  meta: Pick<MapYaml, 'negate' | 'mode' | 'occupied_thresh' | 'free_thresh'>,
): number {
  const shade = sample / maxval;
  if (meta.mode === 'raw') {
    // Nav2's raw mode reads the shade as the value itself and ignores negate.
    const value = Math.round(shade * 255);
    return value >= CELL_FREE && value <= CELL_OCCUPIED ? value : CELL_UNKNOWN;
  }
  const occ = meta.negate ? shade : 1 - shade;
  if (meta.occupied_thresh < occ) return CELL_OCCUPIED;
  if (occ < meta.free_thresh) return CELL_FREE;
  if (meta.mode === 'trinary') return CELL_UNKNOWN;
  return rint(((occ - meta.free_thresh) / (meta.occupied_thresh - meta.free_thresh)) * 100);
}

/** The occupancy grid of an image: the image's top row becomes the grid's last row. */
export function imageToGrid(image: PgmImage, meta: MapYaml): GridMap {
  const lut = new Int8Array(image.maxval + 1);
  for (let v = 0; v <= image.maxval; v++) lut[v] = sampleToCell(v, image.maxval, meta);
  const { width, height, samples } = image;
  const data = new Int8Array(width * height);
  for (let y = 0; y < height; y++) {
    const src = y * width;
    const dst = (height - 1 - y) * width;
    for (let x = 0; x < width; x++) data[dst + x] = lut[samples[src + x]!]!;
  }
  return new GridMap(width, height, meta.resolution, meta.origin[0], meta.origin[1], data);
}

export interface LoadedMap {
  meta: MapYaml;
  image: PgmImage;
  grid: GridMap;
}

/**
 * Loads a map_server YAML and its image, which must lie in `folder` (default: the YAML's own
 * folder). Throws MapError (file and line, or file and byte).
 */
export async function loadMap(
  yamlFile: string,
  referencedAt = yamlFile,
  folder = new SiteFolder(dirname(yamlFile)),
): Promise<LoadedMap> {
  const meta = await loadMapYaml(yamlFile, referencedAt, folder);
  const imagePath = await folder.resolve(meta.image, dirname(meta.file), 'image', meta.imageWhere);
  const bytes = await folder.read(imagePath, 'mapImageBytes', meta.imageWhere);
  const image = decodePgm(bytes, imagePath);
  return { meta, image, grid: imageToGrid(image, meta) };
}
