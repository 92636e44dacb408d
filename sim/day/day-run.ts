/**
 * A whole opening day on the simulated floor as ONE lockstep run: the day's customers
 * (day-customers.ts) come to the robot at its dock at their times (arrivals.ts) through the
 * ordinary scenario runner, a few pedestrians wander all day, the mission opens and closes with
 * the centre's hours and charges as it must, and a watch (day-watch.ts) takes down what the
 * report needs on the simulated clock. The run starts before opening and ends after closing once
 * the robot rests on its dock (or, past that, when the last escort is back).
 *
 * Like the sweep, the day composes nothing: the caller hands it `run`, which starts the robot in
 * a simulator world and plays a scenario on it (cli/simulate.ts).
 */
import type { Site } from '../../src/map/index.js';
import type { LiveEvent } from '../../src/telemetry/index.js';
import { Rng } from '../rng.js';
import type { SimulatedRobot } from '../runner.js';
import type { Scenario } from '../scenario.js';
import type { RunSimulation } from '../sweep.js';
import { DayCustomers } from './day-customers.js';
import { planDay, type DayOptions, type DayPlan } from './day-plan.js';
import { buildDayReport, type DayReport } from './day-report.js';
import { DayWatch } from './day-watch.js';
import { formatClock, formatDate } from './local-time.js';

/** States in which the robot rests on its dock at the end of a day. */
const RESTING: ReadonlySet<string> = new Set(['idle', 'closed', 'charging']);

export interface DayHooks {
  /** Stops the day early (Ctrl-C): the report covers what ran. */
  signal?: AbortSignal;
  /** Every live event of the run (requests, statuses, what the robot says). */
  onEvent?: (e: LiveEvent) => void;
  /** Every few simulated seconds, with the run's simulated seconds so far. */
  onProgress?: (simS: number, plan: DayPlan) => void;
}

/** Runs the day `options` describe on `site`; the report is the same for the same seed. */
export async function runDay(
  site: Site,
  options: DayOptions,
  run: RunSimulation,
  hooks: DayHooks = {},
): Promise<DayReport> {
  const plan = planDay(site, options);
  const customers = new DayCustomers(site, plan.arrivalsS, new Rng(options.seed).fork('day-customers'));
  const scenario = dayScenario(site, plan, customers);
  let watch: DayWatch | undefined;
  let sim: SimulatedRobot | undefined;
  const onStart = (s: SimulatedRobot) => {
    sim = s;
    const now = () => s.world.elapsedS;
    customers.bindClock(now);
    watch = new DayWatch(s.graph.createNode('day_watch'), plan.serviceSpans, now, s.world.physics.battery);
  };
  let nextProgressS = 0;
  const report = await run(scenario, site, onStart, {
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    onEvent: (e) => {
      watch?.onEvent(e);
      hooks.onEvent?.(e);
    },
    pace: async (simS) => {
      if (sim) watch?.sample(sim.world.physics.robotPose());
      if (hooks.onProgress && simS >= nextProgressS) {
        nextProgressS = simS + 600;
        hooks.onProgress(simS, plan);
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
    over: () => sim !== undefined && sim.world.elapsedS >= plan.endS && RESTING.has(watch?.state ?? ''),
  });
  if (!watch) throw new Error('the day never started: the robot was not composed');
  return buildDayReport({
    plan,
    siteId: site.id,
    run: report,
    summary: watch.summary(),
    requests: watch.requests,
    issued: customers.issued,
    gaveUp: customers.gaveUp,
    notIssued: customers.remaining(),
  });
}

/** The day as a scenario the runner plays: the window, the customers, the pedestrians. */
function dayScenario(site: Site, plan: DayPlan, customers: DayCustomers): Scenario {
  const o = plan.options;
  return {
    file: site.dir,
    name: `day ${formatDate(plan.date)} ${formatClock(plan.startMin)}-${formatClock(plan.endMin)}`,
    description: `a simulated opening day at ${site.name}`,
    siteDir: site.dir,
    seed: o.seed,
    startEpochMs: plan.startEpochMs,
    robotStart: 'dock',
    pedestrians: o.pedestrians,
    timeLimitS: plan.limitS,
    customers,
    events: [],
    expect: {},
  };
}
