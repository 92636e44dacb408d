/**
 * A fleet scenario against its sites, before anything runs: every floor's site loads, what a
 * floor names of its site exists (desks, starts and docks on free cells), and each robot gets
 * its own dock (the site's for a floor's first robot unless the file gives one), apart from the
 * others. An operator learns of a dock in a wall in a second, not after the run.
 */
import { loadSite, type Site } from '../src/map/index.js';
import { SimError, type Problem } from './errors.js';
import {
  MIN_APART_M,
  loadAnyScenario,
  isFleetScenario,
  robotScenario,
  type FleetScenario,
} from './fleet-scenario.js';
import { round } from './round.js';
import { checkScenarioSite } from './scenario-site.js';
import { pathText } from './scenario-yaml.js';

/** Loads a fleet scenario file and its floors' sites; throws SimError with every problem. */
export async function loadFleetOnSites(
  file: string,
  cache: Map<string, Promise<Site>> = new Map(),
): Promise<{ fleet: FleetScenario; sites: Site[] }> {
  const read = await loadAnyScenario(file);
  if (!isFleetScenario(read)) {
    throw new SimError(
      'SCENARIO_FIELD',
      file,
      'expected a fleet scenario (robots or floors at the top level)',
    );
  }
  const fleet = read;
  const sites = await Promise.all(
    fleet.floors.map((floor) => loadFloorSite(floor.siteDir, floor.siteRefs, cache)),
  );
  const problems = checkFleetSites(fleet, sites);
  if (problems.length > 0) throw SimError.of('SCENARIO_SITE', problems);
  return { fleet, sites };
}

async function loadFloorSite(
  dir: string,
  refs: FleetScenario['floors'][number]['siteRefs'],
  cache: Map<string, Promise<Site>>,
): Promise<Site> {
  try {
    const loading = cache.get(dir) ?? loadSite(dir);
    cache.set(dir, loading);
    return await loading;
  } catch (e) {
    const where = refs.find((r) => r.kind === 'site')?.where ?? dir;
    throw new SimError('SCENARIO_SITE', where, `site: cannot load it: ${(e as Error).message}`);
  }
}

/**
 * Every problem of the floors against their sites (none: it fits). Fills in the docks taken
 * from the site, so the robots' docks are known from here on.
 */
export function checkFleetSites(fleet: FleetScenario, sites: readonly Site[]): Problem[] {
  const problems: Problem[] = [];
  fleet.floors.forEach((floor, i) => {
    const site = sites[i]!;
    for (const robot of floor.robots) if (robot.siteDock) robot.dock = site.dock;
    const first = robotScenario(fleet, floor, floor.robots[0]!);
    problems.push(...checkScenarioSite({ ...first, siteRefs: floor.siteRefs }, site));
    floor.robots.forEach((a, ai) => {
      for (const b of floor.robots.slice(0, ai)) {
        if (!a.siteDock && !b.siteDock) continue; // both from the file: the parser compared them
        const apart = Math.hypot(a.dock.x - b.dock.x, a.dock.y - b.dock.y);
        if (apart < MIN_APART_M) {
          const given = a.dockAt ?? b.dockAt;
          problems.push({
            where: given?.where ?? a.where,
            what: `${given ? pathText(given.path) : a.id}: ${round(apart, 2)} m from the site's dock, which ${a.siteDock ? a.id : b.id} has; expected at least ${MIN_APART_M} m, a dock of its own`,
          });
        }
      }
    });
  });
  return problems;
}
