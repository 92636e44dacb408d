/**
 * A robot's member of the fleet (`run --fleet`): it tells the fleet how the robot is, at a bounded
 * rate on the node clock, and does the work the fleet service assigns it, once. It never drives
 * the robot itself: work goes through the mission's own interfaces (MissionPort), and only work
 * from the FLEET_ASSIGN queue, which only the fleet service may fill (the broker's permissions).
 *
 * Without a broker the robot runs alone, exactly as without --fleet; when the broker comes (or
 * comes back) the agent joins. What the fleet must hear of finished work is kept until it is heard.
 */
import { randomBytes } from 'node:crypto';
import type { JsMsg, NatsConnection } from 'nats';
import type { RosNode, Timer } from '../../ros/index.js';
import type { FleetLink, FleetLog } from '../link.js';
import {
  decodeFleet,
  encodeFleet,
  FLEET_SCHEMA_VERSION,
  FleetMessageError,
  type Assignment,
  type Task,
  type TaskReport,
} from '../protocol.js';
import { CONSUMERS, STREAMS, SUBJECTS } from '../subjects.js';
import { moved, TaskBook, type BookEntry } from '../task-book.js';
import type { MissionPort, TaskOutcome, TaskRun } from './mission-port.js';
import type { WatchedState } from './robot-watch.js';
import type { DeskShare } from './desk-share.js';

/** State messages per second of node time: enough for a live view, bounded for 50 robots. */
export const STATE_HZ = 2;

export interface FleetAgentOptions {
  link: FleetLink;
  /** The agent's node: its clock stamps states and its timer paces them. */
  node: RosNode;
  robot: string;
  site: string;
  watch: { state(nowNs: bigint, task: string): WatchedState };
  mission: MissionPort;
  log: FleetLog;
  stateHz?: number;
  /** Desk statuses shared with the site's other robots (when the robot has a console store). */
  desks?: DeskShare;
}

interface Current {
  assignment: Assignment;
  run: TaskRun;
}

/** Outcomes that leave the customer looked after by the robot itself (it gave directions). */
const HANDED_OVER = new Set(['handed_over', 'refused', 'directions', 'elsewhere']);

export class FleetAgent {
  readonly #o: FleetAgentOptions;
  readonly #boot = randomBytes(6).toString('hex');
  readonly #timer: Timer;
  /** Reports and book changes not yet heard by the broker, oldest first. */
  readonly #outbox: (() => Promise<void>)[] = [];
  #seq = 0;
  #book: TaskBook | undefined;
  #current: Current | undefined;
  #stopped = false;
  #ticks = 0;
  readonly #told = new Set<string>();

  constructor(options: FleetAgentOptions) {
    this.#o = options;
    const periodNs = BigInt(Math.round(1e9 / (options.stateHz ?? STATE_HZ)));
    this.#timer = options.node.createTimer(periodNs, () => this.#tick());
    options.link.onStatus((status, nc) => {
      if (status === 'connected' && nc) void this.#join(nc);
    });
    const nc = options.link.connection;
    if (nc) void this.#join(nc);
  }

  /** Taking work now (one loop per connection: nats.js keeps it across reconnects). */
  #joining: NatsConnection | undefined;

  /** The fleet task under way, if any. */
  get task(): Task | undefined {
    return this.#current?.assignment.task;
  }

  stop(): void {
    this.#stopped = true;
    this.#timer.cancel();
    this.#o.desks?.stop();
  }

  #nowMs(): number {
    return Number(this.#o.node.now().nanoseconds / 1_000_000n);
  }

  #tick(): void {
    const nc = this.#o.link.connection;
    if (!nc || this.#stopped) return;
    const task = this.#current?.assignment.task.id ?? '';
    const state = this.#o.watch.state(this.#o.node.now().nanoseconds, task);
    const message = {
      v: FLEET_SCHEMA_VERSION,
      robot: this.#o.robot,
      site: this.#o.site,
      seq: ++this.#seq,
      boot: this.#boot,
      stampMs: this.#nowMs(),
      ...state,
    } as const;
    nc.publish(SUBJECTS.state(this.#o.site, this.#o.robot), encodeFleet('state', message));
    void this.#flush();
    void this.#o.desks?.tick().catch(() => undefined); // the broker away: tried again next tick
    const hz = this.#o.stateHz ?? STATE_HZ;
    if (++this.#ticks % hz === 0) void this.#checkRevoked();
    if (!this.#joining && this.#ticks % (5 * hz) === 0) void this.#join(nc);
  }

  /** Connected (again): bind to the task book, then take work from this robot's queue. */
  async #join(nc: NatsConnection): Promise<void> {
    if (this.#joining === nc) return;
    this.#joining = nc;
    try {
      this.#book ??= await TaskBook.open(nc, true);
      await this.#o.desks?.join(nc);
      const consumer = await nc.jetstream().consumers.get(STREAMS.assign, CONSUMERS.robot(this.#o.robot));
      const messages = await consumer.consume({ max_messages: 1 });
      this.#o.log.info(`fleet: ${this.#o.robot} takes work from the fleet`);
      for await (const m of messages) {
        if (this.#stopped) break;
        await this.#onAssignment(m);
      }
    } catch (e) {
      this.#joining = undefined; // tried again at a later tick
      if (this.#stopped || this.#o.link.status === 'closed') return;
      this.#tellOnce(
        'join',
        `fleet: cannot take work yet (${String((e as Error).message ?? e).slice(0, 160)}); is the fleet service running and this robot in its roster?`,
      );
    }
  }

  async #onAssignment(m: JsMsg): Promise<void> {
    let a: Assignment;
    try {
      a = decodeFleet('assignment', m.data, m.subject);
    } catch (e) {
      // Never acted on, never redelivered: a message this program cannot read is dropped with a word.
      m.term();
      const kind = e instanceof FleetMessageError ? e.kind : 'schema';
      this.#tellOnce(`bad-${kind}`, `fleet: refused an assignment: ${(e as Error).message}`);
      return;
    }
    if (a.robot !== this.#o.robot || a.task.site !== this.#o.site) {
      m.term();
      this.#tellOnce('wrong-robot', `fleet: refused an assignment for ${a.robot} at ${a.task.site}`);
      return;
    }
    await this.#take(a);
    m.ack();
  }

  async #take(a: Assignment): Promise<void> {
    const book = this.#book!;
    const entry = await book.get(a.task.id);
    const r = entry?.record;
    if (!entry || !r || r.robot !== a.robot || r.attempt !== a.attempt) return; // reassigned since: not ours
    if (r.status === 'accepted' || r.status === 'started') {
      // Ours from before a restart of this agent: the customer was not served by this run of it.
      if (this.#current?.assignment.task.id !== a.task.id)
        this.#report(a, 'failed', 'error', 'robot_restarted');
      return;
    }
    if (r.status !== 'assigned') return;
    if (this.#current) return this.#decline(a, entry, 'busy');
    const accepted = await book.change(
      a.task.id,
      (x) => moved(x, 'accepted', this.#nowMs(), { reason: '' }),
      entry,
    );
    if (!accepted) return; // the service moved it on first (cancelled, reassigned): not ours
    const started = await this.#o.mission.start(a.task);
    if (!started.ok) return this.#decline(a, accepted, started.reason);
    this.#current = { assignment: a, run: started.run };
    this.#report(a, 'accepted', '', '');
    void started.run.started.then(() => this.#started(a));
    void started.run.finished.then((o) => this.#finished(a, o));
  }

  async #decline(a: Assignment, entry: BookEntry, reason: string): Promise<void> {
    await this.#book!.change(
      a.task.id,
      (x) => moved(x, 'queued', this.#nowMs(), { robot: null, reason: `declined_${reason}` }),
      entry,
    );
    this.#report(a, 'declined', '', reason);
  }

  #started(a: Assignment): void {
    if (this.#current?.assignment !== a) return;
    this.#later(async () => {
      await this.#book!.change(a.task.id, (x) =>
        mine(x, a) && x.status === 'accepted'
          ? moved(x, 'started', this.#nowMs(), { reason: '' })
          : undefined,
      );
    });
    this.#report(a, 'started', '', '');
  }

  #finished(a: Assignment, o: TaskOutcome): void {
    if (this.#current?.assignment === a) this.#current = undefined;
    const status = o.outcome === 'arrived' ? 'done' : HANDED_OVER.has(o.outcome) ? 'handed_over' : 'failed';
    this.#later(async () => {
      await this.#book!.change(a.task.id, (x) =>
        mine(x, a) && (x.status === 'accepted' || x.status === 'started')
          ? moved(x, status, this.#nowMs(), { outcome: o.outcome, reason: o.reason })
          : undefined,
      );
    });
    this.#report(a, status === 'done' ? 'done' : 'failed', o.outcome, o.reason);
  }

  /** The book says the task is no longer this robot's (cancelled, or reassigned while it was away). */
  async #checkRevoked(): Promise<void> {
    const current = this.#current;
    if (!current || !this.#book || !this.#o.link.connection) return;
    const entry = await this.#book.get(current.assignment.task.id).catch(() => undefined);
    if (!entry || mine(entry.record, current.assignment)) return;
    if (this.#current !== current) return;
    this.#current = undefined;
    this.#o.log.warn(
      `fleet: task ${current.assignment.task.id} is no longer ${this.#o.robot}'s (${entry.record.status}); stopping it`,
    );
    await current.run.cancel();
  }

  #report(a: Assignment, event: TaskReport['event'], outcome: string, reason: string): void {
    const report: TaskReport = {
      v: FLEET_SCHEMA_VERSION,
      task: a.task.id,
      robot: this.#o.robot,
      attempt: a.attempt,
      event,
      outcome,
      reason,
      pose: this.#o.watch.state(this.#o.node.now().nanoseconds, a.task.id).pose,
      stampMs: this.#nowMs(),
    };
    const bytes = encodeFleet('report', report);
    // The message id makes a report sent twice (a retry after a broker restart) stored once.
    const msgID = `${a.task.id}.${a.attempt}.${event}`;
    this.#later(async () => {
      const nc = this.#o.link.connection;
      if (!nc) throw new Error('not connected');
      await nc.jetstream().publish(SUBJECTS.report(this.#o.robot), bytes, { msgID });
    });
  }

  /** Runs `op` now if it can, else keeps it for the next tick on the broker (in order). */
  #later(op: () => Promise<void>): void {
    this.#outbox.push(op);
    void this.#flush();
  }

  #flushing = false;
  async #flush(): Promise<void> {
    if (this.#flushing || !this.#o.link.connection || !this.#book) return;
    this.#flushing = true;
    try {
      while (this.#outbox.length > 0) {
        await this.#outbox[0]!();
        this.#outbox.shift();
      }
    } catch {
      // The broker is away: the rest waits for the next tick.
    } finally {
      this.#flushing = false;
    }
  }

  #tellOnce(key: string, line: string): void {
    if (this.#told.has(key)) return;
    this.#told.add(key);
    this.#o.log.warn(line);
  }
}

function mine(record: { robot: string | null; attempt: number; status: string }, a: Assignment): boolean {
  return record.robot === a.robot && record.attempt === a.attempt && record.status !== 'cancelled';
}
