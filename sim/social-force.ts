/**
 * The social force model (Helbing & Molnár 1995, with the pedestrian–pedestrian interaction of
 * Moussaïd, Helbing et al. 2009 and the group forces of Moussaïd et al. 2010), as libpedsim and
 * pedsim_ros compute it, with their default parameter values. Pure: each function adds one
 * force (an acceleration, m/s², unit mass) to an `out` pair, so a crowd step allocates nothing.
 * The crowd step (crowd.ts) sums them and integrates; docs/crowds.md has the equations.
 */

export interface SocialForceParams {
  /** τ, s: how fast a person relaxes to their preferred velocity. */
  relaxationTimeS: number;
  /** Weights of the desired, social (person–person), obstacle and robot forces. */
  forceFactorDesired: number;
  forceFactorSocial: number;
  forceFactorObstacle: number;
  forceFactorRobot: number;
  /** Range of the obstacle force, m. */
  sigmaObstacleM: number;
  /** λ: weight of the velocity difference against the direction in the interaction vector. */
  lambdaImportance: number;
  /** γ: the interaction range B = γ‖D‖ grows with the interaction vector. */
  gamma: number;
  /** n, n′: how narrow the angular (n) and the velocity (n′) parts of the social force are. */
  n: number;
  nPrime: number;
  /** A moving robot's position difference is divided by this: it is felt from further away. */
  robotDiffScaling: number;
  /** ... fully from this speed of the robot on, not at all when it stands, m/s. */
  robotMovingMps: number;
  /** People further than this (centre to centre) are not felt, m. */
  neighbourhoodM: number;
  /** Walls further than this (edge gap) are not felt, m: exp(−gap/σ) is negligible past it. */
  obstacleHorizonM: number;
  /** Group forces (Moussaïd et al. 2010 as pedsim_ros implements them). */
  groupGaze: number;
  groupCoherence: number;
  groupRepulsion: number;
  /** Group members closer than this push each other apart, m. */
  groupOverlapM: number;
  /** Half the field of view in which a member keeps the group's centre, rad. */
  groupVisionRad: number;
  /** Preferred speeds: normal, mean and standard deviation, m/s; clamped to [min, max]. */
  speedMeanMps: number;
  speedSdMps: number;
  speedMinMps: number;
  speedMaxMps: number;
  /** Nobody walks faster than this times their preferred speed. */
  maxSpeedFactor: number;
  /** A person standing still keeps to their spot: (m/s) per m of displacement, and at most m/s. */
  holdGain: number;
  holdSpeedMps: number;
  /** A neighbour slower than this counts as standing (standing people do not push each other), m/s. */
  standingMps: number;
}

export const DEFAULT_SOCIAL_FORCE_PARAMS: SocialForceParams = {
  relaxationTimeS: 0.5, // libpedsim ped_agent.cpp Tagent(): relaxationTime = 0.5
  forceFactorDesired: 1.0, // libpedsim forceFactorDesired = 1.0
  forceFactorSocial: 5.1, // pedsim_ros PedsimSimulator.cfg force_social (libpedsim alone: 2.1)
  forceFactorObstacle: 10.0, // pedsim_ros force_obstacle; libpedsim forceFactorObstacle = 10.0
  // libpedsim counts the robot among socialForce's neighbours, weighted as any (force_social);
  // arena-rosnav's pedsim exposes the same weight as force_factor_robot.
  forceFactorRobot: 5.1,
  sigmaObstacleM: 0.2, // pedsim_ros sigma_obstacle (libpedsim alone: forceSigmaObstacle = 0.8)
  lambdaImportance: 2.0, // libpedsim socialForce(), "set according to Moussaid-Helbing 2009"
  gamma: 0.35, // ditto
  n: 2, // ditto
  nPrime: 3, // ditto
  robotDiffScaling: 5, // libpedsim socialForce(): robot_diff_scaling_factor = 5
  // Ours: a parked robot is felt like a person standing (people stand a metre from it, as they
  // stand a metre from a kiosk); libpedsim scales by 5 whatever the robot does.
  robotMovingMps: 0.3,
  // libpedsim computeForces() neighborhoodRange is 10 m; at 5 m the force is below 0.2 m/s² even
  // head-on at 2.6 m/s closing speed, and the neighbour search costs a quarter (docs/crowds.md).
  neighbourhoodM: 10,
  obstacleHorizonM: 1.0, // 5 σ: 10·e⁻⁵ = 0.07 m/s²
  groupGaze: 3.0, // pedsim_ros force_group_gaze
  groupCoherence: 2.0, // pedsim_ros force_group_coherence
  groupRepulsion: 1.0, // pedsim_ros force_group_repulsion
  groupOverlapM: 0.5, // pedsim_ros GroupRepulsionForce/OverlapDistance
  groupVisionRad: Math.PI / 2, // pedsim_ros GroupGazeForce visionAngle 90°
  speedMeanMps: 1.34, // libpedsim Tagent(): vmax ~ normal(1.34, 0.26) (Helbing & Molnár 1995)
  speedSdMps: 0.26,
  speedMinMps: 0.6, // ours: a draw below is a slow walker, not a standing one
  speedMaxMps: 2.0, // ours: nobody strolls at a run
  maxSpeedFactor: 1.3, // Helbing & Molnár 1995: v_max = 1.3 v⁰
  // Ours (pedsim has no people standing outside its queues): 1/(4τ) returns them to their
  // spot critically damped, with no swaying about it.
  holdGain: 0.5,
  holdSpeedMps: 0.5, // ours
  standingMps: 0.2, // ours
};

/** d/B past which the social force is left out: exp(−12) ≈ 6·10⁻⁶. */
const NEGLIGIBLE_RANGES = 12;

/** Desired force: (v⁰ − v) / τ, weighted. */
export function addDesiredForce(
  out: Float64Array,
  prefVx: number,
  prefVy: number,
  vx: number,
  vy: number,
  p: SocialForceParams,
): void {
  const k = p.forceFactorDesired / p.relaxationTimeS;
  out[0] = out[0]! + (prefVx - vx) * k;
  out[1] = out[1]! + (prefVy - vy) * k;
}

/**
 * The social force on a person at (x, y) moving at (vx, vy) from another at (ox, oy) moving at
 * (ovx, ovy), times `factor`: libpedsim's Tagent::socialForce (Moussaïd et al. 2009). The
 * interaction vector D = λ(vᵢ − vⱼ) + e (e: unit vector to the other), t = D/‖D‖, B = γ‖D‖,
 * θ the angle from t to e; a deceleration −exp(−d/B − (n′Bθ)²)·t and a turn
 * −sign(θ)·exp(−d/B − (nBθ)²)·t⊥ (sign(0) = 1: dead ahead, they pass keeping right).
 * libpedsim's agents are points; ours have bodies that must never overlap, so d is the gap
 * between them: the centre distance less `bodiesM` (the two radii). `diffScaling` > 1 makes the
 * other felt from further away (the robot).
 */
export function addSocialForce(
  out: Float64Array,
  x: number,
  y: number,
  vx: number,
  vy: number,
  ox: number,
  oy: number,
  ovx: number,
  ovy: number,
  factor: number,
  diffScaling: number,
  bodiesM: number,
  p: SocialForceParams,
): void {
  const dx = ox - x;
  const dy = oy - y;
  const centres = Math.hypot(dx, dy);
  if (centres < 1e-9) return;
  const ex = dx / centres;
  const ey = dy / centres;
  const d = Math.max(0, centres - bodiesM) / diffScaling;
  const ix = p.lambdaImportance * (vx - ovx) + ex;
  const iy = p.lambdaImportance * (vy - ovy) + ey;
  const il = Math.hypot(ix, iy);
  if (il < 1e-9) return;
  const b = p.gamma * il;
  // Beyond NEGLIGIBLE_RANGES ranges both terms are below factor·e⁻¹², a millionth of the desired
  // force: skip the angle and the exponentials (most pairs in a big crowd are this far).
  if (d > NEGLIGIBLE_RANGES * b) return;
  const tx = ix / il;
  const ty = iy / il;
  const theta = Math.atan2(tx * ey - ty * ex, tx * ex + ty * ey);
  const vel = -Math.exp(-d / b - (p.nPrime * b * theta) ** 2);
  // Dead ahead (θ = 0, where libpedsim turns nowhere and relies on its random force), people
  // keep to the right, as they do on Finnish floors: the deterministic way to break the tie.
  const sign = theta < 0 ? -1 : 1;
  const ang = -sign * Math.exp(-d / b - (p.n * b * theta) ** 2);
  // t⊥ is t turned left: (−ty, tx).
  out[0] = out[0]! + factor * (vel * tx - ang * ty);
  out[1] = out[1]! + factor * (vel * ty + ang * tx);
}

/**
 * The obstacle force: exp(−(distance − radius)/σ) away from the nearest obstacle, weighted
 * (libpedsim Tagent::obstacleForce). (awayX, awayY) need not be unit.
 */
export function addObstacleForce(
  out: Float64Array,
  awayX: number,
  awayY: number,
  centreDistanceM: number,
  radiusM: number,
  p: SocialForceParams,
): void {
  const n = Math.hypot(awayX, awayY);
  if (n < 1e-12) return;
  const amount = p.forceFactorObstacle * Math.exp(-(centreDistanceM - radiusM) / p.sigmaObstacleM);
  out[0] = out[0]! + (amount * awayX) / n;
  out[1] = out[1]! + (amount * awayY) / n;
}

/**
 * The group forces on one member at (x, y) walking along (dirX, dirY) (unit, or zero when
 * standing), given the group's centre of mass (cx, cy) over `members` people (this one
 * included): gaze (pedsim_ros GroupGazeForce, its default variant: a member who would have to
 * turn more than the vision angle to see the others slows by the projection of the centre on
 * their way), coherence (GroupCoherenceForce as in the paper: towards the centre, once further
 * than (members − 1)/2 m from it). Repulsion between members is addGroupRepulsion.
 */
export function addGroupForces(
  out: Float64Array,
  x: number,
  y: number,
  dirX: number,
  dirY: number,
  cx: number,
  cy: number,
  members: number,
  p: SocialForceParams,
): void {
  if (members <= 1) return;
  const rx = cx - x;
  const ry = cy - y;
  const dist = Math.hypot(rx, ry);
  if (dist >= (members - 1) / 2 && dist > 1e-9) {
    out[0] = out[0]! + (p.groupCoherence * rx) / dist;
    out[1] = out[1]! + (p.groupCoherence * ry) / dist;
  }
  if (dirX === 0 && dirY === 0) return;
  // The centre of the others (without this member), as pedsim_ros computes the gaze.
  const ox = (members * cx - x) / (members - 1) - x;
  const oy = (members * cy - y) / (members - 1) - y;
  const on = Math.hypot(ox, oy);
  if (on < 1e-9) return;
  const dot = dirX * ox + dirY * oy;
  const angle = Math.acos(Math.max(-1, Math.min(1, dot / on)));
  if (angle <= p.groupVisionRad) return;
  out[0] = out[0]! + p.groupGaze * dot * dirX;
  out[1] = out[1]! + p.groupGaze * dot * dirY;
}

/** Group repulsion from one other member: (pᵢ − pⱼ) when closer than the overlap distance. */
export function addGroupRepulsion(
  out: Float64Array,
  x: number,
  y: number,
  ox: number,
  oy: number,
  p: SocialForceParams,
): void {
  const dx = x - ox;
  const dy = y - oy;
  if (dx * dx + dy * dy >= p.groupOverlapM * p.groupOverlapM) return;
  out[0] = out[0]! + p.groupRepulsion * dx;
  out[1] = out[1]! + p.groupRepulsion * dy;
}

/** The robot's diff scaling at its speed: 1 standing, robotDiffScaling from robotMovingMps on. */
export function robotDiffScalingAt(robotSpeedMps: number, p: SocialForceParams): number {
  return 1 + (p.robotDiffScaling - 1) * Math.min(1, robotSpeedMps / p.robotMovingMps);
}
