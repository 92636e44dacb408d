/**
 * The directions book on the sample site's real routes, checked against the map: each route is
 * planned again here the same way (the navigator's planner on the static costmap) and every
 * sentence's claim is measured on that path, with geometry written here, not the directions'.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGES, loadSite, type Site } from '../map/index.js';
import {
  directionSentences,
  destinationPlace,
  saidMetres,
  sitePlaces,
  type DirectionStep,
  type Directions,
  type RoutePlace,
} from '../interaction/index.js';
import { GridAStar } from '../navigation/index.js';
import { EmbeddedContext, SimClock, Time, poseStamped } from '../ros/index.js';
import {
  buildDirectionsBook,
  lazyDirectionsBook,
  siteCostmap,
  type UnreachableDestination,
} from './directions-book.js';

interface XY {
  x: number;
  y: number;
}

/** How far from the path a place said to be passed may be, m. */
const PASS_WITHIN = 5;
/** A stated turn must be where the path's heading changes by at least this, degrees… */
const STATED_TURN_MIN = 30;
/** …and every change of at least this must be stated, degrees (the directions' own threshold is 35°). */
const REAL_TURN_MIN = 45;
/** Heading change is measured over this much path either side of a point, m. */
const WINDOW = 4;

let site: Site;
let book: ReadonlyMap<string, Directions>;
const unreachable: UnreachableDestination[] = [];
const paths = new Map<string, XY[]>();

beforeAll(async () => {
  site = await loadSite('maps/iso-omena');
  book = buildDirectionsBook(site, { onUnreachable: (u) => unreachable.push(u) });
  const planner = new GridAStar();
  planner.configure(
    new EmbeddedContext({ clock: new SimClock(0n) }).createNode('test'),
    'planner',
    siteCostmap(site),
  );
  planner.activate();
  const t = new Time(0n);
  for (const d of site.destinations) {
    const path = planner.plan(poseStamped('map', t, site.dock), poseStamped('map', t, d.pose), () => false);
    paths.set(
      d.id,
      path.poses.map((p) => ({ x: p.pose.position.x, y: p.pose.position.y })),
    );
  }
});

function cumulative(path: XY[]): number[] {
  const s = [0];
  for (let i = 1; i < path.length; i++)
    s.push(s[i - 1]! + Math.hypot(path[i]!.x - path[i - 1]!.x, path[i]!.y - path[i - 1]!.y));
  return s;
}

/** Index of the path point nearest to p. */
function nearestIndex(path: XY[], p: XY): number {
  let best = 0;
  for (let i = 1; i < path.length; i++) {
    if (Math.hypot(path[i]!.x - p.x, path[i]!.y - p.y) < Math.hypot(path[best]!.x - p.x, path[best]!.y - p.y))
      best = i;
  }
  return best;
}

/** Index of the first point at or past arc length a. */
function indexAt(s: number[], a: number): number {
  const i = s.findIndex((v) => v >= a);
  return i < 0 ? s.length - 1 : i;
}

/** Heading from the point `back` m before arc length a to a, and from a to `ahead` m after, radians. */
function headingChange(path: XY[], s: number[], a: number, window = WINDOW): number {
  const p0 = path[indexAt(s, a - window)]!;
  const p1 = path[indexAt(s, a)]!;
  const p2 = path[indexAt(s, a + window)]!;
  const h1 = Math.atan2(p1.y - p0.y, p1.x - p0.x);
  const h2 = Math.atan2(p2.y - p1.y, p2.x - p1.x);
  let d = h2 - h1;
  while (d > Math.PI) d -= 2 * Math.PI;
  while (d <= -Math.PI) d += 2 * Math.PI;
  return d;
}

/** No occupied or unknown map cell on the line, but for the last metre (the desk itself). */
function clearLine(from: XY, to: XY): boolean {
  const length = Math.hypot(to.x - from.x, to.y - from.y);
  for (let t = 0; t <= length - 1; t += 0.02) {
    if (
      !site.map.isFreeAt(from.x + ((to.x - from.x) * t) / length, from.y + ((to.y - from.y) * t) / length)
    ) {
      return false;
    }
  }
  return true;
}

const deg = (r: number) => (r * 180) / Math.PI;
type Walk = Extract<DirectionStep, { kind: 'walk' }>;
type Turn = Extract<DirectionStep, { kind: 'turn' }>;

describe('the directions book on maps/iso-omena', () => {
  it('has directions from the dock to every destination', () => {
    expect(unreachable).toEqual([]);
    expect([...book.keys()].sort()).toEqual(site.destinations.map((d) => d.id).sort());
  });

  it('names a passed place only when the path goes by it, within 5 m, during that walk, on the side stated', () => {
    let named = 0;
    for (const [id, d] of book) {
      const path = paths.get(id)!;
      const s = cumulative(path);
      for (const walk of d.steps.filter((x): x is Walk => x.kind === 'walk')) {
        const s0 = s[nearestIndex(path, walk.from)]!;
        const s1 = s[nearestIndex(path, walk.to)]!;
        for (const p of walk.passes) {
          named++;
          const i = nearestIndex(path, p.position);
          const q = path[i]!;
          const where = `${id}: ${p.id}`;
          expect(Math.hypot(q.x - p.position.x, q.y - p.position.y), where).toBeLessThanOrEqual(PASS_WITHIN);
          expect(s[i]!, where).toBeGreaterThan(s0);
          expect(s[i]!, where).toBeLessThan(s1);
          // The side: the cross product of the way walked there with the way to the place.
          const a = path[indexAt(s, s[i]! - 1)]!;
          const b = path[indexAt(s, s[i]! + 1)]!;
          const cross = (b.x - a.x) * (p.position.y - q.y) - (b.y - a.y) * (p.position.x - q.x);
          expect(cross > 0 ? 'left' : 'right', where).toBe(p.side);
          // In sight from somewhere beside it on the path: no wall on the map in between.
          const seen = path.slice(Math.max(0, i - 20), i + 21).some((from) => clearLine(from, p.position));
          expect(seen, `${where}: behind a wall`).toBe(true);
        }
      }
    }
    expect(named).toBeGreaterThanOrEqual(site.destinations.length); // the check is not vacuous
  });

  it('states a turn only where the path turns that way, and every real turn of 45° or more', () => {
    let stated = 0;
    for (const [id, d] of book) {
      const path = paths.get(id)!;
      const s = cumulative(path);
      const length = s[s.length - 1]!;
      const turns = d.steps.filter((x): x is Turn => x.kind === 'turn');
      const inner = turns.filter((t) => Math.hypot(t.at.x - site.dock.x, t.at.y - site.dock.y) > 0.01);
      for (const t of inner) {
        stated++;
        const a = s[nearestIndex(path, t.at)]!;
        // The turn may be drawn out over a smoothed corner: the largest change near the point.
        let change = 0;
        for (let da = -2; da <= 2; da += 0.5) {
          const c = headingChange(path, s, a + da);
          if (Math.abs(c) > Math.abs(change)) change = c;
        }
        const where = `${id}: ${t.turn} at (${t.at.x.toFixed(1)}, ${t.at.y.toFixed(1)})`;
        expect(Math.abs(deg(change)), where).toBeGreaterThanOrEqual(STATED_TURN_MIN);
        expect(
          t.turn.includes('left') ? change > 0 : t.turn.includes('right') ? change < 0 : true,
          where,
        ).toBe(true);
      }
      for (let a = WINDOW; a <= length - WINDOW; a += 0.25) {
        if (Math.abs(deg(headingChange(path, s, a))) < REAL_TURN_MIN) continue;
        const near = inner.some((t) => Math.abs(s[nearestIndex(path, t.at)]! - a) <= WINDOW);
        expect(
          near,
          `${id}: the path turns ${deg(headingChange(path, s, a)).toFixed(0)}° at ${a.toFixed(1)} m`,
        ).toBe(true);
      }
      // The first leg against the way the walker faces at the dock.
      const firstWalk = d.steps.find((x): x is Walk => x.kind === 'walk');
      if (firstWalk) {
        const h = Math.atan2(firstWalk.to.y - firstWalk.from.y, firstWalk.to.x - firstWalk.from.x);
        let off = deg(h - site.dock.yaw);
        while (off > 180) off -= 360;
        while (off <= -180) off += 360;
        const startTurn = turns.find((t) => !inner.includes(t));
        if (Math.abs(off) >= 20)
          expect(startTurn, `${id}: first leg ${off.toFixed(0)}° off the dock's heading`).toBeDefined();
        if (startTurn) expect(Math.sign(startTurn.degrees), id).toBe(Math.sign(off));
      }
    }
    expect(stated).toBeGreaterThan(0);
  });

  it('says distances that add up to within 15% of the path length', () => {
    for (const [id, d] of book) {
      const length = cumulative(paths.get(id)!).at(-1)!;
      expect(d.metres, id).toBeCloseTo(length, 6);
      const said = d.steps
        .filter((x): x is Walk => x.kind === 'walk')
        .reduce((sum, w) => sum + (saidMetres(w.metres, 'standard') ?? w.metres), 0);
      expect(
        Math.abs(said - length) / length,
        `${id}: said ${said} m of ${length.toFixed(1)} m`,
      ).toBeLessThanOrEqual(0.15);
    }
  });

  it('says on which side the desk is on arrival, as seen along the last walk', () => {
    for (const [id, d] of book) {
      const dest = site.destinations.find((x) => x.id === id)!;
      const desk = destinationPlace(dest).position;
      const walks = d.steps.filter((x): x is Walk => x.kind === 'walk');
      const last = walks.at(-1)!;
      const arrive = d.steps.at(-1)!;
      expect(arrive.kind, id).toBe('arrive');
      if (arrive.kind !== 'arrive') continue;
      const fx = last.to.x - last.from.x;
      const fy = last.to.y - last.from.y;
      const forward = fx * (desk.x - last.to.x) + fy * (desk.y - last.to.y);
      const leftward = fx * (desk.y - last.to.y) - fy * (desk.x - last.to.x);
      const expected =
        Math.abs(leftward) <= Math.abs(forward)
          ? forward > 0
            ? 'ahead'
            : 'behind'
          : leftward > 0
            ? 'left'
            : 'right';
      expect(arrive.side, id).toBe(expected);
      // The last walk is the way the path really ends: no turn is missing before the arrival.
      const path = paths.get(id)!;
      const s = cumulative(path);
      const end = path.at(-1)!;
      const before = path[indexAt(s, s.at(-1)! - 3)]!;
      const finalHeading = Math.atan2(end.y - before.y, end.x - before.x);
      let diff = deg(finalHeading - Math.atan2(fy, fx));
      while (diff > 180) diff -= 360;
      while (diff <= -180) diff += 360;
      expect(Math.abs(diff), id).toBeLessThan(45);
    }
  });

  it('renders every route in every language and style with no placeholder left and every name as the site writes it', () => {
    const places = new Map<string, RoutePlace>(sitePlaces(site).map((p) => [p.id, p]));
    for (const [id, d] of book) {
      for (const language of LANGUAGES) {
        for (const style of ['standard', 'plain'] as const) {
          const text = directionSentences(d, language, style).join(' ');
          expect(text, `${id} ${language} ${style}`).not.toMatch(/[{}]|undefined|NaN/);
          expect(text).toContain(places.get(id)!.name[language]);
          if (style === 'standard') {
            for (const w of d.steps.filter((x): x is Walk => x.kind === 'walk')) {
              for (const p of w.passes) expect(text).toContain(places.get(p.id)!.name[language]);
            }
          }
        }
      }
    }
  });

  it('a lazy book plans nothing until asked, then answers as the book does', () => {
    // A planner that does not exist fails only when the book is first used: nothing ran before.
    const broken = lazyDirectionsBook(site, { plannerPlugin: 'no_such_planner' });
    expect(() => broken.get('kela')).toThrow(/unknown planner 'no_such_planner'/);
    // One way asked for plans one route: a missing desk is asked of the planner, never the rest.
    const reported: string[] = [];
    const lazy = lazyDirectionsBook(site, { onUnreachable: (u) => reported.push(u.destinationId) });
    expect(lazy.get('kela')).toEqual(book.get('kela'));
    expect(lazy.get('no-such-desk')).toBeUndefined();
    expect(reported).toEqual([]);
    expect(lazy.size).toBe(book.size);
    expect([...lazy.keys()]).toEqual([...book.keys()]);
  });

  it('the library: past the customer service point, a left turn, past the library entrance on the left', () => {
    const text = directionSentences(book.get('library')!, 'en', 'standard');
    expect(text).toEqual([
      'Stand next to me, facing the same way as I do.',
      'Walk straight on for about 15 metres.',
      'You pass Matinkylä customer service point on your left.',
      'Turn left.',
      'Walk straight on for about 20 metres.',
      'You pass the library entrance on your left.',
      'There, on your right: Iso Omena Library.',
    ]);
  });
});
