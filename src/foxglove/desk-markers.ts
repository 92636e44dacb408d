/**
 * The site's destinations as markers a 3D view draws in the map frame: a disc where the robot
 * stops with its customer, green while the desk is open and red while it is closed (staff's
 * status where one applies, else its opening hours: decided as the mission decides it), and a
 * label with its name. The array starts with DELETEALL, so a view drops desks that went away.
 */
import type { Site } from '../map/index.js';
import { deskNow, type StaffDeskStatus } from '../robot/index.js';
import {
  header,
  pose2dToPose,
  type ColorRGBA,
  type Marker,
  type MarkerArray,
  type Time,
} from '../ros/index.js';

/** visualization_msgs/msg/Marker constants. */
const CYLINDER = 3;
const TEXT_VIEW_FACING = 9;
const ADD = 0;
const DELETEALL = 3;

export const OPEN_COLOUR: ColorRGBA = { r: 0.2, g: 0.7, b: 0.3, a: 0.9 };
export const CLOSED_COLOUR: ColorRGBA = { r: 0.85, g: 0.2, b: 0.2, a: 0.9 };
const LABEL_COLOUR: ColorRGBA = { r: 1, g: 1, b: 1, a: 1 };
/** m: the disc's diameter and height, and the label's height above the floor and its size. */
const DISC = { diameter: 0.5, height: 0.05 };
const LABEL = { z: 1.0, size: 0.3 };

/** Each destination open (true) or closed at `nowNs`, in the site's order. */
export function desksOpen(site: Site, staff: readonly StaffDeskStatus[], nowNs: bigint): boolean[] {
  const byId = new Map(staff.map((s) => [s.destinationId, s]));
  return site.destinations.map((d) => deskNow(d, byId.get(d.id), nowNs, site.timezone).open);
}

export function deskMarkers(site: Site, open: readonly boolean[], stamp: Time): MarkerArray {
  const h = header('map', stamp);
  const markers: Marker[] = [{ ...blankMarker(h), action: DELETEALL }];
  site.destinations.forEach((desk, i) => {
    const isOpen = open[i] ?? false;
    const pose = pose2dToPose(desk.pose);
    markers.push({
      ...blankMarker(h),
      ns: 'desks',
      id: i,
      type: CYLINDER,
      pose: { ...pose, position: { ...pose.position, z: DISC.height / 2 } },
      scale: { x: DISC.diameter, y: DISC.diameter, z: DISC.height },
      color: isOpen ? OPEN_COLOUR : CLOSED_COLOUR,
    });
    markers.push({
      ...blankMarker(h),
      ns: 'desk_labels',
      id: i,
      type: TEXT_VIEW_FACING,
      pose: {
        position: { x: desk.pose.x, y: desk.pose.y, z: LABEL.z },
        orientation: { x: 0, y: 0, z: 0, w: 1 },
      },
      scale: { x: 0, y: 0, z: LABEL.size },
      color: LABEL_COLOUR,
      text: `${desk.name.en}\n${isOpen ? 'open' : 'closed'}`,
    });
  });
  return { markers };
}

/** Every field of a Marker, empty: an ADD of nothing at the origin, forever. */
function blankMarker(h: Marker['header']): Marker {
  return {
    header: h,
    ns: '',
    id: 0,
    type: CYLINDER,
    action: ADD,
    pose: { position: { x: 0, y: 0, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } },
    scale: { x: 1, y: 1, z: 1 },
    color: { r: 0, g: 0, b: 0, a: 0 },
    lifetime: { sec: 0, nanosec: 0 },
    frame_locked: false,
    points: [],
    colors: [],
    texture_resource: '',
    texture: { header: h, format: '', data: new Uint8Array(0) },
    uv_coordinates: [],
    text: '',
    mesh_resource: '',
    mesh_file: { filename: '', data: new Uint8Array(0) },
    mesh_use_embedded_materials: false,
  };
}
