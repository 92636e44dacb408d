/**
 * The composition root: which nodes make up the robot and what each is given. The same
 * controller runs on the simulator, the firmware or ROS 2; only this wiring (and what is on the
 * other end of the topics) changes.
 */
import { startGuideMission } from '../behaviors/index.js';
import type { Site } from './map/index.js';
import { DEFAULT_INFLATION, buildCostmap } from './map/index.js';
import { createNavigator } from './navigation/index.js';
import { createFollowNode } from './perception/index.js';
import type { EmbeddedContext, ParameterValue } from './ros/index.js';
import { DEFAULT_ROBOT, type RobotDescription } from './robot-description.js';
import { createSafetyGate } from './safety/index.js';

export interface RobotOptions {
  robot?: RobotDescription;
  /** Parameter overrides by node name are given to the EmbeddedContext instead. */
  params?: Record<string, ParameterValue>;
}

export interface RunningRobot {
  /** Stops every node's work; the safety gate's last word is a zero command. */
  stop(): void;
}

/** Starts the robot's nodes on a node graph: map server, safety gate, navigator, guide mission. */
export function startRobot(ctx: EmbeddedContext, site: Site, options: RobotOptions = {}): RunningRobot {
  const robot = options.robot ?? DEFAULT_ROBOT;

  const mapServer = ctx.createNode('map_server');
  mapServer
    .createPublisher('nav_msgs/msg/OccupancyGrid', '/map', { qos: { durability: 'transient_local' } })
    .publish(site.map.toMsg(mapServer.now()));

  const safetyNode = ctx.createNode('safety_gate');
  const gate = createSafetyGate(safetyNode);

  const navNode = ctx.createNode('navigator');
  const costmap = buildCostmap(site.map, site.zones, {
    ...DEFAULT_INFLATION,
    inscribed_radius: robot.radius,
  });
  const navigator = createNavigator(navNode, { costmap, robot, zones: site.zones });

  // The customer-follow signal from the rear camera's face detections (real or simulated).
  const perceptionNode = ctx.createNode('customer_follow');
  const follow = createFollowNode(perceptionNode);

  const missionNode = ctx.createNode('guide_mission');
  const mission = startGuideMission(missionNode, { site });

  return {
    stop() {
      mission.stop();
      follow.stop();
      navigator.stop?.();
      gate.stop?.();
      for (const n of [missionNode, perceptionNode, navNode, safetyNode, mapServer]) n.destroy();
    },
  };
}
