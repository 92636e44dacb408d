/**
 * The console database's schema, as numbered migrations. Migration n takes the database from
 * version n−1 to n (PRAGMA user_version); they are applied in order at open, all in one
 * transaction, so a database is either at the old version or the new one, never between.
 * A released migration is never edited: a change is a new entry at the end.
 *
 * Privacy: no table has a place for what a customer says. The mission log keeps when, where from,
 * which language, which destination, the outcome, its reason code and why (the site's catalogue
 * term that chose the destination, never the customer's words); demand keeps counts per
 * hour. The only free text is staff's (a desk status note, a fault report).
 */
export interface Migration {
  version: number;
  /** What it changes, for the documentation and the log. */
  summary: string;
  sql: string;
}

/** Marks a file as this program's console database (PRAGMA application_id; 'MHJC'). */
export const APPLICATION_ID = 0x4d484a43;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    summary: 'users, sessions, desk_status, faults, missions, demand_hourly',
    sql: `
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 2 AND 32),
        role TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
        -- an argon2id PHC string; never a password
        password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
        created_ms INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE sessions (
        -- SHA-256 of the session token, hex; the token itself is only in the browser's cookie
        token_sha256 TEXT PRIMARY KEY CHECK (length(token_sha256) = 64),
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_ms INTEGER NOT NULL,
        expires_ms INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX sessions_by_user ON sessions (user_id);
      CREATE INDEX sessions_by_expiry ON sessions (expires_ms);

      CREATE TABLE desk_status (
        destination_id TEXT PRIMARY KEY CHECK (length(destination_id) BETWEEN 1 AND 64),
        state TEXT NOT NULL CHECK (state IN ('open', 'closed', 'paused')),
        note TEXT NOT NULL CHECK (length(note) <= 200),
        until_ms INTEGER,
        set_by TEXT NOT NULL CHECK (length(set_by) <= 32),
        set_ms INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE faults (
        id INTEGER PRIMARY KEY,
        created_ms INTEGER NOT NULL,
        reporter TEXT NOT NULL CHECK (length(reporter) <= 32),
        text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 2000)
      ) STRICT;

      CREATE TABLE missions (
        id INTEGER PRIMARY KEY,
        request_id TEXT NOT NULL CHECK (length(request_id) BETWEEN 1 AND 64),
        requested_ms INTEGER NOT NULL,
        origin TEXT NOT NULL CHECK (origin IN ('kiosk', 'dispatch', 'simulated', 'terminal')),
        language TEXT NOT NULL CHECK (length(language) <= 8),
        destination_id TEXT NOT NULL CHECK (length(destination_id) <= 64),
        -- '' while under way
        outcome TEXT NOT NULL DEFAULT '' CHECK (length(outcome) <= 32),
        reason TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 64),
        ended_ms INTEGER
      ) STRICT;
      CREATE INDEX missions_under_way ON missions (request_id) WHERE outcome = '';

      CREATE TABLE demand_hourly (
        hour TEXT NOT NULL CHECK (length(hour) <= 40),
        destination_id TEXT NOT NULL CHECK (length(destination_id) <= 64),
        language TEXT NOT NULL CHECK (length(language) <= 8),
        count INTEGER NOT NULL CHECK (count > 0),
        PRIMARY KEY (hour, destination_id, language)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    summary: "missions.why: the site's catalogue term that chose the destination (never customer text)",
    sql: `
      -- e.g. service housing-allowance: 'asumistuki' (fi); checked against the site's catalogue
      -- before it is written (src/console/bridge/why.ts)
      ALTER TABLE missions ADD COLUMN why TEXT NOT NULL DEFAULT '' CHECK (length(why) <= 300);
    `,
  },
];

/** The schema version this code writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS.length;
