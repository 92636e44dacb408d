/**
 * The hardware world end to end (issue 9): `medhjalparen run --world hardware` in its own process,
 * on a twin of the floor behind real ptys — the real drive-base firmware on an emulated board and
 * an emulated RPLIDAR, opened by serialport exactly as USB adapters are. The process under test
 * loads no simulator or emulator code (its imports are recorded and checked); only this test's
 * process runs the twin. Real time by nature: every wait is for a condition, with a generous bound.
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadSite, type Site } from '../src/map/index.js';
import { HardwareTwin } from '../sim/twin.js';

const BIN = path.resolve('bin/medhjalparen.js');
const RECORDER = path.resolve('test/support/record-imports.mjs');

let site: Site;
/**
 * The sample site without the centre's own hours: a real robot runs on the wall clock, and this
 * test must not depend on the time of day it runs at (closed, the robot rightly guides nobody).
 */
let siteDir = '';
beforeAll(async () => {
  await promisify(execFile)('bash', ['firmware-bridge/build.sh']);
  siteDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'site-always-open-')), 'iso-omena');
  await cp('maps/iso-omena', siteDir, { recursive: true });
  const yaml = await readFile(path.join(siteDir, 'site.yaml'), 'utf8');
  const alwaysOpen = yaml.replace(/^hours:\n(?: {2}.*\n)+/m, '');
  expect(alwaysOpen).not.toBe(yaml);
  await writeFile(path.join(siteDir, 'site.yaml'), alwaysOpen);
  site = await loadSite(siteDir);
  expect(site.hours).toBeUndefined();
}, 120_000);

let twin: HardwareTwin | undefined;
let child: ChildProcessWithoutNullStreams | undefined;
afterEach(async () => {
  child?.kill('SIGKILL');
  await twin?.stop();
  twin = undefined;
  child = undefined;
});

/** The CLI on the twin's devices, its imports recorded; stdout and stderr collected as they come. */
async function runOnTwin(t: HardwareTwin) {
  const imports = path.join(await mkdtemp(path.join(os.tmpdir(), 'imports-')), 'imports.txt');
  const args = ['--import', RECORDER, BIN, 'run', '--world', 'hardware', '--site', siteDir];
  args.push('--base', t.basePath, '--lidar', t.lidarPath);
  const proc = spawn(process.execPath, args, { env: { ...process.env, RECORD_IMPORTS: imports } });
  child = proc;
  const out = { stdout: '', stderr: '' };
  proc.stdout.on('data', (b: Buffer) => (out.stdout += b.toString()));
  proc.stderr.on('data', (b: Buffer) => (out.stderr += b.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, out, exited, imports };
}

/** Waits for `ready()`, polling; fails naming `what` after `ms` (a bound, not an expectation of speed). */
async function waitFor(what: string, ready: () => boolean, ms: number, log: () => string): Promise<void> {
  for (let waited = 0; !ready(); waited += 100) {
    if (waited > ms) throw new Error(`waited ${ms / 1000} s for ${what}; output so far:\n${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('run --world hardware on real ptys', () => {
  it('escorts on the real firmware and the RPLIDAR, stops on Ctrl-C, and loads no simulator code', async () => {
    twin = await HardwareTwin.start({ site });
    const dock = twin.robotPose();
    const run = await runOnTwin(twin);
    const log = () => run.out.stdout + run.out.stderr;
    await waitFor(
      'the kiosk prompt',
      () => run.out.stdout.includes('Type what a customer asks'),
      60_000,
      log,
    );
    expect(run.out.stdout).toMatch(/^found: --base .*: firmware medhjalparen-drive 2\.5$/m);
    expect(run.out.stdout).toMatch(
      /^found: --lidar .*: RPLIDAR A2 \(model 0x28\), firmware \d+\.\d+, health good$/m,
    );
    expect(run.out.stdout).toMatch(/localises with AMCL on the site.s map, starting from the dock/);
    // The gate lets go once the base is linked and scans arrive: the lidar is live on /scan.
    await waitFor(
      'the gate to release',
      () => /safety gate releases the robot/.test(run.out.stdout),
      60_000,
      log,
    );

    run.proc.stdin.write('Missä on WC?\n');
    await waitFor('the escort', () => run.out.stdout.includes('robot: escorting → toilets'), 30_000, log);
    const moved = () => Math.hypot(twin!.robotPose().x - dock.x, twin!.robotPose().y - dock.y);
    await waitFor('the robot to drive a metre', () => moved() >= 1, 90_000, log);

    run.proc.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.out.stdout).toMatch(/stopping: the robot is stopped/);
    // With the controller gone the board stops its motors on its own.
    await waitFor(
      'the motors to stop',
      () => twin!.board.pwm().left === 0 && twin!.board.pwm().right === 0,
      10_000,
      log,
    );

    const loaded = (await readFile(run.imports, 'utf8')).split('\n').filter((u) => u.startsWith('file:'));
    const project = loaded
      .map((u) => u.replace(`file://${process.cwd()}/`, ''))
      .filter((p) => !p.startsWith('file:'));
    expect(project.filter((p) => p.startsWith('sim/') || p.startsWith('firmware-bridge/'))).toEqual([]);
    expect(project).toContain('src/hardware/rplidar/node.ts');
    expect(project).toContain('src/robot/hardware-world.ts');
  }, 240_000);

  it('refuses a lidar that is silent or speaks another protocol, in one line naming it, and moves nothing', async () => {
    twin = await HardwareTwin.start({ site });
    const dock = twin.robotPose();
    const cases: Array<[() => void, RegExp]> = [
      [
        () => twin!.lidar.goSilent(),
        /^error: --lidar \S+: no answer to GET_INFO within 1000 ms \(expected an RPLIDAR response descriptor A5 5A 14 00 00 00 04\)$/m,
      ],
      [
        () => (twin!.lidar.resume(), twin!.lidar.speak('firmata')),
        /^error: --lidar \S+: answered \d+ bytes that are not RPLIDAR \(first bytes F0 79 02 05/m,
      ],
    ];
    for (const [fault, line] of cases) {
      fault();
      const run = await runOnTwin(twin);
      expect(await run.exited).toBe(1);
      expect(run.out.stdout).toMatch(line);
      expect(run.out.stdout.match(/^error: /gm)).toHaveLength(1);
      expect(run.out.stderr).toMatch(/a device failed its check; nothing was started/);
      expect(twin.board.pwm()).toEqual({ left: 0, right: 0 });
      expect(Math.hypot(twin.robotPose().x - dock.x, twin.robotPose().y - dock.y)).toBeLessThan(0.01);
    }
  }, 120_000);
});
