/**
 * The node API's QoS (depth, durability, reliability) as rmw policies for rclnodejs. The defaults
 * are chosen so that a ROS 2 graph delivers what the embedded graph does: reliable and volatile,
 * and a transient_local ("latched") publisher keeps its last message only, as a map server does,
 * so a late subscriber gets that one message, not a backlog.
 */
import type { RclQoSClass } from './api.js';
import { RosGraphError, type QoS } from './ros.js';

export interface QoSPolicies {
  history: 'RMW_QOS_POLICY_HISTORY_KEEP_LAST';
  depth: number;
  reliability: 'RMW_QOS_POLICY_RELIABILITY_RELIABLE' | 'RMW_QOS_POLICY_RELIABILITY_BEST_EFFORT';
  durability: 'RMW_QOS_POLICY_DURABILITY_VOLATILE' | 'RMW_QOS_POLICY_DURABILITY_TRANSIENT_LOCAL';
}

/** rclcpp's default history depth for a topic. */
export const DEFAULT_DEPTH = 10;
/** A latched topic keeps its last message only (the embedded graph replays exactly that one). */
export const LATCHED_DEPTH = 1;
/** Past this a queue is a memory leak in waiting, not a QoS choice. */
const MAX_DEPTH = 100_000;

/** The policies for `qos` (undefined: the defaults); a bad depth is refused naming `where`.qos.depth. */
export function qosPolicies(qos: QoS | undefined, where: string): QoSPolicies {
  const latched = qos?.durability === 'transient_local';
  const depth = qos?.depth ?? (latched ? LATCHED_DEPTH : DEFAULT_DEPTH);
  if (!Number.isInteger(depth) || depth < 1 || depth > MAX_DEPTH) {
    throw new RosGraphError(`${where}: qos.depth: expected a whole number 1…${MAX_DEPTH}, got ${depth}`);
  }
  return {
    history: 'RMW_QOS_POLICY_HISTORY_KEEP_LAST',
    depth,
    reliability:
      qos?.reliability === 'best_effort'
        ? 'RMW_QOS_POLICY_RELIABILITY_BEST_EFFORT'
        : 'RMW_QOS_POLICY_RELIABILITY_RELIABLE',
    durability: latched ? 'RMW_QOS_POLICY_DURABILITY_TRANSIENT_LOCAL' : 'RMW_QOS_POLICY_DURABILITY_VOLATILE',
  };
}

/** An rclnodejs QoS object for `policies`, the enum values looked up in rclnodejs's own QoS class. */
export function toRclQoS(policies: QoSPolicies, QoSClass: RclQoSClass): object {
  const value = (table: Record<string, number>, kind: string, name: string): number => {
    const v = table[name];
    if (v === undefined) throw new RosGraphError(`rclnodejs's QoS.${kind} has no ${name}`);
    return v;
  };
  return new QoSClass(
    value(QoSClass.HistoryPolicy, 'HistoryPolicy', policies.history),
    policies.depth,
    value(QoSClass.ReliabilityPolicy, 'ReliabilityPolicy', policies.reliability),
    value(QoSClass.DurabilityPolicy, 'DurabilityPolicy', policies.durability),
  );
}
