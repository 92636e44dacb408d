/**
 * `sim run`: every scenario in turn, and a summary and a report of what ran, whatever happens.
 * The report's path is checked before anything runs (never a folder, never one of the inputs);
 * every scenario is read and checked against its site first, so a typo shows in seconds; a bad
 * scenario fails on its own and the batch goes on; Ctrl-C stops the run in progress and still
 * writes the report and the summary. Exit status: 0 when every expectation held, 1 when anything
 * failed, 130 when interrupted. With --record, the one scenario's run is recorded to an MCAP file.
 */
import { constants } from 'node:fs';
import { access, open, realpath, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { excerpt, showControls } from '../src/input/index.js';
import { SimError } from '../sim/errors.js';
import {
  reportJson,
  requestTable,
  summaryTable,
  type FailedRun,
  type RunEntry,
  type RunReport,
} from '../sim/report.js';
import type { SimulatedRobot } from '../sim/runner.js';
import { loadScenarioOnSite } from '../sim/scenario-site.js';
import type { ScenarioFile } from '../sim/scenario.js';
import type { Site } from '../src/map/index.js';
import { isFleetFile, type FleetScenario } from '../sim/fleet-scenario.js';
import { loadFleetOnSites } from '../sim/fleet-site.js';
import { runFleetEntry } from './sim-fleet.js';
import { emulatedBoards, type BaseChoice } from './drive-base-option.js';
import { formatLiveEvent } from './live.js';
import { stderrLog } from './logging.js';
import { realtimePacer, wallClockMs } from './pace.js';
import { hms, withProgress } from './progress.js';
import {
  recordTargetProblem,
  recordingSummary,
  startCliRecording,
  type CliRecording,
  type RecordArgs,
} from './record-option.js';
import { simulate } from './simulate.js';

export interface SimOptions {
  report?: string;
  realtime: boolean;
  verbose: boolean;
  logLevel: string;
  base: BaseChoice;
  /** Record the run (one scenario only) to an MCAP file. */
  record?: RecordArgs;
}

type Prepared =
  | { file: string; scenario: ScenarioFile; site: Site }
  | { file: string; scenario: FleetScenario; sites: Site[] }
  | FailedRun;

const out = (text: string) => process.stdout.write(text);
const err = (text: string) => process.stderr.write(text);

export async function runSimCommand(files: string[], options: SimOptions): Promise<number> {
  const log = stderrLog(options.logLevel);
  if (options.record && files.length !== 1) {
    err(
      `medhjalparen: --record records one run: give one scenario file (${files.length} given); nothing was run\n`,
    );
    return 2;
  }
  const recordProblem = options.record && (await recordTargetProblem(options.record));
  if (recordProblem) {
    err(`medhjalparen: ${recordProblem}; nothing was run\n`);
    return 2;
  }
  if (options.report !== undefined) {
    const wrong = await reportPathProblem(options.report, files);
    if (wrong) {
      err(`medhjalparen: --report ${excerpt(options.report)}: ${wrong}; nothing was run\n`);
      return 2;
    }
  }
  const abort = new AbortController();
  const onSignal = () => {
    if (abort.signal.aborted) return;
    out('\nstopping: the run in progress is stopped; the summary and the report cover what ran\n');
    abort.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await runBatch(files, options, log, abort.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function runBatch(
  files: string[],
  options: SimOptions,
  log: ReturnType<typeof stderrLog>,
  signal: AbortSignal,
): Promise<number> {
  const prepared: Prepared[] = [];
  const sites = new Map<string, Promise<Site>>();
  for (const file of files) prepared.push(await prepare(file, sites));
  for (const p of prepared) {
    if ('errors' in p) err(`medhjalparen: ${showControls(p.file)} cannot run:\n${indent(p.errors)}`);
  }
  const entries: RunEntry[] = [];
  const wall = new Map<string, number>();
  let board: Awaited<ReturnType<typeof emulatedBoards>>;
  let boardError: string | undefined;
  try {
    board = await emulatedBoards(options.base);
  } catch (e) {
    boardError = `--base ${options.base}: ${messageOf(e)}`;
    err(`medhjalparen: ${boardError}\n`);
  }
  for (const p of prepared) {
    if ('errors' in p) {
      entries.push(p);
    } else if (signal.aborted) {
      entries.push(
        failed(p.file, p.scenario.name, 'not_run', ['not run: the batch was interrupted (Ctrl-C)']),
      );
    } else if (boardError) {
      entries.push(failed(p.file, p.scenario.name, 'error', [boardError]));
    } else if ('sites' in p) {
      // A fleet: one entry per robot (docs/fleet-sim.md).
      const refused = fleetRefusal(options);
      if (refused) entries.push(failed(p.file, p.scenario.name, 'error', [refused]));
      else entries.push(...(await runFleetEntry(p, options, signal, wall)));
    } else {
      entries.push(await runOne(p, options, log, signal, board, wall));
    }
    if (options.report) await writeReport(options.report, entries, signal.aborted, false);
  }
  out(`\n${summaryTable(entries, wall)}\n`);
  const written = options.report ? await writeReport(options.report, entries, signal.aborted, true) : true;
  if (signal.aborted) return 130;
  return written && entries.every((r) => r.ok) ? 0 : 1;
}

/** Reads a scenario and checks it against its site; what is wrong becomes a failed entry. */
async function prepare(file: string, sites: Map<string, Promise<Site>>): Promise<Prepared> {
  try {
    if (await isFleetFile(file)) {
      const { fleet, sites: floors } = await loadFleetOnSites(file, sites);
      return { file, scenario: fleet, sites: floors };
    }
    const { scenario, site } = await loadScenarioOnSite(file, sites);
    return { file, scenario, site };
  } catch (e) {
    const lines = e instanceof SimError ? e.problems.map((p) => `${p.where}: ${p.what}`) : [messageOf(e)];
    return failed(
      file,
      path.basename(file, path.extname(file)),
      'error',
      lines.map((l) => excerpt(l, 1000)),
    );
  }
}

async function runOne(
  p: { file: string; scenario: ScenarioFile; site: Site },
  options: SimOptions,
  log: ReturnType<typeof stderrLog>,
  signal: AbortSignal,
  board: Awaited<ReturnType<typeof emulatedBoards>>,
  wall: Map<string, number>,
): Promise<RunEntry> {
  const { scenario, site } = p;
  const name = showControls(scenario.name);
  let served = 0;
  const progress = withProgress(options.realtime ? realtimePacer() : undefined, (simS) =>
    out(
      `  … ${name}: ${hms(simS)} of ${hms(scenario.timeLimitS)} simulated, ${served} request${served === 1 ? '' : 's'} served\n`,
    ),
  );
  const t0 = wallClockMs();
  let report: RunReport;
  let recording: CliRecording | undefined;
  const record = options.record;
  const onStart = record
    ? async (sim: SimulatedRobot) => {
        recording = await startCliRecording(sim.graph, site, record);
      }
    : undefined;
  try {
    report = await simulate(
      scenario,
      { site, log, ...(board ? { board } : {}), ...(onStart ? { onStart } : {}) },
      {
        signal,
        pace: progress,
        onDecided: () => served++,
        ...(options.verbose ? { onEvent: (e) => out(`${formatLiveEvent(e)}\n`) } : {}),
      },
    );
  } catch (e) {
    const message = showControls(messageOf(e));
    err(`medhjalparen: ${showControls(p.file)}: the run failed: ${message}\n`);
    return failed(p.file, scenario.name, 'error', [`the run failed: ${message}`]);
  } finally {
    if (recording) out(`${recordingSummary(await recording.stop())}\n`);
  }
  wall.set(report.file, (wallClockMs() - t0) / 1000);
  out(`\n${name} (${showControls(report.file)}, seed ${report.seed})\n${requestTable(report)}\n`);
  for (const f of report.expectation_failures) out(`  ✗ ${showControls(f)}\n`);
  return report;
}

/**
 * Writes the report whole or not at all (a temporary file renamed over it), so an interrupted
 * write never leaves half a report; says where it went, or why it could not.
 */
async function writeReport(
  file: string,
  entries: RunEntry[],
  interrupted: boolean,
  final: boolean,
): Promise<boolean> {
  const tmp = path.join(path.dirname(file), `.medhjalparen-report.${process.pid}.tmp`);
  try {
    await writeFile(tmp, reportJson(entries, interrupted));
    await rename(tmp, file);
    if (final) out(`report: ${showControls(file)}\n`);
    return true;
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    if (final)
      err(`medhjalparen: --report ${excerpt(file)}: cannot write it: ${excerpt(messageOf(e), 200)}\n`);
    return false;
  }
}

/**
 * Why the report cannot go to `report`, or undefined when it can: checked before anything runs,
 * so a wrong path costs nothing and never overwrites a scenario.
 */
export async function reportPathProblem(
  report: string,
  inputs: readonly string[],
): Promise<string | undefined> {
  const abs = path.resolve(report);
  let existing: Awaited<ReturnType<typeof stat>> | undefined;
  try {
    existing = await stat(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR')
      return `cannot be a file (${code ?? messageOf(e)}); expected a file name such as out.json`;
  }
  if (existing?.isDirectory())
    return `is a folder; expected a file name, e.g. ${excerpt(path.join(report, 'report.json'))}`;
  if (existing && !existing.isFile())
    return 'is not a regular file (a device, FIFO or socket); expected a file name';
  if (existing) {
    const real = await realpath(abs);
    for (const input of inputs) {
      const s = await stat(input).catch(() => undefined);
      const same =
        s && ((s.ino === existing.ino && s.dev === existing.dev) || (await realpath(input)) === real);
      if (same)
        return `is ${excerpt(input)}, one of the scenarios to run; expected a new file (the report would overwrite it)`;
    }
    if (!(await looksLikeReport(abs))) {
      return 'exists and is not an earlier report of sim run; expected a new file or an earlier report (a site or scenario is never overwritten)';
    }
  }
  const dir = path.dirname(abs);
  const folder = await stat(dir).catch(() => undefined);
  if (!folder) return `its folder ${excerpt(dir)} does not exist`;
  if (!folder.isDirectory()) return `${excerpt(dir)} is not a folder`;
  try {
    await access(dir, constants.W_OK);
  } catch {
    return `cannot write in ${excerpt(dir)} (no permission)`;
  }
  return undefined;
}

/** An earlier report of sim run (or sim sweep) begins `{` and names its runs (or its sweep). */
async function looksLikeReport(file: string): Promise<boolean> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(file, 'r');
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64), 0, 64, 0);
    const head = buffer.subarray(0, bytesRead).toString('utf8');
    return /^\{\s*"(runs|sweep)"\s*:/.test(head) || head.trim() === '';
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}

/** What a fleet run cannot do yet, or undefined. */
function fleetRefusal(options: SimOptions): string | undefined {
  if (options.record) return '--record records one robot; a fleet scenario runs several';
  if (options.base !== 'ideal') return `--base ${options.base}: a fleet runs on the ideal base only`;
  return undefined;
}

function failed(file: string, scenario: string, result: FailedRun['result'], errors: string[]): FailedRun {
  return { scenario, file, result, errors, ok: false };
}

function indent(lines: string[]): string {
  return lines.map((l) => `  ${l}\n`).join('');
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : typeof e === 'string' ? e : (JSON.stringify(e) ?? String(e));
}
