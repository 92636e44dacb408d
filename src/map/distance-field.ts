/**
 * The site map's distance field, computed once and shared: the simulator's lidar and the people
 * detector's map mask read the same field of the same map, and at four bytes a cell each copy
 * is megabytes (8 MB on the Iso Omena floor). Cached per map object and checked against a hash
 * of its cells, so a map changed in place gets a fresh field. Readers must never write to it.
 */
import { gridHash } from './grid-hash.js';
import type { GridMap } from './grid-map.js';
import { DEFAULT_INFLATION, distanceTransform } from './inflation.js';

interface Cached {
  readonly key: string;
  readonly field: Float32Array;
}

const FIELDS = new WeakMap<GridMap, Cached>();

/** distanceTransform(map, lethalThreshold), the same array for the same map and threshold. */
export function sharedDistanceField(
  map: GridMap,
  lethalThreshold = DEFAULT_INFLATION.lethal_threshold,
): Float32Array {
  const key = `${map.width}x${map.height}:${map.resolution}:${lethalThreshold}:${gridHash(map.data)}`;
  const cached = FIELDS.get(map);
  if (cached?.key === key) return cached.field;
  const field = distanceTransform(map, lethalThreshold);
  FIELDS.set(map, { key, field });
  return field;
}
