/** Signing in and out: setup state (public), login (rate-limited per address), logout, session. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorReply, LoginBody, SessionReply, SetupReply } from '../protocol.js';
import {
  SESSION_COOKIE,
  clearedSessionCookieOptions,
  sessionCookieOptions,
  verifyLogin,
  type Sessions,
} from '../auth/index.js';
import { requireAccount } from './access.js';
import type { AccountDeps, SessionWatcher } from './deps.js';
import { ApiError } from './errors.js';

export const HOW_TO_ADD_ADMIN = 'medhjalparen users add NAME --role admin';

/**
 * `hub` is told when a session ends at logout (its sockets close; on the robot its teleop stops
 * too, through the watcher the robot's server gives).
 */
export function accountRoutes(
  deps: AccountDeps,
  sessions: Sessions,
  hub: SessionWatcher,
): FastifyPluginAsyncTypebox {
  const { store } = deps;
  const noAdmin =
    deps.noAdminHint ??
    `no admin account exists yet: on the robot, run \`${HOW_TO_ADD_ADMIN}\` and sign in with it`;
  return async (app) => {
    app.get(
      '/api/setup',
      { config: { access: 'public' }, schema: { response: { 200: SetupReply } } },
      async () => {
        const exists = store.adminExists();
        return {
          admin_exists: exists,
          how: exists ? 'sign in with your account' : noAdmin,
        };
      },
    );

    app.post(
      '/api/login',
      {
        config: {
          access: 'public',
          rateLimit: { max: deps.limits.loginPerMinute, timeWindow: 60_000 },
        },
        schema: { body: LoginBody, response: { 200: SessionReply, 401: ErrorReply } },
      },
      async (request, reply) => {
        const user = await verifyLogin(store, request.body.name, request.body.password);
        if (!user) throw new ApiError(401, 'wrong_login', 'wrong name or password', 'body');
        sessions.sweep();
        const { token, expiresMs } = sessions.start(user);
        void reply.setCookie(SESSION_COOKIE, token, sessionCookieOptions(deps.secureCookies));
        return { name: user.name, role: user.role, expires: new Date(expiresMs).toISOString() };
      },
    );

    app.post(
      '/api/logout',
      { config: { access: 'viewer' }, schema: { response: { 204: Type.Null() } } },
      async (request, reply) => {
        const account = requireAccount(request);
        sessions.end(request.cookies[SESSION_COOKIE]);
        hub.sessionEnded(account.tokenHash);
        void reply.setCookie(SESSION_COOKIE, '', clearedSessionCookieOptions(deps.secureCookies));
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/session',
      { config: { access: 'viewer' }, schema: { response: { 200: SessionReply } } },
      async (request) => {
        const { user, expiresMs } = requireAccount(request);
        return { name: user.name, role: user.role, expires: new Date(expiresMs).toISOString() };
      },
    );
  };
}
