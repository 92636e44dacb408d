/**
 * The console's security model, against a running console on a simulated robot: every route
 * refuses an anonymous or too-small client (walking the route table, so a new route cannot be
 * forgotten), the WebSocket needs a session and the page's own Origin, logins are rate-limited,
 * no reply carries a password hash, and the kiosk can only ask.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/console/protocol.js';
import { startConsoleHarness, type ConsoleHarness } from '../support/console-harness.js';

let h: ConsoleHarness;
const cookies: Partial<Record<Role, string>> = {};
/** Every reply body seen, to look for hashes in. */
const seen: string[] = [];

beforeAll(async () => {
  h = await startConsoleHarness();
  for (const role of ['viewer', 'operator', 'admin'] as const) {
    await h.addUser(`${role}-1`, role);
    cookies[role] = await h.login(`${role}-1`);
  }
});
afterAll(async () => h?.stop());

/** A concrete URL for a route pattern. */
const concrete = (url: string) => url.replace(':id', 'kela').replace(':name', 'someone');

async function call(method: string, url: string, cookie?: string) {
  const body = method === 'GET' || method === 'DELETE' ? undefined : {};
  const r = await h.api(method, concrete(url), { ...(cookie ? { cookie } : {}), ...(body ? { body } : {}) });
  seen.push(r.text);
  return r;
}

describe('the route table', () => {
  it('declares who may call each /api/ route and what it replies', () => {
    const api = h.console.routes.filter((r) => r.url.startsWith('/api/'));
    expect(api.length).toBeGreaterThanOrEqual(25);
    for (const r of api) expect(r.hasReplySchema, `${r.method} ${r.url}`).toBe(true);
    const publicOnes = api.filter((r) => r.access === 'public').map((r) => `${r.method} ${r.url}`);
    expect(publicOnes.sort()).toEqual([
      'GET /api/kiosk/desks',
      'GET /api/kiosk/suggest',
      'GET /api/setup',
      'GET /api/site',
      'POST /api/kiosk/cancel',
      'POST /api/kiosk/request',
      'POST /api/login',
    ]);
  });

  it('refuses an anonymous client on every route that is not public (401)', async () => {
    const guarded = h.console.routes.filter((r) => r.access !== 'public');
    expect(guarded.length).toBeGreaterThanOrEqual(19);
    for (const r of guarded) {
      const reply = await call(r.method, r.url);
      expect(reply.status, `${r.method} ${r.url}`).toBe(401);
      expect(reply.body).toMatchObject({ error: 'unauthorized', where: 'cookie' });
    }
  });

  it('refuses a role below the one a route needs (403), and lets the right one through', async () => {
    const below: Record<Role, Role[]> = { viewer: [], operator: ['viewer'], admin: ['viewer', 'operator'] };
    let refused = 0;
    for (const r of h.console.routes) {
      if (r.access === 'public') continue;
      for (const role of below[r.access]) {
        const reply = await call(r.method, r.url, cookies[role]);
        expect(reply.status, `${role}: ${r.method} ${r.url}`).toBe(403);
        refused++;
      }
    }
    expect(refused).toBeGreaterThanOrEqual(15);
    expect((await call('GET', '/api/users', cookies.admin)).status).toBe(200);
    expect((await call('GET', '/api/state', cookies.viewer)).status).toBe(200);
  });

  it('lets a viewer press the e-stop but only an operator who confirms release it', async () => {
    const press = await h.api('POST', '/api/estop', { cookie: cookies.viewer!, body: { engaged: true } });
    expect(press.status).toBe(200);
    const viewerRelease = await h.api('POST', '/api/estop', {
      cookie: cookies.viewer!,
      body: { engaged: false, confirm: true },
    });
    expect(viewerRelease.status).toBe(403);
    const unconfirmed = await h.api('POST', '/api/estop', {
      cookie: cookies.operator!,
      body: { engaged: false },
    });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body).toMatchObject({ where: 'body.confirm' });
    const released = await h.api('POST', '/api/estop', {
      cookie: cookies.operator!,
      body: { engaged: false, confirm: true },
    });
    expect(released.body).toMatchObject({ success: true });
  });

  it('refuses a state change sent from another origin even with a valid cookie', async () => {
    const r = await h.api('POST', '/api/estop', {
      cookie: cookies.operator!,
      origin: 'http://evil.example',
      body: { engaged: true },
    });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ error: 'foreign_origin' });
  });
});

describe('sessions', () => {
  it('sets the cookie HttpOnly, SameSite=Strict, with an expiry, and never in a body', async () => {
    const r = await h.api('POST', '/api/login', {
      body: { name: 'viewer-1', password: 'correct horse battery staple' },
    });
    seen.push(r.text);
    const cookie = r.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Max-Age=\d+/i);
    expect(r.text).not.toContain(cookie.split(';')[0]!.split('=')[1]!);
  });

  it('ends a session at logout and when it expires', async () => {
    await h.addUser('brief-1', 'viewer');
    const cookie = await h.login('brief-1');
    expect((await h.api('POST', '/api/logout', { cookie })).status).toBe(204);
    expect((await h.api('GET', '/api/state', { cookie })).status).toBe(401);
    const later = await h.login('brief-1');
    h.wall.ms += 13 * 3600_000;
    try {
      expect((await h.api('GET', '/api/session', { cookie: later })).status).toBe(401);
    } finally {
      h.wall.ms -= 13 * 3600_000;
    }
  });
});

describe('the WebSockets', () => {
  it('refuses /ws without a session (401) and from a forged Origin (403)', async () => {
    await expect(h.socket('/ws')).rejects.toThrow(/401/);
    await expect(h.socket('/ws', { cookie: cookies.viewer!, origin: 'http://evil.example' })).rejects.toThrow(
      /403/,
    );
    await expect(h.socket('/kiosk/ws', { origin: 'http://evil.example' })).rejects.toThrow(/403/);
    const ok = await h.socket('/ws', { cookie: cookies.viewer! });
    await h.settle(() => ok.messages.length > 0, 'hello');
    expect(ok.messages[0]).toEqual({ type: 'hello', protocol: 1, role: 'viewer' });
    ok.close();
  });

  it('gives the kiosk no people, scan, faults or teleop, and no driving', async () => {
    const kiosk = await h.socket('/kiosk/ws');
    await h.step(0.5);
    await h.settle(() => kiosk.messages.some((m) => m.type === 'state'), 'state');
    for (const m of kiosk.messages) {
      if (m.type !== 'state') continue;
      for (const field of ['people', 'scan', 'faults', 'teleop']) expect(m.state).not.toHaveProperty(field);
    }
    expect(kiosk.messages[0]).toMatchObject({ type: 'hello', role: 'kiosk' });
    kiosk.send({ type: 'teleop', linear: 0.3, angular: 0 });
    await h.settle(() => kiosk.messages.some((m) => m.type === 'error'), 'error');
    expect(kiosk.messages.find((m) => m.type === 'error')).toMatchObject({ error: 'forbidden' });
    expect(h.console.bridge.teleop.driving).toBe(false);
    seen.push(...kiosk.messages.map((m) => JSON.stringify(m)));
    kiosk.close();
  });

  it('closes a console socket whose session ends', async () => {
    await h.addUser('brief-2', 'operator');
    const cookie = await h.login('brief-2');
    const live = await h.socket('/ws', { cookie });
    await h.api('POST', '/api/logout', { cookie });
    await h.settle(() => live.closed !== undefined, 'closed');
    expect(live.closed?.code).toBe(4001);
  });
});

describe('accounts and hashes', () => {
  it('never replies with a password hash', async () => {
    const added = await h.api('POST', '/api/users', {
      cookie: cookies.admin!,
      body: { name: 'newcomer', role: 'viewer', password: 'a long enough passphrase' },
    });
    expect(added.status).toBe(201);
    seen.push(added.text, (await h.api('GET', '/api/users', { cookie: cookies.admin! })).text);
    seen.push((await h.api('GET', '/api/session', { cookie: cookies.admin! })).text);
    const joined = seen.join('\n');
    expect(joined.length).toBeGreaterThan(1000);
    expect(joined).not.toContain('$argon2');
  });

  it('says how to make the first admin while none exists', async () => {
    const r = await h.api('GET', '/api/setup');
    expect(r.body).toMatchObject({ admin_exists: true });
  });
});

describe('the login limit', () => {
  it('refuses a sixth login a minute from one address, even with the right password', async () => {
    // One login through the route so far this minute (the cookie test).
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await h.api('POST', '/api/login', {
        body: { name: 'viewer-1', password: 'wrong password!' },
      });
      statuses.push(r.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    const right = await h.api('POST', '/api/login', {
      body: { name: 'viewer-1', password: 'correct horse battery staple' },
    });
    expect(right.status).toBe(429);
    expect(right.body).toMatchObject({ error: 'rate_limited', where: 'POST /api/login' });
  });
});
