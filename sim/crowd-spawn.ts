/**
 * Sets a scenario's crowd down on the floor: how many (a count, or a density over the floor
 * people can walk on), who walks in a group, who queues, who reads signs, everyone else
 * wandering; each on a random free spot away from the robot and the places it stops at (a
 * group's members close together), all drawn from one generator so a seed repeats.
 */
import type { Pose2D } from '../src/ros/index.js';
import {
  CrowdDirector,
  DEFAULT_CROWD_BEHAVIOUR_PARAMS,
  type CrowdBehaviourParams,
} from './crowd-behaviours.js';
import { CROWD_PEOPLE_MAX, type CrowdSpec } from './crowd-spec.js';
import { findStartSpot } from './pedestrians.js';
import type { SimPerson } from './person.js';
import type { Rng } from './rng.js';
import type { SocialForceParams } from './social-force.js';
import type { SimWorld } from './world.js';

export interface CrowdPlacement {
  /** How many the spec asked for (a density: what it comes to on this floor). */
  wanted: number;
  placed: number;
  /** The floor people can walk on, m². */
  freeAreaM2: number;
  groups: number;
  queuers: number;
  readers: number;
  /** Why fewer were placed than wanted, or why a behaviour was left out; empty when none. */
  warnings: string[];
  director: CrowdDirector;
}

/** A group's members start within this of each other, m. */
const GROUP_START_M = 1.2;

/** The floor people can walk on (PeopleNav's walkable cells), m². */
export function walkableAreaM2(world: SimWorld): number {
  const nav = world.nav;
  let cells = 0;
  for (let i = 0; i < nav.walkable.length; i++) cells += nav.walkable[i]!;
  return cells * nav.params.cellM * nav.params.cellM;
}

/** How many people a spec asks for on this floor, and the walkable area it was judged on. */
export function crowdSize(world: SimWorld, spec: CrowdSpec): { wanted: number; freeAreaM2: number } {
  const freeAreaM2 = spec.count === undefined ? walkableAreaM2(world) : NaN;
  const wanted = spec.count ?? Math.round(((spec.densityPer100M2 ?? 0) * freeAreaM2) / 100);
  return { wanted, freeAreaM2 };
}

/**
 * Adds the crowd (ids `pedestrian-0`…) and its director (stepped by the world). A density that
 * comes to more than the limit is held to it, and a floor with no room for everyone gets fewer:
 * both are said in `warnings`, with the numbers.
 */
export function spawnCrowd(
  world: SimWorld,
  spec: CrowdSpec,
  rng: Rng,
  keepClear: readonly Pose2D[] = [],
  behaviour: CrowdBehaviourParams = DEFAULT_CROWD_BEHAVIOUR_PARAMS,
): CrowdPlacement {
  const { wanted: asked, freeAreaM2 } = crowdSize(world, spec);
  const warnings: string[] = [];
  let wanted = asked;
  if (asked > CROWD_PEOPLE_MAX) {
    warnings.push(
      `a density of ${spec.densityPer100M2} per 100 m² on ${freeAreaM2.toFixed(0)} m² comes to ${asked} people; placed at most ${CROWD_PEOPLE_MAX} (crowdPeople, docs/limits.md)`,
    );
    wanted = CROWD_PEOPLE_MAX;
  }
  const director = new CrowdDirector(world, behaviour);
  const away: Pose2D[] = [world.robotPose(), ...keepClear];
  const sf = world.socialForceParams;
  const out = { placed: 0, groups: 0, queuers: 0, readers: 0 };
  const add = (spot: Pose2D, speed: number): SimPerson => {
    const id = `pedestrian-${out.placed++}`;
    away.push(spot);
    return world.addPerson({ id, pose: spot, role: 'pedestrian', walkSpeed: speed });
  };
  let inGroups = Math.round(wanted * spec.groups);
  let failed = 0;
  while (out.placed + failed < wanted) {
    const left = wanted - out.placed - failed;
    const size = inGroups >= 2 ? Math.min(inGroups, left, 2 + rng.int(3)) : 1;
    const first = findStartSpot(world, rng, away);
    if (!first) {
      failed += size;
      continue;
    }
    if (size === 1) {
      soloErrand(director, add(first, preferredSpeed(rng, sf)), spec, rng.fork(`person/${out.placed}`), out);
      continue;
    }
    inGroups -= size;
    const members = placeGroup(world, first, size, rng, away, add, preferredSpeed(rng, sf));
    failed += size - members.length;
    if (members.length >= 2) {
      director.addGroup(members, rng.fork(`group/${out.groups++}`));
    }
  }
  if (spec.queues > 0 && !director.hasQueues)
    warnings.push('no desk has room for a queue in front of it: nobody queues');
  if (out.placed < wanted) {
    warnings.push(
      `placed ${out.placed} of ${wanted} people: the floor has no more free spots with 0.6 m of room, 2.5 m from the robot, its stops and each other`,
    );
  }
  if (out.placed > 0 || wanted > 0) world.beforePeopleThink(() => director.step());
  return { wanted, freeAreaM2, ...out, warnings, director };
}

/** A preferred speed, normal as libpedsim draws vmax, held to the params' range, m/s. */
function preferredSpeed(rng: Rng, sf: SocialForceParams): number {
  const v = rng.normal(sf.speedMeanMps, sf.speedSdMps);
  return Math.min(sf.speedMaxMps, Math.max(sf.speedMinMps, v));
}

/** A lone walker's errand: a queue, signs, or wandering (SimPerson's own). */
function soloErrand(
  director: CrowdDirector,
  person: SimPerson,
  spec: CrowdSpec,
  rng: Rng,
  out: { queuers: number; readers: number },
): void {
  const u = rng.next();
  if (u < spec.queues && director.hasQueues) {
    director.addQueuer(person, rng);
    out.queuers++;
  } else if (u < spec.queues + spec.readers && director.hasSigns) {
    director.addReader(person, rng);
    out.readers++;
  }
}

/** The first member where found, the others on free spots within GROUP_START_M of them. */
function placeGroup(
  world: SimWorld,
  first: Pose2D,
  size: number,
  rng: Rng,
  away: Pose2D[],
  add: (spot: Pose2D, speed: number) => SimPerson,
  speed: number,
): SimPerson[] {
  const members = [add(first, speed)];
  const taken = [first];
  for (let k = 1; k < size; k++) {
    for (let t = 0; t < 50; t++) {
      const a = rng.uniform(-Math.PI, Math.PI);
      const d = rng.uniform(0.6, GROUP_START_M);
      const x = first.x + d * Math.cos(a);
      const y = first.y + d * Math.sin(a);
      if (world.caster.freeDistanceAt(x, y) < 0.4) continue;
      if (taken.some((p) => Math.hypot(p.x - x, p.y - y) < 0.6)) continue;
      if (away.slice(0, away.length - taken.length).some((p) => Math.hypot(p.x - x, p.y - y) < 2)) continue;
      const spot = { x, y, yaw: first.yaw };
      taken.push(spot);
      members.push(add(spot, speed));
      break;
    }
  }
  return members;
}
