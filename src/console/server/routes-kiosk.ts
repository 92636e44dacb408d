/**
 * The kiosk's routes: anonymous, and able only to ask. Suggestions, desk tiles, a request (which
 * the mission handles like any customer's) and cancelling that request — only while it is the
 * mission's current one. The customer's text goes onto /guide/request and nowhere else.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  ActionReply,
  KioskCancelBody,
  KioskDesksReply,
  KioskRequestBody,
  KioskRequestReply,
  SuggestQuery,
  Suggestion,
} from '../protocol.js';
import { centreNow } from '../bridge/centre.js';
import type { ServerDeps } from './deps.js';
import { ApiError } from './errors.js';
import { suggest, walkMinutes } from './kiosk-search.js';
import { robotCall } from './routes-robot.js';

export function kioskRoutes(deps: ServerDeps): FastifyPluginAsyncTypebox {
  const { bridge, site, matcher } = deps;
  return async (app) => {
    app.get(
      '/api/kiosk/suggest',
      {
        config: { access: 'public' },
        schema: { querystring: SuggestQuery, response: { 200: Type.Array(Suggestion) } },
      },
      async (request) => suggest(site, matcher, request.query.q, request.query.lang),
    );

    app.get(
      '/api/kiosk/desks',
      { config: { access: 'public' }, schema: { response: { 200: KioskDesksReply } } },
      async () => {
        const now = new Map(bridge.book.get('desks').map((d) => [d.id, d]));
        const groups = new Map<string, KioskDesksReply[number]>();
        for (const d of site.destinations) {
          const group = groups.get(d.organisation) ?? { organisation: d.organisation, desks: [] };
          groups.set(d.organisation, group);
          group.desks.push({
            id: d.id,
            name: d.name,
            ...(d.description ? { description: d.description } : {}),
            now: now.get(d.id)!,
            minutes: walkMinutes(site, d),
          });
        }
        return [...groups.values()];
      },
    );

    app.post(
      '/api/kiosk/request',
      {
        config: {
          access: 'public',
          rateLimit: { max: deps.limits.kioskRequestsPerMinute, timeWindow: 60_000 },
        },
        schema: { body: KioskRequestBody, response: { 200: KioskRequestReply } },
      },
      async (request) => {
        if (bridge.teleop.holder) {
          throw new ApiError(
            409,
            'robot_busy',
            'staff are driving the robot just now; please ask at the service point',
            'teleop',
          );
        }
        const state = bridge.book.get('mission').state;
        if (state === 'paused' || state === 'estopped' || state === 'stopped_safe') {
          throw new ApiError(
            409,
            'robot_busy',
            `the robot cannot guide just now (${state}); please ask at the service point`,
            'mission.state',
          );
        }
        const { text, language = '', plain = false, mode = 'escort' } = request.body;
        // Outside the centre's hours the robot takes no escort (it stays on its dock); the way in
        // words is still told. Refused here so that the kiosk can say when the centre opens.
        const centre = centreNow(site, bridge.nowMs());
        if (mode === 'escort' && (state === 'closed' || !centre.open)) {
          const opens = centre.next && !centre.open ? `; it opens ${centre.next.at}` : '';
          throw new ApiError(
            409,
            'centre_closed',
            `the service centre is closed${opens}; the robot can still tell the way (mode 'directions')`,
            'mission.state',
          );
        }
        return { request_id: bridge.kioskRequest(text, { language, plain, mode }) };
      },
    );

    app.post(
      '/api/kiosk/cancel',
      { config: { access: 'public' }, schema: { body: KioskCancelBody, response: { 200: ActionReply } } },
      async (request) => {
        const id = request.body.request_id;
        if (!id.startsWith('kiosk-') || bridge.book.get('mission').request_id !== id) {
          throw new ApiError(
            409,
            'not_current',
            'that request is not the one the robot is serving',
            'body.request_id',
          );
        }
        return robotCall(() => bridge.cancel());
      },
    );
  };
}
