/**
 * Fleet scenario files: several robots on one floor (`robots:`), or several floors at once
 * (`floors:`), all on one clock. Schema: docs/fleet-sim.md. A file with neither is an ordinary
 * scenario (scenario.ts), read as before. Every problem is reported at once with file:line and
 * field path, as for a scenario; what names a site (desks, docks, starts) is checked against the
 * site before the run (fleet-site.ts).
 */
import path from 'node:path';
import { isMap, isScalar } from 'yaml';
import { InputError, LIMITS, readInputFile } from '../src/input/index.js';
import type { Pose2D } from '../src/ros/index.js';
import { readCrowdSpec, type CrowdSpec } from './crowd-spec.js';
import { SimError } from './errors.js';
import { Rng } from './rng.js';
import {
  Reader,
  parseScenario,
  pathOf,
  readCustomer,
  readEvent,
  readStartTime,
  type CustomerSpec,
  type Scenario,
  type ScenarioEvent,
  type ScenarioFile,
  type SiteRef,
} from './scenario.js';
import { ScenarioYaml, limitText, type FieldPath, type Value } from './scenario-yaml.js';

/** A robot's id: short, lower case, safe in a topic name or a NATS subject. */
export const ROBOT_ID = /^[a-z][a-z0-9-]{0,31}$/;
/** Docks and starts on one floor stand at least this far apart, centre to centre, m. */
export const MIN_APART_M = 1;

export interface FleetRobotSpec {
  id: string;
  start: 'dock' | Pose2D;
  /** Its own dock (the site's dock for a floor's first robot unless given). */
  dock: Pose2D;
  /** `dock` is the site's (filled in once the site is loaded). */
  siteDock: boolean;
  where: string;
  /** Where the file gives the dock (undefined: the site's). */
  dockAt?: { where: string; path: FieldPath };
}

export interface FleetFloorSpec {
  /** Absolute path of the site folder. */
  siteDir: string;
  robots: FleetRobotSpec[];
  /** The floor's crowd: in the first robot's world, seen by every robot (docs/fleet-sim.md). */
  pedestrians: number;
  crowd?: CrowdSpec;
  /** Each customer with the robot they ask. */
  customers: Array<{ robot: string; spec: CustomerSpec }>;
  events: Array<{ robot: string; event: ScenarioEvent }>;
  /** What the floor names of its site, checked before the run. */
  siteRefs: SiteRef[];
  where: string;
}

/** A robot's computer dies at `atS`: it stands where it is, an obstacle to the others. */
export interface FleetKill {
  atS: number;
  robot: string;
  where: string;
}

export interface FleetScenario {
  file: string;
  name: string;
  description: string;
  seed: number;
  startEpochMs: number;
  timeLimitS: number;
  floors: FleetFloorSpec[];
  kills: FleetKill[];
  expect: Scenario['expect'];
}

const COMMON = ['name', 'description', 'seed', 'start_time', 'time_limit', 'expect'] as const;
const FLOOR_FIELDS = ['site', 'robots', 'pedestrians', 'crowd', 'customers', 'events'] as const;

/** True when the text is a fleet scenario (its top level has `robots` or `floors`). */
export function isFleetText(text: string, file: string): boolean {
  const yaml = ScenarioYaml.parse(text, file);
  if (!(yaml instanceof ScenarioYaml)) return false;
  const { value } = yaml.read((root) => {
    const node = yaml.resolve(root.node);
    if (!isMap(node)) return false;
    return node.items.some((p) => isScalar(p.key) && (p.key.value === 'robots' || p.key.value === 'floors'));
  });
  return value === true;
}

/** Reads a scenario file of either kind. */
export async function loadAnyScenario(file: string): Promise<ScenarioFile | FleetScenario> {
  let text: string;
  try {
    text = (await readInputFile(file, { limit: 'yamlFileBytes' })).toString('utf8');
  } catch (e) {
    if (e instanceof InputError)
      throw new SimError('SCENARIO_READ', file, e.message.slice(e.where.length + 2));
    throw e;
  }
  return isFleetText(text, file) ? parseFleetScenario(text, file) : parseScenario(text, file);
}

export function isFleetScenario(s: ScenarioFile | FleetScenario): s is FleetScenario {
  return 'floors' in s;
}

/** Parses a fleet scenario; throws SimError listing every problem, each with file:line and field. */
export function parseFleetScenario(text: string, file: string): FleetScenario {
  const yaml = ScenarioYaml.parse(text, file);
  if (!(yaml instanceof ScenarioYaml)) throw SimError.of('SCENARIO_SYNTAX', [yaml]);
  const { value, problems } = yaml.read((root) => readFleet(yaml, root, file));
  if (problems.length > 0 || !value) throw SimError.of('SCENARIO_FIELD', problems);
  return value;
}

function readFleet(y: ScenarioYaml, root: Value, file: string): FleetScenario | undefined {
  const top = y.mapping(root, [...COMMON, ...FLOOR_FIELDS, 'floors'], ['seed']);
  if (!top) return undefined;
  const r = new Reader(y, []);
  const startEpochMs = readStartTime(r, top);
  const name = r.opt(
    top,
    'name',
    (v) => y.string(v, { maxChars: 'nameChars' }),
    path.basename(file, '.yaml'),
  );
  const description = r.opt(top, 'description', (v) => y.string(v), '');
  const seed = r.req(top, 'seed', (v) => y.number(v, { integer: true, min: 0, max: 2 ** 32 - 1 }));
  const timeLimitS = r.opt(top, 'time_limit', (v) => y.number(v, { min: 1, limit: 'durationS' }), 3600);
  const expect = readExpect(r, top);
  const ids = new Map<string, string>();
  const floors = readFloors(y, root, top, file, ids);
  const kills: FleetKill[] = [];
  for (const f of floors ?? []) for (const k of f.kills) kills.push(k);
  const totalRobots = (floors ?? []).reduce((n, f) => n + f.floor.robots.length, 0);
  if (totalRobots > LIMITS.fleetRobots.value)
    y.problem(root, `${totalRobots} robots; ${limitText('fleetRobots')}`);
  if (y.problems.length > 0 || !floors || seed === undefined || name === undefined) return undefined;
  if (description === undefined || timeLimitS === undefined || !expect) return undefined;
  return {
    file,
    name,
    description,
    seed,
    startEpochMs,
    timeLimitS,
    floors: floors.map((f) => f.floor),
    kills: kills.sort((a, b) => a.atS - b.atS),
    expect,
  };
}

function readExpect(r: Reader, top: Map<string, Value>): Scenario['expect'] | undefined {
  const { y } = r;
  const f = r.opt(top, 'expect', (v) => y.mapping(v, ['collisions', 'min_person_distance']), new Map());
  if (!f) return undefined;
  const out: Scenario['expect'] = {};
  const collisions = r.opt(f, 'collisions', (v) => y.number(v, { min: 0, integer: true }), undefined);
  if (collisions !== undefined) out.collisions = collisions;
  const minPerson = r.opt(f, 'min_person_distance', (v) => y.number(v, { min: 0 }), undefined);
  if (minPerson !== undefined) out.minPersonDistanceM = minPerson;
  return out;
}

type FloorRead = { floor: FleetFloorSpec; kills: FleetKill[] };

/** `floors: [...]`, or the one floor written at the top level (`site`, `robots`, …). */
function readFloors(
  y: ScenarioYaml,
  root: Value,
  top: Map<string, Value>,
  file: string,
  ids: Map<string, string>,
): FloorRead[] | undefined {
  const floorsValue = top.get('floors');
  if (!floorsValue) {
    if (!top.has('site'))
      return y.problem({ ...root, path: ['site'] }, 'required field missing (or give floors)');
    const one = readFloor(y, root, top, file, ids);
    return one && [one];
  }
  for (const key of FLOOR_FIELDS) {
    if (top.has(key)) y.problem(top.get(key)!, 'with floors, give this within each floor');
  }
  const items = y.list(floorsValue);
  if (!items) return undefined;
  if (items.length === 0) return y.problem(floorsValue, 'expected at least one floor');
  if (items.length > LIMITS.fleetFloors.value)
    return y.problem(floorsValue, `${items.length} floors; ${limitText('fleetFloors')}`);
  const floors = items.map((item) => {
    const f = y.mapping(item, FLOOR_FIELDS, ['site']);
    return f && readFloor(y, item, f, file, ids);
  });
  return floors.every((f) => f !== undefined) ? floors : undefined;
}

function readFloor(
  y: ScenarioYaml,
  v: Value,
  f: Map<string, Value>,
  file: string,
  ids: Map<string, string>,
): FloorRead | undefined {
  const r = new Reader(y, []);
  const siteValue = f.get('site');
  const siteRel = siteValue && y.string(siteValue);
  const siteDir = siteRel === undefined ? '' : path.resolve(path.dirname(file), siteRel);
  if (siteRel !== undefined)
    r.refs.push({ kind: 'site', dir: siteDir, where: siteValue!.where, path: pathOf(siteValue!) });
  // Every id read, even when another robot of the floor is wrong, so customers are checked too.
  const robotIds: string[] = [];
  const robots = readRobots(r, f.get('robots'), v, ids, robotIds);
  const pedestrians = r.opt(
    f,
    'pedestrians',
    (pv) => y.number(pv, { integer: true, min: 0, limit: 'crowdPeople' }),
    0,
  );
  const crowd = r.opt(f, 'crowd', (cv) => readCrowdSpec(y, cv), undefined);
  if (f.has('crowd') && f.has('pedestrians'))
    y.problem(f.get('crowd')!, 'give either pedestrians (the shorthand) or crowd, not both');
  const customers = readCustomers(r, f.get('customers'), robotIds);
  const perRobot = new Map<string, number>();
  for (const c of customers ?? []) perRobot.set(c.robot, (perRobot.get(c.robot) ?? 0) + 1);
  const read = readEvents(r, f.get('events'), robotIds, perRobot);
  if (!robots || !customers || !read || pedestrians === undefined || siteRel === undefined) return undefined;
  const floor: FleetFloorSpec = {
    siteDir,
    robots,
    pedestrians: crowd?.count ?? pedestrians,
    ...(crowd ? { crowd } : {}),
    customers,
    events: read.events,
    siteRefs: r.refs,
    where: v.where,
  };
  return { floor, kills: read.kills };
}

/** `robots: [{ id, start, dock }]`; without it, one robot `r1` on the site's dock. */
function readRobots(
  r: Reader,
  v: Value | undefined,
  floor: Value,
  ids: Map<string, string>,
  robotIds: string[],
): FleetRobotSpec[] | undefined {
  const { y } = r;
  if (v === undefined || v.node === null) {
    robotIds.push('r1');
    return claimId(r, floor, 'r1', ids)
      ? [{ id: 'r1', start: 'dock', dock: { x: 0, y: 0, yaw: 0 }, siteDock: true, where: floor.where }]
      : undefined;
  }
  const items = y.list(v);
  if (!items) return undefined;
  if (items.length === 0) return y.problem(v, 'expected at least one robot');
  const robots = items.map((item, i) => readRobot(r, item, i === 0, ids));
  for (const b of robots) if (b) robotIds.push(b.id);
  if (!robots.every((b) => b !== undefined)) return undefined;
  checkApart(r, robots);
  return robots;
}

function readRobot(
  r: Reader,
  v: Value,
  first: boolean,
  ids: Map<string, string>,
): FleetRobotSpec | undefined {
  const { y } = r;
  const f = y.mapping(v, ['id', 'start', 'dock'], first ? ['id'] : ['id', 'dock']);
  if (!f) return undefined;
  const idValue = f.get('id');
  const id = idValue && y.string(idValue);
  if (id !== undefined && !ROBOT_ID.test(id)) {
    y.problem(
      idValue!,
      `expected an id of lower-case letters, digits and '-', starting with a letter, at most 32 characters (${ROBOT_ID.source}), found ${y.describe(idValue!.node)}`,
    );
    return undefined;
  }
  const dockValue = f.get('dock');
  const dock = dockValue ? readPose(r, dockValue) : undefined;
  const startValue = f.get('start');
  const startNode = startValue && (y.resolve(startValue.node) as { value?: unknown } | null);
  const start =
    !startValue || startValue.node === null || startNode?.value === 'dock' ? 'dock' : readPose(r, startValue);
  if (id === undefined || !claimId(r, idValue!, id, ids) || start === undefined) return undefined;
  if (dockValue && !dock) return undefined;
  return {
    id,
    start,
    dock: dock ?? { x: 0, y: 0, yaw: 0 },
    siteDock: !dock,
    where: v.where,
    ...(dockValue ? { dockAt: { where: dockValue.where, path: dockValue.path } } : {}),
  };
}

/** `{ x, y, yaw }`, a place on the site's map (checked to be a free cell before the run). */
function readPose(r: Reader, v: Value): Pose2D | undefined {
  const { y } = r;
  const g = y.mapping(v, ['x', 'y', 'yaw'], ['x', 'y']);
  const x = g && r.req(g, 'x', (n) => y.number(n));
  const yy = g && r.req(g, 'y', (n) => y.number(n));
  const yaw = g && r.opt(g, 'yaw', (n) => y.number(n), 0);
  if (x === undefined || yy === undefined || yaw === undefined) return undefined;
  const pose = { x, y: yy, yaw };
  r.refs.push({ kind: 'start', pose, where: v.where, path: pathOf(v) });
  return pose;
}

function claimId(r: Reader, v: Value, id: string, ids: Map<string, string>): boolean {
  const first = ids.get(id);
  if (first) {
    r.y.problem(v, `'${id}' is already the id of the robot at ${first}; expected a new id`);
    return false;
  }
  ids.set(id, v.where);
  return true;
}

/**
 * Docks (and starts) given in the file stand apart: two robots cannot share a dock, nor start in
 * each other. The site's dock is checked against the others once the site is loaded.
 */
function checkApart(r: Reader, robots: readonly FleetRobotSpec[]): void {
  for (let i = 0; i < robots.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = robots[i]!;
      const b = robots[j]!;
      if (a.dockAt && b.dockAt && Math.hypot(a.dock.x - b.dock.x, a.dock.y - b.dock.y) < MIN_APART_M) {
        r.y.problem(
          { node: null, ...a.dockAt },
          `within ${MIN_APART_M} m of ${b.id}'s dock (${b.dockAt.where}); expected a dock of its own`,
        );
      }
    }
  }
}

/** The robot a customer or an event names (`robot: r2`), default the floor's first. */
function robotOf(r: Reader, v: Value, robotIds: readonly string[]): string | undefined {
  const { y } = r;
  const node = y.resolve(v.node);
  if (!isMap(node)) return robotIds[0];
  const pair = node.items.find((p) => isScalar(p.key) && p.key.value === 'robot');
  if (!pair) return robotIds[0];
  const value = y.valueAt(pair.value, [...v.path, 'robot'], v.where);
  const id = y.string(value);
  if (id === undefined) return undefined;
  if (!robotIds.includes(id)) {
    return y.problem(
      value,
      `names no robot of this floor; expected one of ${robotIds.join(', ') || '(none)'}, found ${y.describe(value.node)}`,
    );
  }
  return id;
}

function readCustomers(
  r: Reader,
  v: Value | undefined,
  robotIds: readonly string[],
): FleetFloorSpec['customers'] | undefined {
  if (v === undefined || v.node === null) return [];
  const items = r.y.list(v, 'scenarioCustomers');
  if (!items) return undefined;
  const out = items.map((item) => {
    const robot = robotOf(r, item, robotIds);
    const spec = readCustomer(r, item, ['robot']);
    return robot === undefined || spec === undefined ? undefined : { robot, spec };
  });
  return out.every((c) => c !== undefined) ? out : undefined;
}

/**
 * Events, each for one robot (`robot:`, default the floor's first); `request: i` counts that
 * robot's customers. `kill: true` stops the robot's computer. An obstacle would appear in one
 * robot's world only, so a floor of several robots refuses it (docs/fleet-sim.md).
 */
function readEvents(
  r: Reader,
  v: Value | undefined,
  robotIds: readonly string[],
  perRobot: ReadonlyMap<string, number>,
): { events: FleetFloorSpec['events']; kills: FleetKill[] } | undefined {
  const { y } = r;
  if (v === undefined || v.node === null) return { events: [], kills: [] };
  const items = y.list(v, 'scenarioEvents');
  if (!items) return undefined;
  const events: FleetFloorSpec['events'] = [];
  const kills: FleetKill[] = [];
  const obstacleIds = new Map<string, string>();
  let ok = true;
  items.forEach((item, i) => {
    const robot = robotOf(r, item, robotIds);
    const node = y.resolve(item.node);
    const has = (key: string) =>
      isMap(node) && node.items.some((p) => isScalar(p.key) && p.key.value === key);
    if (has('kill')) {
      const kill = readKill(r, item);
      if (kill && robot !== undefined) kills.push({ ...kill, robot });
      else ok = false;
      return;
    }
    if (has('obstacle') && robotIds.length > 1) {
      y.problem(
        item,
        "an obstacle on a floor of several robots is not supported yet (it would stand in one robot's world only)",
      );
      ok = false;
      return;
    }
    const event =
      robot === undefined
        ? undefined
        : readEvent(r, item, i, perRobot.get(robot) ?? 0, obstacleIds, ['robot']);
    if (event && robot !== undefined) events.push({ robot, event });
    else ok = false;
  });
  return ok ? { events, kills } : undefined;
}

function readKill(r: Reader, v: Value): Omit<FleetKill, 'robot'> | undefined {
  const { y } = r;
  const f = y.mapping(v, ['at', 'robot', 'kill'], ['at']);
  const kill = f?.get('kill');
  const node = kill && (y.resolve(kill.node) as { value?: unknown } | null);
  if (kill && node?.value !== true) return y.problem(kill, `expected true, found ${y.describe(kill.node)}`);
  const atS = f && r.req(f, 'at', r.time);
  return atS === undefined ? undefined : { atS, where: v.where };
}

/**
 * One robot's part as an ordinary scenario: its customers and events, the floor's crowd for the
 * floor's first robot (it lives in that robot's world, every robot sees it), and its own seed (the
 * scenario's for the first robot, so a fleet of one runs as the scenario it is).
 */
export function robotScenario(fleet: FleetScenario, floor: FleetFloorSpec, robot: FleetRobotSpec): Scenario {
  const first = fleet.floors[0]!.robots[0] === robot;
  const firstOnFloor = floor.robots[0] === robot;
  return {
    file: fleet.file,
    name: `${fleet.name}/${robot.id}`,
    description: fleet.description,
    siteDir: floor.siteDir,
    seed: first ? fleet.seed : new Rng(fleet.seed).fork(`robot/${robot.id}`).nextUint32(),
    startEpochMs: fleet.startEpochMs,
    robotStart: robot.start,
    pedestrians: firstOnFloor ? floor.pedestrians : 0,
    ...(firstOnFloor && floor.crowd ? { crowd: floor.crowd } : {}),
    timeLimitS: fleet.timeLimitS,
    customers: floor.customers.filter((c) => c.robot === robot.id).map((c) => c.spec),
    events: floor.events.filter((e) => e.robot === robot.id).map((e) => e.event),
    expect: fleet.expect,
  };
}

/**
 * True when `file` holds a fleet scenario; false for an ordinary one, and when it cannot be read
 * (the ordinary loader then says why, as before).
 */
export async function isFleetFile(file: string): Promise<boolean> {
  try {
    const bytes = await readInputFile(file, { limit: 'yamlFileBytes' });
    return isFleetText(bytes.toString('utf8'), file);
  } catch {
    return false;
  }
}
