/**
 * A simulated person: a disc that decides where it wants to walk (its preferred velocity); the
 * world then moves it among walls, obstacles, the robot and other people (see crowd.ts).
 * Behaviours are the verbs a scenario uses: stand, follow the robot, stop following for a while
 * and catch up, walk to a point, wander off.
 */
import { closestApproach } from '../src/navigation/index.js';
import type { Pose2D } from '../src/ros/index.js';
import { SimError, requireFinite } from './errors.js';
import type { PeopleNav, Point2 } from './people-nav.js';
import type { Rng } from './rng.js';

export type PersonRole = 'customer' | 'pedestrian';
export type PersonMode = 'stand' | 'follow' | 'paused' | 'walk_to' | 'wander';

export interface PersonSpec {
  id: string;
  pose: Pose2D;
  role: PersonRole;
  /** m/s; default: customers PersonParams.customerWalkSpeed, pedestrians drawn per person. */
  walkSpeed?: number;
  /** s before a follower starts or stops with the robot; default per role. */
  reactionTimeS?: number;
  /** m; default PersonParams.radiusM. */
  radius?: number;
}

export interface PersonParams {
  /** Person disc radius, m. */
  radiusM: number;
  /** Escorted customers' walking speed, m/s (a usual adult pace is 1.2–1.4). */
  customerWalkSpeed: number;
  /** Pedestrians draw their walking speed uniformly from this range, m/s. */
  pedestrianWalkSpeedMin: number;
  pedestrianWalkSpeedMax: number;
  /** Reaction time before a follower starts or stops, s. */
  customerReactionS: number;
  pedestrianReactionS: number;
  /** Centre-to-centre distance a follower keeps behind the robot, m. */
  followGapM: number;
  /** A standing follower sets off once the robot is this far away (after its reaction time), m. */
  followStartGapM: number;
  /** How strongly a follower closes or opens the gap, (m/s) per m. */
  followGain: number;
  /** Edge-to-edge distance to the robot a follower never closes in on, m. */
  personalSpaceM: number;
  /** How hard people speed up and brake, m/s². */
  accelMps2: number;
  decelMps2: number;
  /** A wanderer pauses up to this long at each place it reaches, s. */
  wanderPauseMaxS: number;
  /** A wanderer picks places at least this far away, m. */
  wanderMinLegM: number;
  /**
   * Someone standing (or waiting to follow) steps out of the robot's way, after their reaction
   * time, when it drives at them from closer than this, m (centre to centre, along its path).
   */
  makeWayWithinM: number;
  /** ... and when they stand within this much of its path's edge, m. */
  makeWayMarginM: number;
  /** Their sidestep speed, m/s. */
  makeWaySpeed: number;
}

/** What the crowd step (crowd.ts) keeps of a person between steps. */
export interface CrowdMemory {
  /** Moved by the social force model (background pedestrians), not the followers' rule. */
  socialForce: boolean;
  /** Where they stand still (NaN while they walk), to step back to once pushed aside. */
  holdX: number;
  holdY: number;
  /** Everyone in their group, themselves included; undefined when they walk alone. */
  group: readonly SimPerson[] | undefined;
}

export const DEFAULT_PERSON_PARAMS: PersonParams = {
  radiusM: 0.25,
  customerWalkSpeed: 1.3,
  pedestrianWalkSpeedMin: 1.1,
  pedestrianWalkSpeedMax: 1.5,
  customerReactionS: 0.8,
  pedestrianReactionS: 0.5,
  followGapM: 1.2,
  followStartGapM: 1.5,
  followGain: 1.0,
  personalSpaceM: 0.45,
  accelMps2: 1.5,
  decelMps2: 3.0,
  wanderPauseMaxS: 3,
  wanderMinLegM: 4,
  makeWayWithinM: 3,
  makeWayMarginM: 0.3,
  makeWaySpeed: 0.8,
};

/** What a person needs from the world while deciding where to go. */
export interface PersonEnv {
  readonly timeS: number;
  readonly nav: PeopleNav;
  /** Radius of what a follower follows (the robot), m. */
  readonly robotRadius: number;
  robotPose(): Pose2D;
  robotVelocity(): { v: number; w: number };
}

/** A follower's memory of where the robot went keeps at most this many points (0.1 m apart). */
const TRAIL_MAX = 4000;
const TRAIL_SPACING_M = 0.1;
/** A waypoint counts as passed this close, m. */
const WAYPOINT_REACHED_M = 0.3;
/** m: a waypoint this close is reached whether or not the next is in sight yet. */
const WAYPOINT_ON_M = 0.05;
const ARRIVED_M = 0.1;
/** m: see `settling`. */
const SETTLE_M = 1;
/** People moved by forces ease into the end of a walk at this speed per metre left, 1/s. */
const ARRIVE_GAIN_PER_S = 2;
/** Someone making way stops once the wall is this close to their side, m. */
const AGAINST_WALL_M = 0.12;
/** A passer-by gives way to a robot they see within this distance, m ... */
const GIVE_WAY_SEE_M = 4;
/** ... that would pass within touching plus this margin, m ... */
const GIVE_WAY_MARGIN_M = 0.3;
/** ... within this time, s. */
const GIVE_WAY_HORIZON_S = 1.5;
/** m: a line of sight grazing a wall closer than this is blocked (a corner hides what is past it). */
const SIGHT_LINE_CLEARANCE_M = 0.05;
/** A person wanting to walk who has not moved for this long gives up on the current leg, s. */
const STUCK_S = 3;
/** How often a follower re-checks that it can walk straight to its aim point, s. */
const SIGHT_CHECK_S = 0.5;
/** Making room: the robot's way ahead when its route is not known, m. */
const MAKE_ROOM_AHEAD_M = 6;
/** ... and the room left between the robot's edge and the person's, m ... */
const MAKE_ROOM_MARGIN_M = 0.2;
/** ... or, pressed flat against a wall where there is no more room, m. */
const SQUEEZE_MARGIN_M = 0.1;
/** How far a person walks to make room, m ... */
const MAKE_ROOM_REACH_M = 5;
/** ... to a spot with this much room between them and any wall, when there is one, m. */
const MAKE_ROOM_STAND_M = 0.1;
/** The robot has passed someone who made room once they are this far behind its centre, m ... */
const PASSED_BEHIND_M = 1.0;
/** ... or it is this far away. */
const PASSED_AWAY_M = 4;

export class SimPerson {
  readonly id: string;
  readonly role: PersonRole;
  readonly radius: number;
  readonly walkSpeed: number;
  readonly reactionTimeS: number;
  readonly crowd: CrowdMemory;
  #x: number;
  #y: number;
  #yaw: number;
  #vx = 0;
  #vy = 0;
  #prefVx = 0;
  #prefVy = 0;
  #mode: PersonMode = 'stand';
  /** While standing, face this (someone watching the robot); cleared by any new behaviour. */
  #watch: (() => { x: number; y: number }) | undefined;
  #arrived = false;
  #stuckS = 0;

  // Following: where the robot went (trail), how fast it went (history), and the reaction.
  #target: (() => Pose2D) | undefined;
  readonly #trailX: number[] = [];
  readonly #trailY: number[] = [];
  #trailHead = 0;
  readonly #histT: number[] = [];
  readonly #histV: number[] = [];
  #histHead = 0;
  #lastTarget: Point2 | undefined;
  #walking = false;
  #reactFromS: number | undefined;
  #pauseUntilS = 0;
  #nextSightCheckS = 0;
  #makeWayFromS: number | undefined;
  /** Stepped aside to let the robot by: follow this again once it has passed. */
  #rejoin: (() => Pose2D) | undefined;
  /** Stepped aside from wandering: wanders on (with this generator) once the robot has passed. */
  #rewander: Rng | undefined;

  // Walking a route (walk_to, wander, or a follower's detour).
  #route: Point2[] = [];
  #routeIndex = 0;
  #wanderRng: Rng | undefined;
  #wanderPauseUntilS = 0;

  constructor(
    spec: PersonSpec,
    readonly params: PersonParams,
    private readonly env: PersonEnv,
    private readonly rng: Rng,
  ) {
    const where = `person '${spec.id}'`;
    this.id = spec.id;
    this.role = spec.role;
    this.#x = requireFinite(spec.pose.x, `${where}.pose.x`);
    this.#y = requireFinite(spec.pose.y, `${where}.pose.y`);
    this.#yaw = requireFinite(spec.pose.yaw, `${where}.pose.yaw`);
    this.radius = requireFinite(spec.radius ?? params.radiusM, `${where}.radius`, 0.01);
    const customer = spec.role === 'customer';
    this.walkSpeed = requireFinite(
      spec.walkSpeed ??
        (customer
          ? params.customerWalkSpeed
          : rng.uniform(params.pedestrianWalkSpeedMin, params.pedestrianWalkSpeedMax)),
      `${where}.walkSpeed`,
      0,
    );
    this.reactionTimeS = requireFinite(
      spec.reactionTimeS ?? (customer ? params.customerReactionS : params.pedestrianReactionS),
      `${where}.reactionTimeS`,
      0,
    );
    this.crowd = { socialForce: !customer, holdX: NaN, holdY: NaN, group: undefined };
    if (!customer) this.wander();
  }

  get x(): number {
    return this.#x;
  }
  get y(): number {
    return this.#y;
  }
  get yaw(): number {
    return this.#yaw;
  }
  get pose(): Pose2D {
    return { x: this.#x, y: this.#y, yaw: this.#yaw };
  }
  /** Velocity components without a copy (hot loops). */
  get vx(): number {
    return this.#vx;
  }
  get vy(): number {
    return this.#vy;
  }
  get prefVx(): number {
    return this.#prefVx;
  }
  get prefVy(): number {
    return this.#prefVy;
  }
  /** Actual velocity over the last step, m/s, map frame. */
  get velocity(): { x: number; y: number } {
    return { x: this.#vx, y: this.#vy };
  }
  /** Where the person wants to go this step, m/s, map frame (before avoiding anyone). */
  get preferredVelocity(): { x: number; y: number } {
    return { x: this.#prefVx, y: this.#prefVy };
  }
  get mode(): PersonMode {
    return this.#mode;
  }
  /**
   * Walking the last SETTLE_M of a walk to a spot (to stand there: a queue's place, a sign):
   * from here on, people standing about do not put them off (crowd.ts).
   */
  get settling(): boolean {
    if (this.#mode !== 'walk_to' || this.#routeIndex < this.#route.length - 1) return false;
    const end = this.#route[this.#route.length - 1];
    return end !== undefined && Math.hypot(end.x - this.#x, end.y - this.#y) < SETTLE_M;
  }

  /** True once a walk_to has reached its goal. */
  get arrived(): boolean {
    return this.#arrived;
  }

  // ---- behaviours ------------------------------------------------------------------------

  /** Follow the robot (or anything whose pose `target` returns) at a walking pace. */
  follow(target: () => Pose2D): this {
    this.#watch = undefined;
    this.#rejoin = undefined;
    this.#rewander = undefined;
    this.#target = target;
    this.#mode = 'follow';
    this.#walking = false;
    this.#reactFromS = undefined;
    this.#trailX.length = 0;
    this.#trailY.length = 0;
    this.#trailHead = 0;
    this.#histT.length = 0;
    this.#histV.length = 0;
    this.#histHead = 0;
    this.#lastTarget = undefined;
    this.#clearRoute();
    this.#observeTarget(0);
    return this;
  }

  stand(): this {
    this.#watch = undefined;
    this.#rejoin = undefined;
    this.#rewander = undefined;
    this.#mode = 'stand';
    this.#target = undefined;
    this.#clearRoute();
    return this;
  }

  /** Walk to (x, y) around walls; stands there on arrival (`arrived` turns true). */
  walkTo(x: number, y: number): this {
    requireFinite(x, `person '${this.id}'.walkTo.x`);
    requireFinite(y, `person '${this.id}'.walkTo.y`);
    this.#watch = undefined;
    this.#target = undefined;
    this.#clearRoute();
    this.#mode = 'walk_to';
    this.#route = this.env.nav.path({ x: this.#x, y: this.#y }, { x, y }) ?? [];
    if (this.#route.length === 0) this.#mode = 'stand';
    return this;
  }

  /** Walk from place to place at random (a pedestrian; a customer who got lost). */
  wander(rng?: Rng): this {
    this.#watch = undefined;
    this.#rejoin = undefined;
    this.#rewander = undefined;
    this.#target = undefined;
    this.#clearRoute();
    this.#mode = 'wander';
    this.#wanderRng = rng ?? this.rng;
    this.#wanderPauseUntilS = 0;
    return this;
  }

  /**
   * Step aside to (x, y) and stand there watching `watch` (the robot): turned towards it, so a
   * camera that looks their way sees their face. Any other behaviour ends it.
   */
  stepAsideTo(x: number, y: number, watch: () => { x: number; y: number }): this {
    this.walkTo(x, y);
    this.#watch = watch;
    return this;
  }

  /**
   * Makes room for the robot in a tight place, as a person asked to let it go first does: walks
   * to the nearest free spot clear of `route` (the robot's way ahead; default its heading),
   * stands there watching it, and once it has gone by follows it again (when following it, or
   * waiting aside to follow it again, or `follow` is given). False when there is nowhere to go.
   */
  makeRoom(
    route?: readonly Point2[],
    // Stepping aside a second time (the robot came their way again) is no reason to stop following.
    follow: (() => Pose2D) | undefined = this.#target ?? this.#rejoin,
  ): boolean {
    const robot = this.env.robotPose();
    const way = this.#robotsWay(robot, route);
    const nav = this.env.nav;
    const here = { x: this.#x, y: this.#y };
    const bodies = this.env.robotRadius + this.radius;
    const robotBody = { x: robot.x, y: robot.y, radiusM: bodies };
    // Room to stand beside the way if there is any; in a corridor too narrow for that, flat
    // against its wall, leaving the robot just enough to squeeze by. Never past the robot itself.
    const roomy = this.radius + MAKE_ROOM_STAND_M;
    const flat = this.radius + 0.02;
    const spot =
      nav.spotOutOfTheWay(here, way, bodies + MAKE_ROOM_MARGIN_M, MAKE_ROOM_REACH_M, roomy, robotBody) ??
      nav.spotOutOfTheWay(here, way, bodies + SQUEEZE_MARGIN_M, MAKE_ROOM_REACH_M, flat, robotBody);
    if (!spot) return false;
    // A passer-by goes on their way once the robot has passed, as a follower follows again.
    const wandering = this.#mode === 'wander' ? this.#wanderRng : this.#rewander;
    this.stepAsideTo(spot.x, spot.y, () => this.env.robotPose());
    this.#rejoin = follow;
    this.#rewander = follow ? undefined : wandering;
    return true;
  }

  /**
   * Where the robot is about to go, as a person sees it on the floor: from the robot to the point
   * of its route a few metres on, the way the floor leads. Not its plan itself: that already bends
   * round the person standing in it, and judged against it they would barely move.
   */
  #robotsWay(robot: Pose2D, route?: readonly Point2[]): Point2[] {
    // Its route unknown, it is taken to drive straight on, past anywhere the person could walk
    // to: walking on ahead of it is no way out of its way.
    if (!route || route.length === 0) return aheadOf(robot, MAKE_ROOM_AHEAD_M + MAKE_ROOM_REACH_M);
    const far =
      route.find((q) => Math.hypot(q.x - robot.x, q.y - robot.y) >= MAKE_ROOM_AHEAD_M) ?? route.at(-1)!;
    const floorWay = this.env.nav.path(robot, far);
    return floorWay ? [{ x: robot.x, y: robot.y }, ...floorWay] : [{ x: robot.x, y: robot.y }, ...route];
  }

  /**
   * Stop for `seconds` (a notice board, a phone call) while still knowing where the robot went,
   * then follow again, catching up at walking speed.
   */
  stopFollowingFor(seconds: number): this {
    requireFinite(seconds, `person '${this.id}'.stopFollowingFor`, 0);
    if (!this.#target) {
      throw new SimError(
        'NOT_FOLLOWING',
        `person '${this.id}'.stopFollowingFor`,
        `expected a person who follows, found mode '${this.#mode}'`,
      );
    }
    this.#mode = 'paused';
    this.#pauseUntilS = this.env.timeS + seconds;
    this.#walking = false;
    this.#reactFromS = undefined;
    this.#clearRoute();
    return this;
  }

  // ---- the world's side ------------------------------------------------------------------

  /** Decides this step's preferred velocity. Called by the world before anyone moves. */
  think(dtS: number): void {
    const now = this.env.timeS;
    const speedNow = Math.hypot(this.#vx, this.#vy);
    const wanted = Math.hypot(this.#prefVx, this.#prefVy);
    this.#stuckS = wanted > 0.2 && speedNow < 0.05 ? this.#stuckS + dtS : 0;
    if (this.#target) this.#observeTarget(dtS);
    if (this.#mode === 'paused' && now >= this.#pauseUntilS) this.#mode = 'follow';
    if (this.#rejoin && this.#robotHasPassed()) this.follow(this.#rejoin);
    else if (this.#rewander && this.#robotHasPassed()) this.wander(this.#rewander);
    switch (this.#mode) {
      case 'stand':
      case 'paused':
        if (!this.#makeWay(now)) this.#prefer(0, 0, 0);
        break;
      case 'follow':
        this.#follow(now);
        break;
      case 'walk_to':
        if (this.#walkRoute(this.walkSpeed)) {
          this.#arrived = true;
          this.#mode = 'stand';
        } else if (this.crowd.socialForce && !this.#watch && this.#givesWayToRobot()) {
          // Someone in a crowd on an errand lets the robot by as a wanderer does (not one
          // stepping out of its way: they walk away from it).
          this.#prefer(0, 0, 0);
        }
        break;
      case 'wander':
        this.#wander(now);
        break;
    }
  }

  /** Where the world put the person this step. */
  moved(x: number, y: number, vx: number, vy: number): void {
    this.#x = x;
    this.#y = y;
    this.#vx = vx;
    this.#vy = vy;
    if (Math.hypot(vx, vy) > 0.05) {
      this.#yaw = Math.atan2(vy, vx);
      return;
    }
    // Standing, a person looks at what they wait for: the robot they let by, or the one they
    // follow (as a customer does while it stands still; not one stopped to read a sign).
    const looksAt = this.#watch ?? (this.#mode === 'follow' ? this.#target : undefined);
    if (looksAt) {
      const w = looksAt();
      this.#yaw = Math.atan2(w.y - y, w.x - x);
    }
  }

  // ---- insides ---------------------------------------------------------------------------

  #prefer(dx: number, dy: number, speed: number): void {
    const n = Math.hypot(dx, dy);
    if (n < 1e-9 || speed <= 0) {
      this.#prefVx = 0;
      this.#prefVy = 0;
      return;
    }
    this.#prefVx = (dx / n) * speed;
    this.#prefVy = (dy / n) * speed;
  }

  #clearRoute(): void {
    this.#route = [];
    this.#routeIndex = 0;
    this.#arrived = false;
    this.#stuckS = 0;
  }

  /** Records where the robot is (trail) and how fast it goes (for the delayed reaction). */
  #observeTarget(dtS: number): void {
    const p = this.#target!();
    const now = this.env.timeS;
    const last = this.#lastTarget;
    const speed = last && dtS > 0 ? Math.hypot(p.x - last.x, p.y - last.y) / dtS : 0;
    this.#lastTarget = { x: p.x, y: p.y };
    this.#histT.push(now);
    this.#histV.push(speed);
    // Keep one sample older than the reaction time: the speed the person is reacting to.
    while (
      this.#histHead + 1 < this.#histT.length &&
      this.#histT[this.#histHead + 1]! <= now - this.reactionTimeS
    ) {
      this.#histHead++;
    }
    if (this.#histHead > 1024) {
      this.#histT.splice(0, this.#histHead);
      this.#histV.splice(0, this.#histHead);
      this.#histHead = 0;
    }
    const n = this.#trailX.length;
    if (n === 0 || Math.hypot(p.x - this.#trailX[n - 1]!, p.y - this.#trailY[n - 1]!) >= TRAIL_SPACING_M) {
      this.#trailX.push(p.x);
      this.#trailY.push(p.y);
      if (n + 1 - this.#trailHead > TRAIL_MAX) this.#trailHead++;
      if (this.#trailHead > 2048) {
        this.#trailX.splice(0, this.#trailHead);
        this.#trailY.splice(0, this.#trailHead);
        this.#trailHead = 0;
      }
    }
  }

  /** The robot's speed one reaction time ago. */
  #delayedTargetSpeed(): number {
    return this.#histV[this.#histHead] ?? 0;
  }

  #follow(now: number): void {
    const p = this.params;
    const target = this.#lastTarget!;
    const gap = Math.hypot(target.x - this.#x, target.y - this.#y);
    if (!this.#walking) {
      if (gap > p.followStartGapM) {
        this.#reactFromS ??= now;
        if (now - this.#reactFromS >= this.reactionTimeS) this.#walking = true;
      } else {
        this.#reactFromS = undefined;
      }
    }
    if (!this.#walking) {
      if (!this.#makeWay(now)) this.#prefer(0, 0, 0);
      return;
    }
    const delayed = this.#delayedTargetSpeed();
    let speed = clamp(delayed + p.followGain * (gap - p.followGapM), 0, this.walkSpeed);
    // Never walk into the robot: brake in time to keep personal space.
    const edge = gap - this.radius - this.env.robotRadius;
    speed = Math.min(speed, Math.sqrt(2 * p.decelMps2 * Math.max(0, edge - p.personalSpaceM)));
    if (speed < 0.05 && delayed < 0.05 && gap <= p.followGapM + 0.1) {
      this.#walking = false;
      this.#reactFromS = undefined;
      this.#prefer(0, 0, 0);
      return;
    }
    const aim = this.#followAim(now);
    this.#prefer(aim.x - this.#x, aim.y - this.#y, speed);
  }

  /**
   * Steps sideways out of the robot's path when it comes at the person (after their reaction
   * time), as people do for anything rolling towards them; false while there is no need.
   */
  #makeWay(now: number): boolean {
    const p = this.params;
    const robot = this.env.robotPose();
    const v = this.env.robotVelocity().v;
    const moving = Math.abs(v) >= 0.1;
    const dx = this.#x - robot.x;
    const dy = this.#y - robot.y;
    // Unit vector of the robot's travel (backwards when reversing; ahead when about to set off).
    const sign = moving ? Math.sign(v) : 1;
    const hx = Math.cos(robot.yaw) * sign;
    const hy = Math.sin(robot.yaw) * sign;
    const along = dx * hx + dy * hy;
    const lateral = hx * dy - hy * dx;
    const inPath = Math.abs(lateral) < this.env.robotRadius + this.radius + p.makeWayMarginM;
    const coming = moving || this.#aboutToPassHere(hx, hy);
    if (!coming || along <= 0 || along > p.makeWayWithinM || !inPath) {
      this.#makeWayFromS = undefined;
      return false;
    }
    this.#makeWayFromS ??= now;
    if (now - this.#makeWayFromS < this.reactionTimeS) return false;
    // Away from the path's centre line: to the robot's left when on its left (or dead ahead).
    const side = lateral >= 0 ? 1 : -1;
    // No room beside them (a corridor): go where there is, and let it by, as people do.
    const need = this.env.robotRadius + this.radius + p.makeWayMarginM - Math.abs(lateral);
    const sideX = this.#x - hy * side * need;
    const sideY = this.#y + hx * side * need;
    if (this.env.nav.caster.freeDistanceAt(sideX, sideY) < this.radius && this.makeRoom()) {
      this.#makeWayFromS = undefined;
      return true;
    }
    // Flat against the wall already: stand there (pushing on would slide them along the wall,
    // ahead of the robot and into its way again).
    const room = this.env.nav.caster.cast(this.#x, this.#y, -hy * side, hx * side, 1) - this.radius;
    if (room < AGAINST_WALL_M) this.#prefer(0, 0, 0);
    else this.#prefer(-hy * side, hx * side, Math.min(this.walkSpeed, p.makeWaySpeed));
    return true;
  }

  /**
   * A passer-by who sees the robot driving across their way stops and lets it pass, as people
   * do for anything rolling: where they walk and where it drives come within touching (plus a
   * margin) in the next GIVE_WAY_HORIZON_S. Not for a robot standing still (they walk round it)
   * nor one they cannot see (round a corner: then only the robot can be careful).
   */
  #givesWayToRobot(): boolean {
    const robot = this.env.robotPose();
    const v = this.env.robotVelocity().v;
    if (Math.abs(v) < 0.1) return false;
    if (Math.hypot(robot.x - this.#x, robot.y - this.#y) > GIVE_WAY_SEE_M) return false;
    // The robot as the navigator's people rule sees a person, from this person's side.
    const { dx, dy } = closestApproach(
      robot.x - this.#x,
      robot.y - this.#y,
      this.#prefVx,
      this.#prefVy,
      { x: robot.x, y: robot.y, vx: v * Math.cos(robot.yaw), vy: v * Math.sin(robot.yaw) },
      GIVE_WAY_HORIZON_S,
    );
    const touch = this.env.robotRadius + this.radius + GIVE_WAY_MARGIN_M;
    if (Math.hypot(dx, dy) >= touch) return false;
    return this.env.nav.lineOfSight(this.#x, this.#y, robot.x, robot.y, SIGHT_LINE_CLEARANCE_M);
  }

  /** The robot has gone by (the person is behind it) or is well away. */
  #robotHasPassed(): boolean {
    const robot = this.env.robotPose();
    const dx = this.#x - robot.x;
    const dy = this.#y - robot.y;
    const along = dx * Math.cos(robot.yaw) + dy * Math.sin(robot.yaw);
    return along < -PASSED_BEHIND_M || Math.hypot(dx, dy) > PASSED_AWAY_M;
  }

  /**
   * A customer told to follow a robot that stands facing them, in a place too narrow for it to
   * pass beside them (a corridor by the dock), knows it is about to come their way: they step to
   * the wall before it moves, as a person would, instead of standing where it has to pass (the
   * robot cannot plan through them, so it would never set off).
   */
  #aboutToPassHere(hx: number, hy: number): boolean {
    if (this.role !== 'customer' || this.#mode !== 'follow' || this.#walking) return false;
    const caster = this.env.nav.caster;
    const room = (side: number) => caster.cast(this.#x, this.#y, -hy * side, hx * side, 5) - this.radius;
    const robotWidth = 2 * this.env.robotRadius + 2 * this.params.makeWayMarginM;
    return Math.max(room(1), room(-1)) < robotWidth;
  }

  /** Where a follower heads: along the robot's trail, or around a wall when the trail is out of sight. */
  #followAim(now: number): Point2 {
    if (this.#routeIndex < this.#route.length) {
      if (this.#waypointDone(this.#route[this.#routeIndex]!, this.#route[this.#routeIndex + 1])) {
        this.#routeIndex++;
      }
      if (this.#routeIndex < this.#route.length) return this.#route[this.#routeIndex]!;
    }
    const tx = this.#trailX;
    const ty = this.#trailY;
    const last = tx.length - 1;
    // Skip past loops: jump to the closest of the next few trail points, then past near ones.
    let best = this.#trailHead;
    let bestD = Infinity;
    for (let i = this.#trailHead; i <= Math.min(last, this.#trailHead + 40); i++) {
      const d = Math.hypot(tx[i]! - this.#x, ty[i]! - this.#y);
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    this.#trailHead = best;
    while (
      this.#trailHead < last &&
      Math.hypot(tx[this.#trailHead]! - this.#x, ty[this.#trailHead]! - this.#y) < 0.4
    ) {
      this.#trailHead++;
    }
    const aim = { x: tx[this.#trailHead]!, y: ty[this.#trailHead]! };
    if (now >= this.#nextSightCheckS) {
      this.#nextSightCheckS = now + SIGHT_CHECK_S;
      if (!this.env.nav.lineOfSight(this.#x, this.#y, aim.x, aim.y, this.radius * 0.8)) {
        this.#route = this.env.nav.path({ x: this.#x, y: this.#y }, aim) ?? [];
        this.#routeIndex = 0;
        if (this.#route.length > 0) return this.#route[0]!;
      }
    }
    return aim;
  }

  /**
   * Near enough to `wp` to head for `next` instead: within reach of it, and `next` in sight. A
   * route turns round a corner at its waypoints; cutting one while the corner is still in the
   * way walks the person into it, where they would stand pushing for ever.
   */
  #waypointDone(wp: Point2, next: Point2 | undefined): boolean {
    const d = Math.hypot(wp.x - this.#x, wp.y - this.#y);
    if (d >= WAYPOINT_REACHED_M) return false;
    if (!next || d < WAYPOINT_ON_M) return true;
    return this.env.nav.lineOfSight(this.#x, this.#y, next.x, next.y, this.radius * 0.8);
  }

  /** Walks the route; true on arrival at its last point. */
  #walkRoute(speedMax: number): boolean {
    const route = this.#route;
    while (
      this.#routeIndex < route.length - 1 &&
      Math.hypot(route[this.#routeIndex]!.x - this.#x, route[this.#routeIndex]!.y - this.#y) <
        WAYPOINT_REACHED_M
    ) {
      this.#routeIndex++;
    }
    const wp = route[this.#routeIndex];
    if (!wp) {
      this.#prefer(0, 0, 0);
      return true;
    }
    const d = Math.hypot(wp.x - this.#x, wp.y - this.#y);
    const final = this.#routeIndex === route.length - 1;
    if (final && d < ARRIVED_M) {
      this.#prefer(0, 0, 0);
      return true;
    }
    // Ease into the last point instead of overshooting it.
    // Someone moved by the social force model follows their wish a relaxation time late: they
    // aim to slow in proportion to the distance left, which settles on the point with no overshoot
    // to speak of.
    const easeIn = this.crowd.socialForce
      ? d * ARRIVE_GAIN_PER_S
      : Math.sqrt(2 * this.params.decelMps2 * d) * 0.7;
    const speed = final ? Math.min(speedMax, easeIn) : speedMax;
    this.#prefer(wp.x - this.#x, wp.y - this.#y, speed);
    return false;
  }

  #wander(now: number): void {
    if (this.#route.length > 0 && this.#stuckS > STUCK_S) this.#clearRoute();
    if (this.#route.length > 0) {
      if (!this.#walkRoute(this.walkSpeed)) {
        if (this.#givesWayToRobot()) this.#prefer(0, 0, 0);
        return;
      }
      this.#clearRoute();
      this.#wanderPauseUntilS = now + this.#wanderRng!.uniform(0, this.params.wanderPauseMaxS);
    }
    this.#prefer(0, 0, 0);
    if (now < this.#wanderPauseUntilS) return;
    const rng = this.#wanderRng!;
    const goal = this.env.nav.randomPointNear(rng, this.#x, this.#y, this.params.wanderMinLegM);
    const route = goal && this.env.nav.path({ x: this.#x, y: this.#y }, goal);
    if (route && route.length > 0) {
      this.#route = route;
      this.#routeIndex = 0;
    } else {
      // Nowhere to go from here (boxed in): look again in a while.
      this.#wanderPauseUntilS = now + 2;
    }
  }
}

/** Points along the robot's heading, every half metre up to `lengthM`. */
function aheadOf(robot: Pose2D, lengthM: number): Point2[] {
  const points: Point2[] = [];
  for (let d = 0; d <= lengthM; d += 0.5)
    points.push({ x: robot.x + d * Math.cos(robot.yaw), y: robot.y + d * Math.sin(robot.yaw) });
  return points;
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
