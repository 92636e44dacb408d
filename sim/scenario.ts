/**
 * Scenario files: what a simulated run contains (site, seed, customers and what they ask,
 * events) and what it must show (expectations). Schema: docs/scenarios.md. Every problem in a
 * file is reported at once, each with the file, line and field path; sizes are bounded by the
 * limits of docs/limits.md before anything is built from them.
 */
import path from 'node:path';
import { isMap } from 'yaml';
import { InputError, readInputFile } from '../src/input/index.js';
import { PHRASE_KINDS } from '../src/interaction/index.js';

/**
 * The phrase kinds an `expect.says` may name, as its error lists them: the sentences that make up
 * directions in words (directions.*) are summed up, so that the list stays readable.
 */
const SAID_KINDS_TEXT = `one of ${PHRASE_KINDS.filter((k) => !k.startsWith('directions.')).join(', ')} or a directions.* sentence`;
import { OUTCOMES, type Outcome } from '../src/robot/index.js';
import type { Pose2D } from '../src/ros/index.js';
import { readCrowdSpec, type CrowdSpec } from './crowd-spec.js';
import type { BatteryReadingFault } from './battery.js';
import { SimError } from './errors.js';
import { ScenarioYaml, type Value } from './scenario-yaml.js';
import { readSocialBounds, type SocialBounds } from './social-expect.js';

export const CUSTOMER_MODES = ['escort', 'directions'] as const;
export type CustomerMode = (typeof CUSTOMER_MODES)[number];
/** At most three desks are offered when the robot asks back. */
const MAX_PICK = 3;

export type CustomerBehaviour =
  | { kind: 'follow' }
  /** Stops following `after` s into the escort, for `for` s, then catches up. */
  | { kind: 'fall_behind'; after: number; for: number }
  /** Walks off `after` s into the escort and never comes back. */
  | { kind: 'lost'; after: number }
  /**
   * Steps `distance` m aside `after` s into the escort (out of the rear camera's view), stands
   * watching the robot, and follows again once the robot asks them back ('escort.ask').
   */
  | { kind: 'steps_aside'; after: number; distance: number };

export { OUTCOMES, type Outcome };

export interface CustomerSpec {
  /** Earliest arrival, s after the start; the customer waits until the robot is free at its dock. */
  at: number;
  ask: string;
  /** Language hint as the kiosk would give it ('' = detect). */
  language: string;
  /** Asked for plain language (selkokieli, lättläst, plain English). */
  plain: boolean;
  /** 'escort' to be taken there, 'directions' to be told the way and walk alone. */
  mode: CustomerMode;
  /**
   * Asked back ("which one: 1 …, 2 …?"), the customer answers with this number (1-based), once;
   * without it they do not answer and the robot stops waiting.
   */
  pick?: number;
  behaviour: CustomerBehaviour;
  expect?: {
    outcome?: Outcome;
    destination?: string;
    /** Phrase kinds the robot must say to this customer, in this order (others may come between). */
    says?: string[];
    /** Destination ids the robot must offer this customer as choices (any utterance, any order). */
    choices?: string[];
    /** Bounds on this request's social-navigation metrics (docs/social-metrics.md). */
    social?: SocialBounds;
  };
  /** Line in the file, for messages. */
  where: string;
}

/**
 * An endless stream of customers, each made only when the run reaches it (the live run: its
 * length is its duration, so nothing is made up front); their requests are counted, not kept.
 */
export interface CustomerStream {
  readonly endless: true;
  next(): CustomerSpec;
}

export type EventTime = { at: number } | { request: number; after: number };
export type ObstacleSpec =
  | { id: string; kind: 'disc'; x: number; y: number; radius: number }
  | { id: string; kind: 'box'; x: number; y: number; width: number; height: number };
export type ScenarioEvent =
  | { time: EventTime; kind: 'obstacle'; obstacle: ObstacleSpec; durationS?: number; where: string }
  | { time: EventTime; kind: 'estop'; action: 'press' | 'release'; where: string }
  | { time: EventTime; kind: 'cancel'; where: string }
  /** An operator sends the robot (no customer) to a destination or 'dock'. */
  | { time: EventTime; kind: 'dispatch'; destination: string; where: string }
  | { time: EventTime; kind: 'pause' | 'resume'; where: string }
  /** Staff set a desk's status in the console; 'hours' clears it (the opening hours apply again). */
  | { time: EventTime; kind: 'desk_status'; desk: DeskStatusSpec; where: string }
  /** The robot is carried to `to` (map frame): its true pose jumps, its odometry does not see it. */
  | { time: EventTime; kind: 'kidnap'; to: Pose2D; where: string }
  /** Wheel odometry is wrong for `durationS`: distances × scale, and a false turn per metre. */
  | {
      time: EventTime;
      kind: 'odometry_slip';
      scale: number;
      driftRadPerM: number;
      durationS: number;
      where: string;
    }
  /** The lidar publishes no scans for `durationS`. */
  | { time: EventTime; kind: 'lidar_quiet'; durationS: number; where: string }
  /** The battery's reading (not the pack) goes wrong for `durationS`: NaN, a jump, a freeze. */
  | { time: EventTime; kind: 'battery_fault'; fault: BatteryReadingFault; durationS: number; where: string };

export interface DeskStatusSpec {
  desk: string;
  state: 'open' | 'closed' | 'paused' | 'hours';
  note: string;
  /** Epoch ms the status ends; undefined: until changed. */
  untilEpochMs?: number;
}

/** Something a scenario names of its site, and where: checked against the site before the run. */
export type SiteRef = { where: string; path: string } & (
  | { kind: 'site'; dir: string }
  | { kind: 'destination'; id: string }
  | { kind: 'start'; pose: Pose2D }
  | { kind: 'place'; x: number; y: number }
);

export interface Scenario {
  file: string;
  name: string;
  description: string;
  /** Absolute path of the site folder. */
  siteDir: string;
  seed: number;
  /** Wall-calendar start (epoch ms): opening hours are judged against it. */
  startEpochMs: number;
  robotStart: 'dock' | Pose2D;
  /** Background pedestrians wandering the floor (`crowd`, when given, says more). */
  pedestrians: number;
  /** The floor's crowd (docs/crowds.md); without it, `pedestrians` people wander. */
  crowd?: CrowdSpec;
  /** Hard stop in simulated seconds. */
  timeLimitS: number;
  /** A file's customers, all listed; or the live run's endless stream. */
  customers: readonly CustomerSpec[] | CustomerStream;
  events: ScenarioEvent[];
  expect: { collisions?: number; minPersonDistanceM?: number; social?: SocialBounds };
  /** What the file names of its site (see checkScenarioSite); none for a generated run. */
  siteRefs?: readonly SiteRef[];
}

/** A scenario read from a file: its customers all listed. */
export interface ScenarioFile extends Scenario {
  customers: CustomerSpec[];
  siteRefs: readonly SiteRef[];
}

const TOP_LEVEL = [
  'name',
  'description',
  'site',
  'seed',
  'start_time',
  'robot',
  'pedestrians',
  'crowd',
  'time_limit',
  'customers',
  'events',
  'expect',
] as const;
const DEFAULT_START_TIME = '2026-11-26T10:00:00+02:00';
const ISO_WITH_OFFSET = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?(Z|[+-]\d\d:\d\d)$/;
const LANGUAGE_HINTS = ['', 'fi', 'sv', 'en'] as const;

/** Reads a scenario file (a regular file within the YAML size limit) and parses it. */
export async function loadScenario(file: string): Promise<ScenarioFile> {
  let bytes: Buffer;
  try {
    bytes = await readInputFile(file, { limit: 'yamlFileBytes' });
  } catch (e) {
    if (e instanceof InputError)
      throw new SimError('SCENARIO_READ', file, e.message.slice(e.where.length + 2));
    throw e;
  }
  return parseScenario(bytes.toString('utf8'), file);
}

/** Parses a scenario; throws SimError listing every problem found, each with file:line and field. */
export function parseScenario(text: string, file: string): ScenarioFile {
  const yaml = ScenarioYaml.parse(text, file);
  if (!(yaml instanceof ScenarioYaml)) throw SimError.of('SCENARIO_SYNTAX', [yaml]);
  const refs: SiteRef[] = [];
  const { value, problems } = yaml.read((root) => readScenario(new Reader(yaml, refs), root, file));
  if (problems.length > 0 || !value) throw SimError.of('SCENARIO_FIELD', problems);
  return { ...value, siteRefs: refs };
}

/**
 * The schema, over the YAML reader: each field read once, its problems recorded, none thrown.
 * Exported with the readers of a customer and an event for the fleet's scenario (fleet-scenario.ts).
 */
export class Reader {
  readonly #saysSeen = new Map<unknown, string[] | undefined>();

  constructor(
    readonly y: ScenarioYaml,
    readonly refs: SiteRef[],
  ) {}

  /** An optional field: its value, or `fallback` when it is absent or empty (`at:`). */
  opt<T>(
    fields: Map<string, Value>,
    key: string,
    read: (v: Value) => T | undefined,
    fallback: T,
  ): T | undefined {
    const v = fields.get(key);
    if (v === undefined || v.node === null || v.node === undefined) return fallback;
    return read(v);
  }

  /** A required field (its absence is already reported by `mapping`). */
  req<T>(fields: Map<string, Value>, key: string, read: (v: Value) => T | undefined): T | undefined {
    const v = fields.get(key);
    return v === undefined ? undefined : read(v);
  }

  time = (v: Value) => this.y.number(v, { min: 0, limit: 'durationS' });

  /**
   * The phrase kinds of `expect.says`. A list read once however often aliases repeat it, so a
   * file cannot make the reader do more work than it has items.
   */
  says(v: Value): string[] | undefined {
    const key = this.y.resolve(v.node) ?? v;
    if (this.#saysSeen.has(key)) return this.#saysSeen.get(key);
    const items = this.y.list(v);
    const kinds = items?.map((item) =>
      this.y.string(item, { oneOf: PHRASE_KINDS, oneOfText: SAID_KINDS_TEXT }),
    );
    const out = kinds?.every((k) => k !== undefined) ? kinds : undefined;
    this.#saysSeen.set(key, out);
    return out;
  }
}

function readScenario(r: Reader, root: Value, file: string): Omit<ScenarioFile, 'siteRefs'> | undefined {
  const { y } = r;
  const top = y.mapping(root, TOP_LEVEL, ['site', 'seed']);
  if (!top) return undefined;

  const startEpochMs = readStartTime(r, top);

  const robotStart = readRobotStart(r, top.get('robot'));

  const customerItems = r.opt(top, 'customers', (v) => y.list(v, 'scenarioCustomers'), []);
  const customers = customerItems?.map((item) => readCustomer(r, item));
  const nCustomers = customerItems?.length ?? 0;

  const eventItems = r.opt(top, 'events', (v) => y.list(v, 'scenarioEvents'), []);
  const obstacleIds = new Map<string, string>();
  const events = eventItems?.map((item, i) => readEvent(r, item, i, nCustomers, obstacleIds));

  const expect: Scenario['expect'] = {};
  const expectFields = r.opt(
    top,
    'expect',
    (v) => y.mapping(v, ['collisions', 'min_person_distance', 'social']),
    new Map(),
  );
  const collisions =
    expectFields &&
    r.opt(expectFields, 'collisions', (v) => y.number(v, { min: 0, integer: true }), undefined);
  if (collisions !== undefined) expect.collisions = collisions;
  const minPerson =
    expectFields && r.opt(expectFields, 'min_person_distance', (v) => y.number(v, { min: 0 }), undefined);
  if (minPerson !== undefined) expect.minPersonDistanceM = minPerson;
  const runSocial = expectFields && r.opt(expectFields, 'social', (v) => readSocialBounds(y, v), undefined);
  if (runSocial !== undefined) expect.social = runSocial;

  const siteRel = r.req(top, 'site', (v) => y.string(v));
  const siteDir = siteRel === undefined ? '' : path.resolve(path.dirname(file), siteRel);
  if (siteRel !== undefined)
    r.refs.push({ kind: 'site', dir: siteDir, where: top.get('site')!.where, path: 'site' });
  const name = r.opt(
    top,
    'name',
    (v) => y.string(v, { maxChars: 'nameChars' }),
    path.basename(file, path.extname(file)),
  );
  const description = r.opt(top, 'description', (v) => y.string(v), '');
  const seed = r.req(top, 'seed', (v) => y.number(v, { integer: true, min: 0, max: 2 ** 32 - 1 }));
  const pedestrians = r.opt(
    top,
    'pedestrians',
    (v) => y.number(v, { integer: true, min: 0, limit: 'crowdPeople' }),
    0,
  );
  const crowd = r.opt(top, 'crowd', (v) => readCrowdSpec(y, v), undefined);
  if (top.has('crowd') && top.has('pedestrians')) {
    y.problem(top.get('crowd')!, 'give either pedestrians (the shorthand) or crowd, not both');
  }
  const timeLimitS = r.opt(top, 'time_limit', (v) => y.number(v, { min: 1, limit: 'durationS' }), 3600);

  if (
    y.problems.length > 0 ||
    !customers ||
    !events ||
    robotStart === undefined ||
    name === undefined ||
    description === undefined ||
    seed === undefined ||
    pedestrians === undefined ||
    timeLimitS === undefined
  ) {
    return undefined;
  }
  return {
    file,
    name,
    description,
    siteDir,
    seed,
    startEpochMs,
    robotStart,
    pedestrians: crowd?.count ?? pedestrians,
    ...(crowd ? { crowd } : {}),
    timeLimitS,
    customers: customers as CustomerSpec[],
    events: events as ScenarioEvent[],
    expect,
  };
}

/** `start_time`: epoch ms (NaN when it is wrong, reported). */
export function readStartTime(r: Reader, top: Map<string, Value>): number {
  const { y } = r;
  const startText = r.opt(top, 'start_time', (v) => y.string(v), DEFAULT_START_TIME);
  const startEpochMs = startText === undefined ? NaN : Date.parse(startText);
  if (startText !== undefined && (!ISO_WITH_OFFSET.test(startText) || Number.isNaN(startEpochMs))) {
    y.problem(
      top.get('start_time')!,
      `expected an ISO 8601 time with offset like ${DEFAULT_START_TIME}, found ${y.describe(top.get('start_time')!.node)}`,
    );
  }
  return startEpochMs;
}

function readRobotStart(r: Reader, v: Value | undefined): Scenario['robotStart'] | undefined {
  const { y } = r;
  if (v === undefined || v.node === null) return 'dock';
  const robot = y.mapping(v, ['start']);
  const start = robot?.get('start');
  if (!robot) return undefined;
  if (start === undefined || start.node === null || y.resolve(start.node) === undefined) return 'dock';
  const node = y.resolve(start.node) as { value?: unknown };
  if (node && node.value === 'dock') return 'dock';
  const xyYaw = y.mapping(start, ['x', 'y', 'yaw'], ['x', 'y']);
  if (!xyYaw) return undefined;
  const x = r.req(xyYaw, 'x', (f) => y.number(f));
  const yy = r.req(xyYaw, 'y', (f) => y.number(f));
  const yaw = r.opt(xyYaw, 'yaw', (f) => y.number(f), 0);
  if (x === undefined || yy === undefined || yaw === undefined) return undefined;
  const pose = { x, y: yy, yaw };
  r.refs.push({ kind: 'start', pose, where: start.where, path: 'robot.start' });
  return pose;
}

/** A customer; `extraKeys` are fields the caller reads itself (a fleet's `robot`). */
export function readCustomer(
  r: Reader,
  v: Value,
  extraKeys: readonly string[] = [],
): CustomerSpec | undefined {
  const { y } = r;
  const f = y.mapping(
    v,
    ['at', 'ask', 'language', 'plain', 'mode', 'pick', 'behaviour', 'expect', ...extraKeys],
    ['ask'],
  );
  if (!f) return undefined;
  const behaviour = readBehaviour(r, f.get('behaviour'));
  let expect: CustomerSpec['expect'];
  const e = r.opt(
    f,
    'expect',
    (ev) => y.mapping(ev, ['outcome', 'destination', 'says', 'choices', 'social']),
    undefined,
  );
  if (e) {
    expect = {};
    const outcome = r.opt(e, 'outcome', (ev) => y.string(ev, { oneOf: OUTCOMES }), undefined);
    if (outcome !== undefined) expect.outcome = outcome as Outcome;
    const dv = e.get('destination');
    if (dv) {
      // `destination:` with nothing, or '', is "no destination".
      const destination = dv.node === null ? '' : y.string(dv, { maxChars: 'nameChars' });
      if (destination !== undefined) {
        expect.destination = destination;
        if (destination !== '')
          r.refs.push({ kind: 'destination', id: destination, where: dv.where, path: pathOf(dv) });
      }
    }
    const says = r.opt(e, 'says', (ev) => r.says(ev), undefined);
    if (says !== undefined) expect.says = says;
    const choices = r.opt(e, 'choices', (ev) => readDestinationIds(r, ev), undefined);
    if (choices !== undefined) expect.choices = choices;
    const social = r.opt(e, 'social', (ev) => readSocialBounds(y, ev), undefined);
    if (social !== undefined) expect.social = social;
  }
  const mode = r.opt(f, 'mode', (mv) => y.string(mv, { oneOf: CUSTOMER_MODES }), 'escort');
  const plain = r.opt(f, 'plain', (pv) => readBoolean(r, pv), false);
  const pick = r.opt(f, 'pick', (pv) => y.number(pv, { integer: true, min: 1, max: MAX_PICK }), undefined);
  const at = r.opt(f, 'at', r.time, 0);
  const ask = r.req(f, 'ask', (av) => y.string(av, { maxChars: 'requestChars' }));
  const language = r.opt(
    f,
    'language',
    (lv) =>
      y.string(lv, { oneOf: LANGUAGE_HINTS, oneOfText: "fi, sv, en, or '' to let the robot detect it" }),
    '',
  );
  if (
    behaviour === undefined ||
    at === undefined ||
    ask === undefined ||
    language === undefined ||
    mode === undefined ||
    plain === undefined
  )
    return undefined;
  return {
    at,
    ask,
    language,
    plain,
    mode: mode as CustomerMode,
    ...(pick !== undefined ? { pick } : {}),
    behaviour,
    ...(expect ? { expect } : {}),
    where: v.where,
  };
}

function readBoolean(r: Reader, v: Value): boolean | undefined {
  const node = r.y.resolve(v.node) as { value?: unknown } | undefined;
  if (typeof node?.value === 'boolean') return node.value;
  return r.y.problem(v, `expected true or false, found ${r.y.describe(v.node)}`);
}

/** A list of destination ids, each checked against the site before the run. */
function readDestinationIds(r: Reader, v: Value): string[] | undefined {
  const items = r.y.list(v);
  if (!items) return undefined;
  const ids = items.map((item) => {
    const id = r.y.string(item, { maxChars: 'nameChars' });
    if (id !== undefined) r.refs.push({ kind: 'destination', id, where: item.where, path: pathOf(item) });
    return id;
  });
  return ids.every((id) => id !== undefined) ? ids : undefined;
}

const BEHAVIOURS = 'follow, {fall_behind: {after, for}}, {lost: {after}} or {steps_aside: {after, distance}}';

function readBehaviour(r: Reader, v: Value | undefined): CustomerBehaviour | undefined {
  const { y } = r;
  if (v === undefined || v.node === null) return { kind: 'follow' };
  const node = y.resolve(v.node) as { value?: unknown } | undefined;
  if (node && typeof node.value === 'string') {
    return node.value === 'follow'
      ? { kind: 'follow' }
      : y.problem(v, `expected ${BEHAVIOURS}, found ${y.describe(v.node)}`);
  }
  const f = y.mapping(v, ['fall_behind', 'lost', 'steps_aside']);
  if (!f) return undefined;
  const kinds = [...f.keys()];
  if (kinds.length !== 1) {
    return y.problem(
      v,
      `expected one of ${BEHAVIOURS}, found ${kinds.length === 0 ? 'none' : kinds.join(' and ')}`,
    );
  }
  const kind = kinds[0]!;
  const b = f.get(kind)!;
  if (kind === 'fall_behind') {
    const g = y.mapping(b, ['after', 'for'], ['after', 'for']);
    const after = g && r.req(g, 'after', r.time);
    const dur = g && r.req(g, 'for', r.time);
    return after === undefined || dur === undefined ? undefined : { kind, after, for: dur };
  }
  if (kind === 'lost') {
    const g = y.mapping(b, ['after'], ['after']);
    const after = g && r.req(g, 'after', r.time);
    return after === undefined ? undefined : { kind, after };
  }
  const g = y.mapping(b, ['after', 'distance'], ['after', 'distance']);
  const after = g && r.req(g, 'after', r.time);
  const distance = g && r.req(g, 'distance', (dv) => y.number(dv, { min: 0.5, max: 10 }));
  return after === undefined || distance === undefined ? undefined : { kind: 'steps_aside', after, distance };
}

const EVENT_KINDS = [
  'obstacle',
  'estop',
  'cancel',
  'dispatch',
  'pause',
  'resume',
  'desk_status',
  'kidnap',
  'odometry_slip',
  'lidar_quiet',
  'battery_fault',
] as const;
/** Events that last a while: an obstacle may, a slip and a quiet lidar must. */
const WITH_DURATION: readonly string[] = ['obstacle', 'odometry_slip', 'lidar_quiet', 'battery_fault'];
const EVENT_FIELDS = ['at', 'request', 'after', 'duration', ...EVENT_KINDS] as const;
const EVENT_KINDS_TEXT = EVENT_KINDS.join(', ');
const DESK_STATES = ['open', 'closed', 'paused', 'hours'] as const;

/** An event; `extraKeys` are fields the caller reads itself (a fleet's `robot`). */
export function readEvent(
  r: Reader,
  v: Value,
  index: number,
  nCustomers: number,
  obstacleIds: Map<string, string>,
  extraKeys: readonly string[] = [],
): ScenarioEvent | undefined {
  const { y } = r;
  const f = y.mapping(v, [...EVENT_FIELDS, ...extraKeys]);
  if (!f) return undefined;
  const time = readEventTime(r, v, f, nCustomers);
  const kinds = EVENT_KINDS.filter((k) => f.has(k));
  if (kinds.length !== 1) {
    return y.problem(
      v,
      kinds.length === 0
        ? `needs one of ${EVENT_KINDS_TEXT}`
        : `expected one of ${EVENT_KINDS_TEXT}, found ${kinds.join(' and ')}`,
    );
  }
  const kind = kinds[0]!;
  if (!WITH_DURATION.includes(kind) && f.has('duration'))
    y.problem(
      f.get('duration')!,
      'only an obstacle, odometry_slip, lidar_quiet or battery_fault has a duration',
    );
  if (kind === 'kidnap' || kind === 'odometry_slip' || kind === 'lidar_quiet') {
    return time && readFault(r, v, f, kind, time);
  }
  if (kind === 'battery_fault') return time && readBatteryFault(r, v, f, time);
  if (kind === 'estop') {
    const action = y.string(f.get('estop')!, { oneOf: ['press', 'release'] }) as
      'press' | 'release' | undefined;
    return time && action ? { time, kind, action, where: v.where } : undefined;
  }
  if (kind === 'cancel' || kind === 'pause' || kind === 'resume') {
    const c = f.get(kind)!;
    const node = y.resolve(c.node) as { value?: unknown } | undefined;
    if (node?.value !== true) return y.problem(c, `expected true, found ${y.describe(c.node)}`);
    return time ? { time, kind, where: v.where } : undefined;
  }
  if (kind === 'dispatch') {
    const d = f.get('dispatch')!;
    const destination = y.string(d, { maxChars: 'nameChars' });
    if (destination !== undefined && destination !== 'dock')
      r.refs.push({ kind: 'destination', id: destination, where: d.where, path: pathOf(d) });
    return time && destination !== undefined ? { time, kind, destination, where: v.where } : undefined;
  }
  if (kind === 'desk_status') {
    const desk = readDeskStatus(r, f.get('desk_status')!);
    return time && desk ? { time, kind, desk, where: v.where } : undefined;
  }
  const obstacle = readObstacle(r, f.get('obstacle')!, index, obstacleIds);
  const durationS = r.opt(f, 'duration', r.time, undefined);
  if (!time || !obstacle || (f.has('duration') && durationS === undefined)) return undefined;
  return { time, kind, obstacle, ...(durationS !== undefined ? { durationS } : {}), where: v.where };
}

/** `desk_status: { desk, state, note, until }`: what staff set in the console. */
function readDeskStatus(r: Reader, v: Value): DeskStatusSpec | undefined {
  const { y } = r;
  const f = y.mapping(v, ['desk', 'state', 'note', 'until'], ['desk', 'state']);
  if (!f) return undefined;
  const deskValue = f.get('desk');
  const desk = r.req(f, 'desk', (dv) => y.string(dv, { maxChars: 'nameChars' }));
  if (desk !== undefined && deskValue)
    r.refs.push({ kind: 'destination', id: desk, where: deskValue.where, path: pathOf(deskValue) });
  const state = r.req(f, 'state', (sv) =>
    y.string(sv, {
      oneOf: DESK_STATES,
      oneOfText: 'open, closed, paused, or hours (its opening hours again)',
    }),
  ) as DeskStatusSpec['state'] | undefined;
  const note = r.opt(f, 'note', (nv) => y.string(nv, { maxChars: 'nameChars' }), '');
  const untilValue = f.get('until');
  let untilEpochMs: number | undefined;
  if (untilValue && untilValue.node !== null) {
    const text = y.string(untilValue);
    const ms = text === undefined ? NaN : Date.parse(text);
    if (text !== undefined && (!ISO_WITH_OFFSET.test(text) || Number.isNaN(ms))) {
      y.problem(
        untilValue,
        `expected an ISO 8601 time with offset like ${DEFAULT_START_TIME}, found ${y.describe(untilValue.node)}`,
      );
    } else untilEpochMs = ms;
  }
  if (state === 'hours' && untilValue) y.problem(untilValue, 'the opening hours need no end: remove until');
  if (desk === undefined || state === undefined || note === undefined) return undefined;
  if (untilValue && untilValue.node !== null && untilEpochMs === undefined) return undefined;
  return { desk, state, note, ...(untilEpochMs !== undefined ? { untilEpochMs } : {}) };
}

function readEventTime(
  r: Reader,
  v: Value,
  f: Map<string, Value>,
  nCustomers: number,
): EventTime | undefined {
  const { y } = r;
  const at = f.get('at');
  const request = f.get('request');
  if (at && request) return y.problem(v, 'give either `at` or `request` (with `after`), not both');
  if (at) {
    if (f.has('after'))
      y.problem(f.get('after')!, '`after` counts from a request: give `request: <index>` with it');
    const t = r.time(at);
    return t === undefined ? undefined : { at: t };
  }
  if (request) {
    if (nCustomers === 0) return y.problem(request, 'the scenario has no customers to time this event from');
    const i = y.number(request, { integer: true, min: 0, max: nCustomers - 1 });
    const after = r.opt(f, 'after', r.time, 0);
    return i === undefined || after === undefined ? undefined : { request: i, after };
  }
  return y.problem(v, 'needs a time: `at: <s>` or `request: <index>` with `after: <s into the escort>`');
}

function readObstacle(
  r: Reader,
  v: Value,
  index: number,
  ids: Map<string, string>,
): ObstacleSpec | undefined {
  const { y } = r;
  const o = y.mapping(v, ['id', 'kind', 'x', 'y', 'radius', 'width', 'height'], ['kind', 'x', 'y']);
  if (!o) return undefined;
  const kind = r.req(o, 'kind', (kv) => y.string(kv, { oneOf: ['disc', 'box'] }));
  const idValue = o.get('id');
  const id = r.opt(o, 'id', (iv) => y.string(iv, { maxChars: 'nameChars' }), `obstacle-${index}`);
  if (id !== undefined) {
    const first = ids.get(id);
    if (first)
      y.problem(idValue ?? v, `'${id}' is already the id of the obstacle at ${first}; expected a new id`);
    else ids.set(id, (idValue ?? v).where);
  }
  const x = r.req(o, 'x', (n) => y.number(n));
  const yy = r.req(o, 'y', (n) => y.number(n));
  const size = (key: string, max: number) => r.req(o, key, (n) => y.number(n, { min: 0.01, max }));
  const extra = (keys: string[]) => {
    for (const k of keys)
      if (o.has(k))
        y.problem(o.get(k)!, `not a field of a ${kind} (a disc has radius; a box has width and height)`);
  };
  if (kind === undefined || id === undefined || x === undefined || yy === undefined) return undefined;
  r.refs.push({ kind: 'place', x, y: yy, where: v.where, path: pathOf(v) });
  if (kind === 'disc') {
    extra(['width', 'height']);
    const radius = requireField(r, o, v, 'radius') && size('radius', 20);
    return radius === undefined || radius === false ? undefined : { id, kind, x, y: yy, radius };
  }
  extra(['radius']);
  const hasBoth = requireField(r, o, v, 'width') && requireField(r, o, v, 'height');
  const width = size('width', 50);
  const height = size('height', 50);
  if (!hasBoth || width === undefined || height === undefined) return undefined;
  return { id, kind: 'box', x, y: yy, width, height };
}

function requireField(r: Reader, o: Map<string, Value>, v: Value, key: string): boolean {
  if (o.has(key)) return true;
  r.y.problem({ ...v, path: [...v.path, key] }, 'missing');
  return false;
}

export function pathOf(v: Value): string {
  return v.path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/** `battery_fault: nan`, `battery_fault: freeze` or `battery_fault: { jump: <V> }`, with a duration. */
function readBatteryFault(
  r: Reader,
  v: Value,
  f: Map<string, Value>,
  time: EventTime,
): ScenarioEvent | undefined {
  const { y } = r;
  const body = f.get('battery_fault')!;
  const durationValue = f.get('duration');
  if (!durationValue) return y.problem(v, 'battery_fault needs a duration: `duration: <s>`');
  const durationS = r.time(durationValue);
  const node = y.resolve(body.node);
  let fault: BatteryReadingFault | undefined;
  if (isMap(node)) {
    const g = y.mapping(body, ['jump'], ['jump']);
    const offsetV = g && r.req(g, 'jump', (n) => y.number(n, { min: -5, max: 5 }));
    if (offsetV !== undefined) fault = { kind: 'jump', offsetV };
  } else {
    const kind = y.string(body, { oneOf: ['nan', 'freeze'], oneOfText: 'nan, freeze or { jump: <V> }' });
    if (kind === 'nan' || kind === 'freeze') fault = { kind };
  }
  if (!fault || durationS === undefined) return undefined;
  return { time, kind: 'battery_fault', fault, durationS, where: v.where };
}

/**
 * A localisation fault: `kidnap: {x, y, yaw}` (where the robot is carried, checked to be a free
 * cell of the map), `odometry_slip: {scale, drift}` with a duration, `lidar_quiet: true` with a
 * duration.
 */
function readFault(
  r: Reader,
  v: Value,
  f: Map<string, Value>,
  kind: 'kidnap' | 'odometry_slip' | 'lidar_quiet',
  time: EventTime,
): ScenarioEvent | undefined {
  const { y } = r;
  const body = f.get(kind)!;
  if (kind === 'kidnap') {
    const g = y.mapping(body, ['x', 'y', 'yaw'], ['x', 'y']);
    const x = g && r.req(g, 'x', (n) => y.number(n));
    const yy = g && r.req(g, 'y', (n) => y.number(n));
    const yaw = g && r.opt(g, 'yaw', (n) => y.number(n), 0);
    if (x === undefined || yy === undefined || yaw === undefined) return undefined;
    const to = { x, y: yy, yaw };
    r.refs.push({ kind: 'start', pose: to, where: body.where, path: pathOf(body) });
    return { time, kind, to, where: v.where };
  }
  const durationValue = f.get('duration');
  if (!durationValue) return y.problem(v, `${kind} needs a duration: \`duration: <s>\``);
  const durationS = r.time(durationValue);
  if (kind === 'lidar_quiet') {
    const node = y.resolve(body.node) as { value?: unknown } | undefined;
    if (node?.value !== true) return y.problem(body, `expected true, found ${y.describe(body.node)}`);
    return durationS === undefined ? undefined : { time, kind, durationS, where: v.where };
  }
  const g = y.mapping(body, ['scale', 'drift']);
  if (g && !g.has('scale') && !g.has('drift')) return y.problem(body, 'expected scale, drift or both');
  const scale = g && r.opt(g, 'scale', (n) => y.number(n, { min: 0.5, max: 2 }), 1);
  const drift = g && r.opt(g, 'drift', (n) => y.number(n, { min: -1, max: 1 }), 0);
  if (scale === undefined || drift === undefined || durationS === undefined) return undefined;
  return { time, kind, scale, driftRadPerM: drift, durationS, where: v.where };
}
