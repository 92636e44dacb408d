/**
 * The narrowest passage on the way from the dock to each place: the widest route's bottleneck
 * (a maximin route, found by a priority flood over the distance transform), so `map check` can
 * say how wide the tightest door on the way to a destination is and where it is, and refuse a
 * destination only reachable through a passage narrower than the robot's width plus margins.
 */

/** The bottleneck of the widest route from the start to one cell. */
export interface Passage {
  /** Free width of the narrowest place on the widest route, m (to the map's resolution). */
  widthM: number;
  /** Where that narrowest place is: a cell index of the grid. */
  cell: number;
}

export interface WidestRoutes {
  /** Passage to `cell`, or undefined when no route of free cells reaches it. */
  to(cell: number): Passage | undefined;
}

/**
 * Widest routes from `start` over 4-connected cells with a squared obstacle distance above 0
 * (`squaredDistances` in cells², as inflate() returns). Distances above `capM` count as `capM`
 * (wide enough for anything): the flood then takes one bucket per distinct distance up to it.
 */
export function widestRoutes(
  width: number,
  height: number,
  resolution: number,
  squaredDistances: Float32Array,
  start: number,
  capM = 3,
): WidestRoutes {
  const n = width * height;
  const capD2 = Math.ceil((capM / resolution) ** 2);
  const level = (i: number) => Math.min(capD2, Math.floor(squaredDistances[i]! + 1e-6));
  const best = new Int32Array(n).fill(-1);
  const where = new Int32Array(n).fill(-1);
  const buckets: number[][] = [];
  const push = (cell: number, b: number) => (buckets[b] ??= []).push(cell);
  if (level(start) > 0) {
    best[start] = level(start);
    where[start] = start;
    push(start, best[start]!);
  }
  for (let b = capD2; b > 0; b--) {
    const bucket = buckets[b];
    if (!bucket) continue;
    while (bucket.length > 0) {
      const c = bucket.pop()!;
      if (best[c] !== b) continue;
      const col = c % width;
      const visit = (m: number) => {
        const own = level(m);
        const nb = own < b ? own : b;
        if (nb > 0 && nb > best[m]!) {
          best[m] = nb;
          where[m] = own < b ? m : where[c]!;
          push(m, nb);
        }
      };
      if (col > 0) visit(c - 1);
      if (col < width - 1) visit(c + 1);
      if (c >= width) visit(c - width);
      if (c + width < n) visit(c + width);
    }
    buckets[b] = [];
  }
  return {
    to(cell: number): Passage | undefined {
      const b = best[cell]!;
      if (b <= 0) return undefined;
      // Twice the clearance from the bottleneck cell's centre to the nearest obstacle cell's centre.
      return { widthM: 2 * Math.sqrt(b) * resolution, cell: where[cell]! };
    },
  };
}
