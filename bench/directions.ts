/**
 * The directions book on the sample site: the way from the dock to every destination, planned
 * with the navigator's planner and put into words, once at start. Side by side in the same run,
 * the planning of the same routes alone (the navigator's grid_astar, configured on the same
 * costmap): the part of the book's time that is not the words.
 */
import { loadSite } from '../src/map/index.js';
import { describeRoute, destinationPlace, sitePlaces } from '../src/interaction/index.js';
import { GridAStar } from '../src/navigation/index.js';
import { buildDirectionsBook, inSight, siteCostmap } from '../src/robot/index.js';
import { EmbeddedContext, SimClock, Time, poseStamped } from '../src/ros/index.js';
import { measure, wallMs, type BenchRow } from './harness.js';

const SITE_DIR = 'maps/iso-omena';
const BENCH = 'directions book';
const ITERATIONS = 10;

export async function run(): Promise<BenchRow[]> {
  const site = await loadSite(SITE_DIR);
  const t0 = wallMs();
  const costmap = siteCostmap(site);
  const costmapMs = wallMs() - t0;
  const t1 = wallMs();
  const book = buildDirectionsBook(site, { costmap });
  const firstMs = wallMs() - t1;
  const again = measure(() => buildDirectionsBook(site, { costmap }), ITERATIONS, 1);

  // The peer: the same plans alone, on a planner configured once.
  const planner = new GridAStar();
  planner.configure(
    new EmbeddedContext({ clock: new SimClock(0n) }).createNode('bench_directions'),
    'planner',
    costmap,
  );
  planner.activate();
  const stamp = new Time(0n);
  const start = poseStamped('map', stamp, site.dock);
  const plans = () =>
    site.destinations.map((d) =>
      planner
        .plan(start, poseStamped('map', stamp, d.pose), () => false)
        .poses.map((p) => ({ x: p.pose.position.x, y: p.pose.position.y })),
    );
  const planning = measure(() => void plans(), ITERATIONS, 1);
  // The words alone, for the same paths.
  const paths = plans();
  const places = sitePlaces(site);
  const seen = inSight(site.map);
  const words = measure(
    () =>
      site.destinations.forEach((d, i) =>
        describeRoute(paths[i]!, site.dock.yaw, places, destinationPlace(d), { seen }),
      ),
    ITERATIONS * 5,
  );
  const n = `${book.size} destinations`;
  return [
    { bench: BENCH, metric: 'site costmap (inflation)', value: costmapMs, unit: 'ms' },
    {
      bench: BENCH,
      metric: 'book, first in process',
      value: firstMs,
      unit: 'ms',
      note: `${n}; includes the planner's one-off map analysis (ALT landmarks, cached per map)`,
    },
    { bench: BENCH, metric: 'book again p50', value: again.p50, unit: 'ms', note: n },
    { bench: BENCH, metric: 'peer: grid_astar plans alone p50', value: planning.p50, unit: 'ms', note: n },
    { bench: BENCH, metric: 'words alone (describeRoute) p50', value: words.p50, unit: 'ms', note: n },
  ];
}
