/**
 * What each identity may publish and subscribe to on the broker: allow-lists, least privilege,
 * every entry found by experiment against nats-server 2.9 with nats.js 2.29 (credentials.test.ts
 * exercises each one, and the things a robot must not do). The subjects are the contract's
 * (subjects.ts); the JetStream API subjects are the ones nats.js really sends.
 *
 * Two rules shape the robot's list. No robot may create a consumer: a consumer's deliver subject
 * is in the request body, where no permission can reach, and nats-server 2.9 delivers to it
 * without checking the creator's publish rights, so a robot allowed to create even a KV watcher
 * could inject bytes it wrote into `fleet.assign.*` or forge another robot's state (proven in the
 * tests). Hence `robotDeskWatch` is off unless asked for. And every client gets its own inbox
 * prefix: a robot subscribed to `_INBOX.>` would read every answer the broker sends the fleet
 * service (every new task of every site).
 */
import { BUCKETS, CONSUMERS, STREAMS, SUBJECTS } from '../subjects.js';
import type { FleetIdentity } from './roster.js';

export interface Permissions {
  publish: { allow: string[]; deny?: string[] };
  subscribe: { allow: string[]; deny?: string[] };
}

export interface PermissionOptions {
  /**
   * Lets robots watch their site's desk keys with nats.js kv.watch() (an ordered push consumer on
   * KV_fleet_desks). Off by default: see above; a robot could then inject into any subject.
   */
  robotDeskWatch?: boolean;
}

/** A client's inbox prefix: its own, from its public key, so no other client may listen to it. */
export function inboxPrefixFor(publicKey: string): string {
  return `_INBOX_${publicKey}`;
}

const kvStream = (bucket: string) => `KV_${bucket}`;
const API = '$JS.API';

/** Nothing a robot or kiosk is ever given, whatever the allow-list grows into. */
const NEVER = [
  'fleet.assign.>',
  'fleet.audit.>',
  'fleet.desks.>',
  ...['CREATE', 'UPDATE', 'DELETE', 'PURGE', 'MSG.DELETE', 'SNAPSHOT', 'RESTORE'].map(
    (op) => `${API}.STREAM.${op}.>`,
  ),
  `${API}.CONSUMER.DELETE.>`,
];

export function permissionsFor(identity: FleetIdentity, options: PermissionOptions = {}): Permissions {
  if (identity.kind === 'service') return { publish: { allow: ['>'] }, subscribe: { allow: ['>'] } };
  const inbox = { allow: [`${inboxPrefixFor(identity.publicKey)}.>`] };
  if (identity.kind === 'kiosk')
    return { publish: { allow: [SUBJECTS.taskNew(identity.site)], deny: NEVER }, subscribe: inbox };
  const publish = robotPublish(identity.id, identity.site, options);
  // Its site's desk statuses as the service relays them: listening only (publishing is denied).
  const subscribe = { allow: [...inbox.allow, SUBJECTS.desks(identity.site)] };
  return { publish: { allow: publish, deny: robotDeny(options) }, subscribe };
}

function robotPublish(robot: string, site: string, options: PermissionOptions): string[] {
  const tasks = kvStream(BUCKETS.tasks);
  const desks = kvStream(BUCKETS.desks);
  const own = `${STREAMS.assign}.${CONSUMERS.robot(robot)}`;
  return [
    SUBJECTS.state(site, robot),
    SUBJECTS.taskNew(site),
    SUBJECTS.report(robot),
    // The task book: it compare-and-sets its task's record (keys are task ids, not per site).
    `$KV.${BUCKETS.tasks}.>`,
    `$KV.${BUCKETS.desks}.${site}.>`,
    // Its own durable consumer on its assignments, made by the fleet service: info, pull, ack.
    `${API}.CONSUMER.INFO.${own}`,
    `${API}.CONSUMER.MSG.NEXT.${own}`,
    `$JS.ACK.${own}.>`,
    // Binding to the buckets (views.kv bindOnly) and reading them: kv.get asks STREAM.MSG.GET
    // when bound only, DIRECT.GET when the bucket's info was read (allow_direct).
    `${API}.INFO`,
    ...[tasks, desks, STREAMS.assign].map((s) => `${API}.STREAM.INFO.${s}`),
    ...[tasks, desks].flatMap((s) => [
      `${API}.STREAM.MSG.GET.${s}`,
      `${API}.DIRECT.GET.${s}`,
      `${API}.DIRECT.GET.${s}.>`,
    ]),
    ...(options.robotDeskWatch ? deskWatch(site) : []),
  ];
}

/** kv.watch({ key: '<site>.>' }): the named create nats.js sends to a 2.9 server, the legacy one of an ordered reset, flow control. */
function deskWatch(site: string): string[] {
  const desks = kvStream(BUCKETS.desks);
  return [
    `${API}.CONSUMER.CREATE.${desks}.*.$KV.${BUCKETS.desks}.${site}.>`,
    `${API}.CONSUMER.CREATE.${desks}`,
    `$JS.FC.${desks}.>`,
  ];
}

/** Making or changing any consumer (the deliver-subject hole), but a desk watcher when asked for. */
function robotDeny(options: PermissionOptions): string[] {
  const create = options.robotDeskWatch
    ? [`${API}.CONSUMER.CREATE.${STREAMS.assign}`, `${API}.CONSUMER.CREATE.${STREAMS.assign}.>`]
    : [`${API}.CONSUMER.CREATE.>`];
  return [...NEVER, ...create, `${API}.CONSUMER.DURABLE.>`];
}
