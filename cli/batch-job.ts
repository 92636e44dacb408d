/**
 * One job of `sim batch`: a scenario file with one seed, composed and run exactly as `sim run`
 * runs it (cli/simulate.ts), with the robot's trajectory sampled on simulated time. Used by the
 * batch's worker threads and, in process, by the benchmark's sequential peer. Never throws: a run
 * that fails becomes a failed entry saying why.
 */
import path from 'node:path';
import { excerpt, showControls } from '../src/input/index.js';
import type { Site } from '../src/map/index.js';
import type { BatchJob } from '../sim/batch/jobs.js';
import { failedOutcome, type BatchOutcome } from '../sim/batch/outcome.js';
import { TrajectorySampler } from '../sim/batch/trajectory.js';
import { SimError } from '../sim/errors.js';
import type { SimulatedRobot } from '../sim/runner.js';
import { loadScenarioOnSite } from '../sim/scenario-site.js';
import { wallClockMs } from './pace.js';
import { simulate } from './simulate.js';

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs `job`; `sites` shares the sites read between the jobs of one thread. */
export async function runBatchJob(job: BatchJob, sites: Map<string, Promise<Site>>): Promise<BatchOutcome> {
  let loaded: Awaited<ReturnType<typeof loadScenarioOnSite>>;
  try {
    loaded = await loadScenarioOnSite(job.file, sites);
  } catch (e) {
    const lines = e instanceof SimError ? e.problems.map((p) => `${p.where}: ${p.what}`) : [messageOf(e)];
    const name = path.basename(job.file, path.extname(job.file));
    return failedOutcome(
      job,
      name,
      'error',
      lines.map((l) => excerpt(l, 1000)),
    );
  }
  const { scenario, site } = loaded;
  const sampler = new TrajectorySampler(job.sampleHz);
  let sim: SimulatedRobot | undefined;
  const t0 = wallClockMs();
  try {
    const run = await simulate(
      { ...scenario, seed: job.seed },
      { site, onStart: (s) => void (sim = s) },
      {
        // The runner's default is to yield to the event loop here; the batch samples first and
        // does not pace: a run goes as fast as the CPU allows.
        pace: (simS) => {
          if (sim) sampler.sample(simS, sim.world.physics.robotPose(), () => sim!.world.physics.people());
          return yieldToEventLoop();
        },
      },
    );
    const end = sim!.world.physics.robotPose();
    return { run, trajectory: sampler.finish(end), wallS: (wallClockMs() - t0) / 1000 };
  } catch (e) {
    const message = showControls(messageOf(e));
    return failedOutcome(job, scenario.name, 'error', [`the run failed: ${excerpt(message, 1000)}`]);
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : typeof e === 'string' ? e : (JSON.stringify(e) ?? String(e));
}
