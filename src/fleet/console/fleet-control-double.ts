/**
 * A TEST DOUBLE of FleetControl, for the fleet console's own tests: the real FleetControl is the
 * fleet service (src/fleet/service). It holds a snapshot in memory, records every dispatch and
 * cancel with its actor, and lets a test push changes (a robot's new state, an alert) as the
 * service would. It decides nothing the service decides (no allocation, no liveness).
 */
import type {
  ControlResult,
  DispatchRequest,
  FleetActor,
  FleetAlert,
  FleetChange,
  FleetControl,
  FleetRobotView,
  FleetSiteView,
  FleetSnapshot,
} from '../fleet-control.js';
import type { RobotState, TaskRecord } from '../protocol.js';
import { robotState } from '../fleet-fixtures.js';

export interface RecordedCall {
  call: 'dispatch' | 'cancel';
  actor: FleetActor;
  request?: DispatchRequest;
  taskId?: string;
}

const OPEN = new Set(['queued', 'assigned', 'accepted', 'started']);

export class FleetControlDouble implements FleetControl {
  readonly calls: RecordedCall[] = [];
  readonly #listeners = new Set<(change: FleetChange) => void>();
  #snapshot: FleetSnapshot;
  #nextTask = 1;
  #nextAlert = 1;

  constructor(
    snapshot: Partial<FleetSnapshot> = {},
    private readonly nowMs: () => number = () => 0,
  ) {
    this.#snapshot = { broker: 'connected', sites: [], robots: [], tasks: [], alerts: [], ...snapshot };
    this.#nextAlert = Math.max(0, ...this.#snapshot.alerts.map((a) => a.id)) + 1;
  }

  get listeners(): number {
    return this.#listeners.size;
  }

  snapshot(): FleetSnapshot {
    return structuredClone(this.#snapshot);
  }

  subscribe(listener: (change: FleetChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async dispatch(request: DispatchRequest, actor: FleetActor): Promise<ControlResult<TaskRecord>> {
    this.calls.push({ call: 'dispatch', actor, request });
    const id = `task-${String(this.#nextTask++).padStart(4, '0')}`;
    const now = this.nowMs();
    const record: TaskRecord = {
      v: 1,
      task: {
        v: 1,
        id,
        site: request.site,
        kind: request.kind,
        destination: request.destination,
        ...(request.meet !== undefined ? { meet: request.meet } : {}),
        ...(request.robot !== undefined ? { robot: request.robot } : {}),
        language: '',
        plain: false,
        origin: 'operator',
        createdMs: now,
      },
      status: request.robot !== undefined ? 'assigned' : 'queued',
      robot: request.robot ?? null,
      attempt: request.robot !== undefined ? 1 : 0,
      outcome: '',
      reason: '',
      updatedMs: now,
      history: [],
    };
    this.task(record);
    return { ok: true, value: record };
  }

  async cancel(taskId: string, actor: FleetActor): Promise<ControlResult<TaskRecord>> {
    this.calls.push({ call: 'cancel', actor, taskId });
    const found = this.#snapshot.tasks.find((t) => t.task.id === taskId);
    if (!found) return { ok: false, code: 'unknown_task', message: `no task ${taskId}` };
    if (!OPEN.has(found.status))
      return { ok: false, code: 'task_closed', message: `task ${taskId} is already ${found.status}` };
    const record: TaskRecord = { ...found, status: 'cancelled', updatedMs: this.nowMs() };
    this.task(record);
    return { ok: true, value: record };
  }

  /** A robot's view changes (or appears), as the service tells it. */
  robot(view: FleetRobotView): void {
    const robots = this.#snapshot.robots.filter((r) => r.robot !== view.robot);
    this.#snapshot.robots = [...robots, view];
    this.#emit({ kind: 'robot', robot: view });
  }

  task(record: TaskRecord): void {
    const tasks = this.#snapshot.tasks.filter((t) => t.task.id !== record.task.id);
    this.#snapshot.tasks = [...tasks, record];
    this.#emit({ kind: 'task', task: record });
  }

  /** Raises an alert (its id and time filled in) and returns it. */
  alert(alert: Omit<FleetAlert, 'id' | 'atMs'>): FleetAlert {
    const full: FleetAlert = { ...alert, id: this.#nextAlert++, atMs: this.nowMs() };
    this.#snapshot.alerts = [...this.#snapshot.alerts, full];
    this.#emit({ kind: 'alert', alert: full });
    return full;
  }

  broker(broker: FleetSnapshot['broker']): void {
    this.#snapshot.broker = broker;
    this.#emit({ kind: 'broker', broker });
  }

  #emit(change: FleetChange): void {
    for (const listener of this.#listeners) listener(structuredClone(change));
  }
}

export { robotState };

/** Two sites, three robots (two at Kela Espoo, one at Vero Vantaa): the tests' fleet. */
export function twoSiteFleet(): { sites: FleetSiteView[]; robots: FleetRobotView[] } {
  const sites: FleetSiteView[] = [
    {
      id: 'espoo',
      name: 'Espoo service centre',
      destinations: [
        { id: 'kela', name: 'Kela' },
        { id: 'vero', name: 'Tax office' },
      ],
    },
    {
      id: 'vantaa',
      name: 'Vantaa service centre',
      destinations: [
        { id: 'te-palvelut', name: 'Employment services' },
        { id: 'info', name: 'Information desk' },
      ],
    },
  ];
  const online = (robot: string, site: string, o: Partial<RobotState> = {}): FleetRobotView => ({
    robot,
    site,
    state: robotState(robot, site, o),
    lastSeenMs: 1,
    status: 'online',
  });
  const robots = [
    online('espoo-1', 'espoo'),
    online('espoo-2', 'espoo', {
      mission: { state: 'charging', reason: 'battery_low', destination: '', task: '' },
      battery: { charge: 0.21, charging: true, reliable: true },
      available: false,
    }),
    online('vantaa-1', 'vantaa'),
  ];
  return { sites, robots };
}
