/**
 * A scenario against its site, before anything runs: the destinations it expects exist, the
 * robot starts on a free cell inside the map (its own start, or the site's dock), and obstacles
 * stand on the map. An operator learns of a typo in a minute, not after an hour of simulation.
 */
import path from 'node:path';
import { excerpt } from '../src/input/index.js';
import { SITE_FILE, loadSite, type Site } from '../src/map/index.js';
import type { Pose2D } from '../src/ros/index.js';
import { SimError, type Problem } from './errors.js';
import { round } from './round.js';
import { loadScenario, type Scenario, type ScenarioFile } from './scenario.js';

/**
 * Loads a scenario file and its site, and checks one against the other; throws SimError with
 * every problem. `sites` shares sites between scenarios of one batch (a site is read once).
 */
export async function loadScenarioOnSite(
  file: string,
  sites: Map<string, Promise<Site>> = new Map(),
): Promise<{ scenario: ScenarioFile; site: Site }> {
  const scenario = await loadScenario(file);
  let site: Site;
  try {
    const loading = sites.get(scenario.siteDir) ?? loadSite(scenario.siteDir);
    sites.set(scenario.siteDir, loading);
    site = await loading;
  } catch (e) {
    const ref = scenario.siteRefs.find((r) => r.kind === 'site');
    const where = ref?.where ?? file;
    throw new SimError('SCENARIO_SITE', where, `site: cannot load it: ${(e as Error).message}`);
  }
  const problems = checkScenarioSite(scenario, site);
  if (problems.length > 0) throw SimError.of('SCENARIO_SITE', problems);
  return { scenario, site };
}

/** Every reference of `scenario` to its site that the site does not have (none: it fits). */
export function checkScenarioSite(scenario: Scenario, site: Site): Problem[] {
  const problems: Problem[] = [];
  const ids = new Set(site.destinations.map((d) => d.id));
  for (const ref of scenario.siteRefs ?? []) {
    if (ref.kind === 'destination' && !ids.has(ref.id)) {
      problems.push({
        where: ref.where,
        what: `${ref.path}: expected a destination of site ${site.id} (${listIds([...ids])}) or '', found "${excerpt(ref.id)}"`,
      });
    } else if (ref.kind === 'start') {
      const wrong = startProblem(site, ref.pose);
      if (wrong) problems.push({ where: ref.where, what: `${ref.path}: ${wrong}` });
    } else if (ref.kind === 'place' && !insideMap(site, ref.x, ref.y)) {
      problems.push({
        where: ref.where,
        what: `${ref.path}: (${ref.x}, ${ref.y}) m is outside the map; expected ${mapExtent(site)}`,
      });
    }
  }
  if (scenario.robotStart === 'dock') {
    const wrong = startProblem(site, site.dock);
    if (wrong)
      problems.push({
        where: path.join(site.dir, SITE_FILE),
        what: `dock: ${wrong} (the robot starts there)`,
      });
  }
  return problems;
}

/** Why the robot cannot start at `pose`, or undefined when it can. */
export function startProblem(site: Site, pose: Pose2D): string | undefined {
  const at = `(${round(pose.x, 3)}, ${round(pose.y, 3)}) m`;
  if (!insideMap(site, pose.x, pose.y)) return `${at} is outside the map; expected ${mapExtent(site)}`;
  if (!site.map.isFreeAt(pose.x, pose.y)) return `${at} is not a free cell of the map; expected a free cell`;
  return undefined;
}

function insideMap(site: Site, x: number, y: number): boolean {
  const m = site.map;
  return m.inBounds(m.col(x), m.row(y));
}

function mapExtent(site: Site): string {
  const m = site.map;
  const x1 = round(m.originX + m.widthM, 2);
  const y1 = round(m.originY + m.heightM, 2);
  return `x ${round(m.originX, 2)}…${x1} m, y ${round(m.originY, 2)}…${y1} m`;
}

function listIds(ids: string[]): string {
  const shown = ids.slice(0, 20).join(', ');
  return ids.length > 20 ? `${shown}, … ${ids.length - 20} more` : shown;
}
