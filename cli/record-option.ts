/**
 * `--record out.mcap [--record-images]`, as `sim run` and `run` take it: the flags, and the
 * `recorder` node started on the robot's graph and stopped (file flushed, summary written) when
 * the run ends. Recording writes a file, so it happens only when an operator asks; camera images
 * only with --record-images; a customer's words never (src/recording/privacy.ts). The recorder
 * itself (@mcap/core, zstd) is loaded only when a run records, so parsing these flags costs nothing.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { excerpt, showControls } from '../src/input/index.js';
import type { Site } from '../src/map/index.js';
import type { RecordingStats } from '../src/recording/index.js';
import type { GraphContext } from '../src/ros/index.js';
import { PACKAGE_ROOT } from './package-files.js';

/** The flags for node:util parseArgs. */
export const RECORD_FLAGS = {
  record: { type: 'string' },
  'record-images': { type: 'boolean', default: false },
} as const;

export const RECORD_USAGE = '[--record out.mcap [--record-images]]';

export const RECORD_HELP = `  --record out.mcap: every topic of the run into an MCAP file (ros2 profile, CDR, zstd), for
  Foxglove, ros2 bag or \`medhjalparen replay\`; a new file or an earlier recording (nothing else
  is overwritten). Camera images are left out unless --record-images is given; what customers
  say is never recorded.`;

export interface RecordArgs {
  file: string;
  includeImages: boolean;
}

/** The choice from parsed flags (undefined: no recording); a string is a usage error. */
export function recordArgsFromFlags(values: {
  record?: string | undefined;
  'record-images'?: boolean | undefined;
}): RecordArgs | undefined | string {
  const images = values['record-images'] === true;
  if (values.record === undefined) return images ? '--record-images needs --record out.mcap' : undefined;
  if (values.record.trim() === '') return "--record: expected a file name such as run.mcap, got ''";
  return { file: values.record, includeImages: images };
}

export interface CliRecording {
  readonly file: string;
  /** Stops and closes the recording; resolves with what it holds. Safe to call twice. */
  stop(): Promise<RecordingStats>;
}

/** Why --record cannot write `args.file` (checked before anything runs), or undefined. */
export async function recordTargetProblem(args: RecordArgs): Promise<string | undefined> {
  const { recordingTargetProblem } = await import('../src/recording/index.js');
  const problem = await recordingTargetProblem(args.file);
  return problem && `--record ${excerpt(args.file)}: ${problem}`;
}

/**
 * Starts the `recorder` node on `graph`. Start it before the first spin (in `simulate`'s onStart,
 * or right after startRobot) so the recording starts with the robot and a replay can re-run it.
 */
export async function startCliRecording(
  graph: GraphContext,
  site: Site,
  args: RecordArgs,
): Promise<CliRecording> {
  const { startRecorder } = await import('../src/recording/index.js');
  const node = graph.createNode('recorder');
  try {
    const recorder = await startRecorder(node, {
      file: args.file,
      robotVersion: robotVersion(),
      siteId: site.id,
      siteDir: path.resolve(site.dir),
      includeImages: args.includeImages,
    });
    let stopped: Promise<RecordingStats> | undefined;
    return {
      file: args.file,
      stop() {
        stopped ??= recorder.stop().finally(() => node.destroy());
        return stopped;
      },
    };
  } catch (e) {
    node.destroy();
    throw e;
  }
}

/** One line for the operator: where it went, how much, and what was left out. */
export function recordingSummary(stats: RecordingStats): string {
  const topics = Object.keys(stats.topics).length;
  const parts = [`recorded: ${showControls(stats.file)}: ${stats.messages} messages on ${topics} topics`];
  if (stats.excluded.length > 0)
    parts.push(`left out ${stats.excluded.map((e) => `${e.topic} (${e.reason})`).join(', ')}`);
  if (stats.unknownSchema.length > 0)
    parts.push(`no schema for ${stats.unknownSchema.map((u) => `${u.topic} (${u.type})`).join(', ')}`);
  const mismatched = Object.entries(stats.mismatched);
  if (mismatched.length > 0)
    parts.push(`skipped ${mismatched.map(([t, n]) => `${n} on ${t}`).join(', ')} not matching their type`);
  if (stats.dropped > 0) parts.push(`${stats.dropped} dropped (the disk did not keep up)`);
  if (stats.failed) parts.push(`FAILED: ${excerpt(stats.failed, 200)}`);
  return parts.join('; ');
}

let version: string | undefined;

/** The package's version, written into every recording. */
export function robotVersion(): string {
  version ??= (
    JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
  ).version;
  return version;
}
