/** The sample site shipped in maps/iso-omena: it loads, checks clean, and is what the issue asks for. */
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderIsoOmena } from '../../scripts/generate-iso-omena.js';
import { checkSite } from './check.js';
import { CELL_FREE } from './grid-map.js';
import { isOpen } from './hours.js';
import { loadSite } from './site.js';
import { LANGUAGES, type Site } from './types.js';

const SITE_DIR = fileURLToPath(new URL('../../maps/iso-omena', import.meta.url));

let site: Site;
beforeAll(async () => {
  site = await loadSite(SITE_DIR);
});

const byId = (id: string) => site.destinations.find((d) => d.id === id)!;

describe('maps/iso-omena', () => {
  it('passes map check with no errors and no warnings', async () => {
    expect(await checkSite(SITE_DIR)).toEqual([]);
  });

  it('is a 98 m × 50 m floor at 0.05 m/cell in a P5 PGM under 2,000,000 bytes', async () => {
    expect([site.map.width, site.map.height, site.map.resolution]).toEqual([1960, 1000, 0.05]);
    const pgm = `${SITE_DIR}/iso-omena.pgm`;
    expect((await stat(pgm)).size).toBeLessThan(2_000_000);
    expect((await readFile(pgm)).subarray(0, 2).toString('latin1')).toBe('P5');
  });

  it('is exactly what scripts/generate-iso-omena.ts draws', async () => {
    const { pgm, yaml } = renderIsoOmena();
    expect(Buffer.compare(Buffer.from(pgm), await readFile(`${SITE_DIR}/iso-omena.pgm`))).toBe(0);
    expect(yaml).toBe(await readFile(`${SITE_DIR}/iso-omena.yaml`, 'utf8'));
  });

  it('has every unit of the service centre, named and aliased in fi, sv and en', () => {
    const ids = site.destinations.map((d) => d.id);
    expect(ids.length).toBeGreaterThanOrEqual(16);
    expect(ids).toEqual(
      expect.arrayContaining([
        'library',
        'service-point',
        'kela',
        'neuvola',
        'health-station',
        'mental-health',
        'huslab',
        'hus-imaging',
        'employment',
        'ohjaamo',
        'espoon-asunnot',
        'kohtaamo',
        'group-rooms',
        'toilets',
        'lifts',
        'metro',
      ]),
    );
    for (const d of site.destinations) {
      for (const lang of LANGUAGES) {
        expect(d.name[lang].length, `${d.id} name.${lang}`).toBeGreaterThan(0);
        expect(d.aliases[lang].length, `${d.id} aliases.${lang}`).toBeGreaterThan(0);
        expect(d.description?.[lang].length, `${d.id} description.${lang}`).toBeGreaterThan(0);
      }
    }
    expect(byId('kela').name.sv).toBe('FPA');
    expect(byId('huslab').name.fi).toBe('HUSLAB-laboratorio');
  });

  it('knows the words customers actually use', () => {
    const owner = (word: string): string[] =>
      site.destinations
        .filter((d) =>
          LANGUAGES.some((l) => d.aliases[l].some((a) => a.toLowerCase() === word.toLowerCase())),
        )
        .map((d) => d.id);
    const expected: Record<string, string> = {
      FPA: 'kela',
      kela: 'kela',
      'KELA toimisto': 'kela',
      verikoe: 'huslab',
      'blood test': 'huslab',
      laboratorio: 'huslab',
      labra: 'huslab',
      röntgen: 'hus-imaging',
      'x-ray': 'hus-imaging',
      neuvola: 'neuvola',
      'te-palvelut': 'employment',
      työkkäri: 'employment',
      'TE-byrån': 'employment',
      vessa: 'toilets',
      toalett: 'toilets',
      wc: 'toilets',
      hissi: 'lifts',
      metro: 'metro',
    };
    for (const [word, id] of Object.entries(expected)) expect(owner(word), word).toEqual([id]);
  });

  it('has sample opening hours, with Kela closed at weekends and lifts always open', () => {
    expect(isOpen(byId('kela').hours, 'mon', 9 * 60)).toBe(true);
    expect(isOpen(byId('kela').hours, 'sat', 12 * 60)).toBe(false);
    expect(isOpen(byId('kela').hours, 'sun', 12 * 60)).toBe(false);
    expect(isOpen(byId('library').hours, 'sun', 12 * 60)).toBe(true);
    expect(isOpen(byId('library').hours, 'tue', 19 * 60 + 30)).toBe(true);
    expect(isOpen(byId('health-station').hours, 'wed', 16 * 60)).toBe(false);
    for (const id of ['lifts', 'toilets', 'metro']) expect(byId(id).hours, id).toBeUndefined();
  });

  it('has one slow zone at 0.5 m/s and one no-go zone', () => {
    expect(site.zones.map((z) => [z.kind, z.maxSpeed])).toEqual([
      ['slow', 0.5],
      ['no_go', undefined],
    ]);
  });

  it('docks facing into the floor and stops each escort facing the desk', () => {
    const clearAhead = (x: number, y: number, yaw: number, m: number): boolean => {
      for (let d = 0; d <= m; d += 0.05) {
        if (
          site.map.valueAt(site.map.col(x + d * Math.cos(yaw)), site.map.row(y + d * Math.sin(yaw))) !==
          CELL_FREE
        ) {
          return false;
        }
      }
      return true;
    };
    expect(clearAhead(site.dock.x, site.dock.y, site.dock.yaw, 3)).toBe(true);
    // Kohtaamo is an open space, not a desk: the robot stops at its door facing in.
    for (const d of site.destinations.filter((x) => x.id !== 'kohtaamo')) {
      expect(clearAhead(d.pose.x, d.pose.y, d.pose.yaw, 1.6), `${d.id} faces its desk within 1.6 m`).toBe(
        false,
      );
      expect(clearAhead(d.pose.x, d.pose.y, d.pose.yaw, 0.6), `${d.id} leaves room before the desk`).toBe(
        true,
      );
    }
  });

  it('spreads the destinations over the floor (longest straight line 70–90 m)', () => {
    let longest = 0;
    for (const a of site.destinations) {
      for (const b of site.destinations)
        longest = Math.max(longest, Math.hypot(a.pose.x - b.pose.x, a.pose.y - b.pose.y));
    }
    expect(longest).toBeGreaterThan(70);
    expect(longest).toBeLessThan(90);
  });
});
