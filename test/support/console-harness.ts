/**
 * A simulated robot with its console, for tests: the simulator world, the embedded graph on its
 * clock, the robot from the composition root, and the console on an ephemeral port with a real
 * SQLite store in a temporary folder. The test steps simulated time itself; HTTP and WebSocket
 * traffic is real (localhost), and a request that needs the robot's answer is stepped through.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { DEFAULT_SITE } from '../../cli/package-files.js';
import { SESSION_COOKIE, createSessions, hashPassword } from '../../src/console/auth/index.js';
import { startConsole, type ConsoleOptions, type RunningConsole } from '../../src/console/index.js';
import type { ServerMessage } from '../../src/console/protocol.js';
import { openStore, type SqliteConsoleStore } from '../../src/console/store/index.js';
import { loadSite, type Site } from '../../src/map/index.js';
import { DEFAULT_ROBOT, reasonText, startRobot, type RunningRobot } from '../../src/robot/index.js';
import { EmbeddedContext, type Logger, type Pose2D } from '../../src/ros/index.js';
import { SimulatorWorld, type SimulatorWorldOptions } from '../../sim/simulator-world.js';
import type { Role } from '../../src/console/protocol.js';

/** A weekday morning in Espoo, when the desks are open. */
export const START_MS = Date.parse('2026-11-26T09:00:00+02:00');
export const PASSWORD = 'correct horse battery staple';

let siteCache: Promise<Site> | undefined;

export interface Reply {
  status: number;
  body: unknown;
  text: string;
  headers: Headers;
}

export interface ConsoleHarness {
  readonly site: Site;
  readonly world: SimulatorWorld;
  readonly graph: EmbeddedContext;
  readonly robot: RunningRobot;
  readonly dataDir: string;
  store: SqliteConsoleStore;
  console: RunningConsole;
  /** Wall clock the console sees (sessions, flood windows); tests may move it. */
  wall: { ms: number };
  origin(): string;
  step(seconds: number): Promise<void>;
  /** Steps simulated time until `p` settles (a request waiting for a robot service). */
  during<T>(p: Promise<T>): Promise<T>;
  /** Steps until `cond` holds, at most `maxS` simulated seconds. */
  until(cond: () => boolean, what: string, maxS?: number): Promise<void>;
  /** Waits on the event loop, without stepping, until `cond` holds (socket traffic). */
  settle(cond: () => boolean, what: string): Promise<void>;
  addUser(name: string, role: Role): Promise<void>;
  /** A session cookie for `name`, made in the store as the login route makes it. */
  login(name: string): Promise<string>;
  api(
    method: string,
    url: string,
    o?: { cookie?: string; body?: unknown; raw?: string; origin?: string; contentType?: string },
  ): Promise<Reply>;
  socket(url: string, o?: { cookie?: string; origin?: string }): Promise<LiveClient>;
  restartConsole(): Promise<void>;
  stop(): Promise<void>;
}

export interface LiveClient {
  ws: WebSocket;
  messages: ServerMessage[];
  closed: { code: number } | undefined;
  send(msg: unknown): void;
  close(): void;
}

const immediate = () => new Promise<void>((r) => setImmediate(r));

export async function startConsoleHarness(
  options: Partial<Pick<ConsoleOptions, 'limits' | 'logError' | 'foxglove'>> & {
    /** Where every node's log lines go (default: nowhere). */
    logger?: (nodeName: string) => Logger;
    /** The simulated clock's start, epoch ms (default START_MS, when the centre and desks are open). */
    startMs?: number;
    /** The battery's true charge at the start, 0..1 (default the simulator's, 0.9). */
    batteryStartCharge?: number;
    /** Where the robot stands at the start (default its dock, on the charging contacts). */
    robotStart?: (site: Site) => Pose2D;
    /** The simulator's node options (e.g. `localization: 'perfect'` for a robot started off its dock). */
    simulator?: SimulatorWorldOptions['simulator'];
  } = {},
): Promise<ConsoleHarness> {
  const {
    logger,
    startMs = START_MS,
    batteryStartCharge,
    robotStart,
    simulator,
    ...consoleOptions
  } = options;
  const site = await (siteCache ??= loadSite(DEFAULT_SITE));
  const startNs = BigInt(startMs) * 1_000_000n;
  const world = new SimulatorWorld({
    site,
    robot: DEFAULT_ROBOT,
    seed: 1,
    robotStart: robotStart?.(site) ?? site.dock,
    startNs,
    ...(batteryStartCharge !== undefined ? { batteryStartCharge } : {}),
    ...(simulator ? { simulator } : {}),
  });
  const graph = new EmbeddedContext({ clock: world.clock, ...(logger ? { logger } : {}) });
  const robot = await startRobot({ graph, world, site });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'console-test-'));
  const wall = { ms: Date.parse('2026-12-01T10:00:00Z') };
  const start = (store: SqliteConsoleStore) =>
    startConsole({ graph, site, store, listen: '127.0.0.1:0', wallNow: () => wall.ms, ...consoleOptions });
  let store = openStore(dataDir, { reasonText });
  let running = await start(store);

  const stepOnce = () => {
    world.step();
    graph.spinSome();
  };
  const h: ConsoleHarness = {
    site,
    world,
    graph,
    robot,
    dataDir,
    wall,
    get store() {
      return store;
    },
    get console() {
      return running;
    },
    origin: () => running.url.replace(/\/$/, ''),
    async step(seconds) {
      const steps = Math.round(seconds / 0.01);
      for (let i = 0; i < steps; i++) {
        stepOnce();
        if (i % 5 === 4) await immediate();
      }
    },
    async during(p) {
      let done = false;
      const settled = p.finally(() => (done = true));
      for (let i = 0; !done && i < 100_000; i++) {
        stepOnce();
        await immediate();
      }
      return settled;
    },
    async until(cond, what, maxS = 60) {
      for (let i = 0; !cond(); i++) {
        if (i * 0.01 > maxS) throw new Error(`not within ${maxS} s of simulated time: ${what}`);
        stepOnce();
        if (i % 5 === 4) await immediate();
      }
    },
    async settle(cond, what) {
      for (let i = 0; !cond(); i++) {
        if (i > 2_000) throw new Error(`never happened: ${what}`);
        await new Promise((r) => setTimeout(r, i < 100 ? 0 : 2));
      }
    },
    async addUser(name, role) {
      store.addUser(name, role, await hashPassword(PASSWORD), wall.ms);
    },
    async login(name) {
      // A session as POST /api/login makes it, without spending the login rate limit.
      const user = store.listUsers().find((u) => u.name === name);
      if (!user) throw new Error(`no user ${name}`);
      const { token } = createSessions(store, { nowMs: () => wall.ms }).start(user);
      return `${SESSION_COOKIE}=${token}`;
    },
    async api(method, url, o = {}) {
      const headers: Record<string, string> = {};
      if (o.cookie) headers['cookie'] = o.cookie;
      if (o.origin) headers['origin'] = o.origin;
      const hasBody = o.body !== undefined || o.raw !== undefined;
      if (hasBody) headers['content-type'] = o.contentType ?? 'application/json';
      const res = await h.during(
        fetch(`${h.origin()}${url}`, {
          method,
          headers,
          ...(hasBody ? { body: o.raw ?? JSON.stringify(o.body) } : {}),
        }),
      );
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON (a page)
      }
      return { status: res.status, body, text, headers: res.headers };
    },
    async socket(url, o = {}) {
      const ws = new WebSocket(`${h.origin().replace('http', 'ws')}${url}`, {
        headers: { ...(o.cookie ? { cookie: o.cookie } : {}) },
        origin: o.origin ?? h.origin(),
      });
      const client: LiveClient = {
        ws,
        messages: [],
        closed: undefined,
        send: (msg) => ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg)),
        close: () => ws.close(),
      };
      ws.on('message', (data) => client.messages.push(JSON.parse(String(data)) as ServerMessage));
      ws.on('close', (code) => (client.closed = { code }));
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('unexpected-response', (_req, res) =>
          reject(new Error(`upgrade refused: ${res.statusCode}`)),
        );
        ws.once('error', reject);
      });
      return client;
    },
    async restartConsole() {
      await running.stop();
      store.close();
      store = openStore(dataDir, { reasonText });
      running = await start(store);
    },
    async stop() {
      await running.stop();
      await robot.stop();
      graph.shutdown();
      store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return h;
}
