export type {
  Site,
  Destination,
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
export {
  Costmap,
  COST_FREE,
  COST_MAX_NON_OBSTACLE,
  COST_INSCRIBED,
  COST_LETHAL,
  COST_UNKNOWN,
} from './costmap.js';
