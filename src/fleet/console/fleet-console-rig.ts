/**
 * For the fleet console's tests: a running fleet console on a free loopback port, a real SQLite
 * accounts store in a temporary folder (accounts made with the store's own API, argon2id hashes),
 * the FleetControl test double with two sites and three robots, and a wall clock the test moves.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SESSION_COOKIE, createSessions, hashPassword } from '../../console/auth/index.js';
import type { Role } from '../../console/protocol.js';
import { openStore, type SqliteConsoleStore } from '../../console/store/index.js';
import { FleetControlDouble, twoSiteFleet } from './fleet-control-double.js';
import {
  startFleetConsole,
  type FleetConsoleOptions,
  type RunningFleetConsole,
} from './start-fleet-console.js';

export const RIG_PASSWORD = 'correct horse battery staple';
/** A weekday morning, wall-clock ms. */
export const RIG_START_MS = Date.parse('2026-11-26T09:00:00+02:00');

export interface FleetConsoleRig {
  control: FleetControlDouble;
  store: SqliteConsoleStore;
  console: RunningFleetConsole;
  wall: { ms: number };
  /** Lines the console logged (a slow socket dropped). */
  lines: string[];
  /** http://127.0.0.1:PORT, the Origin a page of this console sends. */
  origin: string;
  addUser(name: string, role: Role): Promise<void>;
  /** A session cookie for `name` ('medhjalparen_session=…'), made as the login route makes it. */
  cookie(name: string): string;
  stop(): Promise<void>;
}

export async function startFleetConsoleRig(
  options: Partial<Pick<FleetConsoleOptions, 'limits' | 'dataDir' | 'sites'>> = {},
): Promise<FleetConsoleRig> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-console-'));
  const store = openStore(dir);
  const wall = { ms: RIG_START_MS };
  const control = new FleetControlDouble(twoSiteFleet(), () => wall.ms);
  const lines: string[] = [];
  const running = await startFleetConsole({
    control,
    store,
    listen: '127.0.0.1:0',
    wallNow: () => wall.ms,
    logLine: (line) => lines.push(line),
    ...options,
  });
  const sessions = createSessions(store, { nowMs: () => wall.ms });
  return {
    control,
    store,
    console: running,
    wall,
    lines,
    origin: `http://127.0.0.1:${running.port}`,
    async addUser(name, role) {
      store.addUser(name, role, await hashPassword(RIG_PASSWORD), wall.ms);
    },
    cookie(name) {
      const user = store.listUsers().find((u) => u.name === name);
      if (!user) throw new Error(`no account ${name}`);
      return `${SESSION_COOKIE}=${sessions.start(user).token}`;
    },
    async stop() {
      await running.stop();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
