/**
 * How well the robot knows where it is, measured against the simulator's ground truth: the
 * estimate (map → base_link on /tf, whoever localises) is compared with the true pose ten times a
 * second, and each localisation fault a scenario injects (a kidnap, odometry slip, a quiet lidar)
 * is followed until the estimate is back within reach of the truth or the localiser says 'lost'.
 * Read only: it publishes nothing.
 */
import type { LocalizationStatus } from '../src/interfaces/index.js';
import { TransformBuffer, normalizeAngle, type RosNode } from '../src/ros/index.js';
import { round } from './round.js';
import type { SimWorld } from './world.js';

/** Steps between samples (10 Hz at the 10 ms step). */
const SAMPLE_EVERY_STEPS = 10;
/** A fault is recovered once the estimate is this close to the truth again (m, rad). */
const RECOVERED_M = 0.3;
const RECOVERED_RAD = (10 * Math.PI) / 180;

export interface LocalizationFaultReport {
  kind: string;
  at_s: number;
  /** s from the fault until the estimate was within 0.3 m and 10° of the truth again (null: never). */
  recovered_after_s: number | null;
  /** s from the fault until the localiser first said 'lost' (null: it never did). */
  lost_reported_after_s: number | null;
}

export interface LocalizationReport {
  /** Samples of the estimate against the truth (10 Hz while an estimate exists). */
  samples: number;
  position_p95_m: number;
  heading_p95_deg: number;
  position_max_m: number;
  /** s the localiser said 'lost' in total. */
  lost_s: number;
  faults: LocalizationFaultReport[];
}

export class LocalizationWatch {
  readonly #tf: TransformBuffer;
  readonly #world: SimWorld;
  readonly #now: () => number;
  readonly #positions: number[] = [];
  readonly #headings: number[] = [];
  readonly #faults: LocalizationFaultReport[] = [];
  #steps = 0;
  #state = '';
  #lostSinceS: number | undefined;
  #lostS = 0;

  constructor(node: RosNode, world: SimWorld, now: () => number) {
    this.#tf = TransformBuffer.listen(node);
    this.#world = world;
    this.#now = now;
    node.createSubscription(
      'medhjalparen_msgs/msg/LocalizationStatus',
      '/localization/status',
      (s: LocalizationStatus) => this.#onStatus(s.state),
    );
  }

  /** A fault was injected now: follow it. */
  fault(kind: string): void {
    this.#faults.push({ kind, at_s: this.#now(), recovered_after_s: null, lost_reported_after_s: null });
    if (this.#state === 'lost') this.#onStatus('lost', true);
  }

  /** Called every step. */
  step(): void {
    if (++this.#steps % SAMPLE_EVERY_STEPS !== 0) return;
    const est = this.#tf.lookup('map', 'base_link')?.pose;
    if (!est) return;
    const truth = this.#world.robotPose();
    const dPos = Math.hypot(est.x - truth.x, est.y - truth.y);
    const dYaw = Math.abs(normalizeAngle(est.yaw - truth.yaw));
    this.#positions.push(dPos);
    this.#headings.push(dYaw);
    const t = this.#now();
    for (const f of this.#faults) {
      // A fault counts as recovered only once it has had a moment to show (the step it fires in).
      if (f.recovered_after_s === null && t > f.at_s + 0.05 && dPos <= RECOVERED_M && dYaw <= RECOVERED_RAD)
        f.recovered_after_s = round(t - f.at_s, 2);
    }
  }

  report(): LocalizationReport {
    const t = this.#now();
    const lost = this.#lostS + (this.#lostSinceS !== undefined ? t - this.#lostSinceS : 0);
    return {
      samples: this.#positions.length,
      position_p95_m: round(percentile(this.#positions, 0.95), 3),
      heading_p95_deg: round((percentile(this.#headings, 0.95) * 180) / Math.PI, 2),
      position_max_m: round(
        this.#positions.reduce((m, v) => (v > m ? v : m), 0),
        3,
      ),
      lost_s: round(lost, 1),
      faults: this.#faults.map((f) => ({ ...f })),
    };
  }

  #onStatus(state: string, again = false): void {
    const t = this.#now();
    if (state === 'lost' && (this.#state !== 'lost' || again)) {
      for (const f of this.#faults)
        if (f.lost_reported_after_s === null) f.lost_reported_after_s = round(t - f.at_s, 2);
    }
    if (state === 'lost' && this.#lostSinceS === undefined) this.#lostSinceS = t;
    if (state !== 'lost' && this.#lostSinceS !== undefined) {
      this.#lostS += t - this.#lostSinceS;
      this.#lostSinceS = undefined;
    }
    this.#state = state;
  }
}

/** The p-quantile (nearest rank) of `values`; 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
