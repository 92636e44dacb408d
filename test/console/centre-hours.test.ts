/**
 * The centre's own opening hours at the kiosk's API, on a simulated robot after closing time (a
 * Thursday at 21.00 in Espoo): an escort is refused with 409 centre_closed saying when it opens,
 * the way in words is still asked for, and the live state and the site carry the centre's hours
 * with the next opening worked out on the site's clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GuideRequest } from '../../src/interfaces/index.js';
import type { LiveState, SiteReply } from '../../src/console/protocol.js';
import { startConsoleHarness, type ConsoleHarness } from '../support/console-harness.js';

let h: ConsoleHarness;
const requests: GuideRequest[] = [];
const said: Array<{ request_id: string; kind: string }> = [];

beforeAll(async () => {
  h = await startConsoleHarness({ startMs: Date.parse('2026-11-26T21:00:00+02:00') });
  const probe = h.graph.createNode('probe');
  probe.createSubscription('medhjalparen_msgs/msg/GuideRequest', '/guide/request', (r) => requests.push(r));
  probe.createSubscription('medhjalparen_msgs/msg/Utterance', '/guide/say', (u) =>
    said.push({ request_id: u.request_id, kind: u.kind }),
  );
  await h.until(() => h.console.bridge.book.get('mission').state === 'closed', 'the robot closed', 10);
}, 60_000);
afterAll(async () => h?.stop());

describe('the kiosk while the centre is closed', () => {
  it('refuses an escort with 409 centre_closed, saying when the centre opens; nothing reaches the robot', async () => {
    for (const body of [{ text: 'kela' }, { text: 'kela', mode: 'escort', language: 'en' }]) {
      const reply = await h.api('POST', '/api/kiosk/request', { body });
      expect(reply.status, reply.text).toBe(409);
      expect(reply.body).toMatchObject({ error: 'centre_closed', where: 'mission.state' });
      // Friday 08.00 in Helsinki (UTC+2).
      expect((reply.body as { message: string }).message).toMatch(
        /^the service centre is closed; it opens 2026-11-27T06:00:00\.000Z;/,
      );
    }
    await h.step(1);
    expect(requests).toEqual([]);
  });

  it('still takes a request for the way in words, and the robot answers it', async () => {
    const reply = await h.api('POST', '/api/kiosk/request', { body: { text: 'kela', mode: 'directions' } });
    expect(reply.status, reply.text).toBe(200);
    const id = (reply.body as { request_id: string }).request_id;
    await h.until(() => said.some((s) => s.request_id === id), 'the robot answered', 10);
    expect(requests).toEqual([
      { request_id: id, text: 'kela', language: '', plain: false, mode: 'directions' },
    ]);
  });

  it('gives the centre closed until tomorrow at 08.00 in the live state, and its week in the site', async () => {
    await h.step(1.1);
    await h.addUser('watcher', 'viewer');
    const cookie = await h.login('watcher');
    const state = (await h.api('GET', '/api/state', { cookie })).body as LiveState;
    expect(state.centre).toEqual({
      always_open: false,
      open: false,
      today: '08:00–20:00',
      next: { at: '2026-11-27T06:00:00.000Z', weekday: 'fri', in_days: 1, clock: '08.00' },
    });
    expect(state.mission).toMatchObject({ state: 'closed' });
    const site = (await h.api('GET', '/api/site')).body as SiteReply;
    expect(site.hours).toEqual([
      { weekday: 'mon', hours: '08:00–20:00' },
      { weekday: 'tue', hours: '08:00–20:00' },
      { weekday: 'wed', hours: '08:00–20:00' },
      { weekday: 'thu', hours: '08:00–20:00' },
      { weekday: 'fri', hours: '08:00–20:00' },
      { weekday: 'sat', hours: '10:00–16:00' },
      { weekday: 'sun', hours: '10:00–16:00' },
    ]);
  });
});
