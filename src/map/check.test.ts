import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkSite, formatIssues, runMapCheck } from './check.js';
import type { SiteIssue } from './errors.js';
import { ROOM_MAP_YAML, ROOM_SITE_YAML, lineOf, removeSite, writeSite } from './test-helpers.js';

let dir = '';
afterEach(async () => removeSite(dir));

const siteFile = (): string => join(dir, 'site.yaml');
const codes = (issues: SiteIssue[]): string[] => issues.map((i) => i.code);

/** The room site with its second destination ("library", at 5.0, 4.5) moved to (x, y). */
const withLibraryAt = (x: number, y: number): string =>
  ROOM_SITE_YAML.replace('pose: { x: 5.0, y: 4.5, yaw: 0.0 }', `pose: { x: ${x}, y: ${y}, yaw: 0.0 }`);

describe('checkSite', () => {
  it('finds nothing wrong with a good site', async () => {
    dir = await writeSite();
    expect(await checkSite(dir)).toEqual([]);
  });

  it('flags a pose inside a wall, at the line of its entry', async () => {
    const text = withLibraryAt(6.0, 3.0);
    dir = await writeSite({ 'site.yaml': text });
    expect(await checkSite(dir)).toEqual([
      {
        code: 'POSE_IN_OBSTACLE',
        severity: 'error',
        where: `${siteFile()}:${lineOf(text, '- id: library')}`,
        message:
          'destination "library": pose (6.00, 3.00) is on an occupied cell (a wall); expected a free cell',
      },
    ]);
  });

  it("flags a pose in free space but too close to a wall for the robot's footprint", async () => {
    dir = await writeSite({ 'site.yaml': withLibraryAt(0.32, 3.0) });
    const [issue, ...rest] = await checkSite(dir);
    expect(rest).toEqual([]);
    expect(issue?.code).toBe('POSE_IN_OBSTACLE');
    expect(issue?.message).toMatch(
      /^destination "library": pose \(0\.32, 3\.00\) is 0\.25 m from an obstacle; .* found 253$/,
    );
  });

  it('flags a free pose that cannot be reached from the dock', async () => {
    const text = withLibraryAt(8.0, 3.0);
    dir = await writeSite({ 'site.yaml': text });
    expect(await checkSite(dir)).toEqual([
      {
        code: 'POSE_UNREACHABLE',
        severity: 'error',
        where: `${siteFile()}:${lineOf(text, '- id: library')}`,
        message:
          'destination "library": pose (8.00, 3.00) cannot be reached from the dock (1.00, 1.00): no free path wide enough for the robot',
      },
    ]);
  });

  it('flags a landmark outside the map', async () => {
    const text = ROOM_SITE_YAML.replace('position: { x: 2.0, y: 5.0 }', 'position: { x: 12.0, y: 5.0 }');
    dir = await writeSite({ 'site.yaml': text });
    const issues = await checkSite(dir);
    expect(codes(issues)).toEqual(['POSE_OUTSIDE_MAP']);
    expect(issues[0]!.message).toBe(
      'landmark "screen": position (12.00, 5.00) is outside the map x 0.00..10.00, y 0.00..6.00 m',
    );
    expect(issues[0]!.where).toBe(`${siteFile()}:${lineOf(text, '- id: screen')}`);
  });

  it('flags a dock in a wall without calling every destination unreachable', async () => {
    const text = ROOM_SITE_YAML.replace(
      'dock: { x: 1.0, y: 1.0, yaw: 0.0 }',
      'dock: { x: 0.02, y: 1.0, yaw: 0.0 }',
    );
    dir = await writeSite({ 'site.yaml': text });
    const issues = await checkSite(dir);
    expect(codes(issues)).toEqual(['POSE_IN_OBSTACLE']);
    expect(issues[0]!.where).toBe(`${siteFile()}:5`);
    expect(issues[0]!.message).toBe(
      'dock (0.02, 1.00) is on an occupied cell (a wall); expected a free cell',
    );
  });

  it('treats a no_go zone as an obstacle for poses', async () => {
    const text = ROOM_SITE_YAML.replace(
      'zones:\n',
      'zones:\n  - id: staff-door\n    kind: no_go\n    polygon: [[2.5, 2.5], [3.5, 2.5], [3.5, 3.5], [2.5, 3.5]]\n',
    );
    dir = await writeSite({ 'site.yaml': text });
    const issues = await checkSite(dir);
    expect(codes(issues)).toEqual(['POSE_IN_OBSTACLE']);
    expect(issues[0]!.message).toBe(
      'destination "kela": pose (3.00, 3.00) is inside the no_go zone "staff-door"; expected a free cell',
    );
  });

  it('flags a zone wholly outside the map', async () => {
    const text = ROOM_SITE_YAML.replace(
      '[[0.5, 0.5], [2.0, 0.5], [2.0, 2.0]]',
      '[[20, 20], [21, 20], [21, 21]]',
    );
    dir = await writeSite({ 'site.yaml': text });
    expect(codes(await checkSite(dir))).toEqual(['ZONE_OUTSIDE_MAP']);
  });

  it('collects every problem in one run: language, duplicate id, bad hours, pose in wall', async () => {
    const text = withLibraryAt(6.0, 3.0)
      .replace('name: { fi: Kela, sv: FPA, en: Kela }', 'name: { fi: Kela, sv: FPA }')
      .replace('- id: screen', '- id: library')
      .replace('mon: 09:00-16:00', 'mon: 09:00-25:00');
    dir = await writeSite({ 'site.yaml': text });
    const issues = await checkSite(dir);
    expect(codes(issues).sort()).toEqual([
      'HOURS_INVALID',
      'ID_DUPLICATE',
      'LANGUAGE_MISSING',
      'POSE_IN_OBSTACLE',
    ]);
    const language = issues.find((i) => i.code === 'LANGUAGE_MISSING')!;
    expect(language.where).toBe(`${siteFile()}:${lineOf(text, 'name: { fi: Kela, sv: FPA }')}`);
    expect(language.message).toBe('destinations[0].name.en: missing; every name needs fi, sv and en');
    const duplicate = issues.find((i) => i.code === 'ID_DUPLICATE')!;
    expect(duplicate.message).toBe(
      `landmarks[0].id: "library" is already used at ${siteFile()}:${lineOf(text, '- id: library')}`,
    );
  });

  it('names a missing image at the map YAML line that refers to it', async () => {
    dir = await writeSite({}, ['room.pgm']);
    expect(await checkSite(dir)).toEqual([
      {
        code: 'FILE_NOT_FOUND',
        severity: 'error',
        where: `${join(dir, 'room.yaml')}:1`,
        message: `file not found: ${join(dir, 'room.pgm')}`,
      },
    ]);
  });

  it('names a missing map YAML at the site.yaml line that refers to it', async () => {
    dir = await writeSite({}, ['room.yaml']);
    expect(await checkSite(dir)).toMatchObject([{ code: 'FILE_NOT_FOUND', where: `${siteFile()}:3` }]);
  });

  it('reports a corrupt image with its byte offset', async () => {
    dir = await writeSite({ 'room.pgm': 'P5 200 120 255\n\x00\x00' });
    expect(await checkSite(dir)).toMatchObject([
      { code: 'PGM_TRUNCATED', where: `${join(dir, 'room.pgm')} (byte 17)` },
    ]);
  });

  it('reports problems in the map YAML alongside those in site.yaml', async () => {
    dir = await writeSite({
      'site.yaml': ROOM_SITE_YAML.replace('timezone: Europe/Helsinki', 'timezone: Mars/Olympus'),
      'room.yaml': ROOM_MAP_YAML.replace('free_thresh: 0.196', 'free_thresh: 2'),
    });
    const issues = await checkSite(dir);
    expect(codes(issues)).toEqual(['TIMEZONE_INVALID', 'FIELD_VALUE']);
    expect(issues[1]!.where).toBe(`${join(dir, 'room.yaml')}:6`);
  });

  it('notices an image with no free cell (e.g. a threshold set wrong)', async () => {
    dir = await writeSite({ 'room.yaml': ROOM_MAP_YAML.replace('free_thresh: 0.196', 'free_thresh: 0.0') });
    expect(codes(await checkSite(dir))).toEqual(['IMAGE_MISMATCH']);
  });

  it('reports a missing site.yaml', async () => {
    dir = await writeSite({}, ['site.yaml']);
    expect(await checkSite(dir)).toMatchObject([{ code: 'FILE_NOT_FOUND', where: siteFile() }]);
  });

  it('warns when two destinations answer to the same alias', async () => {
    dir = await writeSite({
      'site.yaml': ROOM_SITE_YAML.replace('en: [library, books]', 'en: [library, Social  Insurance]'),
    });
    const issues = await checkSite(dir);
    expect(issues).toMatchObject([{ code: 'ALIAS_AMBIGUOUS', severity: 'warning' }]);
    expect(issues[0]!.message).toBe(
      'library: en name or alias "social insurance" also names "kela"; a customer asking for it gets either',
    );
  });
});

describe('runMapCheck', () => {
  it('prints OK with a summary and exits 0 on a good site', async () => {
    dir = await writeSite();
    const lines: string[] = [];
    expect(await runMapCheck(dir, (l) => lines.push(l))).toBe(0);
    expect(lines).toEqual([
      `${dir}: OK, site "test-room": 2 destinations, 1 landmark, 1 zone; map 200×120 cells at 0.05 m (10.0 × 6.0 m)`,
      // The narrowest place on the widest way there, the ends included: the dock's corner, the desk by the wall.
      '  kela: narrowest passage from the dock 1.90 m at (1.03, 1.03)',
      '  library: narrowest passage from the dock 1.80 m at (5.03, 4.53)',
    ]);
  });

  it('prints each issue with its place and code, then the count, and exits 1', async () => {
    const text = withLibraryAt(8.0, 3.0).replace('      sv: [fpa]\n', '');
    dir = await writeSite({ 'site.yaml': text });
    const lines: string[] = [];
    expect(await runMapCheck(dir, (l) => lines.push(l))).toBe(1);
    expect(lines).toEqual([
      `${siteFile()}:${lineOf(text, 'fi: [kela]')}: destinations[0].aliases.sv: missing; give at least one alias in fi, sv and en [LANGUAGE_MISSING]`,
      `${siteFile()}:${lineOf(text, '- id: library')}: destination "library": pose (8.00, 3.00) cannot be reached from the dock (1.00, 1.00): no free path wide enough for the robot [POSE_UNREACHABLE]`,
      `${dir}: 2 errors, 0 warnings`,
    ]);
  });

  it('passes with warnings, printing them', async () => {
    dir = await writeSite({
      'site.yaml': ROOM_SITE_YAML.replace('en: [library, books]', 'en: [library, social insurance]'),
    });
    const lines: string[] = [];
    expect(await runMapCheck(dir, (l) => lines.push(l))).toBe(0);
    expect(lines[0]).toMatch(
      /: warning: library: en name or alias "social insurance" also names "kela".*\[ALIAS_AMBIGUOUS\]$/,
    );
    expect(lines[1]).toMatch(/: OK, site "test-room": .*; 1 warning$/);
  });
});

describe('formatIssues', () => {
  it('gives one line per issue and nothing for none', () => {
    expect(formatIssues([])).toBe('');
    expect(
      formatIssues([
        { code: 'ID_DUPLICATE', severity: 'error', where: 'site.yaml:9', message: 'a' },
        { code: 'ALIAS_AMBIGUOUS', severity: 'warning', where: 'site.yaml:12', message: 'b' },
      ]),
    ).toBe('site.yaml:9: a [ID_DUPLICATE]\nsite.yaml:12: warning: b [ALIAS_AMBIGUOUS]');
  });
});
