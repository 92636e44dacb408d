/**
 * Social-navigation metrics as the published benchmarks define them (HuNavSim's hunav_evaluator,
 * SocNavBench; docs/social-metrics.md says which definition each follows and where it deviates):
 * an accumulator fed once per simulator step with the time, the robot's true state and the people
 * on the floor, that returns each escorted request's metrics and the whole run's intrusions.
 *
 * Pure: it reads only what it is given (no world, no clock), and allocates only when an escort
 * begins, so it can run on every 10 ms step.
 */
import { round } from './round.js';

/** Hall's proxemic zones, measured from the person's centre to the robot's edge (m). */
export const INTIMATE_M = 0.45;
export const PERSONAL_M = 1.2;
/** m/s: the robot counts as not moving below this linear speed. */
export const NOT_MOVING_MPS = 0.05;
/**
 * s between the speed samples jerk is taken from. The controller commands at 20 Hz and the base
 * ramps each command within a step or two, so a second difference at the 10 ms step measures
 * the controller's tick, not the motion; at 0.1 s it measures the ride.
 */
export const JERK_SAMPLE_S = 0.1;
/** m: an escort that ended this close to where it began has no meaningful path ratio. */
const MIN_DISPLACEMENT_M = 0.5;

export interface SocialParams {
  robotRadiusM: number;
  /** The mission's follow distance (m, its comfort gap): a customer further behind lags. */
  followGapM: number;
  intimateM?: number;
  personalM?: number;
  notMovingMps?: number;
  jerkSampleS?: number;
  /**
   * Keep every request's figures for the report (a listed scenario); false: only the escort under
   * way (an endless stream, whose run of any length must hold the same memory).
   */
  keepRequests?: boolean;
}

/** The robot's true state this step (map frame). */
export interface RobotState {
  readonly x: number;
  readonly y: number;
  readonly yaw: number;
  /** Linear velocity, m/s. */
  readonly v: number;
}

export interface PersonState {
  readonly id: string;
  readonly x: number;
  readonly y: number;
}

/** The request being escorted this step, and who its customer is. */
export interface EscortState {
  readonly index: number;
  readonly personId: string;
}

/** The shortest way between two points on the static map (m), or null when there is none. */
export type ShortestPath = (from: { x: number; y: number }, to: { x: number; y: number }) => number | null;

/** One escorted request's metrics (docs/social-metrics.md). */
export interface RequestSocial {
  /** s escorting (the window every other figure covers). */
  escort_s: number;
  /** % of steps with someone other than the customer within 0.45 m / 1.2 m. */
  intimate_intrusion_pct: number;
  personal_intrusion_pct: number;
  /** Distinct intrusions (someone came within the zone, having been outside it). */
  intimate_intrusions: number;
  personal_intrusions: number;
  /** s with |v| < 0.05 m/s. */
  time_not_moving_s: number;
  path_length_m: number;
  /** Shortest way on the static map from where the escort began to where it ended (null: none). */
  shortest_path_m: number | null;
  path_length_ratio: number | null;
  /** Total absolute heading change, rad (HuNavSim's cumulative_heading_changes). */
  heading_changes_rad: number;
  /** heading_changes_rad per metre driven (0 under 0.1 m driven). */
  path_irregularity_rad_per_m: number;
  /** Mean |d³x/dt³| of the linear motion, m/s³, from speed sampled every 0.1 s. */
  jerk_m_s3: number;
  /** s from the escort's start to arrival (null: it did not arrive). */
  time_to_goal_s: number | null;
  /** The customer's centre to the robot's edge, m, while escorting. */
  customer_gap_mean_m: number;
  customer_gap_max_m: number;
  /** % of escort steps with the customer further than the follow distance. */
  customer_beyond_follow_pct: number;
}

/** Intrusions over the whole run (every step, the customer of the moment excluded). */
export interface RunIntrusions {
  intimate_intrusion_pct: number;
  personal_intrusion_pct: number;
  intimate_intrusions: number;
  personal_intrusions: number;
}

/** Counts steps inside a zone and the entries into it. */
class Zone {
  steps = 0;
  entries = 0;
  #inside = false;

  update(inside: boolean): void {
    if (inside) {
      this.steps++;
      if (!this.#inside) this.entries++;
    }
    this.#inside = inside;
  }
}

class EscortAcc {
  readonly intimate = new Zone();
  readonly personal = new Zone();
  steps = 0;
  notMovingS = 0;
  pathM = 0;
  headingRad = 0;
  endS: number;
  endX: number;
  endY: number;
  lastYaw: number;
  // Speed samples for jerk: the last three, and the next sample's time.
  nextSampleS: number;
  v1 = NaN;
  v2 = NaN;
  jerkSum = 0;
  jerkSamples = 0;
  gapSum = 0;
  gapMax = 0;
  gapSteps = 0;
  beyondSteps = 0;

  constructor(
    readonly startS: number,
    readonly startX: number,
    readonly startY: number,
    yaw: number,
  ) {
    this.endS = startS;
    this.endX = startX;
    this.endY = startY;
    this.lastYaw = yaw;
    this.nextSampleS = startS;
  }
}

export class SocialMetrics {
  readonly #p: Required<SocialParams>;
  readonly #escorts = new Map<number, EscortAcc>();
  readonly #runIntimate = new Zone();
  readonly #runPersonal = new Zone();
  #runSteps = 0;
  #lastT = NaN;

  constructor(params: SocialParams) {
    this.#p = {
      intimateM: INTIMATE_M,
      personalM: PERSONAL_M,
      notMovingMps: NOT_MOVING_MPS,
      jerkSampleS: JERK_SAMPLE_S,
      keepRequests: true,
      ...params,
    };
  }

  /**
   * One simulator step at time `t` (s): the robot, everyone on the floor, and the request being
   * escorted (undefined between escorts). `customerId` is whoever is being served now (asking,
   * escorted, or a kiosk customer): never counted as an intrusion.
   */
  step(
    t: number,
    robot: RobotState,
    people: readonly PersonState[],
    escort: EscortState | undefined,
    customerId: string | undefined,
  ): void {
    const dt = Number.isNaN(this.#lastT) ? 0 : t - this.#lastT;
    this.#lastT = t;
    let nearest = Infinity;
    let customerGap = NaN;
    for (const person of people) {
      const d = Math.hypot(person.x - robot.x, person.y - robot.y) - this.#p.robotRadiusM;
      if (person.id === customerId) customerGap = d;
      else if (d < nearest) nearest = d;
    }
    this.#runSteps++;
    this.#runIntimate.update(nearest < this.#p.intimateM);
    this.#runPersonal.update(nearest < this.#p.personalM);
    if (escort)
      this.#stepEscort(
        t,
        dt,
        robot,
        nearest,
        escort.personId === customerId ? customerGap : NaN,
        escort.index,
      );
  }

  #stepEscort(t: number, dt: number, robot: RobotState, nearest: number, gap: number, index: number): void {
    let e = this.#escorts.get(index);
    if (!e) {
      if (!this.#p.keepRequests) this.#escorts.clear();
      e = new EscortAcc(t, robot.x, robot.y, robot.yaw);
      this.#escorts.set(index, e);
    } else {
      // The escort's own time only: a step since its last one (a pause between windows is not).
      if (Math.abs(robot.v) < this.#p.notMovingMps) e.notMovingS += Math.min(dt, t - e.endS);
      e.pathM += Math.hypot(robot.x - e.endX, robot.y - e.endY);
      e.headingRad += Math.abs(angleDiff(robot.yaw, e.lastYaw));
    }
    e.steps++;
    e.intimate.update(nearest < this.#p.intimateM);
    e.personal.update(nearest < this.#p.personalM);
    e.endS = t;
    e.endX = robot.x;
    e.endY = robot.y;
    e.lastYaw = robot.yaw;
    if (!Number.isNaN(gap)) {
      e.gapSteps++;
      e.gapSum += gap;
      if (gap > e.gapMax) e.gapMax = gap;
      if (gap > this.#p.followGapM) e.beyondSteps++;
    }
    if (t + 1e-9 >= e.nextSampleS) this.#sampleJerk(e, robot.v);
  }

  /** Second difference of the sampled speed: jerk, d²v/dt² = d³x/dt³. */
  #sampleJerk(e: EscortAcc, v: number): void {
    const h = this.#p.jerkSampleS;
    e.nextSampleS += h;
    if (!Number.isNaN(e.v2)) {
      e.jerkSum += Math.abs(v - 2 * e.v1 + e.v2) / (h * h);
      e.jerkSamples++;
    }
    e.v2 = e.v1;
    e.v1 = v;
  }

  /** Request `index`'s metrics, or null when it was never escorted; `arrived`: it reached its goal. */
  request(index: number, arrived: boolean, shortest?: ShortestPath): RequestSocial | null {
    const e = this.#escorts.get(index);
    if (!e) return null;
    const displacement = Math.hypot(e.endX - e.startX, e.endY - e.startY);
    const shortestM =
      shortest && displacement >= MIN_DISPLACEMENT_M
        ? shortest({ x: e.startX, y: e.startY }, { x: e.endX, y: e.endY })
        : null;
    const pct = (n: number, of: number) => (of > 0 ? (100 * n) / of : 0);
    return {
      escort_s: e.endS - e.startS,
      intimate_intrusion_pct: pct(e.intimate.steps, e.steps),
      personal_intrusion_pct: pct(e.personal.steps, e.steps),
      intimate_intrusions: e.intimate.entries,
      personal_intrusions: e.personal.entries,
      time_not_moving_s: e.notMovingS,
      path_length_m: e.pathM,
      shortest_path_m: shortestM,
      path_length_ratio: shortestM !== null && shortestM > 0 ? e.pathM / shortestM : null,
      heading_changes_rad: e.headingRad,
      path_irregularity_rad_per_m: e.pathM >= 0.1 ? e.headingRad / e.pathM : 0,
      jerk_m_s3: e.jerkSamples > 0 ? e.jerkSum / e.jerkSamples : 0,
      time_to_goal_s: arrived ? e.endS - e.startS : null,
      customer_gap_mean_m: e.gapSteps > 0 ? e.gapSum / e.gapSteps : 0,
      customer_gap_max_m: e.gapMax,
      customer_beyond_follow_pct: pct(e.beyondSteps, e.gapSteps),
    };
  }

  /** Intrusions over every step of the run. */
  runIntrusions(): RunIntrusions {
    const pct = (n: number) => (this.#runSteps > 0 ? (100 * n) / this.#runSteps : 0);
    return {
      intimate_intrusion_pct: pct(this.#runIntimate.steps),
      personal_intrusion_pct: pct(this.#runPersonal.steps),
      intimate_intrusions: this.#runIntimate.entries,
      personal_intrusions: this.#runPersonal.entries,
    };
  }
}

/** The run's social summary: whole-run intrusions and aggregates over its escorted requests. */
export interface RunSocial extends RunIntrusions {
  /** Requests escorted (the rest have no social metrics). */
  escorts: number;
  /** s not moving, summed over the escorts. */
  time_not_moving_s: number;
  /** Over the escorts that have one (null: none has). */
  path_length_ratio_mean: number | null;
  path_length_ratio_max: number | null;
  /** Means over the escorts (null: no escort). */
  path_irregularity_mean_rad_per_m: number | null;
  jerk_mean_m_s3: number | null;
  /** Over the escorts that arrived (null: none did). */
  time_to_goal_mean_s: number | null;
  customer_gap_max_m: number | null;
  /** % of all escort time with the customer beyond the follow distance. */
  customer_beyond_follow_pct: number | null;
}

export function summarizeRun(requests: readonly (RequestSocial | null)[], run: RunIntrusions): RunSocial {
  const escorts = requests.filter((r): r is RequestSocial => r !== null);
  const ratios = escorts.flatMap((r) => (r.path_length_ratio === null ? [] : [r.path_length_ratio]));
  const times = escorts.flatMap((r) => (r.time_to_goal_s === null ? [] : [r.time_to_goal_s]));
  const escortS = escorts.reduce((s, r) => s + r.escort_s, 0);
  const beyondS = escorts.reduce((s, r) => s + (r.customer_beyond_follow_pct / 100) * r.escort_s, 0);
  const none = escorts.length === 0;
  return {
    ...run,
    escorts: escorts.length,
    time_not_moving_s: escorts.reduce((s, r) => s + r.time_not_moving_s, 0),
    path_length_ratio_mean: mean(ratios),
    path_length_ratio_max: ratios.length > 0 ? Math.max(...ratios) : null,
    path_irregularity_mean_rad_per_m: mean(escorts.map((r) => r.path_irregularity_rad_per_m)),
    jerk_mean_m_s3: mean(escorts.map((r) => r.jerk_m_s3)),
    time_to_goal_mean_s: mean(times),
    customer_gap_max_m: none ? null : Math.max(...escorts.map((r) => r.customer_gap_max_m)),
    customer_beyond_follow_pct: none ? null : escortS > 0 ? (100 * beyondS) / escortS : 0,
  };
}

/** Every number rounded as the rest of the report is (same seed → byte-identical JSON). */
export function roundSocial<T extends object>(metrics: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(metrics)) {
    out[k] = typeof v !== 'number' ? v : Number.isInteger(v) ? v : round(v, k.endsWith('_pct') ? 2 : 3);
  }
  return out as T;
}

function mean(xs: readonly number[]): number | null {
  return xs.length === 0 ? null : xs.reduce((s, x) => s + x, 0) / xs.length;
}

function angleDiff(a: number, b: number): number {
  let d = a - b;
  while (d > Math.PI) d -= 2 * Math.PI;
  while (d <= -Math.PI) d += 2 * Math.PI;
  return d;
}
