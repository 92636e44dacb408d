/**
 * MOCK, for tests only: a stand-in for the few rclnodejs classes the mapping functions construct
 * (QoS with its policy enums, ParameterDescriptor and its ranges, Parameter), each keeping what
 * it was given. It lets the mappings be checked where rclnodejs is not installed; the real
 * module is exercised by the rclnodejs contract suite wherever ROS 2 is sourced.
 */
import type { Rclnodejs } from './api.js';

export class MockQoS {
  // rmw's numbering (rmw/types.h), as rclnodejs's enums carry it.
  static HistoryPolicy = { RMW_QOS_POLICY_HISTORY_KEEP_LAST: 1, RMW_QOS_POLICY_HISTORY_KEEP_ALL: 2 };
  static ReliabilityPolicy = {
    RMW_QOS_POLICY_RELIABILITY_RELIABLE: 1,
    RMW_QOS_POLICY_RELIABILITY_BEST_EFFORT: 2,
  };
  static DurabilityPolicy = {
    RMW_QOS_POLICY_DURABILITY_TRANSIENT_LOCAL: 1,
    RMW_QOS_POLICY_DURABILITY_VOLATILE: 2,
  };
  constructor(
    readonly history: number,
    readonly depth: number,
    readonly reliability: number,
    readonly durability: number,
  ) {}
}

export class MockRange {
  constructor(
    readonly kind: string,
    readonly from: number,
    readonly to: number,
    readonly step?: number,
  ) {}
}

export class MockParameterDescriptor {
  constructor(
    readonly name: string,
    readonly type: number,
    readonly description?: string,
    readonly readOnly?: boolean,
    readonly range?: MockRange,
  ) {}
}

/** The mock as the module type the mappings take (only the members above are there). */
export const rclnodejsMock = {
  QoS: MockQoS,
  ParameterDescriptor: MockParameterDescriptor,
  FloatingPointRange: class extends MockRange {
    constructor(from: number, to: number, step?: number) {
      super('floating_point', from, to, step);
    }
  },
  IntegerRange: class extends MockRange {
    constructor(from: number, to: number, step?: number) {
      super('integer', from, to, step);
    }
  },
  Parameter: class {
    constructor(
      readonly name: string,
      readonly type: number,
      readonly value?: unknown,
    ) {}
  },
} as unknown as Rclnodejs;
