/**
 * The Foxglove live view under load, against a named peer in the same run: JSON over plain `ws`
 * (what a hand-made live view does: JSON.stringify each message once, send it to every client,
 * skip a client that is behind by the same byte cap).
 *
 * A server process of its own (this file, forked with FOXGLOVE_BENCH=server) runs an embedded
 * graph on the system clock: a talker publishing nav_msgs/Odometry stamped with the node clock,
 * the Foxglove bridge and the JSON peer. This process holds 5 clients of one transport at a time:
 *
 * - latency: 50 Hz, publish (the stamp) → decoded at the client, p50 and p99 over all clients;
 * - throughput: 10,000 messages/s offered for a few seconds, messages/s decoded by the 5 clients
 *   together, with what the server dropped for clients that were behind, and its CPU share.
 *
 * The two processes' clocks are compared over IPC (the ping with the shortest round trip).
 */
import p from '@foxglove/ws-protocol';
import type { IWebSocket } from '@foxglove/ws-protocol';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import WebSocket, { WebSocketServer } from 'ws';
import { startFoxgloveBridge } from '../src/foxglove/index.js';
import { EmbeddedContext, SystemClock, header, type Odometry, type RosNode } from '../src/ros/index.js';
import { schemaRegistry } from '../src/ros/schemas/index.js';
import { summarize, wallMs, type BenchRow } from './harness.js';

const BENCH = 'foxglove';
const CLIENTS = 5;
const LATENCY_HZ = 50;
const LOAD_PER_TICK = 250;
const TICK_NS = 5_000_000n;
const WARMUP_MS = 1500;
const LATENCY_MS = 8000;
const LOAD_MS = 4000;
const TARGET_P99_MS = 20;
const MAX_BUFFERED = 4 * 1024 * 1024;

type Transport = 'foxglove' | 'json';
interface Ready {
  kind: 'ready';
  foxglove: string;
  json: string;
}

const epochMs = () => performance.timeOrigin + wallMs();

// ---- the server process ------------------------------------------------------------------------

function talker(node: RosNode): { mode(m: 'latency' | 'load' | 'off'): void; published(): number } {
  const odom = node.createPublisher('nav_msgs/msg/Odometry', '/odom');
  let mode: 'latency' | 'load' | 'off' = 'off';
  let tick = 0;
  let published = 0;
  const every = Number(1_000_000_000n / TICK_NS) / LATENCY_HZ;
  node.createTimer(TICK_NS, () => {
    tick++;
    const n = mode === 'load' ? LOAD_PER_TICK : mode === 'latency' && tick % every === 0 ? 1 : 0;
    for (let i = 0; i < n; i++) odom.publish(odometry(node, tick));
    published += n;
  });
  return { mode: (m) => (mode = m), published: () => published };
}

function odometry(node: RosNode, tick: number): Odometry {
  const covariance = new Float64Array(36).fill(0.01);
  return {
    header: header('odom', node.now()),
    child_frame_id: 'base_link',
    pose: {
      pose: { position: { x: tick * 1e-3, y: 0, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } },
      covariance,
    },
    twist: { twist: { linear: { x: 0.5, y: 0, z: 0 }, angular: { x: 0, y: 0, z: 0.1 } }, covariance },
  };
}

/** The peer: each message as JSON, made once, sent to every client that is not behind. */
async function jsonPeer(node: RosNode): Promise<{ wss: WebSocketServer; dropped(): number }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise((resolve) => wss.once('listening', resolve));
  const typedArrays = (_key: string, value: unknown) =>
    ArrayBuffer.isView(value) ? Array.from(value as Float64Array) : value;
  node.createSubscription('nav_msgs/msg/Odometry', '/odom', (msg) => {
    if (wss.clients.size === 0) return;
    const json = JSON.stringify(msg, typedArrays);
    for (const ws of wss.clients) {
      if (ws.bufferedAmount <= MAX_BUFFERED) ws.send(json);
      else dropped++;
    }
  });
  let dropped = 0;
  return { wss, dropped: () => dropped };
}

async function serve(): Promise<void> {
  const graph = new EmbeddedContext({ clock: new SystemClock() });
  const load = talker(graph.createNode('bench_talker'));
  const peer = await jsonPeer(graph.createNode('json_peer'));
  const bridge = await startFoxgloveBridge(graph, { port: 0, limits: { maxBufferedBytes: MAX_BUFFERED } });
  const spinning = graph.spin();
  let baseline = { cpu: process.cpuUsage(), wall: wallMs(), published: 0 };
  const peerAddress = peer.wss.address();
  const peerPort = typeof peerAddress === 'object' && peerAddress ? peerAddress.port : 0;
  process.send!({ kind: 'ready', foxglove: bridge.url, json: `ws://127.0.0.1:${peerPort}/` } satisfies Ready);
  process.on('message', async (msg: { kind: string; mode?: 'latency' | 'load' | 'off' }) => {
    if (msg.kind === 'clock') process.send!({ kind: 'clock', nowMs: Number(graph.now().nanoseconds) / 1e6 });
    if (msg.kind === 'mode') {
      load.mode(msg.mode!);
      process.send!({ kind: 'mode' });
    }
    if (msg.kind === 'stats') {
      // Since the last 'stats': CPU share, messages published, and dropped for clients behind.
      const used = process.cpuUsage(baseline.cpu);
      const seconds = (wallMs() - baseline.wall) / 1000;
      const published = load.published() - baseline.published;
      baseline = { cpu: process.cpuUsage(), wall: wallMs(), published: load.published() };
      const dropped = bridge.clients().reduce((n, c) => n + c.dropped, 0) + peer.dropped();
      process.send!({
        kind: 'stats',
        percent: (used.user + used.system) / 1e4 / seconds,
        published: published / seconds,
        dropped,
      });
    }
    if (msg.kind === 'stop') {
      spinning.stop();
      await bridge.stop();
      peer.wss.close();
      graph.shutdown();
      process.exit(0);
    }
  });
}

// ---- this process: the clients -----------------------------------------------------------------

function ask<T>(child: ChildProcess, msg: object, reply: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: { kind: string }) => {
      if (m.kind !== reply) return;
      child.off('message', on);
      resolve(m as T);
    };
    child.on('message', on);
    child.send(msg);
  });
}

/** The server's clock minus ours, ms, from the ping with the shortest round trip. */
async function clockOffset(child: ChildProcess): Promise<number> {
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < 20; i++) {
    const t0 = epochMs();
    const { nowMs } = await ask<{ nowMs: number }>(child, { kind: 'clock' }, 'clock');
    const t1 = epochMs();
    if (t1 - t0 < best.rtt) best = { rtt: t1 - t0, offset: nowMs - (t0 + t1) / 2 };
  }
  return best.offset;
}

/** One client; `heard` gets each message's stamp (server clock, ms) as it is decoded. */
async function client(
  transport: Transport,
  url: string,
  heard: (stampMs: number) => void,
): Promise<WebSocket> {
  const stampMs = (o: Odometry) => o.header.stamp.sec * 1000 + o.header.stamp.nanosec / 1e6;
  if (transport === 'json') {
    const ws = new WebSocket(url);
    ws.on('message', (data) => heard(stampMs(JSON.parse(String(data)) as Odometry)));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return ws;
  }
  const ws = new WebSocket(url, [p.FoxgloveClient.SUPPORTED_SUBPROTOCOL]);
  const fox = new p.FoxgloveClient({ ws: ws as unknown as IWebSocket });
  const registry = schemaRegistry();
  await new Promise<void>((resolve) =>
    fox.on('advertise', (channels) => {
      const odom = channels.find((c) => c.topic === '/odom');
      if (!odom) return;
      fox.subscribe(odom.id);
      resolve();
    }),
  );
  fox.on('message', (m) => {
    const bytes = new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength);
    heard(stampMs(registry.decode('nav_msgs/msg/Odometry', bytes) as Odometry));
  });
  return ws;
}

async function phase(
  child: ChildProcess,
  transport: Transport,
  url: string,
  mode: 'latency' | 'load',
  offset: number,
) {
  const latencies: number[] = [];
  let measuring = false;
  let messages = 0;
  const sockets = await Promise.all(
    Array.from({ length: CLIENTS }, () =>
      client(transport, url, (stamp) => {
        if (!measuring) return;
        messages++;
        if (mode === 'latency') latencies.push(epochMs() - (stamp - offset));
      }),
    ),
  );
  await ask(child, { kind: 'mode', mode }, 'mode');
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  const before = await ask<{ dropped: number }>(child, { kind: 'stats' }, 'stats');
  measuring = true;
  const start = wallMs();
  await new Promise((r) => setTimeout(r, mode === 'latency' ? LATENCY_MS : LOAD_MS));
  measuring = false;
  const seconds = (wallMs() - start) / 1000;
  const stats = await ask<{ percent: number; published: number; dropped: number }>(
    child,
    { kind: 'stats' },
    'stats',
  );
  await ask(child, { kind: 'mode', mode: 'off' }, 'mode');
  for (const ws of sockets) ws.close();
  await new Promise((r) => setTimeout(r, 300));
  return {
    timing: summarize(latencies),
    perSecond: messages / seconds,
    published: stats.published,
    cpu: stats.percent,
    dropped: stats.dropped - before.dropped,
  };
}

export async function run(): Promise<BenchRow[]> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, FOXGLOVE_BENCH: 'server' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const ready = await new Promise<Ready>((resolve) => child.once('message', (m: Ready) => resolve(m)));
    const offset = await clockOffset(child);
    const rows: BenchRow[] = [];
    const results: Record<
      Transport,
      { latency: Awaited<ReturnType<typeof phase>>; load: Awaited<ReturnType<typeof phase>> }
    > = {} as never;
    for (const transport of ['foxglove', 'json'] as const) {
      const url = ready[transport];
      results[transport] = {
        latency: await phase(child, transport, url, 'latency', offset),
        load: await phase(child, transport, url, 'load', offset),
      };
    }
    const name = { foxglove: 'Foxglove (CDR)', json: 'peer: JSON over plain ws' };
    for (const transport of ['foxglove', 'json'] as const) {
      const { latency: l, load } = results[transport];
      rows.push(
        {
          bench: BENCH,
          metric: `${name[transport]}, ${CLIENTS} clients, ${LATENCY_HZ} Hz odometry: publish → decoded p50`,
          value: l.timing.p50,
          unit: 'ms',
          note: `${l.timing.samples} messages; max ${l.timing.max.toFixed(1)} ms; server CPU ${l.cpu.toFixed(0)} % of a core; clocks compared over IPC`,
        },
        {
          bench: BENCH,
          metric: `${name[transport]}, ${CLIENTS} clients, ${LATENCY_HZ} Hz odometry: publish → decoded p99`,
          value: l.timing.p99,
          unit: 'ms',
          ...(transport === 'foxglove'
            ? { target: `≤ ${TARGET_P99_MS} ms`, ok: l.timing.p99 <= TARGET_P99_MS }
            : {}),
        },
        {
          bench: BENCH,
          metric: `${name[transport]}, ${CLIENTS} clients, ${(LOAD_PER_TICK * 1e9) / Number(TICK_NS)} msg/s offered: decoded`,
          value: load.perSecond,
          unit: 'msg/s',
          note: `all ${CLIENTS} clients together; ${load.published.toFixed(0)} msg/s published, ${load.dropped} dropped for clients behind; server CPU ${load.cpu.toFixed(0)} % of a core`,
        },
      );
    }
    const cpuPerMessage = (t: Transport) => (results[t].load.cpu * 1e4) / results[t].load.published;
    for (const transport of ['foxglove', 'json'] as const) {
      rows.push({
        bench: BENCH,
        metric: `${name[transport]}: server CPU per message published to ${CLIENTS} clients`,
        value: cpuPerMessage(transport),
        unit: 'µs',
        note: 'the server process under load: graph, encoding once, sending to each client',
      });
    }
    rows.push(
      {
        bench: BENCH,
        metric: 'Foxglove / JSON peer: messages decoded per second under load',
        value: results.foxglove.load.perSecond / results.json.load.perSecond,
        unit: '×',
      },
      {
        bench: BENCH,
        metric: 'Foxglove / JSON peer: server CPU per message',
        value: cpuPerMessage('foxglove') / cpuPerMessage('json'),
        unit: '×',
      },
    );
    return rows;
  } finally {
    child.send({ kind: 'stop' });
    await new Promise((r) => child.once('exit', r));
  }
}

if (process.env['FOXGLOVE_BENCH'] === 'server') void serve();
