/**
 * A vitest global setup: says, once per run, when the rclnodejs contract suite is left out and
 * why (vitest.config.ts includes it only with a sourced ROS 2), so a green run never passes for
 * one that checked the ROS 2 backend.
 */
export default function notice(): void {
  if (process.env['ROS_DISTRO']) return;
  process.stdout.write(
    'rclnodejs contract suite not run: ROS_DISTRO is not set (source /opt/ros/<distro>/setup.bash to run it)\n',
  );
}
