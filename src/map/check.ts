/**
 * `medhjalparen map check <site-dir>`: validates a whole site folder and reports every problem,
 * each with its file and line (or field path): files present, the map decodes, every pose inside
 * the map, clear of walls for the robot's footprint and reachable from the dock, names and
 * aliases in all three languages, unique ids, well-formed hours and zones, service and elsewhere
 * terms that each lead to one place (service-terms.ts, run on every load).
 */
import { showControls } from '../input/index.js';
import { COST_INSCRIBED, type Costmap } from './costmap.js';
import { IssueList, unlistedLine, type SiteIssue } from './errors.js';
import { widestRoutes } from './passages.js';
import type { GridMap } from './grid-map.js';
import { foldTerm } from './fold.js';
import { checkCentreHours } from './centre-hours-check.js';
import { DEFAULT_INFLATION, inflate, type InflationParams } from './inflation.js';
import type { SiteDocument } from './site-schema.js';
import { bounds, readSiteFolder, xy, type Spot } from './site.js';
import { LANGUAGES } from './types.js';

export interface CheckOptions {
  /** Footprint and inflation used for "in free space"; default DEFAULT_INFLATION. */
  inflation?: InflationParams;
}

/** m: the clearance each side a passage must leave the robot (its width plus twice this). */
export const PASSAGE_SIDE_CLEARANCE_M = 0.1;

/** The narrowest place on the widest route from the dock to a destination. */
export interface DestinationPassage {
  id: string;
  /** Free width there, m (to the map's resolution). */
  widthM: number;
  x: number;
  y: number;
}

/** What a check found: the issues, and what was loaded (for a summary line). */
export interface SiteReport {
  issues: SiteIssue[];
  /** Problems found beyond the listed ones (LIMITS.issuesListed). */
  unlisted: number;
  /** Errors found, listed or not. */
  errors: number;
  site?: SiteDocument;
  map?: GridMap;
  /** Per destination reachable from the dock, its narrowest passage on the way. */
  passages: DestinationPassage[];
}

/** Collects every problem of a site folder; an empty list means the site is good to run. */
export async function checkSite(dir: string, options: CheckOptions = {}): Promise<SiteIssue[]> {
  return (await inspectSite(dir, options)).issues;
}

export async function inspectSite(dir: string, options: CheckOptions = {}): Promise<SiteReport> {
  const issues = new IssueList();
  const parts = await readSiteFolder(dir, issues);
  const site = parts.doc;
  if (site) checkAliases(site, issues);
  if (site) checkCentreHours(site, issues);
  const map = parts.map?.grid;
  let passages: DestinationPassage[] = [];
  if (site && map) {
    const params = options.inflation ?? DEFAULT_INFLATION;
    passages = checkGeometry(site, map, parts.dock, parts.spots, params, issues);
  }
  return { issues: issues.issues, unlisted: issues.unlisted, errors: issues.errorCount, site, map, passages };
}

/**
 * Two destinations answering to the same word (folded as the matcher folds it) would make the
 * guide pick one at random. Service terms are checked on loading (service-terms.ts).
 */
function checkAliases(site: SiteDocument, issues: IssueList): void {
  for (const lang of LANGUAGES) {
    const owner = new Map<string, string>();
    site.destinations.forEach((d, i) => {
      const words = new Set([d.name[lang], ...d.aliases[lang]].map(foldTerm));
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

/**
 * Costmap checks for the poses already known to be on a free cell: clear of obstacles for the
 * robot's footprint, and reachable from the dock; and zones on the map.
 */
function checkGeometry(
  site: SiteDocument,
  map: GridMap,
  dock: Spot | undefined,
  spots: readonly Spot[],
  params: InflationParams,
  issues: IssueList,
): DestinationPassage[] {
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
  const dockOk = dock ? checkClearance(dock, map, costmap, squaredDistances, params, issues) : false;
  const reachable = dockOk ? floodFill(costmap, costmap.col(dock!.x), costmap.row(dock!.y)) : undefined;
  const cellOf = (s: { x: number; y: number }) => costmap.row(s.y) * costmap.width + costmap.col(s.x);
  const routes = dockOk
    ? widestRoutes(map.width, map.height, map.resolution, squaredDistances, cellOf(dock!))
    : undefined;
  const passages: DestinationPassage[] = [];
  const needM = 2 * params.inscribed_radius + 2 * PASSAGE_SIDE_CLEARANCE_M;
  for (const spot of spots) {
    if (!checkClearance(spot, map, costmap, squaredDistances, params, issues) || !reachable || !routes)
      continue;
    const passage = routes.to(cellOf(spot));
    const at = passage && {
      x: map.originX + ((passage.cell % map.width) + 0.5) * map.resolution,
      y: map.originY + (Math.floor(passage.cell / map.width) + 0.5) * map.resolution,
    };
    if (!reachable[cellOf(spot)]) {
      const narrow =
        passage && at
          ? `; the widest way there narrows to ${passage.widthM.toFixed(2)} m at ${xy(at)}, the robot needs ${needM.toFixed(2)} m`
          : '';
      issues.error(
        'POSE_UNREACHABLE',
        spot.where,
        `${spot.label} ${xy(spot)} cannot be reached from the dock ${xy(dock!)}: no free path wide enough for the robot${narrow}`,
      );
      continue;
    }
    if (!passage || !at || spot.destination === undefined) continue;
    passages.push({ id: spot.destination, widthM: passage.widthM, ...at });
    if (passage.widthM + 1e-9 < needM) {
      issues.error(
        'PASSAGE_TOO_NARROW',
        spot.where,
        `${spot.label} ${xy(spot)} is reached from the dock only through a passage ${passage.widthM.toFixed(2)} m wide at ${xy(at)}; ` +
          `the robot needs ${needM.toFixed(2)} m (its width ${(2 * params.inscribed_radius).toFixed(2)} m + 2 × ${PASSAGE_SIDE_CLEARANCE_M.toFixed(2)} m)`,
      );
    }
  }
  return passages;
}

/** Clear of obstacles for the robot's footprint (the spot is on the map); reports and returns false if not. */
function checkClearance(
  spot: Spot,
  map: GridMap,
  costmap: Costmap,
  squaredDistances: Float32Array,
  params: InflationParams,
  issues: IssueList,
): boolean {
  const col = map.col(spot.x);
  const row = map.row(spot.y);
  const cost = costmap.costAt(col, row);
  if (cost >= COST_INSCRIBED) {
    const clearance = Math.sqrt(squaredDistances[row * map.width + col]!) * map.resolution;
    issues.error(
      'POSE_IN_OBSTACLE',
      spot.where,
      `${spot.label} ${xy(spot)} is ${clearance.toFixed(2)} m from an obstacle; expected more than ` +
        `${params.inscribed_radius.toFixed(2)} m (the robot's radius) of free space, cost < ${COST_INSCRIBED}, found ${cost}`,
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

/** One line per issue: `where: [warning: ]message [CODE]`. */
export function formatIssues(issues: readonly SiteIssue[], unlisted = 0): string {
  return [
    ...issues.map(
      (i) => `${i.where}: ${i.severity === 'warning' ? 'warning: ' : ''}${i.message} [${i.code}]`,
    ),
    ...(unlisted > 0 ? [unlistedLine(unlisted)] : []),
  ]
    .map((line) => showControls(line)) // the place holds a path from the command line, shown as typed
    .join('\n');
}

/** The CLI's `map check`: prints every issue and a summary; exit code 0 when no errors, else 1. */
export async function runMapCheck(dir: string, out: (line: string) => void): Promise<number> {
  const report = await inspectSite(dir);
  const text = formatIssues(report.issues, report.unlisted);
  if (text) for (const line of text.split('\n')) out(line);
  const errors = report.errors;
  const warnings = report.issues.filter((i) => i.severity === 'warning').length;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (errors > 0) {
    out(`${showControls(dir)}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`);
    return 1;
  }
  const { site, map } = report;
  const services = site?.destinations.reduce((n, d) => n + d.services.length, 0) ?? 0;
  const elsewhere = site?.elsewhere.length ?? 0;
  const what =
    site && map
      ? `site "${site.id}": ${plural(site.destinations.length, 'destination')}` +
        `${services ? ` (${plural(services, 'service')})` : ''}, ${plural(site.landmarks.length, 'landmark')}, ` +
        `${plural(site.zones.length, 'zone')}${elsewhere ? `, ${plural(elsewhere, 'service')} elsewhere` : ''}; ` +
        `map ${map.width}×${map.height} cells at ${map.resolution} m (${map.widthM.toFixed(1)} × ${map.heightM.toFixed(1)} m)`
      : 'site';
  out(`${showControls(dir)}: OK, ${what}${warnings ? `; ${plural(warnings, 'warning')}` : ''}`);
  for (const p of report.passages) {
    out(`  ${p.id}: narrowest passage from the dock ${p.widthM.toFixed(2)} m at ${xy(p)}`);
  }
  return 0;
}
