/**
 * Login sessions: a 32-byte random token in an HttpOnly, SameSite=Strict cookie; the store keeps
 * only the token's SHA-256, so a copy of the database opens no session. A session ends after a
 * fixed time (a shift, 12 h), at logout, or when its user is removed or changes password.
 *
 * Expiry is wall-clock time, not the robot's node clock: a session must end after 12 real hours
 * even while the simulator runs faster or slower than real time. The HTTP server is the adapter at
 * that edge, so the clock is injected (`nowMs`), never read here; tests pass a clock they move.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { ConsoleStore, StoredSession, StoredUser } from '../store.js';

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
export const SESSION_COOKIE = 'medhjalparen_session';
const TOKEN_BYTES = 32;
/** 32 bytes in base64url, unpadded: 43 characters. */
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;

export interface WallClock {
  /** Milliseconds since the epoch. */
  nowMs(): number;
}

export function newSessionToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

export function isSessionToken(text: string): boolean {
  return TOKEN_FORMAT.test(text);
}

/** What the store keeps for a token: its SHA-256, hex. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface NewSession {
  /** Goes into the cookie, and nowhere else. */
  token: string;
  expiresMs: number;
}

export interface Sessions {
  start(user: StoredUser): NewSession;
  /** The session a cookie's token names, if it is well formed, known and not expired. */
  find(token: string | undefined): StoredSession | undefined;
  end(token: string | undefined): void;
  /** Deletes expired sessions; how many. */
  sweep(): number;
}

export function createSessions(
  store: Pick<ConsoleStore, 'createSession' | 'session' | 'deleteSession' | 'deleteExpiredSessions'>,
  clock: WallClock,
  ttlMs: number = SESSION_TTL_MS,
): Sessions {
  return {
    start(user) {
      const token = newSessionToken();
      const now = clock.nowMs();
      const expiresMs = now + ttlMs;
      store.createSession(hashSessionToken(token), user.id, now, expiresMs);
      return { token, expiresMs };
    },
    find(token) {
      if (token === undefined || !isSessionToken(token)) return undefined;
      return store.session(hashSessionToken(token), clock.nowMs());
    },
    end(token) {
      if (token !== undefined && isSessionToken(token)) store.deleteSession(hashSessionToken(token));
    },
    sweep() {
      return store.deleteExpiredSessions(clock.nowMs());
    },
  };
}

/**
 * The session cookie's attributes for @fastify/cookie's setCookie. `secure`: the server is
 * reached over TLS (directly or behind a proxy that says so); without TLS a Secure cookie would
 * never be sent back. Max-Age rather than Expires: the browser's clock may differ from the robot's.
 */
export function sessionCookieOptions(
  secure: boolean,
  ttlMs: number = SESSION_TTL_MS,
): CookieSerializeOptions {
  return { httpOnly: true, sameSite: 'strict', path: '/', secure, maxAge: Math.floor(ttlMs / 1000) };
}

/** For logout: the same cookie, gone at once. */
export function clearedSessionCookieOptions(secure: boolean): CookieSerializeOptions {
  return { ...sessionCookieOptions(secure, 0), expires: new Date(0) };
}
