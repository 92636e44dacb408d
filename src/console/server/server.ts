/**
 * The console's web server: fastify with its security plugins, the access guard, error replies,
 * and the routes and sockets. It knows the robot only through the bridge.
 */
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { MAX_CLIENT_FRAME_BYTES } from '../protocol.js';
import { createSessions, type Sessions } from '../auth/index.js';
import { installAccess, installOriginCheck, type RouteInfo } from './access.js';
import type { AccountDeps, ServerDeps, SessionWatcher } from './deps.js';
import { ApiError, installErrorReplies } from './errors.js';
import { LiveHub } from './live-socket.js';
import { installJsonBodies, installValidation } from './validation.js';
import { pageRoutes, type PageAsset } from './pages.js';
import { accountRoutes } from './routes-account.js';
import { kioskRoutes } from './routes-kiosk.js';
import { deskRoutes, missionRoutes, safetyRoutes, watchRoutes } from './routes-robot.js';
import { teleopRoutes } from './routes-teleop.js';
import { foxgloveRoutes } from './routes-foxglove.js';
import { userRoutes } from './routes-users.js';

/** The largest JSON body a route takes (a fault report of 2,000 characters fits with room). */
export const BODY_LIMIT_BYTES = 16 * 1024;
const HOST_HEADER = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** connect-src: the page's own origin and its WebSocket (ws:// of the same host and port). */
function connectSrc(req: IncomingMessage): string {
  const host = req.headers.host;
  return typeof host === 'string' && HOST_HEADER.test(host) ? `'self' ws://${host}` : "'self'";
}

async function registerSecurity(app: FastifyInstance, deps: Pick<AccountDeps, 'limits'>): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        connectSrc: [(req) => connectSrc(req as IncomingMessage)],
        // The map arrives as a data: PNG inside a message; nothing else is inline.
        imgSrc: ["'self'", 'data:'],
        mediaSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // Plain http on the robot's own network: no HSTS or upgrade (they would lock the page out).
    strictTransportSecurity: false,
  });
  await app.register(rateLimit, {
    global: true,
    max: deps.limits.generalPerMinute,
    timeWindow: 60_000,
    errorResponseBuilder: (request, context) =>
      new ApiError(
        429,
        'rate_limited',
        `too many requests; try again in ${context.after}`,
        `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`,
      ),
  });
  await app.register(cookie);
}

export interface ConsoleServer {
  app: FastifyInstance;
  hub: LiveHub;
  routes: readonly RouteInfo[];
}

/** A server with everything but its own routes: what the robot's console and the fleet console share. */
export interface BaseServer {
  app: FastifyInstance;
  sessions: Sessions;
  /** Every route with who may call it, filled in as routes are registered. */
  routes: readonly RouteInfo[];
}

/**
 * Fastify with the error replies, TypeBox validation, JSON bodies, the security plugins (CSP,
 * rate limit, cookies), sessions, the access guard, the origin check and WebSockets. Routes are
 * the caller's to register; each must declare its access.
 */
export async function buildBaseServer(deps: AccountDeps): Promise<BaseServer> {
  // No request log: a URL may carry what a customer typed (the kiosk's suggestions). Stopping
  // closes every connection, kept-alive ones and refused upgrades too, so the robot can stop.
  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT_BYTES,
    forceCloseConnections: true,
  }).withTypeProvider<TypeBoxTypeProvider>();
  installErrorReplies(app, deps.logError);
  installValidation(app);
  installJsonBodies(app);
  // A refused WebSocket upgrade has had its answer (401, 403, 429…): its socket is no HTTP
  // connection the server tracks, so it is closed here or it would stay open.
  app.addHook('onResponse', async (request, reply) => {
    if (request.headers.upgrade !== undefined && reply.statusCode >= 400) request.raw.socket?.destroy();
  });
  await registerSecurity(app, deps);
  const sessions = createSessions(deps.store, { nowMs: deps.wallNow });
  const routes = installAccess(app, { sessions });
  installOriginCheck(app);
  await app.register(websocket, { options: { maxPayload: MAX_CLIENT_FRAME_BYTES } });
  return { app, sessions, routes };
}

export async function buildServer(deps: ServerDeps, pages: Map<string, PageAsset>): Promise<ConsoleServer> {
  const { app, sessions, routes } = await buildBaseServer(deps);
  const hub = new LiveHub(deps);
  // A session that ends stops the robot's teleop too, whether or not it had a socket open.
  const watcher: SessionWatcher = {
    sessionEnded: (tokenHash) => {
      deps.bridge.teleop.release(tokenHash);
      hub.sessionEnded(tokenHash);
    },
    userRemoved: (userId) => hub.userRemoved(userId),
  };
  await app.register(accountRoutes(deps, sessions, watcher));
  for (const routes of [watchRoutes, missionRoutes, deskRoutes, safetyRoutes])
    await app.register(routes(deps));
  await app.register(teleopRoutes(deps));
  if (deps.foxglove) await app.register(foxgloveRoutes(deps, deps.foxglove));
  await app.register(userRoutes(deps, hub));
  await app.register(kioskRoutes(deps));
  await app.register(hub.routes());
  if (deps.speech) await app.register(deps.speech.plugin);
  await app.register(pageRoutes(pages));
  return { app, hub, routes };
}
