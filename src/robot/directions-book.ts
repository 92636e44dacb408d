/**
 * The directions book: the way from the dock to every destination, in words, worked out once
 * (per destination, when first asked for) so that the mission can give directions at once when a
 * customer would rather walk alone. Each route is planned by the navigator's own planner plugin on the site's
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
import {
  EmbeddedContext,
  SimClock,
  Time,
  poseStamped,
  type ParameterValue,
  type Pose2D,
} from '../ros/index.js';
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
  const router = directionsRouter(site, options);
  try {
    const directions = new Map<string, Directions>();
    for (const d of site.destinations) {
      const way = router.wayTo(d.id);
      if (way) directions.set(d.id, way);
    }
    return directions;
  } finally {
    router.close();
  }
}

/** Plans and words the way from the dock to one destination at a time, on one configured planner. */
function directionsRouter(site: Site, options: DirectionsBookOptions) {
  const costmap = options.costmap ?? siteCostmap(site, options.robot);
  const planner = configuredPlanner(costmap, options);
  const places = sitePlaces(site);
  const describe = { seen: inSight(site.map), ...options.describe };
  const stamp = new Time(0n);
  const byId = new Map(site.destinations.map((d) => [d.id, d]));
  return {
    /** The way from `from` (the dock unless said) to destination `id`, in words. */
    wayTo(id: string, from: Pose2D = site.dock): Directions | undefined {
      const d = byId.get(id);
      if (!d) return undefined;
      let points: XY[];
      try {
        const start = poseStamped('map', stamp, from);
        const path = planner.plan(start, poseStamped('map', stamp, d.pose), () => false);
        points = path.poses.map((p) => ({ x: p.pose.position.x, y: p.pose.position.y }));
      } catch (e) {
        if (!(e instanceof NavError)) throw e;
        options.onUnreachable?.({ destinationId: d.id, code: e.code, message: e.message });
        return undefined;
      }
      return describeRoute(points, from.yaw, places, destinationPlace(d), describe);
    },
    close: () => planner.cleanup(),
  };
}

/**
 * The book, planned a route at a time as customers ask: startRobot hands it to the mission
 * without making every start (and every simulated scenario) wait, and a request for one way
 * costs one plan (milliseconds), never the whole book at once in the middle of an escort, when
 * the same process also runs the controller. Listing the book (size, keys) plans the rest.
 */
export function lazyDirectionsBook(
  site: Site,
  options: DirectionsBookOptions = {},
): ReadonlyMap<string, Directions> {
  let router: ReturnType<typeof directionsRouter> | undefined;
  const known = new Map<string, Directions | undefined>();
  const wayTo = (id: string) => {
    if (!known.has(id)) known.set(id, (router ??= directionsRouter(site, options)).wayTo(id));
    return known.get(id);
  };
  const all = () => {
    const book = new Map<string, Directions>();
    for (const d of site.destinations) {
      const way = wayTo(d.id);
      if (way) book.set(d.id, way);
    }
    return book;
  };
  return {
    get: (id) => wayTo(id),
    has: (id) => wayTo(id) !== undefined,
    get size() {
      return all().size;
    },
    forEach: (fn, thisArg) => all().forEach(fn, thisArg),
    entries: () => all().entries(),
    keys: () => all().keys(),
    values: () => all().values(),
    [Symbol.iterator]: () => all()[Symbol.iterator](),
  };
}

/**
 * The way from anywhere on the floor to a destination, in words, planned when asked (for a
 * customer the robot must leave mid-escort). A destination it cannot reach from there: undefined.
 */
export function wayFromAnywhere(
  site: Site,
  options: DirectionsBookOptions = {},
): (from: Pose2D, destinationId: string) => Directions | undefined {
  let router: ReturnType<typeof directionsRouter> | undefined;
  const quiet = { ...options, onUnreachable: undefined };
  return (from, id) => (router ??= directionsRouter(site, quiet)).wayTo(id, from);
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
  planner.configure(ctx.createNode('directions_book'), 'planner', costmap, costmap);
  planner.activate();
  return planner;
}
