/**
 * How far the robot has driven: the path length of odom → base_link, sampled on a timer and told
 * to the mission as it grows (by DRIVEN_STEP_M at a time). In the odometry frame, not the map's,
 * so that a localiser's correction is no distance driven. The mission uses it to tell an escort
 * that stops now and then but gets on from one that stops again and again and gets nowhere.
 */
import type { RosNode, Timer, TransformBuffer } from '../src/ros/index.js';

/** Told when the odometer grew by at least this much, m. */
const DRIVEN_STEP_M = 0.1;
/** Sampled this often, ns (0.25 s: at 1 m/s a sample apart is 0.25 m of nearly straight path). */
const PERIOD_NS = 250_000_000n;
/** A jump longer than this between samples is not driving (odometry reset, a carried robot), m. */
const MAX_SAMPLE_STEP_M = 1.0;

export function watchDistanceDriven(
  node: RosNode,
  /** The node's transform listener (odom → base_link), shared with its other watchers. */
  tf: TransformBuffer,
  tell: (metres: number) => void,
): { stop(): void } {
  let last: { x: number; y: number } | undefined;
  let driven = 0;
  let told = 0;
  const timer: Timer = node.createTimer(PERIOD_NS, () => {
    const t = tf.lookup('odom', 'base_link');
    if (!t) return;
    const here = { x: t.pose.x, y: t.pose.y };
    if (last) {
      const step = Math.hypot(here.x - last.x, here.y - last.y);
      if (Number.isFinite(step) && step <= MAX_SAMPLE_STEP_M) driven += step;
    }
    last = here;
    if (driven - told >= DRIVEN_STEP_M) tell((told = driven));
  });
  return { stop: () => timer.cancel() };
}
