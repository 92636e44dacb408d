/**
 * What a command line loads before it knows what it was asked: only the router and the flags'
 * checks. The heavy parts (the NATS client, the web server, the robot, ONNX) come with the
 * command that needs them, so `help`, `map check` or a refused flag answers without paying for
 * the rest — and so does every CLI process the tests start. Imports are recorded by a loader hook.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = path.resolve('bin/medhjalparen.js');
const RECORDER = path.resolve('test/support/record-imports.mjs');
const dir = await mkdtemp(path.join(os.tmpdir(), 'cli-startup-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The packages a run of the CLI with `args` loaded (by name under node_modules). */
async function packagesLoaded(args: string[]): Promise<Set<string>> {
  const file = path.join(dir, `${args.join('_').replace(/\W/g, '-')}.txt`);
  await promisify(execFile)(process.execPath, ['--import', RECORDER, BIN, ...args], {
    env: { ...process.env, RECORD_IMPORTS: file },
  }).catch((e: { code?: number }) => {
    if (typeof e.code !== 'number') throw e; // a refusal (exit 1 or 2) is an answer too
  });
  const urls = (await readFile(file, 'utf8')).split('\n');
  const names = urls.flatMap((u) => {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u);
    return m ? [m[1]!] : [];
  });
  return new Set(names);
}

const HEAVY = ['nats', 'fastify', 'onnxruntime-node', 'better-sqlite3', '@mcap/core', 'xstate'];

describe('a command line starts light', () => {
  it.each([[['help']], [['run', '--fleet', 'nats://127.0.0.1:1', '--seed', 'x']], [['fleet']]])(
    '%j loads none of the heavy packages before they are needed',
    async (args) => {
      const loaded = await packagesLoaded(args);
      expect(loaded.has('tsx'), 'the recorder saw the CLI start').toBe(true);
      expect(HEAVY.filter((p) => loaded.has(p))).toEqual([]);
    },
    60_000,
  );
});
