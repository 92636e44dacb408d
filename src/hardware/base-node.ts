/**
 * The drive base on the node graph. Takes the gated /cmd_vel to the board (at most 20 Hz, at
 * least every 100 ms while fresh, one stop when it goes stale); publishes /odom and odom→base_link
 * on /tf from the wheel ticks at the board's 50 Hz, /battery, /base/bumper, /base/estop,
 * /base/state (on change and at 1 Hz, so the gate and the mission pause the moment the base is
 * lost) and /diagnostics at 1 Hz; makes the LEDs follow /guide/status. With a connect() factory
 * it also reopens the port when the board comes back. All timing from the node's clock.
 */
import {
  declareParams,
  secondsToNs,
  type BoolMsg,
  type Clock,
  type RosNode,
  type Twist,
} from '../ros/index.js';
import { type GuideStatus } from '../interfaces/index.js';
import {
  baseFault,
  baseStateMessage,
  batteryMessage,
  diagnosticsMessage,
  odomTransform,
  odometryMessage,
  type Frames,
} from './base-messages.js';
import { CommandRelay } from './command-relay.js';
import { BaseConnection } from './connection.js';
import type { DriveBase } from './drive-base.js';
import { HardwareError } from './errors.js';
import type { BoardWithIO, FirmataIO } from './firmata-io.js';
import { LED_CUES, ledCue, type LedCue } from './leds.js';
import { WheelOdometry, geometryFromConfig, type OdometryEstimate } from './odometry.js';
import type { DriveConfig } from './protocol.js';

/**
 * The node's parameters, declared as `base.<name>`. Units are REP-103 (s, V). The board's own
 * limits and geometry are its DriveConfig (options.config), not parameters here.
 */
export type BaseNodeParams = {
  /** s. A /cmd_vel older than this is not forwarded; one stop goes out instead. Default 0.25. */
  cmd_timeout: number;
  /** s. Commands reach the board at most this often. Default 0.05 (20 Hz). */
  cmd_min_period: number;
  /** s. A fresh command is repeated at least this often; must stay below the board's 0.25 s watchdog. Default 0.1. */
  cmd_refresh_period: number;
  /** s. How often the link watchdog, reconnects and held-back commands are looked at. Default 0.01. */
  supervise_period: number;
  /** s. /diagnostics, /battery and the /base/* heartbeat. Default 1.0. */
  status_period: number;
  /** s. First retry after the port is lost; doubles per failed attempt. Default 0.1. */
  reconnect_min_backoff: number;
  /** s. Longest wait between attempts. Default 2.0. */
  reconnect_max_backoff: number;
  /** s. An open port silent this long is closed and reopened. Default 1.0. */
  relink_after: number;
  /** s. A connect taking longer counts as failed. Default 5.0. */
  connect_timeout: number;
  /** V. Empty battery (the board stops below 10.5 V). Default 10.5. */
  battery_empty_voltage: number;
  /** V. Full battery. Default 12.6. */
  battery_full_voltage: number;
  /** Default 'odom'. */
  odom_frame: string;
  /** Default 'base_link'. */
  base_frame: string;
  /** Publish odom→base_link on /tf. Default true. */
  publish_tf: boolean;
  /** /diagnostics hardware_id. Default 'medhjalparen-drive' (the firmware's name). */
  hardware_id: string;
};

export const DEFAULT_BASE_NODE_PARAMS: Readonly<BaseNodeParams> = Object.freeze({
  cmd_timeout: 0.25,
  cmd_min_period: 0.05,
  cmd_refresh_period: 0.1,
  supervise_period: 0.01,
  status_period: 1.0,
  reconnect_min_backoff: 0.1,
  reconnect_max_backoff: 2.0,
  relink_after: 1.0,
  connect_timeout: 5.0,
  battery_empty_voltage: 10.5,
  battery_full_voltage: 12.6,
  odom_frame: 'odom',
  base_frame: 'base_link',
  publish_tf: true,
  hardware_id: 'medhjalparen-drive',
});

/** The board stops 250 ms after its last valid command (PROTOCOL.md §4). */
const BOARD_CMD_TIMEOUT_S = 0.25;

export interface DriveBaseNodeOptions {
  /** Opens the board's port afresh (resolving when Firmata is ready); enables reconnecting. */
  connect?: () => Promise<FirmataIO | BoardWithIO>;
  params?: Partial<BaseNodeParams>;
  /** Sent to the board now and on every new link. Throws HardwareError('CONFIG_INVALID') if out of range. */
  config?: DriveConfig;
}

export interface DriveBaseNode {
  readonly params: Readonly<BaseNodeParams>;
  readonly connection: BaseConnection | undefined;
  odometry(): OdometryEstimate;
  /** What the LEDs were last asked to show. */
  ledCue(): LedCue | undefined;
  /** Shutting down: one last stop, timers cancelled, no more reconnecting. Idempotent. */
  stop(): void;
}

type NumericParam = {
  [K in keyof BaseNodeParams]: BaseNodeParams[K] extends number ? K : never;
}[keyof BaseNodeParams];

export function validateBaseNodeParams(p: BaseNodeParams, prefix = 'base'): void {
  const bad = (name: keyof BaseNodeParams, expected: string) => {
    throw new HardwareError(
      'PARAM_INVALID',
      `${prefix}.${name}`,
      `expected ${expected}, found ${String(p[name])}`,
    );
  };
  const numeric = Object.keys(DEFAULT_BASE_NODE_PARAMS).filter(
    (k) => typeof DEFAULT_BASE_NODE_PARAMS[k as keyof BaseNodeParams] === 'number',
  ) as NumericParam[];
  for (const name of numeric) {
    const v: unknown = p[name];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) bad(name, 'a finite number > 0');
  }
  if (p.cmd_refresh_period >= BOARD_CMD_TIMEOUT_S)
    bad('cmd_refresh_period', `< ${BOARD_CMD_TIMEOUT_S} s (the board's watchdog)`);
  if (p.cmd_min_period > p.cmd_refresh_period)
    bad('cmd_min_period', `≤ cmd_refresh_period (${p.cmd_refresh_period})`);
  if (p.reconnect_max_backoff < p.reconnect_min_backoff)
    bad('reconnect_max_backoff', `≥ reconnect_min_backoff (${p.reconnect_min_backoff})`);
  if (p.battery_full_voltage <= p.battery_empty_voltage)
    bad('battery_full_voltage', `> battery_empty_voltage (${p.battery_empty_voltage})`);
  for (const name of ['odom_frame', 'base_frame', 'hardware_id'] as const) {
    if (typeof p[name] !== 'string' || p[name].length === 0) bad(name, 'a non-empty string');
  }
}

export function createDriveBaseNode(
  node: RosNode,
  base: DriveBase,
  options: DriveBaseNodeOptions = {},
): DriveBaseNode {
  const params: BaseNodeParams = Object.freeze(
    declareParams(node, 'base', { ...DEFAULT_BASE_NODE_PARAMS, ...options.params }),
  );
  validateBaseNodeParams(params);
  const log = node.getLogger();
  const clock: Clock = { nowNs: () => node.now().nanoseconds };
  if (options.config) base.configure(options.config);

  const connection = options.connect
    ? new BaseConnection(base, {
        clock,
        connect: options.connect,
        minBackoffNs: secondsToNs(params.reconnect_min_backoff),
        maxBackoffNs: secondsToNs(params.reconnect_max_backoff),
        relinkAfterNs: secondsToNs(params.relink_after),
        connectTimeoutNs: secondsToNs(params.connect_timeout),
      })
    : undefined;
  const odometry = new WheelOdometry(geometryFromConfig(base.config()));
  const relay = new CommandRelay({
    minPeriodNs: secondsToNs(params.cmd_min_period),
    refreshPeriodNs: secondsToNs(params.cmd_refresh_period),
    freshForNs: secondsToNs(params.cmd_timeout),
  });
  const frames: Frames = { odomFrame: params.odom_frame, baseFrame: params.base_frame };
  const battery = { emptyV: params.battery_empty_voltage, fullV: params.battery_full_voltage };

  const latched = { qos: { durability: 'transient_local' as const } };
  const odomPub = node.createPublisher('nav_msgs/msg/Odometry', '/odom');
  const tfPub = node.createPublisher('tf2_msgs/msg/TFMessage', '/tf');
  const batteryPub = node.createPublisher('sensor_msgs/msg/BatteryState', '/battery');
  const bumperPub = node.createPublisher('std_msgs/msg/Bool', '/base/bumper', latched);
  const estopPub = node.createPublisher('std_msgs/msg/Bool', '/base/estop', latched);
  const statePub = node.createPublisher('medhjalparen_msgs/msg/BaseState', '/base/state', latched);
  const diagPub = node.createPublisher('diagnostic_msgs/msg/DiagnosticArray', '/diagnostics');

  let stopped = false;
  let guideState: string | undefined;
  let cue: LedCue | undefined;
  let reported: { connected: boolean; stopLatched: boolean; fault: string } | undefined;
  let inputs: { bumper: boolean; estop: boolean } | undefined;
  let lastCounts = { rejected: 0, limited: 0 };

  // ---- commands ------------------------------------------------------------------------------

  node.createSubscription('geometry_msgs/msg/Twist', '/cmd_vel', (msg: Twist) => {
    if (stopped) return;
    // Non-finite or missing numbers go through as NaN: the driver turns them into a stop.
    relay.take({ linear: Number(msg?.linear?.x), angular: Number(msg?.angular?.z) }, node.now().nanoseconds);
    forward();
  });

  function forward(): void {
    const v = relay.due(node.now().nanoseconds);
    if (v) base.drive(v.linear, v.angular);
  }

  // ---- LEDs ----------------------------------------------------------------------------------

  node.createSubscription('medhjalparen_msgs/msg/GuideStatus', '/guide/status', (msg: GuideStatus) => {
    guideState = typeof msg?.state === 'string' ? msg.state : undefined;
    updateLeds();
  });

  function updateLeds(): void {
    const next = ledCue(guideState, base.status().flags?.stopLatched ?? false);
    if (next === cue) return;
    cue = next;
    const { pattern, rgb } = LED_CUES[next];
    base.setLeds(pattern, rgb); // remembered by the driver for the next link if no port now
  }

  // ---- what the board says -------------------------------------------------------------------

  const unsubscribe = [
    base.on('config', (c) => odometry.setGeometry(geometryFromConfig(c))),
    base.on('connection', (c) => {
      if (c.newLink) odometry.rebaseline();
      if (c.connected) relay.resend();
      if (c.connected) log.info('drive base connected', { new_link: c.newLink });
      else log.warn('drive base disconnected', { reason: c.reason });
      publishStateIfChanged();
    }),
    base.on('telemetry', ({ frame, flags }) => {
      const e = odometry.update(frame.leftTicks, frame.rightTicks, frame.uptimeMs);
      const stamp = node.now();
      odomPub.publish(odometryMessage(e, stamp, frames));
      if (params.publish_tf) tfPub.publish({ transforms: [odomTransform(e, stamp, frames)] });
      if (!inputs || inputs.bumper !== flags.bumper || inputs.estop !== flags.estop) {
        if (inputs?.bumper !== flags.bumper) bumperPub.publish(bool(flags.bumper));
        if (inputs?.estop !== flags.estop) estopPub.publish(bool(flags.estop));
        inputs = { bumper: flags.bumper, estop: flags.estop };
      }
      publishStateIfChanged();
      updateLeds();
    }),
    base.on('rejected', (err) =>
      log.debug('drive base frame rejected', { code: err.code, offset: err.offset }),
    ),
  ];

  function publishStateIfChanged(): void {
    const s = base.status();
    const now = {
      connected: s.connected,
      stopLatched: s.connected && (s.flags?.stopLatched ?? false),
      fault: baseFault(s),
    };
    if (
      reported &&
      reported.connected === now.connected &&
      reported.stopLatched === now.stopLatched &&
      reported.fault === now.fault
    ) {
      return;
    }
    if (reported?.stopLatched !== now.stopLatched && now.stopLatched)
      log.warn('drive base stop latched', { fault: now.fault });
    reported = now;
    statePub.publish(baseStateMessage(s, node.now()));
  }

  function publishStatus(): void {
    const s = base.status();
    const stamp = node.now();
    statePub.publish(baseStateMessage(s, stamp));
    if (s.connected && s.telemetry) {
      batteryPub.publish(batteryMessage(s.telemetry, stamp, battery, params.base_frame));
      bumperPub.publish(bool(s.flags!.bumper));
      estopPub.publish(bool(s.flags!.estop));
    }
    const rejected = s.hostRejected + (s.boardRejected ?? 0);
    const limited =
      s.acks.clamped + s.acks.refused_latched + s.acks.refused_stale + s.acks.refused_battery_low;
    const newlyRejected = Math.max(0, rejected - lastCounts.rejected);
    if (newlyRejected > 0)
      log.warn('drive base frames rejected', { host: s.hostRejected, board: s.boardRejected });
    diagPub.publish(
      diagnosticsMessage(
        {
          status: s,
          connection: connection?.status(),
          newlyRejected,
          newlyLimited: Math.max(0, limited - lastCounts.limited),
          hardwareId: params.hardware_id,
          name: `${node.name()}: drive base`,
        },
        stamp,
      ),
    );
    lastCounts = { rejected, limited };
  }

  const timers = [
    node.createTimer(secondsToNs(params.supervise_period), () => {
      if (connection) connection.tick();
      else base.check();
      forward();
    }),
    node.createTimer(secondsToNs(params.status_period), publishStatus),
  ];
  updateLeds();
  publishStateIfChanged();

  return {
    params,
    connection,
    odometry: () => odometry.estimate(),
    ledCue: () => cue,
    stop() {
      if (stopped) return;
      stopped = true;
      base.stop();
      for (const t of timers) t.cancel();
      for (const off of unsubscribe) off();
      connection?.close();
    },
  };
}

function bool(data: boolean): BoolMsg {
  return { data };
}
