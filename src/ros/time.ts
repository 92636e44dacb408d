import type { DurationMsg, TimeMsg } from './messages.js';

/** Nanoseconds per second, as a bigint; all ROS times here are integer nanoseconds. */
export const NS_PER_S = 1_000_000_000n;

/** A point on a ROS clock, shaped like rclnodejs's Time (nanoseconds as a bigint). */
export class Time {
  constructor(readonly nanoseconds: bigint) {}

  static fromMsg(msg: TimeMsg): Time {
    return new Time(BigInt(msg.sec) * NS_PER_S + BigInt(msg.nanosec));
  }

  static fromSeconds(seconds: number): Time {
    return new Time(secondsToNs(seconds));
  }

  get secondsAndNanoseconds(): { seconds: number; nanoseconds: number } {
    return { seconds: Number(this.nanoseconds / NS_PER_S), nanoseconds: Number(this.nanoseconds % NS_PER_S) };
  }

  /** Seconds as a float: fine for control maths, not for stamps. */
  get seconds(): number {
    return Number(this.nanoseconds) / 1e9;
  }

  toMsg(): TimeMsg {
    return nsToTimeMsg(this.nanoseconds);
  }
}

export function secondsToNs(seconds: number): bigint {
  if (!Number.isFinite(seconds)) throw new RangeError(`time must be finite, got ${seconds}`);
  return BigInt(Math.round(seconds * 1e9));
}

export function nsToSeconds(ns: bigint): number {
  return Number(ns) / 1e9;
}

/** Splits integer nanoseconds into a builtin_interfaces/msg/Time (floor division for negatives). */
export function nsToTimeMsg(ns: bigint): TimeMsg {
  let sec = ns / NS_PER_S;
  let nanosec = ns % NS_PER_S;
  if (nanosec < 0n) {
    sec -= 1n;
    nanosec += NS_PER_S;
  }
  return { sec: Number(sec), nanosec: Number(nanosec) };
}

export function timeMsgToNs(msg: TimeMsg): bigint {
  return BigInt(msg.sec) * NS_PER_S + BigInt(msg.nanosec);
}

export function durationMsg(seconds: number): DurationMsg {
  return nsToTimeMsg(secondsToNs(Math.max(0, seconds)));
}

export function durationMsgToSeconds(msg: DurationMsg): number {
  return msg.sec + msg.nanosec / 1e9;
}
