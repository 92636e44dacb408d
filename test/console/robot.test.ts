/**
 * The console on a simulated robot: live state over /ws, teleop behind its deadman (a held
 * command drives; let go, expiry, release or a dropped socket stop it within 300 ms of simulated
 * time), the e-stop through the safety gate, desk statuses onto /guide/desk_status and kept across
 * a restart, the kiosk's request in the mission log without its words, and the kiosk hearing only
 * its own request.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeskStatusArray } from '../../src/interfaces/index.js';
import type { ServerMessage } from '../../src/console/protocol.js';
import type { Twist } from '../../src/ros/index.js';
import { startConsoleHarness, type ConsoleHarness } from '../support/console-harness.js';

let h: ConsoleHarness;
let operator: string;
let viewer: string;
/** /cmd_vel_teleop as published, with the simulated time it was heard. */
const teleop: Array<{ t: number; twist: Twist }> = [];
const deskStatus: DeskStatusArray[] = [];
const simS = () => Number(h.graph.now().nanoseconds) / 1e9;

beforeAll(async () => {
  h = await startConsoleHarness();
  await h.addUser('olga', 'operator');
  await h.addUser('vera', 'viewer');
  operator = await h.login('olga');
  viewer = await h.login('vera');
  const probe = h.graph.createNode('probe');
  probe.createSubscription('geometry_msgs/msg/Twist', '/cmd_vel_teleop', (twist) =>
    teleop.push({ t: simS(), twist }),
  );
  probe.createSubscription(
    'medhjalparen_msgs/msg/DeskStatusArray',
    '/guide/desk_status',
    { qos: { durability: 'transient_local' } },
    (m) => deskStatus.push(m),
  );
  await h.step(1);
});
afterAll(async () => h?.stop());

const ofType = <T extends ServerMessage['type']>(msgs: ServerMessage[], type: T) =>
  msgs.filter((m): m is Extract<ServerMessage, { type: T }> => m.type === type);

describe('live state', () => {
  it('is built only while a page watches, and on demand for GET /api/state', async () => {
    const book = h.console.bridge.book;
    const idle = book.get('stamp');
    await h.step(1);
    expect(book.get('stamp')).toBe(idle);
    const state = await h.api('GET', '/api/state', { cookie: viewer });
    expect(state.status).toBe(200);
    expect((state.body as { stamp: number }).stamp).toBeCloseTo(simS(), 1);
    const live = await h.socket('/ws', { cookie: viewer });
    await h.step(0.5);
    expect(book.get('stamp')).toBeCloseTo(simS(), 0);
    live.close();
  });

  it('sends the map once, then only what changed, at most 10 times a second', async () => {
    const live = await h.socket('/ws', { cookie: viewer });
    await h.settle(() => live.messages.length >= 3, 'hello, map, state');
    const t0 = simS();
    await h.step(2);
    await h.settle(() => ofType(live.messages, 'state').length >= 15, 'states');
    const states = ofType(live.messages, 'state');
    expect(ofType(live.messages, 'map')).toHaveLength(1);
    expect(ofType(live.messages, 'map')[0]!.map.png).toMatch(/^data:image\/png;base64,iVBOR/);
    const first = states[0]!.state;
    expect(first.pose).toMatchObject({
      x: expect.closeTo(h.site.dock.x, 1),
      y: expect.closeTo(h.site.dock.y, 1),
    });
    expect(first.desks?.map((d) => d.id)).toEqual(h.site.destinations.map((d) => d.id));
    // After the first, a still robot's messages carry only its noisy scan and the stamp.
    expect(Object.keys(states.at(-1)!.state).sort()).toEqual(['scan', 'stamp']);
    const stamps = states.slice(1).map((s) => s.state.stamp!);
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]! - stamps[i - 1]!).toBeGreaterThanOrEqual(0.099);
    expect(stamps.length).toBeLessThanOrEqual(Math.ceil((simS() - t0) * 10) + 1);
    live.close();
    const all = await h.api('GET', '/api/state', { cookie: viewer });
    expect(Object.keys(all.body as object).sort()).toEqual(Object.keys(states[0]!.state).sort());
    expect(all.headers.get('content-type')).toMatch(/^application\/json/);
  });
});

describe('the kiosk', () => {
  it('logs its request without its words, and hears only its own request', async () => {
    viewer = await h.login('vera');
    const staff = await h.socket('/ws', { cookie: viewer });
    const words = 'Missä on HUSLAB kiitos paljon';
    const ask = await h.api('POST', '/api/kiosk/request', { body: { text: words, language: 'fi' } });
    const id = (ask.body as { request_id: string }).request_id;
    expect(id).toMatch(/^kiosk-[A-Za-z0-9_-]{12}$/);
    const own = await h.socket(`/kiosk/ws?request_id=${id}`);
    const other = await h.socket('/kiosk/ws');
    await h.until(() => h.console.bridge.book.get('mission').state === 'escorting', 'escorting', 20);
    await h.step(1);
    await h.settle(() => ofType(own.messages, 'say').length > 0, 'own words');
    expect(ofType(own.messages, 'say').every((s) => s.request_id === id)).toBe(true);
    expect(ofType(other.messages, 'say')).toEqual([]);
    // Another kiosk never learns the request's id (it is the handle that cancels it).
    const missionsSeen = (c: typeof own) =>
      ofType(c.messages, 'state').flatMap((m) => (m.state.mission ? [m.state.mission] : []));
    expect(missionsSeen(other).map((m) => m.request_id)).not.toContain(id);
    expect(missionsSeen(other).some((m) => m.state === 'escorting')).toBe(true);
    expect(missionsSeen(own).some((m) => m.request_id === id && m.state === 'escorting')).toBe(true);
    expect(ofType(staff.messages, 'say').some((s) => s.request_id === id)).toBe(true);
    const remaining = h.console.bridge.book.get('remaining_m');
    expect(remaining).toBeGreaterThan(1);
    await h.api('POST', '/api/kiosk/cancel', { body: { request_id: id } });
    await h.until(
      () => h.store.missions(5).some((m) => m.request_id === id && m.outcome !== ''),
      'logged',
      10,
    );
    const line = h.store.missions(5).find((m) => m.request_id === id)!;
    expect(line).toMatchObject({
      origin: 'kiosk',
      language: 'fi',
      destination_id: 'huslab',
      outcome: 'cancelled',
    });
    expect(ofType(staff.messages, 'log').some((l) => l.entry.request_id === id)).toBe(true);
    h.store.close();
    const bytes = readFileSync(path.join(h.dataDir, 'console.sqlite')).toString('latin1');
    expect(bytes).not.toContain('kiitos paljon');
    await h.restartConsole();
    for (const s of [staff, own, other]) s.close();
    await h.step(1.1); // the new console hears the mission's status (repeated at 1 Hz)
  });
});

describe('teleop', () => {
  it('refuses to take over while the mission is busy, saying to pause first', async () => {
    await h.until(
      () => h.console.bridge.book.get('mission').state === 'idle',
      'home from the last request',
      120,
    );
    const ask = await h.api('POST', '/api/kiosk/request', { body: { text: 'huslab', language: 'sv' } });
    expect(ask.status).toBe(200);
    const busy = () => !['idle', 'understanding'].includes(h.console.bridge.book.get('mission').state);
    await h.until(busy, 'under way', 20);
    const take = await h.api('POST', '/api/teleop/take', { cookie: operator, body: { confirm: true } });
    expect(take.status).toBe(409);
    expect(take.body).toMatchObject({
      error: 'mission_active',
      message: expect.stringMatching(/pause it first/),
    });
    const cancel = await h.api('POST', '/api/kiosk/cancel', {
      body: { request_id: (ask.body as { request_id: string }).request_id },
    });
    expect(cancel.body).toMatchObject({ success: true });
    await h.until(() => h.console.bridge.book.get('mission').state === 'idle', 'home again', 120);
  });

  it('drives while the command is renewed, and the deadman zeroes it within 300 ms of letting go', async () => {
    const take = await h.api('POST', '/api/teleop/take', { cookie: operator, body: { confirm: true } });
    expect(take.status).toBe(200);
    const live = await h.socket('/ws', { cookie: operator });
    const drive = async () => {
      live.send({ type: 'teleop', linear: 0.2, angular: 0.3 });
      const renewed = h.console.bridge.teleop;
      const before = teleop.length;
      await h.settle(() => renewed.driving && teleop.length === before, 'command taken');
      await h.step(0.01);
      await h.settle(() => teleop.at(-1)?.twist.angular.z === 0.3, 'command heard');
    };
    teleop.length = 0;
    for (let i = 0; i < 5; i++) {
      await drive();
      await h.step(0.2);
    }
    const held = teleop.filter((m) => m.twist.angular.z === 0.3);
    expect(held.length).toBeGreaterThan(15);
    expect(teleop.some((m) => m.twist.angular.z === 0)).toBe(false);
    const lastCommand = held.at(-1)!.t;
    await h.step(0.6);
    const zero = teleop.find((m) => m.twist.linear.x === 0 && m.twist.angular.z === 0);
    expect(zero).toBeDefined();
    expect(zero!.t - lastCommand).toBeLessThanOrEqual(0.3 + 0.05 + 1e-6);
    expect(teleop.filter((m) => m.t > zero!.t)).toEqual([]);
    live.close();
  });

  it('stops at once on teleop_stop, on release, and when the socket drops', async () => {
    const live = await h.socket('/ws', { cookie: operator });
    for (const stop of ['teleop_stop', 'release', 'drop'] as const) {
      live.send({ type: 'teleop', linear: 0.2, angular: 0 });
      await h.settle(() => h.console.bridge.teleop.driving, 'driving');
      await h.step(0.1);
      const before = teleop.length;
      const t = simS();
      if (stop === 'teleop_stop') live.send({ type: 'teleop_stop' });
      if (stop === 'release') await h.api('POST', '/api/teleop/release', { cookie: operator });
      if (stop === 'drop') live.ws.terminate();
      await h.settle(() => !h.console.bridge.teleop.driving, `${stop} stops`);
      await h.step(0.02);
      const after = teleop.slice(before);
      const zero = after.find((m) => m.twist.linear.x === 0);
      expect(zero, stop).toBeDefined();
      expect(zero!.t - t, stop).toBeLessThanOrEqual(0.3);
      if (stop === 'teleop_stop') continue;
      if (stop === 'release') {
        const again = await h.api('POST', '/api/teleop/take', { cookie: operator, body: { confirm: true } });
        expect(again.status).toBe(200);
      }
    }
    await h.api('POST', '/api/teleop/release', { cookie: operator });
  });

  it('lets only the holder drive', async () => {
    const live = await h.socket('/ws', { cookie: operator });
    live.send({ type: 'teleop', linear: 0.2, angular: 0 });
    await h.settle(() => live.messages.some((m) => m.type === 'error'), 'refused');
    expect(ofType(live.messages, 'error')[0]).toMatchObject({ error: 'not_holder' });
    expect(h.console.bridge.teleop.driving).toBe(false);
    live.close();
  });

  it('taking an idle robot pauses its mission, so no customer can start an escort under the operator; releasing resumes it', async () => {
    const mission = () => h.console.bridge.book.get('mission');
    await h.until(() => mission().state === 'idle', 'idle', 120);
    const take = await h.api('POST', '/api/teleop/take', { cookie: operator, body: { confirm: true } });
    expect(take.status).toBe(200);
    expect(take.body).toMatchObject({ success: true, message: expect.stringContaining('paused') });
    await h.until(() => mission().state === 'paused', 'paused', 5);
    // A customer asks at the robot itself (the terminal or speech, not the kiosk route).
    const asker = h.graph.createNode('asker');
    asker
      .createPublisher('medhjalparen_msgs/msg/GuideRequest', '/guide/request')
      .publish({ request_id: 'walk-up-1', text: 'Kela', language: 'en', plain: false, mode: '' });
    await h.step(2);
    expect(mission().state).toBe('paused');
    const released = await h.api('POST', '/api/teleop/release', { cookie: operator });
    expect(released.body).toMatchObject({ success: true });
    await h.until(() => mission().state === 'idle', 'resumed', 5);
    asker.destroy();
  });
});

describe('operator actions', () => {
  it('dispatches, pauses for teleop, resumes and cancels through the mission services', async () => {
    const mission = () => h.console.bridge.book.get('mission');
    await h.until(() => mission().state === 'idle', 'idle', 120);
    const sent = await h.api('POST', '/api/dispatch', { cookie: operator, body: { destination_id: 'kela' } });
    expect(sent.body).toMatchObject({ success: true });
    await h.until(() => mission().state === 'dispatched', 'dispatched', 5);
    expect(mission().destination_id).toBe('kela');
    const paused = await h.api('POST', '/api/mission/pause', { cookie: operator, body: { paused: true } });
    expect(paused.body).toMatchObject({ success: true });
    await h.until(() => mission().state === 'paused', 'paused', 5);
    const take = await h.api('POST', '/api/teleop/take', { cookie: operator, body: { confirm: true } });
    expect(take.status).toBe(200);
    const busy = await h.api('POST', '/api/dispatch', { cookie: operator, body: { destination_id: 'dock' } });
    expect(busy.status).toBe(409);
    const resumed = await h.api('POST', '/api/mission/pause', { cookie: operator, body: { paused: false } });
    expect(resumed.body).toMatchObject({ success: true });
    expect(h.console.bridge.teleop.holder).toBeUndefined();
    await h.until(() => mission().state === 'dispatched', 'resumed', 5);
    const cancelled = await h.api('POST', '/api/mission/cancel', { cookie: operator });
    expect(cancelled.body).toMatchObject({ success: true });
    await h.until(() => mission().state !== 'dispatched', 'cancelled', 5);
    const log = h.store.missions(3).find((m) => m.destination_id === 'kela' && m.origin === 'dispatch');
    expect(log).toBeDefined();
  });
});

describe('the e-stop', () => {
  it('latches through the safety gate and is released only by an operator who confirms', async () => {
    const press = await h.api('POST', '/api/estop', { cookie: viewer, body: { engaged: true } });
    expect(press.body).toMatchObject({ success: true });
    await h.step(0.2);
    expect(h.console.bridge.book.get('safety').estop_latched).toBe(true);
    const byViewer = await h.api('POST', '/api/estop', {
      cookie: viewer,
      body: { engaged: false, confirm: true },
    });
    expect(byViewer.status).toBe(403);
    await h.step(0.2);
    expect(h.console.bridge.book.get('safety').estop_latched).toBe(true);
    const release = await h.api('POST', '/api/estop', {
      cookie: operator,
      body: { engaged: false, confirm: true },
    });
    expect(release.body).toMatchObject({ success: true });
    await h.step(1.2);
    expect(h.console.bridge.book.get('safety').estop_latched).toBe(false);
  });
});

describe('desk statuses', () => {
  it('reach /guide/desk_status at once and survive a restart of the console', async () => {
    const until = new Date(Number(h.graph.now().nanoseconds / 1_000_000n) + 3 * 3600_000).toISOString();
    const set = await h.api('PUT', '/api/desks/kela/status', {
      cookie: operator,
      body: { state: 'closed', note: 'back at 12', until },
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ id: 'kela', state: 'closed', source: 'staff', note: 'back at 12' });
    await h.step(0.05);
    expect(deskStatus.at(-1)!.desks).toEqual([
      expect.objectContaining({ destination_id: 'kela', state: 'closed', note: 'back at 12' }),
    ]);
    await h.restartConsole();
    deskStatus.length = 0;
    h.graph
      .createNode('late_listener')
      .createSubscription(
        'medhjalparen_msgs/msg/DeskStatusArray',
        '/guide/desk_status',
        { qos: { durability: 'transient_local' } },
        (m) => deskStatus.push(m),
      );
    await h.step(0.05);
    expect(deskStatus.at(-1)!.desks.map((d) => d.destination_id)).toEqual(['kela']);
    const tiles = await h.api('GET', '/api/kiosk/desks');
    const kela = (tiles.body as Array<{ desks: Array<{ id: string; now: { state: string } }> }>)
      .flatMap((g) => g.desks)
      .find((d) => d.id === 'kela');
    expect(kela?.now.state).toBe('closed');
    operator = await h.login('olga');
    const cleared = await h.api('DELETE', '/api/desks/kela/status', { cookie: operator });
    expect(cleared.body).toMatchObject({ id: 'kela', state: 'open', source: 'hours' });
    await h.step(0.05);
    expect(deskStatus.at(-1)!.desks).toEqual([]);
  });
});

describe('a failing store', () => {
  it('never stops the robot: the log write fails, the graph goes on, a route says so', async () => {
    h.store.close();
    const ask = await h.api('POST', '/api/kiosk/request', { body: { text: 'huslab', language: 'en' } });
    expect(ask.status).toBe(200);
    await h.step(3);
    expect(h.console.bridge.book.get('mission').state).not.toBe('idle');
    const r = await h.api('GET', '/api/missions', { cookie: operator });
    expect(r.status).toBeGreaterThanOrEqual(500);
    expect(r.body).toMatchObject({ error: expect.any(String), message: expect.any(String) });
  });
});
