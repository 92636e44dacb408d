import { describe, expect, it } from 'vitest';
import type { Directions } from '../src/interaction/index.js';
import { DEFAULT_GUIDE_PARAMS, guideMission } from './guide-mission.js';
import { DOCK, INPUT, THURSDAY_10, at, flush, startMission } from './mission-harness.js';
import { outcomeOfStatus } from './mission-reasons.js';
import { createActor } from 'xstate';

type Mission = ReturnType<typeof startMission>;

/** A battery estimate as the node sends it. */
function power(
  m: Mission,
  charge: number,
  how: { reliable?: boolean; charging?: boolean; tripCharge?: number } = {},
) {
  m.send({
    type: 'POWER',
    charge,
    reliable: how.reliable ?? true,
    charging: how.charging ?? false,
    ...(how.tripCharge !== undefined ? { tripCharge: how.tripCharge } : {}),
    stampNs: THURSDAY_10,
  });
}

const P = DEFAULT_GUIDE_PARAMS;
const last = (m: Mission) => m.statuses.at(-1)!;

describe('guide mission, its battery', () => {
  it('never calls a battery that has not reported low: it guides as ever', () => {
    const m = startMission();
    m.request('Kela');
    expect(m.state()).toBe('escorting');
  });

  it('goes to charge below the low threshold and takes no escort, telling the way in words instead', () => {
    const m = startMission();
    power(m, P.lowCharge - 0.01, { charging: true });
    expect(last(m)).toMatchObject({ state: 'charging', reason: 'battery_low', requestId: '' });

    m.request('Missä on Kela?', undefined, THURSDAY_10, 'r2');
    expect(last(m)).toMatchObject({
      state: 'charging',
      requestId: 'r2',
      destinationId: 'kela',
      reason: 'battery_low',
    });
    expect(outcomeOfStatus(last(m).state, last(m).reason)).toBe('refused');
    expect(m.said.at(-1)).toMatchObject({ kind: 'battery.low.directions', language: 'fi', requestId: 'r2' });
    expect(m.said.at(-1)!.vars).toMatchObject({ desk: 'Kela', minutes: 1 });
    expect(m.goals).toEqual([]);

    m.request('something nobody has', 'en', THURSDAY_10, 'r3');
    expect(m.said.at(-1)).toMatchObject({ kind: 'battery.low', language: 'en', requestId: 'r3' });
  });

  it('still tells the way to a customer who asked only for directions while it charges', () => {
    const m = startMission();
    power(m, 0.1, { charging: true });
    m.request('Kela', 'fi', THURSDAY_10, 'r2', { mode: 'directions' });
    expect(m.said.at(-1)).toMatchObject({ kind: 'directions', requestId: 'r2' });
    expect(last(m).state).toBe('charging');
  });

  it('comes back into service only at the resume threshold (hysteresis), saying why', () => {
    const m = startMission();
    power(m, P.lowCharge - 0.01, { charging: true });
    power(m, (P.lowCharge + P.resumeCharge) / 2, { charging: true });
    expect(m.state()).toBe('charging');
    power(m, P.resumeCharge, { charging: true });
    expect(last(m)).toMatchObject({ state: 'idle', reason: 'charged' });
    // Between the thresholds again, on the way down: still in service.
    power(m, (P.lowCharge + P.resumeCharge) / 2);
    expect(m.state()).toBe('idle');
    m.request('Kela');
    expect(m.state()).toBe('escorting');
  });

  it('docks again when it is not charging on the dock, and asks staff after dock_tries failures', async () => {
    const m = startMission();
    power(m, 0.2, { charging: false });
    expect(m.state()).toBe('charging');
    m.dockResults.push('BLOCKED', 'BLOCKED', 'BLOCKED');
    let wait = P.contactWaitS * 1000;
    for (let i = 0; i < P.dockTries; i++) {
      await m.advance(wait);
      expect(m.docks).toBe(i + 1);
      wait *= 2;
    }
    expect(last(m)).toMatchObject({ state: 'charging', reason: 'dock_failed' });
    // Docked at last: the next docking counts from zero again.
    await m.advance(wait);
    expect(m.docks).toBe(P.dockTries + 1);
    power(m, 0.2, { charging: true });
    expect(last(m).reason).toBe('battery_low');
  });

  it('docks onto its charger when home with less than the resume charge, not when fuller', async () => {
    const full = startMission();
    power(full, 0.9);
    full.request('Kela');
    await full.finishNav();
    await full.advance(P.arrivalPauseS * 1000);
    await full.finishNav();
    expect(full.docks).toBe(0);
    expect(full.state()).toBe('idle');
    const m = startMission();
    power(m, P.resumeCharge - 0.05);
    m.request('Kela');
    await m.finishNav();
    await m.advance(P.arrivalPauseS * 1000);
    await m.finishNav();
    expect(m.docks).toBe(1);
    expect(m.stateTrail().slice(-2)).toEqual(['docking', 'idle']);
  });

  it('finishes an escort the charge allows, then docks and charges', async () => {
    const m = startMission();
    m.request('Kela');
    power(m, P.lowCharge - 0.05, { tripCharge: 0.01 });
    expect(m.state()).toBe('escorting');
    await m.finishNav();
    expect(m.state()).toBe('arrived');
    await m.advance(P.arrivalPauseS * 1000);
    await m.finishNav();
    expect(m.stateTrail().slice(-3)).toEqual(['returning', 'docking', 'charging']);
  });

  it('hands an escort over with the way from where it stands when the charge would not last', async () => {
    const m = startMission();
    const way: Directions = { destinationId: 'kela', metres: 20, steps: [{ kind: 'start' }] };
    m.wayFromHere.next = way;
    m.request('Kela');
    m.customer(true, 1.0);
    power(m, P.criticalCharge + 0.04, { tripCharge: 0.02 });
    await flush();
    expect(last(m)).toMatchObject({ state: 'handing_over', requestId: 'r1', reason: 'battery_handover' });
    expect(outcomeOfStatus(last(m).state, last(m).reason)).toBe('handed_over');
    expect(m.activeNavs()).toEqual([]);
    expect(m.wayFromHere.asked).toEqual(['kela']);
    expect(m.said.at(-1)).toMatchObject({ kind: 'battery.handover', requestId: 'r1', language: 'fi' });
    expect(String(m.said.at(-1)!.vars['directions'])).not.toBe('');
    await m.advance(P.arrivalPauseS * 1000);
    expect(m.state()).toBe('returning');
    expect(m.goals.at(-1)).toEqual({ pose: DOCK, destinationId: 'dock' });
  });

  it('stops where it is at a critical charge away from the charger, and tells customer and staff', async () => {
    const m = startMission();
    m.request('Kela');
    const cancelsBefore = m.navCancels;
    power(m, P.criticalCharge - 0.01);
    await flush();
    expect(last(m)).toMatchObject({ state: 'battery_critical', reason: 'battery_critical' });
    expect(m.navCancels).toBeGreaterThan(cancelsBefore);
    expect(m.activeNavs()).toEqual([]);
    expect(m.said.at(-1)).toMatchObject({ kind: 'battery.critical', requestId: 'r1' });
    // Asked meanwhile: the same words, nothing moves.
    m.request('Kela', 'en', THURSDAY_10, 'r2');
    expect(m.said.at(-1)).toMatchObject({ kind: 'battery.critical', requestId: 'r2', language: 'en' });
    expect(m.activeNavs()).toEqual([]);
    // Pushed onto the charger: it charges.
    power(m, P.criticalCharge - 0.01, { charging: true });
    expect(m.state()).toBe('charging');
  });

  it('is not critical on its charger, nor on a reading it cannot trust', () => {
    const m = startMission();
    power(m, 0.01, { charging: true });
    expect(m.state()).toBe('charging');
    const u = startMission();
    u.request('Kela');
    power(u, 0.01, { reliable: false });
    expect(u.state()).toBe('escorting');
  });

  it('takes no escort while the battery reading cannot be trusted, and says why to operators', () => {
    const m = startMission();
    power(m, 0.9, { reliable: false, charging: true });
    expect(last(m)).toMatchObject({ state: 'charging', reason: 'battery_unreliable' });
    m.request('Kela', undefined, THURSDAY_10, 'r2');
    expect(last(m)).toMatchObject({ requestId: 'r2', reason: 'battery_unreliable' });
    power(m, 0.9, { reliable: true, charging: true });
    expect(last(m)).toMatchObject({ state: 'idle', reason: 'charged' });
  });

  it('an operator can send a critical robot home with what is left, and it is not stopped again on the way', async () => {
    const m = startMission();
    m.request('Kela');
    power(m, 0.02);
    m.send({ type: 'CANCEL' });
    await flush();
    expect(m.state()).toBe('returning');
    power(m, 0.02);
    await flush();
    expect(m.state()).toBe('returning');
    await m.finishNav();
    expect(m.stateTrail().slice(-2)).toEqual(['docking', 'charging']);
    // Home: the next critical charge off the charger stops it again.
    power(m, 0.02, { charging: false });
    expect(m.state()).toBe('battery_critical');
  });

  it('a pause while stopped critical resumes stopped, not where it was before', async () => {
    const m = startMission();
    m.request('Kela');
    power(m, 0.02);
    m.send({ type: 'PAUSE' });
    expect(m.state()).toBe('paused');
    m.send({ type: 'RESUME' });
    await flush();
    expect(m.state()).toBe('battery_critical');
    expect(m.activeNavs()).toEqual([]);
  });

  it('refuses thresholds out of order, naming them', () => {
    const actor = createActor(guideMission, {
      input: { ...INPUT, params: { lowCharge: 0.7, resumeCharge: 0.6 } },
    });
    const errors: unknown[] = [];
    actor.subscribe({ error: (e) => errors.push(e) });
    actor.start();
    expect(String(errors[0])).toMatch(
      /params\.lowCharge: expected 0 ≤ criticalCharge < lowCharge < resumeCharge ≤ 1, found 0\.12, 0\.7, 0\.6/,
    );
  });
});

describe("guide mission, the centre's hours", () => {
  const FRIDAY_20 = at('2026-11-27T20:00:00+02:00');
  const SATURDAY_10 = at('2026-11-28T10:00:00+02:00');
  const opensAt = { weekday: 'sat' as const, minutes: 600, inDays: 1, epochNs: SATURDAY_10 };

  it('stays on its dock while the centre is closed and says when it opens', () => {
    const m = startMission();
    m.send({ type: 'CENTRE', open: false, opensAt, stampNs: FRIDAY_20 });
    expect(last(m)).toMatchObject({ state: 'closed', reason: 'centre_closed', requestId: '' });
    m.request('Kela', 'en', FRIDAY_20, 'r2');
    expect(last(m)).toMatchObject({ state: 'closed', requestId: 'r2', reason: 'centre_closed' });
    expect(outcomeOfStatus('closed', 'centre_closed')).toBe('refused');
    expect(m.said.at(-1)).toMatchObject({
      kind: 'centre.closed',
      requestId: 'r2',
      vars: { when: 'tomorrow at 10.00' },
    });
    expect(m.goals).toEqual([]);
    m.send({ type: 'CENTRE', open: true, stampNs: SATURDAY_10 });
    expect(last(m)).toMatchObject({ state: 'idle', reason: '' });
    m.request('Kela', 'en', SATURDAY_10, 'r3');
    expect(m.state()).not.toBe('closed');
  });

  it('still tells the way in words while closed', () => {
    const m = startMission();
    m.send({ type: 'CENTRE', open: false, opensAt, stampNs: FRIDAY_20 });
    m.request('library', 'en', FRIDAY_20, 'r2', { mode: 'directions' });
    expect(m.said.at(-1)).toMatchObject({ kind: 'directions', requestId: 'r2' });
    expect(m.state()).toBe('closed');
  });

  it('finishes an escort under way at closing time, then docks and stays closed', async () => {
    const m = startMission();
    m.request('Kela');
    m.send({ type: 'CENTRE', open: false, opensAt, stampNs: THURSDAY_10 });
    expect(m.state()).toBe('escorting');
    await m.finishNav();
    expect(m.state()).toBe('arrived');
    await m.advance(P.arrivalPauseS * 1000);
    await m.finishNav();
    expect(m.stateTrail().slice(-3)).toEqual(['arrived', 'returning', 'closed']);
  });
});
