/**
 * What the planner learns once about a map (at configure): its connected regions (to tell "the
 * map has no route" from "obstacles block the route") and landmark distances for the ALT
 * heuristic (grid-search.ts). Landmarks are picked by farthest-point selection: each next one is
 * the cell farthest from all chosen so far, which puts them on the floor's periphery, where
 * they bound best. One Dijkstra per landmark: the cost is paid once per map, and a small cache
 * keyed by the grid's contents shares it between planners on the same map.
 */
import { gridHash } from '../map/index.js';
import { GridSearch, type GridSearchOptions, type LandmarkTable } from './grid-search.js';

export interface GridAnalysis {
  landmarks: LandmarkTable;
  /** Region label per padded cell (4-connected passable cells; 0 = impassable). */
  regions: Int32Array;
}

/** Labels 4-connected passable regions (diagonal moves add no connectivity: they need both orthogonals). */
export function labelRegions(
  costs: Uint8Array,
  width: number,
  height: number,
  passable: (cost: number) => boolean,
): { labels: Int32Array; largest: number; farthestInLargest: number } {
  const n = width * height;
  const labels = new Int32Array(n);
  const queue = new Int32Array(n);
  const hops = new Int32Array(n);
  let next = 1;
  let largest = 0;
  let largestSize = 0;
  let farthestInLargest = -1;
  for (let seed = 0; seed < n; seed++) {
    if (labels[seed] !== 0 || !passable(costs[seed]!)) continue;
    const label = next++;
    let head = 0;
    let tail = 0;
    queue[tail++] = seed;
    labels[seed] = label;
    hops[seed] = 0;
    let far = seed;
    while (head < tail) {
      const c = queue[head++]!;
      if (hops[c]! > hops[far]!) far = c;
      const x = c % width;
      const y = (c - x) / width;
      for (let d = 0; d < 4; d++) {
        const nx = d === 0 ? x + 1 : d === 1 ? x - 1 : x;
        const ny = d === 2 ? y + 1 : d === 3 ? y - 1 : y;
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        const m = ny * width + nx;
        if (labels[m] !== 0 || !passable(costs[m]!)) continue;
        labels[m] = label;
        hops[m] = hops[c]! + 1;
        queue[tail++] = m;
      }
    }
    if (tail > largestSize) {
      largestSize = tail;
      largest = label;
      farthestInLargest = far;
    }
  }
  return { labels, largest, farthestInLargest };
}

/**
 * Regions and `count` landmarks for a padded cost grid. Landmarks all lie in the largest
 * region (elsewhere the heuristic falls back to the octile distance).
 */
export function analyseGrid(
  costs: Uint8Array,
  width: number,
  height: number,
  options: GridSearchOptions,
  count: number,
  search: GridSearch = new GridSearch(width, height),
): GridAnalysis {
  const key = cacheKey(costs, width, height, options, count);
  const cached = CACHE.get(key);
  if (cached) return cached;

  const passable = (c: number) => c < 253 || (options.allowUnknown && c === 255);
  const { labels, farthestInLargest } = labelRegions(costs, width, height, passable);
  const n = width * height;
  const table = new Float32Array(n * count);
  let used = 0;
  let maxDistance = 0;
  if (farthestInLargest >= 0 && count > 0) {
    const dist = new Float64Array(n);
    const minDist = new Float64Array(n).fill(Infinity);
    let landmark = farthestInLargest;
    for (let k = 0; k < count; k++) {
      search.distancesFrom(costs, landmark, options, dist);
      let best = -1;
      let bestD = 0;
      for (let i = 0; i < n; i++) {
        const d = dist[i]!;
        table[i * count + k] = d;
        if (d === Infinity) continue;
        if (d > maxDistance) maxDistance = d;
        if (d < minDist[i]!) minDist[i] = d;
        if (minDist[i]! > bestD) {
          bestD = minDist[i]!;
          best = i;
        }
      }
      used = k + 1;
      if (best < 0) break; // a one-cell region: nothing farther to pick
      landmark = best;
    }
    for (let k = used; k < count; k++) for (let i = 0; i < n; i++) table[i * count + k] = Infinity;
  } else {
    table.fill(Infinity);
  }
  // float32 keeps ~2⁻²⁴ relative precision; shrinking the bounds by this keeps them consistent
  // for the cheapest move (one cell at multiplier 1). See grid-search.ts.
  const shrink = Math.min(0.5, (8 * 2 ** -24 * maxDistance) / options.cellSize);
  const analysis: GridAnalysis = {
    landmarks: { count: used > 0 ? count : 0, table, shrink },
    regions: labels,
  };
  CACHE.set(key, analysis);
  if (CACHE.size > CACHE_SIZE) CACHE.delete(CACHE.keys().next().value!);
  return analysis;
}

const CACHE_SIZE = 4;
const CACHE = new Map<string, GridAnalysis>();

/** The grid's fingerprint with the options: equal keys mean equal inputs. */
function cacheKey(
  costs: Uint8Array,
  width: number,
  height: number,
  o: GridSearchOptions,
  count: number,
): string {
  return `${width}x${height}:${o.cellSize}:${o.costWeight}:${o.allowUnknown}:${count}:${gridHash(costs)}`;
}
