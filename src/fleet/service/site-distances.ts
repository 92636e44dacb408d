/**
 * How far a robot drives between two points of a site, for the allocator's expected times. A
 * straight line misleads on a real floor: a robot 3 m from the customer through a wall may have
 * 40 m to drive, and the robot 10 m away in the open would be there first. So distances are
 * route lengths over the site's static costmap (its map and no-go zones, inflated for the robot's
 * body, as the navigator plans on), measured on a coarse copy of it: one Dijkstra from a place
 * gives the way from every cell to that place, kept per place and reused for every task and
 * every robot. `straightDistances` is the cheap estimate it replaces, kept as the bench's peer.
 */
import { COST_INSCRIBED, DEFAULT_INFLATION, buildCostmap, type Costmap, type Site } from '../../map/index.js';
import { GridSearch, padCostGrid } from '../../navigation/index.js';
import { DEFAULT_ROBOT, type RobotDescription } from '../../robot-description.js';

export interface Point {
  x: number;
  y: number;
}

/** Distances on one site, in metres driven; undefined where the robot cannot get. */
export interface SiteDistances {
  /** From a point to a place (a destination's id, or 'dock'). */
  toPlace(placeId: string, from: Point): number | undefined;
  /** From a point to every place, in one search (for a rare question such as a meeting point). */
  fromPoint(from: Point): (placeId: string) => number | undefined;
}

export const ROUTE_DISTANCES = {
  /** m: the coarse cell side; a route is measured to about this much. */
  cellM: 0.2,
  /** m: a robot or place standing in a wall's margin (a dock, a robot pressed aside) is joined to
   * the nearest free cell this near. */
  snapM: 1.0,
  /** Places whose routes are kept at once; the rest are searched again when asked for. */
  keptPlaces: 48,
} as const;

/** Routes a robot of `robot`'s body drives on `site`; fields are made when first asked for. */
export function routeDistances(site: Site, robot: RobotDescription = DEFAULT_ROBOT): SiteDistances {
  return new RouteDistances(site, robot);
}

/** The straight line times `detourFactor`: no map needed, blind to walls. */
export function straightDistances(site: Site, detourFactor: number): SiteDistances {
  const placeAt = placeLocator(site);
  const toPlace = (id: string, from: Point) => {
    const p = placeAt(id);
    return p ? Math.hypot(p.x - from.x, p.y - from.y) * detourFactor : undefined;
  };
  return { toPlace, fromPoint: (from) => (id) => toPlace(id, from) };
}

/** A place's point by id: a destination's pose, or the dock (one table per site, kept). */
export function placeLocator(site: Site): (id: string) => Point | undefined {
  let places = PLACES.get(site);
  if (!places) {
    places = new Map<string, Point>(site.destinations.map((d) => [d.id, d.pose]));
    places.set('dock', site.dock);
    PLACES.set(site, places);
  }
  const table = places;
  return (id) => table.get(id);
}

const PLACES = new WeakMap<Site, Map<string, Point>>();

class RouteDistances implements SiteDistances {
  readonly #grid: CoarseGrid;
  readonly #placeAt: (id: string) => Point | undefined;
  /** Route length from each cell to a place, by place id, oldest first. */
  readonly #fields = new Map<string, Float64Array>();
  readonly #search: GridSearch;
  #last: { id: string; field: Float64Array } | undefined;

  constructor(site: Site, robot: RobotDescription) {
    const fine = buildCostmap(site.map, site.zones, { ...DEFAULT_INFLATION, inscribed_radius: robot.radius });
    this.#grid = coarseGrid(fine, ROUTE_DISTANCES.cellM);
    this.#placeAt = placeLocator(site);
    this.#search = new GridSearch(this.#grid.width, this.#grid.height);
  }

  toPlace(placeId: string, from: Point): number | undefined {
    const field = this.#field(placeId);
    const start = this.#grid.snap(from);
    if (!field || !start) return undefined;
    return finite(field[start.cell]! + start.offsetM);
  }

  fromPoint(from: Point): (placeId: string) => number | undefined {
    const start = this.#grid.snap(from);
    if (!start) return () => undefined;
    const field = this.#distancesFrom(start.cell);
    return (placeId) => {
      const p = this.#placeAt(placeId);
      const end = p && this.#grid.snap(p);
      return end ? finite(field[end.cell]! + start.offsetM + end.offsetM) : undefined;
    };
  }

  #field(placeId: string): Float64Array | undefined {
    // One task asks for the same place once per robot: the last one is at hand without the LRU.
    if (placeId === this.#last?.id) return this.#last.field;
    const field = this.#keptField(placeId);
    if (field) this.#last = { id: placeId, field };
    return field;
  }

  #keptField(placeId: string): Float64Array | undefined {
    const kept = this.#fields.get(placeId);
    if (kept) {
      this.#fields.delete(placeId);
      this.#fields.set(placeId, kept);
      return kept;
    }
    const p = this.#placeAt(placeId);
    const at = p && this.#grid.snap(p);
    if (!at) return undefined;
    const field = this.#distancesFrom(at.cell);
    // The place's own offset from its cell is part of every route to it.
    for (let i = 0; i < field.length; i++) field[i]! += at.offsetM;
    this.#fields.set(placeId, field);
    if (this.#fields.size > ROUTE_DISTANCES.keptPlaces)
      this.#fields.delete(this.#fields.keys().next().value!);
    return field;
  }

  #distancesFrom(cell: number): Float64Array {
    const out = new Float64Array(this.#grid.costs.length);
    this.#search.distancesFrom(this.#grid.costs, cell, ROUTE_OPTIONS, out);
    return out;
  }
}

/** Route length, not a preference: every passable cell costs its length alone. */
const ROUTE_OPTIONS = { cellSize: ROUTE_DISTANCES.cellM, costWeight: 0, allowUnknown: false };
const FREE = 0;
const BLOCKED = 254;

function finite(m: number): number | undefined {
  return Number.isFinite(m) ? m : undefined;
}

/** A padded coarse grid of free and blocked cells, and how points land on it. */
interface CoarseGrid {
  width: number;
  height: number;
  costs: Uint8Array;
  /** The free cell nearest `p` (its own when free) and how far that is; undefined if none near. */
  snap(p: Point): { cell: number; offsetM: number } | undefined;
}

/**
 * `fine` pooled into cells of `cellM`: a coarse cell is free when any fine cell in it is (a door
 * one fine cell wide stays open). This never opens a wall: the inflated band round every wall is
 * at least the robot's diameter wide, several coarse cells.
 */
function coarseGrid(fine: Costmap, cellM: number): CoarseGrid {
  const k = Math.max(1, Math.round(cellM / fine.resolution));
  const w = Math.ceil(fine.width / k);
  const h = Math.ceil(fine.height / k);
  const free = new Uint8Array(w * h).fill(BLOCKED);
  for (let r = 0; r < fine.height; r++)
    for (let c = 0; c < fine.width; c++)
      if (fine.costs[r * fine.width + c]! < COST_INSCRIBED)
        free[Math.floor(r / k) * w + Math.floor(c / k)] = FREE;
  const costs = padCostGrid(free, w, h);
  const size = k * fine.resolution;
  const reach = Math.ceil(ROUTE_DISTANCES.snapM / size);
  const centre = (i: number) => (i + 0.5) * size;
  const snap = (p: Point) => {
    const px = p.x - fine.originX;
    const py = p.y - fine.originY;
    const col = Math.floor(px / size);
    const row = Math.floor(py / size);
    const at = (c: number, r: number) => ({
      cell: (r + 1) * (w + 2) + c + 1,
      offsetM: Math.hypot(centre(c) - px, centre(r) - py),
    });
    const inside = (c: number, r: number) => c >= 0 && r >= 0 && c < w && r < h;
    if (inside(col, row) && free[row * w + col] === FREE) return at(col, row);
    let best: { cell: number; offsetM: number } | undefined;
    for (let dr = -reach; dr <= reach; dr++)
      for (let dc = -reach; dc <= reach; dc++) {
        const [c, r] = [col + dc, row + dr];
        if (!inside(c, r) || free[r * w + c] !== FREE) continue;
        const found = at(c, r);
        if (found.offsetM <= ROUTE_DISTANCES.snapM && (!best || found.offsetM < best.offsetM)) best = found;
      }
    return best;
  };
  return { width: w + 2, height: h + 2, costs, snap };
}
