/**
 * A real nats-server with JetStream for tests and benchmarks: Debian's `nats-server` on a free
 * loopback port, its store in a temporary folder, its configuration written there. It can be
 * stopped and started again on the same port and store (a broker restart loses nothing that
 * JetStream kept). Missing nats-server is an error saying what to install, never a skip.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as pause } from 'node:timers/promises';

export const NATS_SERVER_INSTALL = 'apt-get install --no-install-recommends nats-server';

export interface TestNatsServer {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** Stops the server (SIGTERM, as a service stop does; or SIGKILL for a crash). */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts it again on the same port, configuration and store. */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  dispose(): Promise<void>;
}

export interface TestNatsOptions {
  /** Extra configuration (authorization blocks), appended to the generated one. */
  config?: string;
}

export function natsServerInstalled(): boolean {
  return spawnSync('nats-server', ['--version'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

export async function startTestNats(options: TestNatsOptions = {}): Promise<TestNatsServer> {
  if (!natsServerInstalled()) {
    throw new Error(
      `nats-server is not installed: ${NATS_SERVER_INSTALL} (or run scripts/ensure-system-deps.sh)`,
    );
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'medhjalparen-nats-'));
  const port = await freePort();
  const conf = path.join(dir, 'nats.conf');
  writeFileSync(
    conf,
    [
      `listen: "127.0.0.1:${port}"`,
      `jetstream { store_dir: ${JSON.stringify(path.join(dir, 'js'))} }`,
      options.config ?? '',
    ].join('\n'),
  );
  let child: ChildProcess | undefined;
  const server: TestNatsServer = {
    url: `nats://127.0.0.1:${port}`,
    port,
    dir,
    async start() {
      if (child) return;
      child = spawn('nats-server', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
      await untilListening(port, child);
    },
    async stop(signal = 'SIGTERM') {
      const c = child;
      child = undefined;
      if (!c || c.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
      c.kill(signal);
      await exited;
    },
    async dispose() {
      await server.stop('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves when the port takes connections; rejects with the server's own words if it exits. */
async function untilListening(port: number, child: ChildProcess): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`nats-server exited (${code}): ${stderr.trim()}`))),
  );
  exited.catch(() => {}); // once listening, a later exit is stop()'s business
  const listening = (async () => {
    for (;;) {
      if (await connects(port)) return;
      // A test harness waiting for a process, not control code: the wall clock is what it waits on.
      await pause(20);
    }
  })();
  await Promise.race([listening, exited]);
}

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
