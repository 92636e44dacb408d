/**
 * The graph contract on a real ROS 2 graph through rclnodejs. vitest.config.ts includes this file
 * only when ROS_DISTRO is set (a sourced ROS 2); otherwise the run says that it was not run.
 *
 * Time is ROS time under use_sim_time: the backend publishes /clock and waits until every node's
 * clock reads the new time; delivery is DDS's, so "until" polls in real time and "settle" waits
 * a quiet spell. The graph spins in rclnodejs's background executors throughout.
 */
import { nsToTimeMsg } from '../time.js';
import { createRclnodejsGraph } from '../rclnodejs/index.js';
import { TrackedGraph, graphContract, type ContractBackend } from './graph-contract.js';

// Local traffic on a domain of its own: the suite neither sees nor disturbs a robot on the network.
process.env['ROS_AUTOMATIC_DISCOVERY_RANGE'] ??= 'LOCALHOST';
process.env['ROS_DOMAIN_ID'] ??= String(50 + (process.pid % 50));

/** Real-time bounds: discovery on a loaded machine takes a while; a miss past this is a real miss. */
const WAIT_MS = 15_000;
const POLL_MS = 5;
/** How long "nothing more is coming" is waited for. */
const QUIET_MS = 300;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function until(done: () => boolean, what: string): Promise<void> {
  const end = Date.now() + WAIT_MS;
  while (!done()) {
    if (Date.now() > end) throw new Error(`${what}: still not so after ${WAIT_MS} ms`);
    await sleep(POLL_MS);
  }
}

/** A node's time, or undefined for a node destroyed since (its clock has gone with it). */
function clockOf(node: { now(): { nanoseconds: bigint } }): bigint | undefined {
  try {
    return node.now().nanoseconds;
  } catch {
    return undefined;
  }
}

async function openRclnodejs(): Promise<ContractBackend> {
  const inner = await createRclnodejsGraph({ useSimTime: true });
  const graph = new TrackedGraph(inner);
  const clock = inner.createNode('contract_clock').createPublisher('rosgraph_msgs/msg/Clock', '/clock');
  const spinning = inner.spin();
  // A fresh ROS clock under use_sim_time reads 0 until the first /clock.
  let now = 0n;
  const everyClockAt = (t: bigint) =>
    [inner, ...graph.nodes].map(clockOf).every((ns) => ns === undefined || ns >= t);
  return {
    graph,
    time: () => now,
    async advance(ns) {
      now += ns;
      if (graph.isShutDown) return sleep(QUIET_MS);
      // Published again at each poll: a node discovered late gets it too.
      await until(() => {
        clock.publish({ clock: nsToTimeMsg(now) });
        return everyClockAt(now);
      }, `every node's clock at ${now} ns`);
    },
    until,
    settle: () => sleep(QUIET_MS),
    async close() {
      spinning.stop();
      if (!graph.isShutDown) graph.shutdown();
    },
  };
}

graphContract('rclnodejs (ROS 2, use_sim_time)', openRclnodejs);
