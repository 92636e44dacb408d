/**
 * Scripted pedestrians for the Gazebo export: each an SDF `<actor>` walking a closed loop of
 * seeded random stops on the floor, at a walking pace, facing the way it walks. The stops are
 * free spots with room (as the live sim places people, sim/pedestrians.ts), and the legs between
 * them are planned by the route finder the live sim's people use (sim/people-nav.ts: A* on the
 * walkable grid, straight lines only where a person's body clears every wall), so no leg crosses
 * a wall. Deterministic per seed; each pedestrian draws from its own stream, so adding one does
 * not move the others.
 */
import { distanceTransform, type Site } from '../../src/map/index.js';
import { MapRayCaster } from '../lidar.js';
import { PeopleNav, type Point2 } from '../people-nav.js';
import { Rng } from '../rng.js';
import type { ActorTrack, ActorWaypoint } from './actor-sdf.js';

export interface PedestrianOptions {
  count: number;
  seed: number;
  /** Stops on each loop, the start included. Default 4. */
  stops?: number;
  /** Walking speed, m/s. Default 1.2. */
  speed?: number;
}

/** Room round a pedestrian's start, m, and how far from the dock and the desks it must be. */
const START_CLEARANCE_M = 0.6;
const START_AWAY_M = 2.5;
const TRIES = 500;
/** Stops are at least this far apart, m, when the floor has room. */
const STOP_SPACING_M = 6;
/** Turning on the spot at a corner, rad/s, and never quicker than this, s. */
const TURN_RATE = 2;
const MIN_TURN_S = 0.1;

/** Up to `count` pedestrian loops on the site (fewer when the floor has no room for more). */
export function pedestrianTracks(site: Site, options: PedestrianOptions): ActorTrack[] {
  const caster = new MapRayCaster(site.map, distanceTransform(site.map));
  const nav = new PeopleNav(caster);
  const rng = new Rng(options.seed).fork('sdf-pedestrians');
  const away: Point2[] = [site.dock, ...site.destinations.map((d) => d.pose)];
  const tracks: ActorTrack[] = [];
  for (let i = 0; i < options.count; i++) {
    const own = rng.fork(`pedestrian-${i}`);
    const start = startSpot(own, caster, away);
    const loop = start && loopThrough(nav, own, start, options.stops ?? 4);
    if (!start || !loop) continue;
    away.push(start);
    tracks.push({ name: `pedestrian_${i}`, waypoints: timed(loop, options.speed ?? 1.2) });
  }
  return tracks;
}

function startSpot(rng: Rng, caster: MapRayCaster, away: readonly Point2[]): Point2 | undefined {
  const map = caster.map;
  for (let t = 0; t < TRIES; t++) {
    const x = map.originX + rng.uniform(0, map.widthM);
    const y = map.originY + rng.uniform(0, map.heightM);
    if (caster.freeDistanceAt(x, y) < START_CLEARANCE_M) continue;
    if (away.some((p) => Math.hypot(p.x - x, p.y - y) < START_AWAY_M)) continue;
    return { x, y };
  }
  return undefined;
}

/**
 * The closed walk start → stops → start as corner points (start first and last), each leg clear
 * of walls for a person's body; undefined when the floor gives no such loop.
 */
function loopThrough(nav: PeopleNav, rng: Rng, start: Point2, stops: number): Point2[] | undefined {
  const points: Point2[] = [start];
  for (let s = 1; s < stops; s++) {
    const stop = nav.randomPointNear(rng, start.x, start.y, STOP_SPACING_M);
    const way = stop && nav.path(points[points.length - 1]!, stop);
    if (way) points.push(...way);
  }
  const home = nav.path(points[points.length - 1]!, start);
  if (!home) return undefined;
  points.push(...home);
  const last = points[points.length - 1]!;
  if (last.x !== start.x || last.y !== start.y) points.push(start);
  const kept = dropRepeats(points);
  const clear = kept.every((p, k) => k === 0 || nav.lineOfSight(kept[k - 1]!.x, kept[k - 1]!.y, p.x, p.y));
  return clear && kept.length > 2 ? kept : undefined;
}

/** Corners closer than this, m, are one (so waypoint times, written to the millisecond, always rise). */
const SAME_SPOT_M = 0.01;

/** The corners without near repeats; the loop still ends exactly at its start. */
function dropRepeats(points: readonly Point2[]): Point2[] {
  const out = [points[0]!];
  for (let k = 1; k < points.length; k++) {
    const p = points[k]!;
    const last = out[out.length - 1]!;
    if (Math.hypot(p.x - last.x, p.y - last.y) > SAME_SPOT_M) out.push(p);
    else if (k === points.length - 1 && out.length > 1) out[out.length - 1] = p;
  }
  return out;
}

/**
 * Waypoints at `speed` along the corners: the actor arrives facing the leg it walked, turns on the
 * spot to face the next, and at the end turns back to its first heading, so the loop is seamless.
 */
function timed(points: readonly Point2[], speed: number): ActorWaypoint[] {
  const legs = points.slice(1).map((p, k) => Math.atan2(p.y - points[k]!.y, p.x - points[k]!.x));
  let yaw = legs[0]!;
  let time = 0;
  const out: ActorWaypoint[] = [{ time, x: points[0]!.x, y: points[0]!.y, yaw }];
  for (let k = 1; k < points.length; k++) {
    const p = points[k]!;
    time += Math.hypot(p.x - points[k - 1]!.x, p.y - points[k - 1]!.y) / speed;
    out.push({ time, x: p.x, y: p.y, yaw });
    const nextYaw = unwrapNear(legs[k % legs.length]!, yaw);
    if (Math.abs(nextYaw - yaw) > 1e-6) {
      time += Math.max(MIN_TURN_S, Math.abs(nextYaw - yaw) / TURN_RATE);
      yaw = nextYaw;
      out.push({ time, x: p.x, y: p.y, yaw });
    }
  }
  return out;
}

/** `angle` plus a multiple of 2π, as close as possible to `near`. */
function unwrapNear(angle: number, near: number): number {
  return angle + 2 * Math.PI * Math.round((near - angle) / (2 * Math.PI));
}
