/**
 * Driving from Foxglove on the simulated robot with its console: the real store and sessions,
 * the console's teleop deadman and the safety gate. A client without a pass, or with a viewer's,
 * is refused and moves nothing; an operator's drives only while its session holds teleop, through
 * the deadman (zero within 300 ms of the last command) and the gate (its limits, its e-stop).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSessionToken, SESSION_COOKIE } from '../console/auth/index.js';
import type { Twist } from '../ros/index.js';
import { schemaRegistry } from '../ros/schemas/index.js';
import { startConsoleHarness, type ConsoleHarness } from '../../test/support/console-harness.js';
import { startFoxgloveBridge, type RunningFoxgloveBridge } from './bridge.js';
import { FoxglovePasses } from './passes.js';
import { TestClient, until } from './test-support.js';

const registry = schemaRegistry();
let h: ConsoleHarness;
let bridge: RunningFoxgloveBridge;
let passes: FoxglovePasses;
let operatorCookie: string;
/** /cmd_vel_teleop (the deadman's output) and /cmd_vel (the gate's), with simulated time. */
const teleop: Array<{ t: number; twist: Twist }> = [];
const gated: Array<{ t: number; twist: Twist }> = [];
const clients: TestClient[] = [];
/** Commands the bridge handed to the console's deadman (counted by a wrapper around the real one). */
let commands = 0;
const simS = () => Number(h.graph.now().nanoseconds) / 1e9;

/** A pass as the console's route issues it, for the session behind `cookie`. */
function passFor(cookie: string): string {
  const token = cookie.slice(`${SESSION_COOKIE}=`.length);
  const session = h.store.session(hashSessionToken(token), h.wall.ms)!;
  const key = hashSessionToken(token);
  return passes.issue({
    key,
    name: session.user.name,
    role: session.user.role,
    mayDrive: session.user.role !== 'viewer',
    sessionExpiresMs: session.expiresMs,
    sessionAlive: () => h.store.session(key, h.wall.ms) !== undefined,
  }).pass;
}

async function connect(pass?: string): Promise<TestClient> {
  const c = await TestClient.connect(bridge.url, pass === undefined ? {} : { pass });
  clients.push(c);
  return c;
}

/** Advertises a Twist on /cmd_vel as the Teleop panel does (ROS 1 name, cdr). */
function teleopPanel(c: TestClient) {
  const channel = c.client.advertise({
    topic: '/cmd_vel',
    encoding: 'cdr',
    schemaName: 'geometry_msgs/Twist',
  });
  return (linear: number, angular: number) =>
    c.client.sendMessage(
      channel,
      registry.encode('geometry_msgs/msg/Twist', {
        linear: { x: linear, y: 0, z: 0 },
        angular: { x: 0, y: 0, z: angular },
      }),
    );
}

/** Sends a command and waits, without moving simulated time, until the deadman has it. */
async function command(drive: (linear: number, angular: number) => void, linear: number, angular: number) {
  const before = commands;
  drive(linear, angular);
  await h.settle(() => commands > before, 'the command handed to the deadman');
}

beforeAll(async () => {
  h = await startConsoleHarness();
  await h.addUser('olga', 'operator');
  await h.addUser('vera', 'viewer');
  operatorCookie = await h.login('olga');
  passes = new FoxglovePasses({ wallNow: () => h.wall.ms });
  const probe = h.graph.createNode('probe');
  probe.createSubscription('geometry_msgs/msg/Twist', '/cmd_vel_teleop', (twist) =>
    teleop.push({ t: simS(), twist }),
  );
  probe.createSubscription('geometry_msgs/msg/Twist', '/cmd_vel', (twist) =>
    gated.push({ t: simS(), twist }),
  );
  const deadman = h.console.bridge.teleop;
  bridge = await startFoxgloveBridge(h.graph, {
    port: 0,
    passes,
    teleop: {
      command: (key, linear, angular) => (commands++, deadman.command(key, linear, angular)),
      stop: (key) => deadman.stop(key),
    },
    wallNow: () => h.wall.ms,
  });
  await h.step(1);
});
afterAll(async () => {
  for (const c of clients) await c.close();
  await bridge?.stop();
  await h?.stop();
});

describe('teleop from Foxglove', () => {
  it('offers client publishing, and refuses it without a pass', async () => {
    const c = await connect();
    expect(c.serverInfo?.capabilities).toEqual(['time', 'clientPublish']);
    const drive = teleopPanel(c);
    await until(
      () => c.said(/driving needs an operator's Foxglove pass/).length === 1,
      'refused at advertise',
    );
    expect(c.said(/driving needs/)[0]!.level).toBe(2);
    teleop.length = 0;
    drive(0.2, 0);
    await until(() => c.said(/message dropped/).length === 1, 'the message refused');
    await h.step(0.2);
    expect(teleop).toEqual([]);
    expect(h.console.bridge.teleop.driving).toBe(false);
  });

  it("refuses a viewer's pass, and one that is not valid", async () => {
    const viewer = await connect(passFor(await h.login('vera')));
    await until(() => viewer.said(/signed in as vera \(viewer\)$/).length === 1, 'greeted');
    const drive = teleopPanel(viewer);
    await until(
      () => viewer.said(/vera is a viewer; driving needs the operator role/).length === 1,
      'refused',
    );
    drive(0.2, 0);
    await until(() => viewer.said(/operator role; message dropped/).length === 1, 'dropped');
    const forged = await connect('A'.repeat(43));
    await until(() => forged.said(/the pass in the URL is not valid/).length === 1, 'forged pass said');
    teleopPanel(forged);
    await until(() => forged.said(/the Foxglove pass is not valid/).length === 1, 'forged refused');
    await h.step(0.2);
    expect(teleop).toEqual([]);
  });

  it("refuses an operator's commands until the session holds teleop in the console", async () => {
    const c = await connect(passFor(operatorCookie));
    await until(
      () => c.said(/signed in as olga \(operator\); you may drive once you hold teleop/).length === 1,
      'greeted',
    );
    const drive = teleopPanel(c);
    drive(0.2, 0);
    await until(
      () => c.said(/you do not hold teleop: take it in the console/).length === 1,
      'told to take it',
    );
    await c.close();
  });

  it('drives through the deadman and the gate while renewed, and stops within 300 ms of letting go', async () => {
    await h.until(() => h.console.bridge.book.get('mission').state === 'idle', 'the mission idle', 60);
    const take = await h.api('POST', '/api/teleop/take', { cookie: operatorCookie, body: { confirm: true } });
    expect(take.status).toBe(200);
    const c = await connect(passFor(operatorCookie));
    const drive = teleopPanel(c);
    teleop.length = 0;
    gated.length = 0;
    // A Teleop panel at 10 Hz: each command renews the 300 ms the deadman allows.
    for (let i = 0; i < 10; i++) {
      await command(drive, 0.2, 0.3);
      await h.step(0.1);
    }
    const held = teleop.filter((m) => m.twist.angular.z === 0.3);
    expect(held.length).toBeGreaterThan(15);
    expect(teleop.some((m) => m.twist.angular.z === 0)).toBe(false);
    expect(gated.some((m) => m.twist.angular.z > 0)).toBe(true);
    const lastCommand = held.at(-1)!.t;
    await h.step(0.6);
    const zero = teleop.find((m) => m.twist.linear.x === 0 && m.twist.angular.z === 0);
    expect(zero).toBeDefined();
    expect(zero!.t - lastCommand).toBeLessThanOrEqual(0.3 + 0.05 + 1e-6);
    expect(gated.at(-1)!.twist).toMatchObject({ linear: { x: 0 }, angular: { z: 0 } });
    expect(c.statuses.filter((s) => s.level === 2)).toEqual([]);
  });

  it('stops at once when the client lets go of the channel or the socket drops', async () => {
    for (const how of ['unadvertise', 'drop'] as const) {
      const c = await connect(passFor(operatorCookie));
      const channel = c.client.advertise({
        topic: '/cmd_vel_teleop',
        encoding: 'cdr',
        schemaName: 'geometry_msgs/msg/Twist',
      });
      c.client.sendMessage(
        channel,
        registry.encode('geometry_msgs/msg/Twist', {
          linear: { x: 0.1, y: 0, z: 0 },
          angular: { x: 0, y: 0, z: 0 },
        }),
      );
      await h.settle(() => h.console.bridge.teleop.driving, `${how}: driving`);
      if (how === 'unadvertise') c.client.unadvertise(channel);
      else await c.close();
      await h.settle(() => !h.console.bridge.teleop.driving, `${how}: stopped without a step`);
      await h.step(0.01);
      expect(teleop.at(-1)!.twist.linear.x).toBe(0);
    }
  });

  it('is held to the gate: its speed limit, and the e-stop', async () => {
    const c = await connect(passFor(operatorCookie));
    const drive = teleopPanel(c);
    gated.length = 0;
    for (let i = 0; i < 40; i++) {
      await command(drive, 5, 0);
      await h.step(0.1);
    }
    const fastest = Math.max(...gated.map((m) => m.twist.linear.x));
    expect(fastest).toBeGreaterThan(0);
    expect(fastest).toBeLessThanOrEqual(1.0 + 1e-9);
    const estop = await h.api('POST', '/api/estop', { cookie: operatorCookie, body: { engaged: true } });
    expect(estop.body).toMatchObject({ success: true });
    gated.length = 0;
    teleop.length = 0;
    for (let i = 0; i < 5; i++) {
      await command(drive, 0.5, 0);
      await h.step(0.1);
    }
    // The deadman still passes the operator's commands on; the latched gate holds the base at zero.
    expect(teleop.some((m) => m.twist.linear.x === 0.5)).toBe(true);
    expect(gated.length).toBeGreaterThan(0);
    expect(gated.every((m) => m.twist.linear.x === 0 && m.twist.angular.z === 0)).toBe(true);
  });

  it('ends with the session: after logout the pass drives nothing', async () => {
    const cookie = await h.login('olga');
    const c = await connect(passFor(cookie));
    const logout = await h.api('POST', '/api/logout', { cookie, origin: h.origin() });
    expect(logout.status).toBe(204);
    const drive = teleopPanel(c);
    drive(0.2, 0);
    await until(
      () => c.said(/the Foxglove pass is not valid \(ended at logout/).length >= 1,
      'refused after logout',
    );
  });
});
