/**
 * The fleet console's HTTP and WebSocket shapes as TypeBox schemas: the route bodies the server
 * checks (errors name the field) and the replies it serialises. The replies mirror FleetControl's
 * types (fleet-control.ts); a type check below fails to compile when the two drift apart.
 */
import { Type, type Static } from '@sinclair/typebox';
import { ALERT_CODES, type FleetChange, type FleetSnapshot, type FleetAlert } from '../fleet-control.js';
import { RobotState, TaskKind, TaskRecord, type TaskRecord as TaskRecordType } from '../protocol.js';
import { MapImage, SiteReply } from '../../console/protocol.js';

/** A site's, robot's or destination's id, as the fleet's messages write them. */
const Id = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' });
const Ms = Type.Number({ minimum: 0 });

export const TaskId = Type.String({ pattern: '^[A-Za-z0-9_-]{8,64}$' });

export const DispatchBody = Type.Object(
  {
    site: Id,
    kind: TaskKind,
    destination: Id,
    /** For an escort: where the customer waits (a destination of the site, or 'dock'). */
    meet: Type.Optional(Id),
    /** One chosen robot of the site; absent: the fleet chooses the best placed. */
    robot: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type DispatchBody = Static<typeof DispatchBody>;

export const TaskParams = Type.Object({ id: TaskId });
export const SiteParams = Type.Object({ site: Id });

/** A site's floor for the fleet console's map: the robot console's own site and map shapes. */
export const FloorReply = Type.Object({ site: SiteReply, map: MapImage });
export type FloorReply = Static<typeof FloorReply>;

export const FleetAlertReply = Type.Object({
  id: Type.Integer(),
  code: Type.Union(ALERT_CODES.map((c) => Type.Literal(c))),
  site: Type.String(),
  robot: Type.Union([Type.String(), Type.Null()]),
  task: Type.Union([Type.String(), Type.Null()]),
  atMs: Ms,
  text: Type.String(),
});

export const FleetRobotReply = Type.Object({
  robot: Type.String(),
  site: Type.String(),
  state: Type.Union([RobotState, Type.Null()]),
  lastSeenMs: Ms,
  status: Type.Union([Type.Literal('online'), Type.Literal('vanished'), Type.Literal('never_seen')]),
});

export const FleetSiteReply = Type.Object({
  id: Type.String(),
  name: Type.String(),
  destinations: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
});

export const FleetSnapshotReply = Type.Object({
  broker: Type.Union([Type.Literal('connected'), Type.Literal('disconnected')]),
  sites: Type.Array(FleetSiteReply),
  robots: Type.Array(FleetRobotReply),
  tasks: Type.Array(TaskRecord),
  alerts: Type.Array(FleetAlertReply),
});

/**
 * The same schemas typed as FleetControl's types for the routes' replies (fastify's TypeBox
 * provider cannot resolve a union built from a list, such as TaskRecord's status).
 */
export const SnapshotReply = Type.Unsafe<FleetSnapshot>(FleetSnapshotReply);
export const TaskRecordReply = Type.Unsafe<TaskRecordType>(TaskRecord);

/** Mission reason codes in plain words (the robot's own table), for the page to say them. */
export const ReasonsReply = Type.Record(Type.String(), Type.String());

/** What the live socket sends: the whole picture first (and after each reconnect), then changes. */
export type FleetLiveMessage =
  { type: 'snapshot'; snapshot: FleetSnapshot } | { type: 'change'; change: FleetChange };

// The reply schemas and FleetControl's types are one shape: this does not compile otherwise.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _snapshotMatches: Same<Static<typeof FleetSnapshotReply>, FleetSnapshot> = true;
const _alertMatches: Same<Static<typeof FleetAlertReply>, FleetAlert> = true;
