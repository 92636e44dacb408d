/**
 * Recording and replay end to end (issue 15): `sim run --record` on a customer escorted to a desk,
 * the file checked by the TypeScript reader and by the independent checker written from the MCAP
 * specification (scripts/mcap_check.py), searched for the customer's words, and replayed with the
 * deciding nodes run again: the mission must take the recorded decisions. Simulated time only.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReplayCommand } from '../cli/replay-command.js';
import { runSimCommand } from '../cli/sim-command.js';
import type { GuideRequest, Utterance } from '../src/interfaces/index.js';
import { loadSite, type Site } from '../src/map/index.js';
import { openRecording, replayRecording, type Recording } from '../src/recording/index.js';
import { countsByTopic, plainBytes, runChecker } from '../src/recording/test-support.js';
import { schemaRegistry } from '../src/ros/schemas/index.js';

const SITE = path.resolve('maps/iso-omena');
const SAID = 'Missä on Kela? Olen Maija Meikäläinen, hetu 010170-123A';

let dir: string;
let file: string;
let site: Site;
let recording: Recording;
let simOutput = '';

const scenarioYaml = (customers: string) =>
  `name: recorded escort\nsite: ${SITE}\nseed: 4\nstart_time: 2026-11-26T10:00:00+02:00\ncustomers:\n${customers}`;

/** Runs a command, keeping what it prints to stdout. */
async function capture<T>(run: () => Promise<T>): Promise<{ result: T; printed: string }> {
  const write = process.stdout.write.bind(process.stdout);
  let printed = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    printed += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  }) as typeof process.stdout.write;
  try {
    return { result: await run(), printed };
  } finally {
    process.stdout.write = write;
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'medhjalparen-recording-'));
  file = path.join(dir, 'escort.mcap');
  const scenario = path.join(dir, 'escort.yaml');
  await writeFile(
    scenario,
    scenarioYaml(`  - ask: "${SAID}"\n    expect: { outcome: arrived, destination: kela }\n`),
  );
  const options = { realtime: false, verbose: false, logLevel: 'silent', base: 'ideal' as const };
  const { result, printed } = await capture(() =>
    runSimCommand([scenario], { ...options, record: { file, includeImages: false } }),
  );
  simOutput = printed;
  expect(result, printed).toBe(0);
  site = await loadSite(SITE);
  recording = await openRecording(file);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('sim run --record', () => {
  it('says what it recorded', () => {
    expect(simOutput).toMatch(new RegExp(`recorded: ${file}: \\d+ messages on \\d+ topics`));
  });

  it('writes a whole file, and the TypeScript reader and the independent checker count the same', async () => {
    expect(recording.indexed).toBe(true);
    expect(recording.damage).toEqual([]);
    const counts = await countsByTopic(recording);
    const checked = runChecker(file);
    expect(checked.stderr).toBe('');
    expect(checked.status).toBe(0);
    expect(checked.report.channels).toEqual(counts);
    expect(checked.report.messages).toBe(Object.values(counts).reduce((a, b) => a + b, 0));
    expect(checked.report.compression).toBe('zstd');
    expect(checked.report.chunks).toBeGreaterThan(1);
    for (const topic of [
      '/scan',
      '/tf',
      '/odom',
      '/map',
      '/guide/request',
      '/guide/status',
      '/camera/rear/detections',
    ])
      expect(counts[topic], topic).toBeGreaterThan(0);
  });

  it("holds no camera image and none of the customer's words", async () => {
    for (const c of recording.channels) {
      expect(c.schemaName).not.toMatch(/Image$/);
      expect(c.topic).not.toMatch(/image/i);
    }
    const plain = await plainBytes(file);
    for (const fragment of ['Maija', 'Meikäläinen', '010170', 'Missä on Kela', 'Missä'])
      expect(plain.includes(Buffer.from(fragment, 'utf8')), fragment).toBe(false);
    const registry = schemaRegistry();
    for await (const m of recording.messages(['/guide/request', '/guide/say'])) {
      const msg = registry.decode(m.channel.schemaName, m.data) as GuideRequest | Utterance;
      expect(msg.text).toBe('');
      expect(msg.request_id).toBe('req-0');
    }
  });

  it('refuses to record several scenarios into one file, and a file it must not overwrite', async () => {
    const record = { file: path.join(dir, 'x.mcap'), includeImages: false };
    const base = { realtime: false, verbose: false, logLevel: 'silent', base: 'ideal' as const };
    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => errors.push(chunk) > 0) as typeof process.stderr.write;
    try {
      expect(await runSimCommand(['a.yaml', 'b.yaml'], { ...base, record })).toBe(2);
      const notes = path.join(dir, 'notes.txt');
      await writeFile(notes, 'notes\n');
      expect(await runSimCommand(['a.yaml'], { ...base, record: { ...record, file: notes } })).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(errors.join('')).toMatch(/--record records one run: give one scenario file \(2 given\)/);
    expect(errors.join('')).toMatch(
      /notes\.txt: it exists and is not an MCAP recording; refusing to overwrite it/,
    );
  });
});

describe('replay', () => {
  it('re-runs the mission on the recorded inputs, and it takes the recorded decisions', async () => {
    const report = await replayRecording(recording, { site });
    expect(report.divergence).toBeUndefined();
    const states = report.recordedDecisions.map((d) => `${d.state} ${d.destination_id}`);
    expect(states).toEqual(expect.arrayContaining(['escorting kela', 'arrived kela', 'returning kela']));
    expect(report.replayedDecisions.map((d) => [d.state, d.reason, d.destination_id, d.request_id])).toEqual(
      report.recordedDecisions.map((d) => [d.state, d.reason, d.destination_id, d.request_id]),
    );
    expect(report.requests).toEqual({ rebuilt: 1, withoutDestination: [] });
    for (const t of [
      '/guide/status',
      '/guide/say',
      '/guide/customer',
      '/cmd_vel',
      '/cmd_vel_nav',
      '/safety/state',
    ])
      expect(report.notReplayed).toContain(t);
    for (const t of ['/scan', '/tf', '/odom', '/guide/request', '/camera/rear/detections', '/people'])
      expect(report.replayed[t], t).toBeGreaterThan(0);
    expect(report.undecodable).toEqual({});
  });

  it('`medhjalparen replay --fast` says the decisions are the same', async () => {
    let out = '';
    const code = await runReplayCommand({
      file,
      rate: undefined,
      logLevel: 'silent',
      out: (t) => (out += t),
    });
    expect(out).toMatch(/decisions: recorded (\d+), re-run \1: the same/);
    expect(out).toMatch(/\d+\. \+\d+\.\d\d s escorting → kela \(request req-0\)/);
    expect(code).toBe(0);
  });

  it('says where a re-run decides differently (Kela closed on the replayed site)', async () => {
    const altered = path.join(dir, 'iso-omena-kela-closed');
    await cp(SITE, altered, { recursive: true });
    const yaml = await readFile(path.join(altered, 'site.yaml'), 'utf8');
    const kela = yaml.indexOf('  - id: kela\n');
    const thursday = yaml.indexOf('thu: 09:00-16:00', kela);
    await writeFile(
      path.join(altered, 'site.yaml'),
      `${yaml.slice(0, thursday)}thu: closed${yaml.slice(thursday + 16)}`,
    );
    let out = '';
    const code = await runReplayCommand({
      file,
      rate: undefined,
      site: altered,
      logLevel: 'silent',
      out: (t) => (out += t),
    });
    expect(code).toBe(1);
    expect(out).toMatch(/they first differ at decision \d+/);
    expect(out).toMatch(/recorded: \+\d+\.\d\d s escorting → kela/);
    expect(out).toMatch(/re-run: {3}\+\d+\.\d\d s .*kela.*reason/);
  });

  it('replays a recording cut short as far as it was recovered, and says so', async () => {
    const whole = await readFile(file);
    const cut = path.join(dir, 'cut.mcap');
    await writeFile(cut, whole.subarray(0, Math.floor(whole.length * 0.5)));
    let out = '';
    const code = await runReplayCommand({
      file: cut,
      rate: undefined,
      logLevel: 'silent',
      out: (t) => (out += t),
    });
    expect(out).toMatch(/read from the front \(no summary\)/);
    expect(out).toMatch(
      /recovered: no summary: the file does not end with the MCAP magic bytes \(cut short\)/,
    );
    // Which record half the file ends inside (a Chunk, or the index after one) depends on what
    // the run recorded; that it is named, with its byte offset, is what a user needs.
    expect(out).toMatch(
      /recovered: byte \d+: the file ends inside this (Chunk|MessageIndex) record .*: cut short, the rest is lost/,
    );
    const report = await replayRecording(await openRecording(cut), { site });
    const replayed = Object.values(report.replayed).reduce((a, b) => a + b, 0);
    expect(replayed).toBeGreaterThan(1000);
    expect(Number(report.endNs - report.startNs) / 1e9).toBeLessThan(
      Number((await lastLogTime(recording)) - report.startNs) / 1e9,
    );
    // What was recovered was decided the same way.
    expect(report.divergence).toBeUndefined();
    expect(code).toBe(0);
  });

  it('refuses a file that is not a recording, naming it', async () => {
    const notes = path.join(dir, 'notes.mcap');
    await writeFile(notes, 'not a recording');
    let err = '';
    const code = await runReplayCommand({
      file: notes,
      rate: undefined,
      logLevel: 'silent',
      err: (t) => (err += t),
    });
    expect(code).toBe(1);
    expect(err).toBe(
      `medhjalparen: replay: ${notes}: byte 0: not an MCAP file: it does not begin with the MCAP magic bytes\n`,
    );
  });
});

async function lastLogTime(r: Recording): Promise<bigint> {
  let last = 0n;
  for await (const m of r.messages()) last = m.logTime;
  return last;
}
