/**
 * The localiser without the graph: it is fed odometry and scans with their times, decides when
 * the filter updates (moved `update_min_d` / `update_min_a`, the first scan, an initial pose, or
 * standing still while the scan does not fit), keeps map → odom, watches odometry for jumps and
 * the lidar for silence, and says how sure it is. The node (amcl-node.ts) only wires it to topics.
 */
import { composePose, normalizeAngle, relativePose, type Pose2D } from '../../ros/index.js';
import type { LocalizationState } from '../../interfaces/index.js';
import { positionSigma, type PoseEstimate } from './clusters.js';
import type { LikelihoodField } from './likelihood-field.js';
import type { AmclParams } from './params.js';
import { ParticleFilter } from './particle-filter.js';
import { FilterRandom } from './random.js';
import { searchNearby, tolerantScore } from './relocalize.js';
import { scanMatch, type Beams } from './sensor-model.js';
import { classify } from './status.js';

const ORIGIN: Pose2D = { x: 0, y: 0, yaw: 0 };
/** Weight of the newest scan in the averaged scan match (about a second at 10 Hz). */
const MATCH_SMOOTHING = 0.3;
/** s: odometry readings closer than this are judged over this long (a burst is not a jump). */
const MIN_ODOM_DT_S = 0.02;
/** A relocalising search keeps its best few guesses, seeds this share of particles around them, */
const SEARCH_KEEP = 10;
const SEARCH_SHARE = 0.5;
/** and does so only when its best fits this much better than the estimate does (0..1 of beams). */
const SEARCH_MARGIN = 0.15;

export interface LocalizerStatus {
  state: LocalizationState;
  reason: string;
  positionSigma: number;
  yawSigma: number;
  particles: number;
  /** The latest scan's share of fitting beams (NaN: too few beams). */
  scanMatch: number;
}

export class Localizer {
  readonly filter: ParticleFilter;
  readonly #p: AmclParams;
  readonly #field: LikelihoodField;
  #mapToOdom: Pose2D | undefined;
  /** Odometry at the last filter update (the motion model's "from"). */
  #odomRef: Pose2D | undefined;
  #odom: { pose: Pose2D; tS: number } | undefined;
  /** An initial pose waiting for the first odometry. */
  #pendingInit: { pose: Pose2D; sdXY: number; sdYaw: number } | undefined;
  #forceUpdate = false;
  #lastUpdateS = -Infinity;
  #lastScanS = -Infinity;
  #match = NaN;
  #matchAvg = NaN;
  #odometryProblem = '';
  #updates = 0;
  #lastSearchS = -Infinity;

  constructor(params: AmclParams, field: LikelihoodField) {
    this.#p = params;
    this.#field = field;
    this.filter = new ParticleFilter(params, field, new FilterRandom(params.seed));
    if (params.set_initial_pose) {
      this.setPose(
        { x: params['initial_pose.x'], y: params['initial_pose.y'], yaw: params['initial_pose.yaw'] },
        params.initial_sigma_xy,
        params.initial_sigma_yaw,
      );
    }
  }

  /** map → odom, once there is a pose. */
  get mapToOdom(): Pose2D | undefined {
    return this.#mapToOdom;
  }

  /** The robot in the map now (map → odom ∘ the latest odometry). */
  get pose(): Pose2D | undefined {
    return this.#mapToOdom && this.#odom ? composePose(this.#mapToOdom, this.#odom.pose) : undefined;
  }

  get estimate(): PoseEstimate | undefined {
    return this.filter.estimate;
  }

  /** Filter updates so far. */
  get updates(): number {
    return this.#updates;
  }

  /** Starts over around `pose` (map frame), e.g. from /initialpose. */
  setPose(pose: Pose2D, sdXY: number, sdYaw: number): void {
    this.#pendingInit = { pose, sdXY, sdYaw };
    if (this.#odom) this.#applyInit();
  }

  /** Odometry (odom → base) at `tS` seconds; a reading that jumped is not taken as motion. */
  odometry(pose: Pose2D, tS: number): void {
    if (![pose.x, pose.y, pose.yaw, tS].every(Number.isFinite)) return;
    const last = this.#odom;
    this.#odom = { pose, tS };
    if (last) this.#checkJump(last, pose, tS);
    if (this.#pendingInit) this.#applyInit();
  }

  /**
   * A scan's beams (in the base frame) at `tS`, with odometry at the same time. Returns true when
   * the filter updated on it.
   */
  scan(beams: Beams, tS: number): boolean {
    this.#lastScanS = tS;
    const odom = this.#odom?.pose;
    if (!odom || !this.#odomRef || !this.#mapToOdom) return false;
    const moved = relativePose(this.#odomRef, odom);
    const lostLong =
      this.#matchAvg < this.#p.uncertain_scan_match && tS - this.#lastUpdateS >= this.#p.lost_update_period;
    const due =
      this.#forceUpdate ||
      Math.hypot(moved.x, moved.y) >= this.#p.update_min_d ||
      Math.abs(moved.yaw) >= this.#p.update_min_a ||
      lostLong;
    let updated = false;
    if (due && beams.count > 0) {
      this.#update(beams, odom, tS);
      updated = true;
    }
    const here = composePose(this.#mapToOdom, odom);
    this.#match = scanMatch(here, beams, this.#field, this.#p.scan_match_dist);
    if (!Number.isNaN(this.#match)) {
      this.#matchAvg = Number.isNaN(this.#matchAvg)
        ? this.#match
        : this.#matchAvg + MATCH_SMOOTHING * (this.#match - this.#matchAvg);
    }
    if (updated && this.#odometryProblem && this.#matchAvg >= this.#p.uncertain_scan_match)
      this.#odometryProblem = '';
    if (
      this.#matchAvg < this.#p.uncertain_scan_match &&
      tS - this.#lastSearchS >= this.#p.lost_update_period
    ) {
      this.#lastSearchS = tS;
      this.#relocalise(beams, here);
    }
    return updated;
  }

  /** How sure the localiser is at `nowS`. */
  status(nowS: number): LocalizerStatus {
    const e = this.filter.estimate;
    const posSigma = e ? positionSigma(e.cov) : NaN;
    const yawSigma = e ? Math.sqrt(e.cov.aa) : NaN;
    const { state, reason } = classify(
      {
        initialized: this.#mapToOdom !== undefined,
        scanAgeS: Number.isFinite(this.#lastScanS) ? nowS - this.#lastScanS : Infinity,
        odometryProblem: this.#odometryProblem,
        positionSigma: posSigma,
        yawSigma,
        scanMatch: this.#matchAvg,
      },
      this.#p,
    );
    return {
      state,
      reason,
      positionSigma: posSigma,
      yawSigma,
      particles: this.filter.particles.count,
      scanMatch: this.#match,
    };
  }

  #update(beams: Beams, odom: Pose2D, tS: number): void {
    this.filter.predict(this.#odomRef!, odom);
    this.#odomRef = odom;
    this.filter.correct(beams);
    const e = this.filter.estimate;
    if (e) this.#mapToOdom = composePose(e.pose, relativePose(odom, ORIGIN));
    this.#updates++;
    if (this.#updates % this.#p.resample_interval === 0) this.filter.resample();
    this.#forceUpdate = false;
    this.#lastUpdateS = tS;
  }

  /**
   * The scan does not fit around the estimate: search nearby for poses it fits better, and seed
   * particles there when the best is clearly better than where the filter thinks it is.
   */
  #relocalise(beams: Beams, here: Pose2D): void {
    const found = searchNearby(this.#field, beams, here, this.#p.recovery_radius, SEARCH_KEEP);
    const best = found[0];
    if (!best || best.score < tolerantScore(this.#field, beams, here) + SEARCH_MARGIN) return;
    this.filter.inject(
      found.map((c) => c.pose),
      SEARCH_SHARE,
    );
    this.#forceUpdate = true;
    this.relocalisations++;
  }

  /** Searches that found a better fit and seeded particles there. */
  relocalisations = 0;

  #applyInit(): void {
    const init = this.#pendingInit!;
    const odom = this.#odom!.pose;
    this.#pendingInit = undefined;
    this.filter.init(init.pose, init.sdXY, init.sdYaw);
    this.#odomRef = odom;
    this.#mapToOdom = composePose(init.pose, relativePose(odom, ORIGIN));
    this.#forceUpdate = true;
    this.#odometryProblem = '';
    this.#matchAvg = NaN;
  }

  /**
   * Odometry faster than the robot can move jumped (an encoder glitch, a board that restarted):
   * the jump is not applied to the particles (the map pose stays where it was), and the pose is
   * 'lost' until a filter update finds the scan fitting again.
   */
  #checkJump(last: { pose: Pose2D; tS: number }, pose: Pose2D, tS: number): void {
    const dt = Math.max(MIN_ODOM_DT_S, tS - last.tS);
    const d = Math.hypot(pose.x - last.pose.x, pose.y - last.pose.y);
    const turn = Math.abs(normalizeAngle(pose.yaw - last.pose.yaw));
    if (d <= this.#p.odom_max_speed * dt && turn <= this.#p.odom_max_turn_rate * dt) return;
    this.#odometryProblem = `odometry jumped ${d.toFixed(2)} m, ${((turn * 180) / Math.PI).toFixed(0)}° in ${dt.toFixed(2)} s`;
    // Keep the map pose: map → odom' = (map → odom ∘ last) ∘ pose⁻¹; the filter's reference moves with it.
    if (this.#mapToOdom) {
      const mapPose = composePose(this.#mapToOdom, last.pose);
      this.#mapToOdom = composePose(mapPose, relativePose(pose, ORIGIN));
    }
    if (this.#odomRef) this.#odomRef = composePose(pose, relativePose(last.pose, this.#odomRef));
    this.#forceUpdate = true;
  }
}
