/**
 * A Foxglove pass for the signed-in user: the URL the Foxglove app opens (ws://HOST:PORT/?pass=…).
 * The app cannot carry the console's cookie, so the console vouches for the session this way.
 * Any signed-in user may have one (to view, where the Foxglove server asks for a pass); only an
 * operator's may drive, and only while that session holds teleop here, behind the same deadman.
 *
 * Registered only when the robot runs a Foxglove server (ServerDeps.foxglove).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import { roleAllows } from '../auth/index.js';
import { requireAccount } from './access.js';
import type { ServerDeps } from './deps.js';
import { ApiError } from './errors.js';

/** What the console needs of the Foxglove server's passes (src/foxglove's FoxglovePasses). */
export interface FoxglovePassIssuer {
  issue(request: {
    key: string;
    name: string;
    role: string;
    mayDrive: boolean;
    sessionExpiresMs: number;
    sessionAlive: () => boolean;
  }): { pass: string; expiresMs: number };
}

/** Where the Foxglove server listens; a wildcard host is reached by the console's own host name. */
export interface FoxgloveServerAddress {
  host: string;
  port: number;
}

/** What the console is given (ConsoleOptions.foxglove): the passes, and the server once it listens. */
export interface ConsoleFoxglove {
  issuer: FoxglovePassIssuer;
  /** Undefined until the Foxglove server listens (it starts after the console). */
  address(): FoxgloveServerAddress | undefined;
}

export const FoxglovePassReply = Type.Object({
  /** Open it in Foxglove: Open connection → Foxglove WebSocket. It holds the pass. */
  url: Type.String(),
  expires: Type.String(),
  /** This pass may drive (the operator role). */
  drive: Type.Boolean(),
  how: Type.String(),
});
export type FoxglovePassReply = Static<typeof FoxglovePassReply>;

const WILDCARD = new Set(['0.0.0.0', '::', '']);
const HOST_NAME = /^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/;

export function foxgloveRoutes(deps: ServerDeps, foxglove: ConsoleFoxglove): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/foxglove/pass',
      { config: { access: 'viewer' }, schema: { response: { 200: FoxglovePassReply } } },
      async (request, reply) => {
        const account = requireAccount(request);
        const address = foxglove.address();
        if (!address)
          throw new ApiError(503, 'foxglove_down', 'the Foxglove server is not running', 'foxglove');
        const mayDrive = roleAllows(account.user.role, 'operator');
        const { pass, expiresMs } = foxglove.issuer.issue({
          key: account.tokenHash,
          name: account.user.name,
          role: account.user.role,
          mayDrive,
          sessionExpiresMs: account.expiresMs,
          sessionAlive: () => deps.store.session(account.tokenHash, deps.wallNow()) !== undefined,
        });
        // A credential: no cache may keep it.
        void reply.header('cache-control', 'no-store');
        const host = serverHost(address.host, request.headers.host);
        return {
          url: `ws://${host}:${address.port}/?pass=${pass}`,
          expires: new Date(expiresMs).toISOString(),
          drive: mayDrive,
          how: mayDrive
            ? 'In Foxglove: Open connection → Foxglove WebSocket → this URL. To drive, take teleop here first; a Teleop panel on /cmd_vel at 10 Hz or more (each command drives for 0.3 s).'
            : 'In Foxglove: Open connection → Foxglove WebSocket → this URL (viewing only: driving needs the operator role).',
        };
      },
    );
  };
}

/** The host a client should dial: the server's own, or for a wildcard the one the console was reached at. */
function serverHost(listening: string, hostHeader: string | undefined): string {
  if (!WILDCARD.has(listening)) return listening.includes(':') ? `[${listening}]` : listening;
  const name = (hostHeader ?? '').replace(/:\d{1,5}$/, '');
  return HOST_NAME.test(name) ? name : '127.0.0.1';
}
