/**
 * Which robot takes a task: a pure function of the task, the site and the robots' last states.
 * The cost is the expected seconds until the robot is where the customer waits (or, for a goto,
 * where it is sent), plus what it must finish first and a small price on an emptier battery, so
 * that of two robots equally near the fuller goes. A robot is not a candidate at all when it is on
 * another site, not online, not available (busy, charging below the resume mark, e-stopped, lost),
 * or when the trip and the way home would take it below the low-charge mark (docs/fleet.md).
 */
import type { Site } from '../../map/index.js';
import type { RobotState, Task } from '../protocol.js';
import { FLEET_LOW_CHARGE } from '../agent/robot-watch.js';

export const ALLOCATION = {
  /** m/s: the guide's cruising speed with a customer (guide params), for expected times. */
  speedMps: 0.8,
  /** Routes are this much longer than the straight line on a service-centre floor (the mission's own). */
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

/** Ranks the robots that can take the task now; the first is the one to send. */
export function allocate(
  task: Task,
  site: Site,
  robots: readonly Candidate[],
  excluded: ReadonlySet<string> = new Set(),
): Allocation {
  const onSite = robots.filter((r) => r.site === task.site);
  if (onSite.length === 0) return { ok: false, reason: 'no_robot_on_site' };
  const pickup = pickupPoint(task, site);
  const home = site.dock;
  const ranked = onSite
    .filter((r) => r.online && r.state?.available === true && !excluded.has(r.robot))
    .filter((r) => task.robot === undefined || r.robot === task.robot)
    .flatMap((r) => {
      const c = cost(r.state!, pickup, site, task, home);
      return c ? [{ robot: r.robot, ...c }] : [];
    })
    .sort((a, b) => a.costS - b.costS || a.robot.localeCompare(b.robot));
  if (ranked.length === 0)
    return { ok: false, reason: task.robot ? 'chosen_robot_unavailable' : 'none_available' };
  return { ok: true, best: ranked[0]!, ranked };
}

function cost(
  state: RobotState,
  pickup: Point,
  site: Site,
  task: Task,
  home: Point,
): Omit<Costed, 'robot'> | undefined {
  const pose = state.pose;
  const charge = state.battery.charge;
  if (!pose || charge === null) return undefined;
  const toPickup = straight(pose, pickup) * ALLOCATION.detourFactor;
  const destination = site.destinations.find((d) => d.id === task.destination)?.pose ?? pickup;
  const rest = (straight(pickup, destination) + straight(destination, home)) * ALLOCATION.detourFactor;
  if (charge - (toPickup + rest) * ALLOCATION.chargePerMetre < FLEET_LOW_CHARGE) return undefined;
  const travelS = toPickup / ALLOCATION.speedMps;
  const startupS = ALLOCATION.startupS[state.mission.state] ?? 0;
  const batteryS = (1 - charge) * ALLOCATION.emptierPenaltyS;
  return {
    costS: round(travelS + startupS + batteryS),
    terms: { travelS: round(travelS), startupS, batteryS: round(batteryS) },
  };
}

interface Point {
  x: number;
  y: number;
}

/** Where the robot must get to first: the customer's meeting point, or for a goto its goal. */
export function pickupPoint(task: Task, site: Site): Point {
  const id = task.kind === 'escort' ? (task.meet ?? 'dock') : task.destination;
  if (id === 'dock') return site.dock;
  return site.destinations.find((d) => d.id === id)?.pose ?? site.dock;
}

/**
 * Where another robot meets a failed robot's customer: the destination nearest where it stopped,
 * but not one the failed robot's body stands on (its goal would be blocked by it): at least
 * `clearM` from it. The site's dock when nothing else is near.
 */
export function meetingPoint(site: Site, failedAt: Point, clearM = MEET_CLEAR_M): string {
  let best = 'dock';
  let bestD = Infinity;
  for (const d of [...site.destinations, { id: 'dock', pose: site.dock }]) {
    const m = straight(failedAt, d.pose);
    if (m >= clearM && m < bestD) [best, bestD] = [d.id, m];
  }
  return best;
}

/** m: a meeting point this far from a failed robot leaves room to stop beside the customer. */
export const MEET_CLEAR_M = 1.5;

function straight(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
