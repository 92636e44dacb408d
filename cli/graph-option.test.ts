import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedContext, Parameter, ParameterError, SimClock, type Logger } from '../src/ros/index.js';
import { RclnodejsUnavailableError, parseParamsFile } from '../src/ros/rclnodejs/index.js';
import {
  LaunchGraph,
  locateParameterError,
  openGraph,
  parseGraph,
  perNodeParams,
  readParamsFiles,
} from './graph-option.js';

const SILENT: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const FILE = 'params.yaml';
const params = parseParamsFile(
  [
    '/**:',
    '  ros__parameters:',
    '    use_sim_time: true',
    '    speed: 1.0',
    'navigator:',
    '  ros__parameters:',
    '    speed: 2.0',
    '    timeoutt: 300.0',
    'navigatr:',
    '  ros__parameters:',
    '    speed: 3.0',
  ].join('\n'),
  FILE,
);

describe('--graph', () => {
  it('takes embedded or ros2, and names the flag for anything else', () => {
    expect(parseGraph('embedded')).toBe('embedded');
    expect(parseGraph('ros2')).toBe('ros2');
    expect(() => parseGraph('ros1')).toThrow("--graph: expected one of embedded, ros2, got 'ros1'");
  });

  it('opens the embedded graph on the system clock', async () => {
    const graph = await openGraph('embedded', { logger: () => SILENT, params: parseParamsFile('{}', FILE) });
    const before = BigInt(Date.now()) * 1_000_000n;
    expect(graph.now().nanoseconds >= before - 1_000_000_000n).toBe(true);
    graph.shutdown();
  });

  it('says what is missing for ros2 where ROS 2 is not sourced (the real loader, no ROS here)', async () => {
    const opening = openGraph('ros2', { logger: () => SILENT, params, env: { PATH: '/usr/bin' } });
    await expect(opening).rejects.toBeInstanceOf(RclnodejsUnavailableError);
    await expect(opening).rejects.toThrow(
      /^--graph ros2 needs a sourced ROS 2, but ROS_DISTRO and AMENT_PREFIX_PATH are not set: run `source \/opt\/ros\/jazzy\/setup\.bash`/,
    );
  });
});

describe('the parameter files on a graph', () => {
  const graph = () => new LaunchGraph(new EmbeddedContext({ clock: new SimClock() }), params);
  const speed = (g: LaunchGraph, name: string, options = {}) =>
    g.createNode(name, '/', options).declareParameter(Parameter.fromValue('speed', 0.5)).value;

  it('gives every node /**, its own entry over that, and its creator’s options over both', () => {
    const g = graph();
    expect(speed(g, 'navigator')).toBe(2);
    expect(speed(g, 'safety_gate')).toBe(1);
    expect(speed(g, 'amcl', { parameterOverrides: { speed: 4 } })).toBe(4);
  });

  it('tells each parameter no started node declares, with its file and line', () => {
    const g = graph();
    speed(g, 'navigator');
    expect(g.unused()).toEqual([
      `${FILE}:8: navigator.ros__parameters.timeoutt: node 'navigator' declares no such parameter`,
      `${FILE}:11: navigatr.ros__parameters.speed: no node 'navigatr' was started (started: navigator)`,
    ]);
    const quiet = new LaunchGraph(new EmbeddedContext({ clock: new SimClock() }), params);
    quiet.createNode('gate');
    expect(quiet.unused()).toContain(`${FILE}:4: /**.ros__parameters.speed: no node declares this parameter`);
  });
});

describe('a value of the wrong type in a parameter file', () => {
  const typed = parseParamsFile(
    'navigator:\n  ros__parameters:\n    timeout: fast\nsafety_gate:\n  ros__parameters:\n    timeout: 2.0\n',
    FILE,
  );

  it('is refused where the node declares it, naming the file, the line and the path', () => {
    const g = new LaunchGraph(new EmbeddedContext({ clock: new SimClock() }), typed);
    const node = g.createNode('navigator');
    expect(() => node.declareParameter(Parameter.fromValue('timeout', 300))).toThrow(
      `${FILE}:3: navigator.ros__parameters.timeout: expected PARAMETER_DOUBLE, got PARAMETER_STRING (fast)`,
    );
    expect(g.createNode('safety_gate').declareParameter(Parameter.fromValue('timeout', 1)).value).toBe(2);
  });

  it('is placed in the files without the node when several nodes could have it', () => {
    const error = new ParameterError('timeout', 'expected PARAMETER_DOUBLE, got PARAMETER_STRING (fast)');
    expect((locateParameterError(error, typed) as Error).message).toBe(
      [
        `${FILE}:3: navigator.ros__parameters.timeout: expected PARAMETER_DOUBLE, got PARAMETER_STRING (fast)`,
        `${FILE}:6: safety_gate.ros__parameters.timeout: expected PARAMETER_DOUBLE, got PARAMETER_STRING (fast)`,
      ].join('\n'),
    );
    const unrelated = new ParameterError('gain', 'not declared');
    expect(locateParameterError(unrelated, typed)).toBe(unrelated);
    const other = new Error('disk full');
    expect(locateParameterError(other, typed)).toBe(other);
  });
});

describe('per-node parameters for the simulated floor', () => {
  it('keeps use_sim_time: true under /** and refuses any other /** parameter, saying where', () => {
    const simOnly = parseParamsFile(
      '/**:\n  ros__parameters:\n    use_sim_time: true\ngate:\n  ros__parameters:\n    a: 1.0\n',
      FILE,
    );
    expect(perNodeParams(simOnly)).toEqual({ gate: { a: 1 } });
    expect(() => perNodeParams(params)).toThrow(
      `${FILE}:4: /**.ros__parameters.speed: '/**' parameters reach every node with --world hardware only; on the simulated floor (always on simulated time) name the node instead`,
    );
  });
});

describe('--params-file given more than once', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'medhjalparen-graph-option-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('merges the files, the later one winning', async () => {
    const a = path.join(dir, 'a.yaml');
    const b = path.join(dir, 'b.yaml');
    writeFileSync(a, 'gate:\n  ros__parameters:\n    x: 1.0\n    y: 1.0\n');
    writeFileSync(b, 'gate:\n  ros__parameters:\n    y: 2.0\n');
    expect((await readParamsFiles([a, b])).nodes).toEqual({ gate: { x: 1, y: 2 } });
  });
});

describe('run --graph and --params-file, as a user runs them', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'medhjalparen-run-flags-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const bin = path.resolve('bin/medhjalparen.js');
  // This machine's ROS 2 (if any) left out: the run must see none.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !['ROS_DISTRO', 'AMENT_PREFIX_PATH'].includes(k)),
  );
  const cli = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [bin, ...args],
        { env, timeout: 100_000, killSignal: 'SIGKILL' },
        (e, stdout, stderr) => resolve({ code: e ? (e.code as number) : 0, stdout, stderr }),
      );
    });

  it('refuses --graph ros2 on the simulated floor, and an unknown graph, as usage errors', async () => {
    const sim = await cli(['run', '--graph', 'ros2']);
    expect([sim.code, sim.stderr.split('\n')[0]]).toEqual([
      2,
      'medhjalparen: --graph ros2 needs --world hardware for now: the simulated floor steps its own embedded graph in lockstep (cli/simulate.ts builds it)',
    ]);
    const unknown = await cli([
      'run',
      '--world',
      'hardware',
      '--base',
      'a',
      '--lidar',
      'b',
      '--graph',
      'ros3',
    ]);
    expect([unknown.code, unknown.stderr.split('\n')[0]]).toEqual([
      2,
      "medhjalparen: --graph: expected one of embedded, ros2, got 'ros3'",
    ]);
  });

  it('says in one line what ROS 2 lacks, before any device is checked', async () => {
    const r = await cli([
      'run',
      '--world',
      'hardware',
      '--graph',
      'ros2',
      '--base',
      '/dev/null',
      '--lidar',
      '/dev/null',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^medhjalparen: --graph ros2 needs a sourced ROS 2, but ROS_DISTRO and AMENT_PREFIX_PATH are not set: run `source \/opt\/ros\/jazzy\/setup\.bash`.*\n$/,
    );
    expect(r.stdout).not.toMatch(/\/dev\/null/);
  });

  it('names the file, line and parameter of a value a node refuses, on the simulated floor', async () => {
    const file = path.join(dir, 'site.yaml');
    writeFileSync(file, 'navigator:\n  ros__parameters:\n    timeout: fast\n');
    const r = await cli(['run', '--fast', '--duration', '1', '--params-file', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `medhjalparen: ${file}:3: navigator.ros__parameters.timeout: expected PARAMETER_DOUBLE, got PARAMETER_STRING (fast)`,
    );
  });
});
