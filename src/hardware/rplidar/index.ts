export {
  SYNC,
  DESCRIPTOR_SYNC,
  HEALTH_STATUSES,
  MAX_MOTOR_PWM,
  DEFAULT_MOTOR_PWM,
  RequestParser,
  encodeRequest,
  encodeDescriptor,
  encodeResponse,
  decodeResponse,
  xorChecksum,
  scanNode,
  nodeAngleDeg,
  nodeDistanceMm,
  modelName,
  hexText,
  answerOf,
  requestName,
  type Request,
  type RequestKind,
  type Response,
  type ResponseKind,
  type DeviceInfo,
  type Health,
  type HealthStatus,
  type SampleRate,
  type ScanNode,
  type ParsedRequest,
} from './protocol.js';
export {
  RplidarDecoder,
  type Decoded,
  type Rejection,
  type DecoderStats,
  type FlushReason,
} from './decoder.js';
export {
  RevolutionAssembler,
  revolutionToScan,
  type Revolution,
  type ScanGeometry,
  type AssemblerStats,
} from './assembler.js';
export { LidarError, REJECTION_CODES, type LidarErrorCode, type RejectionCode } from './errors.js';
export {
  RplidarDriver,
  type LidarPort,
  type MotorControl,
  type RplidarDriverOptions,
  type RplidarDriverEvents,
  type RplidarDriverStatus,
  type LinkChange,
  type LinkDownReason,
  type NodeEvent,
} from './driver.js';
export { LidarConnection, type LidarConnectionOptions } from './connection.js';
export {
  createLidarNode,
  validateLidarNodeParams,
  DEFAULT_LIDAR_NODE_PARAMS,
  type LidarNode,
  type LidarNodeParams,
  type LidarNodeStatus,
} from './node.js';
export {
  lidarDiagnostics,
  lidarDiagnosticLevel,
  type LidarState,
  type LidarDiagnosticsInput,
} from './diagnostics.js';
export { probeRplidar, openLidarPort, closeLidarPort, type ProbeOptions, type ProbeResult } from './probe.js';
