/**
 * The command line as a user runs it: real processes, real files, exit codes and output.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = path.resolve('bin/medhjalparen.js');

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    // A bound far above any command's run time, so a hung child is killed rather than left behind.
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      maxBuffer: 32 * 1024 * 1024,
      timeout: 100_000,
      killSignal: 'SIGKILL',
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('medhjalparen CLI', () => {
  it('prints usage and exits 2 on an unknown command', async () => {
    const r = await cli(['fly']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'fly'/);
    expect(r.stderr).toMatch(/medhjalparen sim run/);
  });

  it('prints usage and exits 0 when any command is asked for --help', async () => {
    for (const args of [
      ['sim', 'sweep', '--help'],
      ['map', 'check', '-h'],
    ]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/medhjalparen sim sweep <site-dir>/);
    }
  });

  it('map check passes on the sample site', async () => {
    const r = await cli(['map', 'check', 'maps/iso-omena']);
    expect(r.stdout + r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
  });

  it('map check fails with the file and line of each error', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'site-'));
    const site = await readFile('maps/iso-omena/site.yaml', 'utf8');
    const mapYaml = await readFile('maps/iso-omena/iso-omena.yaml', 'utf8');
    await writeFile(
      path.join(dir, 'iso-omena.yaml'),
      mapYaml.replace(/image:.*/, `image: ${path.resolve('maps/iso-omena/iso-omena.pgm')}`),
    );
    // Duplicate the first destination id onto the second: one clear error, with its place.
    const ids = [...site.matchAll(/^( {2}- id:\s*)(\S+)/gm)];
    expect(ids.length).toBeGreaterThan(2);
    const first = ids[0]![2]!;
    const broken = site.replace(ids[1]![0], `${ids[1]![1]}${first}`);
    await writeFile(path.join(dir, 'site.yaml'), broken);
    const r = await cli(['map', 'check', dir]);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(new RegExp(`site\\.yaml:\\d+.*${first}`));
  });

  it('sim run writes a report and exits 1 when an expectation fails', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'scen-'));
    const file = path.join(dir, 'wrong.yaml');
    await writeFile(
      file,
      `site: ${path.resolve('maps/iso-omena')}\nseed: 3\ncustomers:\n  - ask: toilets\n    expect: { destination: kela }\n`,
    );
    const report = path.join(dir, 'out.json');
    const r = await cli(['sim', 'run', file, '--report', report]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/destination: expected kela, got toilets/);
    const json = JSON.parse(await readFile(report, 'utf8')) as {
      runs: Array<{ ok: boolean; requests: unknown[] }>;
    };
    expect(json.runs[0]!.ok).toBe(false);
    expect(json.runs[0]!.requests).toHaveLength(1);
  });

  it('sim run names the file and line of a malformed scenario', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'scen-'));
    const file = path.join(dir, 'bad.yaml');
    await writeFile(file, `site: x\nseed: lots\n`);
    const r = await cli(['sim', 'run', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:2: seed: expected a whole number, found "lots"`);
  });

  it('base --emulate checks the firmware, drives through the gate and shows telemetry', async () => {
    // Real time by nature (a person at the keyboard): the checks ask only that the wheels turned
    // forward, not how fast, so a loaded machine (a slower emulator) passes too.
    const r = await cli(['base', '--emulate', '--script', '0.4,0,1.5']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/found: the emulated board \(in-process\): firmware medhjalparen-drive 2\.5/);
    const first = /wheels L (-?[\d.]+) R (-?[\d.]+) m\/s · ticks (-?\d+) (-?\d+)/.exec(
      r.stdout.split('\n').find((l) => l.startsWith('wheels')) ?? '',
    );
    expect(first).not.toBeNull();
    expect(Number(first![1])).toBeGreaterThan(0);
    expect(Number(first![3])).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/bumper ok · e-stop ok/);
  });

  it('base refuses to start without exactly one of --port and --emulate', async () => {
    const r = await cli(['base']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exactly one of --port PATH or --emulate/);
  });

  it('run --world hardware names a missing device and starts nothing', async () => {
    const r = await cli([
      'run',
      '--world',
      'hardware',
      '--base',
      '/dev/medhjalparen-no-base',
      '--lidar',
      '/dev/medhjalparen-no-lidar',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^error: --base \/dev\/medhjalparen-no-base: no such device; expected a serial device/m,
    );
    expect(r.stdout).toMatch(
      /^error: --lidar \/dev\/medhjalparen-no-lidar: no such device; expected a serial device/m,
    );
    expect(r.stderr).toMatch(/a device failed its check; nothing was started/);
    expect(r.stdout).not.toMatch(/Type what a customer asks/);
  });

  it('run refuses flags that do not fit the world, naming them', async () => {
    expect((await cli(['run', '--world', 'hardware'])).stderr).toMatch(
      /--world hardware needs --base .* and --lidar/,
    );
    const seeded = await cli(['run', '--world', 'hardware', '--base', 'a', '--lidar', 'b', '--seed', '3']);
    expect(seeded.code).toBe(2);
    expect(seeded.stderr).toMatch(/--seed applies to --world sim only/);
    const lidar = await cli(['run', '--lidar', '/dev/ttyUSB1']);
    expect(lidar.code).toBe(2);
    expect(lidar.stderr).toMatch(/--lidar needs --world hardware/);
    expect((await cli(['run', '--world', 'moon'])).stderr).toMatch(
      /--world: expected one of sim, hardware, got 'moon'/,
    );
    const nav2 = await cli(['run', '--navigation', 'nav2']);
    expect(nav2.code).toBe(2);
    expect(nav2.stderr).toMatch(/--navigation nav2 needs --graph ros2/);
    expect((await cli(['run', '--record', ''])).stderr).toMatch(/--record: expected a file name/);
    expect((await cli(['run', '--record-images'])).stderr).toMatch(/--record-images needs --record/);
  });

  it('run --record writes every topic into an MCAP file that replay re-runs', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'medhjalparen-record-'));
    const file = path.join(dir, 'run.mcap');
    const r = await cli([
      'run',
      '--fast',
      '--duration',
      '120',
      '--seed',
      '5',
      '--data',
      dir,
      '--record',
      file,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^recorded: .*run\.mcap: \d+ messages on \d+ topics/m);
    // The independent reader (scripts/mcap_check.py, from the MCAP specification) agrees it is whole.
    const { stdout } = await run('/usr/bin/python3', ['scripts/mcap_check.py', file]);
    const checked = JSON.parse(stdout) as {
      messages: number;
      channels: Record<string, number>;
      errors: string[];
    };
    expect(checked.errors).toEqual([]);
    expect(checked.channels['/guide/status']).toBeGreaterThan(0);
    expect(checked.channels['/scan']).toBeGreaterThan(0);
    // Two customers sent elsewhere (rebuilt from the site's term) and one escorted: the same decisions.
    const replay = await cli(['replay', file, '--fast']);
    expect(replay.stdout).toMatch(/^decisions: recorded (\d+), re-run \1: the same$/m);
    expect(replay.stdout).toMatch(/reason elsewhere/);
    expect(replay.stdout).toMatch(/escorting → [a-z-]+/);
    expect(replay.code).toBe(0);
  });

  it('the main job serves customers and says what the robot does and why', async () => {
    const r = await cli(['run', '--fast', '--duration', '240', '--seed', '5']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/customer 0 asks: "/);
    expect(r.stdout).toMatch(/robot: escorting → [a-z-]+/);
    expect(r.stdout).toMatch(/robot says \[(fi|sv|en)\]: /);
    expect(r.stdout).toMatch(/customer \d+: arrived at [a-z-]+/);
    expect(r.stdout).toMatch(/simulated s/);
    // How busy the floor was: counts only, from the rear camera's people count node.
    const floor = r.stdout.split('\n').find((l) => l.startsWith('floor (rear camera')) ?? '';
    expect(floor).toMatch(
      /^floor \(rear camera, last \d+ min\): about \d+ people passed; \d+\.\d in view on average, at most \d+ at once$/,
    );
    expect(Number(/about (\d+) people/.exec(floor)?.[1])).toBeGreaterThan(0);
  });
});
