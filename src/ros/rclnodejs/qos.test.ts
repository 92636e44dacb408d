import { describe, expect, it } from 'vitest';
import { DEFAULT_DEPTH, LATCHED_DEPTH, qosPolicies, toRclQoS } from './qos.js';
import { MockQoS } from './rclnodejs.mock.js';

describe('QoS → rmw policies', () => {
  it('defaults to what the embedded graph delivers: reliable, volatile, rclcpp’s depth 10', () => {
    expect(qosPolicies(undefined, 'publisher on /t')).toEqual({
      history: 'RMW_QOS_POLICY_HISTORY_KEEP_LAST',
      depth: DEFAULT_DEPTH,
      reliability: 'RMW_QOS_POLICY_RELIABILITY_RELIABLE',
      durability: 'RMW_QOS_POLICY_DURABILITY_VOLATILE',
    });
    expect(DEFAULT_DEPTH).toBe(10);
  });

  it('keeps only the last message of a latched (transient_local) topic, unless a depth is given', () => {
    expect(qosPolicies({ durability: 'transient_local' }, 'publisher on /map')).toMatchObject({
      depth: LATCHED_DEPTH,
      durability: 'RMW_QOS_POLICY_DURABILITY_TRANSIENT_LOCAL',
    });
    expect(LATCHED_DEPTH).toBe(1);
    expect(qosPolicies({ durability: 'transient_local', depth: 5 }, 'x').depth).toBe(5);
  });

  it('maps best_effort and a given depth', () => {
    expect(qosPolicies({ reliability: 'best_effort', depth: 1 }, 'subscription to /scan')).toEqual({
      history: 'RMW_QOS_POLICY_HISTORY_KEEP_LAST',
      depth: 1,
      reliability: 'RMW_QOS_POLICY_RELIABILITY_BEST_EFFORT',
      durability: 'RMW_QOS_POLICY_DURABILITY_VOLATILE',
    });
    expect(qosPolicies({ reliability: 'reliable', durability: 'volatile' }, 'x')).toMatchObject({
      reliability: 'RMW_QOS_POLICY_RELIABILITY_RELIABLE',
      durability: 'RMW_QOS_POLICY_DURABILITY_VOLATILE',
    });
  });

  it('refuses a depth that is not a whole number from 1, naming the entity and the field', () => {
    for (const depth of [0, -1, 2.5, Number.NaN, 1e9]) {
      expect(() => qosPolicies({ depth }, "subscription to '/scan'")).toThrow(
        new RegExp(`^subscription to '/scan': qos\\.depth: expected a whole number 1…100000, got ${depth}$`),
      );
    }
  });
});

describe('rmw policies → an rclnodejs QoS (mock rclnodejs QoS class)', () => {
  it('looks each policy up in rclnodejs’s own enums', () => {
    const qos = toRclQoS(qosPolicies({ durability: 'transient_local' }, 'x'), MockQoS) as MockQoS;
    expect({ ...qos }).toEqual({ history: 1, depth: 1, reliability: 1, durability: 1 });
    const sensor = toRclQoS(qosPolicies({ reliability: 'best_effort', depth: 3 }, 'x'), MockQoS) as MockQoS;
    expect({ ...sensor }).toEqual({ history: 1, depth: 3, reliability: 2, durability: 2 });
  });

  it('says which enum lacks a policy, should rclnodejs ever rename one', () => {
    const Renamed = Object.assign(class extends MockQoS {}, {
      HistoryPolicy: { KEEP_LAST: 1 },
      ReliabilityPolicy: MockQoS.ReliabilityPolicy,
      DurabilityPolicy: MockQoS.DurabilityPolicy,
    });
    expect(() => toRclQoS(qosPolicies(undefined, 'x'), Renamed)).toThrow(
      "rclnodejs's QoS.HistoryPolicy has no RMW_QOS_POLICY_HISTORY_KEEP_LAST",
    );
  });
});
