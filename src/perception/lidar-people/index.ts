export { LIDAR_PEOPLE_DEFAULTS, type LidarPeopleParams } from './params.js';
export { ScanPointBuffer, type ScanPoints, type ScanRefusal } from './scan-points.js';
export { segmentScan, type SegmentParams } from './segment.js';
export { StaticMapMask } from './map-mask.js';
export {
  clusterFeatures,
  personCandidates,
  CANDIDATE_RELIABILITY,
  type Candidate,
  type CandidateKind,
  type ClusterFeatures,
  type ClusterKind,
} from './classify.js';
export { ConstantVelocityKalman, type KalmanNoise } from './kalman.js';
export { PeopleTracker, type PeopleTrackerParams, type TrackedPerson } from './people-tracker.js';
export { LidarPeopleDetector, type LidarPeopleDetectorOptions, type ScanDetections } from './detector.js';
export {
  createLidarPeopleNode,
  peopleMsg,
  PEOPLE_TOPIC,
  type LidarPeopleNode,
  type LidarPeopleNodeOptions,
} from './node.js';
