/**
 * The fleet's routes: the snapshot and the reason words (viewer), dispatch and cancel (operator).
 * A dispatch is checked against the snapshot's sites first, so a mistake names its field; what
 * the fleet service itself refuses comes back as 409 with the service's code and words.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { MISSION_REASONS, reasonText } from '../../../behaviors/mission-reasons.js';
import { requireAccount } from '../../console/server/access.js';
import { ApiError } from '../../console/server/errors.js';
import { ErrorReply } from '../../console/protocol.js';
import type { ControlResult, FleetActor, FleetControl, FleetSnapshot } from '../fleet-control.js';
import { DispatchBody, ReasonsReply, SnapshotReply, TaskParams, TaskRecordReply } from './schemas.js';

export const FLEET_ROUTES = {
  snapshot: '/api/fleet',
  reasons: '/api/fleet/reasons',
  dispatch: '/api/fleet/dispatch',
  cancel: '/api/fleet/tasks/:id/cancel',
} as const;

/** The signed-in account as the fleet's audit names it. */
function actorOf(request: FastifyRequest): FleetActor {
  const { user } = requireAccount(request);
  return { user: user.name, role: user.role };
}

/** What is wrong with a dispatch for this fleet, naming the field; undefined when it may go. */
export function dispatchProblem(snapshot: FleetSnapshot, body: DispatchBody): ApiError | undefined {
  const bad = (field: string, message: string) =>
    new ApiError(400, 'invalid_input', message, `body.${field}`);
  const site = snapshot.sites.find((s) => s.id === body.site);
  if (!site) return bad('site', `no site '${body.site}' in the fleet`);
  const known = (id: string) => site.destinations.some((d) => d.id === id);
  if (!known(body.destination))
    return bad('destination', `site '${site.id}' has no destination '${body.destination}'`);
  if (body.kind === 'goto' && body.meet !== undefined)
    return bad('meet', 'a goto has no meeting point (only an escort meets a customer)');
  if (body.kind === 'escort' && body.meet === undefined)
    return bad('meet', "an escort needs the place the customer waits (a destination or 'dock')");
  if (body.meet !== undefined && body.meet !== 'dock' && !known(body.meet))
    return bad('meet', `site '${site.id}' has no destination '${body.meet}' to meet at`);
  if (body.robot !== undefined && !snapshot.robots.some((r) => r.robot === body.robot && r.site === site.id))
    return bad('robot', `site '${site.id}' has no robot '${body.robot}'`);
  return undefined;
}

function valueOf<T>(result: ControlResult<T>, where: string): T {
  if (!result.ok) throw new ApiError(409, result.code, result.message, where);
  return result.value;
}

const REASONS = Object.fromEntries(Object.keys(MISSION_REASONS).map((code) => [code, reasonText(code)]));

export function fleetRoutes(control: FleetControl): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      FLEET_ROUTES.snapshot,
      { config: { access: 'viewer' }, schema: { response: { 200: SnapshotReply } } },
      async () => control.snapshot(),
    );

    app.get(
      FLEET_ROUTES.reasons,
      { config: { access: 'viewer' }, schema: { response: { 200: ReasonsReply } } },
      async () => REASONS,
    );

    app.post(
      FLEET_ROUTES.dispatch,
      {
        config: { access: 'operator' },
        schema: { body: DispatchBody, response: { 201: TaskRecordReply, 400: ErrorReply, 409: ErrorReply } },
      },
      async (request, reply) => {
        const problem = dispatchProblem(control.snapshot(), request.body);
        if (problem) throw problem;
        const record = valueOf(await control.dispatch(request.body, actorOf(request)), 'body');
        return reply.status(201).send(record);
      },
    );

    app.post(
      FLEET_ROUTES.cancel,
      {
        config: { access: 'operator' },
        schema: { params: TaskParams, response: { 200: TaskRecordReply, 409: ErrorReply } },
      },
      async (request) => valueOf(await control.cancel(request.params.id, actorOf(request)), 'params.id'),
    );
  };
}
