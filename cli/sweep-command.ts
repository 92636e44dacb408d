/**
 * `sim sweep <site-dir>… [--seeds N] [--pedestrians K] [--pairs P] [--escort-limit S]
 * [--report out.json]`: escorts on each site from the dock to every destination and between
 * random pairs, with and without pedestrians (sim/sweep.ts); prints success per destination with
 * the failures' reasons and where they happened, and writes a JSON report. Every site is loaded
 * (and the report path checked) before anything runs, so a typo costs seconds; exit status 0 when
 * every escort arrived without a collision, 1 otherwise, 2 for bad input.
 */
import { excerpt, showControls } from '../src/input/index.js';
import { loadSite, type Site } from '../src/map/index.js';
import { sweepSite, type RunSimulation, type SweepOptions, type SweepRun } from '../sim/sweep.js';
import {
  destinationTable,
  failureLines,
  summarize,
  sweepReportJson,
  totalsTable,
  type SiteSweep,
} from '../sim/sweep-report.js';
import { wallClockMs } from './pace.js';
import { reportPathProblem } from './sim-command.js';
import { simulate } from './simulate.js';
import { writeWhole } from './write-whole.js';

export interface SweepCommandOptions extends SweepOptions {
  report?: string;
}

const out = (text: string) => process.stdout.write(text);
const err = (text: string) => process.stderr.write(text);

/** The robot composed by the composition root in a simulator world, for the sweep to drive. */
export const simulateForSweep: RunSimulation = (scenario, site, onStart, hooks) =>
  simulate(scenario, { site, onStart }, hooks);

export async function runSweepCommand(dirs: string[], options: SweepCommandOptions): Promise<number> {
  if (options.report !== undefined) {
    const wrong = await reportPathProblem(options.report, dirs);
    if (wrong) {
      err(`medhjalparen: --report ${excerpt(options.report)}: ${wrong}; nothing was run\n`);
      return 2;
    }
  }
  const sites = await loadSites(dirs);
  if (!sites) return 2;
  const swept: SiteSweep[] = [];
  for (const [dir, site] of sites) {
    out(`sweeping ${showControls(site.id)} (${site.destinations.length} destinations) …\n`);
    const runs = await sweepSite(site, options, simulateForSweep, wallClockMs, (r) =>
      out(`  ${runLine(r)}\n`),
    );
    const done = { site: site.id, dir, destinations: site.destinations.map((d) => d.id), runs };
    swept.push(done);
    const t = summarize([done]).totals;
    out(
      `  ${t.arrived} of ${t.escorts} escorts arrived (${t.success_pct.toFixed(1)} %), ${t.collisions} collisions\n`,
    );
  }
  const summary = summarize(swept);
  out(`\n${destinationTable(summary)}\n\n${totalsTable(summary)}\n`);
  const failures = failureLines(summary);
  if (failures.length > 0) out(`\nfailures:\n${failures.map((l) => `  ${l}\n`).join('')}`);
  out(
    `\nsimulated ${summary.sim_time_s.toFixed(0)} s in ${summary.wall_s.toFixed(1)} s wall (${summary.real_time_factor.toFixed(0)}× real time)\n`,
  );
  const written = options.report
    ? await writeWhole('--report', options.report, sweepReportJson(options, swept))
    : true;
  const clean = summary.totals.arrived === summary.totals.escorts && summary.totals.collisions === 0;
  return written && clean ? 0 : 1;
}

/** Every site, or undefined after saying what is wrong with each that cannot be loaded. */
async function loadSites(dirs: string[]): Promise<Array<[string, Site]> | undefined> {
  const loaded: Array<[string, Site]> = [];
  let bad = false;
  for (const dir of dirs) {
    try {
      loaded.push([dir, await loadSite(dir)]);
    } catch (e) {
      bad = true;
      const message = e instanceof Error ? e.message : String(e);
      err(`medhjalparen: sim sweep: ${showControls(dir)} cannot be swept:\n${indent(message)}`);
    }
  }
  if (bad) err('medhjalparen: sim sweep: nothing was run\n');
  return bad ? undefined : loaded;
}

/** One run as it ends: which, how many arrived, the failures' reasons, its times. */
function runLine(r: SweepRun): string {
  const arrived = r.escorts.filter((e) => e.arrived).length;
  const from =
    r.kind === 'pair' ? `${r.escorts[0]?.from ?? '?'} → ${r.escorts[0]?.to ?? '?'}` : 'from the dock';
  const reasons = r.escorts.filter((e) => !e.arrived).map((e) => `${e.to}: ${e.reason}`);
  return (
    `seed ${r.seed}, ${r.pedestrians} pedestrians, ${showControls(from)}: ${arrived} of ${r.escorts.length} arrived` +
    `${reasons.length ? ` (${showControls(reasons.join(', '))})` : ''}; ${r.sim_time_s.toFixed(0)} s simulated in ${r.wall_s.toFixed(1)} s`
  );
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${showControls(l)}\n`)
    .join('');
}
