import { describe, expect, it } from 'vitest';
import { ScenarioError, parseScenario } from './scenario.js';

const FILE = 'sim/scenarios/test.yaml';

function parse(text: string) {
  return parseScenario(text, FILE);
}

function errorOf(text: string): ScenarioError {
  try {
    parse(text);
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

describe('scenario files', () => {
  it('reads customers, behaviours, events and expectations', () => {
    const s = parse(`
name: demo
site: ../../maps/iso-omena
seed: 7
start_time: 2026-11-28T10:00:00+02:00
pedestrians: 3
customers:
  - ask: "Missä on Kela?"
    expect: { outcome: arrived, destination: kela }
  - at: 30
    ask: FPA
    language: sv
    behaviour: { fall_behind: { after: 10, for: 6 } }
  - ask: library
    behaviour: { lost: { after: 5 } }
events:
  - { request: 1, after: 12, estop: press }
  - { at: 100, obstacle: { id: cart, kind: box, x: 10, y: 5, width: 2, height: 1 }, duration: 30 }
  - { at: 200, cancel: true }
expect: { collisions: 0, min_person_distance: 0.2 }
`);
    expect(s.name).toBe('demo');
    expect(s.seed).toBe(7);
    expect(s.siteDir.endsWith('maps/iso-omena')).toBe(true);
    expect(s.startEpochMs).toBe(Date.UTC(2026, 10, 28, 8, 0, 0));
    expect(s.customers.map((c) => c.behaviour.kind)).toEqual(['follow', 'fall_behind', 'lost']);
    expect(s.customers[1]).toMatchObject({ at: 30, ask: 'FPA', language: 'sv' });
    expect(s.customers[0]!.expect).toEqual({ outcome: 'arrived', destination: 'kela' });
    expect(s.events.map((e) => e.kind)).toEqual(['estop', 'obstacle', 'cancel']);
    expect(s.events[0]!.time).toEqual({ request: 1, after: 12 });
    expect(s.events[1]).toMatchObject({ durationS: 30, obstacle: { kind: 'box', width: 2 } });
    expect(s.expect).toEqual({ collisions: 0, minPersonDistanceM: 0.2 });
    expect(s.robotStart).toBe('dock');
  });

  it('names the line and field of a wrong type', () => {
    const e = errorOf(`site: x
seed: 1
customers:
  - ask: Kela
    behaviour: { fall_behind: { after: soon, for: 3 } }
`);
    expect(e.message).toBe(
      `${FILE}:5: customers[0].behaviour.fall_behind.after: expected a number, found "soon"`,
    );
  });

  it('refuses unknown fields so a typo cannot drop an expectation', () => {
    const e = errorOf(`site: x
seed: 1
customers:
  - ask: Kela
    expcet: { outcome: arrived }
`);
    expect(e.message).toMatch(/^sim\/scenarios\/test\.yaml:5: customers\[0\]\.expcet: unknown field/);
  });

  it('refuses an unknown outcome and lists the valid ones', () => {
    const e = errorOf(`site: x
seed: 1
customers:
  - ask: Kela
    expect: { outcome: teleported }
`);
    expect(e.message).toMatch(/:5: customers\[0\]\.expect\.outcome: expected one of arrived, unknown/);
  });

  it('reports YAML syntax errors with their line', () => {
    const e = errorOf(`site: x\nseed: 1\ncustomers:\n  - ask: "unterminated\n`);
    expect(e.code).toBe('SCENARIO_SYNTAX');
    expect(e.message).toMatch(/^sim\/scenarios\/test\.yaml:\d+: YAML:/);
  });

  it('requires a seed and a site', () => {
    expect(errorOf('site: x\n').message).toMatch(/seed: missing, expected a number/);
    expect(errorOf('seed: 3\n').message).toMatch(/site: missing, expected a string/);
  });

  it('refuses an event for a customer that does not exist', () => {
    const e = errorOf(`site: x
seed: 1
customers:
  - ask: Kela
events:
  - { request: 3, after: 1, estop: press }
`);
    expect(e.message).toMatch(/:6: events\[0\]\.request: expected ≤ 0, found 3/);
  });

  it('refuses a start time without an offset (opening hours need a zone)', () => {
    expect(errorOf('site: x\nseed: 1\nstart_time: 2026-11-26T10:00:00\n').message).toMatch(
      /start_time: expected an ISO 8601 time with offset/,
    );
  });

  it('refuses an event with no time and one with nothing to do', () => {
    expect(errorOf('site: x\nseed: 1\nevents:\n  - { estop: press }\n').message).toMatch(
      /events\[0\]: needs a time/,
    );
    expect(errorOf('site: x\nseed: 1\nevents:\n  - { at: 3 }\n').message).toMatch(
      /needs one of obstacle, estop, cancel/,
    );
  });

  it('reads a customer who steps aside and what the robot must say to them', () => {
    const s = parse(`site: x
seed: 1
customers:
  - ask: Kela
    behaviour: { steps_aside: { after: 8, distance: 3 } }
    expect: { outcome: arrived, says: [escort.wait, escort.look, escort.ask, escort.resume] }
`);
    expect(s.customers[0]!.behaviour).toEqual({ kind: 'steps_aside', after: 8, distance: 3 });
    expect(s.customers[0]!.expect!.says).toEqual([
      'escort.wait',
      'escort.look',
      'escort.ask',
      'escort.resume',
    ]);
  });

  it('refuses a phrase the robot cannot say and a step aside out of range, naming line and field', () => {
    expect(
      errorOf(`site: x
seed: 1
customers:
  - ask: Kela
    expect: { says: [escort.wait, escort.shout] }
`).message,
    ).toMatch(/:5: customers\[0\]\.expect\.says\[1\]: expected one of .*escort\.ask.*found 'escort\.shout'/);
    expect(
      errorOf(`site: x
seed: 1
customers:
  - ask: Kela
    behaviour: { steps_aside: { after: 8, distance: 40 } }
`).message,
    ).toMatch(/:5: customers\[0\]\.behaviour\.steps_aside\.distance: expected ≤ 10, found 40/);
  });
});
