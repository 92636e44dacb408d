/**
 * The lidar people detector's parameters, declared on its node as ROS parameters (flat names, as
 * a launch file sets them: `people_detector: { leg_max_width: 0.3 }`). Every one is explained in
 * docs/people-detection.md; the defaults fit a 2D lidar at shin height (0.2–0.3 m) with about
 * 1° between beams, seeing adults' legs.
 */
export const LIDAR_PEOPLE_DEFAULTS = {
  // ---- which returns count ----
  /** Returns nearer than this are ignored (the robot's own body, dust on the window), m. */
  min_range: 0.1,
  /** Returns farther than this are ignored (too few beams land on a leg out there), m. */
  max_range: 8.0,
  // ---- segmentation (jump-distance clustering in the scan's frame) ----
  /** Neighbouring returns closer than this belong to one cluster, m… */
  jump_distance: 0.15,
  /** …or closer than this many beam spacings at their range (far returns are sparser). */
  jump_beam_factor: 2.5,
  /** Missing beams (no return, NaN, masked as map) that may lie inside one cluster. */
  max_missing_beams: 1,
  /**
   * Three neighbouring returns in a line within this (m), spaced wider than `jump_distance`, are a
   * flat surface seen at a grazing angle, not legs.
   */
  surface_tolerance: 0.04,
  // ---- the static map mask ----
  /** A return this close to an occupied or unknown map cell is the map's, never a person, m. */
  map_mask_distance: 0.2,
  // ---- classification ----
  /** A cluster at most this wide (first to last point) is a leg, m. */
  leg_max_width: 0.25,
  /** A wider cluster at most this wide is a body (two legs seen as one, a long coat), m. */
  body_max_width: 0.75,
  /** A body has at least this many returns. */
  body_min_points: 3,
  /**
   * A body bulges towards the sensor at least this share of its width (its sagitta); a flatter
   * cluster is a straight edge (a box, a cart, a door leaf) and not a person.
   */
  body_min_bulge: 0.08,
  /** Two legs whose centres are this far apart or more are one person's… m */
  leg_pair_min_distance: 0.1,
  /** …and at most this far apart, m. */
  leg_pair_max_distance: 0.5,
  /** A leg with no partner (the other hidden or merged) still makes a person candidate. */
  single_leg_candidates: true,
  /** Candidates closer than this are one person (the most reliable kind wins), m. */
  candidate_merge_distance: 0.35,
  /** A person's centre lies this far behind the surface the lidar sees, along the beam, m. */
  surface_to_centre: 0.05,
  // ---- tracking (constant-velocity Kalman filter per person, in map) ----
  /** Process noise: people's acceleration, standard deviation, m/s². */
  process_accel_sd: 2.0,
  /** Measurement noise: a candidate's position, standard deviation, m. */
  measurement_sd: 0.08,
  /** A new track's velocity uncertainty, standard deviation, m/s. */
  initial_velocity_sd: 1.0,
  /** A candidate farther than this from a track's prediction is not that track's, m. */
  gate_distance: 0.6,
  /** A track is published once it was seen in this many scans. */
  confirm_hits: 3,
  /** A tentative track that misses this many scans in a row is dropped. */
  tentative_max_misses: 1,
  /** A confirmed track that misses this many scans in a row is dropped (it coasts until then). */
  max_misses: 5,
  /** Scans farther apart than this start tracking afresh (a lidar that paused), s. */
  max_scan_gap: 1.0,
  // ---- publishing ----
  /** The map → scan frame transform may be at most this old at the scan, s. */
  transform_tolerance: 0.5,
};
export type LidarPeopleParams = typeof LIDAR_PEOPLE_DEFAULTS;
