/**
 * The nodes a replay runs again on recorded inputs: the ones that decide (guide mission, customer
 * follow, safety gate) and the action servers the mission needs answers from (navigator,
 * behaviour server), since actions are not topics and so are not in a recording. They are started
 * as the composition root starts them, in the same order (timers due at the same instant fire in
 * creation order). Every topic they publish is noted: those are not replayed from the file, the
 * re-run's own messages stand in for them.
 */
import { startGuideMission } from '../../behaviors/index.js';
import type { Site } from '../map/index.js';
import { DEFAULT_INFLATION, buildCostmap } from '../map/index.js';
import { createDockServer, createNavigator, createSpinServer } from '../navigation/index.js';
import { createFollowNode, REAR_CAMERA } from '../perception/index.js';
import type { RobotDescription } from '../robot-description.js';
import { lazyDirectionsBook } from '../robot/index.js';
import type { GraphContext, RosNode } from '../ros/index.js';
import { createSafetyGate, safetyParamsFromRobot } from '../safety/index.js';

export const RERUN_NODES = [
  'safety_gate',
  'navigator',
  'behavior_server',
  'customer_follow',
  'guide_mission',
] as const;

export interface Rerun {
  /** Topics the re-run nodes publish (resolved names). */
  readonly published: ReadonlySet<string>;
  stop(): void;
}

export interface RerunSetup {
  graph: GraphContext;
  site: Site;
  robot: RobotDescription;
  /** The recording has /scan: the gate insists on fresh scans, as it did on the robot. */
  hasScan: boolean;
}

export function startRerun({ graph, site, robot, hasScan }: RerunSetup): Rerun {
  const published = new Set<string>();
  const nodes: RosNode[] = [];
  const node = (name: (typeof RERUN_NODES)[number]) => {
    const n = graph.createNode(name);
    nodes.push(n);
    return noticingPublishers(n, published);
  };
  const gate = createSafetyGate(node('safety_gate'), {
    ...safetyParamsFromRobot(robot),
    require_scan: hasScan,
  });
  const costmap = buildCostmap(site.map, site.zones, {
    ...DEFAULT_INFLATION,
    inscribed_radius: robot.radius,
  });
  const navigator = createNavigator(node('navigator'), { costmap, robot, zones: site.zones });
  const behaviorServer = node('behavior_server');
  const spin = createSpinServer(behaviorServer, { robot });
  const dock = createDockServer(behaviorServer, { robot, costmap });
  const follow = createFollowNode(node('customer_follow'), { camera: REAR_CAMERA });
  const directions = lazyDirectionsBook(site, { robot, costmap });
  const mission = startGuideMission(node('guide_mission'), { site, directions });
  return {
    published,
    stop() {
      for (const part of [mission, follow, dock, spin, navigator, gate]) part.stop();
      for (const n of nodes.reverse()) n.destroy();
    },
  };
}

/** `node`, noting the topic of every publisher made on it. */
function noticingPublishers(node: RosNode, published: Set<string>): RosNode {
  return new Proxy(node, {
    get(target, property) {
      if (property === 'createPublisher') {
        const create: RosNode['createPublisher'] = (type, topic, options) => {
          const publisher = target.createPublisher(type, topic, options);
          published.add(publisher.topic);
          return publisher;
        };
        return create;
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
