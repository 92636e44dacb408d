/**
 * `medhjalparen users` refusing what it must: a password as an argument, a locked or damaged
 * database; and the password typed at a real terminal (a pty made by util-linux `script`), asked
 * twice and never echoed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { PASSWORD, atTerminal, dataDir, loginAs, seed, users } from './support/users-cli.js';

describe('medhjalparen users: refusals and the terminal', () => {
  it('refuses --password with the reason; neither it nor listing an empty folder makes a database', async () => {
    const dir = dataDir();
    const r = await users(['add', 'anna', '--role', 'admin', '--password', PASSWORD], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--password is refused: .*process list.*shell history.*pipe it on stdin/);
    const listed = await users(['list'], dir);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(
      /no accounts yet; make the first admin with: medhjalparen users add NAME --role admin/,
    );
    expect(existsSync(dir)).toBe(false);
  });

  it('says the database is locked, naming it, while another process holds it', async () => {
    const dir = dataDir();
    await seed(dir, 'anna', 'admin');
    const other = new Database(path.join(dir, 'console.sqlite'));
    other.exec('BEGIN EXCLUSIVE');
    try {
      const r = await users(['add', 'ville', '--role', 'viewer'], dir, `${PASSWORD}\n`);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        `${path.join(dir, 'console.sqlite')}: the database is locked by another process`,
      );
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
  });

  it('refuses a damaged database, naming it, and leaves it byte for byte', async () => {
    const dir = dataDir();
    await seed(dir, 'anna', 'admin');
    const file = path.join(dir, 'console.sqlite');
    const damaged = Buffer.from(readFileSync(file));
    damaged.fill(0x5a, 0, 100); // the header
    writeFileSync(file, damaged);
    const r = await users(['add', 'ville', '--role', 'viewer'], dir, `${PASSWORD}\n`);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}: not a usable SQLite database`);
    expect(readFileSync(file).equals(damaged)).toBe(true);
  });

  it('at a terminal: asks twice with echo off, and refuses two different passwords', async () => {
    const dir = dataDir();
    const same = await atTerminal(
      ['users', 'add', 'tiina', '--role', 'operator', '--data', dir],
      [PASSWORD, PASSWORD],
    );
    expect(same.code).toBe(0);
    expect(same.output).toMatch(
      /New password for tiina: .*\n.*The same password again: .*added tiina \(operator\)/s,
    );
    expect(same.output).not.toContain(PASSWORD);
    expect((await loginAs(dir, 'tiina', PASSWORD))?.role).toBe('operator');
    const differ = await atTerminal(
      ['users', 'password', 'tiina', '--data', dir],
      ['one long password', 'another one entirely'],
    );
    expect(differ.code).toBe(1);
    expect(differ.output).toMatch(/the two passwords differ; nothing was changed/);
    expect((await loginAs(dir, 'tiina', PASSWORD))?.name).toBe('tiina');
  });
});
