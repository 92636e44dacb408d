/**
 * Tracks people in the map frame from one scan's candidates to the next: each track is a
 * constant-velocity Kalman filter; candidates are assigned to tracks' predictions by minimum total
 * distance (the Hungarian method) within a gate; a track is confirmed after `confirm_hits`
 * scans, coasts on its prediction through a few misses and is dropped after `max_misses`
 * (tentative ones after `tentative_max_misses`). Ids count up and are never reused.
 */
import { solveAssignment } from '../tracker.js';
import type { Candidate, CandidateKind } from './classify.js';
import { ConstantVelocityKalman } from './kalman.js';

export interface PeopleTrackerParams {
  process_accel_sd: number;
  measurement_sd: number;
  initial_velocity_sd: number;
  gate_distance: number;
  confirm_hits: number;
  tentative_max_misses: number;
  max_misses: number;
  max_scan_gap: number;
}

export interface TrackedPerson {
  /** Stable for the track's life, never reused. */
  id: number;
  x: number;
  y: number;
  vx: number;
  vy: number;
  /** 0..1: the last candidate's reliability, less for each scan missed since. */
  reliability: number;
  /** What the last candidate was. */
  kind: CandidateKind;
  confirmed: boolean;
  hits: number;
  misses: number;
}

interface Track {
  id: number;
  filter: ConstantVelocityKalman;
  hits: number;
  misses: number;
  confirmed: boolean;
  kind: CandidateKind;
  reliability: number;
}

/** A cost beyond any gate: the assignment must stay finite. */
const OUT_OF_GATE = 1e6;
/** Tentative tracks pay this much more per match, so confirmed ones win a close call, m. */
const TENTATIVE_PENALTY = 0.05;

export class PeopleTracker {
  #tracks: Track[] = [];
  #nextId = 1;
  #lastNs: bigint | undefined;

  constructor(private readonly p: PeopleTrackerParams) {}

  /** Drops every track (a scan gap, a jump in localisation). */
  reset(): void {
    this.#tracks = [];
    this.#lastNs = undefined;
  }

  /**
   * One scan's candidates at `stampNs`. A scan not newer than the last is ignored (false); a gap
   * longer than `max_scan_gap` starts afresh.
   */
  update(candidates: readonly Candidate[], stampNs: bigint): boolean {
    if (this.#lastNs !== undefined && stampNs <= this.#lastNs) return false;
    const dt = this.#lastNs === undefined ? 0 : Number(stampNs - this.#lastNs) / 1e9;
    if (dt > this.p.max_scan_gap) this.#tracks = [];
    this.#lastNs = stampNs;
    if (dt > 0) for (const t of this.#tracks) t.filter.predict(dt);
    const match = this.#associate(candidates);
    const used = new Uint8Array(candidates.length);
    const survivors: Track[] = [];
    this.#tracks.forEach((t, i) => {
      const j = match[i]!;
      if (j >= 0) {
        used[j] = 1;
        this.#hit(t, candidates[j]!);
        survivors.push(t);
        return;
      }
      t.misses++;
      const limit = t.confirmed ? this.p.max_misses : this.p.tentative_max_misses;
      if (t.misses < limit) survivors.push(t);
    });
    candidates.forEach((c, j) => {
      if (!used[j]) survivors.push(this.#birth(c));
    });
    this.#tracks = survivors;
    return true;
  }

  /** Every live track (tentative ones included), in id order. */
  tracks(): TrackedPerson[] {
    return this.#tracks
      .map((t) => ({
        id: t.id,
        x: t.filter.x,
        y: t.filter.y,
        vx: t.filter.vx,
        vy: t.filter.vy,
        reliability: t.reliability * (1 - t.misses / (this.p.max_misses + 1)),
        kind: t.kind,
        confirmed: t.confirmed,
        hits: t.hits,
        misses: t.misses,
      }))
      .sort((a, b) => a.id - b.id);
  }

  /** The confirmed tracks: the people to publish. */
  people(): TrackedPerson[] {
    return this.tracks().filter((t) => t.confirmed);
  }

  /** For each track, the candidate it takes (or -1). */
  #associate(candidates: readonly Candidate[]): Int32Array {
    const tracks = this.#tracks;
    if (tracks.length === 0 || candidates.length === 0) return new Int32Array(tracks.length).fill(-1);
    const gate = this.p.gate_distance;
    const cost = tracks.map((t) =>
      candidates.map((c) => {
        const d = Math.hypot(c.x - t.filter.x, c.y - t.filter.y);
        return d <= gate ? d + (t.confirmed ? 0 : TENTATIVE_PENALTY) : OUT_OF_GATE;
      }),
    );
    const match = solveAssignment(cost);
    for (let i = 0; i < match.length; i++) {
      if (match[i]! >= 0 && cost[i]![match[i]!]! >= OUT_OF_GATE) match[i] = -1;
    }
    return match;
  }

  #hit(t: Track, c: Candidate): void {
    t.filter.update(c.x, c.y);
    t.hits++;
    t.misses = 0;
    t.kind = c.kind;
    t.reliability = c.reliability;
    if (t.hits >= this.p.confirm_hits) t.confirmed = true;
  }

  #birth(c: Candidate): Track {
    const filter = new ConstantVelocityKalman(c.x, c.y, this.p.initial_velocity_sd, {
      accelSd: this.p.process_accel_sd,
      measurementSd: this.p.measurement_sd,
    });
    const confirmed = this.p.confirm_hits <= 1;
    return {
      id: this.#nextId++,
      filter,
      hits: 1,
      misses: 0,
      confirmed,
      kind: c.kind,
      reliability: c.reliability,
    };
  }
}
