import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, type Language, type Localized } from '../map/index.js';
import {
  DIRECTION_PHRASES,
  DIRECTION_PHRASES_PLAIN,
  DIRECTION_PHRASE_KINDS,
  DIRECTION_PHRASE_VARS,
  sayDirection,
} from './direction-phrases.js';
import {
  describeRoute,
  directionSentences,
  directionsIntro,
  renderDirections,
  saidMetres,
  type DirectionStep,
  type Directions,
  type RoutePlace,
  type XY,
} from './directions.js';
import { InteractionError } from './errors.js';

const STYLES = ['standard', 'plain'] as const;

/** Points every 0.1 m along the corners given. */
function polyline(...corners: XY[]): XY[] {
  const out: XY[] = [corners[0]!];
  for (let i = 1; i < corners.length; i++) {
    const a = corners[i - 1]!;
    const b = corners[i]!;
    const n = Math.max(1, Math.round(Math.hypot(b.x - a.x, b.y - a.y) / 0.1));
    for (let k = 1; k <= n; k++) out.push({ x: a.x + ((b.x - a.x) * k) / n, y: a.y + ((b.y - a.y) * k) / n });
  }
  return out;
}

const named = (en: string): Localized => ({ fi: `fi ${en}`, sv: `sv ${en}`, en });
const place = (id: string, x: number, y: number): RoutePlace => ({ id, name: named(id), position: { x, y } });
const target = (id: string, x: number, y: number) => ({ id, name: named(id), position: { x, y } });

const kinds = (d: Directions) =>
  d.steps.map((s) =>
    s.kind === 'turn' ? `turn:${s.turn}` : s.kind === 'arrive' ? `arrive:${s.side}` : s.kind,
  );
const walks = (d: Directions) =>
  d.steps.filter((s): s is Extract<DirectionStep, { kind: 'walk' }> => s.kind === 'walk');

function thrown(fn: () => unknown): InteractionError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InteractionError);
    return e as InteractionError;
  }
  throw new Error('expected an InteractionError, nothing was thrown');
}

describe('describeRoute on synthetic paths', () => {
  it('an L: straight on, left, straight on, the desk on the right; places passed on their sides only', () => {
    const path = polyline({ x: 0, y: 0 }, { x: 20, y: 0 }, { x: 20, y: 15 });
    const places = [
      place('left-one', 10, 2), // beside the first leg, north = left when walking east
      place('right-one', 8, -3),
      place('far-away', 10, 20), // 20 m off the first leg, 10 m off the second
      place('behind-start', -3, 0), // never passed: behind where the walk starts
      place('second-right', 22.5, 8), // east of the northward leg = right
      place('past-the-end', 20, 19), // beyond the goal
    ];
    const d = describeRoute(path, 0, places, target('desk', 21, 15));
    expect(kinds(d)).toEqual(['start', 'walk', 'turn:left', 'walk', 'arrive:right']);
    const [first, second] = walks(d);
    expect(first!.metres).toBeCloseTo(20, 5);
    expect(second!.metres).toBeCloseTo(15, 5);
    expect(first!.passes.map((p) => [p.id, p.side])).toEqual([
      ['right-one', 'right'],
      ['left-one', 'left'],
    ]);
    expect(second!.passes.map((p) => [p.id, p.side])).toEqual([['second-right', 'right']]);
    expect(d.metres).toBeCloseTo(35, 5);
    const turn = d.steps.find((s) => s.kind === 'turn');
    expect(turn).toMatchObject({ turn: 'left', degrees: 90, at: { x: 20, y: 0 } });
  });

  it('a hairpin (a short leg between two right turns) is one turn around', () => {
    const path = polyline({ x: 0, y: 0 }, { x: 15, y: 0 }, { x: 15, y: -2 }, { x: 0, y: -2 });
    const d = describeRoute(path, 0, [], target('desk', 0, -3));
    expect(kinds(d)).toEqual(['start', 'walk', 'turn:around', 'walk', 'arrive:left']);
  });

  it('a walk starting the wrong way begins by turning around', () => {
    const path = polyline({ x: 0, y: 0 }, { x: -12, y: 0 });
    const d = describeRoute(path, 0, [], target('desk', -13, 0));
    expect(kinds(d)).toEqual(['start', 'turn:around', 'walk', 'arrive:ahead']);
  });

  it('a straight corridor with wiggles round pillars is one walk, with places on both sides', () => {
    const wiggly: XY[] = [];
    for (let i = 0; i <= 400; i++) wiggly.push({ x: i * 0.1, y: 0.3 * Math.sin(i / 7) });
    const places = [place('a', 10, 3), place('b', 20, -2.5), place('c', 30, 1.5)];
    const d = describeRoute(wiggly, 0, places, target('desk', 40, 1.2), { maxPassesPerWalk: 3 });
    expect(kinds(d)).toEqual(['start', 'walk', 'arrive:left']);
    expect(walks(d)[0]!.passes.map((p) => `${p.id}:${p.side}`)).toEqual(['a:left', 'b:right', 'c:left']);
    const en = renderDirections(d, 'en');
    expect(en).toContain('You pass a and c on your left.');
    expect(en).toContain('You pass b on your right.');
  });

  it('many gentle bends that add up to a right angle are said as one turn, not as straight on', () => {
    // 30 m east, then six 15° bends 1 m apart, then 20 m south: 90° right in all.
    const corners: XY[] = [
      { x: 0, y: 0 },
      { x: 30, y: 0 },
    ];
    let h = 0;
    for (let k = 0; k < 6; k++) {
      h -= Math.PI / 12;
      const last = corners[corners.length - 1]!;
      corners.push({ x: last.x + Math.cos(h), y: last.y + Math.sin(h) });
    }
    const last = corners[corners.length - 1]!;
    corners.push({ x: last.x, y: last.y - 20 });
    const d = describeRoute(polyline(...corners), 0, [], target('desk', last.x, last.y - 21));
    expect(kinds(d)).toEqual(['start', 'walk', 'turn:right', 'walk', 'arrive:ahead']);
  });

  it('a bend of 45° is a slight turn, and a walker facing 20° off the first leg is told to bear that way', () => {
    const path = polyline({ x: 0, y: 0 }, { x: 20, y: 0 }, { x: 34, y: 14 });
    const d = describeRoute(path, (20 * Math.PI) / 180, [], target('desk', 35, 15));
    expect(kinds(d)).toEqual([
      'start',
      'turn:slight_right',
      'walk',
      'turn:slight_left',
      'walk',
      'arrive:ahead',
    ]);
    expect(renderDirections(d, 'en', 'plain')).toContain('Go a little to the right.');
  });

  it('a place behind a wall (not in sight from the path) is not passed, however near', () => {
    const path = polyline({ x: 0, y: 0 }, { x: 20, y: 0 });
    // A wall along y = 1 between x = 5 and x = 15: what is north of it cannot be seen.
    const seen = (from: XY, to: XY) => {
      if ((from.y - 1) * (to.y - 1) >= 0) return true;
      const x = from.x + ((to.x - from.x) * (1 - from.y)) / (to.y - from.y);
      return x < 5 || x > 15;
    };
    const places = [place('behind-wall', 10, 2), place('open-side', 10, -2), place('past-wall', 17, 2)];
    const d = describeRoute(path, 0, places, target('t', 21, 0), { seen, maxPassesPerWalk: 3 });
    expect(walks(d)[0]!.passes.map((p) => p.id)).toEqual(['open-side', 'past-wall']);
  });

  it('a place at the corner itself is not "passed" on a side that flips there; one beside a leg end is not either', () => {
    const path = polyline({ x: 0, y: 0 }, { x: 20, y: 0 }, { x: 20, y: 15 });
    const d = describeRoute(
      path,
      0,
      [place('outside-corner', 22, -2), place('at-start', 1, 1)],
      target('t', 21, 15),
    );
    expect(walks(d).flatMap((w) => w.passes)).toEqual([]);
  });
});

describe('describeRoute on bad input', () => {
  const t = target('desk', 1, 0);
  it('an empty path is an error naming the path', () => {
    const e = thrown(() => describeRoute([], 0, [], t));
    expect(e.code).toBe('ROUTE_INVALID');
    expect(e.where).toMatch(/describeRoute path$/);
  });
  it('NaN or missing coordinates are errors naming the point and the field', () => {
    const path = polyline({ x: 0, y: 0 }, { x: 5, y: 0 });
    path[3] = { x: Number.NaN, y: 0 };
    expect(thrown(() => describeRoute(path, 0, [], t)).where).toMatch(/path\[3\]\.x$/);
    const holed = [{ x: 0, y: 0 }, { x: 1 } as XY];
    expect(thrown(() => describeRoute(holed, 0, [], t)).where).toMatch(/path\[1\]\.y$/);
    expect(thrown(() => describeRoute([{ x: 0, y: 0 }, null as unknown as XY], 0, [], t)).where).toMatch(
      /path\[1\]$/,
    );
    expect(
      thrown(() => describeRoute(polyline({ x: 0, y: 0 }, { x: 5, y: 0 }), Number.NaN, [], t)).where,
    ).toMatch(/startYaw$/);
    const badPlace = { id: 'p', name: named('p'), position: { x: 1, y: Infinity } };
    expect(thrown(() => describeRoute([{ x: 0, y: 0 }], 0, [badPlace], t)).where).toMatch(
      /places\[0\]\.position\.y$/,
    );
    expect(thrown(() => describeRoute([{ x: 0, y: 0 }], 0, [], target('d', Number.NaN, 0))).where).toMatch(
      /target\.position\.x$/,
    );
  });
  it('one point, or the same point twice, is just the arrival: the desk is here', () => {
    for (const path of [
      [{ x: 1, y: 0.2 }],
      [
        { x: 1, y: 0.2 },
        { x: 1, y: 0.2 },
      ],
    ]) {
      const d = describeRoute(path, 0, [place('p', 3, 0)], t);
      expect(kinds(d)).toEqual(['arrive:here']);
      expect(d.metres).toBe(0);
      expect(renderDirections(d, 'en')).toBe('You are already there, right here: desk.');
    }
  });
  it('a very long path with many points and places finishes (no quadratic blow-up in the shape)', () => {
    const long: XY[] = [];
    for (let i = 0; i <= 20_000; i++) long.push({ x: i * 0.025, y: 0.05 * Math.sin(i) });
    const places = Array.from({ length: 50 }, (_, i) => place(`p${i}`, i * 10, i % 2 ? 2 : -2));
    const d = describeRoute(long, 0, places, target('end', 501, 0));
    expect(kinds(d)).toEqual(['start', 'walk', 'arrive:ahead']);
  });
});

describe('describeRoute on any route', () => {
  it('always starts, ends with the arrival, walks the whole length and says it in every language', () => {
    const xy = fc.record({
      x: fc.double({ min: -60, max: 60, noNaN: true }),
      y: fc.double({ min: -60, max: 60, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.array(xy, { minLength: 2, maxLength: 8 }),
        fc.double({ min: -4, max: 4, noNaN: true }),
        fc.array(xy, { maxLength: 6 }),
        (corners, yaw, spots) => {
          const path = polyline(...corners);
          const places = spots.map((p, i) => place(`p${i}`, p.x, p.y));
          const end = path[path.length - 1]!;
          const d = describeRoute(path, yaw, places, target('t', end.x + 1, end.y));
          const last = d.steps[d.steps.length - 1]!;
          expect(last.kind).toBe('arrive');
          const walked = walks(d).reduce((sum, w) => sum + w.metres, 0);
          if (last.kind === 'arrive' && last.side !== 'here') {
            expect(d.steps[0]!.kind).toBe('start');
            expect(walked).toBeCloseTo(d.metres, 6);
          }
          for (const w of walks(d)) for (const p of w.passes) expect(p.offset).toBeLessThanOrEqual(5);
          for (const language of LANGUAGES) {
            expect(renderDirections(d, language, 'plain')).not.toMatch(/[{}]|undefined|NaN/);
          }
        },
      ),
      { numRuns: 200, seed: 12 },
    );
  });

  it('an unknown language is an error naming it, not a silent English', () => {
    const d = describeRoute(polyline({ x: 0, y: 0 }, { x: 9, y: 0 }), 0, [], target('t', 10, 0));
    const e = thrown(() => renderDirections(d, 'de' as Language));
    expect(e.code).toBe('PHRASE_UNKNOWN');
    expect(e.where).toMatch(/\.de$/);
  });
});

describe('rendering', () => {
  const path = polyline({ x: 0, y: 0 }, { x: 40, y: 0 }, { x: 40, y: 12 }, { x: 52, y: 24 });
  const places = [place('library', 15, 2.5), place('lifts', 25, -2), place('kiosk', 41.5, 6)];
  const d = describeRoute(path, Math.PI / 2, places, target('kela', 53, 25));

  it('every language and style says every step, with no placeholder left', () => {
    for (const language of LANGUAGES) {
      for (const style of STYLES) {
        const text = `${directionsIntro(d, language, style)} ${renderDirections(d, language, style)}`;
        expect(text, `${language}/${style}`).not.toMatch(/[{}[\]]|undefined|NaN/);
        const sentences = directionSentences(d, language, style);
        // start, turn, walk, pass×(1 or 2), turn, walk, pass, turn, walk, arrive
        expect(sentences.length, `${language}/${style}`).toBeGreaterThanOrEqual(10);
        for (const s of sentences) expect(s, `${language}/${style}`).toMatch(/^\p{Lu}.*[.]$/u);
        expect(text).toContain(language === 'en' ? 'kela' : `${language} kela`);
      }
    }
  });

  it('says the names as the site writes them (no case endings glued on), distances rounded', () => {
    expect(renderDirections(d, 'en')).toBe(
      'Stand next to me, facing the same way as I do. Turn right. Walk straight on for about 40 metres. ' +
        'You pass library on your left. You pass lifts on your right. Turn left. Walk straight on for about 10 metres. ' +
        'You pass kiosk on your right. Bear slightly right. Walk straight on for about 15 metres. ' +
        'There, straight ahead of you: kela.',
    );
    expect(renderDirections(d, 'fi')).toContain('Vasemmalle jää fi library. Oikealle jää fi lifts.');
    expect(renderDirections(d, 'fi', 'plain')).toContain('Olet perillä. Katso eteenpäin: fi kela.');
    // Plain: one place per walk (the nearest), no "about", slight turns in everyday words.
    const plain = renderDirections(d, 'en', 'plain');
    expect(plain).toContain('Walk straight on 40 metres. On the right is lifts. Turn left.');
    expect(plain).not.toContain('library');
    expect(plain).toContain('Go a little to the right.');
  });

  it('rounds distances sensibly and says short walks as steps', () => {
    expect([3, 6.4, 12.4, 12.6, 38, 44, 56, 104].map((m) => saidMetres(m, 'standard'))).toEqual([
      undefined,
      6,
      10,
      15,
      40,
      45,
      60,
      100,
    ]);
    expect([6, 8, 12.4, 56].map((m) => saidMetres(m, 'plain'))).toEqual([undefined, 10, 10, 60]);
  });
});

describe('directions phrases', () => {
  it('has every kind in every language and style, none empty, with exactly the declared placeholders', () => {
    for (const table of [DIRECTION_PHRASES, DIRECTION_PHRASES_PLAIN]) {
      expect(Object.keys(table).sort()).toEqual([...DIRECTION_PHRASE_KINDS].sort());
      for (const kind of DIRECTION_PHRASE_KINDS) {
        for (const language of LANGUAGES) {
          const text = table[kind][language];
          expect(text, `${kind}.${language}`).toMatch(/\S/);
          const used = new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
          expect(used, `${kind}.${language}`).toEqual(new Set(DIRECTION_PHRASE_VARS[kind]));
        }
      }
    }
  });

  it('names every kind with the directions. prefix, so the phrase list can take them in', () => {
    for (const kind of DIRECTION_PHRASE_KINDS) expect(kind).toMatch(/^directions\./);
  });

  it('a missing value is an error naming the placeholder', () => {
    const e = thrown(() => sayDirection('directions.walk', 'fi', 'standard', {}));
    expect(e.code).toBe('PHRASE_VAR_MISSING');
    expect(e.where).toMatch(/vars\.metres$/);
  });
});
