import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ParamsFileError, mergeParamsFiles, parseParamsFile, readParamsFile } from './params-file.js';

const FILE = 'site/params.yaml';

function refusal(text: string): string {
  try {
    parseParamsFile(text, FILE);
  } catch (e) {
    expect(e).toBeInstanceOf(ParamsFileError);
    return (e as Error).message;
  }
  throw new Error('expected the file to be refused');
}

describe('reading a ROS 2 params file', () => {
  it('reads each node’s ros__parameters with rcl’s types, nested maps as dotted names', () => {
    const file = parseParamsFile(
      [
        'navigator:',
        '  ros__parameters:',
        '    timeout: 300          # an integer: it may stand for a double',
        '    tolerance: 0.25',
        '    use_people: yes',
        '    frame: map',
        '    quoted: "5"',
        '    obstacle_layer:',
        '      max_range: 3.0',
        '      y: 1.0e-7',
        '    weights: [0.5, 1.5]',
        '    names: [a, b]',
        '/amcl:',
        '  ros__parameters:',
        '    initial_pose: { x: 1.0, y: -2.0 }',
        '/**/people_count:',
        '  ros__parameters: {}',
        '/**:',
        '  ros__parameters:',
        '    use_sim_time: true',
      ].join('\n'),
      FILE,
    );
    expect(file.nodes).toEqual({
      navigator: {
        timeout: 300n,
        tolerance: 0.25,
        use_people: true,
        frame: 'map',
        quoted: '5',
        'obstacle_layer.max_range': 3,
        'obstacle_layer.y': 1e-7,
        weights: [0.5, 1.5],
        names: ['a', 'b'],
      },
      amcl: { 'initial_pose.x': 1, 'initial_pose.y': -2 },
      people_count: {},
    });
    expect(file.wildcard).toEqual({ use_sim_time: true });
    expect(file.where['navigator']?.['obstacle_layer.max_range']).toBe(`${FILE}:9`);
    expect(file.where['amcl']?.['initial_pose.y']).toBe(`${FILE}:15`);
    expect(file.where['/**']?.['use_sim_time']).toBe(`${FILE}:20`);
  });

  it('names file, line and parameter path for a value of no parameter type', () => {
    expect(refusal('gate:\n  ros__parameters:\n    limits:\n      max:\n')).toBe(
      `${FILE}:4: gate.ros__parameters.limits.max: expected a value (true, 3, 0.5, "text" or a list of one of these), got nothing`,
    );
    expect(refusal('gate:\n  ros__parameters:\n    w: [1, 2.5]\n')).toBe(
      `${FILE}:3: gate.ros__parameters.w[1]: a list holds one type (the integer 1 first, then the double 2.5); write doubles as 1.0`,
    );
    expect(refusal('gate:\n  ros__parameters:\n    w: []\n')).toBe(
      `${FILE}:3: gate.ros__parameters.w: an empty list has no type; give at least one value`,
    );
    expect(refusal('gate:\n  ros__parameters:\n    w:\n      - {a: 1}\n')).toMatch(
      new RegExp(`^${FILE}:3: gate\\.ros__parameters\\.w\\[0\\]: expected a value`),
    );
  });

  it('refuses shapes that are not a params file, saying where', () => {
    expect(refusal('- navigator\n')).toBe(
      `${FILE}:1: expected node names at the top (navigator: { ros__parameters: … })`,
    );
    expect(refusal('navigator:\n  timeout: 300\n')).toBe(
      `${FILE}:2: navigator: expected exactly one key, ros__parameters, under it`,
    );
    expect(refusal('navigator:\n')).toBe(
      `${FILE}:1: navigator: expected exactly one key, ros__parameters, under it`,
    );
    expect(refusal('navigator:\n  ros__parameters: 5\n')).toBe(
      `${FILE}:2: navigator.ros__parameters: expected parameters (name: value)`,
    );
    expect(refusal('robot1/navigator:\n  ros__parameters: {}\n')).toMatch(
      new RegExp(
        `^${FILE}:1: 'robot1/navigator': expected a node's name \\(navigator\\) or '/\\*\\*' for every node`,
      ),
    );
    expect(refusal('/*:\n  ros__parameters: {}\n')).toMatch(
      /^site\/params\.yaml:1: '\/\*': expected a node's name/,
    );
  });

  it('refuses what is not YAML, and a key given twice, with the line', () => {
    expect(refusal('a:\n  ros__parameters:\n    x: [1,\n')).toMatch(/^site\/params\.yaml:\d+: not YAML: /);
    expect(refusal('a:\n  ros__parameters:\n    x: 1\n    x: 2\n')).toMatch(
      /^site\/params\.yaml:4: not YAML: Map keys must be unique/,
    );
  });

  it('merges files as repeated --params-file does: the later one wins, parameter by parameter', () => {
    const base = parseParamsFile('gate:\n  ros__parameters:\n    a: 1.0\n    b: 2.0\n', 'base.yaml');
    const site = parseParamsFile(
      'gate:\n  ros__parameters:\n    b: 3.0\n/**:\n  ros__parameters:\n    c: true\n',
      'site.yaml',
    );
    const merged = mergeParamsFiles([base, site]);
    expect(merged.nodes).toEqual({ gate: { a: 1, b: 3 } });
    expect(merged.wildcard).toEqual({ c: true });
    expect(merged.where['gate']).toEqual({ a: 'base.yaml:3', b: 'site.yaml:3' });
  });
});

describe('reading one from disk', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'medhjalparen-params-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file, and names one that is not there', async () => {
    const file = path.join(dir, 'params.yaml');
    writeFileSync(file, 'gate:\n  ros__parameters:\n    a: 1.5\n');
    expect((await readParamsFile(file)).nodes).toEqual({ gate: { a: 1.5 } });
    await expect(readParamsFile(path.join(dir, 'missing.yaml'))).rejects.toThrow(
      `${path.join(dir, 'missing.yaml')}: cannot read it (no such file)`,
    );
  });
});
