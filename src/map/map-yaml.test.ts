import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MapError } from './errors.js';
import { CELL_FREE, CELL_OCCUPIED, CELL_UNKNOWN } from './grid-map.js';
import { imageToGrid, loadMap, parseMapYaml, sampleToCell, type MapYaml } from './map-yaml.js';
import { decodePgm, encodePgm } from './pgm.js';
import { ROOM_MAP_YAML, removeSite, writeSite } from './test-helpers.js';

const VALID = `image: floor.pgm
resolution: 0.05
origin: [-10.0, -5.5, 0.0]
negate: 0
occupied_thresh: 0.65
free_thresh: 0.196
`;

function failure(text: string): MapError {
  try {
    parseMapYaml(text, 'maps/x/floor.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(MapError);
    return err as MapError;
  }
  throw new Error('expected parseMapYaml to throw');
}

describe('parseMapYaml', () => {
  it('reads every field, defaulting mode to trinary and resolving the image beside the YAML', () => {
    const meta = parseMapYaml(VALID, 'maps/x/floor.yaml');
    expect(meta).toMatchObject({
      image: 'floor.pgm',
      imagePath: 'maps/x/floor.pgm',
      resolution: 0.05,
      origin: [-10, -5.5, 0],
      negate: false,
      occupied_thresh: 0.65,
      free_thresh: 0.196,
      mode: 'trinary',
      imageWhere: 'maps/x/floor.yaml:1',
    });
  });

  it('accepts negate as true/false or 1/0, every mode, and an absolute image path', () => {
    const meta = parseMapYaml(
      VALID.replace('negate: 0', 'negate: true').replace('floor.pgm', '/srv/maps/floor.pgm') +
        'mode: scale\n',
      'maps/x/floor.yaml',
    );
    expect(meta.negate).toBe(true);
    expect(meta.mode).toBe('scale');
    expect(meta.imagePath).toBe('/srv/maps/floor.pgm');
    expect(parseMapYaml(VALID.replace('negate: 0', 'negate: 1') + 'mode: raw\n', 'f.yaml').negate).toBe(true);
  });

  it('names the line and field of a missing field', () => {
    const e = failure(VALID.replace('resolution: 0.05\n', ''));
    expect(e.code).toBe('FIELD_MISSING');
    expect(e.message).toBe('maps/x/floor.yaml:1: resolution: required field missing');
  });

  it('rejects a typo instead of ignoring it', () => {
    const e = failure(VALID.replace('occupied_thresh', 'occupied_tresh'));
    expect(e.code).toBe('FIELD_UNKNOWN');
    expect(e.message).toMatch(
      /^maps\/x\/floor\.yaml:5: occupied_tresh: unknown field \(did you mean "occupied_thresh"\?\)/,
    );
  });

  it('rejects a resolution that is not a positive number', () => {
    expect(failure(VALID.replace('0.05', '"fine"')).message).toBe(
      'maps/x/floor.yaml:2: resolution: expected a number, found "fine"',
    );
    expect(failure(VALID.replace('0.05', '-0.05')).message).toBe(
      'maps/x/floor.yaml:2: resolution: expected 0.01..1 m/cell (mapResolutionMin..mapResolutionMax in docs/limits.md), found -0.05',
    );
  });

  it('rejects an origin without three numbers', () => {
    expect(failure(VALID.replace('[-10.0, -5.5, 0.0]', '[-10.0, -5.5]')).message).toBe(
      'maps/x/floor.yaml:3: origin: expected 3 numbers [x, y, yaw], found 2 items',
    );
    expect(failure(VALID.replace('-5.5', 'south')).message).toBe(
      'maps/x/floor.yaml:3: origin[1]: expected a number, found "south"',
    );
  });

  it('refuses a rotated origin rather than misplacing every desk', () => {
    const e = failure(VALID.replace('0.0]', '0.3]'));
    expect(e.code).toBe('ORIGIN_YAW_UNSUPPORTED');
    expect(e.where).toBe('maps/x/floor.yaml:3');
  });

  it('rejects negate 2, thresholds out of order or range, and an unknown mode', () => {
    expect(failure(VALID.replace('negate: 0', 'negate: 2')).message).toBe(
      'maps/x/floor.yaml:4: negate: expected 0, 1, true or false, found 2',
    );
    expect(failure(VALID.replace('free_thresh: 0.196', 'free_thresh: 0.7')).message).toBe(
      'maps/x/floor.yaml:6: free_thresh: expected less than occupied_thresh (0.65), found 0.7',
    );
    expect(failure(VALID.replace('occupied_thresh: 0.65', 'occupied_thresh: 65')).message).toBe(
      'maps/x/floor.yaml:5: occupied_thresh: expected ≤ 1, found 65',
    );
    expect(failure(VALID + 'mode: ternary\n').message).toBe(
      'maps/x/floor.yaml:7: mode: expected one of trinary, scale or raw, found "ternary"',
    );
  });

  it('accepts only PGM images', () => {
    const e = failure(VALID.replace('floor.pgm', 'floor.png'));
    expect(e.code).toBe('IMAGE_FORMAT');
    expect(e.where).toBe('maps/x/floor.yaml:1');
  });

  it('reports YAML syntax errors and duplicate keys with their line', () => {
    const e = failure(VALID.replace('origin: [-10.0, -5.5, 0.0]', 'origin: [-10.0, -5.5, 0.0'));
    expect(e.code).toBe('YAML_SYNTAX');
    expect(e.message).toMatch(/^maps\/x\/floor\.yaml:\d+: YAML syntax: /);
    const dup = failure(VALID + 'resolution: 0.1\n');
    expect(dup.code).toBe('FIELD_DUPLICATE');
    expect(dup.message).toBe(
      'maps/x/floor.yaml:7: resolution: given twice (first at maps/x/floor.yaml:2); expected each field once',
    );
  });

  it('checks map geometry against docs/limits.md before anything is allocated', () => {
    expect(failure(VALID.replace('0.05', '1.5e-5')).message).toBe(
      'maps/x/floor.yaml:2: resolution: expected 0.01..1 m/cell (mapResolutionMin..mapResolutionMax in docs/limits.md), found 0.000015',
    );
    expect(failure(VALID.replace('0.05', '2')).code).toBe('BEYOND_LIMIT');
    expect(failure(VALID.replace('[-10.0, -5.5, 0.0]', '[-10.0, 1e21, 0.0]')).message).toBe(
      'maps/x/floor.yaml:3: origin[1]: expected -10000..10000 m (mapCoordinateM in docs/limits.md), found 1e+21',
    );
    expect(failure(VALID.replace('[-10.0, -5.5, 0.0]', '[.nan, 0, 0]')).message).toBe(
      'maps/x/floor.yaml:3: origin[0]: expected a finite number, found NaN',
    );
  });

  it('says an alias is not allowed, showing it as written', () => {
    const e = failure(VALID.replace('resolution: 0.05', 'resolution: *res'));
    expect(e.code).toBe('YAML_ALIAS');
    expect(e.message).toBe(
      'maps/x/floor.yaml:2: resolution: expected a number, found the alias *res (YAML aliases are not allowed in site files; write the value out)',
    );
  });

  it('rejects a document that is not a mapping', () => {
    expect(failure('- image: floor.pgm\n').message).toBe(
      'maps/x/floor.yaml:1: top level: expected a mapping, found a list',
    );
  });
});

const trinary: Pick<MapYaml, 'negate' | 'mode' | 'occupied_thresh' | 'free_thresh'> = {
  negate: false,
  mode: 'trinary',
  occupied_thresh: 0.65,
  free_thresh: 0.196,
};

describe('sampleToCell (as nav2_map_server computes it)', () => {
  it('trinary: dark is occupied, light is free, map_saver grey 205 is unknown', () => {
    expect(sampleToCell(0, 255, trinary)).toBe(CELL_OCCUPIED);
    expect(sampleToCell(254, 255, trinary)).toBe(CELL_FREE);
    expect(sampleToCell(255, 255, trinary)).toBe(CELL_FREE);
    expect(sampleToCell(205, 255, trinary)).toBe(CELL_UNKNOWN);
    // occ = 1 − 89/255 = 0.651 > 0.65: occupied; 90 gives 0.647: unknown.
    expect(sampleToCell(89, 255, trinary)).toBe(CELL_OCCUPIED);
    expect(sampleToCell(90, 255, trinary)).toBe(CELL_UNKNOWN);
  });

  it('thresholds are strict: occupancy equal to a threshold is unknown', () => {
    const p = { ...trinary, occupied_thresh: 0.75, free_thresh: 0.25 };
    // maxval 4 makes occupancy exactly 0.25 and 0.75 (binary fractions, no rounding).
    expect(sampleToCell(3, 4, p)).toBe(CELL_UNKNOWN);
    expect(sampleToCell(1, 4, p)).toBe(CELL_UNKNOWN);
    expect(sampleToCell(4, 4, p)).toBe(CELL_FREE);
    expect(sampleToCell(0, 4, p)).toBe(CELL_OCCUPIED);
  });

  it('negate swaps black and white', () => {
    const p = { ...trinary, negate: true };
    expect(sampleToCell(0, 255, p)).toBe(CELL_FREE);
    expect(sampleToCell(255, 255, p)).toBe(CELL_OCCUPIED);
  });

  it('scale maps the band between the thresholds linearly onto 0..100 (rint)', () => {
    const p = { ...trinary, mode: 'scale' as const, occupied_thresh: 0.75, free_thresh: 0.25 };
    expect(sampleToCell(0, 100, p)).toBe(CELL_OCCUPIED);
    expect(sampleToCell(100, 100, p)).toBe(CELL_FREE);
    expect(sampleToCell(50, 100, p)).toBe(50); // occ 0.5
    expect(sampleToCell(40, 100, p)).toBe(70); // occ 0.6 → 0.35/0.5
    expect(sampleToCell(74, 100, p)).toBe(2); // occ 0.26 → 2
  });

  it('raw keeps the value when it is 0..100, otherwise unknown, and ignores negate', () => {
    const p = { ...trinary, mode: 'raw' as const };
    expect(sampleToCell(0, 255, p)).toBe(0);
    expect(sampleToCell(42, 255, p)).toBe(42);
    expect(sampleToCell(100, 255, p)).toBe(100);
    expect(sampleToCell(101, 255, p)).toBe(CELL_UNKNOWN);
    expect(sampleToCell(42, 255, { ...p, negate: true })).toBe(42);
    expect(sampleToCell(42 * 257, 65535, p)).toBe(42);
  });
});

describe('imageToGrid', () => {
  it("puts the image's top row at the grid's last row and keeps origin and resolution", () => {
    // Top row: occupied, free; bottom row: free, unknown.
    const image = decodePgm(
      encodePgm({ width: 2, height: 2, maxval: 255, samples: [0, 254, 254, 205] }),
      'a.pgm',
    );
    const meta = parseMapYaml(VALID, 'floor.yaml');
    const grid = imageToGrid(image, meta);
    expect(grid.width).toBe(2);
    expect(grid.height).toBe(2);
    expect(grid.resolution).toBe(0.05);
    expect([grid.originX, grid.originY]).toEqual([-10, -5.5]);
    expect(grid.valueAt(0, 0)).toBe(CELL_FREE);
    expect(grid.valueAt(1, 0)).toBe(CELL_UNKNOWN);
    expect(grid.valueAt(0, 1)).toBe(CELL_OCCUPIED);
    expect(grid.valueAt(1, 1)).toBe(CELL_FREE);
    // World point in the top-left cell.
    expect(grid.isFreeAt(-9.99, -5.41)).toBe(false);
  });
});

describe('loadMap', () => {
  let dir = '';
  afterEach(async () => removeSite(dir));

  it('loads the YAML and its PGM from disk', async () => {
    dir = await writeSite();
    const { grid, meta } = await loadMap(join(dir, 'room.yaml'));
    expect(meta.imagePath).toBe(join(dir, 'room.pgm'));
    expect([grid.width, grid.height]).toEqual([200, 120]);
    expect(grid.isFreeAt(1, 1)).toBe(true);
    expect(grid.isFreeAt(6, 3)).toBe(false);
  });

  it('says which YAML line names a missing image', async () => {
    dir = await writeSite({}, ['room.pgm']);
    await expect(loadMap(join(dir, 'room.yaml'))).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
      where: `${join(dir, 'room.yaml')}:1`,
    });
  });

  it('passes PGM errors through with the image file and byte', async () => {
    dir = await writeSite({ 'room.pgm': 'P5 200 120 255\n' });
    await expect(loadMap(join(dir, 'room.yaml'))).rejects.toThrow(
      `${join(dir, 'room.pgm')} (byte 15): raster is truncated`,
    );
  });

  it('names a missing YAML', async () => {
    dir = await writeSite({ 'room.yaml': ROOM_MAP_YAML });
    await writeFile(join(dir, 'other.txt'), '');
    await expect(loadMap(join(dir, 'nope.yaml'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});
