import { describe, expect, it } from 'vitest';
import { SimError } from './errors.js';
import { parseScenario } from './scenario.js';

const FILE = 'sim/scenarios/test.yaml';

function parse(text: string) {
  return parseScenario(text, FILE);
}

function errorOf(text: string): SimError {
  try {
    parse(text);
  } catch (e) {
    if (e instanceof SimError) return e;
    throw e;
  }
  throw new Error('expected a SimError');
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

  it('reads what a customer asks for: plain language, walking alone, the pick when asked back', () => {
    const s = parse(`site: ../../maps/iso-omena
seed: 1
customers:
  - ask: terveysasema tai mielenterveys
    pick: 2
    plain: true
    expect: { outcome: arrived, destination: mental-health, says: [asking, escort.start], choices: [health-station, mental-health] }
  - { ask: Kela, mode: directions, expect: { outcome: directions } }
`);
    expect(s.customers[0]).toMatchObject({ pick: 2, plain: true, mode: 'escort' });
    expect(s.customers[0]!.expect!.choices).toEqual(['health-station', 'mental-health']);
    expect(s.customers[1]).toMatchObject({ plain: false, mode: 'directions' });
    expect(s.customers[1]!.pick).toBeUndefined();
    // Choices name destinations: checked against the site before the run.
    expect(s.siteRefs.filter((r) => r.kind === 'destination').map((r) => r.path)).toContain(
      'customers[0].expect.choices[1]',
    );
  });

  it('refuses a pick past three, a mode it does not know and a plain that is not true or false', () => {
    const e = errorOf(`site: x
seed: 1
customers:
  - { ask: Kela, pick: 4 }
  - { ask: Kela, mode: teleport }
  - { ask: Kela, plain: yes please }
`);
    expect(e.problems.map((p) => `${p.where}: ${p.what}`)).toEqual([
      `${FILE}:4: customers[0].pick: expected ≤ 3, found 4`,
      `${FILE}:5: customers[1].mode: expected one of escort, directions, found "teleport"`,
      `${FILE}:6: customers[2].plain: expected true or false, found "yes please"`,
    ]);
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
    expect(e.message).toMatch(/^sim\/scenarios\/test\.yaml:\d+: YAML syntax:/);
  });

  it('requires a seed and a site', () => {
    expect(errorOf('site: x\n').message).toBe(`${FILE}:1: seed: required field missing`);
    expect(errorOf('seed: 3\n').message).toBe(`${FILE}:1: site: required field missing`);
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
      /needs one of obstacle, estop, cancel, dispatch, pause, resume, desk_status/,
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
    ).toMatch(/:5: customers\[0\]\.expect\.says\[1\]: expected one of .*escort\.ask.*found "escort\.shout"/);
    expect(
      errorOf(`site: x
seed: 1
customers:
  - ask: Kela
    behaviour: { steps_aside: { after: 8, distance: 40 } }
`).message,
    ).toMatch(/:5: customers\[0\]\.behaviour\.steps_aside\.distance: expected ≤ 10, found 40/);
  });

  it('reports every problem in a file, each with its line and field, not only the first', () => {
    const e = errorOf(`site: x
seed: -1
time_limit: soon
customers:
  - ask: Kela
    language: de
  - at: .nan
events:
  - { at: 3, estop: pressed }
`);
    expect(e.code).toBe('SCENARIO_FIELD');
    expect(e.problems.map((p) => `${p.where}: ${p.what}`)).toEqual([
      `${FILE}:2: seed: expected ≥ 0, found -1`,
      `${FILE}:3: time_limit: expected a number, found "soon"`,
      `${FILE}:6: customers[0].language: expected fi, sv, en, or '' to let the robot detect it, found "de"`,
      `${FILE}:7: customers[1].ask: required field missing`,
      `${FILE}:7: customers[1].at: expected a finite number, found .nan`,
      `${FILE}:9: events[0].estop: expected one of press, release, found "pressed"`,
    ]);
    expect(e.message.split('\n')).toHaveLength(6);
  });

  it('says what the user wrote when an alias names the wrong thing', () => {
    const e = errorOf(`site: x
seed: &a0 1
names: &n { x: 1 }
customers:
  - { ask: Kela, at: *n }
  - { ask: *zz }
`);
    expect(e.message).toContain(`${FILE}:3: names: unknown field`);
    expect(e.message).toContain(`${FILE}:5: customers[0].at: expected a number, found *n (a mapping)`);
    expect(e.message).toContain(`${FILE}:6: *zz: no anchor &zz before it`);
    expect(e.message).not.toContain('"source"');
  });

  it('reads an alias as what it names', () => {
    const s = parse(`site: x
seed: &a 7
customers:
  - { ask: &k Kela, at: *a, expect: &e { outcome: arrived, says: [arrive] } }
  - { ask: *k, expect: *e }
`);
    expect(s.customers.map((c) => [c.ask, c.at])).toEqual([
      ['Kela', 7],
      ['Kela', 0],
    ]);
    expect(s.customers[1]!.expect).toEqual({ outcome: 'arrived', says: ['arrive'] });
  });

  it('refuses numbers a run cannot use: not finite, or a time beyond the limit for a run', () => {
    const e = errorOf(`site: x
seed: 1
time_limit: 1e309
customers:
  - { ask: Kela, at: 9e9 }
`);
    expect(e.problems.map((p) => p.what)).toEqual([
      'time_limit: expected a finite number, found 1e309',
      'customers[0].at: expected ≤ 2592000 s (durationS: the limit for a run or a scenario time limit, docs/limits.md), found 9e9',
    ]);
  });

  it('refuses more customers than the limit before reading any of them', () => {
    const e = errorOf(`site: x\nseed: 1\ncustomers: [${'{ask: k},'.repeat(10_001)}]\n`);
    expect(e.message).toBe(
      `${FILE}:3: customers: 10001 items; the limit for customers listed in one scenario is 10000 customers (scenarioCustomers, docs/limits.md)`,
    );
  });

  it('refuses a request and a name over their limits, quoting only an excerpt', () => {
    const e = errorOf(
      `site: x\nseed: 1\nname: ${'n'.repeat(300)}\ncustomers:\n  - ask: "${'\\x1b[2J'.repeat(400)}"\n`,
    );
    const [name, ask] = e.problems.map((p) => p.what);
    expect(ask).toMatch(
      /^customers\[0\]\.ask: 1600 characters, "(\\x1b\[2J)+[^"]*…"; the limit for a customer's request is 1000 characters/,
    );
    expect(ask!.length).toBeLessThan(250);
    expect(name).toMatch(
      /^name: 300 characters, "n+…"; the limit for a name, id, alias or description field .* is 200 characters/,
    );
  });

  it('stops listing after a cap of problems, saying so', () => {
    const e = errorOf(`site: x\nseed: 1\ncustomers:\n${'  - { ask: k, at: x }\n'.repeat(200)}`);
    expect(e.problems).toHaveLength(51);
    expect(e.problems.at(-1)!.what).toBe('stopped after 50 problems; fix these and run it again');
  });

  it('refuses an event with two things to do, two times, or an obstacle id used twice', () => {
    const e = errorOf(`site: x
seed: 1
customers: [{ ask: Kela }]
events:
  - { at: 1, request: 0, estop: press }
  - { at: 2, estop: press, cancel: true }
  - { at: 3, obstacle: { id: cart, kind: disc, x: 1, y: 1, radius: 1 } }
  - { at: 4, obstacle: { id: cart, kind: box, x: 1, y: 1, width: 1, height: 1 } }
`);
    expect(e.problems.map((p) => `${p.where}: ${p.what}`)).toEqual([
      `${FILE}:5: events[0]: give either \`at\` or \`request\` (with \`after\`), not both`,
      `${FILE}:6: events[1]: expected one of obstacle, estop, cancel, dispatch, pause, resume, desk_status, kidnap, odometry_slip, lidar_quiet, battery_fault, found estop and cancel`,
      `${FILE}:8: events[3].obstacle.id: 'cart' is already the id of the obstacle at ${FILE}:7; expected a new id`,
    ]);
  });

  it('reads a YAML file with tens of thousands of keys in bounded time (the duplicate check is ours, linear)', () => {
    const keys = Array.from({ length: 25_000 }, (_, i) => `  k${i}: ${i}`).join('\n');
    const started = performance.now();
    const e = errorOf(`site: x\nseed: 1\nexpect:\n${keys}\n`);
    // A bound, not an expectation: the library's own check took 88 s for 80,000 keys (it is quadratic).
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(e.problems[0]!.what).toMatch(/^expect\.k0: unknown field/);
  });

  it('records what it names of its site, with where, for checking before the run', () => {
    const s = parse(`site: ../site
seed: 1
robot: { start: { x: 3, y: 4 } }
customers:
  - ask: Kela
    expect: { destination: kela }
events:
  - { at: 1, obstacle: { kind: disc, x: 5, y: 6, radius: 1 } }
`);
    expect(s.siteRefs).toEqual([
      { kind: 'start', pose: { x: 3, y: 4, yaw: 0 }, where: `${FILE}:3`, path: 'robot.start' },
      { kind: 'destination', id: 'kela', where: `${FILE}:6`, path: 'customers[0].expect.destination' },
      { kind: 'place', x: 5, y: 6, where: `${FILE}:8`, path: 'events[0].obstacle' },
      { kind: 'site', dir: expect.stringMatching(/sim\/site$/), where: `${FILE}:1`, path: 'site' },
    ]);
  });

  it('reads operator events: dispatch, pause, resume and desk statuses', () => {
    const s = parse(`site: ../site
seed: 1
customers: [{ ask: Kela }]
events:
  - { at: 0, desk_status: { desk: kela, state: closed, note: 'Training', until: '2026-11-26T12:00:00+02:00' } }
  - { at: 1, desk_status: { desk: kela, state: hours } }
  - { request: 0, after: 5, pause: true }
  - { request: 0, after: 9, resume: true }
  - { at: 300, dispatch: library }
  - { at: 400, dispatch: dock }
`);
    expect(s.events.map((e) => e.kind)).toEqual([
      'desk_status',
      'desk_status',
      'pause',
      'resume',
      'dispatch',
      'dispatch',
    ]);
    expect(s.events[0]).toMatchObject({
      desk: { desk: 'kela', state: 'closed', note: 'Training', untilEpochMs: Date.UTC(2026, 10, 26, 10) },
    });
    expect(s.events[1]).toMatchObject({ desk: { desk: 'kela', state: 'hours', note: '' } });
    expect(s.events[4]).toMatchObject({ destination: 'library' });
    // Desks and dispatch places are checked against the site before the run; 'dock' is no desk.
    expect(s.siteRefs.filter((r) => r.kind === 'destination')).toEqual([
      { kind: 'destination', id: 'kela', where: `${FILE}:5`, path: 'events[0].desk_status.desk' },
      { kind: 'destination', id: 'kela', where: `${FILE}:6`, path: 'events[1].desk_status.desk' },
      { kind: 'destination', id: 'library', where: `${FILE}:9`, path: 'events[4].dispatch' },
    ]);
  });

  it('names the line and field of a wrong operator event', () => {
    const e = errorOf(`site: x
seed: 1
events:
  - { at: 1, pause: yes }
  - { at: 2, desk_status: { desk: kela, state: shut } }
  - { at: 3, desk_status: { desk: kela, state: closed, until: '12:00' } }
  - { at: 4, desk_status: { desk: kela, state: hours, until: '2026-11-26T12:00:00+02:00' } }
  - { at: 5, desk_status: { state: open, colour: red } }
  - { at: 6, dispatch: { to: kela } }
  - { at: 7, resume: true, duration: 3 }
`);
    expect(e.problems.map((p) => `${p.where}: ${p.what}`)).toEqual([
      `${FILE}:4: events[0].pause: expected true, found "yes"`,
      `${FILE}:5: events[1].desk_status.state: expected open, closed, paused, or hours (its opening hours again), found "shut"`,
      `${FILE}:6: events[2].desk_status.until: expected an ISO 8601 time with offset like 2026-11-26T10:00:00+02:00, found "12:00"`,
      `${FILE}:7: events[3].desk_status.until: the opening hours need no end: remove until`,
      `${FILE}:8: events[4].desk_status.colour: unknown field (expected one of desk, state, note, until)`,
      `${FILE}:8: events[4].desk_status.desk: required field missing`,
      `${FILE}:9: events[5].dispatch: expected a string, found a mapping`,
      `${FILE}:10: events[6].duration: only an obstacle, odometry_slip, lidar_quiet or battery_fault has a duration`,
    ]);
  });

  it('reads localisation faults and checks a kidnap lands on the map; a slip or a quiet lidar needs a duration', () => {
    const s = parse(`site: x
seed: 1
events:
  - { at: 1, kidnap: { x: 3, y: 4, yaw: 1.5 } }
  - { at: 2, odometry_slip: { scale: 1.2 }, duration: 5 }
  - { at: 3, lidar_quiet: true, duration: 2 }
`);
    expect(s.events.map((e) => e.kind)).toEqual(['kidnap', 'odometry_slip', 'lidar_quiet']);
    expect(s.events[0]).toMatchObject({ to: { x: 3, y: 4, yaw: 1.5 } });
    expect(s.events[1]).toMatchObject({ scale: 1.2, driftRadPerM: 0, durationS: 5 });
    expect(s.siteRefs).toContainEqual({
      kind: 'start',
      pose: { x: 3, y: 4, yaw: 1.5 },
      where: `${FILE}:4`,
      path: 'events[0].kidnap',
    });
    const e = errorOf(`site: x
seed: 1
events:
  - { at: 1, lidar_quiet: true }
  - { at: 2, odometry_slip: { scale: 9 }, duration: 1 }
  - { at: 3, kidnap: { x: 1 } }
`);
    expect(e.problems.map((p) => `${p.where}: ${p.what}`)).toEqual([
      `${FILE}:4: events[0]: lidar_quiet needs a duration: \`duration: <s>\``,
      `${FILE}:5: events[1].odometry_slip.scale: expected ≤ 2, found 9`,
      `${FILE}:6: events[2].kidnap.y: required field missing`,
    ]);
  });

  it('reads battery reading faults: nan, freeze or a jump, each for a duration', () => {
    const s = parse(`site: x
seed: 1
events:
  - { at: 1, battery_fault: nan, duration: 5 }
  - { at: 2, battery_fault: { jump: -1.5 }, duration: 3 }
  - { at: 3, battery_fault: freeze, duration: 90 }
`);
    expect(s.events.map((e) => (e.kind === 'battery_fault' ? [e.fault, e.durationS] : e.kind))).toEqual([
      [{ kind: 'nan' }, 5],
      [{ kind: 'jump', offsetV: -1.5 }, 3],
      [{ kind: 'freeze' }, 90],
    ]);
    const e = errorOf(`site: x
seed: 1
events:
  - { at: 1, battery_fault: nan }
  - { at: 2, battery_fault: { jump: 9 }, duration: 1 }
  - { at: 3, battery_fault: flat, duration: 1 }
`);
    expect(e.problems.map((p) => `${p.where}: ${p.what}`)).toEqual([
      `${FILE}:4: events[0]: battery_fault needs a duration: \`duration: <s>\``,
      `${FILE}:5: events[1].battery_fault.jump: expected ≤ 5, found 9`,
      `${FILE}:6: events[2].battery_fault: expected nan, freeze or { jump: <V> }, found "flat"`,
    ]);
  });
});
