/**
 * Directions in words: a planned route turned into what a person can follow alone ("Walk
 * straight on for about 40 metres. You pass the library entrance on your left. Turn right.
 * There: Kela is on your right."), from the site's landmarks and destinations along the path.
 *
 * Pure: the route is planned elsewhere (the directions book plans from the dock with the real
 * planner). The path is reduced to legs and turns (route-shape.ts); a place is said to be passed
 * only when the path goes by it — within a few metres, beside it, not at either end of the walk
 * — and on the side it really is.
 */
import type { Destination, Landmark, Language, Localized } from '../map/index.js';
import { joinAll, sayDirection, type DirectionPhraseKind } from './direction-phrases.js';
import { InteractionError } from './errors.js';
import type { PhraseStyle } from './phrases.js';
import {
  SHAPE_DEFAULTS,
  angleDiff,
  arcLengths,
  heading,
  project,
  routeLegs,
  type ShapeOptions,
  type XY,
} from './route-shape.js';

export type { XY } from './route-shape.js';
export type Side = 'left' | 'right';
export type TurnKind = 'left' | 'right' | 'slight_left' | 'slight_right' | 'around';
export type ArrivalSide = Side | 'ahead' | 'behind' | 'here';

/** A named place directions may mention: a landmark, or another destination's desk. */
export interface RoutePlace {
  id: string;
  name: Localized;
  position: XY;
}

/** A place passed on a walk. */
export interface PassedPlace extends RoutePlace {
  side: Side;
  /** Distance from the path, m. */
  offset: number;
  /** How far along the whole route the place is passed, m. */
  along: number;
}

/** One step of the way, in the order walked. */
export type DirectionStep =
  | { kind: 'start' }
  | { kind: 'turn'; turn: TurnKind; degrees: number; at: XY }
  | { kind: 'walk'; metres: number; from: XY; to: XY; passes: PassedPlace[] }
  | { kind: 'arrive'; side: ArrivalSide; name: Localized; at: XY };

/** The way from the robot's dock to one destination, ready to be said in any language. */
export interface Directions {
  destinationId: string;
  /** Walking distance along the planned path, metres. */
  metres: number;
  steps: DirectionStep[];
}

/** Where the walk ends: the destination, its stopping pose and where its desk is. */
export interface RouteTarget {
  id: string;
  name: Localized;
  /** The desk (or the place itself): its side on arrival is told from here. */
  position: XY;
}

export interface DescribeOptions extends ShapeOptions {
  /** A place farther than this from the path is not mentioned, m. */
  passDistance: number;
  /** A place closer than this is straight in the way, not on a side: not mentioned, m. */
  minSideOffset: number;
  /** A place passed within this of the start or the end is where you stand, not passed, m. */
  endMargin: number;
  /** At most this many places per walk (the nearest to the path). */
  maxPassesPerWalk: number;
  /** A turn of more than this is a turn round; between minTurnDeg and this… */
  aroundDeg: number;
  /** …and below this a slight turn, degrees. */
  slightDeg: number;
  /** Within this of the desk at the end, it is "here", m. */
  hereMetres: number;
  /**
   * The first leg is told as a turn from the way the walker faces from this many degrees: a
   * small angle there sends someone metres off over a long walk across an open hall.
   */
  startTurnDeg: number;
  /**
   * Can a walker at `from` (on the path) see the place at `to`? A place behind a wall is not
   * passed, however near. Default: every place in range is seen (no map to look at).
   */
  seen: (from: XY, to: XY) => boolean;
}

export const DIRECTIONS_DEFAULTS: DescribeOptions = {
  ...SHAPE_DEFAULTS,
  passDistance: 5,
  minSideOffset: 0.75,
  endMargin: 3,
  maxPassesPerWalk: 2,
  aroundDeg: 150,
  slightDeg: 60,
  hereMetres: 0.5,
  startTurnDeg: 15,
  seen: () => true,
};

/** How far in front of a destination's stopping pose its desk is, m (site format: "about 1 m"). */
export const DESK_AHEAD_METRES = 1;

/** The desk a destination's pose faces, as a place directions can name. */
export function destinationPlace(d: Pick<Destination, 'id' | 'name' | 'pose'>): RoutePlace {
  return {
    id: d.id,
    name: d.name,
    position: {
      x: d.pose.x + DESK_AHEAD_METRES * Math.cos(d.pose.yaw),
      y: d.pose.y + DESK_AHEAD_METRES * Math.sin(d.pose.yaw),
    },
  };
}

/** Every place of a site directions may mention: its landmarks and its destinations' desks. */
export function sitePlaces(site: {
  landmarks: readonly Landmark[];
  destinations: readonly Destination[];
}): RoutePlace[] {
  return [
    ...site.landmarks.map((l) => ({
      id: l.id,
      name: l.name,
      position: { x: l.position.x, y: l.position.y },
    })),
    ...site.destinations.map(destinationPlace),
  ];
}

const WHERE = 'directions.ts:describeRoute';

function invalid(field: string, what: string): InteractionError {
  return new InteractionError('ROUTE_INVALID', `${WHERE} ${field}`, what);
}

function checkPoint(p: unknown, field: string): XY {
  const q = p as Partial<XY> | null | undefined;
  if (typeof q !== 'object' || q === null) throw invalid(field, `expected a point {x, y}, got ${String(p)}`);
  for (const k of ['x', 'y'] as const) {
    if (typeof q[k] !== 'number' || !Number.isFinite(q[k])) {
      throw invalid(`${field}.${k}`, `expected a finite number (metres), got ${String(q[k])}`);
    }
  }
  return { x: q.x!, y: q.y! };
}

/** The path without repeated points (a planner may put the goal twice). */
function checkPath(path: readonly XY[]): XY[] {
  if (!Array.isArray(path) || path.length === 0) {
    throw invalid('path', 'expected at least one point (where the walk starts)');
  }
  const out: XY[] = [];
  path.forEach((p, i) => {
    const q = checkPoint(p, `path[${i}]`);
    const prev = out[out.length - 1];
    if (!prev || Math.hypot(q.x - prev.x, q.y - prev.y) > 1e-6) out.push(q);
  });
  return out;
}

/**
 * The directions along `path` (map-frame points from start to goal) for a walker who starts
 * facing `startYaw` (radians, map frame), to `target`, naming places of `places` passed on the
 * way. Throws InteractionError ROUTE_INVALID naming the field for an empty path or a point,
 * yaw or place that is not finite numbers. A one-point path is just the arrival.
 */
export function describeRoute(
  path: readonly XY[],
  startYaw: number,
  places: readonly RoutePlace[],
  target: RouteTarget,
  options: Partial<DescribeOptions> = {},
): Directions {
  const o = { ...DIRECTIONS_DEFAULTS, ...options };
  const pts = checkPath(path);
  if (!Number.isFinite(startYaw))
    throw invalid('startYaw', `expected a finite angle (radians), got ${startYaw}`);
  const goal = checkPoint(target?.position, 'target.position');
  places.forEach((p, i) => checkPoint(p?.position, `places[${i}].position`));

  const s = arcLengths(pts);
  const metres = s[s.length - 1]!;
  const end = pts[pts.length - 1]!;
  if (pts.length === 1 || metres < o.minLegMetres / 2) {
    return {
      destinationId: target.id,
      metres,
      steps: [{ kind: 'arrive', side: 'here', name: target.name, at: end }],
    };
  }

  const legs = routeLegs(pts, o);
  const passes = placesPassed(pts, s, places, target.id, o);
  const steps: DirectionStep[] = [{ kind: 'start' }];
  let facing = startYaw;
  for (let k = 0; k + 1 < legs.length; k++) {
    const from = pts[legs[k]!]!;
    const to = pts[legs[k + 1]!]!;
    const legHeading = heading(from, to);
    const turn = turnStep(angleDiff(legHeading, facing), from, k === 0 ? o.startTurnDeg : o.minTurnDeg, o);
    if (turn) steps.push(turn);
    facing = legHeading;
    const s0 = s[legs[k]!]!;
    const s1 = s[legs[k + 1]!]!;
    const onLeg = passes.filter((p) => p.along >= s0 && p.along < s1);
    const previous = steps[steps.length - 1];
    if (!turn && previous?.kind === 'walk') {
      // An unsaid bend: the walk goes on (its places are picked again over the whole walk).
      previous.metres += s1 - s0;
      previous.to = to;
      previous.passes.push(...onLeg);
    } else {
      steps.push({ kind: 'walk', metres: s1 - s0, from, to, passes: onLeg });
    }
  }
  for (const step of steps) if (step.kind === 'walk') step.passes = nearest(step.passes, o.maxPassesPerWalk);
  steps.push({ kind: 'arrive', side: arrivalSide(end, facing, goal, o), name: target.name, at: end });
  return { destinationId: target.id, metres, steps };
}

/** The turn for a heading change of `delta` radians (left positive), or none if it is straight on. */
function turnStep(delta: number, at: XY, minDeg: number, o: DescribeOptions): DirectionStep | undefined {
  const deg = (delta * 180) / Math.PI;
  const abs = Math.abs(deg);
  if (abs < minDeg) return undefined;
  const left = deg > 0;
  const turn: TurnKind =
    abs > o.aroundDeg
      ? 'around'
      : abs < o.slightDeg
        ? left
          ? 'slight_left'
          : 'slight_right'
        : left
          ? 'left'
          : 'right';
  return { kind: 'turn', turn, degrees: Math.round(deg), at };
}

/** Every place beside the path, once, where the path goes by it, in the order passed. */
function placesPassed(
  pts: readonly XY[],
  s: readonly number[],
  places: readonly RoutePlace[],
  targetId: string,
  o: DescribeOptions,
): PassedPlace[] {
  const length = s[s.length - 1]!;
  const out: PassedPlace[] = [];
  for (const place of places) {
    if (place.id === targetId) continue;
    const pr = project(pts, s, place.position);
    const offset = Math.abs(pr.lateral);
    if (offset > o.passDistance || offset < o.minSideOffset) continue;
    if (pr.s < o.endMargin || pr.s > length - o.endMargin) continue;
    // Beside the path, not off the end of a corner: the straight line to it is mostly sideways.
    if (pr.beside < 0.9) continue;
    if (!o.seen(pr.at, place.position)) continue;
    out.push({ ...place, side: pr.lateral > 0 ? 'left' : 'right', offset, along: pr.s });
  }
  return out.sort((a, b) => a.along - b.along);
}

/** The `max` places nearest to the path, kept in the order passed. */
function nearest(passes: PassedPlace[], max: number): PassedPlace[] {
  if (passes.length <= max) return passes;
  const keep = new Set([...passes].sort((a, b) => a.offset - b.offset).slice(0, max));
  return passes.filter((p) => keep.has(p));
}

/** Where the target is for someone standing at `end` facing `facing`. */
function arrivalSide(end: XY, facing: number, goal: XY, o: DescribeOptions): ArrivalSide {
  if (Math.hypot(goal.x - end.x, goal.y - end.y) < o.hereMetres) return 'here';
  const rel = (angleDiff(heading(end, goal), facing) * 180) / Math.PI;
  const abs = Math.abs(rel);
  if (abs <= 45) return 'ahead';
  if (abs >= 135) return 'behind';
  return rel > 0 ? 'left' : 'right';
}

/**
 * A walk's metres as said: whole metres under 10, fives under 50, tens above (plain: fives
 * from the start). Under 5 m (plain 10 m) it is "a few steps": undefined.
 */
export function saidMetres(m: number, style: PhraseStyle): number | undefined {
  if (m < (style === 'plain' ? 7.5 : 4.5)) return undefined;
  if (m < 10 && style === 'standard') return Math.round(m);
  if (m < 50) return Math.max(5, Math.round(m / 5) * 5);
  return Math.round(m / 10) * 10;
}

/** The directions as a list of sentences in `language` (a kiosk shows one per line). */
export function directionSentences(
  d: Directions,
  language: Language,
  style: PhraseStyle = 'standard',
  from: DirectionsFrom = 'beside',
): string[] {
  const say = (kind: DirectionPhraseKind, vars?: Record<string, string | number>) =>
    sayDirection(kind, language, style, vars);
  const out: string[] = [];
  for (const step of d.steps) {
    switch (step.kind) {
      case 'start':
        out.push(say(from === 'beside' ? 'directions.start' : 'directions.start_from_dock'));
        break;
      case 'turn':
        out.push(say(`directions.turn.${step.turn}`));
        break;
      case 'walk': {
        const m = saidMetres(step.metres, style);
        out.push(m === undefined ? say('directions.walk_short') : say('directions.walk', { metres: m }));
        out.push(...passSentences(step.passes, language, style));
        break;
      }
      case 'arrive':
        out.push(say(`directions.arrive.${step.side}`, { desk: step.name[language] }));
        break;
    }
  }
  return out;
}

/** "You pass A and B on your left." — one sentence per side, in the order first passed; plain names one place. */
function passSentences(passes: readonly PassedPlace[], language: Language, style: PhraseStyle): string[] {
  const said = style === 'plain' ? [...passes].sort((a, b) => a.offset - b.offset).slice(0, 1) : passes;
  const sides: Side[] = [];
  for (const p of said) if (!sides.includes(p.side)) sides.push(p.side);
  return sides.map((side) =>
    sayDirection(`directions.pass.${side}`, language, style, {
      places: joinAll(
        said.filter((p) => p.side === side).map((p) => p.name[language]),
        language,
      ),
    }),
  );
}

/**
 * Where the customer starts: 'beside' the robot at its dock, or from the 'dock' while the robot
 * is away guiding someone else (the route is the same; only the first sentence differs).
 */
export type DirectionsFrom = 'beside' | 'dock';

/** The directions as sentences in `language`, plainer when `style` is 'plain'. */
export function renderDirections(
  d: Directions,
  language: Language,
  style: PhraseStyle = 'standard',
  from: DirectionsFrom = 'beside',
): string {
  return directionSentences(d, language, style, from).join(' ');
}

/** A heading line for the directions ("How to get there: Kela, about 90 metres."). */
export function directionsIntro(d: Directions, language: Language, style: PhraseStyle = 'standard'): string {
  const arrive = d.steps.find((s) => s.kind === 'arrive');
  const desk = arrive?.kind === 'arrive' ? arrive.name[language] : d.destinationId;
  return sayDirection('directions.intro', language, style, {
    desk,
    metres: saidMetres(d.metres, style) ?? 5,
  });
}
