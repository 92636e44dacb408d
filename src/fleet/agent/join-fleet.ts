/**
 * A robot joins the fleet: its agent node on the robot's graph, watching the robot as any
 * observer does and working through the mission's own interfaces. Called beside the composition
 * root (the command line, tests), never by it: a robot runs the same with or without a fleet.
 */
import type { Site } from '../../map/index.js';
import { DEFAULT_ROBOT, type RobotDescription } from '../../robot/index.js';
import type { GraphContext } from '../../ros/index.js';
import type { FleetLink, FleetLog } from '../link.js';
import { fleetId } from '../subjects.js';
import { FleetAgent } from './fleet-agent.js';
import { graphMission } from './mission-port.js';
import { RobotWatch } from './robot-watch.js';
import { DeskShare, type DeskShareOptions } from './desk-share.js';

export interface JoinFleetOptions {
  /** This robot's id in the fleet (its credentials name it). */
  robot: string;
  site: Site;
  link: FleetLink;
  log: FleetLog;
  description?: RobotDescription;
  /** The robot console's store and bridge: desk statuses are shared with the site's robots. */
  desks?: Pick<DeskShareOptions, 'store' | 'changed'>;
}

export function joinFleet(graph: GraphContext, options: JoinFleetOptions): FleetAgent {
  const robot = fleetId(options.robot, '--robot-id');
  const node = graph.createNode('fleet_agent');
  return new FleetAgent({
    link: options.link,
    node,
    robot,
    site: fleetId(options.site.id, 'site id'),
    watch: new RobotWatch(node, options.description ?? DEFAULT_ROBOT, options.site.timezone),
    mission: graphMission(node),
    log: options.log,
    ...(options.desks
      ? {
          desks: new DeskShare({
            ...options.desks,
            site: options.site.id,
            desks: options.site.destinations.map((d) => d.id),
            log: options.log,
          }),
        }
      : {}),
  });
}
