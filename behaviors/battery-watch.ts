/**
 * The battery as the mission sees it: /battery (sensor_msgs/BatteryState, from the drive base's
 * driver or the simulator) and /odom (for the load model) through the charge estimate
 * (src/power), told on every reading and once a second on the node clock, so that a battery that
 * goes silent is told as 'stale' rather than not told at all.
 */
import { ChargeEstimator, type ChargeEstimate, type ChargeEstimatorParams } from '../src/power/index.js';
import type { RobotDescription } from '../src/robot-description.js';
import type { RosNode } from '../src/ros/index.js';

/** The node-clock tick that notices silence, ns (1 Hz: the estimator calls 5 s silent stale). */
const CHECK_PERIOD_NS = 1_000_000_000n;

export function watchBattery(
  node: RosNode,
  robot: RobotDescription,
  onEstimate: (e: ChargeEstimate, stampNs: bigint) => void,
  /** The estimator's parameters (the site's time zone for the times in `detail`, say). */
  params: Partial<ChargeEstimatorParams> = {},
): { stop(): void } {
  const estimator = new ChargeEstimator(robot, params);
  // The node API cannot remove a subscription: a stopped watch ignores what still arrives.
  let stopped = false;
  node.createSubscription('nav_msgs/msg/Odometry', '/odom', (msg) => {
    if (stopped) return;
    const twist = msg.twist.twist;
    estimator.observeMotion(node.now().nanoseconds, twist.linear.x, twist.angular.z);
  });
  node.createSubscription('sensor_msgs/msg/BatteryState', '/battery', (msg) => {
    if (stopped) return;
    const now = node.now().nanoseconds;
    const reading = {
      voltage: msg.voltage,
      current: msg.current,
      powerSupplyStatus: msg.power_supply_status,
    };
    onEstimate(estimator.observe(now, reading), now);
  });
  const timer = node.createTimer(CHECK_PERIOD_NS, () => {
    const now = node.now().nanoseconds;
    onEstimate(estimator.check(now), now);
  });
  return {
    stop() {
      stopped = true;
      timer.cancel();
    },
  };
}
