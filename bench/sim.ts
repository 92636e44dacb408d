/**
 * Simulator real-time factor on the escort-every-destination scenario (lidar at 10 Hz), and
 * the 20 Hz control cycle (behaviour + follower + safety gate) measured inside the same kind
 * of run: every callback of the controller's nodes is timed and summed per 50 ms cycle.
 *
 * As in Nav2, the costmap update from each scan and global (re)planning are not part of the
 * control cycle (Nav2 runs them in the costmap and planner servers); they are measured and
 * reported beside it.
 */
import { loadSite } from '../src/map/index.js';
import { loadScenario } from '../sim/scenario.js';
import { simulate } from '../cli/simulate.js';
import { summarize, wallMs, type BenchRow } from './harness.js';

const SCENARIO = 'sim/scenarios/escort-every-destination.yaml';
const CONTROLLER_NODES = new Set(['navigator', 'safety_gate', 'guide_mission']);
/** Navigator callbacks that belong to the costmap and planner, not to the control cycle. */
const COSTMAP_UPDATE = '/scan';
const PLANNING = 'timer planningTick';

export async function run(): Promise<BenchRow[]> {
  const scenario = await loadScenario(SCENARIO);
  const site = await loadSite(scenario.siteDir);

  const t0 = wallMs();
  const report = await simulate(scenario, { site });
  const wallS = (wallMs() - t0) / 1000;
  const rtf = report.sim_time_s / wallS;

  // Second run, profiled, over the first few customers: callback times per 50 ms cycle.
  const short = { ...scenario, customers: scenario.customers.slice(0, 8) };
  const cycles: number[] = [];
  const costmapUpdates: number[] = [];
  const plans: number[] = [];
  let cycleMs = 0;
  await simulate(
    short,
    {
      site,
      profiler: {
        now: wallMs,
        record(node, elapsed, what) {
          if (!CONTROLLER_NODES.has(node)) return;
          if (node === 'navigator' && what === COSTMAP_UPDATE) costmapUpdates.push(elapsed);
          else if (node === 'navigator' && what === PLANNING) {
            if (elapsed > 0.02) plans.push(elapsed); // only calls that planned, not idle checks
          } else cycleMs += elapsed;
        },
      },
    },
    {
      // The runner calls pace every 5 steps of 10 ms: exactly one 20 Hz control cycle.
      pace: async () => {
        cycles.push(cycleMs);
        cycleMs = 0;
        await new Promise<void>((r) => setImmediate(r));
      },
    },
  );
  const cycle = summarize(cycles);
  const costmap = summarize(costmapUpdates);
  const planning = summarize(plans);
  return [
    {
      bench: 'simulator',
      metric: `real-time factor, ${report.requests.length} escorts (${report.sim_time_s.toFixed(0)} s simulated)`,
      value: rtf,
      unit: '× real time',
      target: '≥ 100×',
      ok: rtf >= 100,
      note: `wall ${wallS.toFixed(1)} s; Gazebo runs such worlds at about 1×`,
    },
    {
      bench: 'control cycle',
      metric: '20 Hz cycle p50 (mission + navigator + gate)',
      value: cycle.p50,
      unit: 'ms',
    },
    {
      bench: 'control cycle',
      metric: '20 Hz cycle p99 (mission + navigator + gate)',
      value: cycle.p99,
      unit: 'ms',
      target: '≤ 1 ms',
      ok: cycle.p99 <= 1,
      note: `${cycle.samples} cycles, max ${cycle.max.toFixed(2)} ms; costmap updates and replans are measured below`,
    },
    {
      bench: 'control cycle',
      metric: 'costmap update from one scan p99 (obstacle layer)',
      value: costmap.p99,
      unit: 'ms',
      note: `${costmap.samples} scans at 10 Hz, p50 ${costmap.p50.toFixed(3)} ms, max ${costmap.max.toFixed(2)} ms`,
    },
    {
      bench: 'control cycle',
      metric: 'replan during an escort p99 (planner callback)',
      value: planning.p99,
      unit: 'ms',
      note: `${planning.samples} replans, p50 ${planning.p50.toFixed(2)} ms, max ${planning.max.toFixed(2)} ms`,
    },
  ];
}
