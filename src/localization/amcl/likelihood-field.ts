/**
 * The likelihood-field sensor model's map (Thrun et al., Probabilistic Robotics §6.4, as Nav2's
 * `nav2_amcl::LikelihoodFieldModel`): every cell's distance to the nearest occupied (or unknown)
 * surface, capped at `laser_likelihood_max_dist`, turned once per map into the probability of a
 * beam ending there, z_hit·exp(−d²/2σ²) + z_rand/range_max. A beam then costs one table lookup.
 */
import { CELL_FREE, obstacleMask, squaredDistanceCells, type GridMap } from '../../map/index.js';

export interface LikelihoodParams {
  /** m: distances beyond this count as this (Nav2 laser_likelihood_max_dist). */
  laser_likelihood_max_dist: number;
  z_hit: number;
  z_rand: number;
  /** m: sd of the hit model. */
  sigma_hit: number;
}

export class LikelihoodField {
  readonly width: number;
  readonly height: number;
  readonly resolution: number;
  readonly originX: number;
  readonly originY: number;
  /** m to the nearest obstacle, capped, row-major. */
  readonly distance: Float32Array;
  #freeCells: Uint32Array | undefined;
  /** The lookup for the model in use (a probability or its logarithm), built when first asked for. */
  #table: Float32Array | undefined;
  #tableKey = '';
  #outside = 0;

  constructor(
    readonly map: GridMap,
    readonly maxDist: number,
  ) {
    this.width = map.width;
    this.height = map.height;
    this.resolution = map.resolution;
    this.originX = map.originX;
    this.originY = map.originY;
    this.distance = faceDistances(map, maxDist);
  }

  /**
   * Free cells, for drawing poses uniformly over free space. Listed on first use: only global
   * localisation needs them, and on a large floor they are megabytes.
   */
  get freeCells(): Uint32Array {
    if (!this.#freeCells) {
      const data = this.map.data;
      let free = 0;
      for (let i = 0; i < data.length; i++) if (data[i] === CELL_FREE) free++;
      const cells = new Uint32Array(free);
      let k = 0;
      for (let i = 0; i < data.length; i++) if (data[i] === CELL_FREE) cells[k++] = i;
      this.#freeCells = cells;
    }
    return this.#freeCells;
  }

  /**
   * The per-cell lookup for these parameters and this range limit — the probability of a beam
   * ending in each cell, or its logarithm when `log` — built once and reused while they stay the
   * same, and the probability for a beam ending outside the map.
   */
  table(p: LikelihoodParams, rangeMax: number, log: boolean): { table: Float32Array; outside: number } {
    const key = `${p.z_hit}/${p.z_rand}/${p.sigma_hit}/${rangeMax}/${log}`;
    const denom = 2 * p.sigma_hit * p.sigma_hit;
    const rand = p.z_rand / rangeMax;
    if (!this.#table || key !== this.#tableKey) {
      // Drop the old one first: two full-map tables at once are the memory peak to avoid.
      this.#table = undefined;
      const t = new Float32Array(this.distance.length);
      // Few distinct distances on a grid: each one's value is worked out once.
      const seen = new Map<number, number>();
      for (let i = 0; i < t.length; i++) {
        const z = this.distance[i]!;
        let v = seen.get(z);
        if (v === undefined) {
          const pz = p.z_hit * Math.exp(-(z * z) / denom) + rand;
          v = log ? Math.log(pz) : pz;
          seen.set(z, v);
        }
        t[i] = v;
      }
      this.#table = t;
      this.#tableKey = key;
      this.#outside = p.z_hit * Math.exp(-(this.maxDist * this.maxDist) / denom) + rand;
    }
    return { table: this.#table, outside: this.#outside };
  }

  /** Distance to the nearest obstacle at a world point (the cap outside the map). */
  distanceAt(x: number, y: number): number {
    const col = Math.floor((x - this.originX) / this.resolution);
    const row = Math.floor((y - this.originY) / this.resolution);
    if (col < 0 || row < 0 || col >= this.width || row >= this.height) return this.maxDist;
    return this.distance[row * this.width + col]!;
  }

  /** True when (x, y) is a free cell of the map. */
  isFree(x: number, y: number): boolean {
    const col = Math.floor((x - this.originX) / this.resolution);
    const row = Math.floor((y - this.originY) / this.resolution);
    if (col < 0 || row < 0 || col >= this.width || row >= this.height) return false;
    return this.map.data[row * this.width + col] === CELL_FREE;
  }
}

/**
 * m from each cell's centre to the nearest face between blocked (occupied or unknown) and free
 * cells, on either side: a free cell measures to the nearest blocked cell, a blocked cell to the
 * nearest free one, each less half a cell (centre to face). A beam stops at a wall's face, so the
 * field is lowest there and rises the same way on both sides: a pose shifted into a thick wall
 * or into an unmapped (unknown) staff area scores as badly as one shifted away from it.
 */
function faceDistances(map: GridMap, maxDist: number): Float32Array {
  const blocked = obstacleMask(map);
  const free = new Uint8Array(blocked.length);
  for (let i = 0; i < free.length; i++) free[i] = blocked[i] ? 0 : 1;
  const toBlocked = squaredDistanceCells(map.width, map.height, blocked);
  const toFree = squaredDistanceCells(map.width, map.height, free);
  const res = map.resolution;
  const out = new Float32Array(blocked.length);
  for (let i = 0; i < out.length; i++) {
    const cells = Math.sqrt(blocked[i] ? toFree[i]! : toBlocked[i]!);
    out[i] = Math.min(maxDist, Math.max(0, (cells - 0.5) * res));
  }
  return out;
}
