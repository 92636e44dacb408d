/**
 * Starts the operator console and the customer kiosk on a robot's graph: the bridge node
 * 'console' and the web server, listening on HOST:PORT (127.0.0.1:8080 unless told otherwise).
 * Called by the command line beside the composition root, never by it: a robot runs the same
 * with or without its web pages.
 */
import { createMatcher } from '../interaction/index.js';
import type { Site } from '../map/index.js';
import { DEFAULT_ROBOT } from '../robot/index.js';
import type { GraphContext } from '../ros/index.js';
import { createBridge } from './bridge/bridge.js';
import type { ConsoleStore, MissionStart } from './store.js';
import { DEFAULT_LIMITS, type Limits, type ServerDeps, type SpeechService } from './server/deps.js';
import { loadPages } from './server/pages.js';
import { Speech } from './speech.js';
import { buildServer } from './server/server.js';
import type { FastifyInstance } from 'fastify';
import type { Bridge } from './bridge/bridge.js';
import type { RouteInfo } from './server/access.js';
import type { ConsoleFoxglove } from './server/routes-foxglove.js';

export const DEFAULT_LISTEN = '127.0.0.1:8080';

export class ConsoleError extends Error {}

export interface ConsoleOptions {
  graph: GraphContext;
  site: Site;
  /** Opened (and closed) by the caller. */
  store: ConsoleStore;
  /** HOST:PORT; port 0 picks a free one (tests). */
  listen?: string;
  /** Where requests come from that are not the kiosk's: the simulator's customers, or a terminal. */
  otherOrigin?: MissionStart['origin'];
  limits?: Partial<Limits>;
  speech?: SpeechService;
  robotRadius?: number;
  secureCookies?: boolean;
  /**
   * Real time in ms, for session expiry and rate windows only (robot time comes from the node
   * clock). Injected so that tests can expire a session; the default reads the system clock.
   */
  wallNow?: () => number;
  /** Where server faults are told (never request bodies). */
  logError?: (e: unknown) => void;
  /** The Foxglove live view beside the console: the console issues its clients' passes. */
  foxglove?: ConsoleFoxglove;
}

export interface RunningConsole {
  /** http://HOST:PORT/ */
  readonly url: string;
  readonly kioskUrl: string;
  readonly port: number;
  readonly app: FastifyInstance;
  readonly bridge: Bridge;
  /** Every route with who may call it (the security tests walk it). */
  readonly routes: readonly RouteInfo[];
  /** Closes the sockets and the server and takes the node off the graph; the robot stops teleop. */
  stop(): Promise<void>;
}

/** 'HOST:PORT' or '[v6]:PORT' → its parts; a ConsoleError saying what is wrong otherwise. */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) {
    throw new ConsoleError(
      `--listen: expected HOST:PORT such as ${DEFAULT_LISTEN}, got '${text.slice(0, 80)}'`,
    );
  }
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

export async function startConsole(options: ConsoleOptions): Promise<RunningConsole> {
  const { host, port } = parseListen(options.listen ?? DEFAULT_LISTEN);
  const node = options.graph.createNode('console');
  const listeners: Parameters<typeof createBridge>[2] = {};
  const bridge = createBridge(
    node,
    { site: options.site, store: options.store, otherOrigin: options.otherOrigin ?? 'simulated' },
    listeners,
  );
  const deps: ServerDeps = {
    bridge,
    site: options.site,
    store: options.store,
    matcher: createMatcher(options.site.destinations),
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    wallNow: options.wallNow ?? systemNow,
    // The robot's voice (espeak-ng, rendered only when a kiosk plays a phrase).
    speech: options.speech ?? new Speech().service(),
    secureCookies: options.secureCookies ?? false,
    robotRadius: options.robotRadius ?? DEFAULT_ROBOT.radius,
    logError: options.logError ?? (() => {}),
    ...(options.foxglove ? { foxglove: options.foxglove } : {}),
  };
  const { app, hub, routes } = await buildServer(deps, await loadPages());
  Object.assign(listeners, {
    tick: () => hub.tick(),
    watching: () => hub.watching,
    map: (m) => hub.map(m),
    say: (s) => hub.say(s),
    log: (e) => hub.log(e),
  } satisfies typeof listeners);
  const stopBridge = () => {
    bridge.stop();
    node.destroy();
  };
  const { url, port: actualPort } = await listenAt(app, host, port).catch((e: unknown) => {
    stopBridge();
    throw e;
  });
  return {
    url,
    kioskUrl: `${url}kiosk`,
    port: actualPort,
    app,
    bridge,
    routes,
    async stop() {
      hub.closeAll();
      stopBridge();
      await app.close();
    },
  };
}

/**
 * Listens on HOST:PORT and says where: the URL (http://HOST:PORT/) and the port bound (port 0
 * picks one). A server that cannot listen is closed, and the error says why in plain words.
 */
export async function listenAt(
  app: FastifyInstance,
  host: string,
  port: number,
): Promise<{ url: string; port: number }> {
  try {
    await app.listen({ host, port });
  } catch (e) {
    await app.close();
    throw listenError(e, host, port);
  }
  const bound = app.server.address();
  const actualPort = typeof bound === 'object' && bound ? bound.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return { url: `http://${shownHost}:${actualPort}/`, port: actualPort };
}

// The consoles' one reading of the system clock: session expiry and flood windows are about
// real time, whatever the robot's (possibly simulated) clock says.
// eslint-disable-next-line no-restricted-syntax -- the injected wall clock's default (ConsoleOptions.wallNow)
export const systemNow = () => Date.now();

function listenError(e: unknown, host: string, port: number): Error {
  const code = (e as { code?: string }).code;
  if (code === 'EADDRINUSE') {
    return new ConsoleError(
      `cannot listen on ${host}:${port}: the port is in use (is another medhjalparen running?); choose another with --listen HOST:PORT`,
    );
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new ConsoleError(`cannot listen on ${host}:${port}: this machine has no such address`);
  }
  if (code === 'EACCES') {
    return new ConsoleError(
      `cannot listen on ${host}:${port}: not allowed (ports below 1024 need privileges)`,
    );
  }
  return e instanceof Error ? e : new Error(String(e));
}
