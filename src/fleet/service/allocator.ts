/**
 * Which robot takes a task: a pure function of the task, the site and the robots' last states.
 * The cost is the expected seconds until the robot is where the customer waits (or, for a goto,
 * where it is sent) along the way it would drive (site-distances.ts), plus what it must finish first and a small price on an emptier battery, so
 * that of two robots equally near the fuller goes. A robot is not a candidate at all when it is on
 * another site, not online, not available (busy, charging below the resume mark, e-stopped, lost),
 * or when the trip and the way home would take it below the low-charge mark (docs/fleet.md).
 */
import type { Site } from '../../map/index.js';
import type { RobotState, Task } from '../protocol.js';
import { FLEET_LOW_CHARGE } from '../agent/robot-watch.js';
import { placeLocator, straightDistances, type Point, type SiteDistances } from './site-distances.js';

export const ALLOCATION = {
  /** m/s: the guide's cruising speed with a customer (guide params), for expected times. */
  speedMps: 0.8,
  /** Without a map (`straightDistances`): routes are this much longer than the straight line. */
  detourFactor: 1.4,
  /** s: what a robot finishes first: backing off its dock, the last of its docking. */
  startupS: { idle: 0, returning: 0, docking: 10, charging: 15 } as Record<string, number>,
  /** s per unit of charge missing: between equals, the fuller robot goes. */
  emptierPenaltyS: 60,
  /** The charge a metre costs (fraction): 45 W driving with a customer, 200 Wh pack, 0.8 m/s. */
  chargePerMetre: 45 / 0.8 / (200 * 3600),
} as const;

export interface Candidate {
  robot: string;
  site: string;
  online: boolean;
  state: RobotState | null;
}

export interface Costed {
  robot: string;
  costS: number;
  /** The terms of the cost, for the audit and the console. */
  terms: { travelS: number; startupS: number; batteryS: number };
}

export type Allocation =
  | { ok: true; best: Costed; ranked: Costed[] }
  | { ok: false; reason: 'no_robot_on_site' | 'none_available' | 'chosen_robot_unavailable' };

export interface AllocateOptions {
  /** Robots this task must not go to again (they declined it or failed it). */
  excluded?: ReadonlySet<string>;
  /** How far robots drive on the task's site: routes in the service, straight lines by default. */
  distances?: SiteDistances;
}

/** Ranks the robots that can take the task now; the first is the one to send. */
export function allocate(
  task: Task,
  site: Site,
  robots: readonly Candidate[],
  options: AllocateOptions = {},
): Allocation {
  const onSite = robots.filter((r) => r.site === task.site);
  if (onSite.length === 0) return { ok: false, reason: 'no_robot_on_site' };
  const excluded = options.excluded ?? new Set();
  const trip = tripOf(task, site, options.distances ?? straightDistances(site, ALLOCATION.detourFactor));
  const ranked = onSite
    .filter((r) => r.online && r.state?.available === true && !excluded.has(r.robot))
    .filter((r) => task.robot === undefined || r.robot === task.robot)
    .flatMap((r) => {
      const c = trip && cost(r.state!, trip);
      return c ? [{ robot: r.robot, ...c }] : [];
    })
    .sort((a, b) => a.costS - b.costS || a.robot.localeCompare(b.robot));
  if (ranked.length === 0)
    return { ok: false, reason: task.robot ? 'chosen_robot_unavailable' : 'none_available' };
  return { ok: true, best: ranked[0]!, ranked };
}

/** The task's trip as the cost needs it: how far to its pickup, and what is driven after it. */
interface Trip {
  toPickup(from: Point): number | undefined;
  /** m: pickup → destination → dock, the same for every robot. */
  restM: number;
}

/** Undefined when the floor has no way from the pickup to the destination and home. */
function tripOf(task: Task, site: Site, distances: SiteDistances): Trip | undefined {
  const placeAt = placeLocator(site);
  const pickup = placeAt(pickupPlace(task)) ? pickupPlace(task) : 'dock';
  const destination = placeAt(task.destination) ? task.destination : pickup;
  const toDestination = distances.toPlace(destination, placeAt(pickup)!);
  const home = distances.toPlace('dock', placeAt(destination)!);
  if (toDestination === undefined || home === undefined) return undefined;
  return { toPickup: (from) => distances.toPlace(pickup, from), restM: toDestination + home };
}

/** Undefined when the robot cannot take the trip: no pose, no charge, no way, too little charge. */
function cost(state: RobotState, trip: Trip): Omit<Costed, 'robot'> | undefined {
  const pose = state.pose;
  const charge = state.battery.charge;
  if (!pose || charge === null) return undefined;
  const toPickup = trip.toPickup(pose);
  if (toPickup === undefined) return undefined;
  if (charge - (toPickup + trip.restM) * ALLOCATION.chargePerMetre < FLEET_LOW_CHARGE) return undefined;
  const travelS = toPickup / ALLOCATION.speedMps;
  const startupS = ALLOCATION.startupS[state.mission.state] ?? 0;
  const batteryS = (1 - charge) * ALLOCATION.emptierPenaltyS;
  return {
    costS: round(travelS + startupS + batteryS),
    terms: { travelS: round(travelS), startupS, batteryS: round(batteryS) },
  };
}

/** Where the robot must get to first: the customer's meeting point, or for a goto its goal. */
export function pickupPlace(task: Task): string {
  return task.kind === 'escort' ? (task.meet ?? 'dock') : task.destination;
}

/**
 * Where another robot meets a failed robot's customer: the place (a destination or the dock)
 * nearest along the floor from where it stopped, but not one the failed robot's body stands on
 * (its goal would be blocked by it): at least `clearM` from it.
 */
export function meetingPoint(
  site: Site,
  failedAt: Point,
  distances: SiteDistances = straightDistances(site, 1),
  clearM = MEET_CLEAR_M,
): string {
  const walk = distances.fromPoint(failedAt);
  let best = 'dock';
  let bestM = Infinity;
  for (const d of [...site.destinations, { id: 'dock', pose: site.dock }]) {
    const m = walk(d.id);
    const clear = Math.hypot(failedAt.x - d.pose.x, failedAt.y - d.pose.y) >= clearM;
    if (m !== undefined && clear && m < bestM) [best, bestM] = [d.id, m];
  }
  return best;
}

/** m: a meeting point this far from a failed robot leaves room to stop beside the customer. */
export const MEET_CLEAR_M = 1.5;

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
