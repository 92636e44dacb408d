/**
 * A whole simulated weekday on the sample floor (`sim day maps/iso-omena`, the defaults: Thursday
 * 26 November 2026, 08:00–20:00, 4,500 visits, 4 pedestrians): its wall time on one core against
 * the goal of 5 minutes, and its real-time factor beside the peer's, the simulator on the busy
 * `sim run` bench scenario (escort-every-destination: escorts back to back, 6 pedestrians), run
 * in the same process. A day is mostly the robot docked and idle, so it should run well above
 * the busy scenario's rate.
 */
import { loadSite } from '../src/map/index.js';
import { simulate } from '../cli/simulate.js';
import { DEFAULT_DATE, DEFAULT_PEDESTRIANS } from '../sim/day/day-plan.js';
import { DEFAULT_VISITS } from '../sim/day/arrivals.js';
import { runDay } from '../sim/day/day-run.js';
import { loadScenario } from '../sim/scenario.js';
import type { RunSimulation } from '../sim/sweep.js';
import { wallMs, type BenchRow } from './harness.js';

const PEER_SCENARIO = 'sim/scenarios/escort-every-destination.yaml';
const GOAL_S = 300;

const simulateDay: RunSimulation = (scenario, site, onStart, hooks) =>
  simulate(scenario, { site, onStart }, hooks);

export async function run(): Promise<BenchRow[]> {
  const site = await loadSite('maps/iso-omena');
  const t0 = wallMs();
  const day = await runDay(
    site,
    { date: DEFAULT_DATE, seed: 1, visits: DEFAULT_VISITS, pedestrians: DEFAULT_PEDESTRIANS },
    simulateDay,
  );
  const dayS = (wallMs() - t0) / 1000;
  const dayRtf = day.day.sim_time_s / dayS;

  const scenario = await loadScenario(PEER_SCENARIO);
  const t1 = wallMs();
  const peer = await simulate(scenario, { site });
  const peerRtf = peer.sim_time_s / ((wallMs() - t1) / 1000);

  const q = day.requests;
  return [
    {
      bench: 'sim day',
      metric: `a full weekday, wall time (${(day.day.sim_time_s / 3600).toFixed(1)} h simulated, ${q.total} customers)`,
      value: dayS,
      unit: 's',
      target: `≤ ${GOAL_S} s`,
      ok: dayS <= GOAL_S,
      note: `one core; ${q.served} escorted, ${q.refused.total} refused, time in service ${day.service.time_in_service_pct} %, collisions ${day.collisions.wall + day.collisions.obstacle + day.collisions.person}`,
    },
    {
      bench: 'sim day',
      metric: 'real-time factor over the day',
      value: dayRtf,
      unit: '× real time',
      note: `peer: sim run ${PEER_SCENARIO} (busy) at ${peerRtf.toFixed(0)}× in the same process`,
    },
    {
      bench: 'sim day',
      metric: 'peer: real-time factor of the busy sim run scenario',
      value: peerRtf,
      unit: '× real time',
      note: `${peer.requests.length} escorts, ${peer.sim_time_s.toFixed(0)} s simulated`,
    },
  ];
}
