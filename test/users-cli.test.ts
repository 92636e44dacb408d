/**
 * `medhjalparen users` as an operator runs it: real processes, a real database in a temporary
 * folder, the password piped on stdin.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/console/store/index.js';
import { runCliBounded } from './support/bounded-cli.js';
import { PASSWORD, dataDir, loginAs, seed, users } from './support/users-cli.js';

describe('medhjalparen users: accounts', () => {
  it('adds the first admin with the password from stdin, in a private database, and lists it', async () => {
    const dir = dataDir();
    const added = await users(['add', 'anna', '--role', 'admin'], dir, `${PASSWORD}\n`);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/added anna \(admin\)/);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dir, 'console.sqlite')).mode & 0o777).toBe(0o600);
    expect((await loginAs(dir, 'anna', PASSWORD))?.role).toBe('admin');
    expect(await loginAs(dir, 'anna', 'kela opens at noon')).toBeUndefined();
    // Without --data, the folder `run` would use: MEDHJALPAREN_DATA.
    const listed = await runCliBounded(['users', 'list'], { env: { MEDHJALPAREN_DATA: dir } });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^NAME +ROLE +CREATED\nanna +admin +\d{4}-\d\d-\d\dT/);
    expect(listed.stdout).not.toContain('argon2');
  });

  it('refuses a duplicate name, a weak password, an empty stdin and an unknown role, changing nothing', async () => {
    const dir = dataDir();
    await seed(dir, 'anna', 'admin');
    const dup = await users(['add', 'anna', '--role', 'viewer'], dir, 'another good password\n');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/a user named 'anna' exists already.*users password anna/);
    const short = await users(['add', 'ville', '--role', 'viewer'], dir, 'short\n');
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/at least 12 characters.*nothing was changed/);
    const empty = await users(['add', 'ville', '--role', 'viewer'], dir, '');
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/no password on stdin/);
    const role = await users(['add', 'ville', '--role', 'root'], dir, `${PASSWORD}\n`);
    expect(role.code).toBe(2);
    expect(role.stderr).toMatch(/--role: expected one of viewer, operator, admin, got 'root'/);
    const store = openStore(dir);
    expect(store.listUsers().map((u) => u.name)).toEqual(['anna']);
    store.close();
    expect((await loginAs(dir, 'anna', PASSWORD))?.role).toBe('admin');
  });

  it("changes a password (ending that user's sessions) and removes users, saying when no admin is left", async () => {
    const dir = dataDir();
    await seed(dir, 'anna', 'admin');
    const store = openStore(dir);
    store.createSession('a'.repeat(64), store.listUsers()[0]!.id, 0, Number.MAX_SAFE_INTEGER);
    store.close();
    const changed = await users(['password', 'anna'], dir, 'the lift is on the left\r\n');
    expect(changed.code).toBe(0);
    expect(await loginAs(dir, 'anna', PASSWORD)).toBeUndefined();
    expect((await loginAs(dir, 'anna', 'the lift is on the left'))?.name).toBe('anna');
    const check = openStore(dir);
    expect(check.session('a'.repeat(64), 1)).toBeUndefined();
    check.close();
    const unknown = await users(['password', 'nobody'], dir, `${PASSWORD}\n`);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/there is no user named 'nobody' in .*console\.sqlite/);
    const removed = await users(['remove', 'anna'], dir);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toMatch(/no admin is left.*users add NAME --role admin/);
  });
});
