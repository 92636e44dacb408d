/**
 * The sweep over floors nobody tuned for, timed: the same sites and options as the test suite
 * (sim/sweep-suite.ts: maps/iso-omena with pedestrians and generated floors 0–19 of seed 1),
 * its wall time, the simulated-time real-time factor, and escort success and collisions against
 * the issue's bar. The test suite asserts the bar; here it is measured beside the cost.
 */
import { simulateForSweep } from '../cli/sweep-command.js';
import { loadSite } from '../src/map/index.js';
import { summarize, type SiteSweep } from '../sim/sweep-report.js';
import { SAMPLE_SITE_OPTIONS, SUITE_SAMPLE_SITE, writeSuiteFloors } from '../sim/sweep-suite.js';
import { sweepSite } from '../sim/sweep.js';
import { wallMs, type BenchRow } from './harness.js';

export async function run(): Promise<BenchRow[]> {
  const sites = [{ dir: SUITE_SAMPLE_SITE, options: SAMPLE_SITE_OPTIONS }, ...(await writeSuiteFloors())];
  const swept: SiteSweep[] = [];
  const t0 = wallMs();
  for (const { dir, options } of sites) {
    const site = await loadSite(dir);
    const runs = await sweepSite(site, options, simulateForSweep, wallMs);
    swept.push({ site: site.id, dir, destinations: site.destinations.map((d) => d.id), runs });
  }
  const wallS = (wallMs() - t0) / 1000;
  const s = summarize(swept);
  const t = s.totals;
  const reasons = Object.entries(t.reasons)
    .map(([r, n]) => `${r} ×${n}`)
    .join(', ');
  return [
    {
      bench: 'sweep',
      metric: `wall time, ${sites.length} sites, ${t.escorts} escorts (${s.sim_time_s.toFixed(0)} s simulated)`,
      value: wallS,
      unit: 's',
      note: `${((1000 * wallS) / Math.max(1, t.escorts)).toFixed(0)} ms of wall time per escort; sites loaded and robots started included`,
    },
    {
      bench: 'sweep',
      metric: 'simulated-time real-time factor over the sweep',
      value: s.sim_time_s / wallS,
      unit: '× real time',
    },
    {
      bench: 'sweep',
      metric: 'escort success on floors nobody tuned for',
      value: t.success_pct,
      unit: '%',
      target: '≥ 99 %',
      ok: t.success_pct >= 99,
      note: `${t.arrived} of ${t.escorts} arrived; without pedestrians ${s.without_pedestrians.success_pct} %, with ${s.with_pedestrians.success_pct} %${reasons ? `; failures: ${reasons}` : ''}`,
    },
    {
      bench: 'sweep',
      metric: 'escorts with a collision',
      value: t.escorts_with_collision,
      unit: 'escorts',
      target: '0',
      ok: t.escorts_with_collision === 0,
      note: `${t.collisions} collisions in all`,
    },
  ];
}
