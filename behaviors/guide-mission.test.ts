import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimulatedClock, createActor, fromPromise } from 'xstate';
import {
  createMatcher,
  renderDirections,
  say as render,
  type Directions,
  type MatchResult,
  type Matcher,
} from '../src/interaction/index.js';
import type { ElsewhereService } from '../src/map/index.js';
import {
  DEFAULT_GUIDE_PARAMS,
  guideMission,
  homeRetryMs,
  type GuideEvent,
  type GuideInput,
  type NavGoal,
  type NavResult,
} from './guide-mission.js';
import type { StaffDeskStatus } from './desk-status.js';
import { MISSION_REASON_CODES, outcomeOfStatus } from './mission-reasons.js';
import type { NavErrorCode } from '../src/navigation/index.js';
import {
  DESTINATIONS,
  DOCK,
  HOUR_NS,
  INPUT,
  THURSDAY_10,
  at,
  flush,
  startMission,
} from './mission-harness.js';

/** Escorting to Kela, the customer seen and then out of sight until the robot turns to look. */
async function lookingForCustomer(m: ReturnType<typeof startMission>): Promise<void> {
  m.request('kela');
  m.customer(true, 1.0);
  m.customer(false, 1.0, DEFAULT_GUIDE_PARAMS.lostGraceS);
  await m.advance(DEFAULT_GUIDE_PARAMS.lookAfterS * 1000);
}

describe('guide mission', () => {
  it('starts idle at the dock', () => {
    const m = startMission();
    expect(m.statuses).toEqual([{ state: 'idle', requestId: '', destinationId: '', reason: '', why: '' }]);
    expect(m.said).toEqual([]);
  });

  it('escorts to the desk, tells about it, and returns to the dock (happy path)', async () => {
    const m = startMission();
    m.request('Missä on Kela?');
    expect(m.state()).toBe('escorting');
    expect(m.said).toEqual([
      {
        kind: 'escort.start',
        language: 'fi',
        requestId: 'r1',
        vars: { desk: 'Kela', minutes: 1 },
        style: 'standard',
        choices: [],
      },
    ]);
    expect(m.goals).toEqual([{ pose: DESTINATIONS[0]!.pose, destinationId: 'kela' }]);

    await m.finishNav();
    expect(m.state()).toBe('arrived');
    expect(m.said.at(-1)).toEqual({
      kind: 'arrive',
      language: 'fi',
      requestId: 'r1',
      vars: { desk: 'Kela', description: 'Etuudet ja eläkkeet.' },
      style: 'standard',
      choices: [],
    });

    await m.advance(DEFAULT_GUIDE_PARAMS.arrivalPauseS * 1000 - 1);
    expect(m.state()).toBe('arrived');
    await m.advance(1);
    expect(m.state()).toBe('returning');
    expect(m.kinds().at(-1)).toBe('return');
    expect(m.goals.at(-1)).toEqual({ pose: DOCK, destinationId: 'dock' });

    await m.finishNav();
    expect(m.stateTrail()).toEqual(['idle', 'understanding', 'escorting', 'arrived', 'returning', 'idle']);
    // No battery has reported: nothing to charge, so no final approach onto the dock.
    expect(m.docks).toBe(0);
    expect(m.statuses.at(-1)).toEqual({
      state: 'idle',
      requestId: 'r1',
      destinationId: 'kela',
      reason: '',
      why: expect.stringMatching(/: 'kela'/i),
    });
    expect(m.kinds()).toEqual(['escort.start', 'arrive', 'return']);
    expect(m.speedLimits.every((l) => l === undefined)).toBe(true);
  });

  it('answers in the language of the request', async () => {
    const m = startMission();
    m.request('Var ligger FPA?');
    expect(m.said[0]).toMatchObject({ kind: 'escort.start', language: 'sv', vars: { desk: 'FPA' } });
    await m.finishNav();
    expect(m.said[1]).toMatchObject({
      kind: 'arrive',
      language: 'sv',
      vars: { description: 'Förmåner och pensioner.' },
    });
  });

  it('estimates the walk in whole minutes, at least one', () => {
    const m = startMission();
    m.request('library', 'en');
    // 150 m × 1.3 detour at 0.8 m/s ≈ 4 min
    expect(m.said[0]!.vars).toEqual({ desk: 'Iso Omena Library', minutes: 4 });
  });

  it('says it did not understand, asks for a name or a need, and stays at the dock', () => {
    const m = startMission();
    m.request('Where is the sauna?');
    expect(m.said).toEqual([
      { kind: 'unknown', language: 'en', requestId: 'r1', vars: {}, style: 'standard', choices: [] },
    ]);
    expect(m.stateTrail()).toEqual(['idle', 'understanding', 'idle']);
    expect(m.statuses.at(-1)).toMatchObject({ reason: 'unknown_destination', requestId: 'r1' });
    expect(m.goals).toEqual([]);
  });

  it('asks back when the request fits several places, numbering them, and waits for the pick', () => {
    const m = startMission();
    m.request('health station or mental health services?', 'en');
    expect(m.said).toHaveLength(1);
    const asked = m.said[0]!;
    expect(asked).toMatchObject({ kind: 'asking', language: 'en' });
    expect([...asked.choices].sort()).toEqual(['health-station', 'mental-health']);
    const names = asked.choices.map((id) => DESTINATIONS.find((d) => d.id === id)!.name.en);
    expect(asked.vars.options).toBe(`1 ${names[0]}, 2 ${names[1]}`);
    expect(render('asking', 'en', asked.vars)).toBe(
      `Which one: 1 ${names[0]}, 2 ${names[1]}? Say the number or the name.`,
    );
    expect(m.statuses.at(-1)).toMatchObject({ state: 'asking', reason: 'asking', destinationId: '' });
    expect(m.goals).toEqual([]);
  });

  it('tells when a closed desk opens and stays at the dock', () => {
    const m = startMission();
    m.request('Missä on Kela?', undefined, at('2026-11-26T17:00:00+02:00'));
    expect(m.said).toEqual([
      {
        kind: 'closed',
        language: 'fi',
        requestId: 'r1',
        vars: { desk: 'Kela', when: 'huomenna klo 8.00' },
        style: 'standard',
        choices: [],
      },
    ]);
    expect(m.statuses.at(-1)).toEqual({
      state: 'idle',
      requestId: 'r1',
      destinationId: 'kela',
      reason: 'desk_closed',
      why: expect.stringMatching(/: 'kela'/i),
    });
    expect(m.goals).toEqual([]);
  });

  it('tells on Friday evening that a desk opens on Monday', () => {
    const m = startMission();
    m.request('Kela', 'en', at('2026-11-27T18:00:00+02:00'));
    expect(m.said[0]).toMatchObject({ kind: 'closed', vars: { when: 'on Monday at 8.00' } });
  });

  it('goes to a desk without hours at any time', () => {
    const m = startMission();
    m.request('library', 'en', at('2026-11-29T03:00:00+02:00'));
    expect(m.state()).toBe('escorting');
  });

  it('says when the desk closed on the way', async () => {
    const m = startMission();
    m.request('Kela', 'en', at('2026-11-26T15:59:00+02:00'));
    await m.advance(61_000);
    await m.finishNav();
    expect(m.said.at(-1)).toEqual({
      kind: 'arrive.closed_now',
      language: 'en',
      requestId: 'r1',
      vars: { desk: 'Kela', when: 'tomorrow at 8.00' },
      style: 'standard',
      choices: [],
    });
  });

  it.each<[NavErrorCode, string]>([
    ['NO_PATH', 'nav_no_path'],
    ['BLOCKED', 'nav_blocked'],
    ['TIMED_OUT', 'nav_timed_out'],
    ['CANCELLED', 'nav_failed'],
    ['UNKNOWN', 'nav_failed'],
    ['GOAL_OCCUPIED', 'nav_failed'],
    ['NO_POSE', 'nav_failed'],
  ])('on a navigation failure (%s) says so and returns to the dock', async (code, reason) => {
    const m = startMission();
    m.request('Where is Kela?');
    await m.finishNav(code, 'test');
    expect(m.said.at(-1)).toMatchObject({ kind: 'nav.failed', language: 'en' });
    expect(m.statuses.at(-1)).toMatchObject({ state: 'returning', reason });
    expect(m.goals.at(-1)!.destinationId).toBe('dock');
    await m.finishNav();
    expect(m.statuses.at(-1)).toMatchObject({ state: 'idle', reason });
  });

  it('treats a navigateTo that throws as a navigation failure', async () => {
    const m = startMission();
    const throwing = createActor(
      guideMission.provide({
        actors: {
          navigateTo: fromPromise<NavResult, NavGoal>(() => Promise.reject(new Error('server gone'))),
        },
        actions: { publishStatus: (_, p) => m.statuses.push(p), say: (_, p) => m.said.push(p) },
      }),
      { input: INPUT, clock: new SimulatedClock() },
    ).start();
    throwing.send({ type: 'REQUEST', requestId: 'x', text: 'kela', stampNs: THURSDAY_10 });
    await flush();
    expect(m.kinds()).toContain('nav.failed');
    await flush();
    expect(m.statuses.at(-1)).toMatchObject({ state: 'idle', reason: 'return_blocked' });
    expect(throwing.getSnapshot().status).toBe('active');
  });

  it('never ends its day on a failed return: serves from where it stands, retries with backoff, gets home', async () => {
    const m = startMission();
    m.request('kela');
    await m.finishNav('NO_PATH');
    await m.finishNav('BLOCKED');
    // Operators see why; whoever is near hears it in the three languages; no goal runs.
    expect(m.statuses.at(-1)).toMatchObject({ state: 'idle', reason: 'return_blocked' });
    expect(m.said.slice(-3).map((u) => [u.kind, u.language, u.requestId])).toEqual([
      ['return.blocked', 'fi', ''],
      ['return.blocked', 'sv', ''],
      ['return.blocked', 'en', ''],
    ]);
    expect(m.activeNavs()).toEqual([]);
    // Tries again after returnRetryS, and again after twice that.
    await m.advance(DEFAULT_GUIDE_PARAMS.returnRetryS * 1000 - 1);
    expect(m.activeNavs()).toEqual([]);
    await m.advance(1);
    expect(m.state()).toBe('returning');
    await m.finishNav('BLOCKED');
    expect(m.statuses.at(-1)).toMatchObject({ state: 'idle', reason: 'return_blocked' });
    await m.advance(DEFAULT_GUIDE_PARAMS.returnRetryS * 1000);
    expect(m.activeNavs()).toEqual([]);
    await m.advance(DEFAULT_GUIDE_PARAMS.returnRetryS * 1000);
    expect(m.activeNavs()).toHaveLength(1);
    // The third failure asks staff for help (said once, not at every try).
    await m.finishNav('NO_PATH');
    expect(m.statuses.at(-1)).toMatchObject({ state: 'idle', reason: 'return_needs_help' });
    expect(m.kinds().filter((k) => k === 'return.help')).toHaveLength(3);
    // A customer asks meanwhile: escorted from here, then home again.
    m.request('library', 'en', THURSDAY_10, 'r2');
    expect(m.state()).toBe('escorting');
    expect(m.goals.at(-1)!.destinationId).toBe('library');
    await m.finishNav();
    expect(m.state()).toBe('arrived');
    await m.advance(DEFAULT_GUIDE_PARAMS.arrivalPauseS * 1000);
    expect(m.state()).toBe('returning');
    await m.finishNav();
    expect(m.statuses.at(-1)).toMatchObject({ state: 'idle', reason: '' });
    // Home: no more tries.
    await m.advance(10 * DEFAULT_GUIDE_PARAMS.returnRetryMaxS * 1000);
    expect(m.activeNavs()).toEqual([]);
  });

  it('away from its dock, answers what needs no escort and stays ready; an operator cancel tries home at once', async () => {
    const m = startMission();
    m.send({ type: 'DISPATCH', requestId: 'dispatch-1', destinationId: 'dock' });
    await m.finishNav('BLOCKED');
    expect(m.statuses.at(-1)).toMatchObject({ state: 'idle', reason: 'return_blocked' });
    m.request('What is this?', 'en', THURSDAY_10, 'r9');
    expect(m.kinds().at(-1)).toMatch(/^unknown/);
    expect(m.statuses.at(-1)).toMatchObject({ state: 'idle', reason: 'return_blocked' });
    m.send({ type: 'CANCEL' });
    expect(m.state()).toBe('returning');
    await m.finishNav();
    expect(m.statuses.at(-1)).toMatchObject({ state: 'idle', reason: '' });
  });

  it('waits longer after each failure, up to its ceiling', () => {
    const params = { ...DEFAULT_GUIDE_PARAMS, returnRetryS: 10, returnRetryMaxS: 120 };
    expect([1, 2, 3, 4, 5, 50].map((n) => homeRetryMs({ params, homeFailures: n }))).toEqual([
      10_000, 20_000, 40_000, 80_000, 120_000, 120_000,
    ]);
  });

  it('on an e-stop during an escort cancels navigation, says so, and returns to the dock on release', async () => {
    const m = startMission();
    m.request('Missä on Kela?');
    const [nav] = m.activeNavs();
    m.send({ type: 'ESTOP' });
    expect(m.state()).toBe('estopped');
    expect(nav!.signal.aborted).toBe(true);
    expect(m.navCancels).toBe(1);
    expect(m.said.at(-1)).toMatchObject({ kind: 'estop', language: 'fi', requestId: 'r1' });
    // Latched: repeats change nothing, time changes nothing.
    m.send({ type: 'ESTOP' });
    await m.advance(600_000);
    expect(m.kinds().filter((k) => k === 'estop')).toHaveLength(1);
    expect(m.state()).toBe('estopped');
    m.send({ type: 'CANCEL' });
    expect(m.state()).toBe('estopped');

    m.send({ type: 'ESTOP_RELEASED' });
    expect(m.statuses.at(-1)).toMatchObject({ state: 'returning', reason: 'estop' });
    expect(m.goals.at(-1)!.destinationId).toBe('dock');
    await m.finishNav();
    expect(m.state()).toBe('idle');
  });

  it('on an e-stop reported by navigation (STOPPED) waits for the release', async () => {
    const m = startMission();
    m.request('kela');
    await m.finishNav('STOPPED');
    expect(m.state()).toBe('estopped');
    m.send({ type: 'ESTOP' });
    expect(m.kinds().filter((k) => k === 'estop')).toHaveLength(1);
    m.send({ type: 'ESTOP_RELEASED' });
    await m.finishNav();
    expect(m.state()).toBe('idle');
  });

  it('takes an e-stop in every state', async () => {
    const m = startMission();
    m.send({ type: 'ESTOP' });
    expect(m.state()).toBe('estopped');
    m.send({ type: 'ESTOP_RELEASED' });
    await m.finishNav();
    m.request('kela');
    await m.finishNav();
    expect(m.state()).toBe('arrived');
    m.send({ type: 'ESTOP' });
    expect(m.state()).toBe('estopped');
    m.send({ type: 'ESTOP_RELEASED' });
    expect(m.state()).toBe('returning');
    m.send({ type: 'ESTOP' });
    expect(m.state()).toBe('estopped');
    expect(m.activeNavs()).toEqual([]);
  });

  it('on an operator cancel says so and returns to the dock', async () => {
    const m = startMission();
    m.request('Var ligger FPA?');
    const [nav] = m.activeNavs();
    m.send({ type: 'CANCEL' });
    expect(nav!.signal.aborted).toBe(true);
    expect(m.said.at(-1)).toMatchObject({ kind: 'cancelled', language: 'sv' });
    expect(m.statuses.at(-1)).toMatchObject({ state: 'returning', reason: 'cancelled' });
    await m.finishNav();
    expect(m.statuses.at(-1)).toMatchObject({ state: 'idle', reason: 'cancelled' });
  });

  it('ignores a cancel when idle or already returning', async () => {
    const m = startMission();
    m.send({ type: 'CANCEL' });
    expect(m.stateTrail()).toEqual(['idle']);
    m.request('kela');
    await m.finishNav();
    await m.advance(DEFAULT_GUIDE_PARAMS.arrivalPauseS * 1000);
    const before = m.said.length;
    m.send({ type: 'CANCEL' });
    expect(m.state()).toBe('returning');
    expect(m.said.length).toBe(before);
  });

  it('refuses a new request while busy, in the new customer’s language, and carries on', async () => {
    const m = startMission();
    m.request('Missä on Kela?');
    m.request('Where is the library?', undefined, THURSDAY_10, 'r2');
    // The library is a desk: the busy answer tells the way there, for walking alone.
    expect(m.said.at(-1)).toEqual({
      kind: 'busy.directions',
      language: 'en',
      requestId: 'r2',
      vars: { desk: 'Iso Omena Library', minutes: 4, directions: '' },
      style: 'standard',
      choices: [],
    });
    m.request('Where is the sauna?', undefined, THURSDAY_10, 'r2b');
    expect(m.said.at(-1)).toMatchObject({ kind: 'busy', language: 'en', requestId: 'r2b', vars: {} });
    expect(m.state()).toBe('escorting');
    expect(m.goals).toHaveLength(1);
    await m.finishNav();
    m.request('Var är biblioteket?', undefined, THURSDAY_10, 'r3');
    expect(m.said.at(-1)).toMatchObject({ kind: 'busy.directions', language: 'sv', requestId: 'r3' });
    expect(m.statuses.at(-1)).toMatchObject({ state: 'arrived', requestId: 'r1' });
  });

  it('slows down while the customer lags and speeds up when they catch up', () => {
    const m = startMission();
    m.request('kela');
    m.customer(true, 1.0);
    expect(m.speedLimits).toEqual([]);
    m.customer(true, 3.0);
    expect(m.speedLimits).toEqual([DEFAULT_GUIDE_PARAMS.slowSpeedMps]);
    expect(m.kinds().at(-1)).toBe('escort.slow');
    m.customer(true, 3.5); // still lagging: no repeat
    expect(m.speedLimits).toHaveLength(1);
    expect(m.kinds().filter((k) => k === 'escort.slow')).toHaveLength(1);
    m.customer(true, 1.5);
    expect(m.speedLimits).toEqual([DEFAULT_GUIDE_PARAMS.slowSpeedMps, undefined]);
    expect(m.state()).toBe('escorting');
    expect(m.activeNavs()).toHaveLength(1);
  });

  it('stops and waits for a customer far behind, then goes on when they catch up', async () => {
    const m = startMission();
    m.request('kela');
    m.customer(true, 1.0);
    m.customer(true, 6.0);
    expect(m.state()).toBe('waiting_for_customer');
    expect(m.kinds().at(-1)).toBe('escort.wait');
    expect(m.activeNavs()).toEqual([]);
    expect(m.navCancels).toBe(1);
    m.customer(true, 4.0); // coming, not there yet
    expect(m.state()).toBe('waiting_for_customer');
    await m.advance(10_000);
    m.customer(true, 2.0);
    expect(m.state()).toBe('escorting');
    expect(m.kinds().at(-1)).toBe('escort.resume');
    expect(m.goals).toHaveLength(2);
    expect(m.goals[1]).toEqual(m.goals[0]);
    await m.finishNav();
    expect(m.state()).toBe('arrived');
  });

  it('waits for a customer out of sight, and gives up after its patience', async () => {
    const m = startMission();
    m.request('Where is Kela?');
    m.customer(true, 1.0);
    m.customer(false, 1.0, 1.0);
    expect(m.state()).toBe('escorting');
    m.customer(false, 1.0, DEFAULT_GUIDE_PARAMS.lostGraceS);
    expect(m.state()).toBe('waiting_for_customer');
    // First a moment to catch up, then a turn to look, then a question.
    await m.advance(DEFAULT_GUIDE_PARAMS.lookAfterS * 1000 - 1);
    expect(m.looks).toEqual([]);
    await m.advance(1);
    expect(m.kinds().at(-1)).toBe('escort.look');
    expect(m.activeLooks().map((l) => l.input)).toEqual([{ yawRad: DEFAULT_GUIDE_PARAMS.lookTurnRad }]);
    await m.advance(9_000);
    await m.finishLook();
    expect(m.said.at(-1)).toEqual({
      kind: 'escort.ask',
      language: 'en',
      requestId: 'r1',
      vars: { desk: 'Kela' },
      style: 'standard',
      choices: [],
    });
    expect(m.state()).toBe('waiting_for_customer');
    await m.advance(
      (DEFAULT_GUIDE_PARAMS.customerPatienceS - DEFAULT_GUIDE_PARAMS.lookAfterS - 9) * 1000 - 1,
    );
    expect(m.state()).toBe('waiting_for_customer');
    await m.advance(1);
    expect(m.said.at(-1)).toMatchObject({ kind: 'escort.lost', language: 'en' });
    expect(m.statuses.at(-1)).toMatchObject({ state: 'returning', reason: 'customer_lost' });
    await m.finishNav();
    expect(m.statuses.at(-1)).toMatchObject({ state: 'idle', reason: 'customer_lost' });
    expect(m.kinds()).toEqual(['escort.start', 'escort.wait', 'escort.look', 'escort.ask', 'escort.lost']);
    expect(m.activeLooks()).toEqual([]);
  });

  it('gives up politely on a customer who comes close each time it stops but never comes along', async () => {
    const m = startMission();
    m.request('kela');
    m.customer(true, 1.0);
    const stops = DEFAULT_GUIDE_PARAMS.maxShortResumes;
    for (let i = 0; i < stops; i++) {
      m.customer(true, 6.0); // falls back: the robot stops
      expect(m.state()).toBe('waiting_for_customer');
      await m.advance(2_000);
      m.customer(true, 2.0); // comes close: it goes on, for a few seconds only
      expect(m.state()).toBe('escorting');
      await m.advance(3_000);
    }
    m.customer(true, 6.0); // once more than it will put up with
    expect(m.said.at(-1)).toMatchObject({ kind: 'escort.lost' });
    expect(m.statuses.at(-1)).toMatchObject({ state: 'returning', reason: 'customer_lost' });
  });

  it('does not count stops with metres driven between them: an escort through people gets on', async () => {
    const m = startMission();
    m.request('kela');
    m.customer(true, 1.0);
    let odometer = 0;
    for (let i = 0; i < DEFAULT_GUIDE_PARAMS.maxShortResumes + 3; i++) {
      m.customer(true, 6.0); // held up by someone crossing: the robot stops
      expect(m.state()).toBe('waiting_for_customer');
      await m.advance(2_000);
      m.customer(true, 2.0);
      m.send({ type: 'DRIVEN', metres: (odometer += DEFAULT_GUIDE_PARAMS.shortResumeM + 1) });
      await m.advance(3_000);
    }
    m.customer(true, 1.0);
    expect(m.state()).toBe('escorting');
    expect(m.kinds()).not.toContain('escort.lost');
    // The same stops with barely a metre between them are given up on.
    for (let i = 0; i <= DEFAULT_GUIDE_PARAMS.maxShortResumes; i++) {
      m.customer(true, 6.0);
      await m.advance(2_000);
      m.customer(true, 2.0);
      m.send({ type: 'DRIVEN', metres: (odometer += 0.8) });
      await m.advance(3_000);
    }
    m.customer(true, 6.0);
    expect(m.statuses.at(-1)).toMatchObject({ state: 'returning', reason: 'customer_lost' });
  });

  it('forgets earlier stops once the escort has gone steadily for a while', async () => {
    const m = startMission();
    m.request('kela');
    m.customer(true, 1.0);
    for (let i = 0; i < DEFAULT_GUIDE_PARAMS.maxShortResumes + 2; i++) {
      m.customer(true, 6.0);
      await m.advance(2_000);
      m.customer(true, 2.0);
      // A good stretch each time, the customer in view close behind.
      for (let t = 0; t < DEFAULT_GUIDE_PARAMS.steadyMovingS; t++) {
        await m.advance(1_000);
        m.customer(true, 1.0);
      }
    }
    expect(m.state()).toBe('escorting');
    expect(m.kinds()).not.toContain('escort.lost');
  });

  it('stops turning as soon as it spots the customer far off, and asks them over', async () => {
    const m = startMission();
    await lookingForCustomer(m);
    expect(m.activeLooks()).toHaveLength(1);
    m.customer(true, 6.0); // there they are, by the notice board
    expect(m.activeLooks()).toEqual([]); // the turn is cancelled
    expect(m.kinds().slice(-2)).toEqual(['escort.look', 'escort.ask']);
    expect(m.state()).toBe('waiting_for_customer');
    m.customer(true, 2.0); // they come over
    expect(m.state()).toBe('escorting');
    expect(m.kinds().at(-1)).toBe('escort.resume');
    expect(m.activeNavs()).toHaveLength(1);
  });

  it('goes straight on when the customer turns up close while it turns', async () => {
    const m = startMission();
    await lookingForCustomer(m);
    expect(m.activeLooks()).toHaveLength(1);
    m.customer(true, 1.5);
    expect(m.activeLooks()).toEqual([]);
    expect(m.state()).toBe('escorting');
    expect(m.kinds().slice(-2)).toEqual(['escort.look', 'escort.resume']);
  });

  it('asks anyway when turning to look fails (timed out)', async () => {
    const m = startMission();
    await lookingForCustomer(m);
    await m.finishLook('TIMED_OUT');
    expect(m.kinds().slice(-2)).toEqual(['escort.look', 'escort.ask']);
    expect(m.state()).toBe('waiting_for_customer');
  });

  it('goes slowly until it first sees the customer, and lifts the limit once they keep up', async () => {
    const m = startMission();
    m.request('kela');
    expect(m.speedLimits).toEqual([]);
    m.customer(false, 0, 0.5); // perception is on, nobody behind yet
    m.customer(false, 0, 0.6);
    expect(m.speedLimits).toEqual([DEFAULT_GUIDE_PARAMS.slowSpeedMps]);
    expect(m.kinds()).toEqual(['escort.start']); // no "I'll slow down": nobody to tell yet
    m.customer(true, 1.2);
    expect(m.speedLimits).toEqual([DEFAULT_GUIDE_PARAMS.slowSpeedMps, undefined]);
    m.customer(false, 1.2, 0.1); // a missed frame after the first sighting changes nothing
    expect(m.speedLimits).toHaveLength(2);
  });

  it('asks a customer still in view far off without turning round', async () => {
    const m = startMission();
    m.request('kela');
    m.customer(true, 1.0);
    m.customer(true, 7.0);
    expect(m.state()).toBe('waiting_for_customer');
    await m.advance(1_000);
    m.customer(true, 6.5); // still there, not coming
    await m.advance(DEFAULT_GUIDE_PARAMS.lookAfterS * 1000);
    expect(m.looks).toEqual([]);
    expect(m.kinds().slice(-2)).toEqual(['escort.wait', 'escort.ask']);
  });

  it('looks for a customer who was in view and then went out of it while it waited', async () => {
    const m = startMission();
    m.request('kela');
    m.customer(true, 1.0);
    m.customer(true, 7.0);
    m.customer(false, 7.0, 1.0);
    await m.advance(DEFAULT_GUIDE_PARAMS.lookAfterS * 1000);
    expect(m.activeLooks()).toHaveLength(1);
  });

  it('cancels the turn on an e-stop', async () => {
    const m = startMission();
    await lookingForCustomer(m);
    expect(m.activeLooks()).toHaveLength(1);
    m.send({ type: 'ESTOP' });
    expect(m.activeLooks()).toEqual([]);
    expect(m.state()).toBe('estopped');
  });

  it('stops for a customer who was seen and then went silent (perception stopped reporting)', async () => {
    const m = startMission();
    m.request('kela');
    await m.advance(60_000);
    expect(m.state()).toBe('escorting'); // never seen: no perception, just guide
    m.customer(true, 1.0);
    await m.advance(DEFAULT_GUIDE_PARAMS.waitForCustomerS * 1000 - 1);
    m.customer(true, 1.0); // a sighting restarts the watch
    await m.advance(DEFAULT_GUIDE_PARAMS.waitForCustomerS * 1000 - 1);
    expect(m.state()).toBe('escorting');
    await m.advance(1);
    expect(m.state()).toBe('waiting_for_customer');
  });

  it('leaves judging a customer out of sight to perception: not seen but not lost is no reason to stop', async () => {
    const m = startMission();
    m.request('kela');
    m.customer(true, 1.0);
    // The robot turned away to line up at a door: out of view, but perception says not lost.
    for (let t = 0; t < 3 * DEFAULT_GUIDE_PARAMS.waitForCustomerS; t++) {
      await m.advance(1_000);
      m.customer(false, 1.0, 0.5);
    }
    expect(m.state()).toBe('escorting');
    m.customer(false, 1.0, DEFAULT_GUIDE_PARAMS.lostGraceS);
    expect(m.state()).toBe('waiting_for_customer');
  });

  it('gives a customer who starts in front of the robot time to get behind it', async () => {
    const m = startMission();
    m.request('kela');
    // Perception reports, but the rear camera has not seen them yet: unseen since the start.
    m.customer(false, 0, 5);
    await m.advance(DEFAULT_GUIDE_PARAMS.firstSightingS * 1000 - 1);
    m.customer(false, 0, DEFAULT_GUIDE_PARAMS.firstSightingS);
    expect(m.state()).toBe('escorting');
    expect(m.activeNavs()).toHaveLength(1);
    await m.advance(1);
    expect(m.state()).toBe('waiting_for_customer');
    m.customer(true, 1.5);
    expect(m.state()).toBe('escorting');
  });

  it('once it has seen the customer, goes on without a wait when they are seen in time', async () => {
    const m = startMission();
    m.request('kela');
    m.customer(false, 0, 3);
    await m.advance(4_000);
    for (let t = 0; t < 2 * DEFAULT_GUIDE_PARAMS.firstSightingS; t++) {
      m.customer(true, 1.2);
      await m.advance(1_000);
    }
    expect(m.state()).toBe('escorting');
    expect(m.stateTrail().filter((st) => st === 'waiting_for_customer')).toEqual([]);
  });

  it('keeps the customer’s text out of its context', () => {
    const m = startMission();
    m.request('My name is Matti Meikäläinen, where is Kela?');
    expect(
      JSON.stringify(m.actor.getSnapshot().context, (_, v) => (typeof v === 'bigint' ? String(v) : v)),
    ).not.toMatch(/Matti/);
  });

  it('refuses parameters that are not usable numbers', () => {
    const actor = createActor(guideMission, { input: { ...INPUT, params: { customerPatienceS: -1 } } });
    const errors: unknown[] = [];
    actor.subscribe({ error: (e) => errors.push(e) });
    actor.start();
    expect(String(errors[0])).toMatch(/params\.customerPatienceS: expected a number ≥ 0, found -1/);
  });
});

// ---- what operators do: desk statuses, dispatch, pause --------------------------------------

const WITH_HELP: GuideInput = { ...INPUT, helpDeskId: 'library' };
const NOON = at('2026-11-26T12:00:00+02:00');

function deskStatus(
  m: ReturnType<typeof startMission>,
  statuses: StaffDeskStatus[],
  stampNs = THURSDAY_10,
): void {
  m.send({ type: 'DESK_STATUS', statuses, stampNs });
}

describe('guide mission, desk statuses set by staff', () => {
  it('refuses a desk staff closed, saying until when and where to go meanwhile', () => {
    const m = startMission(WITH_HELP);
    deskStatus(m, [{ destinationId: 'kela', state: 'closed', note: '', untilNs: NOON }]);
    m.request('Where is Kela?');
    expect(m.said).toEqual([
      {
        kind: 'closed.staff.help',
        language: 'en',
        requestId: 'r1',
        vars: { desk: 'Kela', until: '12.00', note: '', help: 'Iso Omena Library' },
        style: 'standard',
        choices: [],
      },
    ]);
    expect(render('closed.staff.help', 'en', m.said[0]!.vars)).toBe(
      'Kela is closed until 12.00. Meanwhile, Iso Omena Library can help you.',
    );
    expect(m.statuses.at(-1)).toEqual({
      state: 'idle',
      requestId: 'r1',
      destinationId: 'kela',
      reason: 'desk_closed_by_staff',
      why: expect.stringMatching(/: 'kela'/i),
    });
    expect(m.goals).toEqual([]);
  });

  it('says a pause with staff’s note and no end, and offers no help desk the site lacks', () => {
    const m = startMission();
    deskStatus(m, [{ destinationId: 'kela', state: 'paused', note: 'Back after lunch.' }]);
    m.request('Missä on Kela?');
    expect(m.said[0]).toMatchObject({ kind: 'closed.staff', vars: { until: '', note: 'Back after lunch.' } });
    expect(render('closed.staff', 'fi', m.said[0]!.vars)).toBe(
      'Kela on nyt kiinni. Henkilökunnan viesti: Back after lunch.',
    );
  });

  it('offers no alternative when the help desk is closed itself or is the desk asked for', () => {
    const m = startMission({ ...INPUT, helpDeskId: 'kela' });
    deskStatus(m, [{ destinationId: 'kela', state: 'closed', note: '' }]);
    m.request('kela', 'en');
    expect(m.said.at(-1)!.kind).toBe('closed.staff');
    const h = startMission({ ...INPUT, helpDeskId: 'health-station' });
    deskStatus(h, [
      { destinationId: 'kela', state: 'closed', note: '' },
      { destinationId: 'health-station', state: 'paused', note: '' },
    ]);
    h.request('kela', 'en');
    expect(h.said.at(-1)!.kind).toBe('closed.staff');
  });

  it('no longer applies a status whose time has passed (node time of the request)', async () => {
    const m = startMission(WITH_HELP);
    deskStatus(m, [{ destinationId: 'kela', state: 'closed', note: '', untilNs: NOON }]);
    m.request('kela', 'en', NOON);
    expect(m.state()).toBe('escorting');
    expect(m.kinds()).toEqual(['escort.start']);
  });

  it('guides to a desk staff opened although its hours say closed', async () => {
    const m = startMission();
    const evening = at('2026-11-26T17:00:00+02:00');
    deskStatus(m, [{ destinationId: 'kela', state: 'open', note: '' }], evening);
    m.request('kela', 'en', evening);
    expect(m.state()).toBe('escorting');
    await m.finishNav();
    expect(m.said.at(-1)!.kind).toBe('arrive');
  });

  it('tells the customer on arrival that staff closed the desk while they walked', async () => {
    const m = startMission(WITH_HELP);
    m.request('kela', 'en');
    deskStatus(
      m,
      [{ destinationId: 'kela', state: 'closed', note: 'Sorry!', untilNs: NOON }],
      THURSDAY_10 + 60n,
    );
    await m.finishNav();
    expect(m.said.at(-1)).toMatchObject({
      kind: 'arrive.closed_staff',
      vars: { desk: 'Kela', until: '12.00', note: 'Sorry!', help: 'Iso Omena Library' },
    });
    expect(m.statuses.at(-1)).toMatchObject({ state: 'arrived', reason: 'desk_closed_on_arrival' });
    // A closing that has ended by the time statuses are sent again does not count.
    const n = startMission(WITH_HELP);
    n.request('kela', 'en');
    deskStatus(n, [{ destinationId: 'kela', state: 'closed', note: '', untilNs: NOON }], NOON);
    await n.finishNav();
    expect(n.said.at(-1)!.kind).toBe('arrive');
  });
});

describe('guide mission, dispatched by an operator', () => {
  it('goes to the desk with no customer and no words, and is idle there', async () => {
    const m = startMission();
    m.send({ type: 'DISPATCH', requestId: 'dispatch-1', destinationId: 'kela' });
    expect(m.statuses.at(-1)).toEqual({
      state: 'dispatched',
      requestId: 'dispatch-1',
      destinationId: 'kela',
      reason: 'dispatched',
      why: '',
    });
    expect(m.goals).toEqual([{ pose: DESTINATIONS[0]!.pose, destinationId: 'kela' }]);
    m.customer(true, 9); // nobody is watched
    m.request('library', 'en', THURSDAY_10, 'r2');
    expect(m.said).toEqual([
      {
        kind: 'busy.directions',
        language: 'en',
        requestId: 'r2',
        vars: { desk: 'Iso Omena Library', minutes: 4, directions: '' },
        style: 'standard',
        choices: [],
      },
    ]);
    await m.finishNav();
    expect(m.statuses.at(-1)).toEqual({
      state: 'idle',
      requestId: 'dispatch-1',
      destinationId: 'kela',
      reason: 'dispatch_arrived',
      why: '',
    });
    expect(m.activeNavs()).toEqual([]);
    expect(m.said).toHaveLength(1);
  });

  it('goes home to the dock when sent there, and takes a new place on the way', async () => {
    const m = startMission();
    m.send({ type: 'DISPATCH', requestId: 'dispatch-1', destinationId: 'kela' });
    m.send({ type: 'DISPATCH', requestId: 'dispatch-2', destinationId: 'dock' });
    expect(m.activeNavs().map((n) => n.goal.destinationId)).toEqual(['dock']);
    await m.finishNav();
    expect(m.statuses.at(-1)).toMatchObject({
      state: 'idle',
      requestId: 'dispatch-2',
      reason: 'dispatch_arrived',
    });
  });

  it('is not dispatched while guiding a customer, e-stopped, or to a place it does not know', () => {
    const m = startMission();
    expect(m.actor.getSnapshot().can({ type: 'DISPATCH', requestId: 'd', destinationId: 'sauna' })).toBe(
      false,
    );
    m.request('kela');
    expect(m.actor.getSnapshot().can({ type: 'DISPATCH', requestId: 'd', destinationId: 'kela' })).toBe(
      false,
    );
    m.send({ type: 'ESTOP' });
    expect(m.actor.getSnapshot().can({ type: 'DISPATCH', requestId: 'd', destinationId: 'dock' })).toBe(
      false,
    );
  });

  it('gives a failed trip its reason: home from a desk, ready where it stands on the way home', async () => {
    const m = startMission();
    m.send({ type: 'DISPATCH', requestId: 'dispatch-1', destinationId: 'kela' });
    await m.finishNav('BLOCKED');
    expect(m.statuses.at(-1)).toMatchObject({ state: 'returning', reason: 'nav_blocked' });
    const h = startMission();
    h.send({ type: 'DISPATCH', requestId: 'dispatch-1', destinationId: 'dock' });
    await h.finishNav('NO_PATH');
    expect(h.statuses.at(-1)).toMatchObject({ state: 'idle', reason: 'return_blocked' });
    expect(h.kinds()).toEqual(['return.blocked', 'return.blocked', 'return.blocked']);
  });

  it('is cancelled home, silently', async () => {
    const m = startMission();
    m.send({ type: 'DISPATCH', requestId: 'dispatch-1', destinationId: 'kela' });
    m.send({ type: 'CANCEL' });
    expect(m.statuses.at(-1)).toMatchObject({ state: 'returning', reason: 'cancelled' });
    expect(m.goals.at(-1)!.destinationId).toBe('dock');
    expect(m.said).toEqual([]);
  });
});

describe('guide mission, paused by an operator', () => {
  it('stands still mid-escort, tells the customer, and resumes to the same desk watching them', async () => {
    const m = startMission();
    m.request('Where is Kela?');
    m.customer(true, 1.0);
    m.send({ type: 'PAUSE' });
    expect(m.statuses.at(-1)).toMatchObject({ state: 'paused', requestId: 'r1', reason: 'paused' });
    expect(m.activeNavs()).toEqual([]);
    expect(m.kinds()).toEqual(['escort.start', 'paused']);
    m.request('library', 'en', THURSDAY_10, 'r2');
    expect(m.said.at(-1)).toEqual({
      kind: 'paused',
      language: 'en',
      requestId: 'r2',
      vars: {},
      style: 'standard',
      choices: [],
    });

    m.send({ type: 'RESUME' });
    expect(m.statuses.at(-1)).toMatchObject({ state: 'escorting', reason: '' });
    expect(m.activeNavs().map((n) => n.goal.destinationId)).toEqual(['kela']);
    expect(m.kinds()).toEqual(['escort.start', 'paused', 'paused', 'escort.resume']);
    // The customer watch goes on: one far behind stops the robot.
    m.customer(true, 8);
    expect(m.state()).toBe('waiting_for_customer');
    expect(m.activeNavs()).toEqual([]);
  });

  it('resumes waiting for the customer without saying it again', async () => {
    const m = startMission();
    m.request('kela');
    m.customer(true, 8);
    expect(m.state()).toBe('waiting_for_customer');
    m.send({ type: 'PAUSE' });
    m.send({ type: 'RESUME' });
    expect(m.state()).toBe('waiting_for_customer');
    expect(m.kinds().filter((k) => k === 'escort.wait')).toHaveLength(1);
  });

  it('pauses from idle, arrived, returning and dispatched, and comes back to each', async () => {
    const m = startMission();
    m.send({ type: 'PAUSE' });
    expect(m.state()).toBe('paused');
    m.send({ type: 'RESUME' });
    expect(m.state()).toBe('idle');

    m.request('kela');
    await m.finishNav();
    m.send({ type: 'PAUSE' });
    m.send({ type: 'RESUME' });
    expect(m.state()).toBe('arrived');
    expect(m.kinds().filter((k) => k === 'arrive')).toHaveLength(1);
    await m.advance(DEFAULT_GUIDE_PARAMS.arrivalPauseS * 1000);
    expect(m.state()).toBe('returning');
    m.send({ type: 'PAUSE' });
    m.send({ type: 'RESUME' });
    expect(m.activeNavs().map((n) => n.goal.destinationId)).toEqual(['dock']);
    await m.finishNav();

    m.send({ type: 'DISPATCH', requestId: 'dispatch-1', destinationId: 'library' });
    m.send({ type: 'PAUSE' });
    expect(m.activeNavs()).toEqual([]);
    m.send({ type: 'RESUME' });
    expect(m.statuses.at(-1)).toMatchObject({ state: 'dispatched', reason: 'dispatched' });
    expect(m.activeNavs().map((n) => n.goal.destinationId)).toEqual(['library']);
  });

  it('is e-stopped from a pause like from anywhere, and goes home on release', () => {
    const m = startMission();
    m.request('kela');
    m.send({ type: 'PAUSE' });
    m.send({ type: 'ESTOP' });
    expect(m.state()).toBe('estopped');
    expect(m.actor.getSnapshot().can({ type: 'PAUSE' })).toBe(false);
    m.send({ type: 'ESTOP_RELEASED' });
    expect(m.state()).toBe('returning');
  });

  it('takes a cancel while paused: says so now, goes home on resume', () => {
    const m = startMission();
    m.request('kela', 'sv');
    m.send({ type: 'PAUSE' });
    m.send({ type: 'CANCEL' });
    expect(m.statuses.at(-1)).toMatchObject({ state: 'paused', reason: 'cancelled' });
    expect(m.kinds().at(-1)).toBe('cancelled');
    m.send({ type: 'RESUME' });
    expect(m.statuses.at(-1)).toMatchObject({ state: 'returning', reason: 'cancelled' });
    expect(m.goals.at(-1)!.destinationId).toBe('dock');
    // Nothing to cancel when paused at rest.
    const idle = startMission();
    idle.send({ type: 'PAUSE' });
    expect(idle.actor.getSnapshot().can({ type: 'CANCEL' })).toBe(false);
  });

  it('still notices the desk closing on the way after a pause, counted on node time', async () => {
    const m = startMission();
    const before = at('2026-11-26T15:59:00+02:00');
    m.request('kela', 'en', before);
    await m.advance(30_000);
    m.send({ type: 'PAUSE', stampNs: before + 30n * 1_000_000_000n });
    await m.advance(20_000);
    m.send({ type: 'RESUME', stampNs: before + 50n * 1_000_000_000n });
    // 10 s of the minute are left: the closing is noticed then, not a whole minute after resuming.
    await m.advance(10_000);
    await m.finishNav();
    expect(m.said.at(-1)).toMatchObject({ kind: 'arrive.closed_now' });
  });

  it('ignores a second pause', () => {
    const m = startMission();
    m.send({ type: 'PAUSE' });
    const n = m.statuses.length;
    m.send({ type: 'PAUSE' });
    expect(m.statuses).toHaveLength(n);
  });
});

// ---- every path ends stopped at the dock or stopped safe -------------------------------------

type Step =
  { kind: 'event'; event: GuideEvent } | { kind: 'nav'; code: NavErrorCode } | { kind: 'time'; ms: number };

const REQUEST_TEXTS = [
  'Missä on Kela?',
  'Var ligger FPA?',
  'Where is the sauna?',
  'health station or mental health',
  'library',
  '',
];
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('event' as const),
    event: fc.oneof(
      fc.record({
        type: fc.constant('REQUEST' as const),
        requestId: fc.constantFrom('a', 'b'),
        text: fc.constantFrom(...REQUEST_TEXTS),
        stampNs: fc.constantFrom(
          THURSDAY_10,
          at('2026-11-26T17:00:00+02:00'),
          at('2026-11-26T15:59:30+02:00'),
        ),
      }),
      fc.record({
        type: fc.constant('CUSTOMER' as const),
        visible: fc.boolean(),
        distanceBehind: fc.double({ min: 0, max: 10, noNaN: true }),
        lostForS: fc.double({ min: 0, max: 10, noNaN: true }),
      }),
      fc.constantFrom<GuideEvent>(
        { type: 'ESTOP' },
        { type: 'ESTOP_RELEASED' },
        { type: 'CANCEL' },
        { type: 'PAUSE' },
        { type: 'RESUME' },
        { type: 'DISPATCH', requestId: 'd', destinationId: 'kela' },
        { type: 'DISPATCH', requestId: 'd', destinationId: 'dock' },
        { type: 'DISPATCH', requestId: 'd', destinationId: 'nowhere' },
        { type: 'LOCALIZATION', state: 'lost' },
        { type: 'LOCALIZATION', state: 'ok' },
        { type: 'LOCALIZATION', state: 'uncertain' },
        { type: 'WAY', blocked: true },
        { type: 'WAY', blocked: false },
        {
          type: 'DESK_STATUS',
          statuses: [
            { destinationId: 'kela', state: 'closed', note: 'Lunch.', untilNs: THURSDAY_10 + HOUR_NS },
          ],
          stampNs: THURSDAY_10,
        },
        { type: 'DESK_STATUS', statuses: [], stampNs: THURSDAY_10 },
        { type: 'CENTRE', open: false, stampNs: THURSDAY_10 },
        { type: 'CENTRE', open: true, stampNs: THURSDAY_10 },
      ),
      fc.record({
        type: fc.constant('POWER' as const),
        charge: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(Number.NaN)),
        reliable: fc.boolean(),
        charging: fc.boolean(),
        tripCharge: fc.double({ min: 0, max: 0.3, noNaN: true }),
        stampNs: fc.constant(THURSDAY_10),
      }),
    ),
  }),
  fc.record({
    kind: fc.constant('nav' as const),
    code: fc.constantFrom<NavErrorCode>(
      'NONE',
      'NONE',
      'NO_PATH',
      'BLOCKED',
      'TIMED_OUT',
      'CANCELLED',
      'STOPPED',
      'UNKNOWN',
    ),
  }),
  fc.record({ kind: fc.constant('time' as const), ms: fc.integer({ min: 1, max: 40_000 }) }),
);

describe('guide mission, any sequence of events', () => {
  it('ends idle at the dock (or where sent), or e-stopped; never crashes; every utterance renders', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { maxLength: 40 }), async (steps) => {
        const m = startMission();
        for (const s of steps) {
          if (s.kind === 'event') m.send(s.event);
          else if (s.kind === 'time') await m.advance(s.ms);
          else if (m.activeNavs().length > 0) await m.finishNav(s.code);
          // Invariants at every step: no navigation runs while stopped or idle; at most one runs.
          const state = m.state();
          expect(m.activeNavs().length).toBeLessThanOrEqual(1);
          const still = ['idle', 'estopped', 'stopped_safe', 'paused', 'localizing', 'charging', 'closed'];
          if ([...still, 'battery_critical', 'handing_over'].includes(state))
            expect(m.activeNavs()).toEqual([]);
          expect(m.actor.getSnapshot().status).toBe('active');
        }
        // Let the world settle: navigation succeeds from now on, time passes, nobody presses anything.
        // An operator who paused it resumes it; the localiser knows where it is. Away from its dock
        // (it could not get home) is not settled: it must get home by itself.
        const settled = () =>
          m.state() === 'idle' &&
          !m.statuses.at(-1)!.reason.startsWith('return_') &&
          m.activeNavs().length === 0;
        // The battery charges and the centre opens.
        m.send({ type: 'POWER', charge: 0.9, reliable: true, charging: true, stampNs: THURSDAY_10 });
        m.send({ type: 'CENTRE', open: true, stampNs: THURSDAY_10 });
        for (let i = 0; i < 20 && !settled(); i++) {
          if (m.state() === 'paused') m.send({ type: 'RESUME' });
          if (['localizing', 'stopped_safe'].includes(m.state()))
            m.send({ type: 'LOCALIZATION', state: 'ok' });
          if (m.activeNavs().length > 0) await m.finishNav();
          else await m.advance(60_000);
        }
        expect(['idle', 'estopped']).toContain(m.state());
        if (m.state() === 'idle') expect(m.statuses.at(-1)!.reason).not.toMatch(/^return_/);
        if (m.state() === 'idle') {
          // Came home, or where an operator sent it: the last goal, if any, was the dock or that place.
          const last = m.statuses.at(-1)!;
          const expected = last.reason === 'dispatch_arrived' ? last.destinationId : 'dock';
          if (m.goals.length > 0) expect(m.goals.at(-1)!.destinationId).toBe(expected);
        }
        for (const st of m.statuses) expect(MISSION_REASON_CODES).toContain(st.reason);
        for (const u of m.said) expect(() => render(u.kind, u.language, u.vars, u.style)).not.toThrow();
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});

// ---- understanding outcomes -----------------------------------------------------------------

/** The two desks the real matcher finds equally fitting for this request, in the order asked. */
const BOTH_HEALTH = 'health station or mental health services?';

/** Asked back about the health station and mental health services; returns the choices in order. */
function askedBack(m: ReturnType<typeof startMission>): string[] {
  m.request(BOTH_HEALTH, 'en');
  expect(m.state()).toBe('asking');
  return m.said.at(-1)!.choices;
}

const PASSPORTS: ElsewhereService = {
  id: 'passports',
  terms: { fi: ['passi'], sv: ['pass'], en: ['passport'] },
  where: {
    fi: 'Passit haetaan poliisilta Leppävaarasta.',
    sv: 'Pass söks hos polisen i Alberga.',
    en: 'Passports are applied for at the police in Leppävaara.',
  },
};
const TAX: ElsewhereService = {
  id: 'tax',
  terms: { fi: ['vero'], sv: ['skatt'], en: ['tax'] },
  where: {
    fi: 'Verotoimisto on Tapiolassa.',
    sv: 'Skattebyrån är i Hagalund.',
    en: 'The tax office is in Tapiola.',
  },
  way: 'library',
};
const TO_LIBRARY: Directions = { destinationId: 'library', metres: 150, steps: [] };
const TO_KELA: Directions = { destinationId: 'kela', metres: 52, steps: [{ kind: 'start' }] };

/**
 * A matcher test double: scripted answers for exact texts (what the catalogue-aware matcher gives
 * for them), the real matcher of DESTINATIONS for everything else.
 */
function scriptedMatcher(script: Record<string, MatchResult>): Matcher {
  const real = createMatcher(DESTINATIONS);
  return (text, hint) => script[text] ?? real(text, hint);
}
const SCRIPT: Record<string, MatchResult> = {
  passi: {
    kind: 'elsewhere',
    elsewhereId: 'passports',
    language: 'fi',
    why: { source: 'elsewhere', term: 'passi', language: 'fi', serviceId: 'passports' },
  },
  'tax return': {
    kind: 'elsewhere',
    elsewhereId: 'tax',
    language: 'en',
    why: { source: 'elsewhere', term: 'tax', language: 'en', serviceId: 'tax' },
  },
  asumistuki: {
    kind: 'match',
    destinationId: 'kela',
    language: 'fi',
    score: 0.8,
    why: { source: 'service', term: 'asumistuki', language: 'fi', serviceId: 'housing-allowance' },
  },
  'housing benefit': {
    kind: 'ambiguous',
    candidates: ['kela', 'library'],
    language: 'en',
    why: [
      { source: 'service', term: 'housing benefit', language: 'en', serviceId: 'housing-allowance' },
      { source: 'alias', term: 'housing', language: 'en' },
    ],
  },
  'only kela fits': {
    kind: 'ambiguous',
    candidates: ['kela'],
    language: 'en',
    why: [{ source: 'alias', term: 'benefits', language: 'en' }],
  },
  'blood books': { kind: 'none', language: 'en', suggestions: ['health-station', 'library', 'nowhere'] },
};
const UNDERSTANDING: GuideInput = {
  ...INPUT,
  elsewhere: [PASSPORTS, TAX],
  directions: new Map([
    ['library', TO_LIBRARY],
    ['kela', TO_KELA],
  ]),
  matcher: scriptedMatcher(SCRIPT),
};

describe('guide mission, asking back', () => {
  it('takes the number said as the pick and escorts there, answering the new request id', async () => {
    const m = startMission();
    const choices = askedBack(m);
    m.request('2', undefined, THURSDAY_10, 'r2');
    expect(m.state()).toBe('escorting');
    expect(m.goals).toEqual([
      { pose: DESTINATIONS.find((d) => d.id === choices[1])!.pose, destinationId: choices[1] },
    ]);
    expect(m.said.at(-1)).toMatchObject({ kind: 'escort.start', language: 'en', requestId: 'r2' });
    expect(m.statuses.at(-1)).toMatchObject({
      state: 'escorting',
      requestId: 'r2',
      destinationId: choices[1],
    });
    expect(m.stateTrail()).toEqual(['idle', 'understanding', 'asking', 'understanding', 'escorting']);
    await m.finishNav();
    expect(m.said.at(-1)).toMatchObject({ kind: 'arrive', requestId: 'r2' });
  });

  it.each<[string, number]>([
    ['toinen', 1],
    ['Toista!', 1],
    ['andra', 1],
    ['the second one', 1],
    ['2nd please', 1],
    ['ensimmäinen', 0],
    ['den första', 0],
    ['first', 0],
    ['one', 0],
    ['kakkonen', 1],
  ])('takes the ordinal or number %j as pick %i', (reply, index) => {
    const m = startMission();
    const choices = askedBack(m);
    m.request(reply, undefined, THURSDAY_10, 'r2');
    expect(m.state()).toBe('escorting');
    expect(m.statuses.at(-1)!.destinationId).toBe(choices[index]);
  });

  it('takes a candidate id (the kiosk button) or a name as the pick', () => {
    const byId = startMission();
    const choices = askedBack(byId);
    byId.request(choices[1]!, 'en', THURSDAY_10, 'r2');
    expect(byId.statuses.at(-1)).toMatchObject({ state: 'escorting', destinationId: choices[1] });

    const byName = startMission();
    askedBack(byName);
    byName.request('Mental health services', 'en', THURSDAY_10, 'r2');
    expect(byName.statuses.at(-1)).toMatchObject({ state: 'escorting', destinationId: 'mental-health' });
  });

  it('goes on with a pick exactly as with a direct request: a closed desk is said closed', () => {
    const m = startMission();
    const evening = at('2026-11-26T17:00:00+02:00');
    m.request(BOTH_HEALTH, 'en', evening);
    const choices = m.said.at(-1)!.choices;
    m.request('1', undefined, evening, 'r2');
    expect(m.said.at(-1)).toMatchObject({ kind: 'closed', language: 'en', requestId: 'r2' });
    expect(m.statuses.at(-1)).toMatchObject({
      state: 'idle',
      reason: 'desk_closed',
      destinationId: choices[0],
    });
  });

  it.each(['peruuta', 'Ei kiitos.', 'avbryt', 'nej tack', 'cancel', 'No thanks'])(
    'ends politely on %j, at the dock',
    (reply) => {
      const m = startMission();
      askedBack(m);
      m.request(reply, undefined, THURSDAY_10, 'r2');
      expect(m.said.at(-1)).toMatchObject({ kind: 'asking.cancelled', requestId: 'r2' });
      expect(m.statuses.at(-1)).toMatchObject({ state: 'idle', reason: 'ask_cancelled' });
      expect(m.goals).toEqual([]);
    },
  );

  it('ends politely on an operator cancel', () => {
    const m = startMission();
    askedBack(m);
    m.send({ type: 'CANCEL' });
    expect(m.said.at(-1)).toMatchObject({ kind: 'asking.cancelled', language: 'en', requestId: 'r1' });
    expect(m.statuses.at(-1)).toMatchObject({ state: 'idle', reason: 'ask_cancelled' });
  });

  it('stops waiting for a pick after askBackTimeoutS, and takes requests again', async () => {
    const m = startMission();
    askedBack(m);
    await m.advance(DEFAULT_GUIDE_PARAMS.askBackTimeoutS * 1000 - 1);
    expect(m.state()).toBe('asking');
    await m.advance(1);
    expect(m.statuses.at(-1)).toMatchObject({ state: 'idle', reason: 'ask_timed_out' });
    expect(m.kinds().at(-1)).toBe('asking.timeout');
    m.request('2', 'en', THURSDAY_10, 'r9');
    // No longer asking: "2" is a new request, and not understood.
    expect(m.kinds().at(-1)).toBe('unknown');
  });

  it('takes a new request for another desk as just that', () => {
    const m = startMission();
    askedBack(m);
    m.request('Kela', 'en', THURSDAY_10, 'r2');
    expect(m.statuses.at(-1)).toMatchObject({ state: 'escorting', destinationId: 'kela', requestId: 'r2' });
  });

  it('asks again on a reply it cannot read (twice), then says it did not understand', () => {
    const m = startMission();
    const choices = askedBack(m);
    m.request('hmm what', 'en', THURSDAY_10, 'r2');
    expect(m.said.at(-1)).toMatchObject({ kind: 'asking.again', requestId: 'r2', choices });
    expect(m.state()).toBe('asking');
    m.request('5', 'en', THURSDAY_10, 'r3');
    expect(m.kinds().at(-1)).toBe('asking.again');
    m.request('zzz', 'en', THURSDAY_10, 'r4');
    expect(m.kinds().at(-1)).toBe('unknown');
    expect(m.statuses.at(-1)).toMatchObject({ state: 'idle', reason: 'unknown_destination' });
  });

  it('never asks back about a single candidate: that is a match', () => {
    const m = startMission(UNDERSTANDING);
    m.request('only kela fits', 'en');
    expect(m.stateTrail()).toEqual(['idle', 'understanding', 'escorting']);
    expect(m.statuses.at(-1)).toMatchObject({ destinationId: 'kela', why: "alias: 'benefits' (en)" });
  });

  it('says why on the status: the candidates while asking, the picked one after', () => {
    const m = startMission(UNDERSTANDING);
    m.request('housing benefit', 'en');
    expect(m.statuses.at(-1)).toMatchObject({
      state: 'asking',
      why: "service housing-allowance: 'housing benefit' (en); alias: 'housing' (en)",
    });
    m.request('1', 'en', THURSDAY_10, 'r2');
    expect(m.statuses.at(-1)).toMatchObject({
      state: 'escorting',
      destinationId: 'kela',
      why: "service housing-allowance: 'housing benefit' (en)",
    });
  });
});

describe('guide mission, bad replies while asking back', () => {
  it.each([
    '',
    '   ',
    '😀😀😀',
    'x'.repeat(10_000),
    '<script>alert(1)</script>',
    "'; DROP TABLE desks; --",
    'ääkköset Ωмир',
  ])('answers %j without falling over: asked again, or a new request', (reply) => {
    const m = startMission();
    askedBack(m);
    m.request(reply, undefined, THURSDAY_10, 'r2');
    expect(['asking', 'idle', 'escorting']).toContain(m.state());
    expect(m.actor.getSnapshot().status).toBe('active');
    const last = m.said.at(-1)!;
    expect(last.requestId).toBe('r2');
    expect(() => render(last.kind, last.language, last.vars, last.style)).not.toThrow();
  });
});

describe('guide mission, not here and not understood', () => {
  it('says where a service is when it is not on this floor, and stays at the dock', () => {
    const m = startMission(UNDERSTANDING);
    m.request('passi');
    expect(m.said).toEqual([
      {
        kind: 'elsewhere',
        language: 'fi',
        requestId: 'r1',
        vars: { where: PASSPORTS.where.fi },
        style: 'standard',
        choices: [],
      },
    ]);
    expect(m.statuses.at(-1)).toEqual({
      state: 'idle',
      requestId: 'r1',
      destinationId: '',
      reason: 'elsewhere',
      why: "elsewhere passports: 'passi' (fi)",
    });
    expect(m.goals).toEqual([]);
  });

  it('offers the way on, with directions there and its id as the choice', () => {
    const m = startMission(UNDERSTANDING);
    m.request('tax return');
    expect(m.said).toEqual([
      {
        kind: 'elsewhere.way',
        language: 'en',
        requestId: 'r1',
        vars: {
          where: TAX.where.en,
          way: 'Iso Omena Library',
          directions: renderDirections(TO_LIBRARY, 'en', 'standard'),
        },
        style: 'standard',
        choices: ['library'],
      },
    ]);
    expect(m.statuses.at(-1)).toMatchObject({ state: 'idle', reason: 'elsewhere' });
    // The kiosk's "take me there" sends the way's id: an escort like any other.
    m.request('library', 'en', THURSDAY_10, 'r2');
    expect(m.statuses.at(-1)).toMatchObject({ state: 'escorting', destinationId: 'library' });
  });

  it('suggests desks related to the words it understood, as choices (known desks only)', () => {
    const m = startMission(UNDERSTANDING);
    m.request('blood books');
    expect(m.said).toEqual([
      {
        kind: 'unknown.suggest',
        language: 'en',
        requestId: 'r1',
        vars: { options: 'Matinkylä health station or Iso Omena Library' },
        style: 'standard',
        choices: ['health-station', 'library'],
      },
    ]);
    expect(m.statuses.at(-1)).toMatchObject({ state: 'idle', reason: 'unknown_destination', why: '' });
  });
});

describe('guide mission, directions in words', () => {
  it('tells the way to a customer who walks alone, and stays at the dock', () => {
    const m = startMission(UNDERSTANDING);
    m.request('Kela', 'en', THURSDAY_10, 'r1', { mode: 'directions' });
    expect(m.said).toEqual([
      {
        kind: 'directions',
        language: 'en',
        requestId: 'r1',
        vars: { desk: 'Kela', minutes: 1, directions: renderDirections(TO_KELA, 'en', 'standard') },
        style: 'standard',
        choices: [],
      },
    ]);
    expect(m.statuses.at(-1)).toMatchObject({
      state: 'idle',
      reason: 'directions_given',
      destinationId: 'kela',
    });
    expect(m.goals).toEqual([]);
  });

  it('says a closed desk is closed rather than the way to it', () => {
    const m = startMission(UNDERSTANDING);
    m.request('Kela', 'en', at('2026-11-26T17:00:00+02:00'), 'r1', { mode: 'directions' });
    expect(m.kinds()).toEqual(['closed']);
  });

  it('says only the minutes for a desk the directions book lacks', () => {
    const m = startMission(UNDERSTANDING);
    m.request('health station', 'en', THURSDAY_10, 'r1', { mode: 'directions' });
    expect(m.said[0]).toMatchObject({ kind: 'directions', vars: { directions: '', minutes: 1 } });
  });

  it('while busy, answers a request for a desk with the way there from the dock, in that customer’s style', () => {
    const m = startMission(UNDERSTANDING);
    m.request('library', 'en');
    m.request('Missä on Kela?', undefined, THURSDAY_10, 'r2', { plain: true });
    const fromDock = renderDirections(TO_KELA, 'fi', 'plain', 'dock');
    // The robot is not beside the customer: the way starts at its charging place.
    expect(fromDock).not.toBe(renderDirections(TO_KELA, 'fi', 'plain'));
    expect(fromDock.startsWith('Mene latauspaikalleni.')).toBe(true);
    expect(m.said.at(-1)).toEqual({
      kind: 'busy.directions',
      language: 'fi',
      requestId: 'r2',
      vars: { desk: 'Kela', minutes: 1, directions: fromDock },
      style: 'plain',
      choices: [],
    });
    expect(m.statuses.at(-1)).toMatchObject({
      state: 'escorting',
      requestId: 'r1',
      destinationId: 'library',
    });
  });
});

describe('guide mission, plain language and the customer’s language', () => {
  it('says everything to a customer who chose plain language in plain language', async () => {
    const m = startMission();
    m.request('Kela', 'en', THURSDAY_10, 'r1', { plain: true });
    m.customer(true, 3.0);
    await m.finishNav();
    await m.advance(DEFAULT_GUIDE_PARAMS.arrivalPauseS * 1000);
    expect(m.kinds()).toEqual(['escort.start', 'escort.slow', 'arrive', 'return']);
    expect(m.said.every((u) => u.style === 'plain')).toBe(true);
    // The next customer is spoken to as usual.
    await m.finishNav();
    m.request('Kela', 'en', THURSDAY_10, 'r2');
    expect(m.said.at(-1)).toMatchObject({ requestId: 'r2', style: 'standard' });
  });

  it('turns a request away in plain language when that customer chose it', () => {
    const m = startMission();
    m.send({ type: 'PAUSE' });
    m.request('Kela', 'en', THURSDAY_10, 'r2', { plain: true });
    expect(m.said.at(-1)).toMatchObject({ kind: 'paused', style: 'plain', requestId: 'r2' });
  });

  it('keeps plain language through asking back', () => {
    const m = startMission();
    m.request(BOTH_HEALTH, 'en', THURSDAY_10, 'r1', { plain: true });
    expect(m.said.at(-1)).toMatchObject({ kind: 'asking', style: 'plain' });
    m.request('1', undefined, THURSDAY_10, 'r2');
    expect(m.said.at(-1)).toMatchObject({ kind: 'escort.start', style: 'plain', language: 'en' });
  });

  it('answers in the language the customer chose, and else in the language of the words', () => {
    const chosen = startMission();
    chosen.request('Kela', 'sv');
    expect(chosen.said[0]).toMatchObject({ language: 'sv', vars: { desk: 'FPA' } });
    const detected = startMission();
    detected.request('Var ligger FPA?');
    expect(detected.said[0]).toMatchObject({ language: 'sv' });
  });
});

describe('guide mission, localisation lost', () => {
  const lost = { type: 'LOCALIZATION', state: 'lost' } as const;
  const ok = { type: 'LOCALIZATION', state: 'ok' } as const;

  it('stands still and says so, then goes on to the same desk when it knows where it is again', async () => {
    const m = startMission();
    m.request('kela', 'en');
    m.customer(true, 1.0);
    m.send(lost);
    expect(m.statuses.at(-1)).toMatchObject({ state: 'localizing', reason: 'localizing', requestId: 'r1' });
    expect(m.activeNavs()).toEqual([]);
    expect(m.said.at(-1)).toMatchObject({ kind: 'localizing', language: 'en', requestId: 'r1' });
    // Repeats (the localiser says it at 1 Hz) change nothing; requests are answered politely.
    m.send(lost);
    m.request('library', 'sv', THURSDAY_10, 'r2');
    expect(m.said.at(-1)).toMatchObject({ kind: 'localizing', language: 'sv', requestId: 'r2' });
    await m.advance(DEFAULT_GUIDE_PARAMS.localizationWaitS * 1000 - 1);
    m.send({ type: 'LOCALIZATION', state: 'uncertain' });
    expect(m.statuses.at(-1)).toMatchObject({ state: 'escorting', reason: '' });
    expect(m.said.at(-1)).toMatchObject({ kind: 'escort.resume', requestId: 'r1' });
    expect(m.activeNavs().map((n) => n.goal.destinationId)).toEqual(['kela']);
    await m.finishNav();
    expect(m.state()).toBe('arrived');
  });

  it('not back in time: tells the customer politely, asks for help, and goes home once it knows again', async () => {
    const m = startMission();
    m.request('kela', 'fi', THURSDAY_10, 'r1', { plain: true });
    m.send(lost);
    await m.advance(DEFAULT_GUIDE_PARAMS.localizationWaitS * 1000);
    expect(m.statuses.at(-1)).toMatchObject({ state: 'stopped_safe', reason: 'localization_lost' });
    expect(m.said.at(-1)).toMatchObject({ kind: 'localization.lost', requestId: 'r1', style: 'plain' });
    expect(outcomeOfStatus('stopped_safe', 'localization_lost')).toBe('nav_failed');
    m.request('library', 'en', THURSDAY_10, 'r2');
    expect(m.said.at(-1)).toMatchObject({ kind: 'unavailable', requestId: 'r2' });
    expect(m.activeNavs()).toEqual([]);
    m.send(ok);
    expect(m.state()).toBe('returning');
    expect(m.activeNavs().map((n) => n.goal.destinationId)).toEqual(['dock']);
  });

  it('lost while idle: tells whoever is near and takes no request until it knows again', () => {
    const m = startMission();
    m.send(lost);
    expect(m.said.at(-1)).toMatchObject({ kind: 'localizing', requestId: '' });
    m.request('kela', 'en');
    expect(m.activeNavs()).toEqual([]);
    m.send(ok);
    expect(m.state()).toBe('idle');
    m.request('kela', 'en', THURSDAY_10, 'r3');
    expect(m.state()).toBe('escorting');
  });

  it('carries on as before with no localisation status, or while it is only uncertain', async () => {
    const m = startMission();
    m.send({ type: 'LOCALIZATION', state: 'uncertain' });
    m.request('kela', 'en');
    expect(m.state()).toBe('escorting');
    await m.finishNav();
    expect(m.state()).toBe('arrived');
  });
});

describe('guide mission, tight places', () => {
  it('asks whoever stands in the way to step aside, waits, and goes on when the way is clear', async () => {
    const m = startMission();
    m.request('kela', 'en');
    m.send({ type: 'WAY', blocked: true });
    expect(m.said.at(-1)).toMatchObject({ kind: 'escort.make_way', requestId: 'r1' });
    expect(m.activeNavs()).toEqual([]);
    // Nobody is judged lost while the robot makes room, however long the first sighting takes.
    await m.advance(DEFAULT_GUIDE_PARAMS.firstSightingS * 1000);
    m.customer(false, 0, 99);
    expect(m.state()).toBe('escorting');
    m.send({ type: 'WAY', blocked: false });
    expect(m.activeNavs().map((n) => n.goal.destinationId)).toEqual(['kela']);
    await m.finishNav();
    expect(m.state()).toBe('arrived');
    expect(m.kinds().filter((k) => k === 'escort.make_way')).toHaveLength(1);
  });

  it('tries again after a while if the way does not clear, and asks again only once it has been clear', async () => {
    const m = startMission();
    m.request('kela', 'en');
    m.send({ type: 'WAY', blocked: true });
    await m.advance(DEFAULT_GUIDE_PARAMS.makeWayWaitS * 1000);
    expect(m.activeNavs()).toHaveLength(1);
    m.send({ type: 'WAY', blocked: true });
    expect(m.kinds().filter((k) => k === 'escort.make_way')).toHaveLength(1);
    m.send({ type: 'WAY', blocked: false });
    m.send({ type: 'WAY', blocked: true });
    expect(m.kinds().filter((k) => k === 'escort.make_way')).toHaveLength(2);
  });

  it('while waiting for the customer, asks someone in the way to let it by instead of looking for them', async () => {
    const m = startMission();
    m.request('kela', 'en');
    m.customer(true, 1.0);
    m.customer(false, 1.0, DEFAULT_GUIDE_PARAMS.lostGraceS);
    expect(m.state()).toBe('waiting_for_customer');
    m.send({ type: 'WAY', blocked: true });
    expect(m.said.at(-1)).toMatchObject({ kind: 'escort.make_way' });
    await m.advance(DEFAULT_GUIDE_PARAMS.customerPatienceS * 1000 - 1);
    expect(m.kinds()).not.toContain('escort.lost');
  });
});
