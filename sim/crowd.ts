/**
 * Moves the people one step. Background pedestrians walk by the social force model
 * (social-force.ts: relaxation to the preferred velocity, other people, the robot, walls,
 * their group), integrated semi-implicitly at the simulator's step with their speed capped.
 * Customers and anyone else keep the followers' rule: the preferred velocity bent by a simple
 * repulsion from the robot and each other (with a sidestep to pass), limited in acceleration.
 * Either way a person is then moved only where they do not walk into a wall, an obstacle, the
 * robot or another person (sliding along when the straight move is blocked).
 */
import type { MapRayCaster } from './lidar.js';
import type { SimPerson } from './person.js';
import { pointBoxDistance, type Box, type Disc } from './shapes.js';
import {
  addDesiredForce,
  addGroupForces,
  addGroupRepulsion,
  addObstacleForce,
  addSocialForce,
  robotDiffScalingAt,
  type SocialForceParams,
} from './social-force.js';

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
  /** The robot's velocity, map frame, m/s (people read where it is going). */
  readonly robotVelocity: { readonly x: number; readonly y: number };
  readonly caster: MapRayCaster;
  readonly discObstacles: readonly Disc[];
  readonly boxObstacles: readonly Box[];
}

/** Scratch for the velocity being shaped (x, y), so a step allocates nothing. */
const shaped = new Float64Array(2);
/** Scratch for the social force model's summed acceleration (x, y). */
const accel = new Float64Array(2);

export function moveCrowd(
  people: readonly SimPerson[],
  scene: CrowdScene,
  dtS: number,
  p: CrowdParams,
  sf: SocialForceParams,
): void {
  for (const person of people) {
    if (person.crowd.socialForce) socialForceVelocity(person, people, scene, dtS, sf);
    else followerVelocity(person, people, scene, dtS, p);
    place(person, shaped[0]!, shaped[1]!, people, scene, dtS, p);
  }
}

/**
 * The social force model's velocity for this step into `shaped`: v + a·dt, capped at the
 * person's top speed (semi-implicit Euler: the position then moves by the new velocity).
 */
function socialForceVelocity(
  person: SimPerson,
  people: readonly SimPerson[],
  scene: CrowdScene,
  dtS: number,
  sf: SocialForceParams,
): void {
  accel[0] = 0;
  accel[1] = 0;
  const calm = !desireToWalk(person, sf) || person.settling;
  addDesiredForce(accel, shaped[0]!, shaped[1]!, person.vx, person.vy, sf);
  const x = person.x;
  const y = person.y;
  const reach = sf.neighbourhoodM;
  for (const other of people) {
    if (other === person) continue;
    const dx = other.x - x;
    const dy = other.y - y;
    if (dx > reach || dx < -reach || dy > reach || dy < -reach) continue;
    // People standing about (a queue, a group chatting) do not push each other away, nor put
    // off someone coming to stand with them.
    if (calm && Math.hypot(other.vx, other.vy) < sf.standingMps) continue;
    addSocialForce(
      accel,
      x,
      y,
      person.vx,
      person.vy,
      other.x,
      other.y,
      other.vx,
      other.vy,
      sf.forceFactorSocial,
      1,
      person.radius + other.radius,
      sf,
    );
  }
  const robot = scene.robot;
  const robotV = scene.robotVelocity;
  if (Math.abs(robot.x - x) < 2 * reach && Math.abs(robot.y - y) < 2 * reach) {
    addSocialForce(
      accel,
      x,
      y,
      person.vx,
      person.vy,
      robot.x,
      robot.y,
      robotV.x,
      robotV.y,
      sf.forceFactorRobot,
      // Someone standing feels a robot driving past as they feel a person (it does not herd
      // them along); people walking, or standing in its way, read it from further away.
      calm && !inRobotsWay(person, robot, robotV)
        ? 1
        : robotDiffScalingAt(Math.hypot(robotV.x, robotV.y), sf),
      person.radius + robot.radius,
      sf,
    );
  }
  addNearestObstacleForce(person, scene, sf);
  const group = person.crowd.group;
  if (group) addGroup(person, group, sf);
  const vx = person.vx + accel[0]! * dtS;
  const vy = person.vy + accel[1]! * dtS;
  shapeCapped(vx, vy, person.walkSpeed * sf.maxSpeedFactor);
}

/** m: someone this close to the robot's swept path (edge to edge) is in its way. */
const ROBOT_WAY_MARGIN_M = 0.3;

/** Ahead of the moving robot, within its swept width and a margin. */
function inRobotsWay(person: SimPerson, robot: Disc, v: { x: number; y: number }): boolean {
  const speed = Math.hypot(v.x, v.y);
  if (speed < 1e-6) return false;
  const dx = person.x - robot.x;
  const dy = person.y - robot.y;
  const along = (dx * v.x + dy * v.y) / speed;
  const across = Math.abs(dx * v.y - dy * v.x) / speed;
  return along > 0 && across < robot.radius + person.radius + ROBOT_WAY_MARGIN_M;
}

/**
 * Puts the preferred velocity into `shaped`: where the person wants to walk, or, standing, back
 * to the spot they stand on (pushed aside by a passer-by, they step back). False when standing.
 */
function desireToWalk(person: SimPerson, sf: SocialForceParams): boolean {
  const memory = person.crowd;
  if (person.prefVx !== 0 || person.prefVy !== 0) {
    memory.holdX = NaN;
    shaped[0] = person.prefVx;
    shaped[1] = person.prefVy;
    return true;
  }
  if (Number.isNaN(memory.holdX)) {
    memory.holdX = person.x;
    memory.holdY = person.y;
  }
  let hx = (memory.holdX - person.x) * sf.holdGain;
  let hy = (memory.holdY - person.y) * sf.holdGain;
  const h = Math.hypot(hx, hy);
  if (h > sf.holdSpeedMps) {
    hx *= sf.holdSpeedMps / h;
    hy *= sf.holdSpeedMps / h;
  }
  shaped[0] = hx;
  shaped[1] = hy;
  return false;
}

/**
 * The obstacle force from the nearest of the walls (the distance field's gradient gives the
 * way out), the disc and the box obstacles: libpedsim feels only the closest obstacle.
 */
function addNearestObstacleForce(person: SimPerson, scene: CrowdScene, sf: SocialForceParams): void {
  const x = person.x;
  const y = person.y;
  const r = person.radius;
  const caster = scene.caster;
  let best = caster.freeDistanceAt(x, y);
  let awayX = 0;
  let awayY = 0;
  if (best - r < sf.obstacleHorizonM) {
    const h = caster.resolution;
    awayX = caster.freeDistanceAt(x + h, y) - caster.freeDistanceAt(x - h, y);
    awayY = caster.freeDistanceAt(x, y + h) - caster.freeDistanceAt(x, y - h);
  }
  for (const o of scene.discObstacles) {
    const d = Math.hypot(x - o.x, y - o.y) - o.radius;
    if (d < best) {
      best = d;
      awayX = x - o.x;
      awayY = y - o.y;
    }
  }
  for (const b of scene.boxObstacles) {
    const d = pointBoxDistance(x, y, b);
    if (d < best) {
      best = d;
      awayX = x - Math.min(b.maxX, Math.max(b.minX, x));
      awayY = y - Math.min(b.maxY, Math.max(b.minY, y));
    }
  }
  if (best - r < sf.obstacleHorizonM) addObstacleForce(accel, awayX, awayY, best, r, sf);
}

/** Gaze, coherence and repulsion within the person's group. */
function addGroup(person: SimPerson, group: readonly SimPerson[], sf: SocialForceParams): void {
  let cx = 0;
  let cy = 0;
  for (const m of group) {
    cx += m.x;
    cy += m.y;
    if (m !== person) addGroupRepulsion(accel, person.x, person.y, m.x, m.y, sf);
  }
  cx /= group.length;
  cy /= group.length;
  const pref = Math.hypot(person.prefVx, person.prefVy);
  const dirX = pref > 1e-9 ? person.prefVx / pref : 0;
  const dirY = pref > 1e-9 ? person.prefVy / pref : 0;
  addGroupForces(accel, person.x, person.y, dirX, dirY, cx, cy, group.length, sf);
}

/** The followers' rule into `shaped`: the preferred velocity bent away from others, limited. */
function followerVelocity(
  person: SimPerson,
  people: readonly SimPerson[],
  scene: CrowdScene,
  dtS: number,
  p: CrowdParams,
): void {
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
      avoid(person, other, dirX, dirY, p.personAvoidGain, p.personAvoidRangeM, passerBy, p.avoidHorizonM, p);
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
  shapeCapped(vx, vy, Math.max(0.5, person.walkSpeed * 1.25));
}

/** Moves the person by (vx, vy)·dt, or slides, or stays: never into anything (see canStand). */
function place(
  person: SimPerson,
  vx: number,
  vy: number,
  people: readonly SimPerson[],
  scene: CrowdScene,
  dtS: number,
  p: CrowdParams,
): void {
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

/** The shaped velocity is (vx, vy), scaled down to `top` m/s when faster. */
function shapeCapped(vx: number, vy: number, top: number): void {
  const speed = Math.hypot(vx, vy);
  const scale = speed > top ? top / speed : 1;
  shaped[0] = vx * scale;
  shaped[1] = vy * scale;
}
