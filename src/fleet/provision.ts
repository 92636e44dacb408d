/**
 * The fleet's streams, buckets and consumers, made (or brought up to date) by the fleet service at
 * start: idempotent, so a restarted service or broker finds what it left. Work queues keep a task
 * until one consumer acknowledges it; the audit stream keeps every operator action for a year.
 */
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type NatsConnection,
  type StreamConfig,
} from 'nats';
import { BUCKETS, CONSUMERS, STREAMS, SUBJECTS } from './subjects.js';

/** A kiosk or operator resending the same task within this window is stored once (Nats-Msg-Id). */
export const TASK_DUPLICATE_WINDOW_MS = 2 * 60_000;
/** Unacknowledged work is delivered again after this long (a consumer died holding it). */
export const ACK_WAIT_MS = 30_000;
const AUDIT_KEEP_MS = 400 * 24 * 3600_000;
const ns = (ms: number) => ms * 1_000_000;

function streamConfigs(): Partial<StreamConfig>[] {
  const queue = (name: string, subject: string): Partial<StreamConfig> => ({
    name,
    subjects: [subject],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
    discard: DiscardPolicy.New,
    max_msgs: 100_000,
    duplicate_window: ns(TASK_DUPLICATE_WINDOW_MS),
  });
  return [
    queue(STREAMS.tasks, SUBJECTS.taskNewAll),
    queue(STREAMS.assign, SUBJECTS.assignAll),
    queue(STREAMS.reports, SUBJECTS.reportAll),
    {
      name: STREAMS.audit,
      subjects: [SUBJECTS.auditAll],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      max_age: ns(AUDIT_KEEP_MS),
    },
  ];
}

/** Makes every stream, bucket and the service's consumers, and one consumer per robot named. */
export async function provisionFleet(nc: NatsConnection, robots: readonly string[]): Promise<void> {
  const jsm = await nc.jetstreamManager();
  for (const config of streamConfigs()) await upsertStream(jsm, config);
  const js = nc.jetstream();
  await js.views.kv(BUCKETS.tasks, { history: 1, storage: StorageType.File });
  await js.views.kv(BUCKETS.desks, { history: 1, storage: StorageType.File });
  await durable(jsm, STREAMS.tasks, CONSUMERS.allocator, SUBJECTS.taskNewAll);
  await durable(jsm, STREAMS.reports, CONSUMERS.reports, SUBJECTS.reportAll);
  for (const robot of robots) await provisionRobot(jsm, robot);
}

/** A robot's own durable consumer on its assignments (only it may pull from it). */
export async function provisionRobot(jsm: JetStreamManager, robot: string): Promise<void> {
  await durable(jsm, STREAMS.assign, CONSUMERS.robot(robot), SUBJECTS.assign(robot));
}

async function upsertStream(jsm: JetStreamManager, config: Partial<StreamConfig>): Promise<void> {
  const name = config.name!;
  try {
    await jsm.streams.info(name);
    await jsm.streams.update(name, config);
  } catch (e) {
    if (!isNotFound(e)) throw e;
    await jsm.streams.add(config);
  }
}

async function durable(jsm: JetStreamManager, stream: string, name: string, filter: string): Promise<void> {
  await jsm.consumers.add(stream, {
    durable_name: name,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: filter,
    ack_wait: ns(ACK_WAIT_MS),
    max_deliver: -1,
  });
}

function isNotFound(e: unknown): boolean {
  return /not found/i.test(String((e as Error).message ?? e));
}
