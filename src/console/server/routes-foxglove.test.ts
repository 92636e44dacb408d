/**
 * POST /api/foxglove/pass on the console's own guard, sessions and SQLite store (the server's
 * parts, assembled here as buildServer assembles them), issuing from the Foxglove bridge's real
 * pass book: signed-in users only, drive only for operators, and a pass ends with its session.
 */
import cookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FoxglovePasses } from '../../foxglove/index.js';
import { SESSION_COOKIE, createSessions, DUMMY_HASH } from '../auth/index.js';
import { openStore, type SqliteConsoleStore } from '../store/index.js';
import { installAccess, installOriginCheck } from './access.js';
import type { ServerDeps } from './deps.js';
import { installErrorReplies } from './errors.js';
import { foxgloveRoutes, type FoxgloveServerAddress } from './routes-foxglove.js';
import { installJsonBodies, installValidation } from './validation.js';

const wall = { ms: Date.parse('2026-12-01T10:00:00Z') };
let dir: string;
let store: SqliteConsoleStore;
let app: FastifyInstance;
const passes = new FoxglovePasses({ wallNow: () => wall.ms });
let address: FoxgloveServerAddress | undefined = { host: '127.0.0.1', port: 8765 };

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'foxglove-route-'));
  store = openStore(dir);
  for (const [name, role] of [
    ['olga', 'operator'],
    ['vera', 'viewer'],
    ['adam', 'admin'],
  ] as const)
    store.addUser(name, role, DUMMY_HASH, wall.ms);
  app = Fastify({ logger: false }).withTypeProvider<TypeBoxTypeProvider>();
  installErrorReplies(app, () => {});
  installValidation(app);
  installJsonBodies(app);
  await app.register(cookie);
  installAccess(app, { sessions: createSessions(store, { nowMs: () => wall.ms }) });
  installOriginCheck(app);
  const deps = { store, wallNow: () => wall.ms } as Pick<ServerDeps, 'store' | 'wallNow'> as ServerDeps;
  await app.register(foxgloveRoutes(deps, { issuer: passes, address: () => address }));
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

function login(name: string): { cookie: string; token: string } {
  const user = store.listUsers().find((u) => u.name === name)!;
  const { token } = createSessions(store, { nowMs: () => wall.ms }).start(user);
  return { cookie: `${SESSION_COOKIE}=${token}`, token };
}

const ask = (cookie?: string, host = '127.0.0.1:8080') =>
  app.inject({ method: 'POST', url: '/api/foxglove/pass', headers: { host, ...(cookie ? { cookie } : {}) } });

const passOf = (url: string) => new URL(url).searchParams.get('pass') ?? undefined;

describe('POST /api/foxglove/pass', () => {
  it('is for signed-in users only', async () => {
    const res = await ask();
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: 'unauthorized' });
  });

  it('gives an operator a pass that drives, in the URL the Foxglove app opens, kept by no cache', async () => {
    const res = await ask(login('olga').cookie);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json<{ url: string; drive: boolean; expires: string; how: string }>();
    expect(body.url).toMatch(/^ws:\/\/127\.0\.0\.1:8765\/\?pass=[A-Za-z0-9_-]{43}$/);
    expect(body.drive).toBe(true);
    expect(body.how).toMatch(/take teleop here first/);
    expect(Date.parse(body.expires)).toBe(wall.ms + 3600_000);
    expect(passes.check(passOf(body.url))).toMatchObject({ name: 'olga', role: 'operator', mayDrive: true });
    const admin = await ask(login('adam').cookie);
    expect(admin.json<{ drive: boolean }>().drive).toBe(true);
  });

  it('gives a viewer a pass that only views', async () => {
    const body = (await ask(login('vera').cookie)).json<{ url: string; drive: boolean }>();
    expect(body.drive).toBe(false);
    expect(passes.check(passOf(body.url))).toMatchObject({ name: 'vera', role: 'viewer', mayDrive: false });
  });

  it('ends the pass when its session ends, and replaces it when the session asks again', async () => {
    const { cookie, token } = login('olga');
    const first = passOf((await ask(cookie)).json<{ url: string }>().url);
    const second = passOf((await ask(cookie)).json<{ url: string }>().url);
    expect(passes.check(first)).toBeUndefined();
    expect(passes.check(second)?.name).toBe('olga');
    createSessions(store, { nowMs: () => wall.ms }).end(token);
    expect(passes.check(second)).toBeUndefined();
  });

  it("names the console's own host when the Foxglove server listens on every address", async () => {
    address = { host: '0.0.0.0', port: 9000 };
    const body = (await ask(login('olga').cookie, 'robot.local:8080')).json<{ url: string }>();
    expect(body.url).toMatch(/^ws:\/\/robot\.local:9000\/\?pass=/);
    address = undefined;
    const down = await ask(login('olga').cookie);
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ error: 'foxglove_down', where: 'foxglove' });
    address = { host: '127.0.0.1', port: 8765 };
  });
});
