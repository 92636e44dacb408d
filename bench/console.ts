/**
 * The console's web server under load, in a server process of its own (bench/console-server.ts):
 *
 * - WebSocket fan-out: 20 console clients on /ws receiving live state at 10 Hz; the latency from
 *   the bridge's publish (the state's stamp, the graph's system clock) to each client's receipt,
 *   p50/p99, and the server process's CPU share. Target: p99 ≤ 20 ms on this machine.
 * - GET /api/state under autocannon, side by side with a bare fastify route serving the same
 *   state from the same process (no helmet, rate limit or session lookup; it serialises the state
 *   with JSON.stringify, where /api/state sends the JSON the bridge already made for its
 *   sockets): the ratio is what the console's plumbing costs.
 *
 * The two processes' clocks are compared over IPC (the ping with the shortest round trip).
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import WebSocket from 'ws';
import { summarize, wallMs, type BenchRow } from './harness.js';

const BENCH = 'console';
const CLIENTS = 20;
const WARMUP_MS = 2000;
const MEASURE_MS = 10_000;
const CANNON_S = 5;
const TARGET_P99_MS = 20;

interface Ready {
  url: string;
  barePort: number;
  cookie: string;
}

const epochMs = () => performance.timeOrigin + wallMs();

function ask<T>(child: ChildProcess, kind: string, reply: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (msg: { kind: string }) => {
      if (msg.kind !== reply) return;
      child.off('message', on);
      resolve(msg as T);
    };
    child.on('message', on);
    child.send({ kind });
  });
}

/** The server's clock minus ours, ms, from the ping with the shortest round trip. */
async function clockOffset(child: ChildProcess): Promise<number> {
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < 20; i++) {
    const t0 = epochMs();
    const { nowMs } = await ask<{ nowMs: number }>(child, 'clock', 'clock');
    const t1 = epochMs();
    if (t1 - t0 < best.rtt) best = { rtt: t1 - t0, offset: nowMs - (t0 + t1) / 2 };
  }
  return best.offset;
}

async function fanOut(child: ChildProcess, ready: Ready, offset: number) {
  const latencies: number[] = [];
  let measuring = false;
  let messages = 0;
  const origin = ready.url.replace(/\/$/, '');
  const clients = await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const ws = new WebSocket(`${origin.replace('http', 'ws')}/ws`, {
        headers: { cookie: ready.cookie },
        origin,
      });
      ws.on('message', (data) => {
        const received = epochMs();
        const msg = JSON.parse(String(data)) as { type: string; state?: { stamp?: number } };
        if (!measuring || msg.type !== 'state' || msg.state?.stamp === undefined) return;
        messages++;
        latencies.push(received - (msg.state.stamp * 1000 - offset));
      });
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      return ws;
    }),
  );
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  measuring = true;
  child.send({ kind: 'cpu-start' });
  await new Promise((r) => setTimeout(r, MEASURE_MS));
  const { percent } = await ask<{ percent: number }>(child, 'cpu-stop', 'cpu');
  measuring = false;
  for (const ws of clients) ws.close();
  return {
    timing: summarize(latencies),
    cpuPercent: percent,
    perClientHz: messages / CLIENTS / (MEASURE_MS / 1000),
  };
}

async function cannon(url: string, cookie?: string) {
  const r = await autocannon({
    url,
    connections: 10,
    duration: CANNON_S,
    ...(cookie ? { headers: { cookie } } : {}),
  });
  return { rps: r.requests.average, p99: r.latency.p99, bad: r.non2xx + r.errors };
}

export async function run(): Promise<BenchRow[]> {
  const child = fork(path.join(import.meta.dirname, 'console-server.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const ready = await new Promise<Ready>((resolve) =>
      child.once('message', (m: Ready & { kind: string }) => resolve(m)),
    );
    const offset = await clockOffset(child);
    const fan = await fanOut(child, ready, offset);
    const ours = await cannon(`${ready.url}api/state`, ready.cookie);
    const bare = await cannon(`http://127.0.0.1:${ready.barePort}/state`);
    const t = fan.timing;
    return [
      {
        bench: BENCH,
        metric: `WebSocket state, ${CLIENTS} clients: publish → receipt p50`,
        value: t.p50,
        unit: 'ms',
        note: `${t.samples} state messages, ${fan.perClientHz.toFixed(1)} per client per second; max ${t.max.toFixed(1)} ms; clocks compared over IPC`,
      },
      {
        bench: BENCH,
        metric: `WebSocket state, ${CLIENTS} clients: publish → receipt p99`,
        value: t.p99,
        unit: 'ms',
        target: `≤ ${TARGET_P99_MS} ms`,
        ok: t.p99 <= TARGET_P99_MS,
      },
      {
        bench: BENCH,
        metric: `server process CPU, ${CLIENTS} clients at 10 Hz`,
        value: fan.cpuPercent,
        unit: '% of a core',
        note: "the whole server process: the stand-in robot's publishers, the graph, the bridge and fastify",
      },
      {
        bench: BENCH,
        metric: 'GET /api/state (session, helmet, rate limit)',
        value: ours.rps,
        unit: 'req/s',
        note: `autocannon, 10 connections, ${CANNON_S} s; p99 ${ours.p99} ms; ${ours.bad} non-2xx or errors`,
      },
      {
        bench: BENCH,
        metric: 'peer: bare fastify route, same state',
        value: bare.rps,
        unit: 'req/s',
        note: `same process; p99 ${bare.p99} ms; ${bare.bad} non-2xx or errors`,
      },
      {
        bench: BENCH,
        metric: 'GET /api/state throughput / bare fastify',
        value: ours.rps / bare.rps,
        unit: '×',
      },
    ];
  } finally {
    child.send({ kind: 'stop' });
    await new Promise((r) => child.once('exit', r));
  }
}
