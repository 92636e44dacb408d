/**
 * The task book: one record per task in the `fleet_tasks` bucket, changed only by compare-and-set
 * on its revision. It is what makes a task done once from the customer's view: a robot starts a
 * task only by moving the record from `assigned` (to it, this attempt) to `accepted`, and the fleet
 * service reassigns only by moving it on from a revision it has read; of two such writers racing,
 * exactly one wins, and the loser drops its plan.
 */
import type { KV, NatsConnection } from 'nats';
import {
  decodeFleet,
  encodeFleet,
  FLEET_SCHEMA_VERSION,
  type TaskRecord,
  type TaskStatus,
} from './protocol.js';
import { BUCKETS } from './subjects.js';

/** Finished tasks: nothing moves them again. */
export const FINAL_STATUSES: ReadonlySet<TaskStatus> = new Set([
  'done',
  'failed',
  'handed_over',
  'cancelled',
]);
const HISTORY_KEPT = 32;

export interface BookEntry {
  record: TaskRecord;
  revision: number;
}

export class TaskBook {
  readonly #kv: KV;

  private constructor(kv: KV) {
    this.#kv = kv;
  }

  /** The service makes the bucket if missing; a robot only binds to it (it may not create). */
  static async open(nc: NatsConnection, bindOnly: boolean): Promise<TaskBook> {
    return new TaskBook(await nc.jetstream().views.kv(BUCKETS.tasks, { bindOnly }));
  }

  async get(id: string): Promise<BookEntry | undefined> {
    const e = await this.#kv.get(id);
    if (!e || e.operation !== 'PUT' || e.value.length === 0) return undefined;
    return { record: decodeFleet('record', e.value, `${BUCKETS.tasks}/${id}`), revision: e.revision };
  }

  /** Writes a new task's first record; false when the task is already in the book (a duplicate). */
  async create(record: TaskRecord): Promise<boolean> {
    try {
      await this.#kv.create(record.task.id, encodeFleet('record', record));
      return true;
    } catch (e) {
      if (/wrong last sequence|exists/i.test(String((e as Error).message))) return false;
      throw e;
    }
  }

  /**
   * Moves a record on from the revision read: `change` returns the new record, or undefined to
   * leave it. Undefined when it was left, is missing, or someone else changed it first (the caller
   * reads again and decides again: never blindly retried, the other writer may have won for good).
   */
  async change(
    id: string,
    change: (current: TaskRecord) => TaskRecord | undefined,
    from?: BookEntry,
  ): Promise<BookEntry | undefined> {
    const entry = from ?? (await this.get(id));
    if (!entry) return undefined;
    const next = change(entry.record);
    if (!next) return undefined;
    try {
      const revision = await this.#kv.update(id, encodeFleet('record', next), entry.revision);
      return { record: next, revision };
    } catch (e) {
      if (/wrong last sequence/i.test(String((e as Error).message))) return undefined;
      throw e;
    }
  }

  /** Every record not yet finished (the service's start and a broker restart read them again). */
  async openTasks(): Promise<BookEntry[]> {
    const out: BookEntry[] = [];
    for await (const key of await this.#kv.keys()) {
      const entry = await this.get(key);
      if (entry && !FINAL_STATUSES.has(entry.record.status)) out.push(entry);
    }
    return out;
  }
}

/** A new task's first record: queued, nobody's yet. */
export function queuedRecord(task: TaskRecord['task'], atMs: number): TaskRecord {
  return {
    v: FLEET_SCHEMA_VERSION,
    task,
    status: 'queued',
    robot: null,
    attempt: 0,
    outcome: '',
    reason: '',
    updatedMs: atMs,
    history: [{ status: 'queued', robot: null, reason: '', atMs }],
  };
}

/** A record moved to `status`, with the move in its history (bounded: the oldest go first). */
export function moved(
  record: TaskRecord,
  status: TaskStatus,
  atMs: number,
  change: Partial<Pick<TaskRecord, 'robot' | 'attempt' | 'outcome' | 'reason' | 'task'>> = {},
): TaskRecord {
  const next = { ...record, ...change, status, updatedMs: atMs };
  const step = { status, robot: next.robot, reason: next.reason, atMs };
  return { ...next, history: [...record.history, step].slice(-HISTORY_KEPT) };
}
