/**
 * The crowd's cost: the simulator's real-time factor on one core with 0, 50 and 200 people on
 * maps/iso-omena (the same first escort each time, at most RUN_LIMIT_S simulated), and the crowd step alone, per person per
 * step, of the social force model against its named peer in the same process: the followers'
 * rule (sim/crowd.ts before the social force model, still what customers walk by).
 */
import { loadSite, type Site } from '../src/map/index.js';
import { DEFAULT_ROBOT } from '../src/robot-description.js';
import { simulate } from '../cli/simulate.js';
import { moveCrowd, type CrowdScene } from '../sim/crowd.js';
import { spawnCrowd } from '../sim/crowd-spawn.js';
import { Rng } from '../sim/rng.js';
import { loadScenario } from '../sim/scenario.js';
import { STEP_S } from '../sim/simulator-world.js';
import { SimWorld } from '../sim/world.js';
import { measure, wallMs, type BenchRow } from './harness.js';

const SCENARIO = 'sim/scenarios/escort-every-destination.yaml';
const CROWDS = [0, 50, 200] as const;
const STEP_PEOPLE = 50;
const STEPS = 200;
/** Each run: the first escort, up to this much simulated time (200 people are slow to watch). */
const RUN_LIMIT_S = 240;

export async function run(): Promise<BenchRow[]> {
  const scenario = await loadScenario(SCENARIO);
  const site = await loadSite(scenario.siteDir);
  const rows: BenchRow[] = [];
  for (const count of CROWDS) {
    const short = {
      ...scenario,
      customers: scenario.customers.slice(0, 1),
      timeLimitS: RUN_LIMIT_S,
      pedestrians: count,
      crowd: { count, groups: 0.3, queues: 0.2, readers: 0.1 },
    };
    // Stepping only, from the first step on: composing the robot (loading the detector, the
    // costmaps) takes seconds that a 120 s run would otherwise count as simulation.
    let steppingFromMs = 0;
    let steppingFromS = 0;
    const pace = async (simS: number) => {
      if (steppingFromMs === 0) [steppingFromMs, steppingFromS] = [wallMs(), simS];
      await new Promise<void>((resolve) => setImmediate(resolve));
    };
    const t0 = wallMs();
    const report = await simulate(short, { site }, { pace });
    const end = wallMs();
    const wallS = (end - t0) / 1000;
    const rtf = (report.sim_time_s - steppingFromS) / ((end - steppingFromMs) / 1000);
    process.stderr.write(`crowd: ${count} people, ${rtf.toFixed(0)}× real time\n`);
    rows.push({
      bench: 'crowd',
      metric: `real-time factor with ${count} people (${report.sim_time_s.toFixed(0)} s simulated)`,
      value: rtf,
      unit: '× real time',
      ...(count === 50 ? { target: '≥ 100×', ok: rtf >= 100 } : {}),
      note: `wall ${wallS.toFixed(1)} s with composing the robot, ${report.requests.filter((q) => q.success).length}/${report.requests.length} escorts arrived, collisions ${JSON.stringify(report.collisions)}`,
    });
  }
  rows.push(stepRow(site, true), stepRow(site, false));
  return rows;
}

/** The crowd step alone: STEP_PEOPLE people on the floor, µs per person per step. */
function stepRow(site: Site, socialForce: boolean): BenchRow {
  const world = new SimWorld({ site, robot: DEFAULT_ROBOT, seed: 1, robotStart: site.dock });
  spawnCrowd(world, { count: STEP_PEOPLE, groups: 0.3, queues: 0, readers: 0 }, new Rng(1).fork('crowd'));
  const people = world.people();
  for (const p of people) p.crowd.socialForce = socialForce;
  // Let them set off first, so the step measures people walking.
  for (let i = 0; i < 100; i++) world.step(STEP_S);
  const robot = world.robotPose();
  const scene: CrowdScene = {
    robot: { x: robot.x, y: robot.y, radius: DEFAULT_ROBOT.radius },
    robotVelocity: { x: 0, y: 0 },
    caster: world.caster,
    discObstacles: [],
    boxObstacles: [],
  };
  const t = measure(
    () => {
      for (let i = 0; i < STEPS; i++) {
        for (const p of people) p.think(STEP_S);
        moveCrowd(people, scene, STEP_S, world.crowdParams, world.socialForceParams);
      }
    },
    10,
    3,
  );
  const usPerPersonStep = (t.p50 * 1000) / (STEPS * people.length);
  return {
    bench: 'crowd',
    metric: socialForce
      ? `social force step, ${people.length} people (µs per person per step, incl. deciding)`
      : `peer: followers' rule step, ${people.length} people (the old crowd step)`,
    value: usPerPersonStep,
    unit: 'µs',
    note: `p50 of ${t.samples} runs of ${STEPS} steps; p99 ${((t.p99 * 1000) / (STEPS * people.length)).toFixed(2)} µs`,
  };
}
