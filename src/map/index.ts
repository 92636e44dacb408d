export type {
  Site,
  Destination,
  Service,
  ElsewhereService,
  Landmark,
  Zone,
  ZoneKind,
  Language,
  Localized,
  Weekday,
  WeeklyHours,
  OpeningInterval,
} from './types.js';
export { LANGUAGES, WEEKDAYS } from './types.js';
export { GridMap, CELL_FREE, CELL_OCCUPIED, CELL_UNKNOWN } from './grid-map.js';
export { GridGeometry } from './grid-geometry.js';
export {
  Costmap,
  COST_FREE,
  COST_MAX_NON_OBSTACLE,
  COST_INSCRIBED,
  COST_LETHAL,
  COST_UNKNOWN,
} from './costmap.js';
export { MapError, type MapErrorCode, type SiteIssue, type IssueSeverity } from './errors.js';
export { decodePgm, encodePgm, type PgmImage } from './pgm.js';
export {
  parseMapYaml,
  loadMapYaml,
  loadMap,
  imageToGrid,
  sampleToCell,
  MAP_MODES,
  type MapYaml,
  type MapMode,
  type LoadedMap,
} from './map-yaml.js';
export { loadSite, placeProblem, SITE_FILE, type PlaceProblem } from './site.js';
export {
  checkSite,
  inspectSite,
  formatIssues,
  runMapCheck,
  floodFill,
  PASSAGE_SIDE_CLEARANCE_M,
  type CheckOptions,
  type DestinationPassage,
} from './check.js';
export {
  distanceTransform,
  squaredDistanceCells,
  obstacleMask,
  buildCostmap,
  inflationCost,
  DEFAULT_INFLATION,
  type InflationParams,
} from './inflation.js';
export { sharedDistanceField } from './distance-field.js';
export { gridHash } from './grid-hash.js';
export { pointInPolygon, polygonArea, type Point } from './polygon.js';
export { parseDayHours, isOpen, nextOpening, formatMinutes, formatInterval } from './hours.js';
