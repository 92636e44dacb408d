/**
 * `medhjalparen users` as an operator runs it: real processes, a real database in a temporary
 * folder, the password piped on stdin, and once typed at a real terminal (a pty made by
 * util-linux `script`) to show it is asked twice and never echoed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyLogin } from '../src/console/auth/index.js';
import type { Role } from '../src/console/protocol.js';
import { openStore } from '../src/console/store/index.js';
import { runCliBounded } from './support/bounded-cli.js';

const PASSWORD = 'kela closes at noon';
const BIN = path.resolve('bin/medhjalparen.js');

function dataDir(): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), 'users-cli-')), 'data');
}
function users(args: string[], dir: string, input?: string) {
  return runCliBounded(['users', ...args, '--data', dir], input === undefined ? {} : { input });
}
/** An account made directly in the store: setting up a case costs no extra process. */
async function seed(dir: string, name: string, role: Role, password = PASSWORD) {
  const store = openStore(dir);
  store.addUser(name, role, await hashPassword(password), 0);
  store.close();
}
async function loginAs(dir: string, name: string, password: string) {
  const store = openStore(dir);
  try {
    return await verifyLogin(store, name, password);
  } finally {
    store.close();
  }
}

describe('medhjalparen users', () => {
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
    const listed = await users(['list'], dir);
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
    expect((await users(['list'], dir)).stdout).toMatch(/no accounts yet/);
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

/**
 * Runs the command line on a real pseudo-terminal (util-linux `script`), typing each answer once
 * its prompt shows; the output is everything the terminal displayed.
 */
function atTerminal(args: string[], answers: string[]): Promise<{ code: number | null; output: string }> {
  const probe = spawnSync('script', ['--version']);
  if (probe.error) throw new Error('this test needs `script` from util-linux: apt-get install bsdutils');
  const command = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null']);
  let output = '';
  let asked = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    const shown = (output.match(/(New password for \S+|The same password again): /g) ?? []).length;
    if (shown > asked && asked < answers.length) child.stdin.write(`${answers[asked++]}\r`);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output: output.replace(/\r\n/g, '\n') });
    });
  });
}
