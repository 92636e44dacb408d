import { writeFile } from 'node:fs/promises';
import { loadScenario } from '../sim/scenario.js';
import { reportJson, requestTable, summaryTable, type RunReport } from '../sim/report.js';
import { formatLiveEvent } from './live.js';
import { emulatedBoards, type BaseChoice } from './drive-base-option.js';
import { stderrLog } from './logging.js';
import { realtimePacer, wallClockMs } from './pace.js';
import { simulate } from './simulate.js';

export interface SimOptions {
  report?: string;
  realtime: boolean;
  verbose: boolean;
  logLevel: string;
  base: BaseChoice;
}

/** `sim run`: every scenario in turn; exit 1 when any expectation fails. */
export async function runSimCommand(files: string[], options: SimOptions): Promise<number> {
  const log = stderrLog(options.logLevel);
  const board = await emulatedBoards(options.base);
  const reports: RunReport[] = [];
  const wall = new Map<string, number>();
  for (const file of files) {
    const scenario = await loadScenario(file);
    const t0 = wallClockMs();
    const report = await simulate(
      scenario,
      { log, ...(board ? { board } : {}) },
      {
        ...(options.realtime ? { pace: realtimePacer() } : {}),
        ...(options.verbose ? { onEvent: (e) => process.stdout.write(`${formatLiveEvent(e)}\n`) } : {}),
      },
    );
    wall.set(report.file, (wallClockMs() - t0) / 1000);
    reports.push(report);
    process.stdout.write(
      `\n${report.scenario} (${report.file}, seed ${report.seed})\n${requestTable(report)}\n`,
    );
    for (const f of report.expectation_failures) process.stdout.write(`  ✗ ${f}\n`);
  }
  process.stdout.write(`\n${summaryTable(reports, wall)}\n`);
  if (options.report) {
    await writeFile(options.report, reportJson(reports));
    process.stdout.write(`report: ${options.report}\n`);
  }
  return reports.every((r) => r.ok) ? 0 : 1;
}
