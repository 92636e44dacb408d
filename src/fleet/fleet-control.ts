/**
 * What the fleet service offers its console: a view of every site and robot (kept up to date by
 * the robots' states and the task book), changes as they happen, and the operator's few buttons.
 * The console holds no fleet logic: like the robot's console bridge it observes and asks.
 */
import type { RobotState, TaskKind, TaskRecord } from './protocol.js';
import type { Static } from '@sinclair/typebox';

export const ALERT_CODES = [
  /** No state from the robot for longer than the fleet's liveness timeout. */
  'vanished',
  'battery_critical',
  'battery_low',
  'localization_lost',
  'estop',
  /** A task was taken from a failed robot and given to another. */
  'task_reassigned',
  /** A customer was handed over with directions (by the robot, or nobody could take over). */
  'handed_over',
  /** A task could not be given to any robot (none on the site, none able). */
  'task_unassigned',
  /** A robot's own fault (diagnostics at error). */
  'fault',
  /** A message was refused (unknown schema version, malformed): told once per robot and kind. */
  'bad_message',
] as const;
export type AlertCode = (typeof ALERT_CODES)[number];

export interface FleetAlert {
  /** Increasing, so that pages can tell new from seen. */
  id: number;
  code: AlertCode;
  site: string;
  robot: string | null;
  task: string | null;
  atMs: number;
  /** For operators, in plain words (English; codes stay the interface). */
  text: string;
}

export interface FleetRobotView {
  robot: string;
  site: string;
  /** The last state received, or null when the robot is known (credentials) but never seen. */
  state: RobotState | null;
  /** Fleet service's clock, ms; 0 when never seen. */
  lastSeenMs: number;
  status: 'online' | 'vanished' | 'never_seen';
}

export interface FleetSiteView {
  id: string;
  name: string;
  /** Destinations an operator may send a robot to. */
  destinations: { id: string; name: string }[];
}

export interface FleetSnapshot {
  broker: 'connected' | 'disconnected';
  sites: FleetSiteView[];
  robots: FleetRobotView[];
  /** Open tasks and the most recent finished ones (bounded). */
  tasks: TaskRecord[];
  /** The most recent alerts (bounded), oldest first. */
  alerts: FleetAlert[];
}

export type FleetChange =
  | { kind: 'robot'; robot: FleetRobotView }
  | { kind: 'task'; task: TaskRecord }
  | { kind: 'alert'; alert: FleetAlert }
  | { kind: 'broker'; broker: FleetSnapshot['broker'] };

export interface FleetActor {
  /** The operator account name (kept in the audit stream). */
  user: string;
  role: 'viewer' | 'operator' | 'admin';
}

export interface DispatchRequest {
  site: string;
  kind: Static<typeof TaskKind>;
  destination: string;
  /** For an escort: where the customer waits (a destination id or 'dock'). */
  meet?: string;
  /** One chosen robot; absent: the fleet chooses the best placed. */
  robot?: string;
}

export type ControlResult<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

export interface FleetControl {
  snapshot(): FleetSnapshot;
  /** Calls `listener` on every change until the returned function is called. */
  subscribe(listener: (change: FleetChange) => void): () => void;
  /** Queues a task (it goes through the work queue and the allocator like a kiosk's). */
  dispatch(request: DispatchRequest, actor: FleetActor): Promise<ControlResult<TaskRecord>>;
  /** Cancels an open task; a robot working on it stops and goes home. */
  cancel(taskId: string, actor: FleetActor): Promise<ControlResult<TaskRecord>>;
}
