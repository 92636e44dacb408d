/**
 * `sim floors` and `sim sweep` as a user runs them: real processes, real files. Bad input (a
 * missing or malformed site, a wrong flag) is refused before anything runs, naming the file; a
 * sweep always ends (each escort has its simulated-time limit) and its report adds up.
 */
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliBounded } from './support/bounded-cli.js';

/** A bound far above any command here, so a hung child is killed rather than left behind. */
const cli = (args: string[]) => runCliBounded(args, { timeoutMs: 120_000 });

let tmp: string;
let floor: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'sweep-cli-'));
  const r = await cli(['sim', 'floors', '--out', tmp, '--count', '4', '--seed', '3']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  floor = path.join(tmp, 'floor-3-00');
}, 60_000);

describe('sim floors', () => {
  it('writes the floors asked for, each a site folder that map check passes', async () => {
    const floors = (await readdir(tmp)).filter((f) => f.startsWith('floor-')).sort();
    expect(floors).toEqual(['floor-3-00', 'floor-3-01', 'floor-3-02', 'floor-3-03']);
    const check = await cli(['map', 'check', path.join(tmp, 'floor-3-02')]);
    expect(check.stdout).toMatch(/OK, site "floor-3-02"/);
    expect(check.code).toBe(0);
  });

  it('refuses an --out that is a file, writing nothing', async () => {
    const file = path.join(tmp, 'a-file');
    await writeFile(file, 'x');
    const r = await cli(['sim', 'floors', '--out', file, '--count', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--out ${file}: is a file, not a folder; nothing was written`);
  });

  it('refuses a count that is not a whole number, naming the flag', async () => {
    const r = await cli(['sim', 'floors', '--out', tmp, '--count', 'many']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--count: expected a whole number 1\.\.1000, got 'many'/);
  });
});

describe('sim sweep', () => {
  it('refuses a missing site folder before running anything, naming the file it looked for', async () => {
    const missing = path.join(tmp, 'no-such-floor');
    const r = await cli(['sim', 'sweep', floor, missing]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${missing} cannot be swept`);
    expect(r.stderr).toContain(path.join(missing, 'site.yaml'));
    expect(r.stderr).toMatch(/nothing was run/);
    expect(r.stdout).not.toMatch(/sweeping/);
  });

  it('refuses a malformed site with the file, line and field of the problem', async () => {
    const bad = await mkdtemp(path.join(os.tmpdir(), 'sweep-bad-'));
    for (const name of ['floor.yaml', 'floor.pgm']) {
      await writeFile(path.join(bad, name), await readFile(path.join(floor, name)));
    }
    const site = await readFile(path.join(floor, 'site.yaml'), 'utf8');
    await writeFile(path.join(bad, 'site.yaml'), site.replace(/^(dock:\n\s+x: ).*$/m, '$1abc'));
    const r = await cli(['sim', 'sweep', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/site\.yaml:\d+: dock\.x: expected a number, found "abc"/);
  });

  it('refuses --seeds that is not a whole number', async () => {
    const r = await cli(['sim', 'sweep', floor, '--seeds', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--seeds: expected a whole number 1\.\.1000, got '0'/);
  });

  it('ends every escort within its simulated-time limit and reports each with its reason', async () => {
    const report = path.join(tmp, 'limit.json');
    // 10 s is too short for any escort: every one must end, none may hang the sweep.
    const r = await cli(['sim', 'sweep', floor, '--pairs', '1', '--escort-limit', '10', '--report', report]);
    expect(r.code).toBe(1);
    const json = JSON.parse(await readFile(report, 'utf8')) as SweepJson;
    const escorts = json.sites[0]!.runs.flatMap((run) => run.escorts);
    expect(escorts.length).toBe(json.sites[0]!.destinations.length + 1);
    expect(escorts.every((e) => !e.arrived)).toBe(true);
    expect(json.summary.totals.escorts).toBe(escorts.length);
    expect(json.summary.totals.arrived).toBe(0);
    // Never decided within the limit: 'unfinished', and where the robot stood when one was under way.
    expect(escorts.every((e) => e.reason === 'unfinished')).toBe(true);
    expect(escorts[0]!.failed_at).toBeDefined();
    expect(r.stdout).toMatch(/failures:\n\s+floor-3-00 seed 1: dock → [a-z-]+: unfinished at \(/);
    expect(r.stdout).toMatch(
      /site\/destination\s+escorts\s+arrived\s+success %\s+collisions\s+failures by reason/,
    );
    expect(r.stdout).toMatch(/^between pairs\s+1\s+0\s+0\.00/m);
    for (const run of json.sites[0]!.runs)
      expect(run.sim_time_s).toBeLessThanOrEqual(10 * run.escorts.length + 0.1);
  }, 120_000);
});

interface SweepJson {
  summary: { totals: { escorts: number; arrived: number } };
  sites: Array<{
    destinations: string[];
    runs: Array<{
      sim_time_s: number;
      escorts: Array<{ arrived: boolean; reason: string; failed_at?: { x: number; y: number } }>;
    }>;
  }>;
}
