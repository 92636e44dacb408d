/**
 * Authentication on real parts: argon2id hashes, sessions in a real SQLite store, on a clock the
 * test moves (the wall clock is the server's to inject).
 */
import { readFileSync, readdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseOptions } from '@node-rs/argon2';
import { afterEach, describe, expect, it } from 'vitest';
import type { Role } from '../protocol.js';
import { openStore, type SqliteConsoleStore } from '../store/index.js';
import {
  ARGON2_OPTIONS,
  DUMMY_HASH,
  SESSION_TTL_MS,
  clearedSessionCookieOptions,
  createSessions,
  hashPassword,
  hashSessionToken,
  isRole,
  passwordProblem,
  roleAllows,
  sessionCookieOptions,
  verifyLogin,
  verifyPassword,
} from './index.js';

const T0 = Date.parse('2026-12-02T08:00:00Z');
const stores: SqliteConsoleStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});
function newStore(): SqliteConsoleStore {
  const store = openStore(mkdtempSync(path.join(os.tmpdir(), 'console-auth-')));
  stores.push(store);
  return store;
}

describe('passwords', () => {
  it('hashes with argon2id at the set cost, and verifies only the same password', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored.startsWith('$argon2id$')).toBe(true);
    expect(parseOptions(stored)).toMatchObject({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    expect(await verifyPassword(stored, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(stored, 'correct horse batterY')).toBe(false);
    expect(await hashPassword('correct horse battery')).not.toBe(stored);
  });

  it('treats the composed and decomposed forms of a letter as the same password', async () => {
    const composed = 'sällskapsresa 2026';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    expect(await verifyPassword(await hashPassword(composed), decomposed)).toBe(true);
  });

  it('lets a stored hash it cannot read match nothing', async () => {
    expect(await verifyPassword('$argon2id$broken', 'anything at all')).toBe(false);
  });

  it('checks length, the user name and one repeated character', () => {
    expect(passwordProblem('anna', 'short')).toMatch(/at least 12 characters \(this one has 5\)/);
    expect(passwordProblem('anna', 'ä'.repeat(11) + 'x')).toBeUndefined();
    expect(passwordProblem('anna', 'x'.repeat(257))).toMatch(/at most 256/);
    expect(passwordProblem('anna.virtanen', 'Anna.Virtanen')).toMatch(/user name/);
    expect(passwordProblem('anna', 'AnnaannaANNA')).toMatch(/user name/);
    expect(passwordProblem('anna', '            ')).toMatch(/one character repeated/);
    expect(passwordProblem('anna', 'kela closes at noon')).toBeUndefined();
  });

  it('keeps the dummy hash at the same cost as real ones, so an unknown name costs a full verify', () => {
    const dummy = parseOptions(DUMMY_HASH);
    expect(dummy).toMatchObject({
      algorithm: ARGON2_OPTIONS.algorithm,
      memoryCost: ARGON2_OPTIONS.memoryCost,
      timeCost: ARGON2_OPTIONS.timeCost,
      parallelism: ARGON2_OPTIONS.parallelism,
    });
  });

  it('logs in a known user with the right password only; an unknown name is checked against the dummy hash', async () => {
    const store = newStore();
    const anna = store.addUser('anna', 'admin', await hashPassword('kela closes at noon'), T0);
    expect(await verifyLogin(store, 'anna', 'kela closes at noon')).toEqual(anna);
    expect(await verifyLogin(store, 'anna', 'kela opens at noon')).toBeUndefined();
    // A recording wrapper around the real verifier: which hash each login spent its work on.
    const checked: string[] = [];
    const recording = (stored: string, password: string) => {
      checked.push(stored);
      return verifyPassword(stored, password);
    };
    expect(await verifyLogin(store, 'nobody', 'kela closes at noon', recording)).toBeUndefined();
    expect(checked).toEqual([DUMMY_HASH]);
  });
});

describe('sessions', () => {
  function setup() {
    const store = newStore();
    const user = store.addUser('olli', 'operator', DUMMY_HASH, T0);
    let now = T0;
    const clock = { nowMs: () => now };
    return { store, user, sessions: createSessions(store, clock), advance: (ms: number) => (now += ms) };
  }

  it('starts a session with a random 43-character token that opens it until it expires', () => {
    const { user, sessions, advance } = setup();
    const { token, expiresMs } = sessions.start(user);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(expiresMs).toBe(T0 + SESSION_TTL_MS);
    expect(sessions.start(user).token).not.toBe(token);
    expect(sessions.find(token)).toEqual({ user, expiresMs });
    advance(SESSION_TTL_MS - 1);
    expect(sessions.find(token)?.user.name).toBe('olli');
    advance(1);
    expect(sessions.find(token)).toBeUndefined();
    expect(sessions.sweep()).toBe(2);
  });

  it('ends a session at logout, and finds nothing for a missing or malformed token', () => {
    const { user, sessions } = setup();
    const { token } = sessions.start(user);
    sessions.end(token);
    expect(sessions.find(token)).toBeUndefined();
    expect(sessions.find(undefined)).toBeUndefined();
    expect(sessions.find("' OR 1=1 --")).toBeUndefined();
    expect(sessions.find(hashSessionToken(token))).toBeUndefined();
  });

  it('keeps only the SHA-256 of the token: the raw token is in no column and no file', () => {
    const { store, user, sessions } = setup();
    const { token } = sessions.start(user);
    const dir = path.dirname(store.file);
    const bytes = () => Buffer.concat(readdirSync(dir).map((f) => readFileSync(path.join(dir, f))));
    expect(bytes().includes(token)).toBe(false);
    expect(bytes().includes(hashSessionToken(token))).toBe(true);
    store.close();
    expect(bytes().includes(token)).toBe(false);
  });

  it('sets the cookie HttpOnly, SameSite=Strict, Path=/, Secure behind TLS, for the session time', () => {
    expect(sessionCookieOptions(false)).toEqual({
      httpOnly: true,
      sameSite: 'strict',
      path: '/',
      secure: false,
      maxAge: SESSION_TTL_MS / 1000,
    });
    expect(sessionCookieOptions(true).secure).toBe(true);
    expect(clearedSessionCookieOptions(true)).toMatchObject({ maxAge: 0, secure: true, httpOnly: true });
  });
});

describe('roles', () => {
  it('orders viewer < operator < admin', () => {
    const roles: Role[] = ['viewer', 'operator', 'admin'];
    const allowed = roles.flatMap((have) =>
      roles.filter((need) => roleAllows(have, need)).map((need) => `${have}>=${need}`),
    );
    expect(allowed).toEqual([
      'viewer>=viewer',
      'operator>=viewer',
      'operator>=operator',
      'admin>=viewer',
      'admin>=operator',
      'admin>=admin',
    ]);
    expect(roleAllows('admin', 'root' as Role)).toBe(false);
    expect(isRole('operator')).toBe(true);
    expect(isRole('Operator')).toBe(false);
  });
});
