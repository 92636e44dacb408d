/**
 * Watching and directing the robot: live state and the site, the mission log and demand (viewer);
 * cancel, pause, dispatch and desk statuses (operator); the e-stop (anyone signed in presses it,
 * only an operator who confirms releases it); staff fault reports.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  ActionReply,
  DemandRow,
  DeskNow,
  DispatchBody,
  EstopBody,
  FaultReport,
  FaultReportBody,
  LiveState,
  MissionLogEntry,
  PauseBody,
  SetDeskStatusBody,
  SiteReply,
} from '../protocol.js';
import { ServiceUnavailable } from '../bridge/service-call.js';
import { roleAllows } from '../auth/index.js';
import { requireAccount } from './access.js';
import type { ServerDeps } from './deps.js';
import { ApiError } from './errors.js';
import { siteReply } from './site-reply.js';

/** A service call's answer, or 503 when the robot's service is not there or does not answer. */
export async function robotCall<T extends { success: boolean; message: string }>(
  call: () => Promise<T>,
): Promise<ActionReply> {
  try {
    const { success, message } = await call();
    return { success, message };
  } catch (e) {
    if (e instanceof ServiceUnavailable) throw new ApiError(503, 'robot_unavailable', e.message, e.service);
    throw e;
  }
}

const DeskParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const MissionsQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    before: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
const Hour = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:00$' });
const DemandQuery = Type.Object(
  { from: Type.Optional(Hour), to: Type.Optional(Hour) },
  { additionalProperties: false },
);

/** Who has a desk by this id, else 404 saying where the id came from. */
function deskFinder(deps: ServerDeps) {
  return (id: string, where: string) => {
    const desk = deps.site.destinations.find((d) => d.id === id);
    if (!desk) throw new ApiError(404, 'unknown_desk', `no desk '${id}' on ${deps.site.name}`, where);
    return desk;
  };
}

/** Watching: live state, the site, the mission log and demand. */
export function watchRoutes(deps: ServerDeps): FastifyPluginAsyncTypebox {
  const { bridge, site, store } = deps;
  return async (app) => {
    app.get(
      '/api/state',
      { config: { access: 'viewer' }, schema: { response: { 200: LiveState } } },
      // The book's JSON, already made for the sockets; the schema still says what it holds.
      // (A string body goes out as it is; its type is the schema's, hence the cast.)
      async (_request, reply) => {
        bridge.refresh();
        return reply.type('application/json').send(bridge.book.fullJson() as never);
      },
    );

    app.get(
      '/api/site',
      { config: { access: 'public' }, schema: { response: { 200: SiteReply } } },
      async () => siteReply(site, deps.robotRadius),
    );

    app.get(
      '/api/missions',
      {
        config: { access: 'viewer' },
        schema: { querystring: MissionsQuery, response: { 200: Type.Array(MissionLogEntry) } },
      },
      async (request) => store.missions(request.query.limit ?? 50, request.query.before),
    );

    app.get(
      '/api/demand',
      {
        config: { access: 'viewer' },
        schema: { querystring: DemandQuery, response: { 200: Type.Array(DemandRow) } },
      },
      async (request) => {
        const today = bridge.localHour(bridge.nowMs()).slice(0, 10);
        return store.demand(request.query.from ?? `${today}T00:00`, request.query.to ?? `${today}T23:00`);
      },
    );
  };
}

/** Directing the mission: cancel, pause and resume, dispatch. */
export function missionRoutes(deps: ServerDeps): FastifyPluginAsyncTypebox {
  const { bridge } = deps;
  const deskOf = deskFinder(deps);
  return async (app) => {
    app.post(
      '/api/mission/cancel',
      { config: { access: 'operator' }, schema: { response: { 200: ActionReply } } },
      async () => robotCall(() => bridge.cancel()),
    );

    app.post(
      '/api/mission/pause',
      { config: { access: 'operator' }, schema: { body: PauseBody, response: { 200: ActionReply } } },
      async (request) => {
        // Resuming the mission ends driving by hand: the robot is the mission's again.
        if (!request.body.paused) bridge.teleop.release();
        bridge.teleop.pausedMission = false;
        return robotCall(() => bridge.pause(request.body.paused));
      },
    );

    app.post(
      '/api/dispatch',
      { config: { access: 'operator' }, schema: { body: DispatchBody, response: { 200: ActionReply } } },
      async (request) => {
        const id = request.body.destination_id;
        if (id !== 'dock') deskOf(id, 'body.destination_id');
        if (bridge.teleop.holder) {
          throw new ApiError(
            409,
            'teleop_held',
            'release teleop first: the robot is being driven by hand',
            'teleop',
          );
        }
        return robotCall(() => bridge.dispatch(id));
      },
    );
  };
}

/** Desk statuses set by staff: on /guide/desk_status at once, kept in the store. */
export function deskRoutes(deps: ServerDeps): FastifyPluginAsyncTypebox {
  const { bridge, store } = deps;
  const deskOf = deskFinder(deps);
  const deskNowOf = (id: string) => bridge.book.get('desks').find((d) => d.id === id)!;
  return async (app) => {
    app.put(
      '/api/desks/:id/status',
      {
        config: { access: 'operator' },
        schema: { params: DeskParams, body: SetDeskStatusBody, response: { 200: DeskNow } },
      },
      async (request) => {
        const desk = deskOf(request.params.id, 'params.id');
        const { state, note = '', until } = request.body;
        const untilMs = until === undefined ? null : Date.parse(until);
        if (untilMs !== null && !(untilMs > bridge.nowMs())) {
          throw new ApiError(400, 'invalid_input', 'until must be a time in the future', 'body.until');
        }
        store.setDeskStatus({
          destination_id: desk.id,
          state,
          note,
          untilMs,
          set_by: requireAccount(request).user.name,
          setMs: bridge.nowMs(),
        });
        bridge.desksChanged();
        return deskNowOf(desk.id);
      },
    );

    app.delete(
      '/api/desks/:id/status',
      { config: { access: 'operator' }, schema: { params: DeskParams, response: { 200: DeskNow } } },
      async (request) => {
        const desk = deskOf(request.params.id, 'params.id');
        store.clearDeskStatus(desk.id);
        bridge.desksChanged();
        return deskNowOf(desk.id);
      },
    );
  };
}

/** The e-stop, and staff fault reports. */
export function safetyRoutes(deps: ServerDeps): FastifyPluginAsyncTypebox {
  const { bridge, store } = deps;
  return async (app) => {
    app.post(
      '/api/estop',
      { config: { access: 'viewer' }, schema: { body: EstopBody, response: { 200: ActionReply } } },
      async (request) => {
        const { engaged, confirm } = request.body;
        if (engaged) {
          bridge.teleop.stop();
          return robotCall(() => bridge.estop(true));
        }
        if (!roleAllows(requireAccount(request).user.role, 'operator')) {
          throw new ApiError(
            403,
            'forbidden',
            'releasing the e-stop needs the operator role',
            'body.engaged',
          );
        }
        if (confirm !== true) {
          throw new ApiError(
            400,
            'confirm_needed',
            'releasing the e-stop needs confirm: true',
            'body.confirm',
          );
        }
        return robotCall(() => bridge.estop(false));
      },
    );

    app.post(
      '/api/faults',
      {
        config: { access: 'viewer' },
        schema: { body: FaultReportBody, response: { 201: FaultReport } },
      },
      async (request, reply) => {
        const report = store.addFault(requireAccount(request).user.name, request.body.text, deps.wallNow());
        return reply.status(201).send(report);
      },
    );

    app.get(
      '/api/faults',
      { config: { access: 'admin' }, schema: { response: { 200: Type.Array(FaultReport) } } },
      async () => store.faults(200),
    );
  };
}
