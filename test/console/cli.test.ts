/**
 * `medhjalparen run` with its console, as a person starts it: the banner says where the console
 * and the kiosk are and how to make the first admin; a port in use or a wrong --listen is a clear
 * error and nothing runs.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'medhjalparen.js');
const data = mkdtempSync(path.join(os.tmpdir(), 'console-cli-'));
afterAll(() => rmSync(data, { recursive: true, force: true }));

async function run(args: string[], env: NodeJS.ProcessEnv = process.env) {
  try {
    const r = await promisify(execFile)(process.execPath, [BIN, 'run', '--fast', '--data', data, ...args], {
      timeout: 90_000,
      env,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('run and its console', () => {
  it('states the console and kiosk addresses and how to make the first admin', async () => {
    const r = await run(['--duration', '5', '--listen', '127.0.0.1:0']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^Console: http:\/\/127\.0\.0\.1:\d+\/ — kiosk: http:\/\/127\.0\.0\.1:\d+\/kiosk$/m,
    );
    expect(r.stdout).toContain(
      'No admin account yet: make one with `medhjalparen users add NAME --role admin`',
    );
    expect(r.stdout).not.toContain('Speech: off');
  });

  it('says the robot has no voice when espeak-ng is missing, and runs on', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'no-espeak-'));
    try {
      const r = await run(['--duration', '2', '--listen', '127.0.0.1:0'], { ...process.env, PATH: empty });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Speech: off, espeak-ng is not installed (apt-get install');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('refuses a port in use, saying so', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const r = await run(['--duration', '5', '--listen', `127.0.0.1:${port}`]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`cannot listen on 127.0.0.1:${port}: the port is in use`);
    } finally {
      blocker.close();
    }
  });

  it('refuses a --listen that is not HOST:PORT before starting anything', async () => {
    const r = await run(['--listen', 'localhost']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--listen: expected HOST:PORT such as 127.0.0.1:8080, got 'localhost'");
    expect(r.stdout).not.toMatch(/^Console:/m);
  });
});
