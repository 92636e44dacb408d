/** Accounts, for admins: list, add (argon2id hash made here, never returned), remove. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AddUserBody, UserName, UserReply } from '../protocol.js';
import type { StoredUser } from '../store.js';
import { requireAccount } from './access.js';
import type { AccountDeps, SessionWatcher } from './deps.js';
import { ApiError } from './errors.js';
import { hashPassword, passwordProblem } from '../auth/index.js';

/** Only the public fields: the reply schema drops anything else too. */
const userReply = (u: StoredUser) => ({ name: u.name, role: u.role, created: u.created });

export function userRoutes(deps: AccountDeps, sessions: SessionWatcher): FastifyPluginAsyncTypebox {
  const { store } = deps;
  return async (app) => {
    app.get(
      '/api/users',
      { config: { access: 'admin' }, schema: { response: { 200: Type.Array(UserReply) } } },
      async () => store.listUsers().map(userReply),
    );

    app.post(
      '/api/users',
      { config: { access: 'admin' }, schema: { body: AddUserBody, response: { 201: UserReply } } },
      async (request, reply) => {
        const { name, role, password } = request.body;
        if (store.listUsers().some((u) => u.name === name)) {
          throw new ApiError(409, 'user_exists', `an account named '${name}' exists`, 'body.name');
        }
        const problem = passwordProblem(name, password);
        if (problem) throw new ApiError(400, 'weak_password', problem, 'body.password');
        const user = store.addUser(name, role, await hashPassword(password), deps.wallNow());
        return reply.status(201).send(userReply(user));
      },
    );

    app.delete(
      '/api/users/:name',
      {
        config: { access: 'admin' },
        schema: { params: Type.Object({ name: UserName }), response: { 204: Type.Null() } },
      },
      async (request, reply) => {
        const { name } = request.params;
        const users = store.listUsers();
        const target = users.find((u) => u.name === name);
        if (!target) throw new ApiError(404, 'unknown_user', `no account named '${name}'`, 'params.name');
        if (target.role === 'admin' && users.filter((u) => u.role === 'admin').length === 1) {
          throw new ApiError(409, 'last_admin', 'the last admin account cannot be removed', 'params.name');
        }
        if (target.name === requireAccount(request).user.name) {
          throw new ApiError(409, 'own_account', 'you cannot remove your own account', 'params.name');
        }
        store.removeUser(name);
        sessions.userRemoved(target.id);
        return reply.status(204).send(null);
      },
    );
  };
}
