/**
 * The Foxglove bridge on the robot: the composition root on the simulated Iso Omena floor, the
 * viz publisher beside it, simulated time stepped by the test, and ws-protocol's own
 * FoxgloveClient over real sockets. What an engineer opening Foxglove gets: every topic with a
 * schema Foxglove parses, the map, odometry, footprint and desks as CDR, latched topics for late
 * subscribers, the node clock; and nothing private, nothing subscribed on the graph for nobody.
 */
import { parse } from '@foxglove/rosmsg';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEFAULT_SITE } from '../../cli/package-files.js';
import { SimulatorWorld } from '../../sim/simulator-world.js';
import { loadSite, type Site } from '../map/index.js';
import { DEFAULT_ROBOT, startRobot, type RunningRobot } from '../robot/index.js';
import {
  EmbeddedContext,
  type LaserScan,
  type MarkerArray,
  type OccupancyGrid,
  type Odometry,
  type PolygonStamped,
  type Publisher,
  type TFMessage,
} from '../ros/index.js';
import { schemaRegistry, type SchemaRegistry } from '../ros/schemas/index.js';
import { startFoxgloveBridge, type RunningFoxgloveBridge } from './bridge.js';
import { TestClient, until } from './test-support.js';
import { startVizPublisher } from './viz-publisher.js';

const START_MS = Date.parse('2026-11-26T09:00:00+02:00');
const registry = schemaRegistry();
let site: Site;
let world: SimulatorWorld;
let graph: EmbeddedContext;
let robot: RunningRobot;
let bridge: RunningFoxgloveBridge;
let camera: Publisher<'sensor_msgs/msg/Image'>;
let chatter: Publisher<'std_msgs/msg/String'>;
const clients: TestClient[] = [];

async function step(seconds: number): Promise<void> {
  for (let i = 0; i < Math.round(seconds / 0.01); i++) {
    world.step();
    graph.spinSome();
    if (i % 5 === 4) await new Promise((r) => setImmediate(r));
  }
}

/** Steps simulated time until `cond` holds (socket traffic gets its turns in between). */
async function stepUntil(cond: () => boolean, what: string, maxS = 20): Promise<void> {
  for (let t = 0; !cond(); t += 0.05) {
    if (t > maxS) throw new Error(`not within ${maxS} s of simulated time: ${what}`);
    await step(0.05);
  }
}

async function connect(): Promise<TestClient> {
  const c = await TestClient.connect(bridge.url);
  clients.push(c);
  await until(() => c.channels.has('/desks/markers'), 'the channel list');
  return c;
}

const decode = <T>(c: TestClient, topic: string, sub: number, i = 0) =>
  registry.decode(c.channel(topic).schemaName, c.of(sub)[i]!.data) as T;

beforeAll(async () => {
  site = await loadSite(DEFAULT_SITE);
  const startNs = BigInt(START_MS) * 1_000_000n;
  world = new SimulatorWorld({ site, robot: DEFAULT_ROBOT, seed: 1, robotStart: site.dock, startNs });
  graph = new EmbeddedContext({ clock: world.clock });
  robot = await startRobot({ graph, world, site });
  startVizPublisher(graph.createNode('viz_publisher'), { site, robot: DEFAULT_ROBOT });
  const probe = graph.createNode('probe');
  camera = probe.createPublisher('sensor_msgs/msg/Image', '/camera/rear/image_raw');
  chatter = probe.createPublisher('std_msgs/msg/String', '/probe/chatter');
  await step(0.5);
  bridge = await startFoxgloveBridge(graph, { port: 0 });
});
afterAll(async () => {
  for (const c of clients) await c.close();
  await bridge?.stop();
  await robot?.stop();
  graph?.shutdown();
});

describe('the Foxglove live view on the robot', () => {
  it('listens on 127.0.0.1 only, unless told otherwise', async () => {
    expect(bridge.host).toBe('127.0.0.1');
    expect(bridge.url).toBe(`ws://127.0.0.1:${bridge.port}/`);
    const outside = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    // On a machine with a network address, the server is not reachable on it.
    if (outside) {
      const ws = new WebSocket(`ws://${outside.address}:${bridge.port}/`, ['foxglove.websocket.v1']);
      const error = await new Promise<Error>((resolve) => ws.on('error', resolve));
      expect(error.message).toMatch(/ECONNREFUSED/);
    }
  });

  it('advertises each topic with a ros2msg schema that Foxglove parses', async () => {
    const c = await connect();
    expect(c.serverInfo).toMatchObject({
      name: 'medhjalparen',
      capabilities: ['time'],
      supportedEncodings: ['cdr'],
    });
    for (const topic of [
      '/map',
      '/tf',
      '/tf_static',
      '/odom',
      '/scan',
      '/plan',
      '/people',
      '/footprint',
      '/desks/markers',
      '/safety/state',
      '/guide/status',
      '/guide/say',
    ]) {
      expect(c.channels.has(topic), topic).toBe(true);
    }
    for (const ch of c.channels.values()) {
      expect(ch).toMatchObject({ encoding: 'cdr', schemaEncoding: 'ros2msg' });
      expect(ch.schemaName).toMatch(/^[a-z0-9_]+\/msg\/[A-Za-z0-9]+$/);
      const defs = parse(ch.schema, { ros2: true });
      expect(defs.length, ch.topic).toBeGreaterThan(0);
      expect(registry.schema(ch.schemaName).data).toBe(ch.schema);
    }
    expect(c.channel('/desks/markers').schemaName).toBe('visualization_msgs/msg/MarkerArray');
    expect(c.channel('/footprint').schemaName).toBe('geometry_msgs/msg/PolygonStamped');
  });

  it("never advertises camera frames or a customer's words, and says why", async () => {
    const c = await connect();
    expect(c.channels.has('/camera/rear/image_raw')).toBe(false);
    expect(c.channels.has('/guide/request')).toBe(false);
    expect([...c.channels.values()].filter((ch) => /Image|GuideRequest/.test(ch.schemaName))).toEqual([]);
    expect(bridge.hidden()).toEqual(
      expect.arrayContaining([
        { topic: '/camera/rear/image_raw', type: 'sensor_msgs/msg/Image', why: 'camera frames show people' },
        {
          topic: '/guide/request',
          type: 'medhjalparen_msgs/msg/GuideRequest',
          why: "a request holds the customer's own words",
        },
      ]),
    );
    camera.publish({
      header: { stamp: { sec: 0, nanosec: 0 }, frame_id: 'rear' },
      height: 1,
      width: 1,
      encoding: 'mono8',
      is_bigendian: 0,
      step: 1,
      data: new Uint8Array(1),
    });
    expect(camera.subscriptionCount()).toBe(0);
  });

  it('subscribes on the graph only while some client subscribes', async () => {
    const a = await connect();
    const b = await connect();
    expect(chatter.subscriptionCount()).toBe(0);
    const subA = a.subscribe('/probe/chatter');
    await until(() => chatter.subscriptionCount() === 1, 'subscribed on the graph');
    const subB = b.subscribe('/probe/chatter');
    await until(() => bridge.clients().filter((s) => s.subscriptions === 1).length === 2, 'both subscribed');
    expect(chatter.subscriptionCount()).toBe(1);
    chatter.publish({ data: 'hej' });
    await step(0.01);
    await until(() => a.of(subA).length === 1 && b.of(subB).length === 1, 'both got it');
    a.client.unsubscribe(subA);
    await until(() => bridge.clients().filter((s) => s.subscriptions === 1).length === 1, 'a unsubscribed');
    expect(chatter.subscriptionCount()).toBe(1);
    await b.close();
    await until(() => chatter.subscriptionCount() === 0, 'off the graph when nobody subscribes');
  });

  it('sends the map, odometry, the footprint and the desks as CDR the registry decodes', async () => {
    const c = await connect();
    const topics = ['/map', '/odom', '/tf', '/scan', '/footprint', '/desks/markers'];
    const subs = Object.fromEntries(topics.map((t) => [t, c.subscribe(t)]));
    await stepUntil(() => Object.values(subs).every((s) => c.of(s).length > 0), 'a message on each');
    const map = decode<OccupancyGrid>(c, '/map', subs['/map']!);
    expect(map.info).toMatchObject({ width: site.map.width, height: site.map.height });
    expect(map.data.length).toBe(site.map.width * site.map.height);
    const odom = decode<Odometry>(c, '/odom', subs['/odom']!);
    expect(odom.header.frame_id).toBe('odom');
    expect(odom.child_frame_id).toBe('base_link');
    const tf = decode<TFMessage>(c, '/tf', subs['/tf']!);
    expect(tf.transforms.map((t) => `${t.header.frame_id}→${t.child_frame_id}`)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^(map→odom|odom→base_link)$/)]),
    );
    const scan = decode<LaserScan>(c, '/scan', subs['/scan']!);
    expect(scan.ranges).toHaveLength(DEFAULT_ROBOT.lidar.beams);
    const footprint = decode<PolygonStamped>(c, '/footprint', subs['/footprint']!);
    expect(footprint.header.frame_id).toBe('base_link');
    expect(footprint.polygon.points).toHaveLength(24);
    for (const p of footprint.polygon.points)
      expect(Math.hypot(p.x, p.y)).toBeCloseTo(DEFAULT_ROBOT.radius, 5);
    const desks = decode<MarkerArray>(c, '/desks/markers', subs['/desks/markers']!);
    expect(desks.markers[0]!.action).toBe(3);
    expect(desks.markers.filter((m) => m.ns === 'desks')).toHaveLength(site.destinations.length);
    const kela = site.destinations.findIndex((d) => d.id === 'kela');
    const label = desks.markers.find((m) => m.ns === 'desk_labels' && m.id === kela)!;
    expect(label.text).toBe(`${site.destinations[kela]!.name.en}\nopen`);
    expect(label.header.frame_id).toBe('map');
  });

  it('replays latched topics to a client that subscribes after they were published', async () => {
    const first = await connect();
    const firstSub = first.subscribe('/map');
    await stepUntil(() => first.of(firstSub).length === 1, 'the first client has the map');
    // The graph subscription is live already: the late client gets the kept copy at once.
    const late = await connect();
    const lateSub = late.subscribe('/map');
    await until(() => late.of(lateSub).length === 1, 'the late client has the map, with no step');
    expect(Buffer.compare(late.of(lateSub)[0]!.data, first.of(firstSub)[0]!.data)).toBe(0);
    await step(1);
    expect(first.of(firstSub)).toHaveLength(1);
    expect(late.of(lateSub)).toHaveLength(1);
  });

  it('encodes each message once, whatever the number of clients', async () => {
    const counting = countingRegistry(registry);
    const own = await startFoxgloveBridge(graph, {
      port: 0,
      registry: counting.registry,
      nodeName: 'foxglove_counted',
    });
    try {
      const cs = await Promise.all([0, 1, 2].map(() => TestClient.connect(own.url)));
      clients.push(...cs);
      await until(() => cs.every((c) => c.channels.has('/odom')), 'channels');
      const subs = cs.map((c) => c.subscribe('/odom'));
      await until(() => own.clients().every((s) => s.subscriptions === 1), 'all subscribed');
      await stepUntil(() => cs.every((c, i) => c.of(subs[i]!).length >= 10), 'ten odometry messages each');
      await step(0.2);
      await until(
        () => new Set(cs.map((c, i) => c.of(subs[i]!).length)).size === 1,
        'the same count everywhere',
      );
      expect(counting.encoded('nav_msgs/msg/Odometry')).toBe(cs[0]!.of(subs[0]!).length);
      const same = cs[1]!
        .of(subs[1]!)
        .every((m, i) => Buffer.compare(m.data, cs[0]!.of(subs[0]!)[i]!.data) === 0);
      expect(same).toBe(true);
    } finally {
      await own.stop();
    }
  });

  it('keeps time with the node clock', async () => {
    const c = await connect();
    const before = c.times.length;
    await step(1);
    await until(() => c.times.length >= before + 9, 'time at 10 Hz');
    const last = c.times.at(-1)!;
    const now = graph.now().nanoseconds;
    expect(now - last).toBeGreaterThanOrEqual(0n);
    expect(now - last).toBeLessThanOrEqual(100_000_000n);
  });
});

/** The real registry, counting what it encodes (a wrapper, not a stand-in). */
function countingRegistry(real: SchemaRegistry) {
  const counts = new Map<string, number>();
  const encode = (type: string, msg: unknown) => {
    counts.set(type, (counts.get(type) ?? 0) + 1);
    return real.encode(type, msg);
  };
  const registry = new Proxy(real, {
    get(target, prop) {
      if (prop === 'encode') return encode;
      const value: unknown = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { registry, encoded: (type: string) => counts.get(type) ?? 0 };
}
