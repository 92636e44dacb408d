import { describe, expect, it } from 'vitest';
import { SimError } from './errors.js';
import { parseScenario } from './scenario.js';

const FILE = 'sim/scenarios/crowd.yaml';
const HEAD = 'site: ../../maps/iso-omena\nseed: 3\n';

function problems(text: string): string {
  try {
    parseScenario(HEAD + text, FILE);
  } catch (e) {
    if (e instanceof SimError) return e.message;
    throw e;
  }
  throw new Error('expected a SimError');
}

describe("a scenario's crowd", () => {
  it('reads a count or a density, the shares of groups, queues and readers, and its own seed', () => {
    const a = parseScenario(
      `${HEAD}crowd: { count: 50, groups: 0.3, queues: true, readers: 0.1, seed: 9 }\n`,
      FILE,
    );
    expect(a.crowd).toEqual({ count: 50, groups: 0.3, queues: 0.2, readers: 0.1, seed: 9 });
    expect(a.pedestrians).toBe(50);
    const b = parseScenario(`${HEAD}crowd: { density: busy }\n`, FILE);
    expect(b.crowd).toEqual({ densityPer100M2: 10, groups: 0, queues: 0, readers: 0 });
    const c = parseScenario(`${HEAD}crowd: { density: 3.5, queues: 0.5 }\n`, FILE);
    expect(c.crowd).toMatchObject({ densityPer100M2: 3.5, queues: 0.5 });
    // The shorthand still reads as before.
    expect(parseScenario(`${HEAD}pedestrians: 4\n`, FILE)).toMatchObject({ pedestrians: 4 });
  });

  it('refuses a crowd of 10,000, naming the field and the limit', () => {
    expect(problems('crowd: { count: 10000 }\n')).toContain(
      'sim/scenarios/crowd.yaml:3: crowd.count: expected ≤ 500 people (crowdPeople: the limit for',
    );
    expect(problems('pedestrians: 10000\n')).toContain(
      'sim/scenarios/crowd.yaml:3: pedestrians: expected ≤ 500 people',
    );
  });

  it('says what is wrong with malformed crowd YAML, with file:line and field path', () => {
    const text = `crowd:
  count: many
  groups: 1.5
  queue: true
`;
    const message = problems(text);
    expect(message).toContain(
      'sim/scenarios/crowd.yaml:4: crowd.count: expected a whole number, found "many"',
    );
    expect(message).toContain('sim/scenarios/crowd.yaml:5: crowd.groups: expected ≤ 1, found 1.5');
    expect(message).toContain('sim/scenarios/crowd.yaml:6: crowd.queue: unknown field');
    expect(problems('crowd: { density: packed }\n')).toContain(
      'crowd.density: expected empty, light, busy or people per 100 m² (0…100), found "packed"',
    );
    expect(problems('crowd: { groups: 0.2 }\n')).toContain('crowd: expected count or density');
    expect(problems('crowd: { count: 3, density: light }\n')).toContain(
      'crowd.density: give either count or density',
    );
    expect(problems('pedestrians: 3\ncrowd: { count: 3 }\n')).toContain('crowd: give either pedestrians');
    expect(problems('crowd: 12\n')).toContain('crowd: expected a mapping');
  });
});
