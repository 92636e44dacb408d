/**
 * Which topics of the graph a Foxglove client may see, and how the bridge subscribes to them.
 * The policy is by type first (a camera frame is private whatever its topic is called), then by
 * name for the few topics whose publishers latch.
 */

/**
 * Types never advertised, with why. A topic of one of these types does not exist for a client:
 * it is not in the channel list, so it can neither be subscribed to nor recorded from here.
 */
export const PRIVATE_TYPES: ReadonlyMap<string, string> = new Map([
  // Privacy: camera frames show the faces of customers and passers-by. The robot uses its
  // camera's frames only inside the detector node; they never leave the process.
  ['sensor_msgs/msg/Image', 'camera frames show people'],
  ['sensor_msgs/msg/CompressedImage', 'camera frames show people'],
  // Privacy: a request holds what a customer typed or said, in their own words (a name, an
  // identity number, an illness). The project keeps customer text out of logs and recordings.
  ['medhjalparen_msgs/msg/GuideRequest', "a request holds the customer's own words"],
]);
// Checked and allowed: medhjalparen_msgs/msg/Utterance (/guide/say) is the robot's words, made
// only from the site's phrases and names (desk names, times, directions): the mission renders
// it from a phrase key and site data and never echoes a customer's text into it. Likewise
// GuideStatus.why is built from the site's catalogue terms, not the customer's words.

/** Topics subscribed as transient_local: the robot's latched topics (src/interfaces). */
export { LATCHED_TOPICS } from '../interfaces/index.js';

/** Why a discovered topic is not advertised, or undefined when it may be. */
export function whyHidden(type: string): string | undefined {
  const why = PRIVATE_TYPES.get(type);
  if (why) return why;
  // Every other image type (compressed depth, image_transport's packets): the same reason.
  if (/^sensor_msgs\/(msg\/)?\w*Image$/.test(type) || type.includes('image_transport')) {
    return 'camera frames show people';
  }
  return undefined;
}

/** Twist topics a client may drive on: both go through the teleop deadman, never to the base. */
export const TELEOP_TOPICS: readonly string[] = ['/cmd_vel', '/cmd_vel_teleop'];
/** The Teleop panel advertises the ROS 1 spelling; a ROS 2 client the full one. */
export const TWIST_SCHEMA_NAMES: readonly string[] = ['geometry_msgs/msg/Twist', 'geometry_msgs/Twist'];
