/**
 * Global planner benchmark: the longest destination-to-destination route on the sample floor
 * (by planned path length), planned by `grid_astar` and, side by side in the same run, by the
 * npm `pathfinding` package's AStarFinder on the same 0.1 m grid. pathfinding has no costs: it
 * gets the same max-pooled grid with every cell ≥ 253 blocked, so it solves an easier problem
 * (shortest, not cheapest) and returns an unsmoothed staircase; grid_astar's time includes
 * shortcutting, smoothing and building the nav_msgs/Path.
 */
import { createRequire } from 'node:module';
import { DEFAULT_INFLATION, buildCostmap, loadSite, type Costmap } from '../src/map/index.js';
import { GRID_ASTAR_DEFAULTS, GridAStar, downsampleFactor } from '../src/navigation/index.js';
import { EmbeddedContext, SimClock, Time, poseStamped, type Pose2D } from '../src/ros/index.js';
import { DEFAULT_ROBOT } from '../src/robot-description.js';
import { measure, summarize, wallMs, type BenchRow } from './harness.js';

const SITE_DIR = 'maps/iso-omena';
const BENCH = 'global planner';
const OURS_ITERATIONS = 60;
const PEER_ITERATIONS = 8;

/** The part of pathfinding@0.4 this benchmark uses (the package ships no types). */
interface PathfindingGrid {
  clone(): PathfindingGrid;
  setWalkableAt(x: number, y: number, walkable: boolean): void;
}
interface Pathfinding {
  Grid: new (matrix: number[][]) => PathfindingGrid;
  AStarFinder: new (options: { diagonalMovement: number }) => {
    findPath(sx: number, sy: number, gx: number, gy: number, grid: PathfindingGrid): number[][];
  };
  DiagonalMovement: { OnlyWhenNoObstacles: number };
}

export async function run(): Promise<BenchRow[]> {
  const site = await loadSite(SITE_DIR);
  const costmap = buildCostmap(site.map, site.zones, {
    ...DEFAULT_INFLATION,
    inscribed_radius: DEFAULT_ROBOT.radius,
  });
  const node = new EmbeddedContext({ clock: new SimClock(0n) }).createNode('bench_planner');
  const planner = new GridAStar();
  const t0 = wallMs();
  planner.configure(node, 'planner', costmap);
  planner.activate();
  const configureMs = wallMs() - t0;

  // The longest route between any two destinations, by planned length.
  const stamp = new Time(0n);
  const at = (p: Pose2D) => poseStamped('map', stamp, p);
  const never = () => false;
  let longest = { from: '', to: '', start: site.dock, goal: site.dock, length: -1 };
  let failed = 0;
  const ds = site.destinations;
  for (let i = 0; i < ds.length; i++) {
    for (let j = i + 1; j < ds.length; j++) {
      try {
        planner.plan(at(ds[i]!.pose), at(ds[j]!.pose), never);
      } catch {
        failed++;
        continue;
      }
      if (planner.lastStats.length > longest.length) {
        longest = {
          from: ds[i]!.id,
          to: ds[j]!.id,
          start: ds[i]!.pose,
          goal: ds[j]!.pose,
          length: planner.lastStats.length,
        };
      }
    }
  }
  if (longest.length < 0) throw new Error(`no destination pair of ${SITE_DIR} could be planned`);

  const ours = measure(() => planner.plan(at(longest.start), at(longest.goal), never), OURS_ITERATIONS);
  const stats = planner.lastStats;
  // The same planner without ALT landmarks (octile heuristic only), to show what they buy.
  const plain = new GridAStar();
  const plainNode = new EmbeddedContext({
    clock: new SimClock(0n),
    parameterOverrides: { bench_plain: { 'planner.landmarks': 0 } },
  }).createNode('bench_plain');
  plain.configure(plainNode, 'planner', costmap);
  plain.activate();
  const octile = measure(() => plain.plan(at(longest.start), at(longest.goal), never), OURS_ITERATIONS);
  const octileExpansions = plain.lastStats.expansions;

  // pathfinding on the same downsampled grid (max of each block, ≥ 253 blocked).
  const require = createRequire(import.meta.url);
  const PF = require('pathfinding') as Pathfinding;
  const factor = downsampleFactor(GRID_ASTAR_DEFAULTS, costmap.resolution);
  const matrix = blockedMatrix(costmap, factor);
  const cell = (p: Pose2D) =>
    [Math.floor(costmap.col(p.x) / factor), Math.floor(costmap.row(p.y) / factor)] as const;
  const [sx, sy] = cell(longest.start);
  const [gx, gy] = cell(longest.goal);
  const base = new PF.Grid(matrix);
  // Like grid_astar's endpoint rule: the robot's and the goal's own cells are enterable.
  base.setWalkableAt(sx, sy, true);
  base.setWalkableAt(gx, gy, true);
  const finder = new PF.AStarFinder({ diagonalMovement: PF.DiagonalMovement.OnlyWhenNoObstacles });
  const peerTimes: number[] = [];
  const cloneTimes: number[] = [];
  let peerCells = 0;
  for (let i = 0; i < PEER_ITERATIONS + 1; i++) {
    // pathfinding marks its grid while searching: each search needs a fresh clone (timed apart).
    const c0 = wallMs();
    const grid = base.clone();
    const c1 = wallMs();
    const path = finder.findPath(sx, sy, gx, gy, grid);
    const c2 = wallMs();
    if (i === 0) continue; // warm-up
    cloneTimes.push(c1 - c0);
    peerTimes.push(c2 - c1);
    peerCells = path.length;
  }
  const peer = summarize(peerTimes);
  const clone = summarize(cloneTimes);
  const ratio = peer.p50 / ours.p50;
  const route = `${longest.from} → ${longest.to}`;

  return [
    {
      bench: BENCH,
      metric: 'longest destination route (planned length)',
      value: longest.length,
      unit: 'm',
      note: `${route} on ${SITE_DIR} (${costmap.width}×${costmap.height} cells at ${costmap.resolution} m, planned on ${factor}× downsampled cells); ${stats.expansions} cells expanded; ${failed} of ${(ds.length * (ds.length - 1)) / 2} pairs failed`,
    },
    {
      bench: BENCH,
      metric: 'grid_astar p50 (plan + smooth)',
      value: ours.p50,
      unit: 'ms',
      target: '≤ 20 ms',
      ok: ours.p50 <= 20,
    },
    { bench: BENCH, metric: 'grid_astar p99', value: ours.p99, unit: 'ms' },
    {
      bench: BENCH,
      metric: 'grid_astar p50 without landmarks',
      value: octile.p50,
      unit: 'ms',
      note: `octile heuristic only (planner.landmarks 0): ${octileExpansions} cells expanded`,
    },
    {
      bench: BENCH,
      metric: 'pathfinding AStarFinder p50',
      value: peer.p50,
      unit: 'ms',
      note: `pathfinding@0.4 has no costs: same ${factor}× max-pooled grid with cells ≥ 253 blocked, diagonalMovement OnlyWhenNoObstacles, unsmoothed (${peerCells} cells); its per-search grid.clone() (p50 ${clone.p50.toFixed(0)} ms) is not counted`,
    },
    { bench: BENCH, metric: 'pathfinding AStarFinder p99', value: peer.p99, unit: 'ms' },
    {
      bench: BENCH,
      metric: 'speed-up vs pathfinding (p50 / p50)',
      value: ratio,
      unit: '×',
      target: '≥ 10×',
      ok: ratio >= 10,
    },
    {
      bench: BENCH,
      metric: 'grid_astar configure (pooling, regions, landmarks)',
      value: configureMs,
      unit: 'ms',
      note: 'once per map at start-up (cached per map contents)',
    },
  ];
}

/** 1 = blocked: the max cost of each factor × factor block is ≥ 253 (as grid_astar's planning grid). */
function blockedMatrix(costmap: Costmap, factor: number): number[][] {
  const w = Math.ceil(costmap.width / factor);
  const h = Math.ceil(costmap.height / factor);
  const rows: number[][] = [];
  for (let r = 0; r < h; r++) {
    const row = new Array<number>(w);
    for (let c = 0; c < w; c++) {
      let max = 0;
      for (let fr = r * factor; fr < Math.min(costmap.height, (r + 1) * factor); fr++) {
        for (let fc = c * factor; fc < Math.min(costmap.width, (c + 1) * factor); fc++) {
          max = Math.max(max, costmap.costs[fr * costmap.width + fc]!);
        }
      }
      row[c] = max >= 253 ? 1 : 0;
    }
    rows.push(row);
  }
  return rows;
}
