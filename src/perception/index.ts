export type { RgbImage, LetterboxTransform } from './image.js';
export { decodeImage, readImageFile, Letterboxer, letterbox, inputToImage, checkRgbImage } from './image.js';
export {
  BlazeFaceDetector,
  BLAZEFACE_VARIANTS,
  defaultModelPath,
  type BlazeFaceConfig,
  type BlazeFaceVariant,
  type FaceDetection,
  type Detector,
} from './blazeface.js';
export {
  REAR_CAMERA,
  boxToPlacement,
  boxToCameraPoint,
  type CameraPoint,
  placementToBox,
  boxInImage,
  iou,
  focalLengthPx,
  CameraModelError,
  type PixelBox,
  type CameraModel,
  type FacePlacement,
} from './camera-model.js';
export {
  Tracker,
  solveAssignment,
  DEFAULT_TRACKER_PARAMS,
  type Detection,
  type Track,
  type TrackerParams,
} from './tracker.js';
export { CustomerFollower, DEFAULT_FOLLOW_PARAMS, type FollowParams } from './follow.js';
export { PerceptionError, type PerceptionErrorCode } from './errors.js';
export {
  createFollowNode,
  detectionsToMsg,
  tracksToPeople,
  REAR_PEOPLE_TOPIC,
  detectionsFromMsg,
  REAR_DETECTIONS_TOPIC,
  FACE_CLASS_ID,
  type FollowNodeOptions,
} from './follow-node.js';
export { YoloDetector, validateYoloConfig, hardNms, type YoloConfig, type YoloLayout } from './yolo.js';
export {
  openSource,
  sourceSpecFromArg,
  imageMessageToRgb,
  type SourceSpec,
  type FrameSource,
} from './sources.js';
export type { LetterboxFormat } from './image.js';
export {
  createDetectorNode,
  DEFAULT_FRAME_ID,
  type DetectorNode,
  type DetectorNodeOptions,
  type DetectorNodeStats,
} from './detector-node.js';
export {
  PeopleCounter,
  createPeopleCountNode,
  validatePeopleCountParams,
  DEFAULT_PEOPLE_COUNT_PARAMS,
  DEFAULT_PEOPLE_COUNT_NODE_PARAMS,
  PEOPLE_COUNT_TOPIC,
  type PeopleCountParams,
  type PeopleCounterOptions,
  type PeopleCountFields,
  type PeopleCountBin,
  type PeopleCounterFootprint,
  type PeopleCountNodeParams,
  type PeopleCountNodeOptions,
  type PeopleCountNode,
} from './people-count.js';
export {
  createLidarPeopleNode,
  LidarPeopleDetector,
  LIDAR_PEOPLE_DEFAULTS,
  PEOPLE_TOPIC,
  type LidarPeopleParams,
  type LidarPeopleNode,
  type TrackedPerson,
  type ScanDetections,
} from './lidar-people/index.js';
