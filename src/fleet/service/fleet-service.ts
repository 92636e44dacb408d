/**
 * The fleet service (`fleet serve`): it provisions the broker, watches every robot's state, takes
 * new tasks off the FLEET_TASKS work queue, gives each to the best placed robot through the task
 * book and the robot's own FLEET_ASSIGN queue, follows the robots' reports, and when a robot
 * fails its task is given to another or its customer is handed over, and the operator is told.
 * It keeps no state of its own that matters: the book and the queues are in JetStream, so a
 * restarted service (or broker) goes on where it was.
 */
import { randomBytes } from 'node:crypto';
import { KvWatchInclude, type JsMsg, type NatsConnection, type Subscription } from 'nats';
import type { Site } from '../../map/index.js';
import { wallWait, type FleetLink, type FleetLog } from '../link.js';
import type {
  ControlResult,
  DispatchRequest,
  FleetActor,
  FleetChange,
  FleetControl,
  FleetSnapshot,
} from '../fleet-control.js';
import {
  decodeFleet,
  encodeFleet,
  FLEET_SCHEMA_VERSION,
  FleetMessageError,
  type AuditEntry,
  type RobotState,
  type Task,
  type TaskRecord,
  type TaskReport,
} from '../protocol.js';
import { provisionFleet } from '../provision.js';
import { BUCKETS, CONSUMERS, FLEET_ID, STREAMS, SUBJECTS } from '../subjects.js';
import { FINAL_STATUSES, moved, queuedRecord, TaskBook, type BookEntry } from '../task-book.js';
import { AlertBook } from './alert-book.js';
import { allocate, meetingPoint } from './allocator.js';
import { routeDistances, type SiteDistances } from './site-distances.js';
import { RobotRoll } from './robot-roll.js';

export interface FleetServiceOptions {
  link: FleetLink;
  sites: readonly Site[];
  /** The robots the fleet knows (from the credentials' roster): each gets its work queue. */
  roster: readonly { robot: string; site: string }[];
  log: FleetLog;
  /** The service's clock, ms (wall time: liveness and records; injected for tests). */
  now: () => number;
  vanishedAfterMs?: number;
  /** Waits ms on the wall clock before trying the broker again (injected for tests). */
  wait?: (ms: number) => Promise<void>;
}

/** Between attempts at what the broker did not answer (a slow or restarting broker), ms. */
const RETRY_MS = 1000;

const RECENT_FINISHED = 50;

export class FleetService implements FleetControl {
  readonly #o: FleetServiceOptions;
  readonly #roll: RobotRoll;
  readonly #alerts: AlertBook;
  readonly #listeners = new Set<(c: FleetChange) => void>();
  readonly #tasks = new Map<string, TaskRecord>();
  /** Robots that declined a task, not asked again for it. */
  readonly #declined = new Map<string, Set<string>>();
  readonly #sites: Map<string, Site>;
  /** How far robots drive on each site, by site id (route lengths, made once per site). */
  readonly #distances: Map<string, SiteDistances>;
  #book: TaskBook | undefined;
  #subs: Subscription[] = [];
  /** Resolves once the service has provisioned the broker and taken up its queues. */
  readonly #started: Promise<void>;
  #markStarted: () => void = () => {};
  #startedOn: NatsConnection | undefined;

  constructor(options: FleetServiceOptions) {
    this.#o = options;
    this.#started = new Promise((resolve) => (this.#markStarted = resolve));
    this.#sites = new Map(options.sites.map((s) => [s.id, s]));
    this.#distances = new Map(options.sites.map((s) => [s.id, routeDistances(s)]));
    this.#searchRoutesAhead();
    this.#roll = new RobotRoll(options.roster, options.vanishedAfterMs);
    this.#alerts = new AlertBook((alert) => this.#emit({ kind: 'alert', alert }));
    options.link.onStatus((status, nc) => {
      this.#emit({ kind: 'broker', broker: status === 'connected' ? 'connected' : 'disconnected' });
      if (status === 'connected' && nc) this.#startOn(nc);
    });
    const nc = options.link.connection;
    if (nc) this.#startOn(nc);
  }

  /**
   * Searches the routes to every place of every site in the background, one place per turn of
   * the event loop (tens of ms each), so that no dispatch waits for its first search.
   */
  #searchRoutesAhead(): void {
    const places = [...this.#sites.values()].flatMap((site) =>
      ['dock', ...site.destinations.map((d) => d.id)].map((id) => ({ site, id })),
    );
    const next = () => {
      const place = places.shift();
      if (!place || this.#closed()) return;
      this.#distances.get(place.site.id)!.toPlace(place.id, place.site.dock);
      setImmediate(next);
    };
    setImmediate(next);
  }

  /** Once per connection: nats.js keeps its subscriptions and consumers across reconnects. */
  #startOn(nc: NatsConnection): void {
    if (this.#startedOn === nc) return;
    this.#startedOn = nc;
    // #start says each failure itself and tries again until it works (or the link closes).
    void this.#start(nc).then(() => this.#markStarted());
  }

  /** Resolves once the service has provisioned the broker and taken up its queues. */
  ready(): Promise<void> {
    return this.#started;
  }

  /** Provisions and takes up the queues, tried again until the broker answers (or the link closes). */
  async #start(nc: NatsConnection): Promise<void> {
    for (;;) {
      try {
        return await this.#startOnce(nc);
      } catch (e) {
        if (this.#closed()) return;
        this.#tellOnce('start', `fleet: cannot start on the broker yet (${errorText(e)}); trying again`);
        await this.#wait(RETRY_MS);
      }
    }
  }

  async #startOnce(nc: NatsConnection): Promise<void> {
    await provisionFleet(
      nc,
      this.#o.roster.map((r) => r.robot),
    );
    this.#book = await TaskBook.open(nc, false);
    for (const e of await this.#book.openTasks()) this.#keep(e.record);
    for (const s of this.#subs) s.unsubscribe();
    this.#subs = [
      nc.subscribe(SUBJECTS.stateAll, { callback: (err, m) => !err && this.#onState(m.subject, m.data) }),
    ];
    this.#relayDesks(nc);
    this.#drain(nc, STREAMS.tasks, CONSUMERS.allocator, (m) => this.#onTask(m));
    this.#drain(nc, STREAMS.reports, CONSUMERS.reports, (m) => this.#onReport(m));
    for (const record of this.#tasks.values())
      if (record.status === 'queued') await this.#allocate(record.task.id);
  }

  /** Takes a queue's messages one by one, for as long as the link lives. */
  #drain(nc: NatsConnection, stream: string, durable: string, handle: (m: JsMsg) => Promise<void>): void {
    this.#keepGoing(`take ${stream}`, () => this.#consume(nc, stream, durable, handle));
  }

  /**
   * Runs `work` for as long as the link lives (nats.js keeps subscriptions and consumers across
   * reconnects); when it fails or ends (a broker too slow to answer, a consumer not there yet) it
   * is said once and tried again.
   */
  #keepGoing(what: string, work: () => Promise<void>): void {
    void (async () => {
      while (!this.#closed()) {
        try {
          await work();
        } catch (e) {
          if (this.#closed()) return;
          this.#tellOnce(what, `fleet: cannot ${what} yet (${errorText(e)}); trying again`);
        }
        await this.#wait(RETRY_MS);
      }
    })();
  }

  #closed(): boolean {
    return this.#o.link.status === 'closed';
  }

  async #consume(
    nc: NatsConnection,
    stream: string,
    durable: string,
    handle: (m: JsMsg) => Promise<void>,
  ): Promise<void> {
    const consumer = await nc.jetstream().consumers.get(stream, durable);
    for await (const m of await consumer.consume({ max_messages: 16 })) {
      try {
        await handle(m);
      } catch (e) {
        // Not acknowledged: JetStream gives it again after the ack wait (a broker gone mid-way).
        this.#o.log.warn(`fleet: ${stream} message not done yet: ${errorText(e)}`);
      }
    }
  }

  /**
   * Desk statuses from the bucket to the site's robots, as they change (robots may not watch the
   * bucket themselves: a watcher is a consumer, and a robot may make none). An empty message is
   * a status cleared.
   */
  #relayDesks(nc: NatsConnection): void {
    this.#keepGoing('relay desk statuses', async () => {
      // Made by provisioning just before; bound here (a watch is this service's own consumer).
      const kv = await nc.jetstream().views.kv(BUCKETS.desks, { bindOnly: true });
      for await (const e of await kv.watch({ include: KvWatchInclude.UpdatesOnly })) {
        const [site, desk] = e.key.split('.');
        if (!site || !desk || !FLEET_ID.test(site) || !FLEET_ID.test(desk)) continue;
        nc.publish(SUBJECTS.desk(site, desk), e.operation === 'PUT' ? e.value : new Uint8Array());
      }
    });
  }

  // ---- robots ------------------------------------------------------------------------------

  #onState(subject: string, data: Uint8Array): void {
    let state: RobotState;
    try {
      state = decodeFleet('state', data, subject);
    } catch (e) {
      return this.#badMessage(subject, e);
    }
    if (subject !== SUBJECTS.state(state.site, state.robot))
      return this.#badMessage(subject, new Error('robot or site differs from the subject'));
    const now = this.#o.now();
    const heard = this.#roll.heard(state, now);
    if (heard === 'old') return;
    if (heard === 'back') {
      this.#alerts.condition(false, 'vanished', state, '', now);
      this.#audit('robot_back', state.site, state.robot, null, '', 'fleet');
    }
    this.#stateAlerts(state, now);
    this.#emit({ kind: 'robot', robot: this.#roll.get(state.robot)! });
    if (state.available) void this.#allocateWaiting(state.site);
  }

  #stateAlerts(s: RobotState, now: number): void {
    const where = { site: s.site, robot: s.robot };
    const say = (on: boolean, code: Parameters<AlertBook['condition']>[1], text: string) =>
      this.#alerts.condition(on, code, where, text, now);
    say(
      s.mission.state === 'battery_critical',
      'battery_critical',
      `${s.robot}: battery critical; it stopped where it is and needs staff`,
    );
    say(
      s.localization === 'lost',
      'localization_lost',
      `${s.robot}: not sure where it is; it is standing still`,
    );
    say(s.estop, 'estop', `${s.robot}: e-stop latched; an operator must release it`);
    say(
      s.faults.some((f) => f.endsWith(':error')),
      'fault',
      `${s.robot}: a fault (${s.faults.join(', ').slice(0, 120)})`,
    );
  }

  /** Robots silent too long: told, and their tasks given to others. Call about once a second. */
  async sweep(): Promise<void> {
    const now = this.#o.now();
    for (const gone of this.#roll.sweep(now)) {
      this.#alerts.condition(
        true,
        'vanished',
        gone,
        `${gone.robot}: not heard from for ${((now - gone.lastSeenMs) / 1000).toFixed(0)} s`,
        now,
      );
      this.#emit({ kind: 'robot', robot: gone });
      this.#audit('robot_vanished', gone.site, gone.robot, null, '', 'fleet');
      for (const record of [...this.#tasks.values()]) {
        if (record.robot === gone.robot && !FINAL_STATUSES.has(record.status))
          await this.#reassign(record.task.id, 'robot_vanished');
      }
    }
  }

  // ---- tasks -------------------------------------------------------------------------------

  async #onTask(m: JsMsg): Promise<void> {
    let task: Task;
    try {
      task = decodeFleet('task', m.data, m.subject);
    } catch (e) {
      m.term();
      return this.#badMessage(m.subject, e);
    }
    const site = this.#sites.get(task.site);
    const unknown = !site
      ? 'unknown_site'
      : !knownPlace(site, task.destination) || (task.meet && !knownPlace(site, task.meet))
        ? 'unknown_destination'
        : '';
    const now = this.#o.now();
    const first = queuedRecord(task, now);
    const record = unknown ? moved(first, 'failed', now, { reason: unknown }) : first;
    if (await this.#book!.create(record)) this.#keep(record);
    m.ack();
    if (unknown)
      this.#alerts.add(
        'task_unassigned',
        { site: task.site, task: task.id },
        `task ${task.id}: ${unknown.replace('_', ' ')} (${task.destination})`,
        now,
      );
    else await this.#allocate(task.id);
  }

  /** Gives a queued task to the best placed robot; leaves it queued (and says so) when none can. */
  async #allocate(id: string): Promise<void> {
    const entry = await this.#book!.get(id);
    if (!entry || entry.record.status !== 'queued') return;
    const { task } = entry.record;
    const site = this.#sites.get(task.site)!;
    const candidates = this.#roll
      .all()
      .map((r) => ({ robot: r.robot, site: r.site, online: r.status === 'online', state: r.state }));
    const choice = allocate(task, site, candidates, {
      excluded: this.#declined.get(id),
      distances: this.#distances.get(site.id),
    });
    const now = this.#o.now();
    if (!choice.ok) {
      this.#alerts.condition(
        true,
        'task_unassigned',
        { site: task.site, robot: `task:${id}` },
        `task ${id} to ${task.destination} waits: ${choice.reason.replaceAll('_', ' ')}`,
        now,
      );
      return;
    }
    const robot = choice.best.robot;
    const attempt = entry.record.attempt + 1;
    const assigned = await this.#book!.change(
      id,
      (r) =>
        r.status === 'queued'
          ? moved(r, 'assigned', now, { robot, attempt, reason: `cost ${choice.best.costS} s` })
          : undefined,
      entry,
    );
    if (!assigned) return;
    this.#alerts.condition(false, 'task_unassigned', { site: task.site, robot: `task:${id}` }, '', now);
    this.#keep(assigned.record);
    const assignment = { v: FLEET_SCHEMA_VERSION, task, robot, attempt, assignedMs: now } as const;
    await this.#o.link
      .connection!.jetstream()
      .publish(SUBJECTS.assign(robot), encodeFleet('assignment', assignment), { msgID: `${id}.${attempt}` });
  }

  async #allocateWaiting(site: string): Promise<void> {
    for (const r of [...this.#tasks.values()])
      if (r.status === 'queued' && r.task.site === site) await this.#allocate(r.task.id);
  }

  /** A failed robot's task: queued again for another robot (meeting the customer near where it stopped). */
  async #reassign(id: string, reason: string): Promise<void> {
    const entry = await this.#book!.get(id);
    if (!entry || FINAL_STATUSES.has(entry.record.status)) return;
    const from = entry.record.robot;
    const site = this.#sites.get(entry.record.task.site)!;
    const lastPose = from ? this.#roll.get(from)?.state?.pose : null;
    const underWay = entry.record.status === 'started' && entry.record.task.kind === 'escort';
    const task =
      underWay && lastPose
        ? { ...entry.record.task, meet: meetingPoint(site, lastPose, this.#distances.get(site.id)) }
        : entry.record.task;
    const now = this.#o.now();
    const queued = await this.#book!.change(
      id,
      (r) =>
        r.robot === from && !FINAL_STATUSES.has(r.status)
          ? moved(r, 'queued', now, { robot: null, reason, task })
          : undefined,
      entry,
    );
    if (!queued) return;
    this.#keep(queued.record);
    const meet = underWay ? `; the customer is met at ${task.meet}` : '';
    this.#alerts.add(
      'task_reassigned',
      { site: task.site, robot: from, task: id },
      `${from}: ${reason.replaceAll('_', ' ')}; task ${id} to ${task.destination} goes to another robot${meet}`,
      now,
    );
    this.#audit('reassign', task.site, from, id, reason, 'fleet');
    await this.#allocate(id);
  }

  async #onReport(m: JsMsg): Promise<void> {
    let report: TaskReport;
    try {
      report = decodeFleet('report', m.data, m.subject);
    } catch (e) {
      m.term();
      return this.#badMessage(m.subject, e);
    }
    if (m.subject !== SUBJECTS.report(report.robot)) {
      m.term();
      return this.#badMessage(m.subject, new Error('robot differs from the subject'));
    }
    const entry = await this.#book!.get(report.task);
    m.ack();
    if (!entry) return;
    this.#keep(entry.record);
    await this.#followReport(report, entry);
  }

  async #followReport(report: TaskReport, entry: BookEntry): Promise<void> {
    const { task } = entry.record;
    const now = this.#o.now();
    const where = { site: task.site, robot: report.robot, task: task.id };
    if (report.event === 'declined') {
      const set = this.#declined.get(task.id) ?? new Set<string>();
      this.#declined.set(task.id, set.add(report.robot));
      await this.#allocate(task.id);
    } else if (report.event === 'failed' && report.reason === 'robot_restarted') {
      await this.#reassign(task.id, 'robot_restarted');
    } else if (report.event === 'failed' && entry.record.status === 'handed_over') {
      this.#alerts.add(
        'handed_over',
        where,
        `${report.robot}: customer handed over with directions to ${task.destination} (${report.reason || report.outcome})`,
        now,
      );
    } else if (report.event === 'failed') {
      this.#alerts.add(
        'task_unassigned',
        where,
        `${report.robot}: task to ${task.destination} ended ${report.outcome} (${report.reason})`,
        now,
      );
    }
  }

  // ---- the operator's buttons ---------------------------------------------------------------

  async dispatch(request: DispatchRequest, actor: FleetActor): Promise<ControlResult<TaskRecord>> {
    const site = this.#sites.get(request.site);
    if (!site) return { ok: false, code: 'unknown_site', message: `no site '${request.site}' in this fleet` };
    if (!knownPlace(site, request.destination))
      return {
        ok: false,
        code: 'unknown_destination',
        message: `no destination '${request.destination}' at ${site.id}`,
      };
    if (request.meet && !knownPlace(site, request.meet))
      return {
        ok: false,
        code: 'unknown_destination',
        message: `no meeting point '${request.meet}' at ${site.id}`,
      };
    const nc = this.#o.link.connection;
    if (!nc)
      return {
        ok: false,
        code: 'broker_unavailable',
        message: 'the fleet broker is not reachable now; nothing was sent',
      };
    const now = this.#o.now();
    const task: Task = {
      v: FLEET_SCHEMA_VERSION,
      id: randomBytes(12).toString('base64url'),
      site: site.id,
      kind: request.kind,
      destination: request.destination,
      language: '',
      plain: false,
      origin: 'operator',
      createdMs: now,
      ...(request.meet ? { meet: request.meet } : {}),
      ...(request.robot ? { robot: request.robot } : {}),
    };
    await nc.jetstream().publish(SUBJECTS.taskNew(site.id), encodeFleet('task', task), { msgID: task.id });
    this.#audit(
      'dispatch',
      site.id,
      request.robot ?? null,
      task.id,
      `${request.kind} ${request.destination}`,
      actor.user,
    );
    const record = queuedRecord(task, now);
    return { ok: true, value: record };
  }

  async cancel(taskId: string, actor: FleetActor): Promise<ControlResult<TaskRecord>> {
    if (!this.#book || !this.#o.link.connection)
      return { ok: false, code: 'broker_unavailable', message: 'the fleet broker is not reachable now' };
    const now = this.#o.now();
    const done = await this.#book.change(taskId, (r) =>
      FINAL_STATUSES.has(r.status) ? undefined : moved(r, 'cancelled', now, { reason: 'cancelled' }),
    );
    if (!done)
      return {
        ok: false,
        code: 'not_open',
        message: `task ${taskId} is not open (finished, unknown, or changed at this moment: try again)`,
      };
    this.#keep(done.record);
    this.#audit('cancel', done.record.task.site, done.record.robot, taskId, '', actor.user);
    return { ok: true, value: done.record };
  }

  // ---- the view --------------------------------------------------------------------------

  snapshot(): FleetSnapshot {
    const sites = [...this.#sites.values()].map((s) => ({
      id: s.id,
      name: s.name,
      destinations: s.destinations.map((d) => ({ id: d.id, name: d.name.en ?? d.id })),
    }));
    const tasks = [...this.#tasks.values()].sort((a, b) => a.task.createdMs - b.task.createdMs);
    return {
      broker: this.#o.link.connection ? 'connected' : 'disconnected',
      sites,
      robots: this.#roll.all(),
      tasks,
      alerts: this.#alerts.all(),
    };
  }

  subscribe(listener: (change: FleetChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A task as last read from the book (tests and the console). */
  task(id: string): TaskRecord | undefined {
    return this.#tasks.get(id);
  }

  /** Reads every task again from the book (the robots change their own records). */
  async refresh(id: string): Promise<TaskRecord | undefined> {
    const e = await this.#book?.get(id);
    if (e) this.#keep(e.record);
    return e?.record;
  }

  stop(): void {
    for (const s of this.#subs) s.unsubscribe();
    this.#subs = [];
  }

  #keep(record: TaskRecord): void {
    this.#tasks.set(record.task.id, record);
    const finished = [...this.#tasks.values()].filter((r) => FINAL_STATUSES.has(r.status));
    for (const old of finished.slice(0, Math.max(0, finished.length - RECENT_FINISHED)))
      this.#tasks.delete(old.task.id);
    this.#emit({ kind: 'task', task: record });
  }

  #emit(change: FleetChange): void {
    for (const l of this.#listeners) l(change);
  }

  #audit(
    action: AuditEntry['action'],
    site: string,
    robot: string | null,
    task: string | null,
    detail: string,
    actor: string,
  ): void {
    const entry: AuditEntry = {
      v: FLEET_SCHEMA_VERSION,
      atMs: this.#o.now(),
      actor,
      action,
      site,
      robot,
      task,
      detail,
    };
    void this.#o.link.connection
      ?.jetstream()
      .publish(SUBJECTS.audit(site), encodeFleet('audit', entry))
      .catch((e) => this.#o.log.error(`fleet: audit not kept: ${String(e).slice(0, 160)}`));
  }

  #wait(ms: number): Promise<void> {
    return (this.#o.wait ?? ((t: number) => wallWait(t, new AbortController().signal)))(ms);
  }

  readonly #told = new Set<string>();
  #tellOnce(key: string, line: string): void {
    if (this.#told.has(key)) return;
    this.#told.add(key);
    this.#o.log.warn(line);
  }

  readonly #badTold = new Set<string>();
  #badMessage(subject: string, e: unknown): void {
    const kind = e instanceof FleetMessageError ? e.kind : 'schema';
    const key = `${subject}/${kind}`;
    if (this.#badTold.has(key)) return;
    this.#badTold.add(key);
    const text = `refused a message on ${subject}: ${(e as Error).message}`.slice(0, 300);
    this.#o.log.warn(`fleet: ${text}`);
    this.#alerts.add('bad_message', { site: subject.split('.')[2] ?? '' }, text, this.#o.now());
  }
}

function errorText(e: unknown): string {
  return String((e as Error).message ?? e).slice(0, 200);
}

function knownPlace(site: Site, id: string): boolean {
  return id === 'dock' || site.destinations.some((d) => d.id === id);
}
