/**
 * Message, service and action types on rclnodejs: it generates JavaScript for every interface
 * package of the sourced ROS 2 when it is installed or first initialised, so a package built
 * later (medhjalparen_msgs, usually) is unknown to it until it generates again. This says which
 * type was missing and how to get it, instead of rclnodejs's own error alone.
 */
import { RosGraphError } from './ros.js';

/** Matches rclnodejs's errors for a type it has no generated code for. */
const MISSING_TYPE = /does not exist|not found|cannot find|no such file|not generated/i;

/**
 * `error` from creating an entity of `type`, explained when rclnodejs does not know the type;
 * any other error (a bad topic name, say) is returned unchanged.
 */
export function explainInterfaceError(type: string, error: unknown): unknown {
  const message = error instanceof Error ? error.message : String(error);
  const pkg = type.split('/')[0] ?? type;
  if (!MISSING_TYPE.test(message)) return error;
  const build =
    pkg === 'medhjalparen_msgs'
      ? 'build interfaces/medhjalparen_msgs with colcon (colcon build --base-paths interfaces), source install/setup.bash'
      : `install ${pkg} (apt-get install ros-$ROS_DISTRO-${pkg.replaceAll('_', '-')}), source ROS 2 again`;
  return new RosGraphError(
    `${type}: rclnodejs has no code for this type (${message.split('\n')[0]}): ${build}, then run \`npx generate-ros-messages\` so rclnodejs generates it`,
  );
}
