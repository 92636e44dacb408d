/**
 * Who may call what. Every route declares in its config who it is for: 'public' (the kiosk, the
 * login page) or the least role that may call it; the guard answers 401 to a client without a
 * valid session and 403 to one whose role is too small, before the body is even read. A route
 * under /api/ without a declaration is refused at start-up, so none can be forgotten.
 *
 * Sessions (src/console/auth): a random token in an HttpOnly, SameSite=Strict cookie; the store
 * keeps only its SHA-256; expiry is real time, on the injected wall clock.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE, hashSessionToken, roleAllows, type Sessions } from '../auth/index.js';
import type { Role } from '../protocol.js';
import type { StoredUser } from '../store.js';
import { ApiError } from './errors.js';

export type Access = 'public' | Role;

export interface Account {
  user: StoredUser;
  /** The SHA-256 of the session's token: identifies the session (teleop holder, its sockets). */
  tokenHash: string;
  expiresMs: number;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route (required on every /api/ route and WebSocket). */
    access?: Access;
  }
  interface FastifyRequest {
    account: Account | undefined;
  }
}

export interface AccessOptions {
  sessions: Sessions;
}

/** The session a request's cookie names, if it is valid now. */
export function accountOf(request: FastifyRequest, o: AccessOptions): Account | undefined {
  const token = request.cookies[SESSION_COOKIE];
  const session = o.sessions.find(token);
  return session && token
    ? { user: session.user, tokenHash: hashSessionToken(token), expiresMs: session.expiresMs }
    : undefined;
}

/** A route as the guard sees it: the table the security tests walk, so none is forgotten. */
export interface RouteInfo {
  method: string;
  url: string;
  access: Access;
  /** It declares the shape of its replies (every /api/ route must). */
  hasReplySchema: boolean;
}

/**
 * The guard, on every request before its body is parsed; and the start-up check of every route.
 * Returns the route table, filled in as routes are registered.
 */
export function installAccess(app: FastifyInstance, o: AccessOptions): RouteInfo[] {
  const table: RouteInfo[] = [];
  app.decorateRequest('account', undefined);
  app.addHook('onRoute', (route) => {
    const needsDeclaration = route.url.startsWith('/api/') || route.url.endsWith('/ws');
    const access = route.config?.access;
    if (needsDeclaration && access === undefined) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no access (config.access)`);
    }
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      table.push({
        method,
        url: route.url,
        access: access ?? 'public',
        hasReplySchema: !!route.schema?.response,
      });
    }
  });
  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    const access = request.routeOptions.config?.access ?? 'public';
    request.account = accountOf(request, o);
    if (access === 'public') return;
    if (!request.account) throw new ApiError(401, 'unauthorized', 'sign in first', 'cookie');
    if (!roleAllows(request.account.user.role, access)) {
      throw new ApiError(403, 'forbidden', `this needs the ${access} role`, request.routeOptions.url);
    }
  });
  return table;
}

/**
 * A page's own origin, from its Host header: the WebSocket must come from it (a page elsewhere
 * cannot use an operator's cookie), and so must any request that changes something.
 */
export function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  const host = request.headers.host;
  return typeof origin === 'string' && typeof host === 'string' && origin === `http://${host}`;
}

/** A WebSocket's preValidation: it must be opened by the page itself (else 403 before the upgrade). */
export async function socketOriginCheck(request: FastifyRequest): Promise<void> {
  if (!sameOrigin(request)) {
    throw new ApiError(403, 'foreign_origin', 'the WebSocket must be opened by the page itself', 'origin');
  }
}

/** State-changing requests with a foreign Origin are refused (cookies are SameSite=Strict too). */
export function installOriginCheck(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (request.method === 'GET' || request.method === 'HEAD') return;
    if (request.headers.origin !== undefined && !sameOrigin(request)) {
      throw new ApiError(403, 'foreign_origin', 'requests must come from the console page itself', 'origin');
    }
  });
}

export function requireAccount(request: FastifyRequest): Account {
  if (!request.account) throw new ApiError(401, 'unauthorized', 'sign in first', 'cookie');
  return request.account;
}
