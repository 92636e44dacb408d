/**
 * Issue 10, sites and maps: every site input a careless or hostile operator could give, through
 * the real command line (`map check`, and `run` for a site that looks fine until the map is
 * read), then fuzzers that generate site files and PGM headers in-process. Each case must end
 * within a time bound and bounded memory, and either succeed or give an error naming the input.
 * Bounds are generous limits, never expectations of speed.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/input/index.js';
import { MapError, checkSite, decodePgm, encodePgm, loadSite } from '../../src/map/index.js';
import {
  ROOM_MAP_YAML,
  ROOM_SITE_YAML,
  lineOf,
  removeSite,
  roomPgm,
  writeSite,
} from '../../src/map/test-helpers.js';
import { baselineRssMb, runCliBounded, type BoundedRun } from '../support/bounded-cli.js';

/** A command must end within this (it takes about a second); a hang is killed and fails. */
const CLI_BOUND_MS = 60_000;
/** Peak memory a command may use above `help`'s. */
const RSS_GROWTH_MB = 200;
/** A line printed about a refused input: a sentence and a path, never the input itself. */
const LINE_BOUND_CHARS = 500;
// eslint-disable-next-line no-control-regex -- control characters must never reach the terminal
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/u;

let baseline = NaN;
let dir = '';
beforeAll(async () => {
  baseline = await baselineRssMb();
  expect(baseline, 'the `help` baseline must report its peak memory').toBeGreaterThan(0);
}, CLI_BOUND_MS);
afterEach(async () => removeSite(dir));
/** The worst command seen, for the report printed at the end. */
const worstCli = { runs: 0, wallMs: 0, rssGrowthMb: 0 };
afterAll(() => {
  console.log(
    `CLI cases: ${worstCli.runs} commands; worst ${worstCli.wallMs.toFixed(0)} ms, ` +
      `worst peak RSS ${worstCli.rssGrowthMb.toFixed(1)} MB above the ${baseline.toFixed(1)} MB baseline`,
  );
});

const siteFile = (): string => join(dir, 'site.yaml');
const mapFile = (): string => join(dir, 'room.yaml');

/** Runs the CLI under the bounds and checks what every hostile case must satisfy. */
async function cli(args: string[]): Promise<BoundedRun> {
  const run = await runCliBounded(args, { timeoutMs: CLI_BOUND_MS });
  worstCli.runs++;
  worstCli.wallMs = Math.max(worstCli.wallMs, run.wallMs);
  worstCli.rssGrowthMb = Math.max(worstCli.rssGrowthMb, run.peakRssMb - baseline);
  expect(run.timedOut, `${args.join(' ')} outlived ${CLI_BOUND_MS} ms`).toBe(false);
  expect(run.peakRssMb - baseline, `${args.join(' ')} peak memory above baseline, MB`).toBeLessThan(
    RSS_GROWTH_MB,
  );
  const lines = `${run.stdout}${run.stderr}`.trimEnd().split('\n');
  expect(lines.length, 'lines printed').toBeLessThanOrEqual(LIMITS.issuesListed.value + 2);
  for (const line of lines)
    expect(line.length, `printed: ${line.slice(0, 200)}…`).toBeLessThan(LINE_BOUND_CHARS);
  expect(run.stdout + run.stderr).not.toMatch(RAW_CONTROL);
  return run;
}

/** `map check <dir>`: exit 1 and exactly these issue lines, then the count. */
async function expectCheck(lines: string[]): Promise<void> {
  const run = await cli(['map', 'check', dir]);
  expect(run.code).toBe(1);
  const errors = lines.filter((l) => !l.includes(': warning: ')).length;
  expect(run.stdout.trimEnd().split('\n')).toEqual([
    ...lines,
    `${dir}: ${errors} error${errors === 1 ? '' : 's'}, 0 warnings`,
  ]);
}

/** `run --fast --duration 5 --site <dir>`: exit 1 with this error, before the robot starts. */
async function expectRunRefused(message: string): Promise<void> {
  const run = await cli(['run', '--fast', '--duration', '5', '--site', dir]);
  expect(run.code).toBe(1);
  expect(run.stderr).toBe(`medhjalparen: ${message}\n`);
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const pgmHeaderOnly = (w: number, h: number): string => `P5\n# claims ${w} x ${h}\n${w} ${h}\n255\n`;
/** Byte offset of the width in pgmHeaderOnly. */
const widthByte = (w: number, h: number): number => pgmHeaderOnly(w, h).lastIndexOf(`${w} ${h}`);

describe('hostile site files through the command line', () => {
  it('refuses a map image that is a FIFO at once instead of waiting on it', async () => {
    dir = await writeSite({}, ['room.pgm']);
    execFileSync('mkfifo', [join(dir, 'room.pgm')]);
    await expectCheck([
      `${mapFile()}:1: ${join(dir, 'room.pgm')} is not a regular file (a device, FIFO or socket); expected a regular file [FILE_NOT_REGULAR]`,
    ]);
  });

  it('refuses a map image that leads to /dev/zero, and reads no device even where allowed', async () => {
    dir = await writeSite({}, ['room.pgm']);
    await symlink('/dev/zero', join(dir, 'room.pgm'));
    await expectCheck([
      `${mapFile()}:1: image: "room.pgm" is a link to /dev/zero, outside the site folder; expected a file inside it (or a folder listed under allow_files_outside_site, docs/site-format.md) [PATH_OUTSIDE_SITE]`,
    ]);
    await writeFile(siteFile(), `${ROOM_SITE_YAML}allow_files_outside_site: [/dev]\n`);
    await expectCheck([
      `${mapFile()}:1: ${join(dir, 'room.pgm')} is not a regular file (a device, FIFO or socket); expected a regular file [FILE_NOT_REGULAR]`,
    ]);
  });

  it('names the line and the path of a map outside the site, and prints nothing of that file', async () => {
    const text = ROOM_SITE_YAML.replace('map: room.yaml', 'map: ../../../../etc/passwd');
    dir = await writeSite({ 'site.yaml': text });
    await expectCheck([
      `${siteFile()}:3: map: "../../../../etc/passwd" points outside the site folder ${dir}; expected a file inside it (or a folder listed under allow_files_outside_site, docs/site-format.md) [PATH_OUTSIDE_SITE]`,
    ]);
    await expectRunRefused(
      `${siteFile()}:3: map: "../../../../etc/passwd" points outside the site folder ${dir}; expected a file inside it (or a folder listed under allow_files_outside_site, docs/site-format.md)`,
    );
  });

  it('refuses a resolution finer than the limit before allocating the map (1.5e-5 took 3.6 GB)', async () => {
    for (const resolution of ['1.5e-5', '1e-5']) {
      dir = await writeSite({
        'room.yaml': ROOM_MAP_YAML.replace('resolution: 0.05', `resolution: ${resolution}`),
      });
      await expectCheck([
        `${mapFile()}:2: resolution: expected 0.01..1 m/cell (mapResolutionMin..mapResolutionMax in docs/limits.md), found ${Number(resolution)} [BEYOND_LIMIT]`,
      ]);
      await removeSite(dir);
    }
  });

  it('refuses a PGM whose header claims 25000 × 25000 pixels before reading the raster', async () => {
    dir = await writeSite({ 'room.pgm': pgmHeaderOnly(25000, 25000) });
    await expectCheck([
      `${join(dir, 'room.pgm')} (byte ${widthByte(25000, 25000)}): width is 25000, larger than the limit for a map's width or height, 16384 cells (mapSideCells in docs/limits.md) [BEYOND_LIMIT]`,
    ]);
    await writeFile(join(dir, 'room.pgm'), pgmHeaderOnly(16384, 16384));
    await expectCheck([
      `${join(dir, 'room.pgm')} (byte ${widthByte(16384, 16384)}): 16384×16384 = 268435456 pixels is larger than the limit for a map's width × height, 4194304 cells (mapCells in docs/limits.md) [BEYOND_LIMIT]`,
    ]);
  });

  it('answers a 2.3 MB text given as site.yaml or as the map YAML with one short line', async () => {
    const text = 'x'.repeat(2_300_000);
    dir = await writeSite({ 'site.yaml': text });
    await expectCheck([
      `${siteFile()}: ${siteFile()} is 2300000 bytes; the limit for a YAML file (site.yaml, a map YAML, a scenario) is 1048576 bytes (docs/limits.md) [FILE_TOO_LARGE]`,
    ]);
    await writeFile(siteFile(), ROOM_SITE_YAML);
    await writeFile(mapFile(), text);
    await expectCheck([
      `${siteFile()}:3: ${mapFile()} is 2300000 bytes; the limit for a YAML file (site.yaml, a map YAML, a scenario) is 1048576 bytes (docs/limits.md) [FILE_TOO_LARGE]`,
    ]);
    // Within the size limit, the text is still quoted as an excerpt only.
    await writeFile(mapFile(), text.slice(0, LIMITS.yamlFileBytes.value));
    await expectCheck([
      `${mapFile()}:1: top level: expected a mapping, found "${'x'.repeat(79)}…" [FIELD_TYPE]`,
    ]);
  });

  it('shows control characters and ANSI escapes in names instead of sending them to the terminal', async () => {
    const text = ROOM_SITE_YAML.replace('name: Test room', 'name: "Test\\e[2J\\e]0;owned\\a room"').replace(
      'en: [library, books]',
      'en: [library, "bo\\u009bks"]',
    );
    dir = await writeSite({ 'site.yaml': text });
    await expectCheck([
      `${siteFile()}:2: name: expected one line of text without control characters, found "Test\\x1b[2J\\x1b]0;owned\\x07 room" [TEXT_CONTROL]`,
      `${siteFile()}:${lineOf(text, 'bo\\u009bks')}: destinations[1].aliases.en[1]: expected one line of text without control characters, found "bo\\x9bks" [TEXT_CONTROL]`,
    ]);
  });

  it('bounds every name, id, alias and description at nameChars', async () => {
    const long = 'Kela '.repeat(50);
    const text = ROOM_SITE_YAML.replace('organisation: Kela', `organisation: ${long}`);
    dir = await writeSite({ 'site.yaml': text });
    await expectCheck([
      `${siteFile()}:${lineOf(text, 'organisation: Kela Kela')}: destinations[0].organisation: expected at most 200 characters (nameChars in docs/limits.md), found 249 characters: "${long.slice(0, 79)}…" [BEYOND_LIMIT]`,
    ]);
  });

  it('reports every problem of a site, each with its file:line and field path', async () => {
    const text = ROOM_SITE_YAML.replace('id: test-room', 'id: Test Room')
      .replace('dock: { x: 1.0, y: 1.0, yaw: 0.0 }', 'dock: { x: 1.0, y: 1.0, yaw: 90 }')
      .replace('name: { fi: Kela, sv: FPA, en: Kela }', 'name: { fi: Kela, sv: FPA, en: Kela, de: Kela }')
      .replace('    organisation: City of Espoo\n', '')
      .replace('mon: 09:00-16:00', 'mon: 9-16')
      .replace('position: { x: 2.0, y: 5.0 }', 'position: { x: .nan, y: 5.0 }');
    dir = await writeSite({
      'site.yaml': text,
      'room.yaml': ROOM_MAP_YAML.replace('origin: [0.0, 0.0, 0.0]', 'origin: [1e21, 0.0, 0.0]'),
    });
    await expectCheck([
      `${siteFile()}:1: id: expected a lower-case kebab-case id like "health-station", found "Test Room" [FIELD_VALUE]`,
      `${siteFile()}:5: dock.yaw: expected ≤ 6.283185307179586, found 90 [FIELD_VALUE]`,
      `${siteFile()}:${lineOf(text, 'de: Kela')}: destinations[0].name.de: unknown field; expected one of fi, sv or en [FIELD_UNKNOWN]`,
      `${siteFile()}:${lineOf(text, 'mon: 9-16')}: destinations[0].hours.mon: expected "HH:MM-HH:MM" (comma-separated) or "closed", found "9-16" [HOURS_INVALID]`,
      `${siteFile()}:${lineOf(text, '- id: library')}: destinations[1].organisation: required field missing [FIELD_MISSING]`,
      `${siteFile()}:${lineOf(text, 'x: .nan')}: landmarks[0].position.x: expected a finite number, found NaN [FIELD_VALUE]`,
      `${mapFile()}:3: origin[0]: expected -10000..10000 m (mapCoordinateM in docs/limits.md), found 1e+21 [BEYOND_LIMIT]`,
    ]);
  });

  it('shows an alias as written and refuses it; a billion laughs stays small', async () => {
    const text = ROOM_SITE_YAML.replace('name: Test room', 'name: &a0 Test room').replace(
      'organisation: Kela',
      'organisation: *a0',
    );
    dir = await writeSite({ 'site.yaml': text });
    await expectCheck([
      `${siteFile()}:${lineOf(text, '*a0')}: destinations[0].organisation: expected a string, found the alias *a0 (YAML aliases are not allowed in site files; write the value out) [YAML_ALIAS]`,
    ]);
    const laughs = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i <= 9; i++)
      laughs.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    // Ten levels of ten: 10^10 strings if expanded. The anchors sit under unknown keys.
    const bomb = `${laughs.join('\n')}\n${ROOM_SITE_YAML.replace('zones:\n', 'zones: *a9\nold_zones:\n')}`;
    await writeFile(siteFile(), bomb);
    const run = await cli(['map', 'check', dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `${siteFile()}:${lineOf(bomb, 'zones: *a9')}: zones: expected a list, found the alias *a9 (YAML aliases are not allowed in site files; write the value out) [YAML_ALIAS]`,
    );
    expect(run.stdout).toContain(`${dir}: 12 errors, 0 warnings`);
  });

  it('catches a dock outside the map when the site is loaded, naming site.yaml:line', async () => {
    const text = ROOM_SITE_YAML.replace(
      'dock: { x: 1.0, y: 1.0, yaw: 0.0 }',
      'dock: { x: 500, y: 1.0, yaw: 0.0 }',
    );
    dir = await writeSite({ 'site.yaml': text });
    await expectRunRefused(
      `${siteFile()}:5: dock (500.00, 1.00) is outside the map x 0.00..10.00, y 0.00..6.00 m`,
    );
    await writeFile(
      siteFile(),
      ROOM_SITE_YAML.replace('dock: { x: 1.0, y: 1.0, yaw: 0.0 }', 'dock: { x: 6.0, y: 1.0, yaw: 0.0 }'),
    );
    await expectCheck([
      `${siteFile()}:5: dock (6.00, 1.00) is on an occupied cell (a wall); expected a free cell [POSE_IN_OBSTACLE]`,
    ]);
  });

  it('shows control characters in a site folder named on the command line', async () => {
    dir = await writeSite();
    const odd = join(dir, 'site\u001b[2J\u0007');
    await mkdir(odd);
    for (const f of ['site.yaml', 'room.yaml', 'room.pgm']) await rename(join(dir, f), join(odd, f));
    const shown = `${dir}/site\\x1b[2J\\x07`;
    const ok = await cli(['map', 'check', odd]);
    expect(ok.stdout).toMatch(new RegExp(`^${escapeRegExp(shown)}: OK, site "test-room"`));
    await writeFile(join(odd, 'room.yaml'), ROOM_MAP_YAML.replace('resolution: 0.05', 'resolution: 0'));
    const bad = await cli(['run', '--fast', '--duration', '5', '--site', odd]);
    expect(bad.stderr).toMatch(
      new RegExp(`^medhjalparen: ${escapeRegExp(shown)}/room\\.yaml:2: resolution: expected 0\\.01\\.\\.1`),
    );
  });

  it('stays bounded on 1 MB of distinct keys, deep nesting and tens of thousands of errors, listing the first hundred', async () => {
    const tooMany = Array.from({ length: 80_000 }, (_, i) => `k${i}: 1`).join('\n');
    dir = await writeSite({ 'site.yaml': `${ROOM_SITE_YAML}${tooMany}\n` });
    await expectCheck([
      `${siteFile()}: more than ${LIMITS.yamlTokens.value} tokens; the limit for ${LIMITS.yamlTokens.what} is ${LIMITS.yamlTokens.value} tokens (yamlTokens, docs/limits.md) [BEYOND_LIMIT]`,
    ]);
    // Within the token limit, every key is still read and all but the first hundred are counted.
    const keys = Array.from({ length: 40_000 }, (_, i) => `k${i}: 1`).join('\n');
    dir = await writeSite({ 'site.yaml': `${ROOM_SITE_YAML}${keys}\n` });
    const many = await cli(['map', 'check', dir]);
    expect(many.code).toBe(1);
    const lines = many.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(LIMITS.issuesListed.value + 2);
    expect(lines[0]).toBe(
      `${siteFile()}:${lineOf(ROOM_SITE_YAML, 'polygon') + 1}: k0: unknown field; expected one of id, name, map, timezone, dock, destinations, hours, landmarks, zones, help_desk, elsewhere or allow_files_outside_site [FIELD_UNKNOWN]`,
    );
    expect(lines.at(-2)).toBe(
      '… and 39900 more problems not listed (the first 100 are; fix them and check again)',
    );
    expect(lines.at(-1)).toBe(`${dir}: 40000 errors, 0 warnings`);

    await writeFile(siteFile(), `id: x\n\ndock: ${'['.repeat(50_000)}\n`);
    await expectCheck([
      `${siteFile()}:3: nested deeper than 64 levels (yamlDepth in docs/limits.md); expected a few levels of mappings and lists [BEYOND_LIMIT]`,
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Fuzzers, in-process. Each generated case is timed; memory is the process's peak before and
// after the whole run.

/** Wall time one generated case may take (they take milliseconds). */
const CASE_BOUND_MS = 10_000;
const maxRssMb = (): number => process.resourceUsage().maxRSS / 1024;

interface FuzzStats {
  cases: number;
  worstMs: number;
  errors: number;
}

function timed<T>(stats: FuzzStats, run: () => T): T {
  const t0 = performance.now();
  try {
    return run();
  } finally {
    record(stats, performance.now() - t0);
  }
}

async function timedAsync<T>(stats: FuzzStats, run: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await run();
  } finally {
    record(stats, performance.now() - t0);
  }
}

function record(stats: FuzzStats, ms: number): void {
  stats.worstMs = Math.max(stats.worstMs, ms);
  stats.cases++;
  expect(ms, 'one generated case, ms').toBeLessThan(CASE_BOUND_MS);
}

/** Values an operator (or an attacker) might type where a field goes, as YAML flow text. */
const hostileScalar: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '1e309',
    '-1e309',
    '.nan',
    '.inf',
    '-.inf',
    'NaN',
    'Infinity',
    '"NaN"',
    '"Infinity"',
    '1e21',
    '-0',
    '0x7fffffff',
    '~',
    'null',
    'true',
    '""',
    '"  "',
    '09:00-16:00',
    'closed',
    '24:00-25:00',
    'room.yaml',
    'room.pgm',
    '../../../../etc/passwd',
    '/dev/zero',
    '/etc/passwd',
    '*a0',
    '*missing',
    '&a0 x',
    '&a0 [1, 2]',
    '!!binary aGVsbG8=',
    '!custom tag',
  ),
  fc.double().map((d) => String(d)),
  fc.integer().map(String),
  fc.string({ unit: 'binary', maxLength: 40 }).map((s) => JSON.stringify(s)),
  fc.nat({ max: 2 * LIMITS.nameChars.value }).map((n) => JSON.stringify('x'.repeat(n))),
  fc.nat({ max: 2000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
);

const anyKey = fc.oneof(
  fc.constantFrom('id', 'name', 'x', 'y', 'yaw', 'fi', 'sv', 'en', 'mon', 'kind', 'polygon', '<<', '? x'),
  fc.string({ unit: 'binary', maxLength: 12 }).map((s) => JSON.stringify(s)),
);

const { value: hostileValue } = fc.letrec<{ value: string; list: string; map: string }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', maxDepth: 4 }, hostileScalar, tie('list'), tie('map')),
  list: fc.array(tie('value'), { maxLength: 4 }).map((xs) => `[${xs.join(', ')}]`),
  map: fc
    .array(fc.tuple(anyKey, tie('value')), { maxLength: 4 })
    .map((kv) => `{${kv.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
}));

/**
 * A site folder's two YAML files, each field valid or (at `rate` percent) hostile or missing: at
 * rate 0 the site is valid, at 50 most of it is wrong. Lists, nesting and order vary too.
 */
function siteFiles(rate: number): fc.Arbitrary<{ site: string; map: string }> {
  const field = (key: string, valid: string): fc.Arbitrary<string | undefined> =>
    rate === 0
      ? fc.constant(`${key}: ${valid}`)
      : fc.oneof(
          { weight: 100 - rate, arbitrary: fc.constant(`${key}: ${valid}`) },
          { weight: Math.ceil(rate * 0.8), arbitrary: hostileValue.map((v) => `${key}: ${v}`) },
          { weight: Math.ceil(rate * 0.2), arbitrary: fc.constant(undefined) },
        );
  const flowMap = (fields: Array<fc.Arbitrary<string | undefined>>): fc.Arbitrary<string> =>
    fc.tuple(...fields).map((fs) => `{ ${fs.filter((f) => f !== undefined).join(', ')} }`);
  const nested = (key: string, valid: fc.Arbitrary<string>): fc.Arbitrary<string | undefined> =>
    valid.chain((v) => field(key, v));
  const maybe = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
    rate === 0 ? fc.constant(undefined) : fc.option(a, { nil: undefined });
  const localized = (fi: string, sv: string, en: string): fc.Arbitrary<string> =>
    flowMap([field('fi', fi), field('sv', sv), field('en', en)]);
  const destination = (i: number): fc.Arbitrary<string> =>
    flowMap([
      field('id', `desk-${i}`),
      nested('name', localized(`Tiski ${i}`, `Disk ${i}`, `Desk ${i}`)),
      nested('aliases', localized(`[tiski${i}]`, `[disk${i}]`, `[desk${i}]`)),
      field('organisation', 'Kela'),
      nested('pose', flowMap([field('x', `${2 + i}.0`), field('y', '3.0'), field('yaw', '1.57')])),
      fc.option(nested('description', localized('Tiski.', 'Disk.', 'Desk.')), { nil: undefined }),
      fc.option(nested('hours', flowMap([field('mon', '09:00-16:00'), field('sat', 'closed')])), {
        nil: undefined,
      }),
    ]);
  const zone = (i: number): fc.Arbitrary<string> =>
    flowMap([
      field('id', `zone-${i}`),
      field('kind', 'slow'),
      field('max_speed', '0.5'),
      field('polygon', `[[0.5, ${0.5 + i}], [2.0, ${0.5 + i}], [2.0, ${1.5 + i}]]`),
    ]);
  const list = (item: (i: number) => fc.Arbitrary<string>, min: number, max: number): fc.Arbitrary<string> =>
    fc
      .integer({ min, max })
      .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => item(i))))
      .map((items) => `[${items.join(', ')}]`);
  const site = fc
    .tuple(
      fc.tuple(
        field('id', 'test-room'),
        field('name', 'Test room'),
        field('map', 'room.yaml'),
        field('timezone', 'Europe/Helsinki'),
        nested('dock', flowMap([field('x', '1.0'), field('y', '1.0'), field('yaw', '0.0')])),
        nested('destinations', list(destination, 1, 3)),
        fc.option(nested('zones', list(zone, 0, 2)), { nil: undefined }),
        maybe(field('allow_files_outside_site', '[../common-maps]')),
      ),
      rate === 0
        ? fc.constant([])
        : fc.array(
            fc.oneof(
              fc.tuple(anyKey, hostileValue).map(([k, v]) => `${k}: ${v}`),
              fc.string({ unit: 'binary', maxLength: 60 }),
            ),
            { maxLength: 2 },
          ),
    )
    .chain(([fields, extra]) => {
      const lines = [...fields.filter((f) => f !== undefined), ...extra];
      return fc.shuffledSubarray(lines, { minLength: lines.length, maxLength: lines.length });
    })
    .map((lines) => `${lines.join('\n')}\n`);
  const map = fc
    .tuple(
      field('image', 'room.pgm'),
      field('resolution', '0.05'),
      field('origin', '[0.0, 0.0, 0.0]'),
      field('negate', '0'),
      field('occupied_thresh', '0.65'),
      field('free_thresh', '0.196'),
      fc.option(field('mode', 'trinary'), { nil: undefined }),
    )
    .map((fs) => `${fs.filter((f) => f !== undefined).join('\n')}\n`);
  return fc.record({ site, map });
}

const siteCase = fc.constantFrom(0, 1, 3, 15, 50).chain(siteFiles);

const COSTMAP_CODES: readonly string[] = ['POSE_IN_OBSTACLE', 'POSE_UNREACHABLE', 'ZONE_OUTSIDE_MAP'];

/** Every issue names a file of the site (or its line or byte) and says something short and printable. */
function expectNamesTheInput(where: string, message: string, folder: string): void {
  expect(where.startsWith(folder), `"${where}" names a file of the site`).toBe(true);
  expect(message.length).toBeLessThan(1000);
  expect(message).not.toMatch(RAW_CONTROL);
}

describe('fuzzing site files', () => {
  it('every generated site.yaml and map YAML loads or gives errors naming the file, in bounded time and memory', async () => {
    const stats: FuzzStats = { cases: 0, worstMs: 0, errors: 0 };
    const pgm = roomPgm();
    dir = await writeSite();
    await mkdir(join(dir, 'shared'));
    const rssBefore = maxRssMb();
    await fc.assert(
      fc.asyncProperty(siteCase, async ({ site, map }) => {
        await writeFile(siteFile(), site);
        await writeFile(mapFile(), map);
        await writeFile(join(dir, 'room.pgm'), pgm);
        const issues = await timedAsync(stats, () => checkSite(dir));
        for (const i of issues) expectNamesTheInput(i.where, i.message, dir);
        const errors = issues.filter((i) => i.severity === 'error');
        if (errors.length > 0) stats.errors++;
        const failure = await timedAsync(stats, () =>
          loadSite(dir).then(
            () => undefined,
            (e: unknown) => e,
          ),
        );
        if (failure === undefined) {
          // Loaded: all map check may add is room for the footprint, reachability, zones on the map.
          expect(errors.map((i) => i.code).filter((c) => !COSTMAP_CODES.includes(c))).toEqual([]);
          return;
        }
        expect(failure).toBeInstanceOf(MapError);
        const e = failure as MapError;
        expectNamesTheInput(e.where, e.what, dir);
        for (const line of e.message.split('\n'))
          expect(line.startsWith(dir) || line.startsWith('… and ')).toBe(true);
        // What the loader refuses, the checker reports too.
        expect(errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
    const growth = maxRssMb() - rssBefore;
    console.log(
      `site fuzz: ${stats.cases} checks and loads of 300 generated sites, ${stats.errors} with errors; ` +
        `worst ${stats.worstMs.toFixed(0)} ms, peak RSS growth ${growth.toFixed(1)} MB`,
    );
    expect(stats.errors, 'the generator must produce broken sites').toBeGreaterThan(50);
    expect(stats.errors, 'the generator must produce valid sites too').toBeLessThan(250);
    expect(growth).toBeLessThan(RSS_GROWTH_MB);
  });
});

// PGM: a structure-aware header (magic, separators, comments, width, height, maxval), then a
// raster of the right size, a wrong size, or garbage; sometimes cut anywhere.
const separator = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(' ', '\n') },
  { weight: 2, arbitrary: fc.constantFrom('\t', '\r\n', ' # comment\n', '#\n', '\n# ünïcode\n', '  ') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 6 }) },
);
const headerNumber = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 40 }).map(String) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 70_000 }).map(String) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '0',
      '25000',
      '16384',
      '16385',
      '4097',
      '65535',
      '65536',
      '-1',
      '+1',
      '1e3',
      '0x10',
      '9'.repeat(40),
      '',
      'abc',
    ),
  },
);
const maxval = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('255', '65535', '1', '15', '256') },
  { weight: 1, arbitrary: headerNumber },
);
const pgmCase = fc
  .record({
    magic: fc.oneof(
      { weight: 10, arbitrary: fc.constantFrom('P5', 'P2') },
      { weight: 1, arbitrary: fc.constantFrom('P1', 'P6', 'P7', 'PX', 'P', '', 'P5P5') },
    ),
    seps: fc.tuple(separator, separator, separator, separator),
    width: headerNumber,
    height: headerNumber,
    maxval,
    raster: fc.constantFrom('exact', 'exact', 'exact', 'short', 'long', 'garbage', 'none'),
    garbage: fc.uint8Array({ maxLength: 64 }),
    // Sometimes cut anywhere (a copy that stopped half way).
    cut: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.nat() }),
  })
  .map((c) => {
    const header = `${c.magic}${c.seps[0]}${c.width}${c.seps[1]}${c.height}${c.seps[2]}${c.maxval}${c.seps[3]}`;
    const [w, h, mv] = [Number(c.width), Number(c.height), Number(c.maxval)];
    const plausible = Number.isInteger(w * h) && w * h > 0 && w * h <= 4096 && mv >= 1;
    let raster: Uint8Array = c.garbage;
    if (plausible && c.raster !== 'garbage') {
      const samples = w * h + (c.raster === 'long' ? 2 : c.raster === 'short' ? -1 : 0);
      const sample = (i: number): number => i % (Math.min(mv, 65535) + 1);
      if (c.magic === 'P2') {
        raster = Buffer.from(Array.from({ length: Math.max(0, samples) }, (_, i) => sample(i)).join(' '));
      } else {
        const wide = mv > 255;
        raster = new Uint8Array(Math.max(0, samples) * (wide ? 2 : 1));
        for (let i = 0; i < samples; i++) {
          if (wide) raster.set([sample(i) >> 8, sample(i) & 0xff], 2 * i);
          else raster[i] = sample(i);
        }
      }
    }
    if (c.raster === 'none') raster = new Uint8Array(0);
    const bytes = Buffer.concat([Buffer.from(header, 'latin1'), raster]);
    return c.cut === undefined ? bytes : bytes.subarray(0, c.cut % (bytes.length + 1));
  });

describe('fuzzing PGM headers', () => {
  it('every generated PGM decodes within the limits or fails naming the file and byte', () => {
    const stats: FuzzStats = { cases: 0, worstMs: 0, errors: 0 };
    let decoded = 0;
    const rssBefore = maxRssMb();
    fc.assert(
      fc.property(pgmCase, (bytes) => {
        try {
          const image = timed(stats, () => decodePgm(bytes, 'fuzz.pgm'));
          decoded++;
          expect(image.width * image.height).toBeLessThanOrEqual(LIMITS.mapCells.value);
          expect(image.samples.length).toBe(image.width * image.height);
        } catch (err) {
          stats.errors++;
          expect(err).toBeInstanceOf(MapError);
          const e = err as MapError;
          const byte = /^fuzz\.pgm \(byte (\d+)\)$/.exec(e.where);
          expect(byte, `"${e.where}" names the file and byte`).not.toBeNull();
          expect(Number(byte![1])).toBeLessThanOrEqual(bytes.length);
          expect(e.message.length).toBeLessThan(400);
          expect(e.message).not.toMatch(RAW_CONTROL);
        }
      }),
      { numRuns: 3000 },
    );
    // A header at the limits costs its raster, never more: the largest map the limits allow.
    const side = Math.floor(Math.sqrt(LIMITS.mapCells.value));
    const largest = encodePgm({
      width: side,
      height: side,
      maxval: 255,
      samples: new Uint8Array(side * side),
    });
    expect(timed(stats, () => decodePgm(largest, 'largest.pgm')).width).toBe(side);
    const growth = maxRssMb() - rssBefore;
    console.log(
      `PGM fuzz: ${stats.cases} generated images, ${decoded} decoded, ${stats.errors} refused; ` +
        `worst ${stats.worstMs.toFixed(1)} ms, peak RSS growth ${growth.toFixed(1)} MB (the largest map allowed included)`,
    );
    expect(decoded, 'the generator must produce valid images').toBeGreaterThan(300);
    expect(stats.errors, 'the generator must produce broken images').toBeGreaterThan(300);
    expect(growth).toBeLessThan(RSS_GROWTH_MB);
  });
});
