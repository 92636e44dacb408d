/**
 * The fleet console's routes on real parts: fastify inject against the running console, a real
 * SQLite accounts store, and the FleetControl test double (the real one is the fleet service).
 * Every route's access is walked from the route table, so a new route cannot be forgotten.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../console/protocol.js';
import { RIG_PASSWORD, startFleetConsoleRig, type FleetConsoleRig } from './fleet-console-rig.js';

let rig: FleetConsoleRig;
const cookies: Partial<Record<Role, string>> = {};

beforeAll(async () => {
  rig = await startFleetConsoleRig({ dataDir: '/var/lib/medhjalparen-fleet' });
  for (const role of ['viewer', 'operator', 'admin'] as const) {
    await rig.addUser(`${role}-1`, role);
    cookies[role] = rig.cookie(`${role}-1`);
  }
});
afterAll(async () => rig?.stop());

const concrete = (url: string) => url.replace(':id', 'task-0001').replace(':name', 'someone');

function call(method: string, url: string, o: { cookie?: string; body?: unknown; origin?: string } = {}) {
  return rig.console.app.inject({
    method: method as 'GET',
    url,
    headers: {
      host: `127.0.0.1:${rig.console.port}`,
      ...(o.cookie ? { cookie: o.cookie } : {}),
      ...(o.origin ? { origin: o.origin } : {}),
    },
    ...(o.body !== undefined ? { payload: o.body as object } : {}),
  });
}

describe('the route table', () => {
  it('declares who may call each route and what each /api/ route replies', () => {
    const api = rig.console.routes.filter((r) => r.url.startsWith('/api/'));
    const table = Object.fromEntries(api.map((r) => [`${r.method} ${r.url}`, r.access]));
    expect(table).toEqual({
      'GET /api/setup': 'public',
      'POST /api/login': 'public',
      'POST /api/logout': 'viewer',
      'GET /api/session': 'viewer',
      'GET /api/users': 'admin',
      'POST /api/users': 'admin',
      'DELETE /api/users/:name': 'admin',
      'GET /api/fleet': 'viewer',
      'GET /api/fleet/reasons': 'viewer',
      'GET /api/fleet/floors': 'viewer',
      'GET /api/fleet/sites/:site/floor': 'viewer',
      'POST /api/fleet/dispatch': 'operator',
      'POST /api/fleet/tasks/:id/cancel': 'operator',
      'GET /api/fleet/live': 'viewer',
    });
    for (const r of api.filter((r) => r.url !== '/api/fleet/live'))
      expect(r.hasReplySchema, `${r.method} ${r.url}`).toBe(true);
  });

  it('refuses an anonymous caller on every route that is not public (401)', async () => {
    const guarded = rig.console.routes.filter((r) => r.access !== 'public');
    for (const r of guarded) {
      const reply = await call(r.method, concrete(r.url), r.method === 'GET' ? {} : { body: {} });
      expect(reply.statusCode, `${r.method} ${r.url}`).toBe(401);
      expect(reply.json()).toMatchObject({ error: 'unauthorized', where: 'cookie' });
    }
  });

  it('refuses a role below the one a route needs (403): a viewer dispatches, cancels and manages nobody', async () => {
    const below: Record<Role, Role[]> = { viewer: [], operator: ['viewer'], admin: ['viewer', 'operator'] };
    const refused: string[] = [];
    for (const r of rig.console.routes) {
      if (r.access === 'public') continue;
      for (const role of below[r.access]) {
        const reply = await call(r.method, concrete(r.url), { cookie: cookies[role]!, body: {} });
        expect(reply.statusCode, `${role}: ${r.method} ${r.url}`).toBe(403);
        refused.push(`${role} ${r.method} ${r.url}`);
      }
    }
    expect(refused).toContain('viewer POST /api/fleet/dispatch');
    expect(refused).toContain('viewer POST /api/fleet/tasks/:id/cancel');
    expect(rig.control.calls).toEqual([]);
  });
});

describe('sign-in, as on the robot console', () => {
  it('logs in with the account password, setting an HttpOnly SameSite=Strict cookie', async () => {
    const reply = await call('POST', '/api/login', { body: { name: 'operator-1', password: RIG_PASSWORD } });
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toMatchObject({ name: 'operator-1', role: 'operator' });
    const cookie = String(reply.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const wrong = await call('POST', '/api/login', {
      body: { name: 'operator-1', password: 'not it at all' },
    });
    expect(wrong.statusCode).toBe(401);
  });

  it('says how to make the first admin on the fleet server, with its data folder', async () => {
    const empty = await startFleetConsoleRig({ dataDir: '/srv/fleet' });
    try {
      const reply = await empty.console.app.inject({ method: 'GET', url: '/api/setup' });
      expect(reply.json()).toEqual({
        admin_exists: false,
        how: 'no admin account exists yet: on the fleet server, run `medhjalparen users add NAME --data /srv/fleet --role admin` and sign in with it',
      });
    } finally {
      await empty.stop();
    }
  });

  it('serves the page with the CSP (scripts and styles from itself, its own WebSocket)', async () => {
    const page = await call('GET', '/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<script type="module" src="/assets/fleet.js">');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${rig.console.port}`);
    expect(csp).toContain("script-src 'self'");
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=/i);
    const script = await call('GET', '/assets/fleet.js');
    expect(script.statusCode).toBe(200);
    // Types only from the fleet's schemas: no validator runtime in the page.
    expect(script.body).not.toContain('@sinclair/typebox');
    expect((await call('GET', '/assets/style.css')).statusCode).toBe(200);
  });
});

describe('the fleet', () => {
  it('shows a viewer the snapshot: two sites, three robots', async () => {
    const reply = await call('GET', '/api/fleet', { cookie: cookies.viewer! });
    expect(reply.statusCode).toBe(200);
    const body = reply.json();
    expect(body).toEqual(rig.control.snapshot());
    expect(body.sites.map((s: { id: string }) => s.id)).toEqual(['espoo', 'vantaa']);
    expect(body.robots).toHaveLength(3);
  });

  it('says mission reasons in the robot console words', async () => {
    const reply = await call('GET', '/api/fleet/reasons', { cookie: cookies.viewer! });
    expect(reply.json()).toMatchObject({
      '': '',
      battery_low: expect.stringMatching(/^the charge is below/),
    });
  });

  it('dispatches for an operator, naming the actor; the double records it', async () => {
    const body = { site: 'espoo', kind: 'goto', destination: 'kela', robot: 'espoo-1' };
    const reply = await call('POST', '/api/fleet/dispatch', { cookie: cookies.operator!, body });
    expect(reply.statusCode).toBe(201);
    expect(reply.json()).toMatchObject({
      status: 'assigned',
      robot: 'espoo-1',
      task: { destination: 'kela' },
    });
    expect(rig.control.calls.at(-1)).toEqual({
      call: 'dispatch',
      actor: { user: 'operator-1', role: 'operator' },
      request: body,
    });
  });

  it.each([
    [{ site: 'oulu', kind: 'goto', destination: 'kela' }, 'body.site', /no site 'oulu'/],
    [{ site: 'espoo', kind: 'goto', destination: 'info' }, 'body.destination', /no destination 'info'/],
    [{ site: 'espoo', kind: 'escort', destination: 'kela' }, 'body.meet', /needs the place/],
    [{ site: 'espoo', kind: 'goto', destination: 'kela', meet: 'dock' }, 'body.meet', /a goto has no/],
    [{ site: 'espoo', kind: 'goto', destination: 'kela', robot: 'vantaa-1' }, 'body.robot', /no robot/],
    [{ site: 'espoo', kind: 'fly', destination: 'kela' }, 'body.kind', /./],
    [{ site: 'espoo', kind: 'goto' }, 'body.destination', /./],
    [{ site: 'espoo', kind: 'goto', destination: 'kela', speed: 3 }, 'body.speed', /./],
  ])('refuses a dispatch naming the field: %j', async (body, where, message) => {
    const before = rig.control.calls.length;
    const reply = await call('POST', '/api/fleet/dispatch', { cookie: cookies.operator!, body });
    expect(reply.statusCode).toBe(400);
    expect(reply.json()).toMatchObject({ error: 'invalid_input', where });
    expect(reply.json().message).toMatch(message);
    expect(rig.control.calls.length).toBe(before);
  });

  it('cancels an open task for an operator; what the service refuses comes back as 409', async () => {
    const made = await call('POST', '/api/fleet/dispatch', {
      cookie: cookies.admin!,
      body: { site: 'vantaa', kind: 'escort', destination: 'info', meet: 'dock' },
    });
    const id = made.json().task.id as string;
    const cancel = await call('POST', `/api/fleet/tasks/${id}/cancel`, { cookie: cookies.operator! });
    expect(cancel.statusCode).toBe(200);
    expect(cancel.json()).toMatchObject({ status: 'cancelled' });
    expect(rig.control.calls.at(-1)).toEqual({
      call: 'cancel',
      actor: { user: 'operator-1', role: 'operator' },
      taskId: id,
    });
    const again = await call('POST', `/api/fleet/tasks/${id}/cancel`, { cookie: cookies.operator! });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'task_closed', where: 'params.id' });
    const bad = await call('POST', '/api/fleet/tasks/no!/cancel', { cookie: cookies.operator! });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ where: 'params.id' });
  });

  it('refuses a dispatch sent from another origin, even with a valid cookie', async () => {
    const reply = await call('POST', '/api/fleet/dispatch', {
      cookie: cookies.operator!,
      origin: 'http://evil.example',
      body: { site: 'espoo', kind: 'goto', destination: 'kela' },
    });
    expect(reply.statusCode).toBe(403);
    expect(reply.json()).toMatchObject({ error: 'foreign_origin' });
  });
});
