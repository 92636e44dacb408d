/**
 * The console's store in SQLite (better-sqlite3: synchronous, one connection per process). Every
 * method turns an SQLite failure into a StoreError that names the file; the database is never
 * left half-changed (each change is one statement or one transaction).
 */
import type Database from 'better-sqlite3';
import {
  ROLES,
  UserName,
  type DemandRow,
  type FaultReport,
  type MissionLogEntry,
  type Role,
} from '../protocol.js';
import type {
  ConsoleStore,
  MissionEnd,
  MissionStart,
  StoredDeskStatus,
  StoredSession,
  StoredUser,
} from '../store.js';
import { StoreError, storeErrorOf } from './errors.js';
import { DEFAULT_BUSY_TIMEOUT_MS, openDatabase } from './open.js';

export interface StoreOptions {
  /** How long a write waits for another process's lock before failing with LOCKED, ms. */
  busyTimeoutMs?: number;
  /**
   * Plain words for a mission's reason code, for MissionLogEntry.reason_text. The store keeps
   * only the code; the words come from whoever knows them (the server passes the mission's
   * phrase book). Without it reason_text is ''.
   */
  reasonText?: (reason: string) => string;
}

/** The ConsoleStore, and what the `users` command needs besides. */
export interface SqliteConsoleStore extends ConsoleStore {
  /** The database file, absolute. */
  readonly file: string;
  /** Replaces a user's password hash and ends their sessions; false when there is no such user. */
  setPasswordHash(name: string, passwordHash: string): boolean;
}

/** Largest page of faults or missions one call returns. */
export const MAX_PAGE = 1000;

const USER_NAME = new RegExp(UserName.pattern!);
const TOKEN_HASH = /^[0-9a-f]{64}$/;

/** Opens (creating and migrating when needed) `DIR/console.sqlite`. */
export function openStore(dataDir: string, options: StoreOptions = {}): SqliteConsoleStore {
  const { db, file } = openDatabase(dataDir, options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
  try {
    return guarded(new SqliteStore(db, file, options.reasonText ?? (() => '')), file);
  } catch (error) {
    db.close();
    throw storeErrorOf(error, file);
  }
}

/** Every method's SQLite failure, as a StoreError naming the file. */
function guarded<T extends object>(store: T, file: string): T {
  return new Proxy(store, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        try {
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        } catch (error) {
          throw storeErrorOf(error, file);
        }
      };
    },
  });
}

interface UserRow {
  id: number;
  name: string;
  role: Role;
  created_ms: number;
}
interface MissionRow {
  id: number;
  request_id: string;
  requested_ms: number;
  origin: string;
  language: string;
  destination_id: string;
  outcome: string;
  reason: string;
  why: string;
  ended_ms: number | null;
}
interface DeskRow {
  destination_id: string;
  state: StoredDeskStatus['state'];
  note: string;
  until_ms: number | null;
  set_by: string;
  set_ms: number;
}
interface FaultRow {
  id: number;
  created_ms: number;
  reporter: string;
  text: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

class SqliteStore implements SqliteConsoleStore {
  private readonly sql;

  constructor(
    private readonly db: Database.Database,
    readonly file: string,
    private readonly reasonText: (reason: string) => string,
  ) {
    this.sql = prepareStatements(db);
  }

  addUser(name: string, role: Role, passwordHash: string, nowMs: number): StoredUser {
    if (!USER_NAME.test(name))
      this.invalid(`user name '${name.slice(0, 40)}': expected 2–32 of a–z, 0–9, '.', '_', '-'`);
    if (!ROLES.includes(role)) this.invalid(`role '${String(role)}': expected one of ${ROLES.join(', ')}`);
    try {
      const row = this.sql.addUser.get(name, role, passwordHash, this.ms(nowMs)) as UserRow;
      return toUser(row);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE')
        throw new StoreError('DUPLICATE', this.file, `a user named '${name}' exists already`);
      throw error;
    }
  }

  removeUser(name: string): boolean {
    return this.sql.removeUser.run(name).changes > 0;
  }

  listUsers(): StoredUser[] {
    return (this.sql.listUsers.all() as UserRow[]).map(toUser);
  }

  adminExists(): boolean {
    return this.sql.adminExists.get() !== undefined;
  }

  passwordHash(name: string): { user: StoredUser; hash: string } | undefined {
    const row = this.sql.passwordHash.get(name) as (UserRow & { password_hash: string }) | undefined;
    return row && { user: toUser(row), hash: row.password_hash };
  }

  setPasswordHash(name: string, passwordHash: string): boolean {
    return this.db.transaction(() => {
      const row = this.sql.setPasswordHash.get(passwordHash, name) as { id: number } | undefined;
      if (row) this.sql.endSessionsOf.run(row.id);
      return row !== undefined;
    })();
  }

  createSession(tokenHash: string, userId: number, nowMs: number, expiresMs: number): void {
    if (!TOKEN_HASH.test(tokenHash)) this.invalid('a session is kept by the hex SHA-256 of its token');
    this.sql.createSession.run(tokenHash, userId, this.ms(nowMs), this.ms(expiresMs));
  }

  session(tokenHash: string, nowMs: number): StoredSession | undefined {
    const row = this.sql.session.get(tokenHash, this.ms(nowMs)) as
      (UserRow & { expires_ms: number }) | undefined;
    return row && { user: toUser(row), expiresMs: row.expires_ms };
  }

  deleteSession(tokenHash: string): void {
    this.sql.deleteSession.run(tokenHash);
  }

  deleteExpiredSessions(nowMs: number): number {
    return this.sql.deleteExpiredSessions.run(this.ms(nowMs)).changes;
  }

  deskStatuses(): StoredDeskStatus[] {
    return (this.sql.deskStatuses.all() as DeskRow[]).map((row) => ({
      destination_id: row.destination_id,
      state: row.state,
      note: row.note,
      untilMs: row.until_ms,
      set_by: row.set_by,
      setMs: row.set_ms,
    }));
  }

  setDeskStatus(status: StoredDeskStatus): void {
    const until = status.untilMs === null ? null : this.ms(status.untilMs);
    this.sql.setDeskStatus.run(
      status.destination_id,
      status.state,
      status.note,
      until,
      status.set_by,
      this.ms(status.setMs),
    );
  }

  clearDeskStatus(destinationId: string): boolean {
    return this.sql.clearDeskStatus.run(destinationId).changes > 0;
  }

  addFault(reporter: string, text: string, nowMs: number): FaultReport {
    return toFault(this.sql.addFault.get(this.ms(nowMs), reporter, text) as FaultRow);
  }

  faults(limit: number): FaultReport[] {
    return (this.sql.faults.all(page(limit)) as FaultRow[]).map(toFault);
  }

  missionStarted(start: MissionStart): MissionLogEntry {
    // Only the listed fields are read: whatever else a caller's object carries is never stored.
    const { request_id, requestedMs, origin, language, destination_id, why } = start;
    const row = this.sql.missionStarted.get(
      request_id,
      this.ms(requestedMs),
      origin,
      language,
      destination_id,
      why ?? '',
    );
    return this.toEntry(row as MissionRow);
  }

  missionEnded(end: MissionEnd): MissionLogEntry | undefined {
    if (end.outcome === '') this.invalid('a mission ends with an outcome');
    const { request_id, endedMs, destination_id, outcome, reason, why } = end;
    const row = this.sql.missionEnded.get({
      outcome,
      reason,
      why: why ?? '',
      ended: this.ms(endedMs),
      destination: destination_id,
      request: request_id,
    });
    return row === undefined ? undefined : this.toEntry(row as MissionRow);
  }

  missions(limit: number, beforeId?: number): MissionLogEntry[] {
    const rows = this.sql.missions.all(beforeId ?? null, page(limit)) as MissionRow[];
    return rows.map((row) => this.toEntry(row));
  }

  countDemand(hour: string, destinationId: string, language: string): void {
    this.sql.countDemand.run(hour, destinationId, language);
  }

  demand(fromHour: string, toHour: string): DemandRow[] {
    return this.sql.demand.all(fromHour, toHour) as DemandRow[];
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private toEntry(row: MissionRow): MissionLogEntry {
    return {
      id: row.id,
      request_id: row.request_id,
      requested_at: iso(row.requested_ms),
      origin: row.origin,
      language: row.language,
      destination_id: row.destination_id,
      outcome: row.outcome,
      reason: row.reason,
      reason_text: row.reason === '' ? '' : this.reasonText(row.reason),
      why: row.why,
      ended_at: row.ended_ms === null ? '' : iso(row.ended_ms),
    };
  }

  /** A time as whole ms (a simulated clock may give fractions); NaN and ±∞ are refused. */
  private ms(value: number): number {
    if (!Number.isFinite(value)) this.invalid(`a time in ms must be finite, got ${value}`);
    return Math.round(value);
  }

  private invalid(what: string): never {
    throw new StoreError('INVALID', this.file, what);
  }
}

function page(limit: number): number {
  return Number.isFinite(limit) ? Math.min(MAX_PAGE, Math.max(0, Math.floor(limit))) : 0;
}

function toUser(row: UserRow): StoredUser {
  return { id: row.id, name: row.name, role: row.role, created: iso(row.created_ms) };
}

function toFault(row: FaultRow): FaultReport {
  return { id: row.id, created: iso(row.created_ms), reporter: row.reporter, text: row.text };
}

const USER_COLUMNS = 'id, name, role, created_ms';

function prepareStatements(db: Database.Database) {
  return {
    addUser: db.prepare(
      `INSERT INTO users (name, role, password_hash, created_ms) VALUES (?, ?, ?, ?) RETURNING ${USER_COLUMNS}`,
    ),
    removeUser: db.prepare('DELETE FROM users WHERE name = ?'),
    listUsers: db.prepare(`SELECT ${USER_COLUMNS} FROM users ORDER BY name`),
    adminExists: db.prepare("SELECT 1 FROM users WHERE role = 'admin' LIMIT 1"),
    passwordHash: db.prepare(`SELECT ${USER_COLUMNS}, password_hash FROM users WHERE name = ?`),
    setPasswordHash: db.prepare('UPDATE users SET password_hash = ? WHERE name = ? RETURNING id'),
    endSessionsOf: db.prepare('DELETE FROM sessions WHERE user_id = ?'),
    createSession: db.prepare(
      'INSERT INTO sessions (token_sha256, user_id, created_ms, expires_ms) VALUES (?, ?, ?, ?)',
    ),
    session: db.prepare(
      `SELECT u.id, u.name, u.role, u.created_ms, s.expires_ms FROM sessions s
       JOIN users u ON u.id = s.user_id WHERE s.token_sha256 = ? AND s.expires_ms > ?`,
    ),
    deleteSession: db.prepare('DELETE FROM sessions WHERE token_sha256 = ?'),
    deleteExpiredSessions: db.prepare('DELETE FROM sessions WHERE expires_ms <= ?'),
    deskStatuses: db.prepare('SELECT * FROM desk_status ORDER BY destination_id'),
    setDeskStatus: db.prepare(
      `INSERT INTO desk_status (destination_id, state, note, until_ms, set_by, set_ms) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (destination_id) DO UPDATE SET state = excluded.state, note = excluded.note,
         until_ms = excluded.until_ms, set_by = excluded.set_by, set_ms = excluded.set_ms`,
    ),
    clearDeskStatus: db.prepare('DELETE FROM desk_status WHERE destination_id = ?'),
    addFault: db.prepare('INSERT INTO faults (created_ms, reporter, text) VALUES (?, ?, ?) RETURNING *'),
    faults: db.prepare('SELECT * FROM faults ORDER BY id DESC LIMIT ?'),
    missionStarted: db.prepare(
      `INSERT INTO missions (request_id, requested_ms, origin, language, destination_id, why)
       VALUES (?, ?, ?, ?, ?, ?) RETURNING *`,
    ),
    // The latest entry of that request still under way; the destination as it ended, when known.
    missionEnded: db.prepare(
      `UPDATE missions SET outcome = @outcome, reason = @reason, ended_ms = @ended,
         destination_id = CASE WHEN @destination = '' THEN destination_id ELSE @destination END,
         why = CASE WHEN @why = '' THEN why ELSE @why END
       WHERE id = (SELECT max(id) FROM missions WHERE request_id = @request AND outcome = '') RETURNING *`,
    ),
    missions: db.prepare(
      'SELECT * FROM missions WHERE id < coalesce(?, 9223372036854775807) ORDER BY id DESC LIMIT ?',
    ),
    countDemand: db.prepare(
      `INSERT INTO demand_hourly (hour, destination_id, language, count) VALUES (?, ?, ?, 1)
       ON CONFLICT (hour, destination_id, language) DO UPDATE SET count = count + 1`,
    ),
    demand: db.prepare(
      `SELECT hour, destination_id, language, count FROM demand_hourly
       WHERE hour >= ? AND hour < ? ORDER BY hour, destination_id, language`,
    ),
  };
}
