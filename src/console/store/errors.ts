/**
 * What can go wrong with the console's database, as a typed error that names the file and says
 * what to do. The store never deletes, overwrites or "repairs" a file it cannot use: it refuses it
 * and leaves it as it was, so nothing an operator kept is lost.
 */
export type StoreErrorCode =
  /** Another process holds a write lock for longer than the busy timeout. */
  | 'LOCKED'
  /** Not an SQLite database, or a damaged one (truncated, overwritten, bad pages). */
  | 'CORRUPT'
  /** An SQLite database, but not Medhjälparen's console database. */
  | 'NOT_OURS'
  /** Written by a newer version of the program (its schema is ahead of this code's). */
  | 'TOO_NEW'
  /** The folder or file cannot be created, opened or written (permissions, read-only, disk full, I/O). */
  | 'UNAVAILABLE'
  /** A user of that name exists already. */
  | 'DUPLICATE'
  /** A value the schema refuses (a name, a role, a length): a caller's bug or bad input. */
  | 'INVALID';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    /** The database file (or data folder) as opened. */
    readonly where: string,
    what: string,
  ) {
    super(`${where}: ${what}`);
    this.name = 'StoreError';
  }
}

/** better-sqlite3's error: an Error with SQLite's extended result code as `code`. */
function sqliteCode(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/**
 * An SQLite failure as a StoreError naming `file` and what to do; anything else (a bug in the
 * program) is returned unchanged, to be thrown as it is.
 */
export function storeErrorOf(error: unknown, file: string): unknown {
  if (error instanceof StoreError) return error;
  const code = sqliteCode(error);
  if (code === undefined) return error;
  const said = (error as Error).message;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreError(
      'LOCKED',
      file,
      'the database is locked by another process (a second medhjalparen, or a tool holding it open in a transaction); ' +
        'finish or stop that process and try again. Nothing was changed.',
    );
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new StoreError(
      'CORRUPT',
      file,
      `not a usable SQLite database (${said}); it was left untouched. Restore it from a backup, or move it ` +
        'aside (keep it) and start with an empty data folder; accounts are then made again with `medhjalparen users add`.',
    );
  }
  if (code.startsWith('SQLITE_CONSTRAINT')) {
    return new StoreError('INVALID', file, `a value the database refuses (${said})`);
  }
  return new StoreError(
    'UNAVAILABLE',
    file,
    `the database cannot be used (${code}: ${said}); check the folder's permissions and free disk space`,
  );
}
