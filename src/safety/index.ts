export { createSafetyGate, type SafetyGate, type SafetyStatus } from './gate-node.js';
export {
  gate,
  selectSource,
  initialGateState,
  STOP_REASONS,
  CONTROL_PERIOD_NS,
  type GateState,
  type GateResult,
  type GateReason,
  type CommandSource,
  type Velocity,
} from './gate.js';
export {
  DEFAULT_SAFETY_PARAMS,
  safetyParamsFromRobot,
  validateSafetyParams,
  type SafetyParams,
} from './params.js';
export { ScanConverter, type ScanPoints, type ScanProblem } from './scan-points.js';
export { SafetyError, type SafetyErrorCode } from './errors.js';
