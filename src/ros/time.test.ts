import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  NS_PER_S,
  Time,
  durationMsg,
  durationMsgToSeconds,
  nsToSeconds,
  nsToTimeMsg,
  secondsToNs,
  timeMsgToNs,
} from './time.js';

/** Nanosecond stamps whose seconds fit a Number exactly (±2^53 s covers any real clock). */
const stampNs = fc.bigInt({ min: -(2n ** 53n) * NS_PER_S, max: (2n ** 53n - 1n) * NS_PER_S });

describe('time conversions', () => {
  it('splits negative nanoseconds by floor division, nanosec always in [0, 1e9)', () => {
    expect(nsToTimeMsg(-1n)).toEqual({ sec: -1, nanosec: 999_999_999 });
    expect(nsToTimeMsg(-1_000_000_000n)).toEqual({ sec: -1, nanosec: 0 });
    expect(nsToTimeMsg(-1_500_000_000n)).toEqual({ sec: -2, nanosec: 500_000_000 });
    expect(nsToTimeMsg(0n)).toEqual({ sec: 0, nanosec: 0 });
    expect(nsToTimeMsg(1_999_999_999n)).toEqual({ sec: 1, nanosec: 999_999_999 });
  });

  it('round-trips any stamp through builtin_interfaces/msg/Time exactly', () => {
    fc.assert(
      fc.property(stampNs, (ns) => {
        const msg = nsToTimeMsg(ns);
        expect(msg.nanosec).toBeGreaterThanOrEqual(0);
        expect(msg.nanosec).toBeLessThan(1e9);
        expect(Number.isInteger(msg.sec)).toBe(true);
        expect(timeMsgToNs(msg)).toBe(ns);
        expect(Time.fromMsg(msg).nanoseconds).toBe(ns);
        expect(new Time(ns).toMsg()).toEqual(msg);
      }),
    );
  });

  it('rounds seconds to the nearest nanosecond and refuses non-finite times', () => {
    expect(secondsToNs(1.5)).toBe(1_500_000_000n);
    expect(secondsToNs(-0.25)).toBe(-250_000_000n);
    expect(secondsToNs(1e-10)).toBe(0n);
    expect(secondsToNs(0.05)).toBe(50_000_000n);
    expect(() => secondsToNs(Number.NaN)).toThrow(/finite, got NaN/);
    expect(() => secondsToNs(Infinity)).toThrow(RangeError);
    expect(Time.fromSeconds(2.25).nanoseconds).toBe(2_250_000_000n);
  });

  it('round-trips seconds within a nanosecond over a day, and ns through float seconds for ~11 days', () => {
    fc.assert(
      fc.property(fc.double({ min: -86_400, max: 86_400, noNaN: true }), (s) => {
        expect(Math.abs(nsToSeconds(secondsToNs(s)) - s)).toBeLessThanOrEqual(1e-9);
      }),
    );
    fc.assert(
      // Float seconds carry ~15.9 significant digits, so they hold every nanosecond only up to
      // ~1e15 ns (11.5 days): the reason stamps are bigint nanoseconds, and seconds are for maths.
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), (ns) => {
        expect(secondsToNs(nsToSeconds(ns))).toBe(ns);
      }),
    );
  });

  it('gives seconds and seconds-with-nanoseconds views of a Time', () => {
    const t = new Time(12_345_678_901n);
    expect(t.seconds).toBeCloseTo(12.345678901, 9);
    expect(t.secondsAndNanoseconds).toEqual({ seconds: 12, nanoseconds: 345_678_901 });
  });

  it('builds durations, clamping negative ones to zero', () => {
    expect(durationMsg(2.5)).toEqual({ sec: 2, nanosec: 500_000_000 });
    expect(durationMsg(-3)).toEqual({ sec: 0, nanosec: 0 });
    expect(durationMsgToSeconds({ sec: 3, nanosec: 250_000_000 })).toBe(3.25);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), (s) => {
        expect(Math.abs(durationMsgToSeconds(durationMsg(s)) - s)).toBeLessThanOrEqual(1e-6);
      }),
    );
  });
});
