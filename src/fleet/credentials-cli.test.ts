/**
 * `medhjalparen fleet keys`, in a temporary folder: seeds in 0600 files of a 0700 folder, only
 * public keys in the roster and on the terminal, clear refusals, and a configuration the real
 * nats-server accepts (`nats-server -t`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runFleetCommand } from '../../cli/fleet-command.js';
import { fleetAuthenticator, readRoster } from './credentials.js';

let root: string;
let dir: string;

/** Runs `fleet …` in this process; what it printed, and its exit code. */
async function fleet(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((out += String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((err += String(c)), true));
  try {
    const code = await runFleetCommand(args);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'medhjalparen-keys-cli-'));
  dir = path.join(root, 'keys');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

describe('fleet keys', () => {
  it('add makes a 0600 seed in a 0700 folder and puts only the public key in the roster', async () => {
    const added = await fleet('keys', 'add', '--robot', 'r1', '--site', 's1', '--dir', dir);
    expect(added.code).toBe(0);
    expect((await fleet('keys', 'add', '--service', '--dir', dir)).code).toBe(0);
    expect((await fleet('keys', 'add', '--kiosk', 'k1', '--site', 's1', '--dir', dir)).code).toBe(0);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const id of ['r1', 'fleet', 'k1'])
      expect(statSync(path.join(dir, `${id}.nk`)).mode & 0o777).toBe(0o600);
    const seed = readFileSync(path.join(dir, 'r1.nk'), 'utf8');
    expect(seed).toMatch(/^SU[A-Z2-7]{56}$/);
    const roster = readFileSync(path.join(dir, 'roster.json'), 'utf8');
    expect(roster).not.toMatch(/"S[UAO][A-Z2-7]{20,}/);
    expect(added.out).not.toContain(seed);
    const { publicKey } = fleetAuthenticator(path.join(dir, 'r1.nk'));
    expect(readRoster(dir).identities).toContainEqual({ kind: 'robot', id: 'r1', site: 's1', publicKey });
  });

  it('refuses to replace keys without --force, and replaces them with it', async () => {
    const again = await fleet('keys', 'add', '--robot', 'r1', '--site', 's1', '--dir', dir);
    expect(again.code).toBe(1);
    expect(again.err).toContain("'r1' has keys already");
    const before = readFileSync(path.join(dir, 'r1.nk'), 'utf8');
    expect((await fleet('keys', 'add', '--robot', 'r1', '--site', 's2', '--dir', dir, '--force')).code).toBe(
      0,
    );
    expect(readFileSync(path.join(dir, 'r1.nk'), 'utf8')).not.toBe(before);
    expect(readRoster(dir).identities.filter((i) => i.id === 'r1')).toMatchObject([{ site: 's2' }]);
  });

  it('names the flag at fault', async () => {
    const cases: [string[], string][] = [
      [['--robot', 'R 1', '--site', 's1'], "--robot: 'R 1' is not a fleet id"],
      [['--robot', 'r3', '--site', 'a.>'], "--site: 'a.>' is not a fleet id"],
      [['--robot', 'r3'], '--robot needs --site SITE'],
      [['--robot', 'fleet', '--site', 's1'], "'fleet' is the fleet service's id"],
      [
        ['--robot', 'r3', '--kiosk', 'k3', '--site', 's1'],
        'exactly one of --robot ID, --kiosk ID or --service',
      ],
      [['--service', '--site', 's1'], '--site: the fleet service serves every site'],
      [['--dir', ''], "--dir: expected a folder, got ''"],
    ];
    for (const [flags, message] of cases) {
      const r = await fleet('keys', 'add', ...flags, ...(flags.includes('--dir') ? [] : ['--dir', dir]));
      expect({ code: r.code, err: r.err }).toMatchObject({ code: 2, err: expect.stringContaining(message) });
    }
    expect((await fleet('keys', 'nonsense')).err).toContain(
      'expected one of add, list, remove, server-config',
    );
    expect((await fleet('nonsense')).code).toBe(2);
  });

  it('list shows ids, kinds, sites and public keys; remove takes one out with its seed', async () => {
    expect((await fleet('keys', 'add', '--robot', 'r2', '--site', 's1', '--dir', dir)).code).toBe(0);
    const listed = (await fleet('keys', 'list', '--dir', dir)).out;
    expect(listed).toMatch(/^r2 +robot +s1 +U[A-Z2-7]{55}$/m);
    expect(listed).toMatch(/^fleet +service +- +U/m);
    expect((await fleet('keys', 'remove', 'r2', '--dir', dir)).code).toBe(0);
    expect(() => statSync(path.join(dir, 'r2.nk'))).toThrow();
    expect((await fleet('keys', 'list', '--dir', dir)).out).not.toMatch(/^r2 /m);
    const missing = await fleet('keys', 'remove', 'r2', '--dir', dir);
    expect(missing).toMatchObject({ code: 1, err: expect.stringContaining("there is no identity 'r2'") });
  });

  it('server-config makes a whole configuration that nats-server accepts', async () => {
    const store = path.join(root, 'store');
    const made = await fleet(
      'keys',
      'server-config',
      '--dir',
      dir,
      '--listen',
      '127.0.0.1:14222',
      '--store',
      store,
    );
    expect(made.code).toBe(0);
    expect(made.out).toContain('listen: "127.0.0.1:14222"');
    expect(made.out).toContain(`store_dir: ${JSON.stringify(store)}`);
    for (const { publicKey } of readRoster(dir).identities) expect(made.out).toContain(publicKey);
    expect(made.out).not.toMatch(/S[UAO][A-Z2-7]{56}/);
    const conf = path.join(root, 'nats.conf');
    writeFileSync(conf, made.out);
    const test = spawnSync('nats-server', ['-c', conf, '-t'], { encoding: 'utf8' });
    expect(`${test.stdout}${test.stderr}`).toContain('is valid');
    expect(test.status).toBe(0);
    const bad = await fleet('keys', 'server-config', '--dir', dir, '--listen', 'localhost');
    expect(bad).toMatchObject({ code: 1, err: expect.stringContaining('--listen: expected HOST:PORT') });
  });

  it('server-config refuses a roster without the fleet service', async () => {
    const lonely = path.join(root, 'lonely');
    await fleet('keys', 'add', '--robot', 'r1', '--site', 's1', '--dir', lonely);
    const r = await fleet('keys', 'server-config', '--dir', lonely);
    expect(r).toMatchObject({ code: 1, err: expect.stringContaining('fleet keys add --service') });
  });

  it('is reached from the command line, ./fleet-keys by default', () => {
    const cwd = mkdtempSync(path.join(root, 'cwd-'));
    const bin = path.resolve('bin/medhjalparen.js');
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [bin, 'fleet', 'keys', ...args], { cwd, encoding: 'utf8' });
    expect(run('add', '--service').status).toBe(0);
    expect(statSync(path.join(cwd, 'fleet-keys', 'fleet.nk')).mode & 0o777).toBe(0o600);
    expect(run('list').stdout).toMatch(/^fleet +service/m);
  });
});
