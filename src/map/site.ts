/**
 * Loading a site folder: `<dir>/site.yaml`, the map_server YAML it names, and that map's image.
 * One pass reads as far as it can and collects every problem (site.yaml, map YAML, image, poses
 * on the map); `loadSite` throws them together, `map check` (check.ts) prints them and goes on to
 * the footprint and reachability checks, which cost a costmap.
 */
import { dirname, join } from 'node:path';
import { IssueList } from './errors.js';
import { CELL_FREE, type GridMap } from './grid-map.js';
import { DEFAULT_INFLATION } from './inflation.js';
import { imageToGrid, readMapYaml, type MapYaml } from './map-yaml.js';
import { decodePgm } from './pgm.js';
import { pointInPolygon } from './polygon.js';
import { SiteFolder } from './site-files.js';
import { readSiteDocument, type SiteDocument } from './site-schema.js';
import type { Site, Zone } from './types.js';

export const SITE_FILE = 'site.yaml';

/** Loads and validates a site folder. Throws MapError with every problem, each at `file:line`. */
export async function loadSite(dir: string): Promise<Site> {
  const issues = new IssueList();
  const { doc, map } = await readSiteFolder(dir, issues);
  issues.throwErrors();
  return {
    id: doc!.id,
    name: doc!.name,
    timezone: doc!.timezone,
    dir,
    map: map!.grid,
    dock: doc!.dock!,
    destinations: doc!.destinations,
    landmarks: doc!.landmarks,
    zones: doc!.zones,
    elsewhere: doc!.elsewhere,
    ...(doc!.helpDesk !== undefined ? { helpDesk: doc!.helpDesk } : {}),
    ...(doc!.hours !== undefined ? { hours: doc!.hours } : {}),
  };
}

/** What one pass over a site folder got to; absent parts could not be read (see the issues). */
export interface SiteParts {
  doc?: SiteDocument;
  map?: { meta: MapYaml; grid: GridMap };
  /** The dock, when it is on a free cell of the map. */
  dock?: Spot;
  /** Destinations and landmarks on a free cell of the map (the others are reported). */
  spots: Spot[];
}

/**
 * Reads site.yaml, its map YAML and image, and checks every pose lies on a free cell of the map
 * outside no_go zones (a lookup per pose). Every problem goes to `issues`.
 */
export async function readSiteFolder(dir: string, issues: IssueList): Promise<SiteParts> {
  const file = join(dir, SITE_FILE);
  const none: SiteParts = { spots: [] };
  const text = await attempt(issues, () => new SiteFolder(dir).read(file, 'yamlFileBytes', file));
  if (text === undefined) return none;
  const doc = readSiteDocument(text.toString('utf8'), file, issues);
  if (!doc) return none;
  const map = await readMap(new SiteFolder(dir, doc.allowedFolders), doc, issues);
  if (!map) return { ...none, doc };
  const onMap = (spot: Spot): boolean => checkOnMap(spot, map.grid, doc.zones, issues);
  const dock: Spot | undefined = doc.dock && { label: 'dock', where: doc.places.dock, ...doc.dock };
  return { doc, map, dock: dock && onMap(dock) ? dock : undefined, spots: siteSpots(doc).filter(onMap) };
}

async function readMap(
  folder: SiteFolder,
  doc: SiteDocument,
  issues: IssueList,
): Promise<{ meta: MapYaml; grid: GridMap } | undefined> {
  const mapPath = await attempt(issues, () => folder.resolve(doc.map, folder.dir, 'map', doc.mapWhere));
  if (mapPath === undefined) return undefined;
  const mapText = await attempt(issues, () => folder.read(mapPath, 'yamlFileBytes', doc.mapWhere));
  if (mapText === undefined) return undefined;
  const meta = readMapYaml(mapText.toString('utf8'), mapPath, issues);
  if (!meta) return undefined;
  const imagePath = await attempt(issues, () =>
    folder.resolve(meta.image, dirname(mapPath), 'image', meta.imageWhere),
  );
  if (imagePath === undefined) return undefined;
  const bytes = await attempt(issues, () => folder.read(imagePath, 'mapImageBytes', meta.imageWhere));
  if (bytes === undefined) return undefined;
  const grid = await attempt(issues, async () => imageToGrid(decodePgm(bytes, imagePath), meta));
  if (!grid) return undefined;
  if (!grid.data.includes(CELL_FREE)) {
    issues.error(
      'IMAGE_MISMATCH',
      meta.imageWhere,
      `image: no free cell under mode ${meta.mode}, negate ${meta.negate ? 1 : 0}, free_thresh ${meta.free_thresh} ` +
        '(is negate or a threshold wrong?)',
    );
    return undefined;
  }
  return { meta, grid };
}

/** Runs `step`; a MapError (or a refused file) becomes an issue and the result undefined. */
async function attempt<T>(issues: IssueList, step: () => Promise<T>): Promise<T | undefined> {
  try {
    return await step();
  } catch (err) {
    issues.capture(err);
    return undefined;
  }
}

/** A named point of the site, with the place it is written, for checks against the map. */
export interface Spot {
  label: string;
  /** The destination's id, when the spot is a destination's pose. */
  destination?: string;
  where: string;
  x: number;
  y: number;
}

/** The destinations' poses and the landmarks' positions (the dock is separate: paths start there). */
export function siteSpots(doc: SiteDocument): Spot[] {
  return [
    ...doc.destinations.map((d, i) => ({
      label: `destination "${d.id}": pose`,
      destination: d.id,
      where: doc.places.destinations[i]!,
      x: d.pose.x,
      y: d.pose.y,
    })),
    ...doc.landmarks.map((l, i) => ({
      label: `landmark "${l.id}": position`,
      where: doc.places.landmarks[i]!,
      x: l.position.x,
      y: l.position.y,
    })),
  ];
}

/** Why a point cannot hold the robot's centre, from a lookup: its code and a sentence to follow "pose (x, y) ". */
export interface PlaceProblem {
  code: 'POSE_OUTSIDE_MAP' | 'POSE_IN_OBSTACLE';
  what: string;
}

/**
 * Whether (x, y) lies inside the map, on a cell that is neither occupied nor unknown (as the
 * costmap sees it), and outside every no_go zone: a lookup, cheap enough for every load. For any
 * reader of a pose (site.yaml, a scenario's start) to say what is wrong at its own file:line.
 */
export function placeProblem(
  map: GridMap,
  zones: readonly Zone[],
  p: { x: number; y: number },
): PlaceProblem | undefined {
  if (!map.inBounds(map.col(p.x), map.row(p.y))) {
    return { code: 'POSE_OUTSIDE_MAP', what: `is outside the map ${bounds(map)}` };
  }
  const value = map.valueAt(map.col(p.x), map.row(p.y));
  const blocked =
    value < 0
      ? 'an unknown (unmapped) cell'
      : value >= DEFAULT_INFLATION.lethal_threshold
        ? 'an occupied cell (a wall)'
        : undefined;
  if (blocked) return { code: 'POSE_IN_OBSTACLE', what: `is on ${blocked}; expected a free cell` };
  const zone = zones.find((z) => z.kind === 'no_go' && pointInPolygon(z.polygon, p.x, p.y));
  if (zone)
    return { code: 'POSE_IN_OBSTACLE', what: `is inside the no_go zone "${zone.id}"; expected a free cell` };
  return undefined;
}

/** placeProblem for a spot of the site; reports and returns false if there is one. */
function checkOnMap(spot: Spot, map: GridMap, zones: readonly Zone[], issues: IssueList): boolean {
  const problem = placeProblem(map, zones, spot);
  if (problem) issues.error(problem.code, spot.where, `${spot.label} ${xy(spot)} ${problem.what}`);
  return problem === undefined;
}

export function xy(p: { x: number; y: number }): string {
  return `(${p.x.toFixed(2)}, ${p.y.toFixed(2)})`;
}

export function bounds(map: GridMap): string {
  const x1 = map.originX + map.widthM;
  const y1 = map.originY + map.heightM;
  return `x ${map.originX.toFixed(2)}..${x1.toFixed(2)}, y ${map.originY.toFixed(2)}..${y1.toFixed(2)} m`;
}
