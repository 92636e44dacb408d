/**
 * Scenario files: what a simulated run contains (site, seed, customers and what they ask,
 * events) and what it must show (expectations). Schema: docs/scenarios.md. Every error names
 * the file, line and field path.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, isMap, isSeq, parseDocument, type Document } from 'yaml';
import { PHRASE_KINDS } from '../src/interaction/index.js';
import { OUTCOMES, type Outcome } from '../src/robot/index.js';
import type { Pose2D } from '../src/ros/index.js';

export class ScenarioError extends Error {
  constructor(
    readonly code: 'SCENARIO_READ' | 'SCENARIO_SYNTAX' | 'SCENARIO_FIELD',
    readonly where: string,
    what: string,
  ) {
    super(`${where}: ${what}`);
    this.name = 'ScenarioError';
  }
}

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
  behaviour: CustomerBehaviour;
  expect?: {
    outcome?: Outcome;
    destination?: string;
    /** Phrase kinds the robot must say to this customer, in this order (others may come between). */
    says?: string[];
  };
  /** Line in the file, for messages. */
  where: string;
}

export type EventTime = { at: number } | { request: number; after: number };
export type ObstacleSpec =
  | { id: string; kind: 'disc'; x: number; y: number; radius: number }
  | { id: string; kind: 'box'; x: number; y: number; width: number; height: number };
export type ScenarioEvent =
  | { time: EventTime; kind: 'obstacle'; obstacle: ObstacleSpec; durationS?: number; where: string }
  | { time: EventTime; kind: 'estop'; action: 'press' | 'release'; where: string }
  | { time: EventTime; kind: 'cancel'; where: string };

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
  /** Background pedestrians wandering the floor. */
  pedestrians: number;
  /** Hard stop in simulated seconds. */
  timeLimitS: number;
  customers: CustomerSpec[];
  events: ScenarioEvent[];
  expect: { collisions?: number; minPersonDistanceM?: number };
}

type Path = Array<string | number>;

/** Reads fields out of a parsed YAML document, failing with file:line and the field path. */
class Fields {
  constructor(
    private readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  where(p: Path): string {
    for (let depth = p.length; depth >= 0; depth--) {
      const node = this.doc.getIn(p.slice(0, depth), true) as
        { range?: [number, number, number] } | undefined;
      if (node?.range) return `${this.file}:${this.lines.linePos(node.range[0]).line}`;
    }
    return this.file;
  }

  fail(p: Path, what: string): never {
    throw new ScenarioError('SCENARIO_FIELD', this.where(p), `${fieldPath(p)}: ${what}`);
  }

  raw(p: Path): unknown {
    const node = this.doc.getIn(p, true);
    if (node === undefined) return undefined;
    return this.doc.getIn(p);
  }

  has(p: Path): boolean {
    return this.doc.hasIn(p);
  }

  number(p: Path, opts: { min?: number; max?: number; integer?: boolean; default?: number } = {}): number {
    const v = this.raw(p);
    if (v === undefined || v === null) {
      if (opts.default !== undefined) return opts.default;
      this.fail(p, 'missing, expected a number');
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(p, `expected a number, found ${show(v)}`);
    if (opts.integer && !Number.isInteger(v)) this.fail(p, `expected a whole number, found ${v}`);
    if (opts.min !== undefined && v < opts.min) this.fail(p, `expected ≥ ${opts.min}, found ${v}`);
    if (opts.max !== undefined && v > opts.max) this.fail(p, `expected ≤ ${opts.max}, found ${v}`);
    return v;
  }

  string(p: Path, opts: { default?: string; oneOf?: readonly string[] } = {}): string {
    const v = this.raw(p);
    if (v === undefined || v === null) {
      if (opts.default !== undefined) return opts.default;
      this.fail(p, 'missing, expected a string');
    }
    const s = typeof v === 'number' ? String(v) : v;
    if (typeof s !== 'string') this.fail(p, `expected a string, found ${show(v)}`);
    if (opts.oneOf && !opts.oneOf.includes(s))
      this.fail(p, `expected one of ${opts.oneOf.join(', ')}, found '${s}'`);
    return s;
  }

  list(p: Path, required = false): number {
    const node = this.doc.getIn(p, true);
    if (node === undefined || node === null) {
      if (required) this.fail(p, 'missing, expected a list');
      return 0;
    }
    if (!isSeq(node)) this.fail(p, 'expected a list');
    return node.items.length;
  }

  /** Fails on keys not in `allowed`: a typo must not silently drop an expectation. */
  keys(p: Path, allowed: readonly string[], required = false): string[] {
    const node = p.length === 0 ? this.doc.contents : this.doc.getIn(p, true);
    if (node === undefined || node === null) {
      if (required) this.fail(p, `missing, expected a mapping with ${allowed.join(', ')}`);
      return [];
    }
    if (!isMap(node)) this.fail(p, `expected a mapping with ${allowed.join(', ')}`);
    const keys = node.items.map((item) => String((item.key as { value?: unknown }).value ?? item.key));
    for (const k of keys) {
      if (!allowed.includes(k)) this.fail([...p, k], `unknown field (expected one of ${allowed.join(', ')})`);
    }
    return keys;
  }
}

function fieldPath(p: Path): string {
  return p.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('') || '(document)';
}

function show(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : (JSON.stringify(v) ?? String(v));
}

export async function loadScenario(file: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ScenarioError('SCENARIO_READ', file, `cannot read: ${(e as Error).message}`);
  }
  return parseScenario(text, file);
}

export function parseScenario(text: string, file: string): Scenario {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const line = lines.linePos(first.pos[0]).line;
    throw new ScenarioError('SCENARIO_SYNTAX', `${file}:${line}`, `YAML: ${first.message.split('\n')[0]}`);
  }
  const f = new Fields(file, doc, lines);
  f.keys(
    [],
    [
      'name',
      'description',
      'site',
      'seed',
      'start_time',
      'robot',
      'pedestrians',
      'time_limit',
      'customers',
      'events',
      'expect',
    ],
    true,
  );

  const startText = f.string(['start_time'], { default: '2026-11-26T10:00:00+02:00' });
  const startEpochMs = Date.parse(startText);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?(Z|[+-]\d\d:\d\d)$/.test(startText) || Number.isNaN(startEpochMs)) {
    f.fail(
      ['start_time'],
      `expected an ISO 8601 time with offset like 2026-11-26T10:00:00+02:00, found "${startText}"`,
    );
  }

  let robotStart: Scenario['robotStart'] = 'dock';
  if (f.has(['robot'])) {
    f.keys(['robot'], ['start']);
    if (f.raw(['robot', 'start']) !== 'dock' && f.has(['robot', 'start'])) {
      f.keys(['robot', 'start'], ['x', 'y', 'yaw']);
      robotStart = {
        x: f.number(['robot', 'start', 'x']),
        y: f.number(['robot', 'start', 'y']),
        yaw: f.number(['robot', 'start', 'yaw'], { default: 0 }),
      };
    }
  }

  const customers: CustomerSpec[] = [];
  const nCustomers = f.list(['customers']);
  for (let i = 0; i < nCustomers; i++) customers.push(parseCustomer(f, ['customers', i]));

  const events: ScenarioEvent[] = [];
  const nEvents = f.list(['events']);
  for (let i = 0; i < nEvents; i++) events.push(parseEvent(f, ['events', i], nCustomers));

  const expect: Scenario['expect'] = {};
  if (f.has(['expect'])) {
    f.keys(['expect'], ['collisions', 'min_person_distance']);
    if (f.has(['expect', 'collisions']))
      expect.collisions = f.number(['expect', 'collisions'], { min: 0, integer: true });
    if (f.has(['expect', 'min_person_distance'])) {
      expect.minPersonDistanceM = f.number(['expect', 'min_person_distance'], { min: 0 });
    }
  }

  const siteRel = f.string(['site']);
  return {
    file,
    name: f.string(['name'], { default: path.basename(file, path.extname(file)) }),
    description: f.string(['description'], { default: '' }),
    siteDir: path.resolve(path.dirname(file), siteRel),
    seed: f.number(['seed'], { integer: true, min: 0, max: 2 ** 32 - 1 }),
    startEpochMs,
    robotStart,
    pedestrians: f.number(['pedestrians'], { integer: true, min: 0, max: 200, default: 0 }),
    timeLimitS: f.number(['time_limit'], { min: 1, max: 7 * 24 * 3600, default: 3600 }),
    customers,
    events,
    expect,
  };
}

function parseCustomer(f: Fields, p: Path): CustomerSpec {
  f.keys(p, ['at', 'ask', 'language', 'behaviour', 'expect'], true);
  const behaviour = parseBehaviour(f, [...p, 'behaviour']);
  let expect: CustomerSpec['expect'];
  if (f.has([...p, 'expect'])) {
    f.keys([...p, 'expect'], ['outcome', 'destination', 'says']);
    expect = {};
    if (f.has([...p, 'expect', 'outcome'])) {
      expect.outcome = f.string([...p, 'expect', 'outcome'], { oneOf: OUTCOMES }) as Outcome;
    }
    if (f.has([...p, 'expect', 'destination']))
      expect.destination = f.string([...p, 'expect', 'destination']);
    if (f.has([...p, 'expect', 'says'])) {
      const n = f.list([...p, 'expect', 'says']);
      expect.says = Array.from({ length: n }, (_, i) =>
        f.string([...p, 'expect', 'says', i], { oneOf: PHRASE_KINDS }),
      );
    }
  }
  return {
    at: f.number([...p, 'at'], { min: 0, default: 0 }),
    ask: f.string([...p, 'ask']),
    language: f.string([...p, 'language'], { default: '', oneOf: ['', 'fi', 'sv', 'en'] }),
    behaviour,
    ...(expect ? { expect } : {}),
    where: f.where(p),
  };
}

const BEHAVIOURS = '{fall_behind: …}, {lost: …} or {steps_aside: …}';

function parseBehaviour(f: Fields, p: Path): CustomerBehaviour {
  const raw = f.raw(p);
  if (raw === undefined || raw === 'follow') return { kind: 'follow' };
  if (typeof raw === 'string') f.fail(p, `expected follow, ${BEHAVIOURS}, found "${raw}"`);
  const [kind] = f.keys(p, ['fall_behind', 'lost', 'steps_aside'], true);
  if (kind === 'fall_behind') {
    f.keys([...p, kind], ['after', 'for'], true);
    return {
      kind,
      after: f.number([...p, kind, 'after'], { min: 0 }),
      for: f.number([...p, kind, 'for'], { min: 0 }),
    };
  }
  if (kind === 'lost') {
    f.keys([...p, kind], ['after'], true);
    return { kind, after: f.number([...p, kind, 'after'], { min: 0 }) };
  }
  if (kind === 'steps_aside') {
    f.keys([...p, kind], ['after', 'distance'], true);
    return {
      kind,
      after: f.number([...p, kind, 'after'], { min: 0 }),
      distance: f.number([...p, kind, 'distance'], { min: 0.5, max: 10 }),
    };
  }
  return f.fail(p, `expected follow, ${BEHAVIOURS}`);
}

function parseEvent(f: Fields, p: Path, nCustomers: number): ScenarioEvent {
  const keys = f.keys(p, ['at', 'request', 'after', 'obstacle', 'estop', 'cancel', 'duration'], true);
  let time: EventTime;
  if (keys.includes('at')) {
    time = { at: f.number([...p, 'at'], { min: 0 }) };
  } else if (keys.includes('request')) {
    time = {
      request: f.number([...p, 'request'], { integer: true, min: 0, max: Math.max(0, nCustomers - 1) }),
      after: f.number([...p, 'after'], { min: 0, default: 0 }),
    };
  } else {
    f.fail(p, 'needs a time: `at: <s>` or `request: <index>` with `after: <s into the escort>`');
  }
  const where = f.where(p);
  if (keys.includes('obstacle')) {
    const o = [...p, 'obstacle'];
    const kind = f.string([...o, 'kind'], { oneOf: ['disc', 'box'] });
    const id = f.string([...o, 'id'], { default: `obstacle-${String(p[1])}` });
    const x = f.number([...o, 'x']);
    const y = f.number([...o, 'y']);
    let obstacle: ObstacleSpec;
    if (kind === 'disc') {
      f.keys(o, ['id', 'kind', 'x', 'y', 'radius']);
      obstacle = { id, kind, x, y, radius: f.number([...o, 'radius'], { min: 0.01, max: 20 }) };
    } else {
      f.keys(o, ['id', 'kind', 'x', 'y', 'width', 'height']);
      obstacle = {
        id,
        kind: 'box',
        x,
        y,
        width: f.number([...o, 'width'], { min: 0.01, max: 50 }),
        height: f.number([...o, 'height'], { min: 0.01, max: 50 }),
      };
    }
    const ev: ScenarioEvent = { time, kind: 'obstacle', obstacle, where };
    if (keys.includes('duration')) ev.durationS = f.number([...p, 'duration'], { min: 0 });
    return ev;
  }
  if (keys.includes('estop')) {
    return {
      time,
      kind: 'estop',
      action: f.string([...p, 'estop'], { oneOf: ['press', 'release'] }) as 'press' | 'release',
      where,
    };
  }
  if (keys.includes('cancel')) return { time, kind: 'cancel', where };
  return f.fail(p, 'needs one of obstacle, estop, cancel');
}
