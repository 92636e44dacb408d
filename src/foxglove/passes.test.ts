import { describe, expect, it } from 'vitest';
import { FoxglovePasses, MAX_PASSES, PASS_TTL_MS } from './passes.js';

const T0 = Date.parse('2026-12-01T10:00:00Z');

function setup() {
  let now = T0;
  const passes = new FoxglovePasses({ wallNow: () => now });
  const session = { alive: true };
  const request = (key = 'session-a', role = 'operator') => ({
    key,
    name: 'olga',
    role,
    mayDrive: role !== 'viewer',
    sessionExpiresMs: T0 + 12 * 3600_000,
    sessionAlive: () => session.alive,
  });
  return { passes, session, request, advance: (ms: number) => (now += ms) };
}

describe('Foxglove passes', () => {
  it('issues a random 43-character pass that names its holder until it expires', () => {
    const { passes, request, advance } = setup();
    const { pass, expiresMs } = passes.issue(request());
    expect(pass).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(expiresMs).toBe(T0 + PASS_TTL_MS);
    expect(passes.check(pass)).toEqual({
      key: 'session-a',
      name: 'olga',
      role: 'operator',
      mayDrive: true,
      expiresMs,
    });
    advance(PASS_TTL_MS - 1);
    expect(passes.check(pass)?.name).toBe('olga');
    advance(1);
    expect(passes.check(pass)).toBeUndefined();
  });

  it('ends with its session: at its expiry, at logout, and when the session asks for a new one', () => {
    const { passes, session, request } = setup();
    const short = passes.issue({ ...request(), sessionExpiresMs: T0 + 1000 });
    expect(short.expiresMs).toBe(T0 + 1000);
    const first = passes.issue(request());
    expect(passes.check(short.pass)).toBeUndefined();
    const second = passes.issue(request());
    expect(passes.check(first.pass)).toBeUndefined();
    expect(passes.check(second.pass)?.key).toBe('session-a');
    session.alive = false;
    expect(passes.check(second.pass)).toBeUndefined();
  });

  it('knows nothing of missing, malformed or unknown passes', () => {
    const { passes, request } = setup();
    const { pass } = passes.issue(request());
    expect(passes.check(undefined)).toBeUndefined();
    expect(passes.check("' OR 1=1 --")).toBeUndefined();
    expect(passes.check(`${pass.slice(0, -1)}${pass.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined();
    expect(passes.revoke('session-a')).toBe(1);
    expect(passes.check(pass)).toBeUndefined();
  });

  it('keeps a bounded number of passes, the oldest going first', () => {
    const { passes, request } = setup();
    const first = passes.issue(request('s-0'));
    for (let i = 1; i <= MAX_PASSES; i++) passes.issue(request(`s-${i}`));
    expect(passes.check(first.pass)).toBeUndefined();
    const last = passes.issue(request('s-last'));
    expect(passes.check(last.pass)?.key).toBe('s-last');
  });
});
