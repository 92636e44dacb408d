/**
 * The console benchmark's server process: the console on an embedded graph on the system clock,
 * fed by a stand-in robot (a moving pose on /tf at 50 Hz, a 360-beam scan at 10 Hz, the site's
 * map, the mission's status at 1 Hz), and beside it a bare fastify route serving the same state.
 * Run in its own process so its CPU share can be measured; driven over IPC by bench/console.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { createSessions, hashPassword, SESSION_COOKIE } from '../src/console/auth/index.js';
import { startConsole } from '../src/console/index.js';
import { openStore } from '../src/console/store/index.js';
import { loadSite } from '../src/map/index.js';
import { EmbeddedContext, SystemClock, header, yawToQuaternion, type RosNode } from '../src/ros/index.js';

const SITE_DIR = 'maps/iso-omena';
const BEAMS = 360;

function feedRobot(node: RosNode, dock: { x: number; y: number }): void {
  const tf = node.createPublisher('tf2_msgs/msg/TFMessage', '/tf');
  const scan = node.createPublisher('sensor_msgs/msg/LaserScan', '/scan');
  const status = node.createPublisher('medhjalparen_msgs/msg/GuideStatus', '/guide/status');
  const t0 = node.now().seconds;
  node.createTimer(20_000_000n, () => {
    const t = node.now().seconds - t0;
    tf.publish({
      transforms: [
        {
          header: header('map', node.now()),
          child_frame_id: 'base_link',
          transform: {
            translation: { x: dock.x + Math.cos(t / 5), y: dock.y + Math.sin(t / 5), z: 0 },
            rotation: yawToQuaternion(t / 5 + Math.PI / 2),
          },
        },
      ],
    });
  });
  node.createTimer(100_000_000n, () => {
    const ranges = new Float32Array(BEAMS).map((_, i) => 2 + Math.sin(i / 10 + node.now().seconds));
    scan.publish({
      header: header('base_link', node.now()),
      angle_min: -Math.PI,
      angle_max: Math.PI,
      angle_increment: (2 * Math.PI) / BEAMS,
      time_increment: 0,
      scan_time: 0.1,
      range_min: 0.1,
      range_max: 12,
      ranges,
      intensities: new Float32Array(0),
    });
  });
  node.createTimer(1_000_000_000n, () =>
    status.publish({
      header: header('', node.now()),
      state: 'idle',
      request_id: '',
      destination_id: '',
      reason: '',
      why: '',
    }),
  );
}

async function main(): Promise<void> {
  const site = await loadSite(SITE_DIR);
  const graph = new EmbeddedContext({ clock: new SystemClock() });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'console-bench-'));
  const store = openStore(dataDir);
  const user = store.addUser('bench', 'viewer', await hashPassword('a bench password'), Date.now());
  const { token } = createSessions(store, { nowMs: () => Date.now() }).start(user);
  const feeder = graph.createNode('feeder');
  feeder
    .createPublisher('nav_msgs/msg/OccupancyGrid', '/map', { qos: { durability: 'transient_local' } })
    .publish(site.map.toMsg(graph.now()));
  feedRobot(feeder, site.dock);
  // The rate limiter stays on (its cost is part of the route's), with room for the load.
  const web = await startConsole({
    graph,
    site,
    store,
    listen: '127.0.0.1:0',
    limits: { generalPerMinute: 1e9 },
  });
  const bare = Fastify({ logger: false });
  bare.get('/state', async () => web.bridge.book.full());
  await bare.listen({ host: '127.0.0.1', port: 0 });
  const barePort = (bare.server.address() as { port: number }).port;
  const spinning = graph.spin();

  let cpu = process.cpuUsage();
  let wall = performance.now();
  process.on('message', async (msg: { kind: string }) => {
    if (msg.kind === 'clock') process.send!({ kind: 'clock', nowMs: Number(graph.now().nanoseconds) / 1e6 });
    if (msg.kind === 'cpu-start') {
      cpu = process.cpuUsage();
      wall = performance.now();
    }
    if (msg.kind === 'cpu-stop') {
      const used = process.cpuUsage(cpu);
      const ms = performance.now() - wall;
      process.send!({ kind: 'cpu', percent: (100 * (used.user + used.system)) / 1000 / ms });
    }
    if (msg.kind === 'stop') {
      spinning.stop();
      await web.stop();
      await bare.close();
      graph.shutdown();
      store.close();
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    }
  });
  process.send!({ kind: 'ready', url: web.url, barePort, cookie: `${SESSION_COOKIE}=${token}` });
}

await main();
