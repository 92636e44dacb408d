import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { LIMITS } from '../src/input/index.js';
import { runImportSdfCommand, type ImportSdfCommandOptions } from './import-sdf-command.js';

const scratch = mkdtempSync(join(tmpdir(), 'medhjalparen-import-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let fileCount = 0;
/** Writes `text` as a new .sdf file in the scratch folder and returns its path. */
function sdfFile(text: string): string {
  const file = join(scratch, `in-${fileCount++}.sdf`);
  writeFileSync(file, text);
  return file;
}

/** Runs the command with its output captured; also lists the output's parent folder before and after. */
async function run(options: Partial<ImportSdfCommandOptions> & { sdf: string }) {
  const parent = join(scratch, 'maps');
  mkdirSync(parent, { recursive: true });
  const out = options.out ?? join(parent, 'floor');
  const before = readdirSync(parent).sort();
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const t0 = performance.now();
  try {
    const status = await runImportSdfCommand({ ...options, out });
    return {
      status,
      ms: performance.now() - t0,
      out: stdout.mock.calls.map((c) => String(c[0])).join(''),
      err: stderr.mock.calls.map((c) => String(c[0])).join(''),
      before,
      after: readdirSync(parent).sort(),
    };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

const wall = (name: string, size: string, pose = '0 0 1 0 0 0') =>
  `<model name="${name}"><static>true</static><pose>${pose}</pose><link name="l"><collision name="c"><geometry><box><size>${size}</size></box></geometry></collision></link></model>`;
const world = (...models: string[]) =>
  `<?xml version="1.0"?>\n<sdf version="1.9">\n<world name="w">\n${models.join('\n')}\n</world>\n</sdf>\n`;

/** Exit status 2, one message matching `message`, and the output's folder exactly as it was. */
async function expectRefused(options: Parameters<typeof run>[0], message: RegExp): Promise<void> {
  const r = await run(options);
  expect(r.status).toBe(2);
  expect(r.err).toMatch(message);
  expect(r.out).toBe('');
  expect(r.after).toEqual(r.before);
}

describe('sim import-sdf refuses bad input with a clear error, exit 2 and nothing written', () => {
  it('a file that is not XML, at its line and column', async () => {
    const file = sdfFile('just some text\n');
    await expectRefused(
      { sdf: file },
      new RegExp(`^medhjalparen: ${file}:1:1: not well-formed XML: .* \\[NOT_XML\\]\n$`),
    );
    const broken = sdfFile('<?xml version="1.0"?>\n<sdf version="1.9">\n<world name="w">\n</sdf>\n');
    await expectRefused(
      { sdf: broken },
      new RegExp(`${broken}:4:\\d+: not well-formed XML: Expected closing tag 'world'`),
    );
  });

  it('XML that is not SDF, an SDF without a version or of another version', async () => {
    await expectRefused(
      { sdf: sdfFile('<robot name="r"/>') },
      /:1: expected an <sdf version="…"> root element, found <robot> \[NOT_SDF\]/,
    );
    await expectRefused(
      { sdf: sdfFile('<sdf><world name="w"/></sdf>') },
      /found <sdf> without a version attribute \[NOT_SDF\]/,
    );
    await expectRefused(
      { sdf: sdfFile('<sdf version="1.4"><world name="w"/></sdf>') },
      /SDFormat version "1.4" is not read; expected one of 1.6, 1.7, 1.8, 1.9, 1.10/,
    );
  });

  it('an SDF with no world, or no static geometry', async () => {
    await expectRefused(
      { sdf: sdfFile('<sdf version="1.9"><model name="m"/></sdf>') },
      /a model file, not a world; expected <sdf><world>…<\/world><\/sdf> \[NO_WORLD\]/,
    );
    const moving = world(
      '<model name="cart"><link name="l"><collision name="c"><geometry><box><size>1 1 1</size></box></geometry></collision></link></model>',
    );
    await expectRefused(
      { sdf: sdfFile(moving) },
      /no static model: nothing to put on a map \(1 non-static models are not walls; 0 items skipped\) \[NO_GEOMETRY\]/,
    );
    const above = world(wall('shelf', '1 1 1', '0 0 2 0 0 0'));
    await expectRefused({ sdf: sdfFile(above) }, /no static collision crosses the lidar's height 0.3 m/);
    const remoteOnly = world(
      '<model name="m"><static>true</static><link name="l"><collision name="c"><geometry><mesh><uri>https://example.org/w.stl</uri></mesh></geometry></collision></link></model>',
    );
    await expectRefused(
      { sdf: sdfFile(remoteOnly) },
      /no collision of a static model could be read: .*1 items skipped/,
    );
  });

  it('a 200 MB file, by its size before reading it', async () => {
    const file = join(scratch, 'huge.sdf');
    writeFileSync(file, '');
    truncateSync(file, 200 * 1024 * 1024); // sparse: nothing is really written or read
    await expectRefused(
      { sdf: file },
      new RegExp(
        `is 209715200 bytes; the limit for an SDFormat world file read by sim import-sdf is ${LIMITS.sdfBytes.value} bytes \\(docs/limits.md\\) \\[TOO_LARGE\\]`,
      ),
    );
  });

  it('absurd numbers: NaN, 1e9 m, and far-apart walls that need too large a grid', async () => {
    const nan = sdfFile(world(wall('wall_0', '1 1 1'), wall('wall_3', 'NaN 1 2')));
    await expectRefused(
      { sdf: nan },
      new RegExp(
        `${nan}:5: world/model\\[wall_3\\]/link\\[l\\]/collision\\[c\\]/geometry/box/size: expected 3 numbers ≥ 0 within ±1000000, found "NaN 1 2" \\[BAD_VALUE\\]`,
      ),
    );
    await expectRefused(
      { sdf: sdfFile(world(wall('big', '1e9 1 2'))) },
      /geometry\/box\/size: expected 3 numbers ≥ 0 within ±1000000, found "1e9 1 2"/,
    );
    await expectRefused(
      { sdf: sdfFile(world(wall('big', '50000 1 2'))) },
      /world\/model\[big\]\/link\[l\]\/collision\[c\]: reaches beyond ±10000 m \(mapCoordinateM/,
    );
    const far = sdfFile(world(wall('a', '1 1 2'), wall('b', '1 1 2', '9000 0 1 0 0 0')));
    const r = await run({ sdf: far });
    expect(r.status).toBe(2);
    expect(r.err).toMatch(
      /the static geometry spans 9001.0 × 1.0 m .*: at 0.05 m\/cell that is a 180060 × 60 grid, over the map limits \(mapSideCells 16384, mapCells 4194304/,
    );
    expect(r.ms).toBeLessThan(2000);
    const pose = sdfFile(world(wall('w', '1 1 2', '0 0 1 0 0 oops')));
    await expectRefused(
      { sdf: pose },
      /world\/model\[w\]\/pose: expected 6 numbers within ±1000000, found "0 0 1 0 0 oops"/,
    );
  });

  it('markup nested far deeper than any SDF', async () => {
    await expectRefused(
      { sdf: sdfFile(`<sdf version="1.9">${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</sdf>`) },
      /cannot be parsed as XML: .*nested/i,
    );
  });

  it('a path that is missing or a folder', async () => {
    await expectRefused({ sdf: join(scratch, 'missing.sdf') }, /file not found: .*missing\.sdf/);
    await expectRefused({ sdf: scratch }, /is a directory; expected a regular file/);
  });

  it('a bad --resolution or --name', async () => {
    const file = sdfFile(world(wall('w', '1 1 2')));
    await expectRefused(
      { sdf: file, resolution: 0 },
      /--resolution: expected a number of metres per cell 0.01..1/,
    );
    await expectRefused({ sdf: file, name: 'My Floor' }, /--name: expected a lower-case kebab-case id/);
  });

  it('an output folder with files in it, unless --force replaces it whole', async () => {
    const file = sdfFile(world(wall('w', '4 0.2 2')));
    const out = join(scratch, 'maps', 'taken');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'notes.txt'), 'mine');
    await expectRefused(
      { sdf: file, out },
      /taken: exists and is not empty; choose a new folder, or give --force to replace it \[OUTPUT\]/,
    );
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
    const forced = await run({ sdf: file, out, force: true, name: 'taken-floor' });
    expect(forced.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['site.yaml', 'taken-floor.pgm', 'taken-floor.yaml']);
    expect(forced.after).toEqual(forced.before); // no temporary sibling left behind
  });
});

describe('sim import-sdf output', () => {
  it('prints what it read and skipped, and says to run map check next', async () => {
    const text = world(
      wall('w', '4 0.2 2'),
      '<model name="cart"><link name="l"><collision name="c"><geometry><box><size>1 1 1</size></box></geometry></collision></link></model>',
      '<include><uri>model://table</uri></include>',
    );
    const r = await run({ sdf: sdfFile(text), out: join(scratch, 'maps', 'printed') });
    expect(r.status).toBe(0);
    expect(r.out).toContain('1 static models: model[w]');
    expect(r.out).toContain('1 non-static models left out (they move, so they are not walls): model[cart]');
    expect(r.out).toMatch(/skipped: .*world\/include: include of "model:\/\/table" skipped/);
    expect(r.out).toContain(
      `next: add destinations to ${join(scratch, 'maps', 'printed', 'site.yaml')}, then run: medhjalparen map check`,
    );
  });
});
