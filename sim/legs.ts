/**
 * What a 2D lidar at shin height (0.2–0.3 m) sees of a person: two legs, not a body. Each person
 * is drawn for the lidar as two small discs side by side that swing fore and aft as they walk
 * (the gait's phase advances with the distance walked, so it is deterministic and needs no random
 * numbers). Collisions and the camera still use the person's body disc; only the scan sees legs.
 */
import type { Disc } from './shapes.js';

export interface LegParams {
  /** A shin's radius at the lidar's height, m. */
  legRadiusM: number;
  /** Each leg's centre is this far to the side of the person's centre, m. */
  legOffsetM: number;
  /** At full pace each leg swings this far ahead of and behind the centre, m. */
  swingM: number;
  /** Walking at this speed or faster swings fully, m/s (slower: proportionally less). */
  fullSwingSpeed: number;
  /** Distance walked in one gait cycle (two steps), m. */
  cycleM: number;
}

export const DEFAULT_LEG_PARAMS: LegParams = {
  legRadiusM: 0.06,
  legOffsetM: 0.1,
  swingM: 0.18,
  fullSwingSpeed: 1.2,
  cycleM: 1.4,
};

/** What legs need of a person. */
export interface Walker {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly yaw: number;
  readonly vx: number;
  readonly vy: number;
}

interface MutableDisc {
  x: number;
  y: number;
  radius: number;
}

export class PeopleLegs {
  readonly #phase = new Map<string, number>();
  readonly #discs: MutableDisc[] = [];

  constructor(readonly params: LegParams = DEFAULT_LEG_PARAMS) {}

  /** Moves every walker's gait on by `dtS` of walking. */
  advance(people: readonly Walker[], dtS: number): void {
    const perM = (2 * Math.PI) / this.params.cycleM;
    for (const p of people) {
      const speed = Math.hypot(p.vx, p.vy);
      const phase = (this.#phase.get(p.id) ?? 0) + speed * dtS * perM;
      this.#phase.set(p.id, phase % (2 * Math.PI));
    }
  }

  /** Forgets walkers who left the floor. */
  retain(people: readonly Walker[]): void {
    const ids = new Set(people.map((p) => p.id));
    for (const id of [...this.#phase.keys()]) if (!ids.has(id)) this.#phase.delete(id);
  }

  /** Two leg discs per walker, where they are now (the array is reused by the next call). */
  discs(people: readonly Walker[]): readonly Disc[] {
    const out = this.#discs;
    const { legRadiusM, legOffsetM, swingM, fullSwingSpeed } = this.params;
    while (out.length < people.length * 2) out.push({ x: 0, y: 0, radius: legRadiusM });
    out.length = people.length * 2;
    people.forEach((p, i) => {
      const fx = Math.cos(p.yaw);
      const fy = Math.sin(p.yaw);
      const pace = Math.min(1, Math.hypot(p.vx, p.vy) / fullSwingSpeed);
      const swing = swingM * pace * Math.sin(this.#phase.get(p.id) ?? 0);
      place(out[2 * i]!, p.x - fy * legOffsetM + fx * swing, p.y + fx * legOffsetM + fy * swing, legRadiusM);
      place(
        out[2 * i + 1]!,
        p.x + fy * legOffsetM - fx * swing,
        p.y - fx * legOffsetM - fy * swing,
        legRadiusM,
      );
    });
    return out;
  }
}

function place(d: MutableDisc, x: number, y: number, radius: number): void {
  d.x = x;
  d.y = y;
  d.radius = radius;
}
