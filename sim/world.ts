/**
 * The simulated floor: the site's static map and its distance field, the robot's base, people
 * and obstacles. `step(dt)` advances the physics; the runner owns the clock and calls it in
 * lockstep with the controller. Everything random comes from one seed, split into named streams.
 */
import { sharedDistanceField, type Site } from '../src/map/index.js';
import { normalizeAngle, type Pose2D, type Twist } from '../src/ros/index.js';
import { AT_REST } from '../src/power/index.js';
import { validateRobotDescription, type RobotDescription } from '../src/robot-description.js';
import { DEFAULT_START_CHARGE, SimBattery, type BatteryReadingFault } from './battery.js';
import { DEFAULT_CROWD_PARAMS, moveCrowd, type CrowdParams, type CrowdScene } from './crowd.js';
import { SimError, requireFinite } from './errors.js';
import { DEFAULT_LEG_PARAMS, PeopleLegs, type LegParams } from './legs.js';
import { Lidar, MapRayCaster, type LidarParams } from './lidar.js';
import { PeopleNav } from './people-nav.js';
import { DEFAULT_PERSON_PARAMS, SimPerson, type PersonParams, type PersonSpec } from './person.js';
import { DEFAULT_SOCIAL_FORCE_PARAMS, type SocialForceParams } from './social-force.js';
import { DiffDrivePlant, type OdometryFault, type PlantParams, type Velocity } from './plant.js';
import { Rng } from './rng.js';
import { pointBoxDistance, type Box, type Disc } from './shapes.js';

export type ObstacleSpec =
  | { id: string; kind: 'disc'; x: number; y: number; radius: number }
  /** An axis-aligned box centred on (x, y); width along x, height along y, metres. */
  | { id: string; kind: 'box'; x: number; y: number; width: number; height: number };

export interface SimWorldOptions {
  site: Site;
  robot: RobotDescription;
  seed: number;
  /** The robot's true pose at time 0, map frame. */
  robotStart: Pose2D;
  /** The site map's distance field when the caller already has it (it is the slow part). */
  distanceField?: Float32Array;
  plant?: Partial<PlantParams>;
  lidar?: Partial<LidarParams>;
  person?: Partial<PersonParams>;
  crowd?: Partial<CrowdParams>;
  /** The background pedestrians' social force model. */
  socialForce?: Partial<SocialForceParams>;
  /** How the lidar sees people's legs. */
  legs?: Partial<LegParams>;
  /** The battery's true charge at time 0, 0..1. Default DEFAULT_START_CHARGE (0.9). */
  batteryStartCharge?: number;
}

export type CollisionKind = 'wall' | 'obstacle' | 'person';

/**
 * What shares this robot's floor but lives in other worlds: the other robots of a fleet (their
 * bodies, where they truly are) and the other worlds' people. The lidar sees them, the robot
 * bumps into them, and this world's people step round them; the fleet simulator moves them on
 * after every step (sim/fleet-floor.ts). A world without neighbours is a floor of its own.
 */
export interface FloorNeighbours {
  /** The other robots' bodies now. */
  readonly robots: readonly Disc[];
  /** The other worlds' people's bodies now. */
  readonly people: readonly Disc[];
  /** Their legs now, as the lidar sees them (sim/legs.ts). */
  readonly legs: readonly Disc[];
}

const NO_NEIGHBOURS: FloorNeighbours = { robots: [], people: [], legs: [] };

export interface WorldMetrics {
  /** Contact events (rising edges) by what the robot touched. */
  collisions: Record<CollisionKind, number>;
  /**
   * Closest the robot's edge came to any person's edge since the last reset, m (negative: they
   * overlapped; Infinity: no person seen since the reset).
   */
  minPersonDistanceM: number;
}

/** Closer than this counts as touching, m (the contact search resolves far finer). */
const CONTACT_M = 1e-3;
/** A contact ends once the robot is this far clear again, m. */
const CONTACT_RELEASE_M = 0.05;
/** Bisection rounds to find the contact point within one step. */
const CONTACT_ROUNDS = 12;

/** m: a robot carried off (a kidnap) is put down at least this far from walls and people. */
const KIDNAP_CLEARANCE_M = 0.2;

export class SimWorld {
  readonly site: Site;
  readonly robot: RobotDescription;
  readonly seed: number;
  readonly distanceField: Float32Array;
  readonly caster: MapRayCaster;
  readonly lidar: Lidar;
  readonly plant: DiffDrivePlant;
  /** The pack: its true charge, and the reading a sensor would give (sim/battery.ts). */
  readonly battery: SimBattery;
  readonly rng: Rng;
  readonly personParams: PersonParams;
  readonly crowdParams: CrowdParams;
  readonly socialForceParams: SocialForceParams;
  #timeS = 0;
  #nav: PeopleNav | undefined;
  readonly #people = new Map<string, SimPerson>();
  #peopleList: SimPerson[] = [];
  readonly #obstacles = new Map<string, ObstacleSpec>();
  #discObstacles: Disc[] = [];
  #boxObstacles: Box[] = [];
  /** People as the lidar sees them: two legs each. */
  readonly #legs: PeopleLegs;
  #scanDiscs: Disc[] = [];
  #crowdScene!: CrowdScene;
  readonly #robotDisc = { x: 0, y: 0, radius: 0 };
  readonly #robotVelocity = { x: 0, y: 0 };
  readonly #beforeThink: Array<() => void> = [];
  readonly #collisions: Record<CollisionKind, number> = { wall: 0, obstacle: 0, person: 0 };
  readonly #inContact: Record<CollisionKind, boolean> = { wall: false, obstacle: false, person: false };
  readonly #blockedBy: Record<CollisionKind, boolean> = { wall: false, obstacle: false, person: false };
  #minPersonDistance = Infinity;
  #neighbours: FloorNeighbours = NO_NEIGHBOURS;
  /** Contacts with other robots (kept apart from `collisions`, whose shape reports carry). */
  #robotCollisions = 0;
  #inRobotContact = false;
  #blockedByRobot = false;
  readonly #limiter = (from: Pose2D, to: Pose2D) => this.#allowedFraction(from, to);

  constructor(options: SimWorldOptions) {
    validateRobotDescription(options.robot, 'world.robot');
    this.site = options.site;
    this.robot = options.robot;
    this.seed = requireFinite(options.seed, 'world.seed');
    const map = options.site.map;
    this.distanceField = options.distanceField ?? sharedDistanceField(map);
    this.caster = new MapRayCaster(map, this.distanceField);
    this.rng = new Rng(this.seed);
    const start = options.robotStart;
    for (const k of ['x', 'y', 'yaw'] as const) requireFinite(start[k], `world.robotStart.${k}`);
    if (this.caster.cast(start.x, start.y, 1, 0, 0) !== Infinity) {
      throw new SimError(
        'ROBOT_START_BLOCKED',
        'world.robotStart',
        `expected a free cell inside the map, found (${start.x}, ${start.y}) m blocked or outside`,
      );
    }
    this.plant = new DiffDrivePlant(options.robot, start, this.rng.fork('odom'), options.plant);
    this.lidar = new Lidar(this.caster, options.robot.lidar, this.rng.fork('lidar'), options.lidar);
    this.battery = new SimBattery(
      options.robot,
      options.batteryStartCharge ?? DEFAULT_START_CHARGE,
      this.rng.fork('battery'),
    );
    this.personParams = { ...DEFAULT_PERSON_PARAMS, ...options.person };
    this.crowdParams = { ...DEFAULT_CROWD_PARAMS, ...options.crowd };
    this.socialForceParams = { ...DEFAULT_SOCIAL_FORCE_PARAMS, ...options.socialForce };
    this.#legs = new PeopleLegs({ ...DEFAULT_LEG_PARAMS, ...options.legs });
    this.#robotDisc.radius = options.robot.radius;
    this.#syncRobotDisc();
    this.#refreshLists();
  }

  /** Simulated seconds since the world began (sum of the steps). */
  get timeS(): number {
    return this.#timeS;
  }

  /** People's walkable grid, built on first use (a pedestrian or a walk needs it). */
  get nav(): PeopleNav {
    this.#nav ??= new PeopleNav(this.caster, { clearanceM: this.personParams.radiusM });
    return this.#nav;
  }

  get robotRadius(): number {
    return this.robot.radius;
  }

  // ---- physics ---------------------------------------------------------------------------

  step(dtS: number): void {
    if (!(dtS > 0) || !Number.isFinite(dtS)) {
      throw new SimError('BAD_NUMBER', 'world.step(dtS)', `expected a positive step, found ${dtS}`);
    }
    this.#timeS += dtS;
    this.#blockedBy.wall = false;
    this.#blockedBy.obstacle = false;
    this.#blockedBy.person = false;
    this.#blockedByRobot = false;
    this.plant.step(dtS, this.#limiter);
    this.#syncRobotDisc();
    this.#stepBattery(dtS);
    for (const hook of this.#beforeThink) hook();
    for (const p of this.#peopleList) p.think(dtS);
    moveCrowd(this.#peopleList, this.#crowdScene, dtS, this.crowdParams, this.socialForceParams);
    this.#legs.advance(this.#peopleList, dtS);
    this.#updateContacts();
  }

  /**
   * The dock's charging contacts touch: the robot's TRUE pose is within the description's
   * contactPositionM of the dock pose and contactYawRad of its heading (what the robot believes
   * does not charge it).
   */
  onChargingContacts(): boolean {
    const dock = this.site.dock;
    const { contactPositionM, contactYawRad } = this.robot.battery.dock;
    const p = this.plant;
    const yawError = Math.abs(normalizeAngle(p.yaw - dock.yaw));
    return Math.hypot(p.x - dock.x, p.y - dock.y) <= contactPositionM && yawError <= contactYawRad;
  }

  /**
   * Shares the floor with other worlds (a fleet): from now on `n`'s robots and people, which the
   * caller moves on every step, are seen, bumped into and walked round here.
   */
  shareFloor(n: FloorNeighbours): void {
    this.#neighbours = n;
    this.#refreshLists();
  }

  /** This world's people's legs now, as the lidar sees them (for the worlds sharing the floor). */
  legDiscs(): readonly Disc[] {
    return this.#legs.discs(this.#peopleList);
  }

  /** Contacts (rising edges) with the other robots on a shared floor. */
  robotCollisions(): number {
    return this.#robotCollisions;
  }

  /** Runs `hook` every step before people decide where to walk (a crowd's errands). */
  beforePeopleThink(hook: () => void): void {
    this.#beforeThink.push(hook);
  }

  // ---- localisation faults (scenario events) ---------------------------------------------

  /** The robot is carried to `pose` (map frame): the true pose jumps, odometry does not see it. */
  kidnap(pose: Pose2D): void {
    for (const k of ['x', 'y', 'yaw'] as const) requireFinite(pose[k], `kidnap.${k}`);
    this.plant.teleport(this.#setDownClearOfPeople(pose));
    this.#syncRobotDisc();
  }

  /**
   * Whoever carries the robot puts it down where nobody stands: the asked-for pose, or the
   * nearest one on a ring round it (0.1 m steps, up to 1.5 m) clear of walls and of every person
   * by KIDNAP_CLEARANCE_M. A contact the carrying itself caused is not the robot's collision.
   */
  #setDownClearOfPeople(pose: Pose2D): Pose2D {
    const clear = (x: number, y: number) =>
      this.wallClearance(x, y) > KIDNAP_CLEARANCE_M &&
      this.#peopleList.every(
        (p) => Math.hypot(x - p.x, y - p.y) - p.radius - this.robot.radius > KIDNAP_CLEARANCE_M,
      );
    if (clear(pose.x, pose.y)) return pose;
    for (let ring = 1; ring <= 15; ring++) {
      const d = ring * 0.1;
      for (let k = 0; k < 16; k++) {
        const a = pose.yaw + (2 * Math.PI * k) / 16;
        const x = pose.x + d * Math.cos(a);
        const y = pose.y + d * Math.sin(a);
        if (clear(x, y)) return { x, y, yaw: pose.yaw };
      }
    }
    return pose;
  }

  /** Wheel odometry wrong (scale, drift) until cleared with undefined. */
  setOdometryFault(fault: OdometryFault | undefined): void {
    if (fault) {
      requireFinite(fault.scale, 'odometry_slip.scale', 0);
      requireFinite(fault.driftRadPerM, 'odometry_slip.drift');
    }
    this.plant.setOdometryFault(fault);
  }

  /**
   * The battery's reading goes wrong (NaN, a jump, a freeze) until cleared with undefined: the
   * sensor's fault, not the pack's, so the true charge goes on as before.
   */
  setBatteryReadingFault(fault: BatteryReadingFault | undefined): void {
    if (fault?.kind === 'jump') requireFinite(fault.offsetV, 'battery_fault.jump');
    this.battery.setReadingFault(fault);
  }

  /** While true the lidar publishes nothing (a cable, a stalled motor). */
  lidarQuiet = false;

  setCommand(cmd: Twist): void {
    this.plant.setCommand(cmd.linear.x, cmd.angular.z);
  }

  /** True pose, map frame. */
  robotPose(): Pose2D {
    return this.plant.pose;
  }
  /** Wheel-odometry pose, odom frame (identity at the start pose). */
  odomPose(): Pose2D {
    return this.plant.odomPose;
  }
  /** True body velocity. */
  robotVelocity(): Velocity {
    return this.plant.velocity;
  }
  /** Body velocity as the wheel encoders measured it. */
  odomVelocity(): Velocity {
    return this.plant.odomVelocity;
  }

  // ---- people ----------------------------------------------------------------------------

  addPerson(spec: PersonSpec): SimPerson {
    if (this.#people.has(spec.id)) {
      throw new SimError(
        'DUPLICATE_ID',
        `person '${spec.id}'`,
        'expected a new id, found one already in the world',
      );
    }
    const person = new SimPerson(spec, this.personParams, this, this.rng.fork(`person/${spec.id}`));
    this.#people.set(spec.id, person);
    this.#refreshLists();
    return person;
  }

  removePerson(id: string): void {
    if (!this.#people.delete(id)) {
      throw new SimError('UNKNOWN_ID', `person '${id}'`, 'expected a person in the world, found none');
    }
    this.#refreshLists();
  }

  person(id: string): SimPerson | undefined {
    return this.#people.get(id);
  }

  /** Everyone on the floor, in the order they were added. */
  people(): readonly SimPerson[] {
    return this.#peopleList;
  }

  // ---- obstacles -------------------------------------------------------------------------

  addObstacle(o: ObstacleSpec): void {
    const where = `obstacle '${o.id}'`;
    if (this.#obstacles.has(o.id)) {
      throw new SimError('DUPLICATE_ID', where, 'expected a new id, found one already in the world');
    }
    requireFinite(o.x, `${where}.x`);
    requireFinite(o.y, `${where}.y`);
    if (o.kind === 'disc') requireFinite(o.radius, `${where}.radius`, 0);
    else {
      requireFinite(o.width, `${where}.width`, 0);
      requireFinite(o.height, `${where}.height`, 0);
    }
    this.#obstacles.set(o.id, { ...o });
    this.#refreshLists();
  }

  removeObstacle(id: string): void {
    if (!this.#obstacles.delete(id)) {
      throw new SimError('UNKNOWN_ID', `obstacle '${id}'`, 'expected an obstacle in the world, found none');
    }
    this.#refreshLists();
  }

  obstacles(): ObstacleSpec[] {
    return [...this.#obstacles.values()].map((o) => ({ ...o }));
  }

  // ---- sensing ---------------------------------------------------------------------------

  /**
   * One lidar scan from the true pose (people's legs and obstacles included), ranges in m. The
   * lidar sits at shin height: it sees each person as two legs (sim/legs.ts), never their body.
   */
  scan(out?: Float32Array): Float32Array {
    const discs = this.#scanDiscs;
    discs.length = 0;
    for (const d of this.#legs.discs(this.#peopleList)) discs.push(d);
    for (const d of this.#discObstacles) discs.push(d);
    const n = this.#neighbours;
    for (const d of n.legs) discs.push(d);
    for (const d of n.robots) discs.push(d);
    return this.lidar.scan(this.plant.pose, { discs, boxes: this.#boxObstacles }, out);
  }

  /** True when nothing on the static map stands between the two points. */
  lineOfSight(from: { x: number; y: number }, to: { x: number; y: number }): boolean {
    const dx = to.x - from.x;
    const dy = to.y - from.y;
    const d = Math.hypot(dx, dy);
    // cast() answers 0 from a blocked cell and Infinity when nothing blocks within d.
    return d < 1e-9
      ? this.caster.cast(from.x, from.y, 1, 0, 0) === Infinity
      : this.caster.cast(from.x, from.y, dx / d, dy / d, d) === Infinity;
  }

  // ---- metrics ---------------------------------------------------------------------------

  metrics(): WorldMetrics {
    return { collisions: { ...this.#collisions }, minPersonDistanceM: this.#minPersonDistance };
  }

  /** Starts a new "closest to a person" window (per request), from the distance right now. */
  resetMinPersonDistance(): void {
    this.#minPersonDistance = this.#nearestPersonGap();
  }

  /** Robot edge to the nearest wall cell's edge, m (negative: overlapping). */
  wallClearance(x: number, y: number): number {
    const r = this.robot.radius;
    const lower = this.caster.freeDistanceAt(x, y) - r;
    // A lower bound answers every question asked of it (touching? deeper?) unless it is tiny.
    if (lower >= CONTACT_M) return lower;
    // Near a wall: the exact distance to every blocked cell square around.
    const map = this.site.map;
    const res = map.resolution;
    const reach = r + 2 * res;
    const c0 = Math.floor((x - reach - map.originX) / res);
    const c1 = Math.floor((x + reach - map.originX) / res);
    const r0 = Math.floor((y - reach - map.originY) / res);
    const r1 = Math.floor((y + reach - map.originY) / res);
    let best = reach;
    let inside = false;
    for (let row = r0; row <= r1; row++) {
      const cy0 = map.originY + row * res;
      const dy = y < cy0 ? cy0 - y : y > cy0 + res ? y - cy0 - res : 0;
      for (let col = c0; col <= c1; col++) {
        if (!this.caster.blocked(col, row)) continue;
        const cx0 = map.originX + col * res;
        const dx = x < cx0 ? cx0 - x : x > cx0 + res ? x - cx0 - res : 0;
        if (dx === 0 && dy === 0) inside = true;
        const d = Math.hypot(dx, dy);
        if (d < best) best = d;
      }
    }
    // A centre inside a wall cell: as deep as it gets (keeps "not deeper" moves meaningful).
    return inside ? -r : best - r;
  }

  obstacleClearance(x: number, y: number): number {
    const r = this.robot.radius;
    let best = Infinity;
    for (const d of this.#discObstacles) best = Math.min(best, Math.hypot(x - d.x, y - d.y) - d.radius - r);
    for (const b of this.#boxObstacles) best = Math.min(best, signedBoxDistance(x, y, b) - r);
    return best;
  }

  personClearance(x: number, y: number): number {
    const r = this.robot.radius;
    let best = Infinity;
    for (const p of this.#peopleList) best = Math.min(best, Math.hypot(x - p.x, y - p.y) - p.radius - r);
    for (const p of this.#neighbours.people)
      best = Math.min(best, Math.hypot(x - p.x, y - p.y) - p.radius - r);
    return best;
  }

  /** Robot edge to the nearest other robot's edge on a shared floor, m (Infinity: alone). */
  robotClearance(x: number, y: number): number {
    const r = this.robot.radius;
    let best = Infinity;
    for (const o of this.#neighbours.robots)
      best = Math.min(best, Math.hypot(x - o.x, y - o.y) - o.radius - r);
    return best;
  }

  // ---- insides ---------------------------------------------------------------------------

  /** The pack pays for this step's true wheel motion, and charges on the contacts. */
  #stepBattery(dtS: number): void {
    const v = this.plant.velocity;
    const motion = v.v === 0 && v.w === 0 ? AT_REST : { v: v.v, w: v.w, accel: this.plant.acceleration.v };
    this.battery.step(dtS, motion, this.onChargingContacts());
  }

  #syncRobotDisc(): void {
    this.#robotDisc.x = this.plant.x;
    this.#robotDisc.y = this.plant.y;
    const v = this.plant.velocity.v;
    const yaw = this.plant.yaw;
    this.#robotVelocity.x = v * Math.cos(yaw);
    this.#robotVelocity.y = v * Math.sin(yaw);
  }

  #refreshLists(): void {
    this.#peopleList = [...this.#people.values()];
    this.#discObstacles = [];
    this.#boxObstacles = [];
    for (const o of this.#obstacles.values()) {
      if (o.kind === 'disc') this.#discObstacles.push({ x: o.x, y: o.y, radius: o.radius });
      else {
        this.#boxObstacles.push({
          minX: o.x - o.width / 2,
          minY: o.y - o.height / 2,
          maxX: o.x + o.width / 2,
          maxY: o.y + o.height / 2,
        });
      }
    }
    this.#legs.retain(this.#peopleList);
    const n = this.#neighbours;
    this.#crowdScene = {
      robot: this.#robotDisc,
      robotVelocity: this.#robotVelocity,
      caster: this.caster,
      // People step round the other robots as round a pillar (they give way to this world's own).
      discObstacles: n.robots.length > 0 ? [...this.#discObstacles, ...n.robots] : this.#discObstacles,
      boxObstacles: this.#boxObstacles,
    };
  }

  /**
   * How much of the step from → to the robot may drive: all of it unless it would come into
   * touch with something (or deeper into a touch it already has); then the contact point.
   */
  #allowedFraction(from: Pose2D, to: Pose2D): number {
    const wall0 = this.wallClearance(from.x, from.y);
    const obstacle0 = this.obstacleClearance(from.x, from.y);
    const person0 = this.personClearance(from.x, from.y);
    const robot0 = this.robotClearance(from.x, from.y);
    const blockers = (f: number): number => {
      const x = from.x + (to.x - from.x) * f;
      const y = from.y + (to.y - from.y) * f;
      let mask = 0;
      const wall = this.wallClearance(x, y);
      if (wall < 0 && wall < wall0) mask |= BLOCKED_BY_WALL;
      const obstacle = this.obstacleClearance(x, y);
      if (obstacle < 0 && obstacle < obstacle0) mask |= BLOCKED_BY_OBSTACLE;
      const person = this.personClearance(x, y);
      if (person < 0 && person < person0) mask |= BLOCKED_BY_PERSON;
      const robot = this.robotClearance(x, y);
      if (robot < 0 && robot < robot0) mask |= BLOCKED_BY_ROBOT;
      return mask;
    };
    const mask = blockers(1);
    if (mask === 0) return 1;
    this.#blockedBy.wall = (mask & BLOCKED_BY_WALL) !== 0;
    this.#blockedBy.obstacle = (mask & BLOCKED_BY_OBSTACLE) !== 0;
    this.#blockedBy.person = (mask & BLOCKED_BY_PERSON) !== 0;
    this.#blockedByRobot = (mask & BLOCKED_BY_ROBOT) !== 0;
    let lo = 0;
    let hi = 1;
    for (let i = 0; i < CONTACT_ROUNDS; i++) {
      const mid = (lo + hi) / 2;
      if (blockers(mid) === 0) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  #updateContacts(): void {
    const x = this.plant.x;
    const y = this.plant.y;
    this.#touch('wall', this.wallClearance(x, y));
    this.#touch('obstacle', this.obstacleClearance(x, y));
    this.#touch('person', this.personClearance(x, y));
    this.#touchRobot(this.robotClearance(x, y));
    const gap = this.#nearestPersonGap();
    if (gap < this.#minPersonDistance) this.#minPersonDistance = gap;
  }

  /**
   * Counts a contact when one begins (a rising edge), not on every step it lasts; a contact
   * lasts until the robot is clear by CONTACT_RELEASE_M, so pushing on (say, a person who keeps
   * stepping back) is one contact, not a chatter of them.
   */
  #touch(kind: CollisionKind, clearance: number): void {
    const threshold = this.#inContact[kind] ? CONTACT_RELEASE_M : CONTACT_M;
    const touching = clearance < threshold || this.#blockedBy[kind];
    if (touching && !this.#inContact[kind]) this.#collisions[kind]++;
    this.#inContact[kind] = touching;
  }

  /** As #touch, for another robot: one contact from when the bodies meet until they part. */
  #touchRobot(clearance: number): void {
    const threshold = this.#inRobotContact ? CONTACT_RELEASE_M : CONTACT_M;
    const touching = clearance < threshold || this.#blockedByRobot;
    if (touching && !this.#inRobotContact) this.#robotCollisions++;
    this.#inRobotContact = touching;
  }

  #nearestPersonGap(): number {
    const p = this.#robotDisc;
    return this.personClearance(p.x, p.y);
  }
}

const BLOCKED_BY_WALL = 1;
const BLOCKED_BY_OBSTACLE = 2;
const BLOCKED_BY_PERSON = 4;
const BLOCKED_BY_ROBOT = 8;

/** Distance to a box's boundary, negative inside. */
function signedBoxDistance(x: number, y: number, b: Box): number {
  const outside = pointBoxDistance(x, y, b);
  if (outside > 0) return outside;
  return -Math.min(x - b.minX, b.maxX - x, y - b.minY, b.maxY - y);
}
