/**
 * Runs a scenario on a robot already composed in a simulator world: one loop steps the world
 * (and with it the clock), plays the customers and the scenario's events, and spins the graph,
 * in lockstep, so a seed gives the same run bit for bit, as fast as the CPU allows (or paced to
 * real time by the caller). The runner composes nothing: the command line (or a test) picks the
 * world and the graph, and the composition root starts the robot in it.
 */
import type { Site } from '../src/map/index.js';
import type { Outcome, RunningRobot } from '../src/robot/index.js';
import type { GraphContext, Pose2D } from '../src/ros/index.js';
import { STOP_REASONS } from '../src/safety/index.js';
import { watchRobot, type LiveEvent } from '../src/telemetry/index.js';
import { spawnCrowd } from './crowd-spawn.js';
import { wanderers } from './crowd-spec.js';
import { CustomerPlay } from './customer-play.js';
import { LocalizationWatch } from './localization-watch.js';
import { buildReport, type RunReport } from './report.js';
import { Rng } from './rng.js';
import { SocialWatch } from './social-watch.js';
import type { Scenario } from './scenario.js';
import { EventSchedule } from './scenario-events.js';
import { STEP_S, type SimulatorWorld } from './simulator-world.js';

export type { LiveEvent };

/** Yield to the event loop every N steps so promise-based actors (action results) settle. */
export const YIELD_EVERY_STEPS = 5;

/** A robot started by the composition root in a simulator world, on a graph stepped by it. */
export interface SimulatedRobot {
  site: Site;
  world: SimulatorWorld;
  graph: GraphContext;
  robot: RunningRobot;
}

export interface RunHooks {
  /** Called every few steps; the CLI paces real time here. Default: yield to the event loop. */
  pace?: (simElapsedS: number) => Promise<void>;
  onEvent?: (e: LiveEvent) => void;
  /** Stops the run early (Ctrl-C): the robot is stopped, the report covers what ran. */
  signal?: AbortSignal;
  /**
   * Steps the event loop on every step, not only every few (a board in the loop needs its bytes to
   * reach firmata.js through stream events without being held up by the lockstep loop).
   */
  yieldEveryStep?: boolean;
  /**
   * A request's outcome is decided: the moment the robot arrives (or gives a reason with an
   * outcome), not when it is back at its dock. Once per request; the CLI counts requests here.
   */
  onDecided?: (index: number, outcome: Outcome) => void;
  /**
   * The run may end now, as when every listed customer is served: for a stream of customers,
   * which never runs out, the caller says when it is over (a simulated day: after closing, with
   * the robot at rest). Asked every step; the robot is given a second to settle, as at the end
   * of a listed scenario.
   */
  over?: () => boolean;
}

export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Plays `scenario` on `sim` until every customer is served (or the time limit), then stops the robot. */
export async function runScenario(
  scenario: Scenario,
  sim: SimulatedRobot,
  hooks: RunHooks = {},
): Promise<RunReport> {
  const play = startPlay(scenario, sim, hooks);
  try {
    await stepUntilServed(scenario, sim, play, hooks);
  } finally {
    await sim.robot.stop();
  }
  return play.report(hooks.signal?.aborted ?? false);
}

/**
 * One robot's part of a scenario, around the lockstep: the customers and the events after the
 * world's step, the watches after the graph's spin. A run of one robot drives one; the fleet
 * simulator (fleet-sim.ts) drives one per robot, all on one clock.
 */
export interface ScenarioPlay {
  /** After the world stepped, before the graph spins: customers and events act. */
  afterStep(): void;
  /** After the graph spun: the localisation and social watches look. */
  afterSpin(): void;
  /** Every customer served, every event fired, and the robot settled back at its dock. */
  served(): boolean;
  /** The run's report as it stands. */
  report(interrupted: boolean): RunReport;
}

export interface PlayOptions {
  /** Besides the dock and the desks, places the crowd is not set down on (other robots' docks). */
  crowdKeepClear?: readonly Pose2D[];
}

/** Starts `scenario`'s customers, events and watches on a robot already up in its world. */
export function startPlay(
  scenario: Scenario,
  sim: SimulatedRobot,
  hooks: Pick<RunHooks, 'onEvent' | 'onDecided'> = {},
  options: PlayOptions = {},
): ScenarioPlay {
  const { world, graph, site } = sim;
  const emit = (e: LiveEvent) => hooks.onEvent?.(e);
  const now = () => world.elapsedS;
  // The live view first: it reports a status before the customers react to it.
  watchRobot(graph.createNode('live_view'), { emit, stopReasons: STOP_REASONS });
  const node = graph.createNode('scenario');
  const localization = new LocalizationWatch(node, world.physics, now);
  const events = new EventSchedule(scenario.events, {
    node,
    world: world.physics,
    now,
    emit,
    onFault: (kind) => localization.fault(kind),
  });
  const customers = new CustomerPlay(scenario.customers, {
    node,
    world: world.physics,
    simulator: world.simulator,
    dock: site.dock,
    rng: new Rng(scenario.seed).fork('scenario'),
    now,
    emit,
    onEscortStart: (index, atS) => events.arm(index, atS),
    ...(hooks.onDecided ? { onDecided: hooks.onDecided } : {}),
  });
  const social = new SocialWatch(world.physics, customers, now, Array.isArray(scenario.customers));
  spawnScenarioCrowd(scenario, sim, emit, options.crowdKeepClear ?? []);
  return {
    afterStep() {
      customers.step();
      events.step();
    },
    afterSpin() {
      localization.step();
      social.step();
    },
    served: () => customers.allDone() && customers.robotSettled() && events.allFired(),
    report: (interrupted) =>
      buildReport({
        scenario,
        site,
        runs: customers.runs(),
        world: world.physics,
        simTimeS: now(),
        overallMinPersonM: customers.overallMinPersonDistanceM(),
        neverFired: events.neverFired(),
        interrupted,
        localization: localization.report(),
        social,
      }),
  };
}

/**
 * The scenario's crowd (or its `pedestrians` wandering), from a generator of its own so that no
 * other draw shifts with its size; set down away from the robot, the dock and every desk. What
 * was placed, and why fewer than asked, shows as live events.
 */
function spawnScenarioCrowd(
  scenario: Scenario,
  sim: SimulatedRobot,
  emit: (e: LiveEvent) => void,
  alsoClear: readonly Pose2D[],
): void {
  const spec = scenario.crowd ?? (scenario.pedestrians > 0 ? wanderers(scenario.pedestrians) : undefined);
  if (!spec) return;
  const { site, world } = sim;
  const keepClear = [site.dock, ...alsoClear, ...site.destinations.map((d) => d.pose)];
  const rng = new Rng(spec.seed ?? scenario.seed).fork('crowd');
  const placed = spawnCrowd(world.physics, spec, rng, keepClear);
  const t = world.elapsedS;
  emit({
    t,
    kind: 'event',
    what: `crowd: ${placed.placed} people (${placed.groups} groups, ${placed.queuers} queueing, ${placed.readers} reading)`,
  });
  for (const w of placed.warnings) emit({ t, kind: 'event', what: `crowd: ${w}` });
}

async function stepUntilServed(
  scenario: Scenario,
  { world, graph }: SimulatedRobot,
  play: ScenarioPlay,
  hooks: RunHooks,
): Promise<void> {
  let step = 0;
  let settleS = 0;
  while (world.elapsedS < scenario.timeLimitS) {
    world.step();
    step++;
    play.afterStep();
    graph.spinSome();
    play.afterSpin();
    if (step % YIELD_EVERY_STEPS === 0) {
      await (hooks.pace ? hooks.pace(world.elapsedS) : yieldToEventLoop());
      if (hooks.signal?.aborted) break;
    } else if (hooks.yieldEveryStep) await yieldToEventLoop();
    // Done when every customer is served and the robot has settled back at its dock (not idle
    // away from it, still trying to get home).
    if (play.served() || hooks.over?.()) {
      settleS += STEP_S;
      if (settleS >= 1) break;
    }
  }
}
