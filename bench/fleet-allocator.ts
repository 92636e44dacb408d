/**
 * The fleet allocator's numbers, for bench/fleet.ts:
 * - allocate() for one task among 50 robots on Iso Omena, µs per task, on route lengths (their
 *   fields searched beforehand, timed apart as the once-per-site cost), beside the same allocator
 *   on straight lines × 1.4 and a naive peer (sort the available robots by straight-line distance
 *   to the pickup);
 * - what the route lengths change: on Iso Omena and on generated floors of rooms and corridors
 *   (sim/floors, nobody tuned the robot for them), in how many tasks the straight-line allocator
 *   sends another robot, and how much longer that robot's way to the customer is along the floor.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FLEET_SCHEMA_VERSION, type RobotState, type Task } from '../src/fleet/protocol.js';
import { ALLOCATION, allocate, pickupPlace, type Candidate } from '../src/fleet/service/allocator.js';
import { placeLocator, routeDistances, type SiteDistances } from '../src/fleet/service/site-distances.js';
import { loadSite, type Site } from '../src/map/index.js';
import { writeFloors } from '../sim/floors/generate.js';
import { measure, type BenchRow, type Timing } from './harness.js';

const BENCH = 'fleet';
const ALLOC_TASKS = 2000;
/** Generated floors compared, and robots on each (they are smaller than Iso Omena). */
const FLOORS = 9;
const FLOOR_SEED = 7;
const ROBOTS_PER_FLOOR = 8;

/** Robots spread over the site's places (half a metre off each), some busy, some returning. */
function candidatesOn(site: Site, ids: readonly string[]): Candidate[] {
  const places = [site.dock, ...site.destinations.map((d) => d.pose)];
  return ids.map((robot, i) => {
    const at = places[(i * 3) % places.length]!;
    const state: RobotState = {
      v: FLEET_SCHEMA_VERSION,
      robot,
      site: site.id,
      seq: 1,
      boot: '0123456789ab',
      stampMs: 0,
      pose: { x: at.x + 0.5, y: at.y, yaw: 0 },
      mission: { state: i % 5 === 0 ? 'returning' : 'idle', reason: '', destination: '', task: '' },
      battery: { charge: 0.5 + (i % 10) / 20, charging: false, reliable: true },
      localization: 'ok',
      estop: false,
      faults: [],
      available: i % 7 !== 3,
    };
    return { robot, site: site.id, online: true, state };
  });
}

/** A goto to every destination, and an escort to each met at the destination five further on. */
function tasksOn(site: Site): Task[] {
  const common = { v: FLEET_SCHEMA_VERSION, site: site.id, plain: false, createdMs: 0 } as const;
  return site.destinations.flatMap((d, i) => [
    { ...common, id: `task-goto-${i}`, kind: 'goto', destination: d.id, language: '', origin: 'operator' },
    {
      ...common,
      id: `task-escort-${i}`,
      kind: 'escort',
      destination: d.id,
      meet: site.destinations[(i + 5) % site.destinations.length]!.id,
      language: 'fi',
      origin: 'kiosk',
    },
  ]);
}

interface Comparison {
  tasks: number;
  /** Tasks the straight-line allocator gives another robot. */
  differs: number;
  /** For each of those: its robot's way ÷ the route choice's way, along the floor. */
  ratios: number[];
  /** Of those, where the straight-line choice has no way to the customer at all. */
  noWay: number;
}

/** Where the straight-line allocator picks another robot than the route one, and how far off. */
function straightVersusRoutes(
  site: Site,
  candidates: readonly Candidate[],
  routes: SiteDistances,
): Comparison {
  const poseOf = (robot: string) => candidates.find((c) => c.robot === robot)!.state!.pose!;
  const out: Comparison = { tasks: 0, differs: 0, ratios: [], noWay: 0 };
  for (const t of tasksOn(site)) {
    const byRoute = allocate(t, site, candidates, { distances: routes });
    const byLine = allocate(t, site, candidates);
    if (!byRoute.ok) continue;
    out.tasks++;
    if (!byLine.ok || byRoute.best.robot === byLine.best.robot) continue;
    const pickup = pickupPlace(t);
    const routeM = routes.toPlace(pickup, poseOf(byRoute.best.robot))!;
    const lineM = routes.toPlace(pickup, poseOf(byLine.best.robot));
    out.differs++;
    if (lineM === undefined) out.noWay++;
    else out.ratios.push(lineM / Math.max(routeM, 0.5));
  }
  return out;
}

function describe(c: Comparison): string {
  if (c.differs === 0) return `the same robot for all ${c.tasks} tasks`;
  const share = (100 * c.differs) / c.tasks;
  const sorted = [...c.ratios].sort((a, b) => a - b);
  const median = sorted.length ? sorted[Math.floor(sorted.length / 2)]! : 1;
  const worst = sorted.at(-1) ?? 1;
  return (
    `another robot for ${share.toFixed(0)} % of ${c.tasks} tasks, whose way to the customer is then ` +
    `${(median * 100 - 100).toFixed(0)} % longer along the floor (median; worst ${worst.toFixed(1)}×)` +
    (c.noWay ? `, and in ${c.noWay} of them has no way there at all` : '')
  );
}

/** The comparison summed over generated floors. */
async function onGeneratedFloors(): Promise<Comparison & { floors: number }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-floors-'));
  try {
    const sum = { floors: 0, tasks: 0, differs: 0, ratios: [] as number[], noWay: 0 };
    const ids = Array.from({ length: ROBOTS_PER_FLOOR }, (_, i) => `floor-r${i + 1}`);
    for (const floorDir of await writeFloors(dir, FLOORS, FLOOR_SEED)) {
      const site = await loadSite(floorDir);
      const c = straightVersusRoutes(site, candidatesOn(site, ids), routeDistances(site));
      sum.floors++;
      sum.tasks += c.tasks;
      sum.differs += c.differs;
      sum.ratios.push(...c.ratios);
      sum.noWay += c.noWay;
    }
    return sum;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const micro = (t: Timing): Timing => ({
  ...t,
  p50: t.p50 * 1000,
  p99: t.p99 * 1000,
  mean: t.mean * 1000,
  min: t.min * 1000,
  max: t.max * 1000,
});

/** Times `choose` over the tasks in turn, µs per task. */
function perTask(tasks: readonly Task[], choose: (t: Task) => number): Timing {
  let k = 0;
  let sink = 0;
  const t = measure(() => (sink += choose(tasks[k++ % tasks.length]!)), ALLOC_TASKS, 200);
  if (sink < 0) throw new Error('unreachable');
  return micro(t);
}

/** The allocator's rows: `robotIds` robots on `site` (Iso Omena), and the generated floors. */
export async function allocatorRows(site: Site, robotIds: readonly string[]): Promise<BenchRow[]> {
  const candidates = candidatesOn(site, robotIds);
  const tasks = tasksOn(site);
  const t0 = performance.now();
  const routes = routeDistances(site);
  for (const id of ['dock', ...site.destinations.map((d) => d.id)]) routes.toPlace(id, site.dock);
  const coldMs = performance.now() - t0;
  const placeAt = placeLocator(site);
  const naive = (task: Task) => {
    const p = placeAt(pickupPlace(task)) ?? site.dock;
    return candidates
      .filter((c) => c.online && c.state?.available === true && c.state.pose)
      .map((c) => ({ robot: c.robot, d: Math.hypot(c.state!.pose!.x - p.x, c.state!.pose!.y - p.y) }))
      .sort((a, b) => a.d - b.d)[0]?.robot;
  };
  const cost = (r: ReturnType<typeof allocate>) => (r.ok ? r.best.costS : 0);
  const ours = perTask(tasks, (t) => cost(allocate(t, site, candidates, { distances: routes })));
  const straight = perTask(tasks, (t) => cost(allocate(t, site, candidates)));
  const theirs = perTask(tasks, (t) => naive(t)?.length ?? 0);
  const agree = tasks.filter((t) => {
    const r = allocate(t, site, candidates, { distances: routes });
    return r.ok && r.best.robot === naive(t);
  }).length;
  const here = straightVersusRoutes(site, candidates, routes);
  const floors = await onGeneratedFloors();
  const n = robotIds.length;
  return [
    {
      bench: BENCH,
      metric: `allocate(), one task among ${n} robots (Iso Omena), p50`,
      value: ours.p50,
      unit: 'µs',
      note: `p99 ${ours.p99.toFixed(1)} µs, mean ${ours.mean.toFixed(1)} µs over ${ALLOC_TASKS} tasks (goto and escort to every destination), on route lengths`,
    },
    { bench: BENCH, metric: `allocate(), one task among ${n} robots, p99`, value: ours.p99, unit: 'µs' },
    {
      bench: BENCH,
      metric: 'route lengths for a site, made once (costmap, every place searched)',
      value: coldMs,
      unit: 'ms',
      note: `${site.destinations.length + 1} places on Iso Omena, in the background at the service's start; then kept for every task`,
    },
    {
      bench: BENCH,
      metric: `peer: allocate() on straight lines × ${ALLOCATION.detourFactor} (no map), p50`,
      value: straight.p50,
      unit: 'µs',
      note: `p99 ${straight.p99.toFixed(1)} µs; on Iso Omena it sends ${describe(here)}`,
    },
    {
      bench: BENCH,
      metric: `straight-line choice: tasks sent to a robot with a longer way, ${floors.floors} generated floors`,
      value: floors.tasks ? (100 * floors.differs) / floors.tasks : 0,
      unit: '%',
      note: `${ROBOTS_PER_FLOOR} robots on each of ${floors.floors} floors (sim/floors, seed ${FLOOR_SEED}): ${describe(floors)}`,
    },
    {
      bench: BENCH,
      metric: 'peer: naive nearest robot (sort by straight-line distance), p50',
      value: theirs.p50,
      unit: 'µs',
      note: `p99 ${theirs.p99.toFixed(1)} µs; no battery, startup or reach check; picks the same robot as allocate() for ${((100 * agree) / tasks.length).toFixed(0)} % of the tasks`,
    },
  ];
}
