/**
 * Bad input and greedy clients against the Foxglove bridge, on a small embedded graph (a talker
 * node, the console's own teleop deadman): every bad frame gets a status that names the problem,
 * the server keeps serving everyone else, and what one client can cost is capped (subscriptions,
 * frames a second, bytes waiting for it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TeleopDeadman } from '../console/bridge/teleop.js';
import { EmbeddedContext, SimClock, type Publisher } from '../ros/index.js';
import { schemaRegistry } from '../ros/schemas/index.js';
import { startFoxgloveBridge, type RunningFoxgloveBridge } from './bridge.js';
import { MAX_ADVERTISED } from './client-teleop.js';
import { FoxglovePasses } from './passes.js';
import { TestClient, until } from './test-support.js';

const STEP_NS = 10_000_000n;
const MAX_BUFFERED = 256 * 1024;
const clock = new SimClock(1_764_000_000n * 1_000_000_000n);
const graph = new EmbeddedContext({ clock });
const wall = { ms: Date.parse('2026-12-01T10:00:00Z') };
const passes = new FoxglovePasses({ wallNow: () => wall.ms });
const registry = schemaRegistry();
let bridge: RunningFoxgloveBridge;
let chatter: Publisher<'std_msgs/msg/String'>;
let big: Publisher<'std_msgs/msg/String'>;
let operatorPass: string;
const clients: TestClient[] = [];

function step(steps = 1): void {
  for (let i = 0; i < steps; i++) {
    clock.advanceTo(clock.nowNs() + STEP_NS);
    graph.spinSome();
  }
}

async function connect(o: { pass?: string } = {}): Promise<TestClient> {
  const c = await TestClient.connect(bridge.url, o);
  clients.push(c);
  return c;
}

/** Sends `frame` and waits for the status it causes. */
async function answer(c: TestClient, frame: string | Uint8Array, re: RegExp) {
  c.send(frame);
  await until(() => c.said(re).length > 0, `a status matching ${re}`);
  return c.said(re)[0]!;
}

beforeAll(async () => {
  const talker = graph.createNode('talker');
  chatter = talker.createPublisher('std_msgs/msg/String', '/chatter');
  big = talker.createPublisher('std_msgs/msg/String', '/big');
  for (let i = 0; i < 5; i++) talker.createPublisher('std_msgs/msg/Bool', `/flag_${i}`);
  const teleop = new TeleopDeadman(graph.createNode('console'));
  operatorPass = passes.issue({
    key: 'olga-session',
    name: 'olga',
    role: 'operator',
    mayDrive: true,
    sessionExpiresMs: wall.ms + 3600_000,
    sessionAlive: () => true,
  }).pass;
  teleop.take({ key: 'olga-session', name: 'olga' });
  bridge = await startFoxgloveBridge(graph, {
    port: 0,
    passes,
    teleop,
    wallNow: () => wall.ms,
    limits: { maxSubscriptions: 4, maxFramesPerSecond: 30, maxBufferedBytes: MAX_BUFFERED, maxClients: 6 },
  });
});
afterAll(async () => {
  for (const c of clients) await c.close();
  await bridge?.stop();
  graph.shutdown();
});

describe('garbage from a client', () => {
  it('answers each bad frame with a status naming the problem, and keeps the connection', async () => {
    const c = await connect();
    const problems: Array<[string | Uint8Array, RegExp]> = [
      ['this is not json', /^frame@0: not valid JSON/],
      ['{"op": "subscribe", "subscriptions": [{"id": 1, ', /^frame@\d+: not valid JSON/],
      [JSON.stringify({ op: 'launch' }), /^frame\.op: expected subscribe, .* found "launch"/],
      [
        JSON.stringify({ op: 'subscribe', subscriptions: [{ id: 1, channelId: 'x' }] }),
        /^frame\.subscriptions\[0\]\.channelId: /,
      ],
      [new Uint8Array([7, 1, 2, 3]), /^frame\[0\]: unknown binary opcode 7/],
      [new Uint8Array([1, 0, 0]), /^frame: message data of 3 bytes/],
      [
        JSON.stringify({ op: 'subscribe', subscriptions: [{ id: 5, channelId: 4242 }] }),
        /^subscribe: channel 4242 is not advertised \(subscription 5\)/,
      ],
      [
        JSON.stringify({ op: 'unsubscribe', subscriptionIds: [77] }),
        /^unsubscribe: subscription 77 does not exist/,
      ],
      [
        JSON.stringify({ op: 'getParameters', parameterNames: ['x'] }),
        /^getParameters: not offered by this server/,
      ],
    ];
    for (const [frame, re] of problems) {
      const status = await answer(c, frame, re);
      expect(status.level).toBeGreaterThanOrEqual(1);
    }
    expect(c.closed).toBeUndefined();
    // Still served: a good subscription after all that works.
    await until(() => c.channels.has('/chatter'), '/chatter advertised');
    const sub = c.subscribe('/chatter');
    await until(() => chatter.subscriptionCount() === 1, 'the bridge subscribed on the graph');
    chatter.publish({ data: 'still here' });
    step();
    await until(() => c.of(sub).length === 1, 'the message after the garbage');
    expect(registry.decode('std_msgs/msg/String', c.of(sub)[0]!.data)).toEqual({ data: 'still here' });
  });

  it('drops client messages on channels it did not advertise, and ones that are not a Twist', async () => {
    const c = await connect({ pass: operatorPass });
    const unadvertised = new Uint8Array([1, 9, 0, 0, 0, 0, 1, 0, 0]);
    await answer(c, unadvertised, /client channel 9, which this client has not advertised; dropped/);
    const id = c.client.advertise({ topic: '/cmd_vel', encoding: 'cdr', schemaName: 'geometry_msgs/Twist' });
    await answer(
      c,
      prefixed(id, new Uint8Array([0, 1, 0, 0, 1, 2])),
      /^\/cmd_vel: the message does not decode as geometry_msgs\/msg\/Twist/,
    );
    const other = c.client.advertise({
      topic: '/guide/request',
      encoding: 'cdr',
      schemaName: 'geometry_msgs/Twist',
    });
    await until(
      () => c.said(/only a Twist on \/cmd_vel or \/cmd_vel_teleop is taken/).length > 0,
      'refused topic',
    );
    // Refused messages are told at most once a second (a Teleop panel sends 10 a second).
    wall.ms += 1000;
    c.client.sendMessage(other, registry.encode('geometry_msgs/msg/Twist', twist(0.1, 0)));
    c.client.sendMessage(other, registry.encode('geometry_msgs/msg/Twist', twist(0.1, 0)));
    await until(() => c.said(/\(\/guide\/request\).*message dropped/).length > 0, 'dropped on refused topic');
    c.send(JSON.stringify({ op: 'unsubscribe', subscriptionIds: [999] }));
    await until(() => c.said(/subscription 999 does not exist/).length === 1, 'a later answer');
    expect(c.said(/\(\/guide\/request\).*message dropped/)).toHaveLength(1);
    const wrongType = c.client.advertise({
      topic: '/cmd_vel_teleop',
      encoding: 'json',
      schemaName: 'std_msgs/String',
    });
    await until(
      () =>
        c.said(new RegExp(`client channel ${wrongType} .*expected geometry_msgs/msg/Twist in cdr`)).length >
        0,
      'wrong type',
    );
    expect(c.closed).toBeUndefined();
  });
});

describe('a server that asks every client for a pass', () => {
  it('turns a client without a valid pass away before it learns any topic', async () => {
    const strict = await startFoxgloveBridge(graph, {
      port: 0,
      passes,
      requirePass: true,
      nodeName: 'foxglove_strict',
    });
    try {
      for (const pass of [undefined, 'A'.repeat(43)]) {
        const c = await TestClient.connect(strict.url, pass === undefined ? {} : { pass });
        await until(() => c.closed !== undefined, 'turned away');
        expect(c.closed).toEqual({ code: 4001, reason: 'a valid Foxglove pass is needed' });
        expect(c.serverInfo).toBeUndefined();
        expect(c.channels.size).toBe(0);
        expect(
          c.said(
            pass === undefined
              ? /needs a Foxglove pass from the console/
              : /the pass in the URL is not valid/,
          ),
        ).toHaveLength(1);
      }
      const ok = await TestClient.connect(strict.url, { pass: operatorPass });
      clients.push(ok);
      await until(() => ok.channels.has('/chatter'), 'served with a pass');
      expect(ok.said(/^signed in as olga \(operator\)$/)).toHaveLength(1);
    } finally {
      await strict.stop();
    }
  });
});

describe('what one client may cost', () => {
  it('caps its subscriptions, saying which were refused', async () => {
    const c = await connect();
    await until(() => c.channels.size >= 7, 'every topic advertised');
    const ids = [...c.channels.values()].map((ch, i) => ({ id: i, channelId: ch.id }));
    c.send(JSON.stringify({ op: 'subscribe', subscriptions: ids }));
    await until(() => c.said(/at most 4 subscriptions per client/).length > 0, 'the cap said');
    const refused = c.said(/at most 4 subscriptions/)[0]!.message;
    expect(refused).toMatch(new RegExp(`subscription 4 to channel ${ids[4]!.channelId} refused`));
    expect(Math.max(...bridge.clients().map((s) => s.subscriptions))).toBe(4);
  });

  it('caps the channels it may advertise', async () => {
    const c = await connect({ pass: operatorPass });
    const channels = Array.from({ length: MAX_ADVERTISED + 2 }, (_, i) => ({
      id: 100 + i,
      topic: '/cmd_vel',
      encoding: 'cdr',
      schemaName: 'geometry_msgs/msg/Twist',
    }));
    c.send(JSON.stringify({ op: 'advertise', channels }));
    await until(() => c.said(/at most 8 client channels per client/).length === 2, 'two refused');
    expect(c.said(/client channel 108 \(\/cmd_vel\) refused/)).toHaveLength(1);
    await c.close();
  });

  it('drops frames beyond its rate, saying so once a second', async () => {
    const c = await connect();
    const before = c.statuses.length;
    for (let i = 0; i < 100; i++) c.send(JSON.stringify({ op: 'unsubscribe', subscriptionIds: [1000 + i] }));
    await until(() => c.said(/at most 30 frames a second; the rest were dropped/).length === 1, 'flood said');
    await until(
      () => c.said(/subscription \d+ does not exist/).length === 30,
      'the 30 frames allowed answered',
    );
    expect(c.said(/subscription 1030 does not exist/)).toEqual([]);
    expect(c.statuses.length - before).toBe(31);
    wall.ms += 1000;
    await answer(
      c,
      JSON.stringify({ op: 'unsubscribe', subscriptionIds: [5000] }),
      /subscription 5000 does not exist/,
    );
  });

  it('turns away clients beyond the limit, and ones that do not speak the protocol', async () => {
    const other = new WebSocket(bridge.url);
    const closed = await new Promise<[number, string]>((resolve) =>
      other.on('close', (code, reason) => resolve([code, reason.toString()])),
    );
    expect(closed).toEqual([1002, 'speak foxglove.websocket.v1']);
    while (bridge.clients().length < 6) await connect();
    const extra = await TestClient.connect(bridge.url);
    await until(() => extra.closed !== undefined, 'turned away');
    expect(extra.closed).toEqual({ code: 1013, reason: 'too many Foxglove clients; try later' });
    for (const c of clients.splice(2)) await c.close();
    await until(() => bridge.clients().length === 2, 'the others gone');
  });

  it('drops messages for a client that does not read instead of queueing them, and tells it later', async () => {
    const slow = await connect();
    const fast = await connect();
    await until(() => slow.channels.has('/big') && fast.channels.has('/big'), '/big advertised');
    const slowSub = slow.subscribe('/big');
    const fastSub = fast.subscribe('/big');
    await until(() => bridge.clients().filter((s) => s.subscriptions === 1).length >= 2, 'both subscribed');
    slow.ws.pause();
    const payload = { data: 'x'.repeat(64 * 1024) };
    let published = 0;
    // Only the paused client can fall behind: it is the one that has dropped something.
    const slowStats = () => bridge.clients().find((s) => s.dropped > 0);
    // One message at a time, the reading client waited for: only the paused one falls behind.
    while (!slowStats() && published < 3000) {
      big.publish(payload);
      published++;
      step();
      await until(() => fast.of(fastSub).length === published, 'the reading client keeps up');
      // Never more than the cap and the one message that crossed it.
      for (const s of bridge.clients()) expect(s.buffered).toBeLessThanOrEqual(MAX_BUFFERED + 64 * 1024 + 64);
    }
    expect(slowStats()?.dropped).toBeGreaterThan(0);
    for (let i = 0; i < 20; i++) {
      big.publish(payload);
      published++;
      step();
      await until(() => fast.of(fastSub).length === published, 'the reading client gets every message');
    }
    slow.ws.resume();
    await until(() => slowStats()!.buffered === 0, 'the slow client caught up', 60_000);
    step(10); // the bridge's 10 Hz tick tells it what it missed
    await until(() => slow.said(/you fell behind: \d+ messages were dropped/).length === 1, 'told');
    const missed = Number(/(\d+) messages/.exec(slow.said(/you fell behind/)[0]!.message)![1]);
    expect(slow.of(slowSub).length + missed).toBe(published);
  });
});

function twist(linear: number, angular: number) {
  return { linear: { x: linear, y: 0, z: 0 }, angular: { x: 0, y: 0, z: angular } };
}

function prefixed(channelId: number, payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(5 + payload.length);
  new DataView(frame.buffer).setUint32(1, channelId, true);
  frame[0] = 1;
  frame.set(payload, 5);
  return frame;
}
