/**
 * The fleet's messages as schemas (data, as Foxglove and MCAP keep theirs): what robots, kiosks,
 * operators and the fleet service say to each other over NATS. Every message carries `v`, the
 * schema version; a reader takes only the versions it knows and says so of any other. Nothing
 * personal is in any of them: no customer text (a task names a destination id, never the words
 * asked), no image, no customer's language beyond the two-letter code the robot speaks in.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { LIMITS } from '../input/limits.js';

/** The version this program writes and reads. A reader refuses a newer one (it cannot know it). */
export const FLEET_SCHEMA_VERSION = 1;

/** Largest message the fleet accepts, bytes (docs/limits.md): a state or task is a few hundred. */
export const FLEET_MESSAGE_MAX_BYTES = LIMITS.fleetMessageBytes.value;

const Id = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' });
const Ms = Type.Number({ minimum: 0 });
const Version = Type.Literal(FLEET_SCHEMA_VERSION);

export const Pose = Type.Object({ x: Type.Number(), y: Type.Number(), yaw: Type.Number() });

export const RobotState = Type.Object({
  v: Version,
  robot: Id,
  site: Id,
  /** Counts up from 1 at each start of the agent: a late or repeated state is older than one seen. */
  seq: Type.Integer({ minimum: 1 }),
  /** Which start of the agent (random at start): a restarted robot's seq starts again. */
  boot: Type.String({ pattern: '^[0-9a-f]{8,32}$' }),
  /** The robot's own node clock, ms since the epoch. */
  stampMs: Ms,
  pose: Type.Union([Pose, Type.Null()]),
  mission: Type.Object({
    state: Type.String({ maxLength: 40 }),
    reason: Type.String({ maxLength: 60 }),
    destination: Type.String({ maxLength: 64 }),
    /** The fleet task it works on, '' for its own customers. */
    task: Type.String({ maxLength: 64 }),
  }),
  battery: Type.Object({
    /** 0..1, null before the first reading. */
    charge: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()]),
    charging: Type.Boolean(),
    reliable: Type.Boolean(),
  }),
  localization: Type.Union([
    Type.Literal('ok'),
    Type.Literal('uncertain'),
    Type.Literal('lost'),
    Type.Literal('unknown'),
  ]),
  estop: Type.Boolean(),
  /** Fault codes (diagnostics' names and levels), never free text from people. */
  faults: Type.Array(Type.String({ maxLength: 80 }), { maxItems: 20 }),
  /** Whether it would take a fleet task now (idle or going home, charged, localised, no e-stop). */
  available: Type.Boolean(),
});
export type RobotState = Static<typeof RobotState>;

export const TaskKind = Type.Union([Type.Literal('escort'), Type.Literal('goto')]);

export const Task = Type.Object({
  v: Version,
  /** Unique per task (the kiosk or the fleet service makes it); also the JetStream msg id. */
  id: Type.String({ pattern: '^[A-Za-z0-9_-]{8,64}$' }),
  site: Id,
  /** escort: meet a customer at `meet` and take them to `destination`; goto: drive there alone. */
  kind: TaskKind,
  destination: Id,
  /**
   * Where the customer waits: a destination id, or 'dock' (where the chosen robot already is).
   * Absent: at the robot (the customer asked at its own screen).
   */
  meet: Type.Optional(Id),
  language: Type.Union([Type.Literal('fi'), Type.Literal('sv'), Type.Literal('en'), Type.Literal('')]),
  plain: Type.Boolean(),
  /** A chosen robot (operator's dispatch to one robot); absent: the fleet chooses. */
  robot: Type.Optional(Id),
  origin: Type.Union([Type.Literal('kiosk'), Type.Literal('operator')]),
  createdMs: Ms,
});
export type Task = Static<typeof Task>;

/** Work for one robot. Only the fleet service may publish these (the broker's permissions). */
export const Assignment = Type.Object({
  v: Version,
  task: Task,
  robot: Id,
  /** Counts reassignments: a robot acts only on the attempt the task book holds. */
  attempt: Type.Integer({ minimum: 1 }),
  assignedMs: Ms,
});
export type Assignment = Static<typeof Assignment>;

export const REPORT_EVENTS = ['accepted', 'started', 'done', 'failed', 'declined'] as const;

export const TaskReport = Type.Object({
  v: Version,
  task: Type.String({ pattern: '^[A-Za-z0-9_-]{8,64}$' }),
  robot: Id,
  attempt: Type.Integer({ minimum: 1 }),
  event: Type.Union(REPORT_EVENTS.map((e) => Type.Literal(e))),
  /** The mission's outcome (done, failed) or why it declined: codes only. */
  outcome: Type.String({ maxLength: 40 }),
  reason: Type.String({ maxLength: 60 }),
  /** Where it stood (a handover's directions start there; a reassignment meets the customer there). */
  pose: Type.Union([Pose, Type.Null()]),
  stampMs: Ms,
});
export type TaskReport = Static<typeof TaskReport>;

export const TASK_STATUSES = [
  'queued',
  'assigned',
  'accepted',
  'started',
  'done',
  'failed',
  'handed_over',
  'cancelled',
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** The task book's record (KV `fleet_tasks`, key = task id). */
export const TaskRecord = Type.Object({
  v: Version,
  task: Task,
  status: Type.Union(TASK_STATUSES.map((s) => Type.Literal(s))),
  robot: Type.Union([Id, Type.Null()]),
  attempt: Type.Integer({ minimum: 0 }),
  outcome: Type.String({ maxLength: 40 }),
  reason: Type.String({ maxLength: 60 }),
  updatedMs: Ms,
  /** Each change, oldest first (bounded): who had it and why it moved on. */
  history: Type.Array(
    Type.Object({
      status: Type.String({ maxLength: 20 }),
      robot: Type.Union([Id, Type.Null()]),
      reason: Type.String({ maxLength: 60 }),
      atMs: Ms,
    }),
    { maxItems: 32 },
  ),
});
export type TaskRecord = Static<typeof TaskRecord>;

/** A desk's status as staff set it (KV `fleet_desks`, key `<site>.<desk>`). */
export const DeskStatus = Type.Object({
  v: Version,
  site: Id,
  desk: Id,
  state: Type.Union([Type.Literal('open'), Type.Literal('closed'), Type.Literal('paused')]),
  /** Staff's note for customers ("back at 14"), as on the robot's console. */
  note: Type.String({ maxLength: 200 }),
  untilMs: Type.Union([Ms, Type.Null()]),
  /** The operator account that set it. */
  setBy: Type.String({ maxLength: 64 }),
  setMs: Ms,
});
export type DeskStatus = Static<typeof DeskStatus>;

export const AUDIT_ACTIONS = [
  'dispatch',
  'cancel',
  'desk_status',
  'reassign',
  'robot_vanished',
  'robot_back',
  'sign_in',
] as const;

/** An operator's action or the fleet service's own decision, kept in FLEET_AUDIT. */
export const AuditEntry = Type.Object({
  v: Version,
  atMs: Ms,
  /** The operator account, or 'fleet' for the fleet service's own decisions. */
  actor: Type.String({ maxLength: 64 }),
  action: Type.Union(AUDIT_ACTIONS.map((a) => Type.Literal(a))),
  site: Id,
  robot: Type.Union([Id, Type.Null()]),
  task: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]),
  /** Codes and ids only (a destination, a reason). */
  detail: Type.String({ maxLength: 200 }),
});
export type AuditEntry = Static<typeof AuditEntry>;

export const FLEET_SCHEMAS = {
  state: RobotState,
  task: Task,
  assignment: Assignment,
  report: TaskReport,
  record: TaskRecord,
  desk: DeskStatus,
  audit: AuditEntry,
} as const;
export type FleetMessageKind = keyof typeof FLEET_SCHEMAS;
export type FleetMessage<K extends FleetMessageKind> = Static<(typeof FLEET_SCHEMAS)[K]>;

const CHECKS = Object.fromEntries(
  Object.entries(FLEET_SCHEMAS).map(([k, s]) => [k, TypeCompiler.Compile(s as TSchema)]),
) as { [K in FleetMessageKind]: ReturnType<typeof TypeCompiler.Compile<(typeof FLEET_SCHEMAS)[K]>> };

/** Why a message was refused, naming where: the subject, the byte or the field path. */
export class FleetMessageError extends Error {
  constructor(
    readonly where: string,
    readonly why: string,
    /** 'version' when only the schema version is unknown (a newer program wrote it). */
    readonly kind: 'size' | 'json' | 'version' | 'schema',
  ) {
    super(`${where}: ${why}`);
  }
}

/** Encodes a message after checking it against its schema (a bug here must not reach the fleet). */
export function encodeFleet<K extends FleetMessageKind>(kind: K, message: FleetMessage<K>): Uint8Array {
  const bytes = new TextEncoder().encode(JSON.stringify(message));
  const check = CHECKS[kind];
  if (!check.Check(message)) {
    const e = check.Errors(message).First();
    throw new FleetMessageError(`${kind}${e?.path ?? ''}`, e?.message ?? 'is invalid', 'schema');
  }
  if (bytes.length > FLEET_MESSAGE_MAX_BYTES) {
    throw new FleetMessageError(kind, `${bytes.length} bytes, more than ${FLEET_MESSAGE_MAX_BYTES}`, 'size');
  }
  return bytes;
}

/**
 * Decodes and checks a message. `where` names its source (the subject) for the error: too big,
 * not JSON (with the byte offset), a schema version this program does not know, or a field that
 * breaks the schema (with its path).
 */
export function decodeFleet<K extends FleetMessageKind>(
  kind: K,
  bytes: Uint8Array,
  where: string,
): FleetMessage<K> {
  if (bytes.length > FLEET_MESSAGE_MAX_BYTES) {
    throw new FleetMessageError(where, `${bytes.length} bytes, more than ${FLEET_MESSAGE_MAX_BYTES}`, 'size');
  }
  const value = parseJson(bytes, where);
  const version = (value as { v?: unknown } | null)?.v;
  if (version !== FLEET_SCHEMA_VERSION) {
    throw new FleetMessageError(
      `${where} ${kind}/v`,
      `schema version ${JSON.stringify(version)?.slice(0, 20)} is not ${FLEET_SCHEMA_VERSION}, the one this program reads`,
      'version',
    );
  }
  const check = CHECKS[kind];
  if (!check.Check(value)) {
    const e = check.Errors(value).First();
    throw new FleetMessageError(`${where} ${kind}${e?.path ?? ''}`, e?.message ?? 'is invalid', 'schema');
  }
  return value as FleetMessage<K>;
}

function parseJson(bytes: Uint8Array, where: string): unknown {
  const text = new TextDecoder().decode(bytes);
  try {
    return JSON.parse(text);
  } catch (e) {
    const at = /position (\d+)/.exec(String(e))?.[1] ?? '0';
    throw new FleetMessageError(`${where}@${at}`, 'not JSON', 'json');
  }
}
