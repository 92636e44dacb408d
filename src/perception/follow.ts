/**
 * "Is my customer still following?": picks the escorted customer's face track when the escort
 * starts, follows it by track id, re-acquires the customer under a new id when the tracker lost
 * them and a fresh track appears where they were expected, and reports how far behind the robot
 * they are and for how long they have not been seen, as medhjalparen_msgs/msg/CustomerFollow.
 *
 * Only positions and track ids are kept (no appearance), so re-acquisition is by place: a stranger
 * who turns up far from where the customer was last seen is not taken for them, and neither is
 * anyone who was in view together with the customer.
 */
import { durationMsg, nsToTimeMsg, type Pose2D } from '../ros/index.js';
import { type CustomerFollow } from '../interfaces/index.js';
import type { Track } from './tracker.js';

export interface FollowParams {
  /** At binding, the customer's face is within this much of straight behind, rad. */
  bindMaxOffAxisRad: number;
  /** ... and this close to the robot, m. */
  bindMaxRangeM: number;
  /** bind() uses the last tracks if they are at most this old, s (else it waits for the next). */
  bindLatencyS: number;
  /** A new track is the customer if it appears within this distance of where they were last seen, m. */
  reacquireGateM: number;
  /** ... growing by this much per second lost (they keep walking), m/s. */
  reacquireGrowthMps: number;
  /** ... up to this, m. */
  reacquireMaxGateM: number;
  /** A track counts as seen when its last match is at most this old, s (0: matched this frame). */
  visibleMaxAgeS: number;
  /**
   * Half the camera's field of view about straight behind, rad. While the robot itself has
   * turned the place the customer was last seen out of view (lining up at a door, turning a
   * corner), not seeing them is no sign they have gone: that time does not count as lost, up
   * to `outOfViewGraceS`.
   */
  viewHalfAngleRad: number;
  outOfViewGraceS: number;
  /** Frame of the published header. */
  frameId: string;
}

export const DEFAULT_FOLLOW_PARAMS: FollowParams = {
  bindMaxOffAxisRad: 0.6,
  bindMaxRangeM: 2.5,
  bindLatencyS: 0.5,
  reacquireGateM: 0.8,
  reacquireGrowthMps: 0.5,
  reacquireMaxGateM: 3.0,
  visibleMaxAgeS: 0,
  viewHalfAngleRad: Math.PI / 4,
  outOfViewGraceS: 8,
  frameId: 'base_link',
};

/**
 * Where a face track is on the floor, in the fixed frame the robot's pose is given in (odom): a
 * customer standing still stays put there while the robot turns or drives on, so "near where
 * they were last seen" keeps meaning the same place. Without a pose it is base_link.
 */
interface Spot {
  x: number;
  y: number;
  range: number;
}

const AT_ORIGIN: Pose2D = { x: 0, y: 0, yaw: 0 };

function spotOf(t: Track, robot: Pose2D): Spot | undefined {
  if (t.bearing === undefined || t.range === undefined) return undefined;
  const heading = robot.yaw + t.bearing;
  return {
    x: robot.x + t.range * Math.cos(heading),
    y: robot.y + t.range * Math.sin(heading),
    range: t.range,
  };
}

/** Angle between a bearing and straight behind (π), rad in [0, π]. */
function offAxis(bearing: number): number {
  return Math.abs(Math.atan2(Math.sin(bearing - Math.PI), Math.cos(bearing - Math.PI)));
}

export class CustomerFollower {
  readonly params: FollowParams;
  #bound = false;
  #boundAtNs = 0n;
  #trackId: number | undefined;
  #lastSeenNs: bigint | undefined;
  #lastSpot: Spot | undefined;
  /** Ids of tracks seen together with the customer: someone else, never a re-acquisition. */
  #others = new Set<number>();
  #lastTracks: readonly Track[] = [];
  #lastTracksNs: bigint | undefined;
  /** The robot's pose at the frame being handled. */
  #robot: Pose2D = AT_ORIGIN;
  /** Time since last seen during which the last-seen place was out of the camera's view, s. */
  #outOfViewS = 0;
  #lastUpdateNs: bigint | undefined;

  constructor(params: Partial<FollowParams> = {}) {
    this.params = { ...DEFAULT_FOLLOW_PARAMS, ...params };
  }

  /**
   * The escort starts: the customer is whoever is nearest among the faces close and centred
   * behind the robot, now (from the last tracks, if recent) or at the first update that shows one.
   */
  bind(stampNs: bigint): void {
    this.#bound = true;
    this.#outOfViewS = 0;
    this.#boundAtNs = stampNs;
    this.#trackId = undefined;
    this.#lastSeenNs = undefined;
    this.#lastSpot = undefined;
    this.#others.clear();
    const latencyNs = BigInt(Math.round(this.params.bindLatencyS * 1e9));
    if (this.#lastTracksNs !== undefined && stampNs - this.#lastTracksNs <= latencyNs) {
      this.#tryBind(this.#lastTracks, this.#lastTracksNs);
    }
  }

  /** The escort is over: nobody is followed. */
  unbind(): void {
    this.#bound = false;
    this.#outOfViewS = 0;
    this.#trackId = undefined;
    this.#lastSeenNs = undefined;
    this.#lastSpot = undefined;
    this.#others.clear();
  }

  /** The bound customer's current track id (undefined: unbound, or not yet picked). */
  get trackId(): number | undefined {
    return this.#trackId;
  }

  /**
   * One tracker frame in, the follow signal out. `robot`: the robot's pose in a fixed frame at
   * this frame (odom); without it, places are compared in base_link, which only holds while the
   * robot does not turn.
   */
  update(tracks: readonly Track[], stampNs: bigint, robot: Pose2D = AT_ORIGIN): CustomerFollow {
    const sinceLastS = this.#lastUpdateNs === undefined ? 0 : Number(stampNs - this.#lastUpdateNs) / 1e9;
    this.#lastUpdateNs = stampNs;
    // Judged from the pose the robot turned to since the last frame, before this frame's news.
    if (this.#bound && this.#lastSpot && !this.#inView(this.#lastSpot, robot)) {
      this.#outOfViewS += Math.max(0, sinceLastS);
    }
    this.#robot = robot;
    this.#lastTracks = tracks;
    this.#lastTracksNs = stampNs;
    let visible = false;
    if (this.#bound) {
      if (this.#trackId === undefined) this.#tryBind(tracks, stampNs);
      else this.#follow(tracks, stampNs);
      visible = this.#lastSeenNs === stampNs;
    }
    return this.#message(stampNs, visible);
  }

  #seen(t: Track): boolean {
    return t.timeSinceUpdateS <= this.params.visibleMaxAgeS;
  }

  #tryBind(tracks: readonly Track[], stampNs: bigint): void {
    const p = this.params;
    let best: Track | undefined;
    for (const t of tracks) {
      if (!this.#seen(t) || t.bearing === undefined || t.range === undefined) continue;
      if (offAxis(t.bearing) > p.bindMaxOffAxisRad || t.range > p.bindMaxRangeM) continue;
      if (!best || t.range < best.range!) best = t;
    }
    if (best) this.#take(best, tracks, stampNs);
  }

  #follow(tracks: readonly Track[], stampNs: bigint): void {
    const own = tracks.find((t) => t.id === this.#trackId);
    if (own && this.#seen(own)) {
      this.#take(own, tracks, stampNs);
      return;
    }
    const candidate = this.#reacquisition(tracks, stampNs);
    if (candidate) this.#take(candidate, tracks, stampNs);
  }

  /**
   * The fresh track nearest where the customer was last seen, inside the growing gate; failing
   * that, someone close and centred behind the robot who was never seen beside the customer (a
   * customer walking up fast can outrun the tracker's association and come back under a new id
   * far from where they were last seen, and a stranger rarely walks right behind a robot).
   */
  #reacquisition(tracks: readonly Track[], stampNs: bigint): Track | undefined {
    const p = this.params;
    const last = this.#lastSpot;
    if (!last) return undefined;
    const gated = this.#nearLastSpot(tracks, stampNs, last);
    if (gated) return gated;
    let best: Track | undefined;
    for (const t of tracks) {
      if (t.id === this.#trackId || this.#others.has(t.id) || !this.#seen(t)) continue;
      if (t.bearing === undefined || t.range === undefined) continue;
      if (offAxis(t.bearing) > p.bindMaxOffAxisRad || t.range > p.bindMaxRangeM) continue;
      if (!best || t.range < best.range!) best = t;
    }
    return best;
  }

  #nearLastSpot(tracks: readonly Track[], stampNs: bigint, last: Spot): Track | undefined {
    const p = this.params;
    const lostS = Number(stampNs - (this.#lastSeenNs ?? this.#boundAtNs)) / 1e9;
    const gate = Math.min(p.reacquireMaxGateM, p.reacquireGateM + p.reacquireGrowthMps * lostS);
    let best: Track | undefined;
    let bestD = Infinity;
    for (const t of tracks) {
      if (t.id === this.#trackId || this.#others.has(t.id) || !this.#seen(t)) continue;
      const s = spotOf(t, this.#robot);
      if (!s) continue;
      const d = Math.hypot(s.x - last.x, s.y - last.y);
      if (d <= gate && d < bestD) [best, bestD] = [t, d];
    }
    return best;
  }

  /** Is `spot` within the camera's view from `robot`? */
  #inView(spot: Spot, robot: Pose2D): boolean {
    const bearing = Math.atan2(spot.y - robot.y, spot.x - robot.x) - robot.yaw;
    return offAxis(bearing) <= this.params.viewHalfAngleRad;
  }

  #take(t: Track, tracks: readonly Track[], stampNs: bigint): void {
    this.#trackId = t.id;
    this.#lastSeenNs = stampNs;
    this.#outOfViewS = 0;
    this.#lastSpot = spotOf(t, this.#robot);
    // Everyone else in view now is someone else; forget ids the tracker has dropped.
    const alive = new Set<number>();
    for (const o of tracks) {
      alive.add(o.id);
      if (o.id !== t.id && this.#seen(o)) this.#others.add(o.id);
    }
    for (const id of this.#others) if (!alive.has(id)) this.#others.delete(id);
  }

  #message(stampNs: bigint, visible: boolean): CustomerFollow {
    const unseenS = this.#bound ? Number(stampNs - (this.#lastSeenNs ?? this.#boundAtNs)) / 1e9 : 0;
    const lostForS = Math.max(0, unseenS - Math.min(this.#outOfViewS, this.params.outOfViewGraceS));
    return {
      header: { stamp: nsToTimeMsg(stampNs), frame_id: this.params.frameId },
      bound: this.#bound,
      visible,
      distance_behind: this.#bound ? (this.#lastSpot?.range ?? 0) : 0,
      lost_for: durationMsg(lostForS),
    };
  }
}
