/**
 * The robot beside Nav2 (`navigation: 'nav2'`), on the simulated floor and simulated time. Nav2
 * is played by the robot's own navigator and spin behaviour, started on their own nodes under
 * Nav2's names as if they were Nav2's bt_navigator and behavior_server: they serve Nav2's exact
 * interface (nav2_msgs actions on /navigate_to_pose and /spin, Nav2's result codes) and publish
 * /cmd_vel_nav, the controller output Nav2's bringup remaps there, which the safety gate takes.
 * The robot composes neither of them itself.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GuideStatus, Utterance } from '../src/interfaces/index.js';
import { DEFAULT_INFLATION, buildCostmap, loadSite } from '../src/map/index.js';
import { createDockServer, createNavigator, createSpinServer } from '../src/navigation/index.js';
import { DEFAULT_ROBOT, startRobot } from '../src/robot/index.js';
import { EmbeddedContext, distance, type GraphContext } from '../src/ros/index.js';
import { runScenario } from '../sim/runner.js';
import { parseScenario } from '../sim/scenario.js';
import { SimulatorWorld } from '../sim/simulator-world.js';

const SCENARIO = `
name: escort beside Nav2
description: One customer to the service point, then one who walks off and is looked for.
site: ../../maps/iso-omena
seed: 15
start_time: 2026-11-26T10:00:00+02:00
customers:
  - { ask: 'asukaspalvelupiste', expect: { outcome: arrived, destination: service-point } }
  - ask: 'Where is the library?'
    behaviour: { lost: { after: 8 } }
    expect: { outcome: lost, destination: library, says: [escort.wait, escort.look, escort.ask, escort.lost] }
expect:
  collisions: 0
`;

/** An embedded graph that also lists the names of the nodes made on it (a real graph underneath). */
function namingGraph(ctx: EmbeddedContext): { graph: GraphContext; names: string[] } {
  const names: string[] = [];
  const graph: GraphContext = {
    createNode: (name, namespace, options) => {
      names.push(name);
      return ctx.createNode(name, namespace, options);
    },
    now: () => ctx.now(),
    spinSome: () => ctx.spinSome(),
    spin: () => ctx.spin(),
    shutdown: () => ctx.shutdown(),
  };
  return { graph, names };
}

describe('the robot beside Nav2', () => {
  it('escorts a customer to a desk and returns, navigating only through Nav2-named servers', async () => {
    const scenario = parseScenario(SCENARIO, path.join('sim', 'scenarios', 'nav2-inline.yaml'));
    const site = await loadSite(scenario.siteDir);
    const startNs = BigInt(scenario.startEpochMs) * 1_000_000n;
    const world = new SimulatorWorld({
      site,
      robot: DEFAULT_ROBOT,
      seed: scenario.seed,
      robotStart: site.dock,
      startNs,
    });
    const { graph, names } = namingGraph(new EmbeddedContext({ clock: world.clock }));
    const robot = await startRobot({ graph, world, site, navigation: 'nav2' });
    expect(names).not.toContain('navigator');
    expect(names).not.toContain('behavior_server');

    // "Nav2", launched beside the robot: the robot's own servers on Nav2's node names.
    const costmap = buildCostmap(site.map, site.zones, {
      ...DEFAULT_INFLATION,
      inscribed_radius: DEFAULT_ROBOT.radius,
    });
    const btNavigator = createNavigator(graph.createNode('bt_navigator'), {
      costmap,
      robot: DEFAULT_ROBOT,
      zones: site.zones,
    });
    const behaviorServer = createSpinServer(graph.createNode('behavior_server'), { robot: DEFAULT_ROBOT });
    const dockingServer = createDockServer(graph.createNode('docking_server'), {
      robot: DEFAULT_ROBOT,
      costmap,
    });
    let turned = 0;
    const probe = graph.createNode('nav2_probe');
    const statuses: GuideStatus[] = [];
    const said: Utterance[] = [];
    probe.createSubscription('medhjalparen_msgs/msg/GuideStatus', '/guide/status', (s) => statuses.push(s));
    probe.createSubscription('medhjalparen_msgs/msg/Utterance', '/guide/say', (u) => said.push(u));
    probe.createSubscription('geometry_msgs/msg/Twist', '/cmd_vel', (t) => {
      if (behaviorServer.busy() && Math.abs(t.angular.z) > 0.1) turned++;
    });

    const report = await runScenario(scenario, { site, world, graph, robot });
    btNavigator.stop();
    behaviorServer.stop();
    dockingServer.stop();

    expect(report.requests.map((r) => [r.outcome, r.destination])).toEqual([
      ['arrived', 'service-point'],
      ['lost', 'library'],
    ]);
    expect(report.ok).toBe(true);
    expect(report.collisions).toEqual({ wall: 0, obstacle: 0, person: 0 });
    // Home again after each: escorted, arrived, back to idle at the dock.
    const trail = statuses.map((s) => s.state).filter((s, i, all) => s !== all[i - 1]);
    const first = trail.indexOf('understanding');
    expect(trail.slice(first, first + 5)).toEqual([
      'understanding',
      'escorting',
      'arrived',
      'returning',
      'idle',
    ]);
    expect(trail.at(-1)).toBe('idle');
    expect(distance(world.physics.robotPose(), site.dock)).toBeLessThan(0.5);
    // The turn to look went to Nav2's behavior_server, and through the gate to the wheels.
    expect(said.map((u) => u.kind)).toContain('escort.look');
    expect(turned).toBeGreaterThan(10);
  });
});
