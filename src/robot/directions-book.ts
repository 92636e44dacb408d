/**
 * The directions book: the way from the dock to every destination, in words, worked out once
 * when the robot starts so that the mission can give directions instantly when a customer would
 * rather walk alone. Each route is planned by the navigator's own planner plugin on the site's
 * static costmap (the map and its no-go zones, inflated for the robot's body), the same costmap
 * the navigator starts from: the words describe the way the robot would take.
 */
import { DEFAULT_INFLATION, buildCostmap, type Costmap, type GridMap, type Site } from '../map/index.js';
import {
  describeRoute,
  destinationPlace,
  sitePlaces,
  type DescribeOptions,
  type Directions,
  type XY,
} from '../interaction/index.js';
import { NAVIGATOR_DEFAULTS, NavError, PLANNERS, type GlobalPlanner } from '../navigation/index.js';
import { EmbeddedContext, SimClock, Time, poseStamped, type ParameterValue } from '../ros/index.js';
import { DEFAULT_ROBOT, type RobotDescription } from '../robot-description.js';

export interface DirectionsBookOptions {
  /** The body the costmap is inflated for (default DEFAULT_ROBOT). */
  robot?: RobotDescription;
  /** The static costmap the navigator uses, if already built (else built as startRobot builds it). */
  costmap?: Costmap;
  /** Planner parameter overrides, as for the navigator's 'planner.*' (e.g. { cost_weight: 2 }). */
  plannerParams?: Readonly<Record<string, ParameterValue>>;
  /** Planner plugin name (default the navigator's default). */
  plannerPlugin?: string;
  /** How the routes are put into words. */
  describe?: Partial<DescribeOptions>;
  /** Told of each destination the planner cannot reach from the dock (it gets no directions). */
  onUnreachable?: (u: UnreachableDestination) => void;
}

/** A destination the book has no directions for, and why (the mission then escorts or apologises). */
export interface UnreachableDestination {
  destinationId: string;
  code: string;
  message: string;
}

/** The static costmap the navigator plans on: the site's map and zones, inflated for `robot`. */
export function siteCostmap(
  site: Pick<Site, 'map' | 'zones'>,
  robot: RobotDescription = DEFAULT_ROBOT,
): Costmap {
  return buildCostmap(site.map, site.zones, { ...DEFAULT_INFLATION, inscribed_radius: robot.radius });
}

/**
 * Plans from the site's dock to every destination and describes each way. A destination the
 * planner cannot reach is left out and reported to `onUnreachable` with the planner's error code.
 */
export function buildDirectionsBook(
  site: Site,
  options: DirectionsBookOptions = {},
): ReadonlyMap<string, Directions> {
  const costmap = options.costmap ?? siteCostmap(site, options.robot);
  const planner = configuredPlanner(costmap, options);
  try {
    const places = sitePlaces(site);
    const stamp = new Time(0n);
    const start = poseStamped('map', stamp, site.dock);
    const directions = new Map<string, Directions>();
    for (const d of site.destinations) {
      let points: Array<{ x: number; y: number }>;
      try {
        const path = planner.plan(start, poseStamped('map', stamp, d.pose), () => false);
        points = path.poses.map((p) => ({ x: p.pose.position.x, y: p.pose.position.y }));
      } catch (e) {
        if (!(e instanceof NavError)) throw e;
        options.onUnreachable?.({ destinationId: d.id, code: e.code, message: e.message });
        continue;
      }
      const target = destinationPlace(d);
      const describe = { seen: inSight(site.map), ...options.describe };
      directions.set(d.id, describeRoute(points, site.dock.yaw, places, target, describe));
    }
    return directions;
  } finally {
    planner.cleanup();
  }
}

/**
 * The book, built on first use rather than at once: startRobot can hand it to the mission
 * without making every start (and every simulated scenario) wait for the planning, and the first
 * customer who asks for directions pays it once (a few hundred milliseconds on the sample site).
 */
export function lazyDirectionsBook(
  site: Site,
  options: DirectionsBookOptions = {},
): ReadonlyMap<string, Directions> {
  let book: ReadonlyMap<string, Directions> | undefined;
  const built = () => (book ??= buildDirectionsBook(site, options));
  return {
    get: (id) => built().get(id),
    has: (id) => built().has(id),
    get size() {
      return built().size;
    },
    forEach: (fn, thisArg) => built().forEach(fn, thisArg),
    entries: () => built().entries(),
    keys: () => built().keys(),
    values: () => built().values(),
    [Symbol.iterator]: () => built()[Symbol.iterator](),
  };
}

/** How close to a place its own drawing may come on the map (a desk is drawn as an obstacle), m. */
const PLACE_BODY_METRES = 0.75;

/**
 * Line of sight on the site's map: every cell on the straight line from the path to the place
 * is known free, save the last `PLACE_BODY_METRES` (the desk or the screen itself). Unknown
 * cells (staff areas) hide what is behind them as walls do.
 */
export function inSight(map: GridMap): (from: XY, to: XY) => boolean {
  return (from, to) => {
    const length = Math.hypot(to.x - from.x, to.y - from.y);
    const reach = length - PLACE_BODY_METRES;
    const step = map.resolution / 2;
    for (let t = 0; t <= reach; t += step) {
      const x = from.x + ((to.x - from.x) * t) / length;
      const y = from.y + ((to.y - from.y) * t) / length;
      if (!map.isFreeAt(x, y)) return false;
    }
    return true;
  };
}

/**
 * The navigator's planner plugin, configured on its own short-lived node: the planner reads its
 * parameters from a node, and planning here happens before (and apart from) the robot's graph.
 */
function configuredPlanner(costmap: Costmap, options: DirectionsBookOptions): GlobalPlanner {
  const name = options.plannerPlugin ?? NAVIGATOR_DEFAULTS.planner_plugin;
  const make = PLANNERS[name];
  if (!make) {
    throw new RangeError(
      `directions book: unknown planner '${name}' (known: ${Object.keys(PLANNERS).join(', ')})`,
    );
  }
  const overrides = Object.fromEntries(
    Object.entries(options.plannerParams ?? {}).map(([k, v]) => [`planner.${k}`, v]),
  );
  const ctx = new EmbeddedContext({
    clock: new SimClock(0n),
    parameterOverrides: { directions_book: overrides },
  });
  const planner = make();
  planner.configure(ctx.createNode('directions_book'), 'planner', costmap);
  planner.activate();
  return planner;
}
