/**
 * The sweep: on one site, for each seed, the robot escorts a customer from its dock to every
 * destination in turn, and then between random pairs (the robot standing at A, turned to the
 * customer, who asks for B), each with and without background pedestrians. Every escort is
 * recorded as the mission ended it (its reason code), where the robot stood when it failed, and
 * the collisions while it was under way. Every run has a simulated-time limit of `escortLimitS`
 * per escort it holds, so a robot that never comes back costs minutes, never a hang.
 *
 * The sweep composes nothing itself: the command line (or a test) hands it `run`, which starts
 * the robot in a simulator world and plays a scenario on it (cli/simulate.ts).
 */
import { LANGUAGES, type Destination, type Site } from '../src/map/index.js';
import type { Pose2D } from '../src/ros/index.js';
import type { LocalizationReport } from './localization-watch.js';
import type { RunReport } from './report.js';
import { Rng } from './rng.js';
import { round } from './round.js';
import type { RunHooks, SimulatedRobot } from './runner.js';
import type { CustomerSpec, Scenario } from './scenario.js';

/** A Thursday morning: every generated desk and every desk of the sample site is open. */
export const SWEEP_START_TIME = '2026-11-26T10:00:00+02:00';
export const DEFAULT_ESCORT_LIMIT_S = 360;

export interface SweepOptions {
  /** Seeds 1..seeds. */
  seeds: number;
  /** Background pedestrians of the runs with pedestrians; 0: only runs without. */
  pedestrians: number;
  /** The pedestrian counts to run, in order; default [0, pedestrians] ([0] when that is 0). */
  pedestrianConditions?: readonly number[];
  /** Random pairs per seed and condition; default: as many as the site has destinations. */
  pairsPerSeed?: number;
  /** Simulated seconds allowed per escort (with the trip home). */
  escortLimitS?: number;
}

/** Plays `scenario` on a robot started on `site`; `onStart` sees the world before the first step. */
export type RunSimulation = (
  scenario: Scenario,
  site: Site,
  onStart: (sim: SimulatedRobot) => void,
  hooks: RunHooks,
) => Promise<RunReport>;

export type CollisionCounts = { wall: number; obstacle: number; person: number };

export interface EscortResult {
  /** 'dock', or the destination the robot started at. */
  from: string;
  to: string;
  arrived: boolean;
  /** The request's outcome, or 'unfinished' (never decided within the run's time limit). */
  outcome: string;
  /** The mission's reason code ('' when it arrived; 'unfinished' when the run ran out of time). */
  reason: string;
  /** The destination the robot chose ('' when none). */
  destination: string;
  duration_s: number;
  collisions: CollisionCounts;
  min_person_distance_m: number;
  /** Where the robot stood when the escort failed (map frame), or undefined when it arrived. */
  failed_at?: { x: number; y: number };
}

export interface SweepRun {
  site: string;
  seed: number;
  pedestrians: number;
  kind: 'from-dock' | 'pair';
  sim_time_s: number;
  wall_s: number;
  collisions: CollisionCounts;
  /** The robot stood within 0.5 m of its dock when the run ended. */
  ended_at_dock: boolean;
  /** The localiser's estimate against the ground truth over the run. */
  localization: LocalizationReport;
  escorts: EscortResult[];
}

/**
 * Every run of the sweep on one site, in order. `wallMs` times them (the caller's clock);
 * `onRun` hears of each as it ends (the command line's progress).
 */
export async function sweepSite(
  site: Site,
  options: SweepOptions,
  run: RunSimulation,
  wallMs: () => number = () => 0,
  onRun: (done: SweepRun) => void = () => undefined,
): Promise<SweepRun[]> {
  const out: SweepRun[] = [];
  const keep = (done: SweepRun) => {
    out.push(done);
    onRun(done);
  };
  const conditions =
    options.pedestrianConditions ?? (options.pedestrians > 0 ? [0, options.pedestrians] : [0]);
  for (let seed = 1; seed <= options.seeds; seed++) {
    for (const peds of conditions) {
      keep(await sweepRun(site, 'dock', site.destinations, seed, peds, options, run, wallMs));
      for (const [a, b] of randomPairs(site, seed, peds, options.pairsPerSeed)) {
        keep(await sweepRun(site, a, [b], seed, peds, options, run, wallMs));
      }
    }
  }
  return out;
}

/** Ordered pairs (A, B), A ≠ B, drawn from the seed. */
export function randomPairs(
  site: Site,
  seed: number,
  pedestrians: number,
  count = site.destinations.length,
): Array<[Destination, Destination]> {
  const ds = site.destinations;
  if (ds.length < 2) return [];
  const rng = new Rng(`sweep-pairs/${site.id}/${seed}/${pedestrians}`);
  const out: Array<[Destination, Destination]> = [];
  for (let i = 0; i < Math.min(count, ds.length * (ds.length - 1)); i++) {
    const a = rng.int(ds.length);
    const b = (a + 1 + rng.int(ds.length - 1)) % ds.length;
    out.push([ds[a]!, ds[b]!]);
  }
  return out;
}

async function sweepRun(
  site: Site,
  from: Destination | 'dock',
  targets: readonly Destination[],
  seed: number,
  pedestrians: number,
  options: SweepOptions,
  run: RunSimulation,
  wallMs: () => number,
): Promise<SweepRun> {
  const limitS = options.escortLimitS ?? DEFAULT_ESCORT_LIMIT_S;
  // At A, the robot has turned from the desk to the customer: A is its "dock" for this run.
  const start = from === 'dock' ? site.dock : turnedAround(from.pose);
  const runSite: Site = from === 'dock' ? site : { ...site, dock: start };
  const scenario = sweepScenario(
    runSite,
    targets,
    seed,
    pedestrians,
    limitS,
    from === 'dock' ? 'dock' : from.id,
  );
  const watch = new EscortWatch(targets.length);
  const t0 = wallMs();
  const report = await run(
    scenario,
    runSite,
    // The runner sets the scenario's pedestrians down, clear of the start and every desk.
    (sim) => watch.attach(sim),
    { onEvent: (e) => watch.onEvent(e), onDecided: (i, outcome) => watch.onDecided(i, outcome) },
  );
  const wallS = (wallMs() - t0) / 1000;
  watch.finish();
  return {
    site: site.id,
    seed,
    pedestrians,
    kind: from === 'dock' ? 'from-dock' : 'pair',
    sim_time_s: report.sim_time_s,
    wall_s: round(wallS, 2),
    collisions: report.collisions,
    ended_at_dock: !report.expectation_failures.some((f) => f.startsWith('robot ended')),
    localization: report.localization,
    escorts: report.requests.map((q, i) => {
      const arrived = q.success && q.destination === targets[i]!.id;
      const failedAt = watch.failedAt[i];
      return {
        from: from === 'dock' ? 'dock' : from.id,
        to: targets[i]!.id,
        arrived,
        outcome: q.outcome,
        reason: arrived ? '' : reasonOf(q, targets[i]!.id),
        destination: q.destination,
        duration_s: q.duration_s,
        collisions: watch.collisions[i]!,
        min_person_distance_m: q.min_person_distance_m,
        ...(arrived || !failedAt ? {} : { failed_at: failedAt }),
      };
    }),
  };
}

function reasonOf(q: RunReport['requests'][number], wanted: string): string {
  if (q.outcome === 'unfinished') return 'unfinished';
  if (q.success) return `wrong_destination:${q.destination || 'none'} (wanted ${wanted})`;
  return q.reason || q.outcome;
}

function turnedAround(p: Pose2D): Pose2D {
  const yaw = p.yaw + Math.PI;
  return { x: p.x, y: p.y, yaw: yaw > Math.PI ? yaw - 2 * Math.PI : yaw };
}

/** One customer per target, asking by the target's name in fi, sv and en in turn. */
export function sweepScenario(
  site: Site,
  targets: readonly Destination[],
  seed: number,
  pedestrians: number,
  escortLimitS: number,
  from: string,
): Scenario {
  const customers: CustomerSpec[] = targets.map((d, i) => {
    const language = LANGUAGES[(i + seed) % LANGUAGES.length]!;
    return {
      at: 0,
      ask: d.name[language],
      language,
      plain: false,
      mode: 'escort',
      behaviour: { kind: 'follow' },
      expect: { outcome: 'arrived', destination: d.id },
      where: `${site.dir}: ${from} → ${d.id}`,
    };
  });
  return {
    file: site.dir,
    name: `sweep ${site.id} seed ${seed}${pedestrians ? ` with ${pedestrians} pedestrians` : ''} from ${from}`,
    description: '',
    siteDir: site.dir,
    seed,
    startEpochMs: Date.parse(SWEEP_START_TIME),
    robotStart: 'dock',
    pedestrians,
    timeLimitS: escortLimitS * targets.length,
    customers,
    events: [],
    expect: { collisions: 0 },
  };
}

/**
 * Per escort: the collisions from its request to the next (its trip home included), and where
 * the robot stood when its outcome was decided as a failure.
 */
class EscortWatch {
  readonly collisions: CollisionCounts[];
  readonly failedAt: Array<{ x: number; y: number } | undefined>;
  #sim: SimulatedRobot | undefined;
  #current = -1;
  #since: CollisionCounts = { wall: 0, obstacle: 0, person: 0 };

  constructor(n: number) {
    this.collisions = Array.from({ length: n }, () => ({ wall: 0, obstacle: 0, person: 0 }));
    this.failedAt = Array.from({ length: n }, () => undefined);
  }

  attach(sim: SimulatedRobot): void {
    this.#sim = sim;
  }

  onEvent(e: { kind: string; index?: number }): void {
    if (e.kind !== 'request' || e.index === undefined) return;
    this.#close();
    this.#current = e.index;
  }

  onDecided(index: number, outcome: string): void {
    if (outcome !== 'arrived') this.failedAt[index] ??= this.#pose();
  }

  /** The run is over: the last escort's collisions, and where an unfinished one stood. */
  finish(): void {
    this.#close();
    if (this.#current >= 0) this.failedAt[this.#current] ??= this.#pose();
  }

  #close(): void {
    const now = this.#counts();
    if (this.#current >= 0 && this.#current < this.collisions.length) {
      const c = this.collisions[this.#current]!;
      c.wall += now.wall - this.#since.wall;
      c.obstacle += now.obstacle - this.#since.obstacle;
      c.person += now.person - this.#since.person;
    }
    this.#since = now;
  }

  #counts(): CollisionCounts {
    return { ...(this.#sim?.world.physics.metrics().collisions ?? { wall: 0, obstacle: 0, person: 0 }) };
  }

  #pose(): { x: number; y: number } | undefined {
    const p = this.#sim?.world.physics.robotPose();
    return p ? { x: round(p.x, 2), y: round(p.y, 2) } : undefined;
  }
}
