/**
 * A SORT-style multi-object tracker (Bewley et al. 2016) for face or body boxes: one constant-
 * velocity Kalman filter per track on box centre and size, detections matched to predicted boxes
 * by IoU with an optimal assignment, a track reported once it has been matched `minHits` frames in
 * a row and dropped after `maxAge` frames without a match. Ids are small integers handed out in
 * order of confirmation and never reused. What IoU leaves unmatched gets a second, gated chance on
 * size-normalised centre distance (see `Tracker.#recover` for why walkers need it).
 *
 * Privacy (issue 5): a track holds only its box, its motion and counters; no pixels, no appearance
 * features. Forgetting a track forgets the person.
 */
import { boxToPlacement, iou, type CameraModel, type PixelBox } from './camera-model.js';

export interface Detection {
  /** Pixels, top-left corner and size. */
  box: PixelBox;
  /** Detector confidence in [0, 1]. */
  score: number;
}

export interface Track {
  id: number;
  /** The filter's box: the matched detection smoothed, or the prediction while coasting. */
  box: PixelBox;
  /** The score of the last matched detection. */
  score: number;
  /** rad in base_link (REP-103), when the tracker was given a camera model. */
  bearing?: number;
  /** m from base_link's origin, when the tracker was given a camera model. */
  range?: number;
  /** Frames since the track was born (0 on its first frame). */
  ageFrames: number;
  /** Frames matched in total. */
  hits: number;
  /** Seconds since the last matched detection (0: matched in this frame). */
  timeSinceUpdateS: number;
}

export interface TrackerParams {
  /** A detection and a predicted box match only with at least this IoU. */
  iouThreshold: number;
  /** Consecutive matched frames before a track is reported. */
  minHits: number;
  /** Frames without a match after which a track is forgotten. */
  maxAge: number;
  /** Detections below this score are ignored. */
  minScore: number;
  /** Measurement noise, standard deviation as a share of the box width (centre and size). */
  measurementStdShare: number;
  /** Process noise: the box's acceleration, standard deviation in box widths per s². */
  accelStdShare: number;
  /** Initial velocity uncertainty, box widths per s. */
  initialVelocityStdShare: number;
  /** Frame interval assumed when stamps do not advance (first frame, repeated stamp), s. */
  nominalDtS: number;
  /**
   * Second-stage association (see `Tracker.#recover`): how fast a box can move across the image,
   * box widths per s. A face is ~0.15 m wide, so a 1.5 m/s walker crosses 10 face widths a second
   * (for body boxes, ~0.5 m wide, about 3 would do).
   */
  recoverySpeedWidthsPerS: number;
  /** Second stage: slack on top of that reach, box widths (jitter, a face turning). */
  recoveryMarginWidths: number;
  /**
   * Second stage: the most a detection's width may differ, as a ratio ≥ 1, from both the track's
   * predicted and last matched width. Faces side by side in the image at different depths differ
   * in size; this is what mostly keeps a lost track from taking over a stranger (in the simulated
   * people counts, 1.5 let through 22 such takeovers where 1.15 lets through 5).
   */
  recoveryMaxSizeRatio: number;
}

export const DEFAULT_TRACKER_PARAMS: TrackerParams = {
  iouThreshold: 0.2,
  minHits: 3,
  maxAge: 10,
  minScore: 0.5,
  measurementStdShare: 0.05,
  accelStdShare: 1.0,
  initialVelocityStdShare: 1.0,
  nominalDtS: 0.1,
  recoverySpeedWidthsPerS: 10,
  recoveryMarginWidths: 0.5,
  recoveryMaxSizeRatio: 1.15,
};

/**
 * One coordinate of the box (centre x, centre y, width or height) under a constant-velocity model:
 * state [p, v], covariance [[pp, pv], [pv, vv]]. The four coordinates have independent noise, so an
 * 8-state filter with block-diagonal matrices splits exactly into four of these.
 */
class Axis {
  pv = 0;
  constructor(
    public p: number,
    public v: number,
    public pp: number,
    public vv: number,
  ) {}

  predict(dt: number, accelVar: number): void {
    this.p += this.v * dt;
    // P ← F P Fᵀ + Q with F = [[1, dt], [0, 1]] and white-acceleration Q.
    const dt2 = dt * dt;
    this.pp += 2 * dt * this.pv + dt2 * this.vv + (dt2 * dt2 * accelVar) / 4;
    this.pv += dt * this.vv + (dt2 * dt * accelVar) / 2;
    this.vv += dt2 * accelVar;
  }

  correct(z: number, measVar: number): void {
    const s = this.pp + measVar;
    const kp = this.pp / s;
    const kv = this.pv / s;
    const innovation = z - this.p;
    this.p += kp * innovation;
    this.v += kv * innovation;
    // P ← (I − K H) P
    const pp = this.pp;
    const pv = this.pv;
    this.pp = pp - kp * pp;
    this.pv = pv - kp * pv;
    this.vv -= kv * pv;
  }
}

/** Smallest box side the filter may predict, px (a shrinking coast must not invert the box). */
const MIN_SIDE_PX = 2;

class TrackState {
  id = 0;
  ageFrames = 0;
  hits = 1;
  hitStreak = 1;
  framesSinceUpdate = 0;
  lastUpdateNs: bigint;
  /** The last matched detection's box: where the person was last actually seen. */
  lastBox: PixelBox;
  score: number;
  readonly cx: Axis;
  readonly cy: Axis;
  readonly w: Axis;
  readonly h: Axis;

  constructor(d: Detection, stampNs: bigint, p: TrackerParams) {
    const b = d.box;
    const size = b.width;
    const posVar = (p.measurementStdShare * size) ** 2;
    const velVar = (p.initialVelocityStdShare * size) ** 2;
    this.cx = new Axis(b.x + b.width / 2, 0, posVar, velVar);
    this.cy = new Axis(b.y + b.height / 2, 0, posVar, velVar);
    this.w = new Axis(b.width, 0, posVar, velVar);
    this.h = new Axis(b.height, 0, posVar, velVar);
    this.score = d.score;
    this.lastUpdateNs = stampNs;
    this.lastBox = b;
  }

  predict(dt: number, p: TrackerParams): void {
    const accelVar = (p.accelStdShare * Math.max(this.w.p, MIN_SIDE_PX)) ** 2;
    this.cx.predict(dt, accelVar);
    this.cy.predict(dt, accelVar);
    this.w.predict(dt, accelVar);
    this.h.predict(dt, accelVar);
    if (this.w.p < MIN_SIDE_PX) [this.w.p, this.w.v] = [MIN_SIDE_PX, 0];
    if (this.h.p < MIN_SIDE_PX) [this.h.p, this.h.v] = [MIN_SIDE_PX, 0];
    this.ageFrames++;
    // A streak counts consecutive matched frames: a frame already missed breaks it.
    if (this.framesSinceUpdate > 0) this.hitStreak = 0;
    this.framesSinceUpdate++;
  }

  correct(d: Detection, stampNs: bigint, p: TrackerParams): void {
    const b = d.box;
    const measVar = (p.measurementStdShare * b.width) ** 2;
    this.cx.correct(b.x + b.width / 2, measVar);
    this.cy.correct(b.y + b.height / 2, measVar);
    this.w.correct(b.width, measVar);
    this.h.correct(b.height, measVar);
    this.score = d.score;
    this.hits++;
    this.hitStreak++;
    this.framesSinceUpdate = 0;
    this.lastUpdateNs = stampNs;
    this.lastBox = b;
  }

  box(): PixelBox {
    const w = this.w.p;
    const h = this.h.p;
    return { x: this.cx.p - w / 2, y: this.cy.p - h / 2, width: w, height: h };
  }
}

export class Tracker {
  readonly params: TrackerParams;
  #tracks: TrackState[] = [];
  #nextId = 1;
  #lastStampNs: bigint | undefined;
  #droppedDetections = 0;

  /** With a camera model, tracks carry the bearing and range of their box. */
  constructor(
    params: Partial<TrackerParams> = {},
    private readonly camera?: CameraModel,
  ) {
    this.params = { ...DEFAULT_TRACKER_PARAMS, ...params };
  }

  /**
   * One frame: predict every track to `stampNs`, match the detections, birth and forget tracks.
   * Returns the confirmed tracks (matched `minHits` frames in a row at some point) that are still
   * alive, coasting ones included (`timeSinceUpdateS` > 0), ordered by id.
   */
  update(detections: readonly Detection[], stampNs: bigint): Track[] {
    const p = this.params;
    const dets = detections.filter((d) => {
      if (!validDetection(d)) {
        this.#droppedDetections++;
        return false;
      }
      return d.score >= p.minScore;
    });
    const dt =
      this.#lastStampNs === undefined || stampNs <= this.#lastStampNs
        ? p.nominalDtS
        : Number(stampNs - this.#lastStampNs) / 1e9;
    this.#lastStampNs = stampNs;

    for (const t of this.#tracks) t.predict(dt, p);

    // Stage 1 (SORT): optimal assignment on IoU with the predicted boxes.
    const predicted = this.#tracks.map((t) => t.box());
    const cost = predicted.map((pb) => dets.map((d) => 1 - iou(pb, d.box)));
    const assignment = solveAssignment(cost);
    const detOf = new Int32Array(this.#tracks.length).fill(-1);
    const matchedDet = new Uint8Array(dets.length);
    for (let ti = 0; ti < this.#tracks.length; ti++) {
      const di = assignment[ti]!;
      if (di < 0 || 1 - cost[ti]![di]! < p.iouThreshold) continue;
      detOf[ti] = di;
      matchedDet[di] = 1;
    }
    // Stage 2: what is left over, on size-normalised centre distance within reach.
    this.#recover(predicted, dets, detOf, matchedDet, stampNs);
    for (let ti = 0; ti < this.#tracks.length; ti++) {
      if (detOf[ti]! >= 0) this.#tracks[ti]!.correct(dets[detOf[ti]!]!, stampNs, p);
    }
    for (let di = 0; di < dets.length; di++) {
      if (!matchedDet[di]) this.#tracks.push(new TrackState(dets[di]!, stampNs, p));
    }
    this.#tracks = this.#tracks.filter(
      (t) => t.framesSinceUpdate < p.maxAge && (t.id !== 0 || t.framesSinceUpdate === 0),
    );
    for (const t of this.#tracks) {
      if (t.id === 0 && t.hitStreak >= p.minHits) t.id = this.#nextId++;
    }
    return this.#report(stampNs);
  }

  /**
   * Second association stage for the tracks and detections stage 1 left unmatched (the cascade of
   * ByteTrack and OC-SORT's observation-centric recovery, on distance instead of IoU).
   *
   * Why IoU alone loses walkers: a person walking across the view at 1.3 m/s moves about 0.9 face
   * widths per 10 Hz frame at any range (pixels and face width both scale with 1/depth), and boxes
   * shifted by 0.7 of their width overlap with IoU < 0.2. Stage 1 therefore leans entirely on the
   * constant-velocity prediction, and that prediction is far off exactly when a person turns,
   * stops or reverses, which is also when the face turns away and the track coasts for a few
   * frames: on the person's return, the coasted box has drifted a width or more and no longer
   * overlaps the face, and a new track (a new id, a new "person") begins.
   *
   * Stage 2 pairs a leftover track and a leftover detection when the detection is physically
   * reachable from where the track was last *seen*: its centre within `recoveryMarginWidths` +
   * `recoverySpeedWidthsPerS` × (time since that sighting) box widths of the last matched box, and
   * its size within `recoveryMaxSizeRatio` of that box. Among such pairs the cost is the centre
   * distance in box widths to the nearer of the two hypotheses, the prediction (the person kept
   * walking) or the last sighting (they stopped or turned back), solved by the same optimal
   * assignment. Every pair stage 1 could make it has already made, so the second stage only ever
   * adds matches; a detection no track can reach still starts a new track.
   */
  #recover(
    predicted: readonly PixelBox[],
    dets: readonly Detection[],
    detOf: Int32Array,
    matchedDet: Uint8Array,
    stampNs: bigint,
  ): void {
    const p = this.params;
    const tis: number[] = [];
    for (let ti = 0; ti < this.#tracks.length; ti++) if (detOf[ti]! < 0) tis.push(ti);
    const dis: number[] = [];
    for (let di = 0; di < dets.length; di++) if (!matchedDet[di]) dis.push(di);
    if (tis.length === 0 || dis.length === 0) return;
    const cost = tis.map((ti) => {
      const t = this.#tracks[ti]!;
      const sinceS = Number(stampNs - t.lastUpdateNs) / 1e9;
      const reach = p.recoveryMarginWidths + p.recoverySpeedWidthsPerS * sinceS;
      return dis.map((di) => recoveryCost(predicted[ti]!, t.lastBox, dets[di]!.box, reach, p));
    });
    const assignment = solveAssignment(cost);
    for (let k = 0; k < tis.length; k++) {
      const j = assignment[k]!;
      if (j < 0 || cost[k]![j]! >= UNREACHABLE) continue;
      detOf[tis[k]!] = dis[j]!;
      matchedDet[dis[j]!] = 1;
    }
  }

  /** Detections skipped because their box or score was not finite or not positive in size. */
  get droppedDetections(): number {
    return this.#droppedDetections;
  }

  /** Forget every track (ids keep counting up, so an old id never names a new person). */
  reset(): void {
    this.#tracks = [];
    this.#lastStampNs = undefined;
  }

  #report(stampNs: bigint): Track[] {
    const out: Track[] = [];
    for (const t of this.#tracks) {
      if (t.id === 0) continue;
      const box = t.box();
      const track: Track = {
        id: t.id,
        box,
        score: t.score,
        ageFrames: t.ageFrames,
        hits: t.hits,
        timeSinceUpdateS: Number(stampNs - t.lastUpdateNs) / 1e9,
      };
      if (this.camera) {
        const place = boxToPlacement(this.camera, box, `track ${t.id}.box`);
        track.bearing = place.bearing;
        track.range = place.range;
      }
      out.push(track);
    }
    return out.sort((a, b) => a.id - b.id);
  }
}

/** A stage-2 cost that marks a pair as not allowed (finite: the assignment needs finite costs). */
const UNREACHABLE = 1e6;

/**
 * Stage-2 cost of pairing a detection with a track: the detection's centre distance, in box widths
 * (the mean of the two widths), to the nearer of the track's predicted and last matched box; or
 * UNREACHABLE when the detection is further than `reach` widths from the last matched box or its
 * size differs from it by more than `recoveryMaxSizeRatio`.
 */
export function recoveryCost(
  predicted: PixelBox,
  lastSeen: PixelBox,
  det: PixelBox,
  reach: number,
  p: Pick<TrackerParams, 'recoveryMaxSizeRatio'>,
): number {
  if (
    sizeRatio(det, lastSeen) > p.recoveryMaxSizeRatio &&
    sizeRatio(det, predicted) > p.recoveryMaxSizeRatio
  ) {
    return UNREACHABLE;
  }
  const fromSeen = centreDistance(lastSeen, det) / ((lastSeen.width + det.width) / 2);
  if (fromSeen > reach) return UNREACHABLE;
  const fromPredicted = centreDistance(predicted, det) / ((predicted.width + det.width) / 2);
  return Math.min(fromSeen, fromPredicted);
}

/** How many times larger the larger box is (by width), ≥ 1. */
function sizeRatio(a: PixelBox, b: PixelBox): number {
  return Math.max(a.width, b.width) / Math.min(a.width, b.width);
}

function centreDistance(a: PixelBox, b: PixelBox): number {
  return Math.hypot(a.x + a.width / 2 - b.x - b.width / 2, a.y + a.height / 2 - b.y - b.height / 2);
}

/** A malformed detection (NaN, empty box) is skipped, not thrown: tracking carries on. */
function validDetection(d: Detection): boolean {
  const b = d.box;
  return (
    Number.isFinite(b.x) &&
    Number.isFinite(b.y) &&
    Number.isFinite(b.width) &&
    Number.isFinite(b.height) &&
    b.width > 0 &&
    b.height > 0 &&
    Number.isFinite(d.score)
  );
}

/**
 * Minimum-cost assignment of rows to columns (Hungarian method with potentials, O(n²·m) for n ≤ m;
 * a wider-than-tall matrix is solved transposed). Returns, for each row, its column or -1 when the
 * row is left out (more rows than columns). Ties go to the lowest indices, so results are
 * deterministic. Costs must be finite.
 */
export function solveAssignment(cost: readonly (readonly number[])[]): Int32Array {
  const rows = cost.length;
  const cols = rows === 0 ? 0 : cost[0]!.length;
  const result = new Int32Array(rows).fill(-1);
  if (rows === 0 || cols === 0) return result;
  if (rows > cols) {
    const transposed = Array.from({ length: cols }, (_, c) => cost.map((row) => row[c]!));
    const byCol = solveAssignment(transposed);
    for (let c = 0; c < cols; c++) if (byCol[c]! >= 0) result[byCol[c]!] = c;
    return result;
  }
  // e-maxx formulation, 1-based: u row potentials, v column potentials, p[j] the row in column j.
  const n = rows;
  const m = cols;
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = cost[i0 - 1]![j - 1]! - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          const i = p[j]!;
          u[i] = u[i]! + delta;
          v[j] = v[j]! - delta;
        } else {
          minv[j] = minv[j]! - delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  for (let j = 1; j <= m; j++) if (p[j]! > 0) result[p[j]! - 1] = j - 1;
  return result;
}
