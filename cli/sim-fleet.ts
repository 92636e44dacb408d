/**
 * `sim run` on a fleet scenario: every robot on every floor in one run (sim/fleet-sim.ts), with a
 * progress line, the robots' live events (each under its id) with --verbose, each robot's
 * requests and the floors' robot–robot contacts in the terminal, and one report entry per robot.
 */
import { showControls } from '../src/input/index.js';
import type { Site } from '../src/map/index.js';
import type { FleetScenario } from '../sim/fleet-scenario.js';
import { simulateFleet } from '../sim/fleet-sim.js';
import { floorTable } from '../sim/fleet-report.js';
import { requestTable, type FailedRun, type RunEntry } from '../sim/report.js';
import { formatLiveEvent } from './live.js';
import { realtimePacer, wallClockMs } from './pace.js';
import { hms, withProgress } from './progress.js';

const out = (text: string) => process.stdout.write(text);

export interface FleetRunOptions {
  realtime: boolean;
  verbose: boolean;
}

/** Runs the fleet; its robots' reports, or one failed entry saying why it could not run. */
export async function runFleetEntry(
  p: { file: string; scenario: FleetScenario; sites: Site[] },
  options: FleetRunOptions,
  signal: AbortSignal,
  wall: Map<string, number>,
): Promise<RunEntry[]> {
  const { scenario } = p;
  const name = showControls(scenario.name);
  let served = 0;
  const pace = withProgress(options.realtime ? realtimePacer() : undefined, (simS) =>
    out(`  … ${name}: ${hms(simS)} of ${hms(scenario.timeLimitS)} simulated, ${served} served\n`),
  );
  const t0 = wallClockMs();
  try {
    const report = await simulateFleet(
      scenario,
      { sites: p.sites },
      {
        signal,
        pace,
        onDecided: () => served++,
        ...(options.verbose ? { onEvent: (id, e) => out(`${id}  ${formatLiveEvent(e)}\n`) } : {}),
      },
    );
    wall.set(scenario.file, (wallClockMs() - t0) / 1000);
    for (const r of report.robots) {
      out(
        `\n${showControls(r.scenario)} (floor ${r.fleet.floor}, ${r.site}, seed ${r.seed})\n${requestTable(r)}\n`,
      );
      for (const f of r.expectation_failures) out(`  ✗ ${showControls(f)}\n`);
    }
    out(`\n${name}: floors\n${floorTable(report)}\n`);
    for (const f of report.expectation_failures) out(`  ✗ ${showControls(f)}\n`);
    return report.robots;
  } catch (e) {
    const message = showControls(e instanceof Error ? e.message : String(e));
    process.stderr.write(`medhjalparen: ${showControls(p.file)}: the run failed: ${message}\n`);
    const failed: FailedRun = {
      scenario: scenario.name,
      file: p.file,
      result: 'error',
      errors: [`the run failed: ${message}`],
      ok: false,
    };
    return [failed];
  }
}
