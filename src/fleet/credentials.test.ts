/**
 * The broker's permissions, tried on a real nats-server 2.9 with real nats.js clients: each thing
 * a robot needs works with its own credentials, and what only the fleet service may do is refused
 * by the server itself (and leaves nothing in the streams). No assertion depends on timing: each
 * waits for the server's answer.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, nkeys, nkeyAuthenticator, StringCodec, type NatsConnection } from 'nats';
import {
  addIdentity,
  fleetAuthenticator,
  natsServerConfig,
  readRoster,
  seedFile,
  type NatsConfigOptions,
} from './credentials.js';
import { provisionFleet } from './provision.js';
import { BUCKETS, CONSUMERS, STREAMS, SUBJECTS } from './subjects.js';
import { startTestNats, type TestNatsServer } from './test-server.js';

const sc = StringCodec();
let dir: string;

interface Broker {
  server: TestNatsServer;
  service: NatsConnection;
  open: NatsConnection[];
}

async function startBroker(options: NatsConfigOptions = {}): Promise<Broker> {
  const server = await startTestNats({ config: natsServerConfig(readRoster(dir), options) });
  const broker: Broker = { server, service: undefined as unknown as NatsConnection, open: [] };
  broker.service = await connectAs(broker, 'fleet');
  await provisionFleet(broker.service, ['r1', 'r2']);
  return broker;
}

async function connectAs(broker: Broker, id: string): Promise<NatsConnection> {
  const { authenticator, inboxPrefix } = fleetAuthenticator(seedFile(dir, id));
  const nc = await connect({
    servers: broker.server.url,
    name: id,
    authenticator,
    inboxPrefix,
    reconnect: false,
  });
  broker.open.push(nc);
  return nc;
}

async function stopBroker(broker: Broker | undefined): Promise<void> {
  if (!broker) return;
  for (const nc of broker.open) await nc.close();
  await broker.server.dispose();
}

/** The message count of a stream, as the fleet service sees it. */
async function count(broker: Broker, stream: string): Promise<number> {
  return (await (await broker.service.jetstreamManager()).streams.info(stream)).state.messages;
}

beforeAll(() => {
  dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'medhjalparen-keys-')), 'fleet-keys');
  addIdentity(dir, { kind: 'service' });
  addIdentity(dir, { kind: 'robot', id: 'r1', site: 's1' });
  addIdentity(dir, { kind: 'robot', id: 'r2', site: 's1' });
  addIdentity(dir, { kind: 'kiosk', id: 'k1', site: 's1' });
});
afterAll(() => rmSync(path.dirname(dir), { recursive: true, force: true }));

describe('a robot with its own credentials', () => {
  let b: Broker;
  beforeAll(async () => {
    b = await startBroker();
  });
  afterAll(() => stopBroker(b));

  it('publishes its state', async () => {
    const seen = b.service.subscribe(SUBJECTS.stateAll, { max: 1 });
    await b.service.flush();
    const robot = await connectAs(b, 'r1');
    robot.publish(SUBJECTS.state('s1', 'r1'), sc.encode('state'));
    for await (const m of seen) expect(m.subject).toBe('fleet.state.s1.r1');
  });

  it('publishes a task for its site and gets the JetStream ack', async () => {
    const robot = await connectAs(b, 'r1');
    const ack = await robot.jetstream().publish(SUBJECTS.taskNew('s1'), sc.encode('task'), { msgID: 't-1' });
    expect(ack.stream).toBe(STREAMS.tasks);
  });

  it('pulls one assignment from its own consumer and acks it', async () => {
    await b.service.jetstream().publish(SUBJECTS.assign('r1'), sc.encode('work'));
    const robot = await connectAs(b, 'r1');
    const consumer = await robot.jetstream().consumers.get(STREAMS.assign, CONSUMERS.robot('r1'));
    const m = await consumer.next({ expires: 30_000 });
    expect(m && sc.decode(m.data)).toBe('work');
    expect(await m!.ackAck()).toBe(true);
    expect(await count(b, STREAMS.assign)).toBe(0); // a work queue: acked is gone
  });

  it('reads and writes its site desk keys, and compare-and-sets a task record', async () => {
    const robot = await connectAs(b, 'r1');
    const desks = await robot.jetstream().views.kv(BUCKETS.desks, { bindOnly: true });
    await desks.put('s1.d1', sc.encode('open'));
    expect(sc.decode((await desks.get('s1.d1'))!.value)).toBe('open');
    const tasks = await robot.jetstream().views.kv(BUCKETS.tasks, { bindOnly: true });
    const first = await b.service.jetstream().views.kv(BUCKETS.tasks);
    const revision = await first.create('task-1', sc.encode('assigned'));
    expect(await tasks.update('task-1', sc.encode('accepted'), revision)).toBeGreaterThan(revision);
    await expect(tasks.update('task-1', sc.encode('again'), revision)).rejects.toThrow(/wrong last sequence/);
  });
});

describe('what only the fleet service may do, a robot may not', () => {
  let b: Broker;
  beforeAll(async () => {
    b = await startBroker();
  });
  afterAll(() => stopBroker(b));

  it('publish an assignment: the server refuses and nothing lands in FLEET_ASSIGN', async () => {
    const robot = await connectAs(b, 'r1');
    const refused = robot.jetstream().publish(SUBJECTS.assign('r2'), sc.encode('forged'));
    await expect(refused).rejects.toThrow(/Permissions Violation for Publish to "fleet.assign.r2"/);
    expect(await count(b, STREAMS.assign)).toBe(0);
  });

  it("publish another robot's state or reports", async () => {
    const seen: string[] = [];
    b.service.subscribe('fleet.>', { callback: (_e, m) => seen.push(m.subject) });
    await b.service.flush();
    const robot = await connectAs(b, 'r1');
    const errors = statusErrors(robot);
    robot.publish(SUBJECTS.state('s1', 'r2'), sc.encode('forged'));
    robot.publish(SUBJECTS.state('s2', 'r1'), sc.encode('elsewhere'));
    await expect(robot.jetstream().publish(SUBJECTS.report('r2'), sc.encode('forged'))).rejects.toThrow(
      /Permissions Violation/,
    );
    // Its own state after them: when it arrives, the refused ones would have (one connection keeps order).
    const own = b.service.subscribe(SUBJECTS.state('s1', 'r1'), { max: 1 });
    await b.service.flush();
    robot.publish(SUBJECTS.state('s1', 'r1'), sc.encode('own'));
    for await (const m of own) void m;
    expect(seen.filter((s) => s.startsWith('fleet.state') || s.startsWith('fleet.report'))).toEqual([
      'fleet.state.s1.r1',
    ]);
    // nats.js hands a publish's -ERR to the status stream by code alone; the server did answer it.
    expect(errors.filter((e) => e === 'PERMISSIONS_VIOLATION').length).toBeGreaterThanOrEqual(2);
    expect(await count(b, STREAMS.reports)).toBe(0);
  });

  it("pull robot-r2's consumer, or make one of its own", async () => {
    await b.service.jetstream().publish(SUBJECTS.assign('r2'), sc.encode('for r2'));
    const robot = await connectAs(b, 'r1');
    const js = robot.jetstream();
    await expect(js.consumers.get(STREAMS.assign, CONSUMERS.robot('r2'))).rejects.toThrow(
      /Permissions Violation/,
    );
    await expect(
      robot.request(
        `$JS.API.CONSUMER.MSG.NEXT.${STREAMS.assign}.${CONSUMERS.robot('r2')}`,
        sc.encode('{"batch":1}'),
      ),
    ).rejects.toThrow(/Permissions Violation/);
    const jsm = await robot.jetstreamManager();
    const steal = { durable_name: 'steal', filter_subject: SUBJECTS.assign('r2') };
    await expect(jsm.consumers.add(STREAMS.assign, steal)).rejects.toThrow(/Permissions Violation/);
    await expect(jsm.consumers.delete(STREAMS.assign, CONSUMERS.robot('r2'))).rejects.toThrow(
      /Permissions Violation/,
    );
    expect(await count(b, STREAMS.assign)).toBe(1); // still there for r2
  });

  it('delete, purge or change a stream, or watch a bucket', async () => {
    const robot = await connectAs(b, 'r1');
    const jsm = await robot.jetstreamManager();
    await expect(jsm.streams.delete(STREAMS.tasks)).rejects.toThrow(/Permissions Violation/);
    await expect(jsm.streams.purge(STREAMS.assign)).rejects.toThrow(/Permissions Violation/);
    await expect(jsm.streams.add({ name: 'MINE', subjects: ['mine.>'] })).rejects.toThrow(
      /Permissions Violation/,
    );
    const desks = await robot.jetstream().views.kv(BUCKETS.desks, { bindOnly: true });
    await expect(desks.watch({ key: 's1.>' })).rejects.toThrow(/Permissions Violation/);
    await expect(desks.put('s2.d1', sc.encode('closed'))).rejects.toThrow(/Permissions Violation/);
    expect((await (await b.service.jetstreamManager()).streams.info(STREAMS.tasks)).config.name).toBe(
      STREAMS.tasks,
    );
  });

  it("listen on another client's inbox", async () => {
    const robot = await connectAs(b, 'r1');
    const sub = robot.subscribe('_INBOX.>');
    const listen = (async () => {
      for await (const m of sub) void m;
    })();
    await expect(listen).rejects.toThrow(/Permissions Violation for Subscription to "_INBOX.>"/);
  });
});

/** The errors the server sends a connection outside any request (-ERR lines), as they come. */
function statusErrors(nc: NatsConnection): string[] {
  const errors: string[] = [];
  void (async () => {
    for await (const s of nc.status()) if (s.type === 'error') errors.push(String(s.data));
  })();
  return errors;
}

describe('a kiosk, and credentials that are wrong', () => {
  let b: Broker;
  beforeAll(async () => {
    b = await startBroker();
  });
  afterAll(() => stopBroker(b));

  it('a kiosk publishes new tasks for its site and nothing else', async () => {
    const kiosk = await connectAs(b, 'k1');
    const js = kiosk.jetstream();
    expect((await js.publish(SUBJECTS.taskNew('s1'), sc.encode('task'), { msgID: 'k-1' })).stream).toBe(
      STREAMS.tasks,
    );
    await expect(js.publish(SUBJECTS.taskNew('s2'), sc.encode('task'))).rejects.toThrow(
      /Permissions Violation/,
    );
    await expect(js.publish(SUBJECTS.assign('r1'), sc.encode('task'))).rejects.toThrow(
      /Permissions Violation/,
    );
    await expect(kiosk.request('$JS.API.INFO')).rejects.toThrow(/Permissions Violation/);
  });

  it('a robot that reads the bucket info gets by direct get', async () => {
    const robot = await connectAs(b, 'r1');
    const desks = await robot.jetstream().views.kv(BUCKETS.desks);
    await desks.put('s1.d2', sc.encode('closed'));
    expect(sc.decode((await desks.get('s1.d2'))!.value)).toBe('closed');
  });

  it('a seed not in the roster: the server refuses authorization', async () => {
    const stranger = nkeys.createUser();
    const attempt = connect({
      servers: b.server.url,
      authenticator: nkeyAuthenticator(stranger.getSeed()),
      reconnect: false,
    });
    await expect(attempt).rejects.toThrow(/Authorization Violation/i);
  });

  it('a garbled, a world-readable or a missing seed file: refused, naming the file', () => {
    const garbled = path.join(dir, 'garbled.nk');
    writeFileSync(garbled, 'SUAGARBLEDSEED\n', { mode: 0o600 });
    expect(() => fleetAuthenticator(garbled)).toThrow(`${garbled}: not a valid user seed`);
    const open = path.join(dir, 'open.nk');
    writeFileSync(open, nkeys.createUser().getSeed());
    chmodSync(open, 0o644);
    expect(() => fleetAuthenticator(open)).toThrow(`${open}: others may read this seed; chmod 600 ${open}`);
    expect(() => fleetAuthenticator(path.join(dir, 'none.nk'))).toThrow(
      /none\.nk: cannot read the seed file \(ENOENT\)/,
    );
    expect(() => fleetAuthenticator(dir)).toThrow(`${dir}: not a regular file`);
    const account = path.join(dir, 'account.nk');
    writeFileSync(account, nkeys.createAccount().getSeed(), { mode: 0o600 });
    expect(() => fleetAuthenticator(account)).toThrow(`${account}: not a valid user seed`);
  });
});

describe('robotDeskWatch: robots may watch their desks, at a price', () => {
  let b: Broker;
  beforeAll(async () => {
    b = await startBroker({ robotDeskWatch: true });
  });
  afterAll(() => stopBroker(b));

  it("a robot watches its site's desk keys, not another site's", async () => {
    const robot = await connectAs(b, 'r1');
    const desks = await robot.jetstream().views.kv(BUCKETS.desks, { bindOnly: true });
    await desks.put('s1.d1', sc.encode('open'));
    const watch = await desks.watch({ key: 's1.>' });
    await desks.put('s1.d1', sc.encode('closed'));
    const values: string[] = [];
    for await (const e of watch) if (values.push(sc.decode(e.value)) === 2) break;
    expect(values).toEqual(['open', 'closed']);
    await expect(desks.watch({ key: 's2.>' })).rejects.toThrow(/Permissions Violation/);
    await expect(
      robot
        .jetstream()
        .views.kv(BUCKETS.tasks, { bindOnly: true })
        .then((t) => t.watch()),
    ).rejects.toThrow(/Permissions Violation/);
  });

  it('why it is off by default: nats-server 2.9 delivers a consumer to any subject its creator names', async () => {
    // The service listens to every state; the robot aims a desk watcher at another robot's state subject.
    const seen = b.service.subscribe(SUBJECTS.state('s1', 'r2'), { max: 1 });
    await b.service.flush();
    const robot = await connectAs(b, 'r1');
    const desks = await robot.jetstream().views.kv(BUCKETS.desks, { bindOnly: true });
    await desks.put('s1.forged', sc.encode('{"robot":"r2"}'));
    const jsm = await robot.jetstreamManager();
    await jsm.consumers.add(`KV_${BUCKETS.desks}`, {
      name: 'forger',
      filter_subject: `$KV.${BUCKETS.desks}.s1.forged`,
      deliver_subject: SUBJECTS.state('s1', 'r2'),
    });
    for await (const m of seen) expect(sc.decode(m.data)).toBe('{"robot":"r2"}');
  });
});
