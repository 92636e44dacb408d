/**
 * The fleet benchmark's robots process: simulated robots, each a real FleetAgent with its own NATS
 * connection and its own node on one embedded graph on the system clock (spun, so the agents'
 * state timers and clocks are real). What is NOT real, and is named so in the bench's table:
 *
 * - the `watch` is a STAND-IN: a fixed state (idle, charged, localised, no e-stop, available) at a
 *   pose on the site;
 * - the MissionPort is a STAND-IN: it accepts every task at once, tells the bench when it was
 *   asked (the agent calls start() right after its compare-and-set to 'accepted'), and finishes
 *   the task ('arrived') as soon as the bench's bookkeeping is done, so the robot is free again.
 *
 * Beside them, the peers' far ends: a core NATS responder (request/reply) and a JetStream pull
 * consumer that acknowledges (ackAck) and tells the bench when. Driven over IPC by bench/fleet.ts.
 */
import { connect, type NatsConnection } from 'nats';
import { FleetLink, type FleetLog } from '../src/fleet/link.js';
import { FleetAgent } from '../src/fleet/agent/fleet-agent.js';
import type { MissionPort, TaskOutcome } from '../src/fleet/agent/mission-port.js';
import type { WatchedState } from '../src/fleet/agent/robot-watch.js';
import { loadSite } from '../src/map/index.js';
import { EmbeddedContext, SystemClock } from '../src/ros/index.js';
import { ECHO_SUBJECT, PEER_CONSUMER, PEER_STREAM } from './fleet.js';

/** Between agents' starts, ms: their 2 Hz state timers are spread over the period, as real robots' are. */
const STAGGER_MS = 9;

export type ToRobots =
  | { kind: 'start'; url: string; robots: string[] }
  | { kind: 'peers'; url: string }
  | { kind: 'clock' }
  | { kind: 'stop' };

export type FromRobots =
  | { kind: 'started'; robots: number }
  | { kind: 'peers-ready' }
  | { kind: 'clock'; nowMs: number }
  | { kind: 'accepted'; task: string; robot: string; atMs: number }
  | { kind: 'peer-acked'; id: string; atMs: number }
  | { kind: 'warn'; line: string };

const send = (m: FromRobots) => process.send!(m);

const log: FleetLog = {
  info: () => {},
  warn: (line) => send({ kind: 'warn', line }),
  error: (line) => send({ kind: 'warn', line }),
};

async function main(): Promise<void> {
  const site = await loadSite('maps/iso-omena');
  const graph = new EmbeddedContext({ clock: new SystemClock() });
  const nowMs = () => Number(graph.clock.nowNs()) / 1e6;
  const spinning = graph.spin();
  const agents: { agent: FleetAgent; link: FleetLink }[] = [];
  let peerNc: NatsConnection | undefined;
  const places = [site.dock, ...site.destinations.map((d) => d.pose)];

  /** STAND-IN watch: always idle at the dock-side of a place, charged and available. */
  const standInWatch = (index: number) => {
    const at = places[index % places.length]!;
    const pose = { x: at.x + 0.3 * Math.floor(index / places.length), y: at.y, yaw: 0 };
    return {
      state: (_nowNs: bigint, task: string): WatchedState => ({
        pose,
        mission: { state: 'idle', reason: '', destination: '', task },
        battery: { charge: 0.9, charging: false, reliable: true },
        localization: 'ok',
        estop: false,
        faults: [],
        available: true,
      }),
    };
  };

  /** STAND-IN mission: accepts at once, says when, finishes 'arrived' right after. */
  const standInMission = (robot: string): MissionPort => ({
    start(task) {
      send({ kind: 'accepted', task: task.id, robot, atMs: nowMs() });
      let finish!: (o: TaskOutcome) => void;
      const finished = new Promise<TaskOutcome>((resolve) => (finish = resolve));
      setImmediate(() => finish({ outcome: 'arrived', reason: '' }));
      return Promise.resolve({
        ok: true,
        run: { started: Promise.resolve(), finished, cancel: () => Promise.resolve() },
      });
    },
  });

  const startRobots = async (url: string, robots: string[]) => {
    for (const robot of robots) {
      const index = agents.length;
      const link = FleetLink.open({ url, name: robot, log });
      await link.ready;
      const node = graph.createNode(`robot_${robot.replaceAll('-', '_')}`);
      const agent = new FleetAgent({
        link,
        node,
        robot,
        site: site.id,
        watch: standInWatch(index),
        mission: standInMission(robot),
        log,
      });
      agents.push({ agent, link });
      await new Promise((r) => setTimeout(r, STAGGER_MS));
    }
  };

  const startPeers = async (url: string) => {
    const nc = await connect({ servers: url, name: 'bench-peer' });
    peerNc = nc;
    nc.subscribe(ECHO_SUBJECT, { callback: (err, m) => !err && m.respond(m.data) });
    const consumer = await nc.jetstream().consumers.get(PEER_STREAM, PEER_CONSUMER);
    const messages = await consumer.consume({ max_messages: 1 });
    void (async () => {
      for await (const m of messages) {
        await m.ackAck();
        send({ kind: 'peer-acked', id: m.string(), atMs: nowMs() });
      }
    })();
  };

  process.on('message', (msg: ToRobots) => {
    void (async () => {
      if (msg.kind === 'clock') send({ kind: 'clock', nowMs: nowMs() });
      if (msg.kind === 'start') {
        await startRobots(msg.url, msg.robots);
        send({ kind: 'started', robots: agents.length });
      }
      if (msg.kind === 'peers') {
        await startPeers(msg.url);
        send({ kind: 'peers-ready' });
      }
      if (msg.kind === 'stop') {
        for (const { agent } of agents) agent.stop();
        await Promise.all(agents.map(({ link }) => link.close()));
        await peerNc?.close();
        spinning.stop();
        graph.shutdown();
        process.exit(0);
      }
    })();
  });
  send({ kind: 'clock', nowMs: nowMs() });
}

await main();
