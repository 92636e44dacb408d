/**
 * The lidar on the node graph: starts the RPLIDAR on every new link (STOP, GET_INFO, GET_HEALTH,
 * motor on, SCAN), turns its nodes into one sensor_msgs/LaserScan per revolution on /scan (in
 * base_link by default, as the safety gate requires) and reports /diagnostics at 1 Hz. A watchdog
 * on the node clock notices a device gone silent: its partial turn is dropped and nothing more is
 * published, so /scan goes stale and the safety gate halts the robot (scan_stale). Given a
 * LidarConnection it also reopens the port after an unplug or a long silence, with backoff; given
 * a bare driver it starts the device again on the same port. All timing from the node's clock.
 */
import { declareParams, secondsToNs, type RosNode } from '../../ros/index.js';
import type { ConnectionStatus } from '../reconnect.js';
import type { ScanGeometry } from './assembler.js';
import { LidarConnection } from './connection.js';
import { lidarDiagnostics, type LidarState } from './diagnostics.js';
import type { RplidarDriver, RplidarDriverStatus } from './driver.js';
import { LidarError } from './errors.js';
import type { DeviceInfo, Health } from './protocol.js';
import { ScanStream } from './scan-stream.js';
import { LidarSession } from './session.js';

/** The node's parameters, declared as `lidar.<name>`. Units are REP-103 (m, rad, s). */
export type LidarNodeParams = {
  /** Bins over 360°, from angle_min = -π (an integer ≥ 8). Default 360. */
  beams: number;
  /** m. Measurements nearer than this are no returns (A1M8: 0.15). Default 0.15. */
  range_min: number;
  /** m. Measurements beyond this are no returns (A1M8: 12). Default 12.0. */
  range_max: number;
  /** m. The lidar's position on the robot, forward. Default 0. */
  mount_x: number;
  /** m. The lidar's position on the robot, left. Default 0. */
  mount_y: number;
  /** rad. The lidar's heading on the robot, counter-clockwise (its front, its 0°). Default 0. */
  mount_yaw: number;
  /** Frame of /scan; the returns are re-binned into it from the mount pose. Default 'base_link'. */
  frame_id: string;
  /** s. No scan node for this long while scanning: silent, nothing published until nodes come again. Default 0.25. */
  scan_timeout: number;
  /** s. With a bare driver: a device silent, failed or refused this long is started again on its port. Default 2.0. */
  restart_after: number;
  /** s. How often the watchdog, the driver's deadlines and reconnects are looked at. Default 0.02. */
  supervise_period: number;
  /** s. /diagnostics. Default 1.0. */
  status_period: number;
  /** /diagnostics hardware_id (the serial number is added once known). Default 'rplidar'. */
  hardware_id: string;
};

export const DEFAULT_LIDAR_NODE_PARAMS: Readonly<LidarNodeParams> = Object.freeze({
  beams: 360,
  range_min: 0.15,
  range_max: 12.0,
  mount_x: 0,
  mount_y: 0,
  mount_yaw: 0,
  frame_id: 'base_link',
  scan_timeout: 0.25,
  restart_after: 2.0,
  supervise_period: 0.02,
  status_period: 1.0,
  hardware_id: 'rplidar',
});

export interface LidarNodeStatus {
  state: LidarState;
  reason: string | undefined;
  info: DeviceInfo | undefined;
  health: Health | undefined;
  scansPublished: number;
  revolutions: number;
  /** From the last published scan's scan_time. */
  rotationHz: number | undefined;
  nodesPerRevolution: number | undefined;
  /** Start sequences begun (one per link, plus restarts). */
  starts: number;
  driver: RplidarDriverStatus;
  connection: ConnectionStatus | undefined;
}

export interface LidarNode {
  readonly params: Readonly<LidarNodeParams>;
  status(): LidarNodeStatus;
  /** Shutting down: motor off, scan stopped, timers cancelled, no more reconnecting. Idempotent. */
  stop(): void;
}

export function validateLidarNodeParams(p: LidarNodeParams, prefix = 'lidar'): void {
  const bad = (name: keyof LidarNodeParams, expected: string) => {
    throw new LidarError(
      'PARAM_INVALID',
      `${prefix}.${name}`,
      `expected ${expected}, found ${String(p[name])}`,
    );
  };
  const finite = (name: keyof LidarNodeParams) => {
    const v: unknown = p[name];
    if (typeof v !== 'number' || !Number.isFinite(v)) bad(name, 'a finite number');
  };
  for (const name of ['range_min', 'range_max', 'mount_x', 'mount_y', 'mount_yaw'] as const) finite(name);
  for (const name of ['scan_timeout', 'restart_after', 'supervise_period', 'status_period'] as const) {
    finite(name);
    if (p[name] <= 0) bad(name, 'a number > 0');
  }
  if (!Number.isInteger(p.beams) || p.beams < 8 || p.beams > 8192) bad('beams', 'an integer 8…8192');
  if (p.range_min < 0) bad('range_min', 'a number ≥ 0');
  if (p.range_max <= p.range_min) bad('range_max', `> range_min (${p.range_min})`);
  for (const name of ['frame_id', 'hardware_id'] as const) {
    if (typeof p[name] !== 'string' || p[name].length === 0) bad(name, 'a non-empty string');
  }
}

export function createLidarNode(
  node: RosNode,
  source: RplidarDriver | LidarConnection,
  overrides: Partial<LidarNodeParams> = {},
): LidarNode {
  const params: LidarNodeParams = Object.freeze(
    declareParams(node, 'lidar', { ...DEFAULT_LIDAR_NODE_PARAMS, ...overrides }),
  );
  validateLidarNodeParams(params);
  const connection = source instanceof LidarConnection ? source : undefined;
  const driver = source instanceof LidarConnection ? source.driver : source;
  const log = node.getLogger();
  const nowNs = () => node.now().nanoseconds;
  const geometry: ScanGeometry = {
    beams: params.beams,
    rangeMin: params.range_min,
    rangeMax: params.range_max,
    mountX: params.mount_x,
    mountY: params.mount_y,
    mountYaw: params.mount_yaw,
    frameId: params.frame_id,
  };
  const scanTimeoutNs = secondsToNs(params.scan_timeout);
  const restartAfterNs = secondsToNs(params.restart_after);
  const scanPub = node.createPublisher('sensor_msgs/msg/LaserScan', '/scan');
  const diagPub = node.createPublisher('diagnostic_msgs/msg/DiagnosticArray', '/diagnostics');
  const stream = new ScanStream(geometry);
  const session = new LidarSession({ driver, connection, log, nowNs });
  let reportedRejected = 0;

  const start = () => {
    stream.reset();
    session.begin();
  };

  // ---- what the driver says ------------------------------------------------------------------

  const unsubscribe = [
    driver.on('link', (c) => {
      if (c.up) return start();
      stream.reset();
      session.linkDown(c.reason);
    }),
    driver.on('node', ({ node: n }) => {
      const s = session.state;
      if (s !== 'scanning' && s !== 'silent') return;
      session.resumed();
      const scan = stream.take(n, nowNs()); // the node clock's time, whatever the driver's clock
      if (scan) scanPub.publish(scan);
    }),
    driver.on('rejected', (r) =>
      log.debug('lidar bytes rejected', { code: r.code, offset: r.offset, length: r.length }),
    ),
  ];

  // ---- the watchdog, on the node clock -------------------------------------------------------

  function supervise(): void {
    if (connection) connection.tick();
    else driver.check();
    const now = nowNs();
    const quiet = stream.quietForNs(now);
    if (session.state === 'scanning' && quiet !== undefined && quiet > scanTimeoutNs) {
      stream.reset(); // the turn in progress must never join nodes after the silence
      session.silent(`no scan node for ${Number(quiet / 1_000_000n)} ms`);
    }
    // A bare driver has no connection to recycle its port: start the device again on it.
    if (!connection && driver.attached && now - session.sinceNs > restartAfterNs) {
      const s = session.state;
      const stuck =
        s === 'silent' || s === 'failed' || s === 'refused' || (s === 'scanning' && quiet === undefined);
      if (stuck) start();
    }
  }

  function status(): LidarNodeStatus {
    const scans = stream.stats();
    return {
      state: session.state,
      reason: session.reason,
      info: session.info,
      health: session.health,
      scansPublished: scans.scans,
      revolutions: scans.revolutions,
      rotationHz: scans.rotationHz,
      nodesPerRevolution: scans.nodesPerRevolution,
      starts: session.starts,
      driver: driver.status(),
      connection: connection?.status(),
    };
  }

  function publishDiagnostics(): void {
    const s = status();
    const newlyRejected = Math.max(0, s.driver.rejectedBytes - reportedRejected);
    if (newlyRejected > 0)
      log.warn('lidar bytes rejected', { bytes: newlyRejected, last: s.driver.lastRejection });
    reportedRejected = s.driver.rejectedBytes;
    diagPub.publish(
      lidarDiagnostics(
        {
          ...s,
          name: `${node.name()}: lidar`,
          hardwareId: params.hardware_id,
          problem: session.problem,
          everScanned: s.scansPublished > 0,
          newlyRejected,
          frameId: params.frame_id,
        },
        node.now().toMsg(),
      ),
    );
  }

  const timers = [
    node.createTimer(secondsToNs(params.supervise_period), supervise),
    node.createTimer(secondsToNs(params.status_period), publishDiagnostics),
  ];
  if (driver.attached) start();

  return {
    params,
    status,
    stop() {
      if (session.state === 'stopped') return;
      session.stop();
      for (const t of timers) t.cancel();
      for (const off of unsubscribe) off();
      if (driver.attached) {
        // Motor first: SET_MOTOR_PWM goes out at once, STOP's quiet time would hold it back.
        driver.motor(false).catch(() => {});
        driver.stop();
      }
      connection?.close();
    },
  };
}
