/**
 * The console's SQLite store on real database files in temporary folders: schema and migrations,
 * every table's round trip, and the files it must refuse (locked, damaged, foreign, newer) left
 * byte for byte as they were.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { MissionStart } from '../store.js';
import { openDatabase } from './open.js';
import {
  APPLICATION_ID,
  MIGRATIONS,
  DATABASE_FILE,
  SCHEMA_VERSION,
  StoreError,
  openStore,
  type SqliteConsoleStore,
  type StoreErrorCode,
} from './index.js';

const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA';
const T0 = Date.parse('2026-12-02T08:00:00Z');
const open: Array<{ close(): void }> = [];

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'console-store-'));
}
function storeIn(dir = tempDir(), options = {}): SqliteConsoleStore {
  const store = openStore(dir, options);
  open.push(store);
  return store;
}
function raw(dir: string): Database.Database {
  const db = new Database(path.join(dir, DATABASE_FILE));
  open.push(db);
  return db;
}
afterEach(() => {
  for (const item of open.splice(0)) item.close();
});

/** Runs `act`, expecting a StoreError of `code` that names `where`. */
function refusal(act: () => unknown, code: StoreErrorCode, where: string): StoreError {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(StoreError);
    const e = error as StoreError;
    expect(e.code).toBe(code);
    expect(e.where).toBe(where);
    expect(e.message.startsWith(`${where}: `)).toBe(true);
    return e;
  }
  throw new Error(`expected a StoreError ${code}, nothing was thrown`);
}

const kela = (id: string, requestedMs = T0): MissionStart => ({
  request_id: id,
  requestedMs,
  origin: 'kiosk',
  language: 'sv',
  destination_id: 'kela',
  why: "alias kela: 'fpa' (sv)",
});

describe('opening and migrations', () => {
  it('makes a private folder and file, at the current schema, in WAL mode', () => {
    const dir = path.join(tempDir(), 'nested', 'data');
    storeIn(dir).close();
    const file = path.join(dir, DATABASE_FILE);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const db = raw(dir);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(['demand_hourly', 'desk_status', 'faults', 'missions', 'sessions', 'users']);
  });

  it('reopens an existing database without changing its schema, keeping its data', () => {
    const dir = tempDir();
    const first = storeIn(dir);
    first.addUser('anna', 'admin', HASH, T0);
    first.close();
    const schema = () => raw(dir).prepare('SELECT sql FROM sqlite_schema ORDER BY name').pluck().all();
    const before = schema();
    const again = storeIn(dir);
    expect(again.listUsers().map((u) => u.name)).toEqual(['anna']);
    again.close();
    storeIn(dir).close();
    expect(schema()).toEqual(before);
    expect(raw(dir).pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  });
});

describe('migrations, one transaction', () => {
  const tablesOf = (dir: string) =>
    raw(dir).prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();

  it('numbers the migrations 1, 2, … in order', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('applies only the migrations a database lacks, keeping its data', () => {
    const dir = tempDir();
    storeIn(dir).addUser('anna', 'admin', HASH, T0);
    open.splice(0).forEach((s) => s.close());
    const next = {
      version: SCHEMA_VERSION + 1,
      summary: 'test',
      sql: 'CREATE TABLE extra (a INTEGER) STRICT',
    };
    const { db } = openDatabase(dir, 1000, [...MIGRATIONS, next]);
    open.push(db);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    expect(db.prepare('SELECT name FROM users').pluck().all()).toEqual(['anna']);
    expect(tablesOf(dir)).toContain('extra');
  });

  it("migration 2 gives a version-1 mission log a why column, '' for the lines already there", () => {
    const dir = tempDir();
    const { db } = openDatabase(dir, 1000, MIGRATIONS.slice(0, 1));
    db.prepare(
      `INSERT INTO missions (request_id, requested_ms, origin, language, destination_id)
       VALUES ('r1', ${T0}, 'kiosk', 'fi', 'kela')`,
    ).run();
    db.close();
    const store = storeIn(dir);
    expect(store.missions(5)).toMatchObject([{ request_id: 'r1', destination_id: 'kela', why: '' }]);
    expect(() => store.missionStarted({ ...kela('r2'), why: 'x'.repeat(301) })).toThrow(/CHECK/);
  });

  it('leaves the database at its old version, without a trace, when a migration fails', () => {
    const dir = tempDir();
    storeIn(dir).close();
    const before = tablesOf(dir);
    const broken = {
      version: SCHEMA_VERSION + 1,
      summary: 'test',
      sql: 'CREATE TABLE extra (a); INSERT INTO no_such_table VALUES (1)',
    };
    const e = refusal(
      () => openDatabase(dir, 1000, [...MIGRATIONS, broken]),
      'UNAVAILABLE',
      path.join(dir, DATABASE_FILE),
    );
    expect(e.message).toMatch(
      new RegExp(
        `schema migration ${SCHEMA_VERSION + 1} failed \\(.*no such table: no_such_table\\); ` +
          `the database was left at version ${SCHEMA_VERSION}`,
      ),
    );
    expect(tablesOf(dir)).toEqual(before);
    expect(raw(dir).pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  });
});

describe('accounts and sessions', () => {
  it('adds, lists, finds and removes users; a duplicate name is refused', () => {
    const store = storeIn();
    expect(store.adminExists()).toBe(false);
    const viewer = store.addUser('ville', 'viewer', HASH, T0);
    expect(viewer).toEqual({
      id: viewer.id,
      name: 'ville',
      role: 'viewer',
      created: '2026-12-02T08:00:00.000Z',
    });
    expect(store.adminExists()).toBe(false);
    store.addUser('anna', 'admin', HASH, T0 + 1);
    expect(store.adminExists()).toBe(true);
    expect(store.listUsers().map((u) => `${u.name}:${u.role}`)).toEqual(['anna:admin', 'ville:viewer']);
    expect(store.passwordHash('ville')).toEqual({ user: viewer, hash: HASH });
    expect(store.passwordHash('nobody')).toBeUndefined();
    const dup = refusal(() => store.addUser('ville', 'admin', HASH, T0), 'DUPLICATE', store.file);
    expect(dup.message).toMatch(/a user named 'ville' exists already/);
    expect(store.removeUser('ville')).toBe(true);
    expect(store.removeUser('ville')).toBe(false);
    expect(store.listUsers().map((u) => u.name)).toEqual(['anna']);
  });

  it('refuses a malformed name, an unknown role and anything but an argon2id hash', () => {
    const store = storeIn();
    refusal(() => store.addUser('A b', 'viewer', HASH, T0), 'INVALID', store.file);
    refusal(() => store.addUser('root', 'superuser' as 'admin', HASH, T0), 'INVALID', store.file);
    refusal(() => store.addUser('plain', 'viewer', 'hunter2hunter2', T0), 'INVALID', store.file);
    refusal(() => store.addUser('late', 'viewer', HASH, NaN), 'INVALID', store.file);
    expect(store.listUsers()).toEqual([]);
  });

  it('finds a session until it expires, and sweeps expired ones', () => {
    const store = storeIn();
    const user = store.addUser('olli', 'operator', HASH, T0);
    const a = 'a'.repeat(64);
    const b = 'b'.repeat(64);
    store.createSession(a, user.id, T0, T0 + 1000);
    store.createSession(b, user.id, T0, T0 + 5000);
    expect(store.session(a, T0 + 999)).toEqual({ user, expiresMs: T0 + 1000 });
    expect(store.session(a, T0 + 1000)).toBeUndefined();
    expect(store.session('c'.repeat(64), T0)).toBeUndefined();
    expect(store.deleteExpiredSessions(T0 + 1000)).toBe(1);
    expect(store.session(b, T0 + 1000)?.user.name).toBe('olli');
    store.deleteSession(b);
    expect(store.session(b, T0)).toBeUndefined();
    refusal(() => store.createSession('not-a-hash', user.id, T0, T0 + 1), 'INVALID', store.file);
    refusal(() => store.createSession('d'.repeat(64), 999, T0, T0 + 1), 'INVALID', store.file);
  });

  it("ends a user's sessions when the user is removed or the password changes", () => {
    const store = storeIn();
    const user = store.addUser('olli', 'operator', HASH, T0);
    store.createSession('a'.repeat(64), user.id, T0, T0 + 10_000);
    const newHash = HASH.replace('aGFzaGhh', 'bmV3bmV3');
    expect(store.setPasswordHash('olli', newHash)).toBe(true);
    expect(store.passwordHash('olli')?.hash).toBe(newHash);
    expect(store.session('a'.repeat(64), T0)).toBeUndefined();
    expect(store.setPasswordHash('nobody', newHash)).toBe(false);
    store.createSession('b'.repeat(64), user.id, T0, T0 + 10_000);
    store.removeUser('olli');
    expect(raw(path.dirname(store.file)).prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(0);
  });
});

describe('desk statuses, faults, the mission log and demand', () => {
  it('sets, replaces and clears a desk status', () => {
    const store = storeIn();
    const closed = {
      destination_id: 'kela',
      state: 'closed' as const,
      note: 'staff meeting',
      untilMs: T0 + 3_600_000,
      set_by: 'olli',
      setMs: T0,
    };
    store.setDeskStatus(closed);
    store.setDeskStatus({ ...closed, destination_id: 'huslab', state: 'paused', note: '', untilMs: null });
    expect(store.deskStatuses()).toEqual([
      { ...closed, destination_id: 'huslab', state: 'paused', note: '', untilMs: null },
      closed,
    ]);
    store.setDeskStatus({ ...closed, state: 'open', note: 'back', setMs: T0 + 60_000 });
    expect(store.deskStatuses().find((d) => d.destination_id === 'kela')).toMatchObject({
      state: 'open',
      note: 'back',
    });
    expect(store.clearDeskStatus('kela')).toBe(true);
    expect(store.clearDeskStatus('kela')).toBe(false);
    expect(store.deskStatuses().map((d) => d.destination_id)).toEqual(['huslab']);
    refusal(() => store.setDeskStatus({ ...closed, note: 'x'.repeat(201) }), 'INVALID', store.file);
  });

  it('keeps fault reports, newest first, a page at a time', () => {
    const store = storeIn();
    const first = store.addFault('olli', 'robot blocked the lift', T0);
    expect(first).toEqual({
      id: first.id,
      created: '2026-12-02T08:00:00.000Z',
      reporter: 'olli',
      text: 'robot blocked the lift',
    });
    store.addFault('anna', 'bumper squeaks', T0 + 1);
    expect(store.faults(10).map((f) => f.text)).toEqual(['bumper squeaks', 'robot blocked the lift']);
    expect(store.faults(1)).toHaveLength(1);
    expect(store.faults(NaN)).toEqual([]);
    refusal(() => store.addFault('olli', '', T0), 'INVALID', store.file);
  });

  it('logs a mission from its start to its outcome, with the reason in words from the caller', () => {
    const store = storeIn(tempDir(), { reasonText: (reason: string) => `words for ${reason}` });
    const started = store.missionStarted(kela('r1'));
    expect(started).toEqual({
      id: started.id,
      request_id: 'r1',
      requested_at: '2026-12-02T08:00:00.000Z',
      origin: 'kiosk',
      language: 'sv',
      destination_id: 'kela',
      outcome: '',
      reason: '',
      reason_text: '',
      why: "alias kela: 'fpa' (sv)",
      ended_at: '',
    });
    // An end without a why keeps the one the request started with.
    const end = {
      request_id: 'r1',
      endedMs: T0 + 90_000,
      destination_id: 'service-point',
      outcome: 'redirected',
      reason: 'desk_closed',
      why: '',
    };
    const ended = store.missionEnded(end);
    expect(ended).toEqual({
      ...started,
      destination_id: 'service-point',
      outcome: 'redirected',
      reason: 'desk_closed',
      reason_text: 'words for desk_closed',
      ended_at: '2026-12-02T08:01:30.000Z',
    });
    // Ended once: a second end, or one for a request never started, finds nothing.
    expect(store.missionEnded(end)).toBeUndefined();
    expect(store.missionEnded({ ...end, request_id: 'never' })).toBeUndefined();
    refusal(() => store.missionEnded({ ...end, outcome: '' }), 'INVALID', store.file);
    refusal(() => store.missionStarted({ ...kela('r2'), origin: 'email' as 'kiosk' }), 'INVALID', store.file);
  });

  it('ends the latest unfinished entry of a request id, keeps the destination when the end names none, and pages back', () => {
    const store = storeIn();
    const old = store.missionStarted(kela('r1', T0));
    const latest = store.missionStarted(kela('r1', T0 + 10));
    const ended = store.missionEnded({
      request_id: 'r1',
      endedMs: T0 + 20,
      destination_id: '',
      outcome: 'arrived',
      reason: '',
      why: "service child-benefit: 'lapsilisä' (fi)",
    });
    expect(ended?.id).toBe(latest.id);
    expect(ended?.destination_id).toBe('kela');
    expect(ended?.why).toBe("service child-benefit: 'lapsilisä' (fi)");
    for (let i = 2; i <= 5; i++) store.missionStarted(kela(`r${i}`, T0 + i));
    const page1 = store.missions(3);
    expect(page1.map((m) => m.request_id)).toEqual(['r5', 'r4', 'r3']);
    const page2 = store.missions(3, page1.at(-1)!.id);
    expect(page2.map((m) => m.id)).toEqual([page2[0]!.id, latest.id, old.id]);
    expect(page2[2]!.outcome).toBe('');
  });

  it('counts demand per hour, destination and language; a range includes its start, not its end', () => {
    const store = storeIn();
    store.countDemand('2026-12-02T10:00+02:00', 'kela', 'fi');
    store.countDemand('2026-12-02T10:00+02:00', 'kela', 'fi');
    store.countDemand('2026-12-02T10:00+02:00', 'kela', 'sv');
    store.countDemand('2026-12-02T11:00+02:00', 'huslab', 'en');
    expect(store.demand('2026-12-02T10:00+02:00', '2026-12-02T11:00+02:00')).toEqual([
      { hour: '2026-12-02T10:00+02:00', destination_id: 'kela', language: 'fi', count: 2 },
      { hour: '2026-12-02T10:00+02:00', destination_id: 'kela', language: 'sv', count: 1 },
    ]);
    expect(store.demand('2026-12-02T00:00', '2026-12-03T00:00')).toHaveLength(3);
  });
});

describe('files it refuses, left as they were', () => {
  it('waits out a lock for the busy timeout, then says LOCKED; the write succeeds once the lock is gone', () => {
    const dir = tempDir();
    const store = storeIn(dir, { busyTimeoutMs: 50 });
    const other = raw(dir);
    other.exec('BEGIN EXCLUSIVE');
    const e = refusal(() => store.addUser('anna', 'admin', HASH, T0), 'LOCKED', store.file);
    expect(e.message).toMatch(/locked by another process.*try again/);
    other.exec('ROLLBACK');
    store.addUser('anna', 'admin', HASH, T0);
    expect(store.listUsers().map((u) => u.name)).toEqual(['anna']);
  });

  it('says LOCKED at open when another process holds a new file exclusively', () => {
    const dir = tempDir();
    const other = raw(dir);
    other.exec('BEGIN EXCLUSIVE; CREATE TABLE t (a)');
    refusal(() => openStore(dir, { busyTimeoutMs: 50 }), 'LOCKED', path.join(dir, DATABASE_FILE));
  });

  function unchangedAfterRefusal(dir: string, code: StoreErrorCode): StoreError {
    const file = path.join(dir, DATABASE_FILE);
    const before = readFileSync(file);
    const e = refusal(() => openStore(dir), code, file);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readdirSync(dir)).toEqual([DATABASE_FILE]);
    return e;
  }

  it('refuses a file of random bytes as CORRUPT and leaves it byte for byte', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, DATABASE_FILE), randomBytes(64 * 1024));
    const e = unchangedAfterRefusal(dir, 'CORRUPT');
    expect(e.message).toMatch(/not a usable SQLite database.*left untouched.*backup/);
  });

  it('refuses a truncated real database as CORRUPT and leaves it byte for byte', () => {
    const dir = tempDir();
    const store = storeIn(dir);
    for (let i = 0; i < 100; i++) store.addFault('olli', `fault ${i} `.repeat(150), T0 + i);
    store.close();
    const file = path.join(dir, DATABASE_FILE);
    truncateSync(file, Math.floor(statSync(file).size / 2));
    unchangedAfterRefusal(dir, 'CORRUPT');
  });

  it("refuses another program's SQLite database as NOT_OURS", () => {
    const dir = tempDir();
    const other = raw(dir);
    other.exec("CREATE TABLE notes (text); INSERT INTO notes VALUES ('mine')");
    other.close();
    expect(unchangedAfterRefusal(dir, 'NOT_OURS').message).toMatch(/not Medhjälparen's console database/);
  });

  it('refuses a database from a newer program as TOO_NEW', () => {
    const dir = tempDir();
    storeIn(dir).close();
    const db = raw(dir);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const e = unchangedAfterRefusal(dir, 'TOO_NEW');
    expect(e.message).toContain(
      `schema version ${SCHEMA_VERSION + 1}; this one knows up to ${SCHEMA_VERSION}`,
    );
  });

  it('refuses a data folder that is a file', () => {
    const file = path.join(tempDir(), 'data');
    writeFileSync(file, 'x');
    expect(refusal(() => openStore(file), 'UNAVAILABLE', file).message).toMatch(
      /found a file; choose another --data/,
    );
  });
});

describe('privacy: no place for what a customer says', () => {
  /** Every column of every table, as the schema has it. */
  function columns(dir: string): Record<string, string[]> {
    const db = raw(dir);
    const tables = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
      .pluck()
      .all() as string[];
    return Object.fromEntries(
      tables.map((t) => [t, (db.pragma(`table_info(${t})`) as Array<{ name: string }>).map((c) => c.name)]),
    );
  }

  it('has exactly these columns; the only free text is staff-written (a desk note, a fault report)', () => {
    const dir = tempDir();
    storeIn(dir).close();
    expect(columns(dir)).toEqual({
      demand_hourly: ['hour', 'destination_id', 'language', 'count'],
      desk_status: ['destination_id', 'state', 'note', 'until_ms', 'set_by', 'set_ms'],
      faults: ['id', 'created_ms', 'reporter', 'text'],
      missions: [
        'id',
        'request_id',
        'requested_ms',
        'origin',
        'language',
        'destination_id',
        'outcome',
        'reason',
        'ended_ms',
        'why',
      ],
      sessions: ['token_sha256', 'user_id', 'created_ms', 'expires_ms'],
      users: ['id', 'name', 'role', 'password_hash', 'created_ms'],
    });
  });

  it('stores only the listed fields of a mission: extra text a caller passes never reaches the file', () => {
    const dir = tempDir();
    const store = storeIn(dir);
    const said = 'Olen Maija Meikäläinen, hetu 010170-123A';
    const start = { ...kela('r1'), text: said, customer: said } as MissionStart;
    store.missionStarted(start);
    store.missionEnded({
      request_id: 'r1',
      endedMs: T0 + 1,
      destination_id: '',
      outcome: 'arrived',
      reason: '',
      text: said,
    } as never);
    store.countDemand('2026-12-02T10:00+02:00', 'kela', 'sv');
    const bytes = Buffer.concat(readdirSync(dir).map((f) => readFileSync(path.join(dir, f))));
    expect(bytes.includes('Maija')).toBe(false);
    expect(bytes.includes('010170')).toBe(false);
    store.close();
    const rest = Buffer.concat(readdirSync(dir).map((f) => readFileSync(path.join(dir, f))));
    expect(rest.includes('Maija')).toBe(false);
    expect(rest.includes('kela')).toBe(true);
  });
});
