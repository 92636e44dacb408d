/**
 * `medhjalparen map check <site-dir>`: validates a whole site folder and reports every problem,
 * each with its file and line (or field path): files present, the map decodes, every pose inside
 * the map, clear of walls for the robot's footprint and reachable from the dock, names and
 * aliases in all three languages, unique ids, well-formed hours and zones.
 */
import { join } from 'node:path';
import { COST_INSCRIBED, type Costmap } from './costmap.js';
import { IssueList, type SiteIssue } from './errors.js';
import { CELL_FREE, type GridMap } from './grid-map.js';
import { DEFAULT_INFLATION, inflate, type InflationParams } from './inflation.js';
import { imageToGrid, readFileBytes, readMapYaml } from './map-yaml.js';
import { decodePgm } from './pgm.js';
import { readSiteDocument, type SiteDocument } from './site-schema.js';
import { SITE_FILE } from './site.js';
import { LANGUAGES } from './types.js';

export interface CheckOptions {
  /** Footprint and inflation used for "in free space"; default DEFAULT_INFLATION. */
  inflation?: InflationParams;
}

/** What a check found: the issues, and what was loaded (for a summary line). */
export interface SiteReport {
  issues: SiteIssue[];
  site?: SiteDocument;
  map?: GridMap;
}

/** Collects every problem of a site folder; an empty list means the site is good to run. */
export async function checkSite(dir: string, options: CheckOptions = {}): Promise<SiteIssue[]> {
  return (await inspectSite(dir, options)).issues;
}

export async function inspectSite(dir: string, options: CheckOptions = {}): Promise<SiteReport> {
  const issues = new IssueList();
  const file = join(dir, SITE_FILE);
  const text = await readText(file, file, issues);
  if (text === undefined) return { issues: issues.issues };
  const site = readSiteDocument(text, file, issues);
  if (!site) return { issues: issues.issues };
  checkAliases(site, issues);

  const map = await loadGrid(site, issues);
  if (map) {
    const params = options.inflation ?? DEFAULT_INFLATION;
    checkGeometry(site, map, params, issues);
  }
  return { issues: issues.issues, site, map };
}

async function readText(path: string, where: string, issues: IssueList): Promise<string | undefined> {
  try {
    return (await readFileBytes(path, where)).toString('utf8');
  } catch (err) {
    issues.capture(err);
    return undefined;
  }
}

async function loadGrid(site: SiteDocument, issues: IssueList): Promise<GridMap | undefined> {
  const mapText = await readText(site.mapPath, site.mapWhere, issues);
  if (mapText === undefined) return undefined;
  const meta = readMapYaml(mapText, site.mapPath, issues);
  if (!meta) return undefined;
  let bytes: Buffer;
  try {
    bytes = await readFileBytes(meta.imagePath, meta.imageWhere);
  } catch (err) {
    issues.capture(err);
    return undefined;
  }
  try {
    const grid = imageToGrid(decodePgm(bytes, meta.imagePath), meta);
    if (!grid.data.includes(CELL_FREE)) {
      issues.error(
        'IMAGE_MISMATCH',
        meta.imageWhere,
        `image: no free cell under mode ${meta.mode}, negate ${meta.negate ? 1 : 0}, free_thresh ${meta.free_thresh} ` +
          '(is negate or a threshold wrong?)',
      );
      return undefined;
    }
    return grid;
  } catch (err) {
    issues.capture(err);
    return undefined;
  }
}

/** Two destinations answering to the same word would make the guide pick one at random. */
function checkAliases(site: SiteDocument, issues: IssueList): void {
  for (const lang of LANGUAGES) {
    const owner = new Map<string, string>();
    site.destinations.forEach((d, i) => {
      const words = new Set([d.name[lang], ...d.aliases[lang]].map(normalizeWord));
      for (const word of words) {
        const other = owner.get(word);
        if (other && other !== d.id) {
          issues.warn(
            'ALIAS_AMBIGUOUS',
            site.places.destinations[i]!,
            `${d.id}: ${lang} name or alias "${word}" also names "${other}"; a customer asking for it gets either`,
          );
        } else owner.set(word, d.id);
      }
    });
  }
}

function normalizeWord(s: string): string {
  return s.trim().toLowerCase().replace(/\s+/g, ' ');
}

interface Spot {
  label: string;
  where: string;
  x: number;
  y: number;
}

function checkGeometry(site: SiteDocument, map: GridMap, params: InflationParams, issues: IssueList): void {
  const { costmap, squaredDistances } = inflate(map, site.zones, params);
  site.zones.forEach((zone, i) => {
    const inside = zone.polygon.some((p) => map.inBounds(map.col(p.x), map.row(p.y)));
    if (!inside) {
      issues.error(
        'ZONE_OUTSIDE_MAP',
        site.places.zones[i]!,
        `zone "${zone.id}": every corner is outside the map ${bounds(map)}`,
      );
    }
  });

  const spots: Spot[] = [
    ...site.destinations.map((d, i) => ({
      label: `destination "${d.id}": pose`,
      where: site.places.destinations[i]!,
      x: d.pose.x,
      y: d.pose.y,
    })),
    ...site.landmarks.map((l, i) => ({
      label: `landmark "${l.id}": position`,
      where: site.places.landmarks[i]!,
      x: l.position.x,
      y: l.position.y,
    })),
  ];
  const dock: Spot | undefined = site.dock && { label: 'dock', where: site.places.dock, ...site.dock };
  const dockOk = dock ? checkSpot(dock, map, costmap, squaredDistances, params, issues) : false;
  const reachable = dockOk ? floodFill(costmap, costmap.col(dock!.x), costmap.row(dock!.y)) : undefined;
  for (const spot of spots) {
    if (!checkSpot(spot, map, costmap, squaredDistances, params, issues) || !reachable) continue;
    if (!reachable[costmap.row(spot.y) * costmap.width + costmap.col(spot.x)]) {
      issues.error(
        'POSE_UNREACHABLE',
        spot.where,
        `${spot.label} ${xy(spot)} cannot be reached from the dock ${xy(dock!)}: no free path wide enough for the robot`,
      );
    }
  }
}

/** Inside the map and clear of obstacles for the footprint; reports and returns false if not. */
function checkSpot(
  spot: Spot,
  map: GridMap,
  costmap: Costmap,
  squaredDistances: Float32Array,
  params: InflationParams,
  issues: IssueList,
): boolean {
  const col = map.col(spot.x);
  const row = map.row(spot.y);
  if (!map.inBounds(col, row)) {
    issues.error(
      'POSE_OUTSIDE_MAP',
      spot.where,
      `${spot.label} ${xy(spot)} is outside the map ${bounds(map)}`,
    );
    return false;
  }
  const cost = costmap.costAt(col, row);
  if (cost >= COST_INSCRIBED) {
    const clearance = Math.sqrt(squaredDistances[row * map.width + col]!) * map.resolution;
    const what =
      clearance === 0
        ? `is on an occupied, unknown or no-go cell`
        : `is ${clearance.toFixed(2)} m from an obstacle`;
    issues.error(
      'POSE_IN_OBSTACLE',
      spot.where,
      `${spot.label} ${xy(spot)} ${what}; expected more than ${params.inscribed_radius.toFixed(2)} m ` +
        `(the robot's radius) of free space, cost < ${COST_INSCRIBED}, found ${cost}`,
    );
    return false;
  }
  return true;
}

/** Cells reachable from (col, row) through cells the robot's centre may occupy, 4-connected. */
export function floodFill(costmap: Costmap, col: number, row: number): Uint8Array {
  const { width, height, costs } = costmap;
  const n = width * height;
  const seen = new Uint8Array(n);
  const queue = new Int32Array(n);
  let tail = 0;
  const visit = (j: number): void => {
    if (!seen[j] && costs[j]! < COST_INSCRIBED) {
      seen[j] = 1;
      queue[tail++] = j;
    }
  };
  visit(row * width + col);
  for (let head = 0; head < tail; head++) {
    const i = queue[head]!;
    const c = i % width;
    if (c > 0) visit(i - 1);
    if (c < width - 1) visit(i + 1);
    if (i >= width) visit(i - width);
    if (i + width < n) visit(i + width);
  }
  return seen;
}

function xy(p: { x: number; y: number }): string {
  return `(${p.x.toFixed(2)}, ${p.y.toFixed(2)})`;
}

function bounds(map: GridMap): string {
  const x1 = map.originX + map.widthM;
  const y1 = map.originY + map.heightM;
  return `x ${map.originX.toFixed(2)}..${x1.toFixed(2)}, y ${map.originY.toFixed(2)}..${y1.toFixed(2)} m`;
}

/** One line per issue: `where: [warning: ]message [CODE]`. */
export function formatIssues(issues: readonly SiteIssue[]): string {
  return issues
    .map((i) => `${i.where}: ${i.severity === 'warning' ? 'warning: ' : ''}${i.message} [${i.code}]`)
    .join('\n');
}

/** The CLI's `map check`: prints every issue and a summary; exit code 0 when no errors, else 1. */
export async function runMapCheck(dir: string, out: (line: string) => void): Promise<number> {
  const report = await inspectSite(dir);
  const text = formatIssues(report.issues);
  if (text) for (const line of text.split('\n')) out(line);
  const errors = report.issues.filter((i) => i.severity === 'error').length;
  const warnings = report.issues.length - errors;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (errors > 0) {
    out(`${dir}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`);
    return 1;
  }
  const { site, map } = report;
  const what =
    site && map
      ? `site "${site.id}": ${plural(site.destinations.length, 'destination')}, ${plural(site.landmarks.length, 'landmark')}, ` +
        `${plural(site.zones.length, 'zone')}; map ${map.width}×${map.height} cells at ${map.resolution} m ` +
        `(${map.widthM.toFixed(1)} × ${map.heightM.toFixed(1)} m)`
      : 'site';
  out(`${dir}: OK, ${what}${warnings ? `; ${plural(warnings, 'warning')}` : ''}`);
  return 0;
}
