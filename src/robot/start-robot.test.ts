import { beforeAll, describe, expect, it } from 'vitest';
import { loadSite, type Site } from '../map/index.js';
import {
  EmbeddedContext,
  SimClock,
  twist,
  type GraphContext,
  type NodeOptions,
  type RosNode,
} from '../ros/index.js';
import { DEFAULT_ROBOT, startBaseBringUp, startRobot, type World } from './index.js';

const MS = 1_000_000n;
let site: Site;
beforeAll(async () => {
  site = await loadSite('maps/iso-omena');
});

/**
 * A stand-in world with no devices (a test double, named as one): it starts nothing, so the
 * probe plays the devices. It says it has no lidar, so the gate does not wait for scans.
 */
function emptyWorld(
  provides = { scan: false, localization: true },
): World & { started: number; stopped: number } {
  const world = {
    describe: 'no devices (test stand-in)',
    provides,
    started: 0,
    stopped: 0,
    preflight: async () => [],
    start: async () => {
      world.started++;
      return { stop: async () => void world.stopped++ };
    },
  };
  return world;
}

/** An embedded graph that also hands out the nodes it made, by name (a real graph underneath). */
function graphWithNodes() {
  const ctx = new EmbeddedContext({ clock: new SimClock(0n) });
  const nodes = new Map<string, RosNode>();
  const graph: GraphContext = {
    createNode: (name: string, namespace?: string, options?: NodeOptions) => {
      const node = ctx.createNode(name, namespace, options);
      nodes.set(name, node);
      return node;
    },
    now: () => ctx.now(),
    spinSome: () => ctx.spinSome(),
    spin: () => ctx.spin(),
    shutdown: () => ctx.shutdown(),
  };
  return { ctx, graph, nodes, clock: ctx.clock as SimClock };
}

/** Drives /cmd_vel_teleop at 20 Hz for `ms` and returns the gate's fastest /cmd_vel. */
function fastestGatedSpeed(rig: ReturnType<typeof graphWithNodes>, requested: number, ms: number): number {
  const probe = rig.graph.createNode('probe');
  const teleop = probe.createPublisher('geometry_msgs/msg/Twist', '/cmd_vel_teleop');
  let fastest = 0;
  probe.createSubscription(
    'geometry_msgs/msg/Twist',
    '/cmd_vel',
    (m) => (fastest = Math.max(fastest, m.linear.x)),
  );
  for (let t = 10n * MS; t <= BigInt(ms) * MS; t += 10n * MS) {
    if (t % (50n * MS) === 0n) teleop.publish(twist(requested, 0));
    rig.clock.advanceTo(t);
    rig.ctx.spinSome();
  }
  return fastest;
}

describe('the composition root', () => {
  it('starts the world first and stops it last, with every node of the robot on the graph', async () => {
    const rig = graphWithNodes();
    const world = emptyWorld();
    const robot = await startRobot({ graph: rig.graph, world, site });
    expect(world.started).toBe(1);
    expect([...rig.nodes.keys()]).toEqual([
      'map_server',
      'safety_gate',
      'navigator',
      'behavior_server',
      'customer_follow',
      'people_count',
      'guide_mission',
      'guide_action',
    ]);
    await robot.stop();
    expect(world.stopped).toBe(1);
  });

  it("beside Nav2 starts neither navigator nor behaviour server, and the mission waits for Nav2's", async () => {
    const rig = graphWithNodes();
    const robot = await startRobot({
      graph: rig.graph,
      world: emptyWorld(),
      site,
      navigation: 'nav2',
      params: { guide_mission: { 'nav2.server_timeout_s': 4 } },
    });
    expect([...rig.nodes.keys()]).toEqual([
      'map_server',
      'safety_gate',
      'customer_follow',
      'people_count',
      'guide_mission',
      'guide_action',
    ]);
    expect(rig.nodes.get('guide_mission')!.getParameter('nav2.server_timeout_s').value).toBe(4);
    expect(rig.nodes.get('safety_gate')!.getParameter('safety.nav_cmd_topic').value).toBe('/cmd_vel_nav');
    await robot.stop();
  });

  it('refuses a navigation stack it does not know, naming the field', async () => {
    const rig = graphWithNodes();
    const world = emptyWorld();
    await expect(
      startRobot({ graph: rig.graph, world, site, navigation: 'move_base' as never }),
    ).rejects.toThrow(`RobotSetup.navigation: expected one of internal, nav2, found "move_base"`);
    expect(world.started).toBe(0);
  });

  it('localises with AMCL from the dock when the world has a lidar but no localiser', async () => {
    const rig = graphWithNodes();
    const robot = await startRobot({
      graph: rig.graph,
      world: emptyWorld({ scan: true, localization: false }),
      site,
    });
    expect(rig.nodes.has('amcl')).toBe(true);
    expect(rig.nodes.has('localizer')).toBe(false);
    expect(rig.nodes.get('amcl')!.getParameter('initial_pose.x').value).toBe(site.dock.x);
    await robot.stop();
  });

  it('localises on odometry from the dock when the world has neither lidar nor localiser', async () => {
    const rig = graphWithNodes();
    const robot = await startRobot({
      graph: rig.graph,
      world: emptyWorld({ scan: false, localization: false }),
      site,
    });
    expect(rig.nodes.has('localizer')).toBe(true);
    expect(rig.nodes.has('amcl')).toBe(false);
    await robot.stop();
  });

  it('finds people in the scan whenever the world has a lidar, and only then', async () => {
    for (const scan of [true, false]) {
      const rig = graphWithNodes();
      const robot = await startRobot({
        graph: rig.graph,
        world: emptyWorld({ scan, localization: true }),
        site,
      });
      expect(rig.nodes.has('people_detector')).toBe(scan);
      await robot.stop();
    }
  });

  it('gives each node the parameter overrides named for it (issue 9: RobotOptions.params was never read)', async () => {
    const rig = graphWithNodes();
    const robot = await startRobot({
      graph: rig.graph,
      world: emptyWorld(),
      site,
      params: { navigator: { timeout: 123 }, safety_gate: { 'safety.max_linear': 0.3 } },
    });
    expect(rig.nodes.get('navigator')!.getParameter('timeout').value).toBe(123);
    expect(rig.nodes.get('guide_mission')!.hasParameter('timeout')).toBe(false);
    // And it is the value the node works with: the gate caps a teleop command at 0.3 m/s.
    const fastest = fastestGatedSpeed(rig, 1.0, 3000);
    expect(fastest).toBeCloseTo(0.3, 6);
    await robot.stop();
  });

  it('sizes the safety gate from the robot description (issue 9: options.robot never reached the gate)', async () => {
    const rig = graphWithNodes();
    const robot = { ...DEFAULT_ROBOT, maxLinear: 0.5 };
    const running = await startRobot({ graph: rig.graph, world: emptyWorld(), site, robot });
    expect(rig.nodes.get('safety_gate')!.getParameter('safety.max_linear').value).toBe(0.5);
    expect(fastestGatedSpeed(rig, 1.0, 3000)).toBeCloseTo(0.5, 6);
    await running.stop();
  });

  it('makes the gate insist on fresh scans exactly when the world has a lidar', async () => {
    for (const scan of [true, false]) {
      const rig = graphWithNodes();
      const running = await startBaseBringUp({
        graph: rig.graph,
        world: emptyWorld({ scan, localization: false }),
      });
      expect(running.gate.params.require_scan).toBe(scan);
      // Without a scan, a world with a lidar holds the robot; a bench world lets it drive.
      expect(fastestGatedSpeed(rig, 0.4, 1500) > 0).toBe(!scan);
      await running.stop();
    }
  });
});
