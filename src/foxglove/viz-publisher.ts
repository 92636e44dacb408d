/**
 * The node 'viz_publisher': what a 3D view or a recording needs to draw the robot and the site
 * and no other node publishes. Both topics are latched, so a recorder or a view that starts later
 * gets them at once.
 *
 * | direction | name | type |
 * |---|---|---|
 * | out | /footprint | geometry_msgs/msg/PolygonStamped (base_link; latched, re-stamped every viz.footprint_period s) |
 * | out | /desks/markers | visualization_msgs/msg/MarkerArray (map; latched, on every change of a desk's open state) |
 * | in  | /guide/desk_status | medhjalparen_msgs/msg/DeskStatusArray (latched: staff's statuses) |
 *
 * The footprint is re-stamped because a view places a stamped shape where its frame was at the
 * stamp: an old stamp would leave it behind a moving robot.
 */
import type { DeskStatusArray } from '../interfaces/index.js';
import type { Site } from '../map/index.js';
import type { RobotDescription } from '../robot-description.js';
import { readDeskStatuses, type StaffDeskStatus } from '../robot/index.js';
import { declareParams, header, secondsToNs, type PolygonStamped, type RosNode } from '../ros/index.js';
import { deskMarkers, desksOpen } from './desk-markers.js';
import { FoxgloveError } from './errors.js';

export const VIZ_NODE = 'viz_publisher';
const LATCHED = { qos: { durability: 'transient_local' as const } };

export const DEFAULT_VIZ_PARAMS = Object.freeze({
  /** s: how often the footprint is re-stamped. */
  footprint_period: 0.1,
  /** Corners of the polygon that draws the round footprint. */
  footprint_sides: 24,
  /** s: how often opening hours are looked at (staff's changes are published at once). */
  desk_check_period: 10,
});

export interface VizPublisherOptions {
  site: Site;
  robot: RobotDescription;
}

export function startVizPublisher(node: RosNode, o: VizPublisherOptions): { stop(): void } {
  const params = declareParams(node, 'viz', { ...DEFAULT_VIZ_PARAMS });
  checkParams(params);
  const log = node.getLogger();
  const footprintPub = node.createPublisher('geometry_msgs/msg/PolygonStamped', '/footprint', LATCHED);
  const markersPub = node.createPublisher('visualization_msgs/msg/MarkerArray', '/desks/markers', LATCHED);
  const known = new Set(o.site.destinations.map((d) => d.id));
  let staff: StaffDeskStatus[] = [];
  let shown = '';

  const publishFootprint = () =>
    footprintPub.publish(footprint(o.robot.radius, params.footprint_sides, node));
  /** Publishes the desks when one opened or closed since the last time (or never published). */
  const publishDesks = () => {
    const open = desksOpen(o.site, staff, node.now().nanoseconds);
    const key = open.map(Number).join('');
    if (key === shown) return;
    shown = key;
    markersPub.publish(deskMarkers(o.site, open, node.now()));
  };

  node.createSubscription(
    'medhjalparen_msgs/msg/DeskStatusArray',
    '/guide/desk_status',
    LATCHED,
    (msg: DeskStatusArray) => {
      const read = readDeskStatuses(msg, known);
      // Problems name fields and ids, never the note's text.
      for (const problem of read.problems) log.warn('viz: desk status refused', { problem });
      staff = read.statuses;
      publishDesks();
    },
  );
  const timers = [
    node.createTimer(secondsToNs(params.footprint_period), publishFootprint),
    node.createTimer(secondsToNs(params.desk_check_period), publishDesks),
  ];
  publishFootprint();
  publishDesks();
  return { stop: () => timers.forEach((t) => t.cancel()) };
}

/** The round footprint as a polygon in base_link, counter-clockwise from +x. */
function footprint(radius: number, sides: number, node: RosNode): PolygonStamped {
  const points = Array.from({ length: sides }, (_, i) => {
    const a = (2 * Math.PI * i) / sides;
    return { x: radius * Math.cos(a), y: radius * Math.sin(a), z: 0 };
  });
  return { header: header('base_link', node.now()), polygon: { points } };
}

function checkParams(p: typeof DEFAULT_VIZ_PARAMS): void {
  const positive = (name: string, value: number) => {
    if (!Number.isFinite(value) || value <= 0)
      throw new FoxgloveError('BAD_OPTION', `viz.${name}`, `expected a number > 0, found ${String(value)}`);
  };
  positive('footprint_period', p.footprint_period);
  positive('desk_check_period', p.desk_check_period);
  if (!Number.isInteger(p.footprint_sides) || p.footprint_sides < 3 || p.footprint_sides > 360) {
    throw new FoxgloveError(
      'BAD_OPTION',
      'viz.footprint_sides',
      `expected a whole number 3…360, found ${String(p.footprint_sides)}`,
    );
  }
}
