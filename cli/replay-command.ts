/**
 * `medhjalparen replay file.mcap`: a recording played back into the guide mission, the customer
 * follow node, the safety gate and the navigator, run again on the recorded inputs, and their
 * decisions set against the recorded ones. Paced on the system clock (this is an adapter: it may
 * read the wall clock) at --rate times real time, or as fast as it goes with --fast.
 * Exit status: 0 when the mission decided as recorded, 1 when it did not or the file could not be
 * replayed, 2 for a usage error.
 */
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { excerpt, showControls } from '../src/input/index.js';
import { loadSite, type Site } from '../src/map/index.js';
import {
  METADATA_START,
  RecordingError,
  describeDecision,
  openRecording,
  replayRecording,
  type Recording,
  type ReplayReport,
} from '../src/recording/index.js';
import { stderrLog } from './logging.js';
import { DEFAULT_SITE } from './package-files.js';

export { REPLAY_USAGE } from './replay-usage.js';

export interface ReplayArgs {
  file: string;
  /** Times real time; undefined: as fast as possible. */
  rate: number | undefined;
  site?: string;
  logLevel: string;
  out?: (text: string) => void;
  err?: (text: string) => void;
}

/** Parses the arguments after `replay`; a string is a usage error to print. */
export function parseReplayArgs(argv: string[]): ReplayArgs | string {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        rate: { type: 'string' },
        fast: { type: 'boolean', default: false },
        site: { type: 'string' },
        'log-level': { type: 'string', default: 'warn' },
      },
    });
  } catch (e) {
    return (e as Error).message;
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) return `replay needs exactly one recording, found ${positionals.length}`;
  if (values.fast && values.rate !== undefined) return '--rate and --fast do not go together';
  const rate = values.rate === undefined ? 1 : Number(values.rate);
  if (!Number.isFinite(rate) || rate <= 0 || rate > 10_000)
    return `--rate: expected a number more than 0 and at most 10000, got '${excerpt(values.rate ?? '')}'`;
  if (values.site === '') return "--site: expected a site folder, got ''";
  return {
    file: positionals[0]!,
    rate: values.fast ? undefined : rate,
    logLevel: values['log-level'],
    ...(values.site !== undefined ? { site: values.site } : {}),
  };
}

export async function runReplayCommand(args: ReplayArgs): Promise<number> {
  const out = args.out ?? ((t: string) => void process.stdout.write(t));
  const err = args.err ?? ((t: string) => void process.stderr.write(t));
  try {
    const recording = await openRecording(args.file);
    const site = await loadSite(siteDir(recording, args.site));
    out(`${header(recording, site)}\n`);
    for (const d of recording.damage) out(`  recovered: ${showControls(d)}\n`);
    const report = await replayRecording(recording, {
      site,
      log: stderrLog(args.logLevel),
      ...(args.rate !== undefined ? { pace: ratePacer(args.rate) } : {}),
    });
    out(`${describeReport(report)}\n`);
    return report.divergence ? 1 : 0;
  } catch (e) {
    if (!(e instanceof RecordingError)) throw e;
    err(`medhjalparen: replay: ${showControls(e.message)}\n`);
    return 1;
  }
}

/** --site, else the folder the recording names (when it is here), else the sample site. */
function siteDir(recording: Recording, given: string | undefined): string {
  if (given !== undefined) return given;
  const recorded = recording.metadata.get(METADATA_START)?.get('site_dir');
  return recorded && existsSync(recorded) ? recorded : DEFAULT_SITE;
}

function header(recording: Recording, site: Site): string {
  const meta = recording.metadata.get(METADATA_START);
  const how = recording.indexed ? 'indexed' : 'read from the front (no summary)';
  const started = meta?.get('started_at') ? `, recorded ${meta.get('started_at')}` : '';
  return `replay: ${showControls(recording.file)} (${how}, ${recording.channels.length} topics, ${showControls(recording.library)}${started}) on ${showControls(site.name)}`;
}

/** What ran again, what was replayed, and whether the mission decided as recorded. */
export function describeReport(r: ReplayReport): string {
  const messages = Object.values(r.replayed).reduce((a, b) => a + b, 0);
  const lines = [
    `re-run: ${r.rerun.join(', ')}; their topics not replayed: ${[...r.notReplayed].sort().join(', ') || 'none'}`,
    `replayed ${messages} messages on ${Object.keys(r.replayed).length} topics over ${(Number(r.endNs - r.startNs) / 1e9).toFixed(1)} s of log time`,
    `requests: ${r.requests.rebuilt} rebuilt from the recorded statuses${r.requests.withoutDestination.length > 0 ? ` (${r.requests.withoutDestination.length} had no destination: ${r.requests.withoutDestination.join(', ')})` : ''}`,
  ];
  if (r.damage.length > 0)
    lines.push('the recording is damaged: only what was recovered was replayed (see above)');
  for (const [topic, error] of Object.entries(r.undecodable))
    lines.push(`skipped on ${topic}: ${showControls(error)}`);
  lines.push(...decisionLines(r));
  return lines.join('\n');
}

function decisionLines(r: ReplayReport): string[] {
  const counts = `recorded ${r.recordedDecisions.length}, re-run ${r.replayedDecisions.length}`;
  const d = r.divergence;
  if (!d) {
    const lines = [`decisions: ${counts}: the same`];
    r.recordedDecisions.forEach((x, i) => lines.push(`  ${i + 1}. ${describeDecision(x, r.startNs)}`));
    return lines;
  }
  const lines = [`decisions: ${counts}: they first differ at decision ${d.index + 1}`];
  r.recordedDecisions
    .slice(0, d.index)
    .forEach((x, i) => lines.push(`  ${i + 1}. ${describeDecision(x, r.startNs)}`));
  lines.push(`  recorded: ${describeDecision(d.recorded, r.startNs)}`);
  lines.push(`  re-run:   ${describeDecision(d.replayed, r.startNs)}`);
  return lines;
}

/** Waits until the wall clock has caught up with `rate` × the log time replayed. */
function ratePacer(rate: number): (elapsedS: number) => Promise<void> {
  const startMs = performance.now();
  return (elapsedS) => {
    const aheadMs = (elapsedS * 1000) / rate - (performance.now() - startMs);
    return new Promise((resolve) => (aheadMs > 1 ? setTimeout(resolve, aheadMs) : setImmediate(resolve)));
  };
}
