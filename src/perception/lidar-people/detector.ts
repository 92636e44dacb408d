/**
 * The lidar people detector as one pure pipeline, apart from the node so that tests and the
 * benchmark run it on scans directly: usable returns → static map mask → jump-distance clusters
 * → legs and bodies → person candidates → tracks in map. It holds no clock; the scan's stamp is
 * its time.
 */
import type { GridMap } from '../../map/index.js';
import type { LaserScan, Pose2D } from '../../ros/index.js';
import { timeMsgToNs } from '../../ros/index.js';
import { clusterFeatures, personCandidates, type Candidate, type ClusterFeatures } from './classify.js';
import { StaticMapMask } from './map-mask.js';
import { PerceptionError } from '../errors.js';
import { LIDAR_PEOPLE_DEFAULTS, type LidarPeopleParams } from './params.js';
import { PeopleTracker, type TrackedPerson } from './people-tracker.js';
import { ScanPointBuffer, type ScanRefusal } from './scan-points.js';
import { grazingSurfaces, segmentScan } from './segment.js';

export interface LidarPeopleDetectorOptions {
  /** The site's occupancy grid: its walls are never people. */
  map: GridMap;
  params?: Partial<LidarPeopleParams>;
  /** The map's distance field when the caller already has it (it is the slow part of starting). */
  distanceField?: Float32Array;
}

/** What one scan gave, for tests and diagnostics. */
export interface ScanDetections {
  clusters: ClusterFeatures[];
  candidates: Candidate[];
  /** Confirmed tracks after this scan. */
  people: TrackedPerson[];
}

export class LidarPeopleDetector {
  readonly params: LidarPeopleParams;
  readonly #points: ScanPointBuffer;
  readonly #mask: StaticMapMask;
  readonly #tracker: PeopleTracker;

  constructor(o: LidarPeopleDetectorOptions) {
    this.params = { ...LIDAR_PEOPLE_DEFAULTS, ...o.params };
    checkParams(this.params);
    this.#points = new ScanPointBuffer(this.params.min_range, this.params.max_range);
    this.#mask = new StaticMapMask(o.map, this.params.map_mask_distance, o.distanceField);
    this.#tracker = new PeopleTracker(this.params);
  }

  /**
   * One scan taken with the sensor at `sensor` (map frame). Returns what it found, or why the
   * scan was refused (the tracks then stay as they were).
   */
  process(scan: LaserScan, sensor: Pose2D): ScanDetections | ScanRefusal | 'not_newer' {
    const points = this.#points.take(scan);
    if (points === 'bad_geometry') return points;
    const keep = this.#mask.apply(points, sensor);
    const surface = grazingSurfaces(points, this.params.surface_tolerance, this.params.jump_distance, keep);
    const clusters = segmentScan(points, this.params, keep).map((c) => {
      const f = clusterFeatures(points, c, this.#mask.mapXs, this.#mask.mapYs, sensor, this.params);
      // Part of a flat surface: never a person, however narrow the piece.
      if (c.some((i) => surface[i] === 1)) f.kind = 'other';
      return f;
    });
    const candidates = personCandidates(clusters, this.params);
    if (!this.#tracker.update(candidates, timeMsgToNs(scan.header.stamp))) return 'not_newer';
    return { clusters, candidates, people: this.#tracker.people() };
  }

  /** Forgets every track (the pose jumped: a relocalisation). */
  reset(): void {
    this.#tracker.reset();
  }
}

/** Parameters that would make the detector meaningless are refused at start, naming the field. */
function checkParams(p: LidarPeopleParams): void {
  const positive: (keyof LidarPeopleParams)[] = [
    'max_range',
    'jump_distance',
    'leg_max_width',
    'body_max_width',
    'leg_pair_max_distance',
    'measurement_sd',
    'process_accel_sd',
    'initial_velocity_sd',
    'gate_distance',
    'confirm_hits',
    'max_misses',
    'tentative_max_misses',
    'max_scan_gap',
    'transform_tolerance',
  ];
  for (const k of positive) {
    const v = p[k];
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) {
      throw new PerceptionError(
        'CONFIG_INVALID',
        `people_detector: parameter ${k}`,
        `expected a number > 0, found ${String(v)}`,
      );
    }
  }
  const nonNegative: (keyof LidarPeopleParams)[] = [
    'min_range',
    'jump_beam_factor',
    'max_missing_beams',
    'map_mask_distance',
    'surface_tolerance',
    'body_min_points',
    'body_min_bulge',
    'leg_pair_min_distance',
    'candidate_merge_distance',
    'surface_to_centre',
  ];
  for (const k of nonNegative) {
    const v = p[k];
    if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) {
      throw new PerceptionError(
        'CONFIG_INVALID',
        `people_detector: parameter ${k}`,
        `expected a number ≥ 0, found ${String(v)}`,
      );
    }
  }
  if (p.min_range >= p.max_range) {
    throw new PerceptionError(
      'CONFIG_INVALID',
      'people_detector: parameter min_range',
      `expected less than max_range (${p.max_range}), found ${p.min_range}`,
    );
  }
}
