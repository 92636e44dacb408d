/**
 * A site as the pages draw and name it (GET /api/site on a robot's console; each floor of the
 * fleet console): its desks with their poses, the dock, the centre's hours, the robot's radius.
 */
import type { Site } from '../../map/index.js';
import { weekHours } from '../bridge/centre.js';
import { PROTOCOL_VERSION, type SiteReply } from '../protocol.js';

export function siteReply(site: Site, robotRadius: number): SiteReply {
  return {
    protocol: PROTOCOL_VERSION as typeof PROTOCOL_VERSION,
    id: site.id,
    name: site.name,
    timezone: site.timezone,
    dock: site.dock,
    desks: site.destinations.map((d) => ({
      id: d.id,
      name: d.name,
      organisation: d.organisation,
      ...(d.description ? { description: d.description } : {}),
      pose: d.pose,
    })),
    hours: weekHours(site),
    robot_radius: robotRadius,
  };
}
