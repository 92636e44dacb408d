/**
 * Starts the fleet console: one operator's view of every site and robot, served by the fleet
 * service (`medhjalparen fleet serve`), which gives the FleetControl and the accounts store. The
 * server is the robot console's (same sign-in, accounts, security plugins, error replies); only
 * the fleet's routes, its live socket and its page are its own.
 */
import type { FastifyInstance } from 'fastify';
import { DEFAULT_LIMITS } from '../../console/server/deps.js';
import type { RouteInfo } from '../../console/server/access.js';
import { accountRoutes } from '../../console/server/routes-account.js';
import { userRoutes } from '../../console/server/routes-users.js';
import { pageRoutes } from '../../console/server/pages.js';
import { buildBaseServer } from '../../console/server/server.js';
import { listenAt, parseListen, systemNow } from '../../console/start-console.js';
import type { AccountStore } from '../../console/store.js';
import type { FleetControl } from '../fleet-control.js';
import { loadFleetPages } from './fleet-pages.js';
import { FleetLiveHub } from './fleet-live.js';
import { fleetRoutes } from './routes-fleet.js';
import { fleetFloorRoutes } from './routes-fleet-floors.js';
import type { Site } from '../../map/index.js';

export const DEFAULT_FLEET_LISTEN = '127.0.0.1:8090';

export interface FleetConsoleLimits {
  /** Requests per minute per address, over all routes (WebSocket upgrades count too). */
  generalPerMinute: number;
  /** Login attempts per minute per address. */
  loginPerMinute: number;
  /** Live messages a page may leave unsent before its socket is dropped. */
  liveUnsent: number;
}

export const DEFAULT_FLEET_LIMITS: FleetConsoleLimits = {
  generalPerMinute: DEFAULT_LIMITS.generalPerMinute,
  loginPerMinute: DEFAULT_LIMITS.loginPerMinute,
  liveUnsent: 256,
};

export interface FleetConsoleOptions {
  control: FleetControl;
  /** The fleet's sites, whose floors the page draws with the robots on them (none: no maps). */
  sites?: readonly Site[];
  /** The accounts and sessions (openStore on the fleet's own --data folder); opened and closed by the caller. */
  store: AccountStore;
  /** HOST:PORT (default 127.0.0.1:8090); port 0 picks a free one (tests). */
  listen?: string;
  /** Real time in ms, for session expiry and rate windows (tests move it). */
  wallNow?: () => number;
  /** Secure cookies (only behind HTTPS, e.g. a reverse proxy). */
  secureCookies?: boolean;
  /** Where server faults are told (never request bodies). */
  logError?: (e: unknown) => void;
  /** Where the console's own notices go (a slow page dropped); default: standard error. */
  logLine?: (line: string) => void;
  limits?: Partial<FleetConsoleLimits>;
  /** The data folder the setup hint names for the first admin (`users add … --data DIR`). */
  dataDir?: string;
}

export interface RunningFleetConsole {
  /** http://HOST:PORT/ */
  readonly url: string;
  readonly port: number;
  readonly app: FastifyInstance;
  /** Every route with who may call it (the security tests walk it). */
  readonly routes: readonly RouteInfo[];
  /** Closes the live sockets, stops listening to the fleet, and closes the server. */
  stop(): Promise<void>;
}

export async function startFleetConsole(options: FleetConsoleOptions): Promise<RunningFleetConsole> {
  const { host, port } = parseListen(options.listen ?? DEFAULT_FLEET_LISTEN);
  const limits = { ...DEFAULT_FLEET_LIMITS, ...options.limits };
  const data = options.dataDir === undefined ? ' --data FLEET_DATA_FOLDER' : ` --data ${options.dataDir}`;
  const deps = {
    store: options.store,
    limits,
    wallNow: options.wallNow ?? systemNow,
    secureCookies: options.secureCookies ?? false,
    logError: options.logError ?? (() => {}),
    noAdminHint: `no admin account exists yet: on the fleet server, run \`medhjalparen users add NAME${data} --role admin\` and sign in with it`,
  };
  const { app, sessions, routes } = await buildBaseServer(deps);
  const hub = new FleetLiveHub({
    control: options.control,
    wallNow: deps.wallNow,
    maxUnsent: limits.liveUnsent,
    logLine: options.logLine ?? ((line) => process.stderr.write(`${line}\n`)),
  });
  await app.register(accountRoutes(deps, sessions, hub));
  await app.register(userRoutes(deps, hub));
  await app.register(fleetRoutes(options.control));
  await app.register(fleetFloorRoutes(options.sites ?? []));
  await app.register(hub.routes());
  await app.register(pageRoutes(await loadFleetPages()));
  hub.start();
  const bound = await listenAt(app, host, port).catch((e: unknown) => {
    hub.stop();
    throw e;
  });
  return {
    ...bound,
    app,
    routes,
    async stop() {
      hub.stop();
      await app.close();
    },
  };
}
