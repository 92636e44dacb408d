/**
 * Robot–robot contacts on one floor, counted once per pair (each robot's own world counts its
 * side too, sim/world.ts): a contact begins when two bodies touch and lasts until they are clear
 * again by a margin, as a robot's contacts with anything else do. Also the closest any two came.
 */
import type { SharedFloor } from './fleet-floor.js';

/** Closer than this counts as touching, m (as sim/world.ts). */
const CONTACT_M = 1e-3;
/** A contact ends once the two are this far apart again, m. */
const CONTACT_RELEASE_M = 0.05;

export class PairContacts {
  readonly #floor: SharedFloor;
  readonly #n: number;
  readonly #touching: boolean[];
  #count = 0;
  #minGapM = Infinity;

  constructor(floor: SharedFloor, robots: number) {
    this.#floor = floor;
    this.#n = robots;
    this.#touching = new Array<boolean>(robots * robots).fill(false);
  }

  /** Looks at every pair once, after the floor was synced. */
  step(): void {
    for (let a = 0; a < this.#n; a++) {
      for (let b = 0; b < a; b++) {
        const gap = this.#floor.gap(a, b);
        if (gap < this.#minGapM) this.#minGapM = gap;
        const k = a * this.#n + b;
        const touching = gap < (this.#touching[k] ? CONTACT_RELEASE_M : CONTACT_M);
        if (touching && !this.#touching[k]) this.#count++;
        this.#touching[k] = touching;
      }
    }
  }

  /** Contacts between robots of the floor so far. */
  get count(): number {
    return this.#count;
  }

  /** Closest two robots' edges came, m (Infinity: one robot alone). */
  get minGapM(): number {
    return this.#minGapM;
  }
}
