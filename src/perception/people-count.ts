/**
 * Anonymous people counts over time: "how busy is the floor". Face detections go through a SORT
 * tracker of the counter's own; what is kept is numbers only, per camera frame folded into small
 * time bins:
 * - in view: the confirmed tracks the tracker reports for a frame, coasting ones included. A
 *   confirmed track has been matched `minHits` frames in a row, so a one-frame false positive is
 *   never counted; a coasting track bridges the detector's misses, at the price of counting
 *   someone who just left for up to the tracker's `maxAge` frames.
 * - new people: a confirmed track id not seen before counts once, in the bin of the frame in which
 *   it was confirmed. Without appearance features nobody is re-identified: a person who leaves the
 *   view for longer than the tracker remembers and comes back counts again (these are passes,
 *   "about how many different people passed the camera").
 *
 * Privacy (issue 5): no boxes, scores or appearance are kept over time; track ids are kept only
 * while their track is alive (to know it was already counted) and forgotten with it.
 *
 * Memory is bounded however long the counter runs and however fast frames come: the sliding
 * window is a ring of `window_s / window_resolution_s + 1` sub-bins (sums, not frames, so a 100 Hz
 * camera costs what a 1 Hz one does), and the history a ring of `history_minutes` minute bins.
 * The price of sub-bins is that the window's old edge moves in whole sub-bins.
 *
 * Time comes only from the stamps given (bigint ns): the counter reads no clock of its own.
 */
import {
  declareParams,
  nsToTimeMsg,
  secondsToNs,
  timeMsgToNs,
  type People,
  type RosNode,
} from '../ros/index.js';
import { type PeopleCount } from '../interfaces/index.js';
import { PerceptionError } from './errors.js';
import { REAR_PEOPLE_TOPIC } from './follow-node.js';
import { Tracker, type Detection, type TrackerParams } from './tracker.js';

/** Snake_case as the node's ROS parameters `people_count.*` spell them. */
export interface PeopleCountParams {
  /** The sliding window snapshot() reports on, s; default 60. */
  window_s: number;
  /** Width of the window's sub-bins, s (the window's old edge moves in these steps); default 1. */
  window_resolution_s: number;
  /** Minute bins kept for history(), a ring (1440: 24 h); default 1440. */
  history_minutes: number;
  /**
   * A pause between frames longer than this resets the tracker, s; default 5. After a camera
   * restart, a stale predicted box must not be matched to a stranger: a person seen before and
   * after the pause counts twice, which is the lesser error.
   */
  track_reset_gap_s: number;
}

export const DEFAULT_PEOPLE_COUNT_PARAMS: PeopleCountParams = {
  window_s: 60,
  window_resolution_s: 1,
  history_minutes: 1440,
  track_reset_gap_s: 5,
};

export interface PeopleCounterOptions extends Partial<PeopleCountParams> {
  tracker?: Partial<TrackerParams>;
}

/** The counts of a PeopleCount message; the node adds the header. */
export type PeopleCountFields = Omit<PeopleCount, 'header'>;

/** One minute of counts, what an operator charts. Numbers only. */
export interface PeopleCountBin {
  /** Start of the minute, ns (a multiple of 60 s on the stamps' time line). */
  startNs: bigint;
  /** Camera frames counted in the minute (0: the camera sent nothing). */
  frames: number;
  /** Mean people in view per frame (0 when no frames). */
  meanInView: number;
  /** Most people in view in one frame. */
  maxInView: number;
  /** Tracks confirmed in the minute. */
  newPeople: number;
}

/** Sizes of what the counter holds, for checking that it stays bounded. */
export interface PeopleCounterFootprint {
  /** Sub-bins in the window ring (fixed at construction). */
  windowBins: number;
  /** Minute bins held (at most history_minutes). */
  historyBins: number;
  /** Ids of live confirmed tracks remembered as already counted. */
  trackIds: number;
}

const MINUTE_NS = 60_000_000_000n;
/** More window sub-bins than this is a configuration mistake, not a need. */
const MAX_WINDOW_BINS = 10_000;
/** Finer sub-bins than a millisecond would overflow exact bin indices; no camera needs them. */
const MIN_RESOLUTION_S = 0.001;

/** Running sums for one span of time. */
interface Sums {
  frames: number;
  inViewSum: number;
  maxInView: number;
  newPeople: number;
}

const emptySums = (): Sums => ({ frames: 0, inViewSum: 0, maxInView: 0, newPeople: 0 });

function addFrame(s: Sums, inView: number, newPeople: number): void {
  s.frames++;
  s.inViewSum += inView;
  if (inView > s.maxInView) s.maxInView = inView;
  s.newPeople += newPeople;
}

export class PeopleCounter {
  readonly params: PeopleCountParams;
  readonly #tracker: Tracker;
  readonly #windowNs: bigint;
  readonly #resNs: bigint;
  readonly #resetGapNs: bigint;
  /** Window ring: slot k mod n holds sub-bin k (NaN: empty). */
  readonly #subIndex: number[];
  readonly #subSums: Sums[];
  /** History ring of minute bins, oldest at #histHead once full. */
  readonly #hist: { minute: number; sums: Sums }[] = [];
  #histHead = 0;
  /** Ids of the confirmed tracks alive in the last frame: counted already. */
  #counted = new Set<string>();
  #firstStampNs: bigint | undefined;
  #last: { stampNs: bigint; inView: number } | undefined;
  #dropped = 0;

  /** Throws PerceptionError CONFIG_INVALID naming the field (`people_count.<field>`). */
  constructor(options: PeopleCounterOptions = {}) {
    const { tracker, ...params } = options;
    this.params = validatePeopleCountParams({ ...DEFAULT_PEOPLE_COUNT_PARAMS, ...params });
    this.#tracker = new Tracker(tracker);
    this.#windowNs = secondsToNsAtLeast1(this.params.window_s);
    this.#resNs = secondsToNsAtLeast1(this.params.window_resolution_s);
    this.#resetGapNs = secondsToNsAtLeast1(this.params.track_reset_gap_s);
    const n = ceilDiv(this.#windowNs, this.#resNs) + 1;
    this.#subIndex = new Array<number>(n).fill(Number.NaN);
    this.#subSums = Array.from({ length: n }, emptySums);
  }

  /**
   * One camera frame. A frame stamped at or before the previous one (out of order, or the same
   * message twice) is ignored and counted in `dropped`: counting it would count a frame twice or
   * run the tracker backwards.
   */
  update(detections: readonly Detection[], stampNs: bigint): void {
    if (!this.#inOrder(stampNs)) return;
    if (this.#last !== undefined && stampNs - this.#last.stampNs > this.#resetGapNs) {
      this.#tracker.reset();
      this.#counted.clear();
    }
    const tracks = this.#tracker.update(detections, stampNs);
    this.#count(
      tracks.map((t) => String(t.id)),
      stampNs,
    );
  }

  /**
   * One frame's confirmed tracks from a tracker elsewhere, by id (the follow node's face tracks
   * on /camera/rear/people): counted as `update` counts its own. Ids must not be reused.
   */
  countTracks(ids: readonly string[], stampNs: bigint): void {
    if (this.#inOrder(stampNs)) this.#count(ids, stampNs);
  }

  #inOrder(stampNs: bigint): boolean {
    if (this.#last !== undefined && stampNs <= this.#last.stampNs) {
      this.#dropped++;
      return false;
    }
    return true;
  }

  #count(ids: readonly string[], stampNs: bigint): void {
    this.#firstStampNs ??= stampNs;
    let newPeople = 0;
    for (const id of ids) if (!this.#counted.has(id)) newPeople++;
    // Only live ids are remembered: a dropped track's id is never reported again.
    this.#counted = new Set(ids);
    const inView = ids.length;
    this.#last = { stampNs, inView };
    addFrame(this.#subBin(stampNs), inView, newPeople);
    addFrame(this.#minuteBin(stampNs), inView, newPeople);
  }

  /**
   * Counts over the window ending at `nowNs`: the sub-bins from the first one starting at or after
   * `nowNs − window_s` up to the one holding `nowNs`. `window` is the span that covers: window_s
   * rounded down to whole sub-bins, and no further back than the first frame's sub-bin. `in_view`
   * is the newest frame's, or 0 when no frame falls in the window. `nowNs` is meant to be at or
   * after the newest frame (the node's now): sub-bins older than the window are reused.
   */
  snapshot(nowNs: bigint): PeopleCountFields {
    const firstK = ceilDiv(nowNs - this.#windowNs, this.#resNs);
    const lastK = floorDiv(nowNs, this.#resNs);
    const sums = emptySums();
    for (let slot = 0; slot < this.#subIndex.length; slot++) {
      const k = this.#subIndex[slot]!;
      if (Number.isNaN(k) || k < firstK || k > lastK) continue;
      const s = this.#subSums[slot]!;
      sums.frames += s.frames;
      sums.inViewSum += s.inViewSum;
      sums.maxInView = Math.max(sums.maxInView, s.maxInView);
      sums.newPeople += s.newPeople;
    }
    let fromNs = BigInt(firstK) * this.#resNs;
    if (this.#firstStampNs !== undefined) {
      const firstBinNs = BigInt(floorDiv(this.#firstStampNs, this.#resNs)) * this.#resNs;
      if (firstBinNs > fromNs) fromNs = firstBinNs;
    }
    const last = this.#last;
    const lastInWindow = last !== undefined && floorDiv(last.stampNs, this.#resNs) >= firstK;
    return {
      window: nsToTimeMsg(this.#firstStampNs === undefined || fromNs > nowNs ? 0n : nowNs - fromNs),
      frames: sums.frames,
      in_view: lastInWindow ? last.inView : 0,
      mean_in_view: sums.frames > 0 ? sums.inViewSum / sums.frames : 0,
      max_in_view: sums.maxInView,
      new_people: sums.newPeople,
    };
  }

  /**
   * The minute bins, oldest first, at most history_minutes; the newest is the minute of the last
   * frame (still filling). Minutes without frames between two frames appear with frames = 0, so
   * the series has no gaps to chart around.
   */
  history(): PeopleCountBin[] {
    const n = this.#hist.length;
    const out: PeopleCountBin[] = [];
    for (let i = 0; i < n; i++) {
      const { minute, sums } = this.#hist[(this.#histHead + i) % n]!;
      out.push({
        startNs: BigInt(minute) * MINUTE_NS,
        frames: sums.frames,
        meanInView: sums.frames > 0 ? sums.inViewSum / sums.frames : 0,
        maxInView: sums.maxInView,
        newPeople: sums.newPeople,
      });
    }
    return out;
  }

  /** Frames ignored because their stamp was not after the previous frame's. */
  get dropped(): number {
    return this.#dropped;
  }

  footprint(): PeopleCounterFootprint {
    return {
      windowBins: this.#subIndex.length,
      historyBins: this.#hist.length,
      trackIds: this.#counted.size,
    };
  }

  #subBin(stampNs: bigint): Sums {
    const k = floorDiv(stampNs, this.#resNs);
    const n = this.#subIndex.length;
    const slot = ((k % n) + n) % n;
    if (this.#subIndex[slot] !== k) {
      this.#subIndex[slot] = k;
      this.#subSums[slot] = emptySums();
    }
    return this.#subSums[slot]!;
  }

  #minuteBin(stampNs: bigint): Sums {
    const minute = floorDiv(stampNs, MINUTE_NS);
    const cap = this.params.history_minutes;
    const n = this.#hist.length;
    const newest = n === 0 ? undefined : this.#hist[(this.#histHead + n - 1) % n]!;
    if (newest?.minute === minute) return newest.sums;
    // Empty minutes since the newest bin, then this one; never more than the ring holds.
    const from = newest === undefined ? minute : Math.max(newest.minute + 1, minute - cap + 1);
    for (let m = from; m <= minute; m++) {
      const bin = { minute: m, sums: emptySums() };
      if (this.#hist.length < cap) this.#hist.push(bin);
      else {
        this.#hist[this.#histHead] = bin;
        this.#histHead = (this.#histHead + 1) % cap;
      }
    }
    return this.#hist[(this.#histHead + this.#hist.length - 1) % this.#hist.length]!.sums;
  }
}

/** The params if valid; else PerceptionError CONFIG_INVALID at `<prefix>.<field>`. */
export function validatePeopleCountParams(p: PeopleCountParams, prefix = 'people_count'): PeopleCountParams {
  const bad = (field: string, expected: string, found: unknown): PerceptionError =>
    new PerceptionError(
      'CONFIG_INVALID',
      `${prefix}.${field}`,
      `expected ${expected}, found ${String(found)}`,
    );
  for (const field of ['window_s', 'window_resolution_s', 'track_reset_gap_s'] as const) {
    const v: unknown = p[field];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw bad(field, 'a finite number > 0', v);
  }
  if (p.window_resolution_s < MIN_RESOLUTION_S) {
    throw bad('window_resolution_s', `at least ${MIN_RESOLUTION_S} s`, p.window_resolution_s);
  }
  if (p.window_resolution_s > p.window_s) {
    throw bad('window_resolution_s', `at most window_s (${p.window_s})`, p.window_resolution_s);
  }
  if (p.window_s / p.window_resolution_s > MAX_WINDOW_BINS) {
    throw bad(
      'window_resolution_s',
      `at least window_s / ${MAX_WINDOW_BINS} (${p.window_s / MAX_WINDOW_BINS})`,
      p.window_resolution_s,
    );
  }
  const h: unknown = p.history_minutes;
  if (typeof h !== 'number' || !Number.isInteger(h) || h < 1)
    throw bad('history_minutes', 'an integer ≥ 1', h);
  return p;
}

function secondsToNsAtLeast1(s: number): bigint {
  const ns = BigInt(Math.round(s * 1e9));
  return ns > 0n ? ns : 1n;
}

/** Bin indices: floor and ceiling division on the time line, as plain numbers (< 2^53 for ns stamps). */
function floorDiv(a: bigint, b: bigint): number {
  const q = a / b;
  return Number(a % b !== 0n && a < 0n ? q - 1n : q);
}

function ceilDiv(a: bigint, b: bigint): number {
  const q = a / b;
  return Number(a % b !== 0n && a > 0n ? q + 1n : q);
}

// ---- the node -----------------------------------------------------------------------------

export const PEOPLE_COUNT_TOPIC = '/perception/people_count';

export interface PeopleCountNodeParams extends PeopleCountParams {
  /** How often the counts are published, s; default 1. */
  publish_period_s: number;
}

export const DEFAULT_PEOPLE_COUNT_NODE_PARAMS: PeopleCountNodeParams = {
  ...DEFAULT_PEOPLE_COUNT_PARAMS,
  publish_period_s: 1,
};

/** Overrides of the defaults in code; the node's `people_count.*` parameters win over both. */
export type PeopleCountNodeOptions = Partial<PeopleCountNodeParams>;

export interface PeopleCountNode {
  /** Stops publishing and counting (the subscription stays, its messages are ignored). */
  stop(): void;
  /** The last message published, or undefined before the first publication. */
  latest(): PeopleCount | undefined;
  /** The counter's minute bins, oldest first (see PeopleCounter.history). */
  history(): PeopleCountBin[];
}

/** The summary is logged at info at most this often, so a day's log stays short. */
const LOG_PERIOD_NS = MINUTE_NS;

/**
 * Counts the face tracks the follow node publishes on /camera/rear/people (one tracker on the
 * robot, so counts and tracks agree) and publishes medhjalparen_msgs/msg/PeopleCount on
 * /perception/people_count every `publish_period_s` of node time. Frames are counted at their
 * header stamps; each message covers the window ending at the node's now and carries the frame id
 * of the newest tracks (empty before the first). Throws PerceptionError CONFIG_INVALID on
 * invalid parameters, naming `people_count.<field>`.
 */
export function createPeopleCountNode(node: RosNode, options: PeopleCountNodeOptions = {}): PeopleCountNode {
  const p = declareParams(node, 'people_count', { ...DEFAULT_PEOPLE_COUNT_NODE_PARAMS, ...options });
  const period: unknown = p.publish_period_s;
  if (typeof period !== 'number' || !Number.isFinite(period) || period < 0.001) {
    throw new PerceptionError(
      'CONFIG_INVALID',
      'people_count.publish_period_s',
      `expected a finite number ≥ 0.001, found ${String(period)}`,
    );
  }
  const counter = new PeopleCounter({
    window_s: p.window_s,
    window_resolution_s: p.window_resolution_s,
    history_minutes: p.history_minutes,
    track_reset_gap_s: p.track_reset_gap_s,
  });
  const pub = node.createPublisher('medhjalparen_msgs/msg/PeopleCount', PEOPLE_COUNT_TOPIC);
  const log = node.getLogger();
  let frameId = '';
  let stopped = false;
  let latest: PeopleCount | undefined;
  let loggedAtNs: bigint | undefined;

  node.createSubscription('people_msgs/msg/People', REAR_PEOPLE_TOPIC, (msg: People) => {
    if (stopped) return;
    frameId = msg.header.frame_id;
    counter.countTracks(
      msg.people.map((person) => person.name),
      timeMsgToNs(msg.header.stamp),
    );
  });

  const publish = (): void => {
    if (stopped) return;
    const nowNs = node.now().nanoseconds;
    const counts = counter.snapshot(nowNs);
    latest = { header: { stamp: nsToTimeMsg(nowNs), frame_id: frameId }, ...counts };
    pub.publish(latest);
    if (loggedAtNs === undefined || nowNs - loggedAtNs >= LOG_PERIOD_NS) {
      // Numbers only: nothing about who was seen.
      log.info('people count', {
        window_s: counts.window.sec + counts.window.nanosec / 1e9,
        frames: counts.frames,
        in_view: counts.in_view,
        mean_in_view: Math.round(counts.mean_in_view * 100) / 100,
        max_in_view: counts.max_in_view,
        new_people: counts.new_people,
        dropped_frames: counter.dropped,
      });
      loggedAtNs = nowNs;
    }
  };
  const timer = node.createTimer(secondsToNs(period), publish);

  return {
    stop() {
      stopped = true;
      timer.cancel();
    },
    latest: () => latest,
    history: () => counter.history(),
  };
}
