/**
 * Running `medhjalparen users` in tests: a data folder of its own, the command with the password
 * on stdin, accounts made directly in the store, logins checked through the real verifier, and
 * the command on a real pseudo-terminal.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hashPassword, verifyLogin } from '../../src/console/auth/index.js';
import type { Role } from '../../src/console/protocol.js';
import { openStore } from '../../src/console/store/index.js';
import { runCliBounded } from './bounded-cli.js';

export const PASSWORD = 'kela closes at noon';
const BIN = path.resolve(import.meta.dirname, '..', '..', 'bin', 'medhjalparen.js');

/** A data folder that does not exist yet, in a fresh temporary folder. */
export function dataDir(): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), 'users-cli-')), 'data');
}
export function users(args: string[], dir: string, input?: string) {
  return runCliBounded(['users', ...args, '--data', dir], input === undefined ? {} : { input });
}
/** An account made directly in the store: setting up a case costs no extra process. */
export async function seed(dir: string, name: string, role: Role, password = PASSWORD) {
  const store = openStore(dir);
  store.addUser(name, role, await hashPassword(password), 0);
  store.close();
}
export async function loginAs(dir: string, name: string, password: string) {
  const store = openStore(dir);
  try {
    return await verifyLogin(store, name, password);
  } finally {
    store.close();
  }
}

/**
 * Runs the command line on a real pseudo-terminal (util-linux `script`), typing each answer once
 * its prompt shows; the output is everything the terminal displayed.
 */
export function atTerminal(
  args: string[],
  answers: string[],
): Promise<{ code: number | null; output: string }> {
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
