/**
 * Taking and releasing teleop. Taking needs an operator who confirms, while the mission is paused
 * or at rest (the mission never fights a person for the wheels; see HANDS_FREE) and nobody else holds it; driving
 * then happens on the holder's WebSocket (live-socket.ts), behind the deadman and the safety gate.
 * Taking it while the mission is at rest pauses the mission first: otherwise a customer asking at the
 * robot would start an escort, and the navigator's commands would move the robot the moment the
 * operator let go of the stick. Releasing resumes a mission that taking paused; a holder who just
 * disappears (socket or session gone) leaves it paused, stopped, for an operator to resume.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ActionReply, TeleopTakeBody } from '../protocol.js';
import { requireAccount } from './access.js';
import type { ServerDeps } from './deps.js';
import { ApiError } from './errors.js';
import { robotCall } from './routes-robot.js';

/**
 * States in which the robot is not guiding anyone, so a person may take the wheels: at rest
 * (idle, or on its dock while the centre is closed or it charges), paused, or stopped with a
 * critical charge (staff drive it onto its charger). Each but 'paused' is paused first.
 */
const HANDS_FREE = new Set(['idle', 'paused', 'closed', 'charging', 'battery_critical']);

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
        if (state !== 'paused' && !holder) {
          const paused = await robotCall(() => bridge.pause(true));
          if (!paused.success) throw new ApiError(409, 'pause_refused', paused.message, 'mission.state');
          bridge.teleop.pausedMission = true;
        }
        bridge.teleop.take({ key: account.tokenHash, name: account.user.name });
        return {
          success: true,
          message: bridge.teleop.pausedMission
            ? 'you hold teleop (the mission is paused until you release it): drive on the console WebSocket; letting go stops'
            : 'you hold teleop: drive on the console WebSocket; letting go stops',
        };
      },
    );

    app.post(
      '/api/teleop/release',
      { config: { access: 'operator' }, schema: { response: { 200: ActionReply } } },
      async (request) => {
        const released = bridge.teleop.release(requireAccount(request).tokenHash);
        if (!released) return { success: false, message: 'you do not hold teleop' };
        if (!bridge.teleop.pausedMission)
          return { success: true, message: 'teleop released; the robot is stopped' };
        bridge.teleop.pausedMission = false;
        const resumed = await robotCall(() => bridge.pause(false));
        return {
          success: resumed.success,
          message: `teleop released; the robot is stopped; the mission: ${resumed.message}`,
        };
      },
    );
  };
}
