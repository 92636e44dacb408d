/**
 * Free-running mode: an emulated device (the drive-base board, the lidar) paced by the wall clock, for an interactive host (the
 * `base --emulate` command, the pty bridge) that has no simulated clock to step it with. This is
 * the one place the emulator reads wall time and arms timers: it is an adapter between emulated
 * time and the real world, like a serial driver, not control code (which only ever sees the node
 * clock). setImmediate yields to I/O between slices; setTimeout sleeps once the device has caught up.
 */
import { requireInRange } from './errors.js';

/** Anything that runs on emulated time the caller advances (EmulatedBoard, EmulatedRplidar). */
export interface Steppable {
  /** Emulated time reached, ns. */
  nowNs(): bigint;
  /** Runs `ns` more nanoseconds of emulated time. */
  advanceNs(ns: bigint): void;
}

export interface RealtimeOptions {
  /** Emulated seconds per wall second. Default 1. */
  speed?: number;
  /** Longest run between yields to the event loop, emulated ns. Default 2 ms. */
  maxSliceNs?: number;
  /** Called if the device fails (an EmulatorError from the firmware's use of the chip); the run stops. Default: rethrow. */
  onError?: (error: unknown) => void;
  /** The wall clock it paces by, in ms (monotonic). Default performance.now; a test moves its own. */
  wallMs?: () => number;
}

export interface RealtimeRun {
  /** Stops after the slice in progress; resolves once the loop has ended. */
  stop(): Promise<void>;
  /**
   * Runs the device up to the wall clock now. Call it before handing the device bytes from the
   * host, so they reach it at the matching emulated time: a device lagging behind would otherwise
   * take two writes 20 ms apart for back to back.
   */
  catchUp(): void;
  /** How far emulated time lags the wall clock (× speed) now, ns; grows if the host is too slow. */
  lagNs(): bigint;
}

export function runRealtime(device: Steppable, options: RealtimeOptions = {}): RealtimeRun {
  const speed = requireInRange(options.speed ?? 1, 'speed', 1e-3, 1e3);
  const maxSlice = BigInt(
    Math.round(requireInRange(options.maxSliceNs ?? 2_000_000, 'maxSliceNs', 1_000, 1e9)),
  );
  const wallMs = options.wallMs ?? (() => performance.now());
  const wallStart = wallMs();
  const emulatedStart = device.nowNs();
  const due = (): bigint => emulatedStart + BigInt(Math.floor((wallMs() - wallStart) * 1e6 * speed));
  let stopped = false;
  let finished: () => void = () => {};
  const done = new Promise<void>((resolve) => (finished = resolve));
  /** Advances towards due(), by at most `limit`; false once the device has failed. */
  const advance = (limit: bigint | undefined): boolean => {
    const behind = due() - device.nowNs();
    try {
      if (behind > 0n) device.advanceNs(limit !== undefined && behind > limit ? limit : behind);
      return true;
    } catch (error) {
      stopped = true;
      finished();
      if (!options.onError) throw error;
      options.onError(error);
      return false;
    }
  };
  const slice = (): void => {
    if (stopped) return finished();
    if (!advance(maxSlice)) return;
    if (due() - device.nowNs() > 0n) setImmediate(slice);
    else setTimeout(slice, 1);
  };
  setImmediate(slice);
  return {
    stop: () => {
      stopped = true;
      return done;
    },
    catchUp: () => {
      if (!stopped) advance(undefined);
    },
    lagNs: () => {
      const lag = due() - device.nowNs();
      return lag > 0n ? lag : 0n;
    },
  };
}
