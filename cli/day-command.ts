/**
 * `sim day <site-dir> [--date YYYY-MM-DD] [--visits N] [--seed S] [--pedestrians N]
 * [--from HH:MM] [--until HH:MM] [-o report.json]`: a whole opening day on the simulated floor
 * (sim/day/day-run.ts) in one lockstep run; prints a short table, writes the JSON report. The
 * flags are checked and the site loaded before anything runs; Ctrl-C stops the day and still
 * reports what ran. Exit status: 0 when the day met its goals, 1 when not, 2 for bad input, 130
 * when interrupted.
 */
import { open } from 'node:fs/promises';
import { LIMITS, excerpt, showControls } from '../src/input/index.js';
import { loadSite, type Site } from '../src/map/index.js';
import { SimError } from '../sim/errors.js';
import { DEFAULT_VISITS } from '../sim/day/arrivals.js';
import { DEFAULT_DATE, DEFAULT_PEDESTRIANS, planDay, type DayOptions } from '../sim/day/day-plan.js';
import { dayReportJson, dayTable } from '../sim/day/day-report.js';
import { runDay } from '../sim/day/day-run.js';
import type { RunSimulation } from '../sim/sweep.js';
import { formatClock, parseClock, parseDate } from '../sim/day/local-time.js';
import { wallClockMs } from './pace.js';
import { reportPathProblem } from './sim-command.js';
import { simulate } from './simulate.js';
import { writeWhole } from './write-whole.js';

/** The command line's flags, as parseArgs gives them. */
export interface DayFlags {
  date?: string | undefined;
  visits?: string | undefined;
  seed?: string | undefined;
  pedestrians?: string | undefined;
  from?: string | undefined;
  until?: string | undefined;
  out?: string | undefined;
}

export interface DayCommandOptions {
  siteDir: string;
  day: DayOptions;
  out?: string;
}

/** The robot composed by the composition root in a simulator world, for the day to drive. */
const simulateDay: RunSimulation = (scenario, site, onStart, hooks) =>
  simulate(scenario, { site, onStart }, hooks);

const out = (text: string) => process.stdout.write(text);
const err = (text: string) => process.stderr.write(text);

/** The flags checked, or a sentence naming the flag and what it expected. */
export function parseDayFlags(siteDir: string, flags: DayFlags): DayCommandOptions | string {
  const date = flags.date ?? DEFAULT_DATE;
  if (!parseDate(date)) return `--date: expected a date YYYY-MM-DD that exists, got '${excerpt(date)}'`;
  const visits = whole(
    '--visits',
    flags.visits ?? String(DEFAULT_VISITS),
    0,
    LIMITS.dayVisits.value,
    'dayVisits',
  );
  if (typeof visits === 'string') return visits;
  const seed = whole('--seed', flags.seed ?? '1', 0, 2 ** 32 - 1);
  if (typeof seed === 'string') return seed;
  const pedestrians = whole(
    '--pedestrians',
    flags.pedestrians ?? String(DEFAULT_PEDESTRIANS),
    0,
    LIMITS.crowdPeople.value,
    'crowdPeople',
  );
  if (typeof pedestrians === 'string') return pedestrians;
  const fromMin = clock('--from', flags.from);
  if (typeof fromMin === 'string') return fromMin;
  const untilMin = clock('--until', flags.until);
  if (typeof untilMin === 'string') return untilMin;
  if (fromMin !== undefined && untilMin !== undefined && untilMin <= fromMin)
    return `--until: expected a time after --from ${formatClock(fromMin)}, got '${excerpt(flags.until!)}'`;
  if (flags.out === '') return "-o: expected a file name such as day.json, got ''";
  return {
    siteDir,
    day: {
      date,
      visits,
      seed,
      pedestrians,
      ...(fromMin !== undefined ? { fromMin } : {}),
      ...(untilMin !== undefined ? { untilMin } : {}),
    },
    ...(flags.out !== undefined ? { out: flags.out } : {}),
  };
}

export async function runDayCommand(options: DayCommandOptions): Promise<number> {
  if (options.out !== undefined) {
    const wrong = await outputProblem(options.out, options.siteDir);
    if (wrong) {
      err(`medhjalparen: -o ${excerpt(options.out)}: ${wrong}; nothing was run\n`);
      return 2;
    }
  }
  const site = await loadDaySite(options);
  if (!site) return 2;
  const abort = new AbortController();
  const onSignal = () => {
    if (abort.signal.aborted) return;
    out('\nstopping: the day is stopped; the table and the report cover what ran\n');
    abort.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const t0 = wallClockMs();
    const report = await runDay(site, options.day, simulateDay, {
      signal: abort.signal,
      onProgress: (simS, plan) =>
        out(`  … ${formatClock(plan.startMin + simS / 60)} local, ${hours(simS)} simulated\n`),
    });
    const wallS = (wallClockMs() - t0) / 1000;
    out(`\n${dayTable(report, wallS)}\n`);
    const written = options.out ? await writeWhole('--out', options.out, dayReportJson(report, wallS)) : true;
    if (abort.signal.aborted) return 130;
    return written && report.ok ? 0 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** The site, checked against the day (a date it is closed is refused here, before the run). */
async function loadDaySite(options: DayCommandOptions): Promise<Site | undefined> {
  try {
    const site = await loadSite(options.siteDir);
    planDay(site, { ...options.day, arrivalsMin: [] });
    return site;
  } catch (e) {
    const where = e instanceof SimError ? `--${e.where}` : excerpt(options.siteDir);
    const message = e instanceof SimError ? e.problems[0]!.what : e instanceof Error ? e.message : String(e);
    err(`medhjalparen: sim day: ${where}: ${indentAfterFirst(showControls(message))}; nothing was run\n`);
    return undefined;
  }
}

/**
 * Why the report cannot go to `file`: as for sim run's reports, except that an earlier day's
 * report may be written over.
 */
async function outputProblem(file: string, siteDir: string): Promise<string | undefined> {
  if (await isDayReport(file)) return undefined;
  return reportPathProblem(file, [siteDir]);
}

async function isDayReport(file: string): Promise<boolean> {
  try {
    const handle = await open(file, 'r');
    try {
      if (!(await handle.stat()).isFile()) return false;
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(32), 0, 32, 0);
      return /^\{\s*"day"\s*:/.test(buffer.subarray(0, bytesRead).toString('utf8'));
    } finally {
      await handle.close();
    }
  } catch {
    return false;
  }
}

function whole(flag: string, text: string, min: number, max: number, limit?: string): number | string {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max) {
    const bound = limit ? ` (${limit}, docs/limits.md)` : '';
    return `${flag}: expected a whole number ${min}..${max}${bound}, got '${excerpt(text)}'`;
  }
  return n;
}

function clock(flag: string, text: string | undefined): number | undefined | string {
  if (text === undefined) return undefined;
  const minutes = parseClock(text);
  return minutes ?? `${flag}: expected a local time HH:MM (00:00..24:00), got '${excerpt(text)}'`;
}

function hours(s: number): string {
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

function indentAfterFirst(text: string): string {
  return text.split('\n').join('\n  ');
}
