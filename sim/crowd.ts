/**
 * Moves the people one step: each one's preferred velocity, bent by a simple social force
 * (Helbing-style repulsion from the robot and each other, with a sidestep to pass), limited in
 * acceleration, then moved only where it does not walk into a wall, an obstacle, the robot or
 * another person (sliding along when the straight move is blocked).
 */
import type { MapRayCaster } from './lidar.js';
import type { SimPerson } from './person.js';
import { pointBoxDistance, type Box, type Disc } from './shapes.js';

export interface CrowdParams {
  /** Repulsion between people: strength, m/s, and fall-off, m (edge gap). */
  personAvoidGain: number;
  personAvoidRangeM: number;
  /** Repulsion of passers-by from the robot. */
  robotAvoidGain: number;
  robotAvoidRangeM: number;
  /**
   * Followers and standing people only step back when the robot's edge comes closer than
   * `followerStepBackM`, and slowly: a robot that drives at them still runs into them.
   */
  followerRobotAvoidGain: number;
  followerRobotAvoidRangeM: number;
  followerStepBackM: number;
  /** Agents further than this (edge gap) are ignored, m. */
  avoidHorizonM: number;
  /** Weight of agents behind (0) vs ahead (1): people mostly avoid what they see. */
  behindWeight: number;
  /** Sidestep as a share of the repulsion, to pass rather than stall. */
  sidestepShare: number;
  /** People never step closer than this to the robot's edge, m: contacts are the robot's doing. */
  robotBufferM: number;
}

export const DEFAULT_CROWD_PARAMS: CrowdParams = {
  personAvoidGain: 0.8,
  personAvoidRangeM: 0.3,
  robotAvoidGain: 1.2,
  robotAvoidRangeM: 0.45,
  followerRobotAvoidGain: 0.4,
  followerRobotAvoidRangeM: 0.12,
  followerStepBackM: 0.25,
  avoidHorizonM: 3,
  behindWeight: 0.4,
  sidestepShare: 0.6,
  robotBufferM: 0.02,
};

export interface CrowdScene {
  readonly robot: Disc;
  readonly caster: MapRayCaster;
  readonly discObstacles: readonly Disc[];
  readonly boxObstacles: readonly Box[];
}

/** Scratch for the velocity being shaped (x, y), so a step allocates nothing. */
const shaped = new Float64Array(2);

export function moveCrowd(
  people: readonly SimPerson[],
  scene: CrowdScene,
  dtS: number,
  p: CrowdParams,
): void {
  for (const person of people) {
    const prefX = person.prefVx;
    const prefY = person.prefVy;
    const prefSpeed = Math.hypot(prefX, prefY);
    const dirX = prefSpeed > 1e-9 ? prefX / prefSpeed : 0;
    const dirY = prefSpeed > 1e-9 ? prefY / prefSpeed : 0;
    shaped[0] = prefX;
    shaped[1] = prefY;
    // Followers and people standing about only step back when the robot comes really close;
    // people walking somewhere give it room early and pass it.
    const mode = person.mode;
    const following = mode === 'follow' || mode === 'paused' || mode === 'stand';
    const passerBy = prefSpeed > 1e-9 && !following;
    for (const other of people) {
      if (other !== person) {
        avoid(
          person,
          other,
          dirX,
          dirY,
          p.personAvoidGain,
          p.personAvoidRangeM,
          passerBy,
          p.avoidHorizonM,
          p,
        );
      }
    }
    if (following) {
      const robot = scene.robot;
      avoid(
        person,
        robot,
        dirX,
        dirY,
        p.followerRobotAvoidGain,
        p.followerRobotAvoidRangeM,
        false,
        p.followerStepBackM,
        p,
      );
    } else {
      avoid(
        person,
        scene.robot,
        dirX,
        dirY,
        p.robotAvoidGain,
        p.robotAvoidRangeM,
        passerBy,
        p.avoidHorizonM,
        p,
      );
    }
    let vx = shaped[0]!;
    let vy = shaped[1]!;

    // Acceleration limits (people brake harder than they speed up), then a top speed.
    const curX = person.vx;
    const curY = person.vy;
    const speeding = Math.hypot(vx, vy) >= Math.hypot(curX, curY);
    const maxDv = (speeding ? person.params.accelMps2 : person.params.decelMps2) * dtS;
    let dvx = vx - curX;
    let dvy = vy - curY;
    const dv = Math.hypot(dvx, dvy);
    if (dv > maxDv) {
      dvx *= maxDv / dv;
      dvy *= maxDv / dv;
    }
    vx = curX + dvx;
    vy = curY + dvy;
    const top = Math.max(0.5, person.walkSpeed * 1.25);
    const speed = Math.hypot(vx, vy);
    if (speed > top) {
      vx *= top / speed;
      vy *= top / speed;
    }

    const x0 = person.x;
    const y0 = person.y;
    let nx = x0 + vx * dtS;
    let ny = y0 + vy * dtS;
    if (!canStand(person, nx, ny, people, scene, p)) {
      if (canStand(person, nx, y0, people, scene, p)) ny = y0;
      else if (canStand(person, x0, ny, people, scene, p)) nx = x0;
      else {
        nx = x0;
        ny = y0;
      }
    }
    person.moved(nx, ny, (nx - x0) / dtS, (ny - y0) / dtS);
  }
}

/**
 * Adds to `shaped` the push away from `other` (weighted by whether it is ahead) and, for people
 * passing by, a sidestep away from it.
 */
function avoid(
  person: SimPerson,
  other: Disc,
  dirX: number,
  dirY: number,
  gain: number,
  range: number,
  sidestep: boolean,
  horizon: number,
  p: CrowdParams,
): void {
  const dx = person.x - other.x;
  const dy = person.y - other.y;
  const reach = horizon + person.radius + other.radius;
  if (dx > reach || dx < -reach || dy > reach || dy < -reach) return;
  const d = Math.hypot(dx, dy);
  const gap = d - person.radius - other.radius;
  if (gap > horizon || d < 1e-9) return;
  const nx = dx / d;
  const ny = dy / d;
  const moving = dirX !== 0 || dirY !== 0;
  // cos of the angle between where the person walks and where the other is.
  const ahead = moving ? -(dirX * nx + dirY * ny) : 1;
  const weight = p.behindWeight + ((1 - p.behindWeight) * (1 + ahead)) / 2;
  const mag = gain * Math.exp(-Math.max(gap, 0) / range) * weight;
  shaped[0] = shaped[0]! + nx * mag;
  shaped[1] = shaped[1]! + ny * mag;
  if (sidestep && ahead > 0) {
    // Step to the side away from the other (to the right when dead ahead).
    const otherOnRight = dirX * -dy + dirY * dx < 0;
    const sx = otherOnRight ? -dirY : dirY;
    const sy = otherOnRight ? dirX : -dirX;
    shaped[0] = shaped[0]! + sx * mag * p.sidestepShare;
    shaped[1] = shaped[1]! + sy * mag * p.sidestepShare;
  }
}

/** May the person move to (x, y)? Touching is refused unless it gets them out of a touch. */
function canStand(
  person: SimPerson,
  x: number,
  y: number,
  people: readonly SimPerson[],
  scene: CrowdScene,
  p: CrowdParams,
): boolean {
  const r = person.radius;
  const x0 = person.x;
  const y0 = person.y;
  const wallNeed = r * 0.8;
  const wall = scene.caster.freeDistanceAt(x, y);
  if (wall < wallNeed && wall < scene.caster.freeDistanceAt(x0, y0)) return false;
  if (!keepsOff(x, y, x0, y0, r, scene.robot, p.robotBufferM)) return false;
  for (const o of scene.discObstacles) if (!keepsOff(x, y, x0, y0, r, o, 0)) return false;
  for (const b of scene.boxObstacles) {
    const d = pointBoxDistance(x, y, b);
    if (d < r && d < pointBoxDistance(x0, y0, b)) return false;
  }
  for (const o of people) if (o !== person && !keepsOff(x, y, x0, y0, r, o, 0)) return false;
  return true;
}

/** Clear of the disc at (x, y), or at least no closer than from (x0, y0)? */
function keepsOff(x: number, y: number, x0: number, y0: number, r: number, o: Disc, extra: number): boolean {
  const need = r + o.radius + extra;
  const dx = x - o.x;
  const dy = y - o.y;
  if (dx > need || dx < -need || dy > need || dy < -need) return true;
  const d = Math.hypot(dx, dy);
  return d >= need || d >= Math.hypot(x0 - o.x, y0 - o.y);
}
