/**
 * /diagnostics for the lidar: one DiagnosticStatus from the node's state and the driver's and
 * connection's counts. A pure function of its input (the stamp is passed in).
 */
import type { DiagnosticArray, DiagnosticStatus, TimeMsg } from '../../ros/index.js';
import { DiagnosticLevel, type DiagnosticLevelValue } from '../base-messages.js';
import type { ConnectionStatus } from '../reconnect.js';
import type { RplidarDriverStatus } from './driver.js';
import { modelName, type DeviceInfo, type Health } from './protocol.js';

/** Where the lidar node is: waiting for a port, starting the device, scanning, or why not. */
export type LidarState =
  /** No port attached (a LidarConnection is looking for one). */
  | 'waiting'
  /** A port is attached; stop, info, health, motor and scan requests are under way. */
  | 'starting'
  | 'scanning'
  /** Scanning, but no node came within scan_timeout: nothing is published. */
  | 'silent'
  /** The device reports health ERROR (after a reset too): it is not scanned. */
  | 'refused'
  /** The start-up requests failed (no answer, not an RPLIDAR, the link lost). */
  | 'failed'
  | 'stopped';

export interface LidarDiagnosticsInput {
  name: string;
  hardwareId: string;
  state: LidarState;
  /** Why the state is what it is (the last error for refused and failed). */
  reason: string | undefined;
  /** The problem (`refused: …`) met since the lidar last scanned, kept while it is retried. */
  problem: string | undefined;
  /** Scanned at least once: a lidar gone after that is an error, before it merely stale. */
  everScanned: boolean;
  info: DeviceInfo | undefined;
  health: Health | undefined;
  rotationHz: number | undefined;
  nodesPerRevolution: number | undefined;
  scansPublished: number;
  revolutions: number;
  /** Rejected bytes since the last report. */
  newlyRejected: number;
  driver: RplidarDriverStatus;
  connection: ConnectionStatus | undefined;
  frameId: string;
}

/**
 * OK while scanning (WARN with bytes rejected since the last report or health WARNING); ERROR
 * when silent, refused, failed, retrying after one of those, or gone after having scanned; STALE
 * before the first scan.
 */
export function lidarDiagnosticLevel(d: LidarDiagnosticsInput): {
  level: DiagnosticLevelValue;
  message: string;
} {
  const why = d.reason ? `: ${d.reason}` : '';
  switch (d.state) {
    case 'scanning':
      if (d.newlyRejected > 0)
        return { level: DiagnosticLevel.WARN, message: `${d.newlyRejected} bytes rejected` };
      if (d.health?.status === 'warning')
        return {
          level: DiagnosticLevel.WARN,
          message: `health WARNING (code 0x${hex4(d.health.errorCode)})`,
        };
      return {
        level: DiagnosticLevel.OK,
        message: d.rotationHz === undefined ? 'scanning' : `scanning at ${d.rotationHz.toFixed(1)} Hz`,
      };
    case 'silent':
    case 'refused':
    case 'failed':
      return { level: DiagnosticLevel.ERROR, message: `${d.state}${why}` };
    case 'waiting':
    case 'starting':
      if (d.problem)
        return {
          level: DiagnosticLevel.ERROR,
          message: `${d.problem}; ${d.state === 'waiting' ? 'reconnecting' : 'starting again'}`,
        };
      return d.everScanned
        ? {
            level: DiagnosticLevel.ERROR,
            message: `${d.state === 'waiting' ? 'disconnected' : 'restarting'}${why}`,
          }
        : { level: DiagnosticLevel.STALE, message: `no scan yet: ${d.state}${why}` };
    case 'stopped':
      return { level: DiagnosticLevel.STALE, message: 'stopped' };
  }
}

export function lidarDiagnostics(d: LidarDiagnosticsInput, stamp: TimeMsg): DiagnosticArray {
  const { level, message } = lidarDiagnosticLevel(d);
  const s = d.driver;
  const kv = (key: string, value: string | number | boolean | undefined) => ({
    key,
    value: value === undefined ? '' : String(value),
  });
  const byReason = Object.entries(s.rejectedBytesByCode)
    .filter(([, n]) => n > 0)
    .map(([code, n]) => `${code}=${n}`)
    .join(' ');
  const info = d.info;
  const status: DiagnosticStatus = {
    level,
    name: d.name,
    message,
    hardware_id: info ? `${d.hardwareId} ${info.serialNumber}` : d.hardwareId,
    values: [
      kv('state', d.state),
      kv('model', info && modelName(info.model)),
      kv('firmware', info && `${info.firmwareMajor}.${info.firmwareMinor}`),
      kv('hardware', info?.hardware),
      kv('serial_number', info?.serialNumber),
      kv('health', d.health?.status),
      kv('health_error_code', d.health && `0x${hex4(d.health.errorCode)}`),
      kv('rotation_hz', d.rotationHz?.toFixed(2)),
      kv('nodes_per_revolution', d.nodesPerRevolution),
      kv('scans_published', d.scansPublished),
      kv('revolutions', d.revolutions),
      kv('nodes', s.nodes),
      kv('bytes', s.bytes),
      kv('rejected_bytes', s.rejectedBytes),
      kv('rejections', s.rejections),
      kv('rejected_by_reason', byReason),
      kv('last_rejection', s.lastRejection),
      kv('stray_nodes', s.strayNodes),
      kv('requests_unanswered', s.requestsUnanswered),
      kv('links', s.links),
      kv('link_losses', s.losses),
      kv('reconnect_attempts', d.connection?.attempts),
      kv('reconnect_failures', d.connection?.failures),
      kv('last_connect_error', d.connection?.lastError),
      kv('frame_id', d.frameId),
    ],
  };
  return { header: { stamp, frame_id: '' }, status: [status] };
}

function hex4(v: number): string {
  return v.toString(16).toUpperCase().padStart(4, '0');
}
