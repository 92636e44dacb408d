export {
  ACK_STATUSES,
  LED_PATTERNS,
  FAULTS,
  CONFIG_RANGES,
  DEFAULT_DRIVE_CONFIG,
  DRIVE_BASE_COMMANDS,
  SYSEX_START,
  SYSEX_END,
  FrameDecoder,
  encodeFrame,
  encodeRawPayload,
  decodeFrame,
  crc16,
  pack7,
  unpack7,
  packedLength,
  frameLength,
  commandOf,
  kindOfCommand,
  senderOf,
  telemetryFlags,
  checkConfig,
  type AckStatus,
  type LedPattern,
  type FaultName,
  type DriveConfig,
  type TelemetryFrame,
  type TelemetryFlags,
  type Frame,
  type FrameKind,
  type FrameOf,
  type Decoded,
  type DecoderStats,
  type FrameDecoderOptions,
  type FieldProblem,
  type Direction,
} from './protocol.js';
export {
  HardwareError,
  ProtocolError,
  PROTOCOL_ERROR_CODES,
  type HardwareErrorCode,
  type ProtocolErrorCode,
} from './errors.js';
export {
  DriveBase,
  type DriveBaseOptions,
  type DriveBaseEvents,
  type DriveBaseStatus,
  type DisconnectReason,
  type ConnectionChange,
  type TelemetryEvent,
  type AckEvent,
  type Rgb,
} from './drive-base.js';
export { BaseConnection, type BaseConnectionOptions, type ConnectionStatus } from './connection.js';
export { Reconnector, type ReconnectorOptions, type LinkTarget } from './reconnect.js';
export type { FirmataIO, BoardWithIO, SysexHandler } from './firmata-io.js';
export {
  WheelOdometry,
  integrateArc,
  tickDelta,
  uptimeDeltaMs,
  geometryFromConfig,
  type WheelGeometry,
  type OdometryEstimate,
  type WheelOdometryOptions,
} from './odometry.js';
export {
  createDriveBaseNode,
  validateBaseNodeParams,
  DEFAULT_BASE_NODE_PARAMS,
  type BaseNodeParams,
  type DriveBaseNode,
  type DriveBaseNodeOptions,
} from './base-node.js';
export { LED_CUES, ledCue, type LedCue, type LedSetting } from './leds.js';
export { CommandRelay, type RelayTiming, type Velocity } from './command-relay.js';
export {
  DiagnosticLevel,
  PowerSupply,
  baseFault,
  diagnosticLevel,
  type DiagnosticLevelValue,
  type DiagnosticsInput,
} from './base-messages.js';
export { serialLink, closePort, type SerialLink, type SerialPortLike } from './serial-link.js';
export {
  startDriveBase,
  probeDriveBase,
  connectJohnnyFive,
  firmwareOf,
  DRIVE_FIRMWARE_NAME,
  type RunningDriveBase,
  type FiveBoard,
  type ProbeResult,
} from './drive-base-device.js';
// The RPLIDAR, as a composition root needs it; the codec, decoder and assembler are in its own front door.
export {
  RplidarDriver,
  LidarConnection,
  LidarError,
  createLidarNode,
  probeRplidar,
  openLidarPort,
  validateLidarNodeParams,
  DEFAULT_LIDAR_NODE_PARAMS,
  type LidarPort,
  type MotorControl,
  type RplidarDriverOptions,
  type LidarConnectionOptions,
  type LidarNode,
  type LidarNodeParams,
  type LidarNodeStatus,
  type LidarErrorCode,
  type ProbeOptions,
  type ProbeResult as LidarProbeResult,
} from './rplidar/index.js';
