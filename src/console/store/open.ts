/**
 * Opening the console database: the data folder (0700) and `console.sqlite` (0600) made when
 * missing, the file checked before anything is written to it (an SQLite database, ours, not from
 * a newer program, not damaged), then WAL, foreign keys, a busy timeout and the migrations.
 * A file that fails a check is refused with a StoreError and left byte for byte as it was.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StoreError, storeErrorOf } from './errors.js';
import { APPLICATION_ID, MIGRATIONS, type Migration } from './migrations.js';

export const DATABASE_FILE = 'console.sqlite';
/**
 * A write waits this long for another process's lock (the `users` command, a backup) before
 * failing with LOCKED. better-sqlite3 is synchronous, so the wait blocks the robot's process:
 * kept short; the `users` command's writes take milliseconds.
 */
export const DEFAULT_BUSY_TIMEOUT_MS = 1000;

export interface OpenedDatabase {
  db: Database.Database;
  file: string;
}

/** `migrations`: the schema's history; the program's own unless a test brings a longer one. */
export function openDatabase(
  dataDir: string,
  busyTimeoutMs: number,
  migrations: readonly Migration[] = MIGRATIONS,
): OpenedDatabase {
  const folder = path.resolve(dataDir);
  ensureFolder(folder);
  const file = path.join(folder, DATABASE_FILE);
  ensureFile(file);
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true, timeout: busyTimeoutMs });
  } catch (error) {
    throw storeErrorOf(error, file);
  }
  try {
    checkFile(db, file, migrations.length);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    // A robot loses power: a committed change must survive that, and writes are rare.
    db.pragma('synchronous = FULL');
    migrate(db, file, migrations);
    return { db, file };
  } catch (error) {
    db.close();
    throw storeErrorOf(error, file);
  }
}

function ensureFolder(folder: string): void {
  if (existsSync(folder) && !statSync(folder).isDirectory())
    throw new StoreError(
      'UNAVAILABLE',
      folder,
      'expected a data folder here, found a file; choose another --data',
    );
  try {
    const created = mkdirSync(folder, { recursive: true, mode: 0o700 });
    // The mode above passes through the umask; a folder we made is ours alone, whatever the umask.
    if (created !== undefined) chmodSync(folder, 0o700);
  } catch (error) {
    throw new StoreError('UNAVAILABLE', folder, `cannot create the data folder (${describe(error)})`);
  }
}

/** Creates an empty database file readable by its owner alone; an existing file is not touched. */
function ensureFile(file: string): void {
  try {
    closeSync(openSync(file, 'wx', 0o600));
    chmodSync(file, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      if (!statSync(file).isFile())
        throw new StoreError('UNAVAILABLE', file, 'expected the database file here, found something else');
      return;
    }
    throw new StoreError('UNAVAILABLE', file, `cannot create the database file (${describe(error)})`);
  }
}

/** Reads only: a file that fails here has not been written to. */
function checkFile(db: Database.Database, file: string, known: number): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  const appId = db.pragma('application_id', { simple: true }) as number;
  if (appId !== APPLICATION_ID) {
    const tables = db.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number };
    if (appId !== 0 || version !== 0 || tables.n > 0) {
      throw new StoreError(
        'NOT_OURS',
        file,
        "an SQLite database, but not Medhjälparen's console database; it was left untouched. " +
          'Move it elsewhere, or give another folder with --data',
      );
    }
  }
  if (version > known) {
    throw new StoreError(
      'TOO_NEW',
      file,
      `written by a newer medhjalparen (schema version ${version}; this one knows up to ${known}); ` +
        'it was left untouched. Run the newer version, or give another folder with --data',
    );
  }
  const problems = db.pragma('quick_check(3)', { simple: false }) as Array<{ quick_check: string }>;
  const first = problems[0]?.quick_check;
  if (first !== 'ok') {
    throw new StoreError(
      'CORRUPT',
      file,
      `the database is damaged (${first ?? 'no answer from its check'}); it was left untouched. Restore it ` +
        'from a backup, or move it aside (keep it) and start with an empty data folder',
    );
  }
}

/** Applies the migrations the file lacks, in one transaction that holds the write lock. */
function migrate(db: Database.Database, file: string, migrations: readonly Migration[]): void {
  const latest = migrations.length;
  // An up-to-date file is opened without taking the write lock.
  if ((db.pragma('user_version', { simple: true }) as number) === latest) return;
  db.transaction(() => {
    // Read again under the lock: another process may have migrated since the check.
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > latest) throw new StoreError('TOO_NEW', file, `schema version ${version} appeared`);
    for (const migration of migrations.slice(version)) applyOne(db, file, migration, version);
    if (version < latest) {
      db.pragma(`user_version = ${latest}`);
      db.pragma(`application_id = ${APPLICATION_ID}`);
    }
  }).immediate();
}

function applyOne(db: Database.Database, file: string, migration: Migration, from: number): void {
  try {
    db.exec(migration.sql);
  } catch (error) {
    const mapped = storeErrorOf(error, file);
    if (mapped instanceof StoreError && (mapped.code === 'LOCKED' || mapped.code === 'CORRUPT')) throw mapped;
    throw new StoreError(
      'UNAVAILABLE',
      file,
      `schema migration ${migration.version} failed (${describe(error)}); the database was left at version ${from}, ` +
        'unchanged. Report this with the message',
    );
  }
}

function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  const message = error instanceof Error ? error.message : String(error);
  return e.code ? `${e.code}: ${message}` : message;
}
