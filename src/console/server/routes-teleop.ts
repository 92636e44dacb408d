/**
 * Taking and releasing teleop. Taking needs an operator who confirms, while the mission is paused
 * or idle (the mission never fights a person for the wheels) and nobody else holds it; driving
 * then happens on the holder's WebSocket (live-socket.ts), behind the deadman and the safety gate.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ActionReply, TeleopTakeBody } from '../protocol.js';
import { requireAccount } from './access.js';
import type { ServerDeps } from './deps.js';
import { ApiError } from './errors.js';

const HANDS_FREE = new Set(['idle', 'paused']);

export function teleopRoutes(deps: ServerDeps): FastifyPluginAsyncTypebox {
  const { bridge } = deps;
  return async (app) => {
    app.post(
      '/api/teleop/take',
      { config: { access: 'operator' }, schema: { body: TeleopTakeBody, response: { 200: ActionReply } } },
      async (request) => {
        const account = requireAccount(request);
        const state = bridge.book.get('mission').state;
        if (!HANDS_FREE.has(state)) {
          throw new ApiError(
            409,
            'mission_active',
            `the mission is ${state}: pause it first (POST /api/mission/pause {"paused": true})`,
            'mission.state',
          );
        }
        const holder = bridge.teleop.holder;
        if (holder && holder.key !== account.tokenHash) {
          throw new ApiError(
            409,
            'teleop_held',
            `${holder.name} is driving; they must release teleop first`,
            'teleop',
          );
        }
        bridge.teleop.take({ key: account.tokenHash, name: account.user.name });
        return {
          success: true,
          message: 'you hold teleop: drive on the console WebSocket; letting go stops',
        };
      },
    );

    app.post(
      '/api/teleop/release',
      { config: { access: 'operator' }, schema: { response: { 200: ActionReply } } },
      async (request) => {
        const released = bridge.teleop.release(requireAccount(request).tokenHash);
        return released
          ? { success: true, message: 'teleop released; the robot is stopped' }
          : { success: false, message: 'you do not hold teleop' };
      },
    );
  };
}
