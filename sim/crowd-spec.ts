/**
 * A scenario's `crowd:` section (docs/scenarios.md): how many people walk the floor (a count, or
 * a density of people per 100 m² of free floor), and what share of them walk in groups, queue at
 * desks or stop to read signs. Read here from the scenario's YAML, each problem with its
 * file:line and field path; `pedestrians: N` is the shorthand for `crowd: { count: N }`.
 */
import { LIMITS } from '../src/input/index.js';
import type { ScenarioYaml, Value } from './scenario-yaml.js';

export interface CrowdSpec {
  /** Exactly this many people, or ... */
  count?: number;
  /** ... this many per 100 m² of the floor people can walk on. */
  densityPer100M2?: number;
  /** Share of the people who walk in groups of 2–4, 0…1. */
  groups: number;
  /** Share of the people walking alone who queue at the desks, 0…1 (`queues: true` is 0.2). */
  queues: number;
  /** Share of the people walking alone who stop to read signs, 0…1. */
  readers: number;
  /** Seeds the crowd alone (default: the scenario's seed). */
  seed?: number;
}

/** Named densities, people per 100 m² of free floor (0.02 and 0.1 people per m²). */
export const CROWD_DENSITIES = { empty: 0, light: 2, busy: 10 } as const;
/** A denser floor than this is no longer walkable at a pace (Fruin's level of service E). */
export const MAX_DENSITY_PER_100M2 = 100;
/** The share of lone walkers who queue when a scenario says `queues: true`. */
export const QUEUES_TRUE_SHARE = 0.2;

const CROWD_FIELDS = ['count', 'density', 'groups', 'queues', 'readers', 'seed'] as const;

/** The shorthand `pedestrians: N`: N people walking alone from place to place. */
export function wanderers(count: number): CrowdSpec {
  return { count, groups: 0, queues: 0, readers: 0 };
}

/** Reads `crowd:`; problems go to the YAML reader (file:line, field path). */
export function readCrowdSpec(y: ScenarioYaml, v: Value): CrowdSpec | undefined {
  const f = y.mapping(v, CROWD_FIELDS);
  if (!f) return undefined;
  const field = <T>(key: string, read: (x: Value) => T | undefined): T | undefined | null => {
    const x = f.get(key);
    return x === undefined || x.node === null ? null : read(x);
  };
  const count = field('count', (x) => y.number(x, { integer: true, min: 0, limit: 'crowdPeople' }));
  const density = field('density', (x) => readDensity(y, x));
  const share = (x: Value) => y.number(x, { min: 0, max: 1 });
  const groups = field('groups', share);
  const readers = field('readers', share);
  const queues = field('queues', (x) => readQueues(y, x));
  const seed = field('seed', (x) => y.number(x, { integer: true, min: 0, max: 2 ** 32 - 1 }));
  if (count !== null && density !== null) {
    y.problem(f.get('density')!, 'give either count or density, not both');
    return undefined;
  }
  if (count === null && density === null) {
    y.problem(v, 'expected count or density (how many people walk the floor)');
    return undefined;
  }
  if ([count, density, groups, readers, queues, seed].some((x) => x === undefined)) return undefined;
  if ((readers ?? 0) + (queues ?? 0) > 1) {
    y.problem(f.get('readers')!, 'readers and queues together are more than everyone (≤ 1)');
    return undefined;
  }
  return {
    ...(count !== null ? { count: count! } : {}),
    ...(density !== null ? { densityPer100M2: density! } : {}),
    groups: groups ?? 0,
    queues: queues ?? 0,
    readers: readers ?? 0,
    ...(seed !== null ? { seed: seed! } : {}),
  };
}

function readDensity(y: ScenarioYaml, v: Value): number | undefined {
  const node = y.resolve(v.node) as { value?: unknown } | undefined;
  if (typeof node?.value === 'string') {
    const named = CROWD_DENSITIES[node.value as keyof typeof CROWD_DENSITIES];
    if (named !== undefined) return named;
    return y.problem(
      v,
      `expected empty, light, busy or people per 100 m² (0…${MAX_DENSITY_PER_100M2}), found ${y.describe(v.node)}`,
    );
  }
  return y.number(v, { min: 0, max: MAX_DENSITY_PER_100M2 });
}

function readQueues(y: ScenarioYaml, v: Value): number | undefined {
  const node = y.resolve(v.node) as { value?: unknown } | undefined;
  if (typeof node?.value === 'boolean') return node.value ? QUEUES_TRUE_SHARE : 0;
  return y.number(v, { min: 0, max: 1 });
}

/** The limit a crowd is held to (docs/limits.md). */
export const CROWD_PEOPLE_MAX = LIMITS.crowdPeople.value;
