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
  /**
   * Longest run between yields to the event loop, wall ms (as `wallMs` measures it). A device that
   * runs slower than real time (a loaded machine) gets shorter slices, so the process's I/O (a pty's
   * bytes, another device) is not held up for long. Default 2 ms.
   */
  maxSliceMs?: number;
  /**
   * The most the device may lag the wall clock, wall ms. A process held up for longer (a loaded
   * machine, a long GC) pauses the device for the rest, as a virtual machine's clock pauses while
   * it is descheduled, instead of running it through the whole gap at once: a real device never
   * sees its emulator's hold-ups, and a drive-base board run through 300 ms in one go would take
   * the host's next command, sent as soon as the host runs again, as late and time out. Default 100.
   */
  maxLagMs?: number;
  /** Called if the device fails (an EmulatorError from the firmware's use of the chip); the run stops. Default: rethrow. */
  onError?: (error: unknown) => void;
  /** The wall clock it paces by, in ms (monotonic). Default performance.now; a test moves its own. */
  wallMs?: () => number;
}

export interface RealtimeRun {
  /** Stops after the slice in progress; resolves once the loop has ended. */
  stop(): Promise<void>;
  /**
   * Runs `action` (handing the device bytes from the host) once the device reaches the emulated
   * time matching the wall clock now, or `agoMs` before now (when the bytes were read, if the
   * process got to them late): at once if the device is there already, else when the run has
   * caught up, slice by slice. Actions keep their order and the spacing in time between them,
   * however far the device lags; one that comes after the device has passed its time runs now,
   * and those after it keep their spacing from it. After stop() they run at once.
   */
  atNow(action: () => void, agoMs?: number): void;
  /** How far emulated time lags the wall clock (× speed) now, ns; at most maxLagMs (× speed). */
  lagNs(): bigint;
  /** Wall time the device was paused for because the process was held up (maxLagMs), ms. */
  slippedMs(): number;
}

export function runRealtime(device: Steppable, options: RealtimeOptions = {}): RealtimeRun {
  const speed = requireInRange(options.speed ?? 1, 'speed', 1e-3, 1e3);
  const maxSlice = BigInt(
    Math.round(requireInRange(options.maxSliceNs ?? 2_000_000, 'maxSliceNs', 1_000, 1e9)),
  );
  const maxSliceMs = requireInRange(options.maxSliceMs ?? 2, 'maxSliceMs', 0.01, 1e6);
  const maxLagMs = requireInRange(options.maxLagMs ?? 100, 'maxLagMs', 1, 1e9);
  const wallMs = options.wallMs ?? (() => performance.now());
  /** The wall time emulated time started at; moved on by the time the device was paused. */
  let wallStart = wallMs();
  let slipped = 0;
  /** The last atNow: the time it asked for, and the time it was given. */
  let lastAsked: bigint | undefined;
  let lastGiven = 0n;
  const emulatedStart = device.nowNs();
  const due = (agoMs = 0): bigint => {
    const lagMs = (wallMs() - wallStart) * speed - Number(device.nowNs() - emulatedStart) / 1e6;
    if (lagMs > maxLagMs * speed) {
      const pauseMs = (lagMs - maxLagMs * speed) / speed;
      wallStart += pauseMs;
      slipped += pauseMs;
      // What the last atNow asked for, on the clock as it now runs (spacing is kept from it).
      if (lastAsked !== undefined) lastAsked -= BigInt(Math.floor(pauseMs * 1e6 * speed));
    }
    return emulatedStart + BigInt(Math.floor((wallMs() - agoMs - wallStart) * 1e6 * speed));
  };
  let stopped = false;
  let finished: () => void = () => {};
  const done = new Promise<void>((resolve) => (finished = resolve));
  /** Emulated ns per slice: maxSlice, or less for a device that runs slower than the wall clock. */
  let sliceNs = maxSlice;
  /** Actions waiting for the device to reach their time (atNow), in time order. */
  const waiting: Array<{ atNs: bigint; action: () => void }> = [];
  const runDue = (): void => {
    while (waiting.length > 0 && waiting[0]!.atNs <= device.nowNs()) waiting.shift()!.action();
  };
  /** Runs the device `ns` more, learning how long a slice may be. */
  const step = (ns: bigint): void => {
    const before = wallMs();
    device.advanceNs(ns);
    const spentMs = wallMs() - before;
    if (spentMs > 0) {
      const fits = BigInt(Math.round((Number(ns) / spentMs) * maxSliceMs));
      sliceNs = fits < MIN_SLICE_NS ? MIN_SLICE_NS : fits > maxSlice ? maxSlice : fits;
    }
  };
  /** Advances towards due(), by at most `limit`, stopping at waiting actions; false once the device has failed. */
  const advance = (limit: bigint): boolean => {
    const target = due();
    try {
      runDue();
      let left = limit;
      while (device.nowNs() < target && left > 0n) {
        let to = target;
        if (device.nowNs() + left < to) to = device.nowNs() + left;
        if (waiting.length > 0 && waiting[0]!.atNs < to) to = waiting[0]!.atNs;
        const ns = to - device.nowNs();
        if (ns > 0n) step(ns);
        left -= ns;
        runDue();
        if (ns <= 0n) break;
      }
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
    if (!advance(sliceNs)) return;
    if (due() - device.nowNs() > 0n) setImmediate(slice);
    else setTimeout(slice, 1);
  };
  setImmediate(slice);
  return {
    stop: () => {
      stopped = true;
      return done;
    },
    atNow: (action, agoMs = 0) => {
      if (stopped) return action();
      const asked = due(agoMs);
      let at = asked;
      // Soon after one that came late (a burst: a request, the next one 20 ms on), the same
      // spacing; never before the last; never in the past.
      if (
        lastAsked !== undefined &&
        asked - lastAsked < SPACING_KEPT_NS &&
        lastGiven + (asked - lastAsked) > at
      )
        at = lastGiven + (asked - lastAsked);
      if (at < lastGiven) at = lastGiven;
      if (at < device.nowNs()) at = device.nowNs();
      lastAsked = asked;
      lastGiven = at;
      waiting.push({ atNs: at, action });
      // A device that is (nearly) there takes them now; one that lags gets them from its slices.
      advance(sliceNs);
    },
    lagNs: () => {
      const lag = due() - device.nowNs();
      return lag > 0n ? lag : 0n;
    },
    slippedMs: () => slipped,
  };
}

/** Within this of the one before, an atNow keeps its spacing from it even when that one came late, ns. */
const SPACING_KEPT_NS = 250_000_000n;
/** The shortest slice the wall bound makes, emulated ns (a few hundred CPU cycles of the board). */
const MIN_SLICE_NS = 20_000n;
