/**
 * ROS messages from what the drive base reports: odometry and its transform, battery, base
 * state and diagnostics. Pure functions of their inputs (the stamp is passed in).
 */
import {
  pose2dToPose,
  type BatteryState,
  type DiagnosticArray,
  type DiagnosticStatus,
  type Odometry,
  type Time,
  type TransformStamped,
} from '../ros/index.js';
import { type BaseState } from '../interfaces/index.js';
import { packOcvCurve, socFromOcv } from '../power/index.js';
import type { ConnectionStatus } from './connection.js';
import type { DriveBaseStatus } from './drive-base.js';
import type { OdometryEstimate } from './odometry.js';
import type { TelemetryFlags, TelemetryFrame } from './protocol.js';

/** diagnostic_msgs/msg/DiagnosticStatus levels. */
export const DiagnosticLevel = { OK: 0, WARN: 1, ERROR: 2, STALE: 3 } as const;
export type DiagnosticLevelValue = (typeof DiagnosticLevel)[keyof typeof DiagnosticLevel];

/** sensor_msgs/msg/BatteryState constants this driver uses. */
export const PowerSupply = {
  STATUS_UNKNOWN: 0,
  STATUS_DISCHARGING: 2,
  HEALTH_UNKNOWN: 0,
  HEALTH_GOOD: 1,
  HEALTH_DEAD: 3,
  TECHNOLOGY_UNKNOWN: 0,
} as const;

export interface Frames {
  odomFrame: string;
  baseFrame: string;
}

// Diagonal covariances: wheel odometry is good short-term, unobservable in z, roll and pitch.
const POSE_VARIANCE = [1e-4, 1e-4, 1e6, 1e6, 1e6, 4e-4] as const;
const TWIST_VARIANCE = [1e-4, 1e6, 1e6, 1e6, 1e6, 1e-3] as const;
function diagonal(v: readonly number[]): Float64Array {
  const m = new Float64Array(36);
  for (let i = 0; i < 6; i++) m[i * 7] = v[i]!;
  return m;
}

export function odometryMessage(e: OdometryEstimate, stamp: Time, f: Frames): Odometry {
  return {
    header: { stamp: stamp.toMsg(), frame_id: f.odomFrame },
    child_frame_id: f.baseFrame,
    pose: { pose: pose2dToPose(e.pose), covariance: diagonal(POSE_VARIANCE) },
    twist: {
      twist: { linear: { x: e.v, y: 0, z: 0 }, angular: { x: 0, y: 0, z: e.w } },
      covariance: diagonal(TWIST_VARIANCE),
    },
  };
}

export function odomTransform(e: OdometryEstimate, stamp: Time, f: Frames): TransformStamped {
  const p = pose2dToPose(e.pose);
  return {
    header: { stamp: stamp.toMsg(), frame_id: f.odomFrame },
    child_frame_id: f.baseFrame,
    transform: { translation: p.position, rotation: p.orientation },
  };
}

export interface BatteryModel {
  /** V at which the board stops for a low battery (PROTOCOL.md §4: 10.5 V). */
  emptyV: number;
  /** V when full. */
  fullV: number;
}

/**
 * Only the voltage is measured (no current, no charger status). The percentage is the Li-ion
 * resting-voltage curve (src/power) read at that voltage; but the board measures it under load,
 * sagged by the current through the pack's resistance, so it reads low while the robot draws
 * (a few percent idle, more while driving) and high on the charger. It is a quick look for
 * `ros2 topic echo`; the robot's charge estimate (ChargeEstimator) compensates for the load.
 */
export function batteryMessage(
  t: TelemetryFrame,
  stamp: Time,
  m: BatteryModel,
  frameId: string,
): BatteryState {
  const voltage = t.batteryMv / 1000;
  const percentage = socFromOcv(packOcvCurve(m.emptyV, m.fullV), voltage);
  return {
    header: { stamp: stamp.toMsg(), frame_id: frameId },
    voltage,
    temperature: NaN,
    current: NaN,
    charge: NaN,
    capacity: NaN,
    design_capacity: NaN,
    percentage,
    power_supply_status: PowerSupply.STATUS_UNKNOWN,
    power_supply_health: voltage < m.emptyV ? PowerSupply.HEALTH_DEAD : PowerSupply.HEALTH_GOOD,
    power_supply_technology: PowerSupply.TECHNOLOGY_UNKNOWN,
    present: true,
    cell_voltage: new Float32Array(0),
    cell_temperature: new Float32Array(0),
    location: 'base',
    serial_number: '',
  };
}

/**
 * /base/state's fault: the board's stop reason while connected (a command timeout is how an
 * idle board rests, so it is no fault), why the link is down while disconnected.
 */
export function baseFault(s: Pick<DriveBaseStatus, 'connected' | 'reason' | 'flags'>): string {
  if (!s.connected) return s.reason ?? 'not_attached';
  const fault = s.flags?.fault ?? 'none';
  return fault === 'none' || fault === 'cmd_timeout' ? '' : fault;
}

export function baseStateMessage(s: DriveBaseStatus, stamp: Time): BaseState {
  return {
    header: { stamp: stamp.toMsg(), frame_id: '' },
    connected: s.connected,
    stop_latched: s.connected && (s.flags?.stopLatched ?? false),
    fault: baseFault(s),
  };
}

export interface DiagnosticsInput {
  status: DriveBaseStatus;
  connection: ConnectionStatus | undefined;
  /** Frames rejected (host and board counts together) since the last report. */
  newlyRejected: number;
  /** Clamped or refused acks since the last report. */
  newlyLimited: number;
  hardwareId: string;
  name: string;
}

/**
 * ERROR when the link is down or the board stopped for its battery or an encoder; WARN for a
 * latched stop or frames rejected (or commands limited) since the last report; STALE before the
 * board was ever heard from; else OK.
 */
export function diagnosticLevel(d: DiagnosticsInput): { level: DiagnosticLevelValue; message: string } {
  const s = d.status;
  const heardOf = s.telemetry !== undefined;
  if (!s.connected) {
    return heardOf
      ? { level: DiagnosticLevel.ERROR, message: `disconnected: ${s.reason ?? 'unknown'}` }
      : { level: DiagnosticLevel.STALE, message: `no telemetry yet: ${s.reason ?? 'unknown'}` };
  }
  const flags: TelemetryFlags | undefined = s.flags;
  if (flags?.fault === 'battery_low' || flags?.fault === 'encoder') {
    return { level: DiagnosticLevel.ERROR, message: `stopped: ${flags.fault}` };
  }
  if (flags?.stopLatched) return { level: DiagnosticLevel.WARN, message: `stop latched: ${flags.fault}` };
  if (d.newlyRejected > 0)
    return { level: DiagnosticLevel.WARN, message: `${d.newlyRejected} frames rejected` };
  if (d.newlyLimited > 0)
    return { level: DiagnosticLevel.WARN, message: `${d.newlyLimited} commands clamped or refused` };
  return { level: DiagnosticLevel.OK, message: 'connected' };
}

export function diagnosticsMessage(d: DiagnosticsInput, stamp: Time): DiagnosticArray {
  const s = d.status;
  const { level, message } = diagnosticLevel(d);
  const t = s.telemetry;
  const kv = (key: string, value: string | number | boolean | undefined) => ({
    key,
    value: value === undefined ? '' : String(value),
  });
  const rejectedByCode = Object.entries(s.hostRejectedByCode)
    .filter(([, n]) => n > 0)
    .map(([code, n]) => `${code}=${n}`)
    .join(' ');
  const status: DiagnosticStatus = {
    level,
    name: d.name,
    message,
    hardware_id: d.hardwareId,
    values: [
      kv('connected', s.connected),
      kv('link', s.connected ? 'up' : (s.reason ?? 'unknown')),
      kv('stop_latched', s.flags?.stopLatched),
      kv('fault', s.flags?.fault),
      kv('bumper', s.flags?.bumper),
      kv('estop', s.flags?.estop),
      kv('battery_v', t && (t.batteryMv / 1000).toFixed(2)),
      kv('host_rejected_frames', s.hostRejected),
      kv('host_rejected_by_reason', rejectedByCode),
      kv('board_rejected_frames', s.boardRejected),
      kv('ack_rtt_p50_ms', s.ackRttP50Ms?.toFixed(2)),
      kv('acks_clamped', s.acks.clamped),
      kv('acks_refused_latched', s.acks.refused_latched),
      kv('acks_refused_stale', s.acks.refused_stale),
      kv('acks_refused_battery_low', s.acks.refused_battery_low),
      kv('commands_sent', s.commandsSent),
      kv('last_seq_sent', s.lastSentSeq),
      kv('last_seq_accepted', t?.lastSeq),
      kv('uptime_ms', t?.uptimeMs),
      kv('connects', s.connects),
      kv('disconnects', s.disconnects),
      kv('reconnect_attempts', d.connection?.attempts),
      kv('reconnect_failures', d.connection?.failures),
      kv('last_connect_error', d.connection?.lastError),
    ],
  };
  return { header: { stamp: stamp.toMsg(), frame_id: '' }, status: [status] };
}
