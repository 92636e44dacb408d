/**
 * Foxglove passes: the credential a Foxglove client presents, because the Foxglove app cannot
 * send the console's cookie (it connects from its own origin) nor a header (browsers' WebSocket
 * has none). A signed-in console user asks the console for a pass (POST /api/foxglove/pass) and
 * gets a URL with it as a query parameter, ws://HOST:PORT/?pass=…, which the app passes on as is.
 *
 * A pass is 32 random bytes; only its SHA-256 is kept. It belongs to one console session: it ends
 * with that session (logout, expiry, the user removed), after PASS_TTL_MS at the latest, and when
 * the session asks for a new one (a URL left in a history or a recent-connections list dies).
 * Whether it may drive was decided by the console from the user's role when it was issued.
 */
import { createHash, randomBytes } from 'node:crypto';

export const PASS_TTL_MS = 60 * 60 * 1000;
/** Passes kept at most; the oldest goes first (one per session, so this is sessions). */
export const MAX_PASSES = 256;
const PASS_FORMAT = /^[A-Za-z0-9_-]{43}$/;

/** Who a pass is for, as the console says when it issues one. */
export interface PassHolder {
  /** The console session's key (its token's SHA-256): the teleop holder's key. Never shown. */
  key: string;
  /** The user's name, shown in statuses and logs. */
  name: string;
  role: string;
  /** The role may drive (the console decides with its own role rules). */
  mayDrive: boolean;
}

export interface PassRequest extends PassHolder {
  /** When the console session ends, ms since the epoch (wall clock). */
  sessionExpiresMs: number;
  /** The console session still exists (not logged out, its user not removed). */
  sessionAlive: () => boolean;
}

export interface IssuedPass {
  pass: string;
  expiresMs: number;
}

interface Kept extends PassRequest {
  expiresMs: number;
}

export interface PassesOptions {
  /** Real time in ms for expiry (a pass lasts an hour of the operator's time, not the robot's). */
  wallNow?: () => number;
  ttlMs?: number;
}

export class FoxglovePasses {
  readonly #byHash = new Map<string, Kept>();
  readonly #wallNow: () => number;
  readonly #ttlMs: number;

  constructor(options: PassesOptions = {}) {
    this.#wallNow = options.wallNow ?? systemNow;
    this.#ttlMs = options.ttlMs ?? PASS_TTL_MS;
  }

  /** A new pass for the session; the session's earlier pass stops working. */
  issue(request: PassRequest): IssuedPass {
    this.revoke(request.key);
    const pass = randomBytes(32).toString('base64url');
    const expiresMs = Math.min(request.sessionExpiresMs, this.#wallNow() + this.#ttlMs);
    this.#byHash.set(hashPass(pass), { ...request, expiresMs });
    while (this.#byHash.size > MAX_PASSES) this.#byHash.delete(this.#byHash.keys().next().value!);
    return { pass, expiresMs };
  }

  /** Who `pass` is for, while it is valid; undefined for a missing, unknown or ended one. */
  check(pass: string | undefined): (PassHolder & { expiresMs: number }) | undefined {
    if (pass === undefined || !PASS_FORMAT.test(pass)) return undefined;
    const hash = hashPass(pass);
    const kept = this.#byHash.get(hash);
    if (!kept) return undefined;
    if (kept.expiresMs <= this.#wallNow() || !kept.sessionAlive()) {
      this.#byHash.delete(hash);
      return undefined;
    }
    const { key, name, role, mayDrive, expiresMs } = kept;
    return { key, name, role, mayDrive, expiresMs };
  }

  /** Ends the passes of a session (its key); how many. */
  revoke(key: string): number {
    let n = 0;
    for (const [hash, kept] of this.#byHash) {
      if (kept.key === key) {
        this.#byHash.delete(hash);
        n++;
      }
    }
    return n;
  }
}

function hashPass(pass: string): string {
  return createHash('sha256').update(pass, 'utf8').digest('hex');
}

// Pass expiry is about the operator's real time, whatever the robot's (possibly simulated)
// clock says; injected in tests (PassesOptions.wallNow).
// eslint-disable-next-line no-restricted-syntax -- the injected wall clock's default
const systemNow = () => Date.now();
