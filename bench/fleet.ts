/**
 * The fleet layer on NATS JetStream (Debian nats-server, JetStream on, NO authorisation: the test
 * server's default, so the broker's permission checks cost nothing here), one local server:
 *
 * - Dispatch latency with 1, 10 and 50 simulated robots: from `FleetService.dispatch()` being
 *   called (an operator's click, in this process) to the chosen robot's agent having moved the
 *   task book to 'accepted' (the stand-in mission's start(), which the agent calls right after its
 *   compare-and-set), p50/p99. Sequential: one dispatch, wait for the accept and for the service
 *   to hear the task done, then the next. `goto` tasks spread over every destination. Goal: p99
 *   ≤ 50 ms at 50 robots on this 2-core machine.
 *   The robots (bench/fleet-robots.ts, a process of their own) are real FleetAgents, each with
 *   its own NATS connection and node on an embedded graph on the system clock, spun; their watch
 *   and mission are STAND-INS (a fixed available state at a pose; a mission that accepts at once
 *   and finishes at once). Peers on the same server in the same run, robots online:
 *   - core NATS request/reply round trip (this process → a responder in the robots' process):
 *     the floor any design on this broker pays;
 *   - JetStream publish (with its PubAck) → pull consumer in the robots' process → ackAck, one
 *     way, timed like the dispatch (the far end's clock): one hop of durable work queue.
 * - State fan-out: 50 robots at 2 Hz; 5 signed-in WebSocket clients of the real fleet console
 *   (startFleetConsole on this FleetService, /api/fleet/live); latency from the robot's state
 *   stamp (stampMs, its node clock) to each client's receipt, p50/p99, and messages/s. Peer: a
 *   bare core NATS subscriber on fleet.state.*.* in this process, same stamps.
 * - The allocator, and what its route lengths change: bench/fleet-allocator.ts.
 *
 * The robots' clock against ours is measured over IPC (the ping with the shortest round trip).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AckPolicy, DeliverPolicy, RetentionPolicy, StorageType, connect, type NatsConnection } from 'nats';
import WebSocket from 'ws';
import { createSessions, hashPassword, SESSION_COOKIE } from '../src/console/auth/index.js';
import { openStore } from '../src/console/store/index.js';
import { startFleetConsole, FLEET_LIVE_PATH, type FleetLiveMessage } from '../src/fleet/console/index.js';
import type { FleetChange } from '../src/fleet/fleet-control.js';
import { FleetLink, type FleetLog } from '../src/fleet/link.js';
import type { RobotState } from '../src/fleet/protocol.js';
import { FleetService } from '../src/fleet/service/fleet-service.js';
import { startTestNats, type TestNatsServer } from '../src/fleet/test-server.js';
import { loadSite, type Site } from '../src/map/index.js';
import { allocatorRows } from './fleet-allocator.js';
import type { FromRobots, ToRobots } from './fleet-robots.js';
import { summarize, wallMs, type BenchRow, type Timing } from './harness.js';

export const ECHO_SUBJECT = 'bench.echo';
export const PEER_STREAM = 'BENCH_RT';
export const PEER_SUBJECT = 'bench.rt';
export const PEER_CONSUMER = 'bench-rt';

const BENCH = 'fleet';
const ROBOTS = [1, 10, 50];
const MAX_ROBOTS = 50;
const DISPATCHES = 200;
const WARMUP = 20;
const PEER_SAMPLES = 500;
const CONSOLES = 5;
const FANOUT_WARMUP_MS = 2000;
const FANOUT_MS = 10_000;
const GOAL_P99_MS = 50;
const ROBOT_IDS = Array.from({ length: MAX_ROBOTS }, (_, i) => `bench-r${String(i + 1).padStart(2, '0')}`);
const STAND_INS = 'robots: FleetAgent with stand-in mission and stand-in watch';

const epochMs = () => performance.timeOrigin + wallMs();

const log = (warnings: string[]): FleetLog => ({
  info: () => {},
  warn: (line) => warnings.push(line),
  error: (line) => warnings.push(line),
});

/** The robots' process and what it tells. */
class Robots {
  readonly child: ChildProcess;
  readonly accepted = new Map<string, number>();
  readonly peerAcked = new Map<string, number>();
  readonly warnings: string[] = [];
  readonly #waiters = new Map<string, () => void>();
  /** The robots' clock minus ours, ms. */
  offset = 0;

  constructor() {
    this.child = fork(path.join(import.meta.dirname, 'fleet-robots.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (m: FromRobots) => {
      if (m.kind === 'accepted') this.#arrive(this.accepted, m.task, m.atMs);
      if (m.kind === 'peer-acked') this.#arrive(this.peerAcked, m.id, m.atMs);
      if (m.kind === 'warn') this.warnings.push(m.line);
    });
  }

  #arrive(map: Map<string, number>, id: string, atMs: number): void {
    map.set(id, atMs - this.offset);
    this.#waiters.get(id)?.();
  }

  /** Our clock's time of `id` in `map`, once it is there (undefined after `timeoutMs`). */
  async when(map: Map<string, number>, id: string, timeoutMs = 5000): Promise<number | undefined> {
    if (!map.has(id)) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, timeoutMs);
        this.#waiters.set(id, () => {
          clearTimeout(t);
          resolve();
        });
      });
      this.#waiters.delete(id);
    }
    return map.get(id);
  }

  ask<K extends FromRobots['kind']>(msg: ToRobots, reply: K): Promise<Extract<FromRobots, { kind: K }>> {
    return new Promise((resolve) => {
      const on = (m: FromRobots) => {
        if (m.kind !== reply) return;
        this.child.off('message', on);
        resolve(m as Extract<FromRobots, { kind: K }>);
      };
      this.child.on('message', on);
      this.child.send(msg);
    });
  }

  /** Asks the robots' process to stop (agents, links, graph) and waits for it to exit. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ kind: 'stop' } satisfies ToRobots);
    const t = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  }

  async measureOffset(): Promise<void> {
    let best = { rtt: Infinity, offset: 0 };
    for (let i = 0; i < 30; i++) {
      const t0 = epochMs();
      const { nowMs } = await this.ask({ kind: 'clock' }, 'clock');
      const t1 = epochMs();
      if (t1 - t0 < best.rtt) best = { rtt: t1 - t0, offset: nowMs - (t0 + t1) / 2 };
    }
    this.offset = best.offset;
  }
}

/** Waits until the service has `n` robots online. */
async function online(service: FleetService, n: number): Promise<void> {
  const count = () => service.snapshot().robots.filter((r) => r.status === 'online').length;
  while (count() < n) await new Promise((r) => setTimeout(r, 50));
}

/** Sequential dispatches: click → the robot's accept, ms (our clock). */
async function dispatchLatency(
  service: FleetService,
  robots: Robots,
  site: Site,
  count: number,
): Promise<{ timing: Timing; failures: number; chosen: number; over10: number; p90: number }> {
  const done = new Set<string>();
  const doneWaiters = new Map<string, () => void>();
  const unsubscribe = service.subscribe((c: FleetChange) => {
    if (c.kind !== 'task' || c.task.status !== 'done') return;
    done.add(c.task.task.id);
    doneWaiters.get(c.task.task.id)?.();
  });
  const places = site.destinations.map((d) => d.id);
  const times: number[] = [];
  const chosen = new Set<string>();
  let failures = 0;
  for (let i = 0; i < WARMUP + count; i++) {
    const t0 = epochMs();
    const r = await service.dispatch(
      { site: site.id, kind: 'goto', destination: places[(i * 7) % places.length]! },
      { user: 'bench', role: 'operator' },
    );
    if (!r.ok) throw new Error(`dispatch refused: ${r.code} ${r.message}`);
    const id = r.value.task.id;
    const at = await robots.when(robots.accepted, id);
    if (at === undefined) failures++;
    else if (i >= WARMUP) times.push(at - t0);
    const record = service.task(id);
    if (record?.robot) chosen.add(record.robot);
    // The robot finished at once: wait until the service has heard it (the next click is on a quiet fleet).
    if (!done.has(id))
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 2000);
        doneWaiters.set(id, () => {
          clearTimeout(t);
          resolve();
        });
      });
    doneWaiters.delete(id);
  }
  unsubscribe();
  const sorted = [...times].sort((a, b) => a - b);
  return {
    timing: summarize(times),
    failures,
    chosen: chosen.size,
    over10: times.filter((t) => t > 10).length,
    p90: sorted[Math.floor(0.9 * sorted.length)] ?? NaN,
  };
}

async function peerRequestReply(nc: NatsConnection): Promise<Timing> {
  const payload = new Uint8Array(300);
  const times: number[] = [];
  for (let i = 0; i < WARMUP + PEER_SAMPLES; i++) {
    const t0 = wallMs();
    await nc.request(ECHO_SUBJECT, payload, { timeout: 2000 });
    if (i >= WARMUP) times.push(wallMs() - t0);
  }
  return summarize(times);
}

async function peerJetStream(nc: NatsConnection, robots: Robots, phase: number): Promise<Timing> {
  const js = nc.jetstream();
  const times: number[] = [];
  for (let i = 0; i < WARMUP + DISPATCHES; i++) {
    const id = `peer-${phase}-${i}`;
    const t0 = epochMs();
    await js.publish(PEER_SUBJECT, id, { msgID: id });
    const at = await robots.when(robots.peerAcked, id);
    if (at !== undefined && i >= WARMUP) times.push(at - t0);
  }
  return summarize(times);
}

async function provisionPeer(nc: NatsConnection): Promise<void> {
  const jsm = await nc.jetstreamManager();
  await jsm.streams.add({
    name: PEER_STREAM,
    subjects: [PEER_SUBJECT],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
  });
  await jsm.consumers.add(PEER_STREAM, {
    durable_name: PEER_CONSUMER,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
  });
}

interface FanOut {
  console: Timing;
  messagesPerS: number;
  bare: Timing;
  bareMessagesPerS: number;
  dropped: number;
}

async function fanOut(service: FleetService, nc: NatsConnection, robots: Robots): Promise<FanOut> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'fleet-bench-'));
  const store = openStore(dataDir);
  const user = store.addUser('bench', 'viewer', await hashPassword('a bench password'), Date.now());
  const { token } = createSessions(store, { nowMs: () => Date.now() }).start(user);
  const consoleLines: string[] = [];
  const web = await startFleetConsole({
    control: service,
    store,
    listen: '127.0.0.1:0',
    limits: { generalPerMinute: 1e9 },
    logLine: (line) => consoleLines.push(line),
  });
  const origin = web.url.replace(/\/$/, '');
  let measuring = false;
  const latencies: number[] = [];
  const bare: number[] = [];
  let messages = 0;
  let bareMessages = 0;
  const toOurs = (stampMs: number) => stampMs - robots.offset;
  const clients = await Promise.all(
    Array.from({ length: CONSOLES }, async () => {
      const ws = new WebSocket(`${origin.replace('http', 'ws')}${FLEET_LIVE_PATH}`, {
        headers: { cookie: `${SESSION_COOKIE}=${token}` },
        origin,
      });
      ws.on('message', (data) => {
        const received = epochMs();
        if (!measuring) return;
        const msg = JSON.parse(String(data)) as FleetLiveMessage;
        if (msg.type !== 'change' || msg.change.kind !== 'robot' || !msg.change.robot.state) return;
        messages++;
        latencies.push(received - toOurs(msg.change.robot.state.stampMs));
      });
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      return ws;
    }),
  );
  const sub = nc.subscribe('fleet.state.*.*', {
    callback: (err, m) => {
      const received = epochMs();
      if (err || !measuring) return;
      bareMessages++;
      bare.push(received - toOurs((JSON.parse(m.string()) as RobotState).stampMs));
    },
  });
  await new Promise((r) => setTimeout(r, FANOUT_WARMUP_MS));
  measuring = true;
  const t0 = wallMs();
  await new Promise((r) => setTimeout(r, FANOUT_MS));
  measuring = false;
  const seconds = (wallMs() - t0) / 1000;
  sub.unsubscribe();
  for (const ws of clients) ws.close();
  await web.stop();
  store.close();
  rmSync(dataDir, { recursive: true, force: true });
  return {
    console: summarize(latencies),
    messagesPerS: messages / seconds,
    bare: summarize(bare),
    bareMessagesPerS: bareMessages / seconds,
    dropped: consoleLines.filter((l) => l.includes('dropped')).length,
  };
}

export async function run(): Promise<BenchRow[]> {
  const site = await loadSite('maps/iso-omena');
  const loadBefore = os.loadavg()[0]!;
  const alloc = await allocatorRows(site, ROBOT_IDS);

  let server: TestNatsServer | undefined;
  let robots: Robots | undefined;
  const warnings: string[] = [];
  const link = { current: undefined as FleetLink | undefined };
  let peerNc: NatsConnection | undefined;
  try {
    server = await startTestNats();
    link.current = FleetLink.open({ url: server.url, name: 'fleet-service', log: log(warnings) });
    const service = new FleetService({
      link: link.current,
      sites: [site],
      roster: ROBOT_IDS.map((robot) => ({ robot, site: site.id })),
      log: log(warnings),
      now: () => Date.now(),
    });
    await service.ready();
    peerNc = await connect({ servers: server.url, name: 'bench-peer-client' });
    await provisionPeer(peerNc);

    robots = new Robots();
    await new Promise((resolve) => robots!.child.once('message', resolve));
    await robots.measureOffset();
    await robots.ask({ kind: 'peers', url: server.url }, 'peers-ready');

    const dispatch: Record<number, Awaited<ReturnType<typeof dispatchLatency>>> = {};
    const peers: Record<number, { reqrep: Timing; js: Timing }> = {};
    let started = 0;
    for (const n of ROBOTS) {
      await robots.ask({ kind: 'start', url: server.url, robots: ROBOT_IDS.slice(started, n) }, 'started');
      started = n;
      await online(service, n);
      process.stderr.write(`bench: fleet: ${n} robots online, dispatching …\n`);
      dispatch[n] = await dispatchLatency(service, robots, site, DISPATCHES);
      peers[n] = { reqrep: await peerRequestReply(peerNc), js: await peerJetStream(peerNc, robots, n) };
    }
    process.stderr.write(`bench: fleet: fan-out to ${CONSOLES} consoles …\n`);
    const fan = await fanOut(service, peerNc, robots);
    service.stop();

    const ms = (v: number) => `${v.toFixed(2)} ms`;
    const load = `machine load average ${loadBefore.toFixed(1)} at start, ${os.loadavg()[0]!.toFixed(1)} at end on ${os.cpus().length} cores (other work shares the machine); nats-server without authorisation`;
    const d50 = dispatch[MAX_ROBOTS]!;
    const p50 = peers[MAX_ROBOTS]!;
    const rows: BenchRow[] = [];
    for (const n of ROBOTS) {
      const d = dispatch[n]!;
      const last = n === MAX_ROBOTS;
      rows.push(
        {
          bench: BENCH,
          metric: `dispatch → robot accepts, ${n} robot${n > 1 ? 's' : ''}, p50`,
          value: d.timing.p50,
          unit: 'ms',
          note: `${STAND_INS}; ${n === ROBOTS[0] ? `${load}; ` : ''}${d.timing.samples} sequential goto dispatches after ${WARMUP} warm-up, ${d.chosen} robots chosen, ${d.failures} not accepted in 5 s; peers at ${n}: core req/reply p50 ${ms(peers[n]!.reqrep.p50)}, JetStream pub→pull→ack p50 ${ms(peers[n]!.js.p50)}`,
        },
        {
          bench: BENCH,
          metric: `dispatch → robot accepts, ${n} robot${n > 1 ? 's' : ''}, p99`,
          value: d.timing.p99,
          unit: 'ms',
          ...(last ? { target: `≤ ${GOAL_P99_MS} ms`, ok: d.timing.p99 <= GOAL_P99_MS } : {}),
          note: `p90 ${ms(d.p90)}, ${d.over10} of ${d.timing.samples} over 10 ms, max ${ms(d.timing.max)}; peers at ${n}: core req/reply p99 ${ms(peers[n]!.reqrep.p99)}, JetStream p99 ${ms(peers[n]!.js.p99)}`,
        },
      );
    }
    rows.push(
      {
        bench: BENCH,
        metric: `peer: core NATS request/reply round trip, ${MAX_ROBOTS} robots online, p50`,
        value: p50.reqrep.p50,
        unit: 'ms',
        note: `300-byte request, responder in the robots' process; the floor any design on this broker pays (dispatch p50 is ${(d50.timing.p50 / p50.reqrep.p50).toFixed(1)}× it)`,
      },
      {
        bench: BENCH,
        metric: `peer: core NATS request/reply round trip, ${MAX_ROBOTS} robots online, p99`,
        value: p50.reqrep.p99,
        unit: 'ms',
        note: `${p50.reqrep.samples} round trips`,
      },
      {
        bench: BENCH,
        metric: `peer: JetStream publish → pull → ackAck, ${MAX_ROBOTS} robots online, p50`,
        value: p50.js.p50,
        unit: 'ms',
        note: `file-stored work queue, one way (publish with PubAck here, consumer's ackAck in the robots' process); dispatch p50 is ${(d50.timing.p50 / p50.js.p50).toFixed(1)}× it`,
      },
      {
        bench: BENCH,
        metric: `peer: JetStream publish → pull → ackAck, ${MAX_ROBOTS} robots online, p99`,
        value: p50.js.p99,
        unit: 'ms',
        note: `${p50.js.samples} messages`,
      },
      {
        bench: BENCH,
        metric: `state fan-out, ${MAX_ROBOTS} robots at 2 Hz → ${CONSOLES} fleet consoles (WebSocket), p50`,
        value: fan.console.p50,
        unit: 'ms',
        note: `${STAND_INS}; robot's state stamp (whole ms, so up to 1 ms high) → client receipt; ${fan.console.samples} messages over ${FANOUT_MS / 1000} s; ${fan.dropped} sockets dropped`,
      },
      {
        bench: BENCH,
        metric: `state fan-out, ${MAX_ROBOTS} robots → ${CONSOLES} fleet consoles, p99`,
        value: fan.console.p99,
        unit: 'ms',
        note: `max ${ms(fan.console.max)}`,
      },
      {
        bench: BENCH,
        metric: `state fan-out, messages received by the ${CONSOLES} consoles`,
        value: fan.messagesPerS,
        unit: 'msg/s',
        note: `expected ${MAX_ROBOTS * 2 * CONSOLES}/s (${MAX_ROBOTS} × 2 Hz × ${CONSOLES})`,
      },
      {
        bench: BENCH,
        metric: 'peer: bare NATS subscriber on fleet.state.*.*, p50',
        value: fan.bare.p50,
        unit: 'ms',
        note: `same stamps, same run; ${fan.bareMessagesPerS.toFixed(0)} msg/s; p99 ${ms(fan.bare.p99)}`,
      },
      {
        bench: BENCH,
        metric: 'peer: bare NATS subscriber on fleet.state.*.*, p99',
        value: fan.bare.p99,
        unit: 'ms',
      },
      ...alloc,
    );
    if (warnings.length + robots.warnings.length > 0)
      process.stderr.write(
        `bench: fleet: warnings:\n${[...new Set([...warnings, ...robots.warnings])].slice(0, 20).join('\n')}\n`,
      );
    return rows;
  } finally {
    if (robots) await robots.stop();
    await peerNc?.close();
    await link.current?.close();
    await server?.dispose();
  }
}
