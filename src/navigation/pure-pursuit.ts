/**
 * Regulated pure pursuit maths (after Macenski et al., "Regulated Pure Pursuit for Robot Path
 * Tracking", and Nav2's controller of that name), as pure functions tested with numbers. All in
 * REP-103 units; the robot frame has x forward, y left.
 */

export interface LookaheadParams {
  /** Lookahead = speed × this, s. */
  lookaheadTime: number;
  minLookahead: number;
  maxLookahead: number;
}

/** Speed-scaled lookahead distance, clamped to [min, max], m. */
export function lookaheadDistance(speed: number, p: LookaheadParams): number {
  const d = Math.abs(speed) * p.lookaheadTime;
  return Math.min(p.maxLookahead, Math.max(p.minLookahead, d));
}

/**
 * Curvature (1/m, positive = left) of the circle through the robot, tangent to its heading,
 * through the carrot at (x, y) in the robot frame: κ = 2y / (x² + y²).
 */
export function curvatureTo(x: number, y: number): number {
  const d2 = x * x + y * y;
  return d2 < 1e-12 ? 0 : (2 * y) / d2;
}

/** Slow down in tight turns: below `minRadius` the speed scales with the turn radius. */
export function curvatureRegulatedSpeed(speed: number, curvature: number, minRadius: number): number {
  const k = Math.abs(curvature);
  if (k < 1e-9) return speed;
  const radius = 1 / k;
  return radius < minRadius ? speed * (radius / minRadius) : speed;
}

/**
 * Distance to the nearest obstacle implied by a costmap cost, inverting Nav2's inflation:
 * cost = 252 · exp(−k · (d − inscribed)) beyond the inscribed radius. Free (0) is "far".
 */
export function distanceFromCost(cost: number, inscribedRadius: number, costScalingFactor: number): number {
  if (cost >= 253) return 0;
  if (cost <= 0) return Infinity;
  return inscribedRadius - Math.log(cost / 252) / costScalingFactor;
}

export interface CostRegulationParams {
  /** Start slowing when the nearest obstacle is closer than this, m. */
  costScalingDist: number;
  /** Speed factor per unit of (distance / costScalingDist). */
  costScalingGain: number;
}

/** Slow down near obstacles: scale with the obstacle distance inside `costScalingDist`. */
export function costRegulatedSpeed(speed: number, obstacleDistance: number, p: CostRegulationParams): number {
  if (obstacleDistance >= p.costScalingDist) return speed;
  return speed * Math.min(1, (p.costScalingGain * obstacleDistance) / p.costScalingDist);
}

/**
 * Fastest speed from which the robot can still stop within `distance` braking at `decel`:
 * v = √(2·a·d), never below `minSpeed` (so it does not stall short of the goal tolerance).
 */
export function approachSpeed(distance: number, decel: number, minSpeed: number): number {
  return Math.max(minSpeed, Math.sqrt(2 * decel * Math.max(0, distance)));
}

/**
 * Rotate-in-place rate towards a heading error: at most `maxRate`, and slow enough to stop on
 * the heading with angular deceleration `angularAccel` (ω = √(2·α·|e|)).
 */
export function rotateInPlaceRate(headingError: number, maxRate: number, angularAccel: number): number {
  const rate = Math.min(maxRate, Math.sqrt(2 * angularAccel * Math.abs(headingError)));
  return headingError >= 0 ? rate : -rate;
}

/** Moves `current` towards `target` by at most `maxRise` up and `maxFall` down (magnitudes). */
export function rateLimit(current: number, target: number, maxRise: number, maxFall: number): number {
  if (target > current) return Math.min(target, current + maxRise);
  return Math.max(target, current - maxFall);
}

/**
 * Caps (v, ω) to the angular limit while keeping the curvature ω / v: if |ω| would exceed
 * `maxAngular`, both shrink together, so the robot still follows the same arc, only slower.
 */
export function limitKeepingCurvature(
  linear: number,
  curvature: number,
  maxAngular: number,
): { linear: number; angular: number } {
  const angular = linear * curvature;
  if (Math.abs(angular) <= maxAngular) return { linear, angular };
  const scale = maxAngular / Math.abs(angular);
  return { linear: linear * scale, angular: angular * scale };
}

/**
 * Does the robot collide somewhere along the arc it would drive with (v, ω) over `horizon`
 * seconds (at least `minDistance` metres along it)? Samples every `step` metres and asks
 * `collides(x, y)` of each centre position. Pure: the caller supplies the map question.
 */
export function arcCollides(
  x: number,
  y: number,
  yaw: number,
  linear: number,
  angular: number,
  horizon: number,
  minDistance: number,
  step: number,
  collides: (x: number, y: number) => boolean,
): boolean {
  const speed = Math.abs(linear);
  if (speed < 1e-6) return false;
  const length = Math.max(speed * horizon, minDistance);
  return arcFreeLength(x, y, yaw, angular / linear, length, step, collides, Math.sign(linear)) !== Infinity;
}

/**
 * Arc length (m) the robot's centre can drive from (x, y, yaw) along a circle of `curvature`
 * (1/m, left positive; 0 straight; forward, or backward for `direction` −1) before `blocked`
 * says a sample point is taken, looked at every `step` up to `maxLength`; Infinity when
 * nothing is in the way that far. Each sample is the exact point on the circle.
 */
export function arcFreeLength(
  x: number,
  y: number,
  yaw: number,
  curvature: number,
  maxLength: number,
  step: number,
  blocked: (x: number, y: number) => boolean,
  direction = 1,
): number {
  const n = Math.max(1, Math.ceil(maxLength / step));
  const ds = maxLength / n;
  for (let i = 1; i <= n; i++) {
    const s = i * ds * direction;
    const th = curvature * s;
    const px =
      Math.abs(th) < 1e-9 ? x + s * Math.cos(yaw) : x + (Math.sin(yaw + th) - Math.sin(yaw)) / curvature;
    const py =
      Math.abs(th) < 1e-9 ? y + s * Math.sin(yaw) : y - (Math.cos(yaw + th) - Math.cos(yaw)) / curvature;
    if (blocked(px, py)) return (i - 1) * ds;
  }
  return Infinity;
}

/**
 * The fastest speed (m/s) that stops within `free` metres: `margin` kept, `reactionS` of
 * driving on, then braking at `decel` (margin + v·reactionS + v²/(2·decel) = free); 0 when
 * even the margin does not fit.
 */
export function stoppableSpeed(free: number, margin: number, reactionS: number, decel: number): number {
  if (!(free > margin)) return 0;
  if (free === Infinity) return Infinity;
  const a = 1 / (2 * decel);
  return (-reactionS + Math.sqrt(reactionS * reactionS + 4 * a * (free - margin))) / (2 * a);
}
