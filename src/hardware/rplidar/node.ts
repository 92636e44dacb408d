/**
 * The lidar on the node graph: starts the RPLIDAR on every new link (STOP, GET_INFO, GET_HEALTH,
 * motor on, SCAN), turns its nodes into one sensor_msgs/LaserScan per revolution on /scan (in
 * base_link by default, as the safety gate requires) and reports /diagnostics at 1 Hz. A watchdog
 * on the node clock notices a device gone silent: its partial turn is dropped and nothing more is
 * published, so /scan goes stale and the safety gate halts the robot (scan_stale). Given a
 * LidarConnection it also reopens the port after an unplug or a long silence, with backoff; given
 * a bare driver it starts the device again on the same port. All timing from the node's clock.
 */
import { declareParams, nsToTimeMsg, secondsToNs, type RosNode } from '../../ros/index.js';
import { revolutionToScan, RevolutionAssembler, type Revolution, type ScanGeometry } from './assembler.js';
import { LidarConnection } from './connection.js';
import { lidarDiagnostics, type LidarState } from './diagnostics.js';
import type { RplidarDriver, RplidarDriverStatus } from './driver.js';
import { LidarError } from './errors.js';
import type { DeviceInfo, Health } from './protocol.js';
import type { ConnectionStatus } from '../reconnect.js';

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

/**
 * Log level per state entered. A problem (silent, refused, failed) is logged when it is new, not
 * again on every retry that meets it; starting again is routine.
 */
const STATE_LOG: Record<LidarState, 'debug' | 'info' | 'warn' | 'error'> = {
  waiting: 'warn',
  starting: 'debug',
  scanning: 'info',
  silent: 'warn',
  refused: 'error',
  failed: 'error',
  stopped: 'info',
};

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
  const assembler = new RevolutionAssembler();

  let state: LidarState = 'waiting';
  let reason: string | undefined;
  let sinceNs = nowNs();
  /** Bumped per start sequence and per link change, so an answer to an abandoned one is ignored. */
  let epoch = 0;
  let starts = 0;
  let everScanned = false;
  let info: DeviceInfo | undefined;
  let health: Health | undefined;
  let lastNodeNs: bigint | undefined;
  let scansPublished = 0;
  let rotationHz: number | undefined;
  let nodesPerRevolution: number | undefined;
  let reportedRejected = 0;
  let motorWarned = false;
  /** The last problem logged, so a retry meeting the same one does not log it again. */
  let lastProblem: string | undefined;

  function setState(next: LidarState, why?: string): void {
    const changed = next !== state || why !== reason;
    state = next;
    reason = why;
    sinceNs = nowNs();
    if (!changed) return;
    const problem =
      next === 'silent' || next === 'refused' || next === 'failed' ? `${next}: ${why}` : undefined;
    if (next === 'scanning') lastProblem = undefined;
    const level = problem !== undefined && problem === lastProblem ? 'debug' : STATE_LOG[next];
    if (problem !== undefined) lastProblem = problem;
    log[level](`lidar ${next}${why ? `: ${why}` : ''}`, { device: driver.name });
  }

  // ---- start-up, per link --------------------------------------------------------------------

  async function begin(): Promise<void> {
    const my = ++epoch;
    starts++;
    assembler.reset();
    lastNodeNs = undefined;
    setState('starting');
    const current = () => my === epoch;
    try {
      driver.stop(); // a device left scanning by an earlier run must listen first
      info = await driver.info();
      if (!current()) return;
      health = await driver.health();
      if (!current()) return;
      if (health.status === 'error') {
        // The protocol's way out of protection stop; the request after it waits out the reboot.
        driver.reset();
        health = await driver.health();
        if (!current()) return;
        if (health.status === 'error') {
          throw new LidarError(
            'HEALTH_ERROR',
            driver.name,
            `health ERROR (error code 0x${health.errorCode.toString(16).toUpperCase().padStart(4, '0')}) after a reset: not scanning`,
          );
        }
      }
      await driver.motor(true).catch((e: unknown) => {
        // Scan anyway: a motor that does turn (wired on) still gives nodes; one that does not
        // leaves the lidar silent, which the watchdog reports.
        if (!motorWarned) log.warn('lidar motor not switched', { error: message(e) });
        motorWarned = true;
      });
      if (!current()) return;
      await driver.startScan();
      if (!current()) return;
      setState('scanning');
    } catch (e) {
      if (!current()) return;
      const refused = e instanceof LidarError && e.code === 'HEALTH_ERROR';
      setState(refused ? 'refused' : 'failed', message(e));
      if (connection) connection.linkFailed(message(e)); // closes the port; retried with backoff
    }
  }

  // ---- what the driver says ------------------------------------------------------------------

  const unsubscribe = [
    driver.on('link', (c) => {
      if (state === 'stopped') return;
      if (c.up) return void begin();
      epoch++;
      assembler.reset();
      // A refusal or failure stays visible (it closed the link itself) until the next start.
      if (state !== 'refused' && state !== 'failed') setState('waiting', c.reason);
    }),
    driver.on('node', ({ node: n }) => {
      if (state !== 'scanning' && state !== 'silent') return;
      const now = nowNs();
      lastNodeNs = now;
      if (state === 'silent') setState('scanning');
      const revolution = assembler.push(n, now);
      if (revolution) publish(revolution);
    }),
    driver.on('rejected', (r) =>
      log.debug('lidar bytes rejected', { code: r.code, offset: r.offset, length: r.length }),
    ),
  ];

  function publish(rev: Revolution): void {
    const scan = revolutionToScan(rev, geometry, nsToTimeMsg(rev.startNs));
    scanPub.publish(scan);
    everScanned = true;
    scansPublished++;
    rotationHz = scan.scan_time > 0 ? 1 / scan.scan_time : undefined;
    nodesPerRevolution = rev.angleDeg.length;
  }

  // ---- the watchdog, on the node clock -------------------------------------------------------

  function supervise(): void {
    if (connection) connection.tick();
    else driver.check();
    const now = nowNs();
    if (state === 'scanning' && lastNodeNs !== undefined && now - lastNodeNs > scanTimeoutNs) {
      assembler.reset(); // its nodes must never join a turn after the silence
      setState('silent', `no scan node for ${Number((now - lastNodeNs) / 1_000_000n)} ms`);
    }
    if (!connection && driver.attached && now - sinceNs > restartAfterNs) {
      const stuck =
        state === 'silent' ||
        state === 'failed' ||
        state === 'refused' ||
        (state === 'scanning' && lastNodeNs === undefined);
      if (stuck) void begin();
    }
  }

  function status(): LidarNodeStatus {
    return {
      state,
      reason,
      info,
      health,
      scansPublished,
      rotationHz,
      nodesPerRevolution,
      starts,
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
          name: `${node.name()}: lidar`,
          hardwareId: params.hardware_id,
          state,
          reason,
          problem: lastProblem,
          everScanned,
          info,
          health,
          rotationHz,
          nodesPerRevolution,
          scansPublished,
          revolutions: assembler.stats().revolutions,
          newlyRejected,
          driver: s.driver,
          connection: s.connection,
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
  if (driver.attached) void begin();

  return {
    params,
    status,
    stop() {
      if (state === 'stopped') return;
      epoch++;
      setState('stopped');
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

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
