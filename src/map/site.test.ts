import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LIMITS } from '../input/index.js';
import { MapError } from './errors.js';
import { loadSite, placeProblem } from './site.js';
import { ROOM_MAP_YAML, ROOM_SITE_YAML, lineOf, removeSite, roomPgm, writeSite } from './test-helpers.js';

let dir = '';
afterEach(async () => removeSite(dir));

/** Loads a site whose site.yaml is `text` and returns the MapError it must throw. */
async function failure(text: string): Promise<MapError> {
  dir = await writeSite({ 'site.yaml': text });
  try {
    await loadSite(dir);
  } catch (err) {
    expect(err).toBeInstanceOf(MapError);
    return err as MapError;
  }
  throw new Error('expected loadSite to throw');
}

/** The error message must start with `<dir>/site.yaml:<line>: ` followed by `rest`. */
function expectAt(err: MapError, line: number, rest: string): void {
  expect(err.where).toBe(`${join(dir, 'site.yaml')}:${line}`);
  expect(err.message).toBe(`${join(dir, 'site.yaml')}:${line}: ${rest}`);
}

describe('loadSite', () => {
  it('loads a valid site: map, dock, destinations with hours, landmarks, zones', async () => {
    dir = await writeSite();
    const site = await loadSite(dir);
    expect(site).toMatchObject({ id: 'test-room', name: 'Test room', timezone: 'Europe/Helsinki', dir });
    expect([site.map.width, site.map.height, site.map.resolution]).toEqual([200, 120, 0.05]);
    expect(site.dock).toEqual({ x: 1, y: 1, yaw: 0 });
    expect(site.destinations.map((d) => d.id)).toEqual(['kela', 'library']);
    const kela = site.destinations[0]!;
    expect(kela.name).toEqual({ fi: 'Kela', sv: 'FPA', en: 'Kela' });
    expect(kela.aliases.en).toEqual(['social insurance']);
    expect(kela.hours).toEqual({ mon: [{ open: 540, close: 960 }], sat: [] });
    expect(kela.description).toBeUndefined();
    expect(site.destinations[1]!.hours).toBeUndefined();
    expect(site.destinations[1]!.description?.sv).toBe('Bibliotek.');
    expect(site.landmarks).toEqual([
      { id: 'screen', name: { fi: 'näyttö', sv: 'skärm', en: 'screen' }, position: { x: 2, y: 5 } },
    ]);
    expect(site.zones[0]).toMatchObject({ id: 'slow-corner', kind: 'slow', maxSpeed: 0.5 });
    expect(site.zones[0]!.polygon).toHaveLength(3);
  });

  it('reads an optional help_desk, and has none without it', async () => {
    dir = await writeSite();
    expect((await loadSite(dir)).helpDesk).toBeUndefined();
    dir = await writeSite({
      'site.yaml': ROOM_SITE_YAML.replace('destinations:', 'help_desk: library\ndestinations:'),
    });
    expect((await loadSite(dir)).helpDesk).toBe('library');
  });

  it('refuses a help_desk that names no destination, at its line', async () => {
    const text = ROOM_SITE_YAML.replace('destinations:', 'help_desk: libary\ndestinations:');
    const e = await failure(text);
    expect(e.code).toBe('FIELD_VALUE');
    expectAt(
      e,
      lineOf(text, 'help_desk'),
      'help_desk: expected the id of a destination (kela, library), found "libary"',
    );
    const notAnId = ROOM_SITE_YAML.replace('destinations:', 'help_desk: Service Point\ndestinations:');
    expect((await failure(notAnId)).message).toMatch(/help_desk: expected a lower-case kebab-case id/);
  });

  it('says where a pose coordinate is not a number', async () => {
    const text = ROOM_SITE_YAML.replace('pose: { x: 5.0,', 'pose: { x: "abc",');
    const e = await failure(text);
    expect(e.code).toBe('FIELD_TYPE');
    expectAt(e, lineOf(text, 'x: "abc"'), 'destinations[1].pose.x: expected a number, found "abc"');
  });

  it('rejects unknown keys, suggesting the likely one', async () => {
    const text = ROOM_SITE_YAML.replace('    organisation: Kela', '    organization: Kela');
    const e = await failure(text);
    expect(e.code).toBe('FIELD_UNKNOWN');
    expect(e.message).toMatch(
      /destinations\[0\]\.organization: unknown field \(did you mean "organisation"\?\)/,
    );
    expect(e.where).toBe(`${join(dir, 'site.yaml')}:${lineOf(text, 'organization')}`);
  });

  it('rejects an unknown top-level key', async () => {
    const text = ROOM_SITE_YAML + 'landmark: []\n';
    const e = await failure(text);
    expectAt(
      e,
      lineOf(text, 'landmark: []'),
      'landmark: unknown field (did you mean "landmarks"?); expected one of id, name, map, timezone, dock, destinations, hours, landmarks, zones, help_desk, elsewhere or allow_files_outside_site',
    );
  });

  it('requires every language in a name', async () => {
    const text = ROOM_SITE_YAML.replace(
      'name: { fi: Kela, sv: FPA, en: Kela }',
      'name: { fi: Kela, en: Kela }',
    );
    const e = await failure(text);
    expect(e.code).toBe('LANGUAGE_MISSING');
    expectAt(
      e,
      lineOf(text, 'name: { fi: Kela, en'),
      'destinations[0].name.sv: missing; every name needs fi, sv and en',
    );
  });

  it('requires at least one alias per language', async () => {
    const text = ROOM_SITE_YAML.replace('      sv: [fpa]', '      sv: []');
    const e = await failure(text);
    expect(e.code).toBe('LANGUAGE_MISSING');
    expectAt(
      e,
      lineOf(text, 'sv: []'),
      'destinations[0].aliases.sv: expected at least one alias, found an empty list',
    );
  });

  it('rejects an alias that is not a string', async () => {
    const text = ROOM_SITE_YAML.replace('en: [library, books]', 'en: [library, { x: 1 }]');
    const e = await failure(text);
    expectAt(
      e,
      lineOf(text, 'en: [library, {'),
      'destinations[1].aliases.en[1]: expected a string, found a mapping',
    );
  });

  it('names a missing required field at its entry', async () => {
    const text = ROOM_SITE_YAML.replace('    organisation: City of Espoo\n', '');
    const e = await failure(text);
    expect(e.code).toBe('FIELD_MISSING');
    expectAt(e, lineOf(text, '- id: library'), 'destinations[1].organisation: required field missing');
  });

  it('rejects malformed opening hours', async () => {
    const text = ROOM_SITE_YAML.replace('mon: 09:00-16:00', 'mon: 9-16');
    const e = await failure(text);
    expect(e.code).toBe('HOURS_INVALID');
    expectAt(
      e,
      lineOf(text, 'mon: 9-16'),
      'destinations[0].hours.mon: expected "HH:MM-HH:MM" (comma-separated) or "closed", found "9-16"',
    );
  });

  it('rejects hours written as a number', async () => {
    const text = ROOM_SITE_YAML.replace('mon: 09:00-16:00', 'mon: 9');
    expectAt(
      await failure(text),
      lineOf(text, 'mon: 9'),
      'destinations[0].hours.mon: expected "HH:MM-HH:MM" (comma-separated) or "closed", found 9',
    );
  });

  it('rejects closing before opening and an unknown weekday', async () => {
    const backwards = ROOM_SITE_YAML.replace('mon: 09:00-16:00', 'mon: 16:00-09:00');
    expect((await failure(backwards)).message).toMatch(/hours\.mon: expected opening before closing/);
    await removeSite(dir);
    const text = ROOM_SITE_YAML.replace('sat: closed', 'saturday: closed');
    const e = await failure(text);
    expect(e.code).toBe('FIELD_UNKNOWN');
    expect(e.message).toMatch(
      /destinations\[0\]\.hours\.saturday: unknown field; expected one of mon, tue, wed, thu, fri, sat or sun$/,
    );
  });

  it('rejects duplicate ids and says where the first one is', async () => {
    const text = ROOM_SITE_YAML.replace('- id: library', '- id: kela');
    const e = await failure(text);
    expect(e.code).toBe('ID_DUPLICATE');
    expectAt(
      e,
      lineOf(text, '- id: kela', 1),
      `destinations[1].id: "kela" is already used at ${join(dir, 'site.yaml')}:${lineOf(text, '- id: kela')}`,
    );
  });

  it('rejects ids that are not kebab-case', async () => {
    const text = ROOM_SITE_YAML.replace('- id: library', '- id: Main Library');
    const e = await failure(text);
    expectAt(
      e,
      lineOf(text, 'Main Library'),
      'destinations[1].id: expected a lower-case kebab-case id like "health-station", found "Main Library"',
    );
  });

  it('rejects an unknown time zone', async () => {
    const text = ROOM_SITE_YAML.replace('Europe/Helsinki', 'Finland/Espoo');
    const e = await failure(text);
    expect(e.code).toBe('TIMEZONE_INVALID');
    expectAt(e, 4, 'timezone: expected an IANA time zone like "Europe/Helsinki", found "Finland/Espoo"');
  });

  it('rejects zones that are not simple polygons or lack a speed', async () => {
    const crossing = ROOM_SITE_YAML.replace(
      'polygon: [[0.5, 0.5], [2.0, 0.5], [2.0, 2.0]]',
      'polygon: [[0, 0], [2, 2], [2, 0], [0, 2]]',
    );
    const e = await failure(crossing);
    expect(e.code).toBe('ZONE_INVALID');
    expectAt(
      e,
      lineOf(crossing, 'polygon:'),
      'zones[0].polygon: edges 0-1 and 2-3 cross (expected a simple polygon)',
    );
    await removeSite(dir);
    const noSpeed = ROOM_SITE_YAML.replace('    max_speed: 0.5\n', '');
    const e2 = await failure(noSpeed);
    expectAt(e2, lineOf(noSpeed, '- id: slow-corner'), 'zones[0].max_speed: required for a slow zone (m/s)');
    await removeSite(dir);
    const badKind = ROOM_SITE_YAML.replace('kind: slow', 'kind: nogo');
    expect((await failure(badKind)).message).toMatch(
      /zones\[0\]\.kind: expected one of slow or no_go, found "nogo"$/,
    );
  });

  it('rejects a polygon corner that is not [x, y]', async () => {
    const text = ROOM_SITE_YAML.replace('[2.0, 0.5],', '[2.0],');
    const e = await failure(text);
    expectAt(e, lineOf(text, 'polygon:'), 'zones[0].polygon[1]: expected a corner [x, y], found 1 numbers');
  });

  it('reports YAML syntax errors with their line', async () => {
    const text = ROOM_SITE_YAML.replace(
      'dock: { x: 1.0, y: 1.0, yaw: 0.0 }',
      'dock: { x: 1.0, y: 1.0, yaw: 0.0',
    );
    const e = await failure(text);
    expect(e.code).toBe('YAML_SYNTAX');
    expect(e.message).toMatch(new RegExp(`^${escape(join(dir, 'site.yaml'))}:\\d+: YAML syntax: `));
  });

  it('rejects a pose without yaw, and a yaw beyond a full turn', async () => {
    const text = ROOM_SITE_YAML.replace('dock: { x: 1.0, y: 1.0, yaw: 0.0 }', 'dock: { x: 1.0, y: 1.0 }');
    expectAt(await failure(text), 5, 'dock.yaw: required field missing');
    await removeSite(dir);
    const degrees = ROOM_SITE_YAML.replace('yaw: 1.57 }', 'yaw: 90 }');
    expectAt(
      await failure(degrees),
      lineOf(degrees, 'yaw: 90'),
      'destinations[0].pose.yaw: expected ≤ 6.283185307179586, found 90',
    );
  });

  it('names a missing site.yaml, and a missing map YAML at the line that names it', async () => {
    dir = await writeSite({}, ['site.yaml']);
    await expect(loadSite(dir)).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
      where: join(dir, 'site.yaml'),
    });
    await removeSite(dir);
    dir = await writeSite({}, ['room.yaml']);
    await expect(loadSite(dir)).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
      where: `${join(dir, 'site.yaml')}:3`,
    });
  });
});

describe('placeProblem', () => {
  it('says why a point cannot hold the robot, from a lookup', async () => {
    dir = await writeSite();
    const { map } = await loadSite(dir);
    const zones = [
      {
        id: 'staff',
        kind: 'no_go' as const,
        polygon: [
          { x: 2, y: 2 },
          { x: 3, y: 2 },
          { x: 3, y: 3 },
        ],
      },
    ];
    expect(placeProblem(map, zones, { x: 1, y: 1 })).toBeUndefined();
    expect(placeProblem(map, zones, { x: -1, y: 1 })).toEqual({
      code: 'POSE_OUTSIDE_MAP',
      what: 'is outside the map x 0.00..10.00, y 0.00..6.00 m',
    });
    expect(placeProblem(map, zones, { x: 6, y: 1 })?.what).toBe(
      'is on an occupied cell (a wall); expected a free cell',
    );
    expect(placeProblem(map, zones, { x: 2.9, y: 2.1 })?.what).toBe(
      'is inside the no_go zone "staff"; expected a free cell',
    );
  });
});

describe('loadSite, given a careless or hostile site', () => {
  it('reports every problem in site.yaml at once, the first as the code', async () => {
    const text = ROOM_SITE_YAML.replace('id: test-room', 'id: Test Room')
      .replace('Europe/Helsinki', 'Mars/Olympus')
      .replace('pose: { x: 5.0,', 'pose: { x: "abc",');
    const e = await failure(text);
    expect(e.code).toBe('FIELD_VALUE');
    const file = join(dir, 'site.yaml');
    expect(e.message.split('\n')).toEqual([
      `${file}:1: id: expected a lower-case kebab-case id like "health-station", found "Test Room"`,
      `${file}:4: timezone: expected an IANA time zone like "Europe/Helsinki", found "Mars/Olympus"`,
      `${file}:${lineOf(text, 'x: "abc"')}: destinations[1].pose.x: expected a number, found "abc"`,
    ]);
    expect(e.others).toHaveLength(2);
  });

  it('catches a dock outside the map or in a wall when loading, at its line', async () => {
    const outside = ROOM_SITE_YAML.replace(
      'dock: { x: 1.0, y: 1.0, yaw: 0.0 }',
      'dock: { x: 500, y: 1.0, yaw: 0.0 }',
    );
    expectAt(
      await failure(outside),
      5,
      'dock (500.00, 1.00) is outside the map x 0.00..10.00, y 0.00..6.00 m',
    );
    await removeSite(dir);
    const wall = ROOM_SITE_YAML.replace(
      'pose: { x: 5.0, y: 4.5, yaw: 0.0 }',
      'pose: { x: 6.0, y: 4.5, yaw: 0.0 }',
    );
    const e = await failure(wall);
    expect(e.code).toBe('POSE_IN_OBSTACLE');
    expectAt(
      e,
      lineOf(wall, '- id: library'),
      'destination "library": pose (6.00, 4.50) is on an occupied cell (a wall); expected a free cell',
    );
  });

  it('reads no file outside the site folder, naming the line and the path', async () => {
    const text = ROOM_SITE_YAML.replace('map: room.yaml', 'map: ../../../../etc/passwd');
    const e = await failure(text);
    expect(e.code).toBe('PATH_OUTSIDE_SITE');
    expectAt(
      e,
      3,
      `map: "../../../../etc/passwd" points outside the site folder ${dir}; expected a file inside it ` +
        '(or a folder listed under allow_files_outside_site, docs/site-format.md)',
    );
    expect(e.message).not.toContain('root:');
  });

  it('refuses a link that leads outside the site, and a map image that is a device', async () => {
    dir = await writeSite({}, ['room.pgm']);
    await symlink('/dev/zero', join(dir, 'room.pgm'));
    await expect(loadSite(dir)).rejects.toMatchObject({
      code: 'PATH_OUTSIDE_SITE',
      where: `${join(dir, 'room.yaml')}:1`,
      message: expect.stringContaining('image: "room.pgm" is a link to /dev/zero, outside the site folder'),
    });
  });

  it('reads a shared map from a folder the site allows by name, and only from there', async () => {
    dir = await writeSite({}, ['room.yaml', 'room.pgm']);
    await mkdir(join(dir, 'site'));
    await mkdir(join(dir, 'common-maps'));
    await writeFile(join(dir, 'common-maps', 'room.yaml'), ROOM_MAP_YAML);
    await writeFile(join(dir, 'common-maps', 'room.pgm'), roomPgm());
    const site = join(dir, 'site');
    const yaml = ROOM_SITE_YAML.replace('map: room.yaml', 'map: ../common-maps/room.yaml');
    await writeFile(join(site, 'site.yaml'), yaml);
    await expect(loadSite(site)).rejects.toMatchObject({ code: 'PATH_OUTSIDE_SITE' });
    await writeFile(join(site, 'site.yaml'), `${yaml}allow_files_outside_site: [../common-maps]\n`);
    expect((await loadSite(site)).map.width).toBe(200);
    await writeFile(join(site, 'site.yaml'), `${yaml}allow_files_outside_site: [/]\n`);
    await expect(loadSite(site)).rejects.toThrow(
      /allow_files_outside_site\[0\]: expected the folder that holds the shared files, found "\/", the whole file system\n.*map: "\.\.\/common-maps\/room\.yaml" points outside/,
    );
  });

  it('says an alias is not allowed, showing it as the user wrote it', async () => {
    const text = ROOM_SITE_YAML.replace('name: Test room', 'name: &n Test room').replace(
      'organisation: Kela',
      'organisation: *n',
    );
    const e = await failure(text);
    expect(e.code).toBe('YAML_ALIAS');
    expectAt(
      e,
      lineOf(text, '*n'),
      'destinations[0].organisation: expected a string, found the alias *n (YAML aliases are not allowed in site files; write the value out)',
    );
  });

  it('bounds every string and shows control characters instead of sending them to the terminal', async () => {
    const long = 'x'.repeat(LIMITS.nameChars.value + 1);
    const e = await failure(ROOM_SITE_YAML.replace('organisation: Kela', `organisation: ${long}`));
    expect(e.code).toBe('BEYOND_LIMIT');
    expect(e.message).toMatch(
      /destinations\[0\]\.organisation: expected at most 200 characters \(nameChars in docs\/limits\.md\), found 201 characters: "x{79}…"$/,
    );
    await removeSite(dir);
    const escape = await failure(ROOM_SITE_YAML.replace('name: Test room', 'name: "Test\\e[2Jroom"'));
    expect(escape.code).toBe('TEXT_CONTROL');
    expect(escape.message).toMatch(
      /name: expected one line of text without control characters, found "Test\\x1b\[2Jroom"$/,
    );
    expect(escape.message).not.toContain('\u001b');
  });

  it('bounds lists and the corners of all zones together', async () => {
    const aliases = Array.from({ length: LIMITS.siteListItems.value + 1 }, (_, i) => `a${i}`).join(', ');
    const e = await failure(ROOM_SITE_YAML.replace('en: [library, books]', `en: [${aliases}]`));
    expect(e.message).toMatch(
      /destinations\[1\]\.aliases\.en: expected at most 1000 items \(siteListItems in docs\/limits\.md\), found 1001$/,
    );
    await removeSite(dir);
    const corners = Array.from({ length: 600 }, (_, i) => {
      const a = (2 * Math.PI * i) / 600;
      return `[${(5 + Math.cos(a)).toFixed(4)}, ${(3 + Math.sin(a)).toFixed(4)}]`;
    }).join(', ');
    const zone = (id: string): string => `  - id: ${id}\n    kind: no_go\n    polygon: [${corners}]\n`;
    const two = await failure(ROOM_SITE_YAML.replace('zones:\n', `zones:\n${zone('a')}${zone('b')}`));
    expect(two.code).toBe('BEYOND_LIMIT');
    expect(two.message).toMatch(
      /zones\[1\]\.polygon: expected at most 1000 corners \(zoneCorners in docs\/limits\.md\) for all zones together, found 1200 by this zone$/,
    );
  });

  it('finds a repeated key in linear time and names both lines', async () => {
    const text = ROOM_SITE_YAML.replace('name: Test room\n', 'name: Test room\nname: Other\n');
    expectAt(
      await failure(text),
      3,
      `name: given twice (first at ${join(dir, 'site.yaml')}:2); expected each field once`,
    );
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
