export { openStore, MAX_PAGE, type SqliteConsoleStore, type StoreOptions } from './sqlite-store.js';
export { StoreError, type StoreErrorCode } from './errors.js';
export { DATABASE_FILE, DEFAULT_BUSY_TIMEOUT_MS } from './open.js';
export { MIGRATIONS, SCHEMA_VERSION, APPLICATION_ID, type Migration } from './migrations.js';
