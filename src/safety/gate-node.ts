/**
 * The safety gate on the node graph: every velocity command, from navigation or the operator,
 * passes here before the drive base. It listens to navigation's commands (/cmd_vel_nav, or the
 * topic `safety.nav_cmd_topic` names: Nav2's last velocity stage when Nav2 navigates),
 * /cmd_vel_teleop and /scan, and at a fixed 20 Hz publishes the gated /cmd_vel: zeros too while
 * stopped, so the base's own watchdog stays fed and the base never holds an old command. /safety/estop latches and resets
 * the e-stop; /safety/state says what the gate is doing and why.
 */
import {
  NS_PER_S,
  declareParams,
  twist,
  type LaserScan,
  type Logger,
  type RosNode,
  type SetBoolRequest,
  type SetBoolResponse,
  type Twist,
} from '../ros/index.js';
import { type BaseState } from '../interfaces/index.js';
import {
  CONTROL_PERIOD_NS,
  gate,
  initialGateState,
  selectSource,
  type CommandSource,
  type GateReason,
  type GateState,
  type Velocity,
} from './gate.js';
import { DEFAULT_SAFETY_PARAMS, validateSafetyParams, type SafetyParams } from './params.js';
import { ScanConverter, type ScanProblem } from './scan-points.js';

export interface SafetyStatus {
  estopLatched: boolean;
  reason: GateReason;
  /** The source whose command was gated last tick ('' before the first command). */
  source: CommandSource | '';
  /** The last command sent to the base. */
  cmd: Velocity;
}

export interface SafetyGate {
  readonly params: Readonly<SafetyParams>;
  /** What the gate did on its last tick. */
  status(): SafetyStatus;
  /** Shutting down: sends one last zero to the base and stops the gate's timers. Idempotent. */
  stop(): void;
}

/** How loudly a change to each reason is logged (once per change, never per tick). */
const LOG_LEVEL: Record<GateReason, keyof Logger> = {
  ok: 'info',
  estop_latched: 'warn',
  base_disconnected: 'error',
  cmd_timeout: 'info',
  invalid_command: 'error',
  scan_stale: 'warn',
  obstacle_stop: 'info',
  obstacle_slow: 'debug',
  speed_limit: 'debug',
  accel_limit: 'debug',
};

const SCAN_PROBLEM: Record<ScanProblem, string> = {
  wrong_frame: 'scan refused: not in the base frame',
  bad_geometry: 'scan refused: non-finite angles or range limits, or no ranges',
  bad_stamp: 'scan refused: header stamp is not a valid time',
};

const STATE_PERIOD_NS = NS_PER_S;

/**
 * Creates the gate on `node`. `overrides` change the defaults in code; parameters given to the
 * node (launch overrides of `safety.*`) win over both. Throws SafetyError on invalid parameters.
 */
export function createSafetyGate(node: RosNode, overrides: Partial<SafetyParams> = {}): SafetyGate {
  const params: SafetyParams = Object.freeze(
    declareParams(node, 'safety', { ...DEFAULT_SAFETY_PARAMS, ...overrides }),
  );
  validateSafetyParams(params);
  const log = node.getLogger();
  const state: GateState = initialGateState();
  const latest: Record<CommandSource, Twist | undefined> = { nav: undefined, teleop: undefined };
  const scans = new ScanConverter(params.base_frame);
  let scanProblem: ScanProblem | undefined;
  let stopped = false;
  let current: SafetyStatus = {
    estopLatched: false,
    reason: 'cmd_timeout',
    source: '',
    cmd: state.lastOutput,
  };
  let reported: { reason: GateReason; estopLatched: boolean; source: string } | undefined;

  const cmdPub = node.createPublisher('geometry_msgs/msg/Twist', '/cmd_vel');
  // Latched so a console or mission that starts later learns the state at once.
  const statePub = node.createPublisher('medhjalparen_msgs/msg/SafetyState', '/safety/state', {
    qos: { durability: 'transient_local' },
  });

  const takeCommand = (source: CommandSource) => (msg: Twist) => {
    latest[source] = msg;
    state.cmdStampNs[source] = node.now().nanoseconds;
  };
  node.createSubscription('geometry_msgs/msg/Twist', params.nav_cmd_topic, takeCommand('nav'));
  node.createSubscription('geometry_msgs/msg/Twist', '/cmd_vel_teleop', takeCommand('teleop'));

  // A drive-base driver says when its board is lost; with no driver (the simulator) nothing
  // arrives and the base counts as connected.
  let baseWasConnected = false;
  node.createSubscription(
    'medhjalparen_msgs/msg/BaseState',
    '/base/state',
    { qos: { durability: 'transient_local' } },
    (msg: BaseState) => {
      state.baseConnected = msg?.connected === true;
      baseWasConnected ||= state.baseConnected;
    },
  );

  node.createSubscription('sensor_msgs/msg/LaserScan', '/scan', (scan: LaserScan) => {
    const taken = scans.take(scan);
    if ('problem' in taken) {
      if (scanProblem !== taken.problem) {
        log.warn(SCAN_PROBLEM[taken.problem], {
          problem: taken.problem,
          frame_id: String(scan?.header?.frame_id),
        });
      }
      scanProblem = taken.problem;
      return;
    }
    if (scanProblem !== undefined) log.info('scans accepted again');
    scanProblem = undefined;
    const nowNs = node.now().nanoseconds;
    state.scan = scans.points;
    // A stamp from the future (a lidar clock ahead of ours) must not keep a dead lidar fresh.
    state.scanStampNs = taken.stampNs < nowNs ? taken.stampNs : nowNs;
  });

  function forgetCommands(): void {
    // Commands sent before a latch or reset never drive the robot afterwards.
    latest.nav = latest.teleop = undefined;
    state.cmdStampNs.nav = state.cmdStampNs.teleop = undefined;
  }

  node.createService('std_srvs/srv/SetBool', '/safety/estop', (req: SetBoolRequest): SetBoolResponse => {
    if (typeof req?.data !== 'boolean') {
      return {
        success: false,
        message: `expected data: true (latch) or false (reset), found ${String(req?.data)}`,
      };
    }
    if (req.data) {
      const was = state.estopLatched;
      state.estopLatched = true;
      forgetCommands();
      if (!was) log.warn('e-stop latched');
      tick(); // the zero goes out now, not at the next period
      return {
        success: true,
        message: was ? 'e-stop was already latched' : 'e-stop latched; output held at zero',
      };
    }
    if (!state.estopLatched) return { success: true, message: 'e-stop was not latched; nothing to reset' };
    state.estopLatched = false;
    forgetCommands();
    log.warn('e-stop reset');
    return {
      success: true,
      message: 'e-stop reset; the robot moves again only on commands sent after the reset',
    };
  });

  function tick(): void {
    if (stopped) return;
    const nowNs = node.now().nanoseconds;
    const source = selectSource(state, nowNs, params) ?? newestSource();
    const result = gate(latest[source] ?? twist(), source, state, nowNs, params);
    state.lastOutput = result.cmd;
    state.lastOutputNs = nowNs;
    cmdPub.publish(twist(result.cmd.linear, result.cmd.angular));
    const hasCommand = state.cmdStampNs[source] !== undefined;
    current = {
      estopLatched: state.estopLatched,
      reason: result.reason,
      source: hasCommand ? source : '',
      cmd: result.cmd,
    };
    reportIfChanged();
  }

  /** With no fresh source, the one heard from last (its command is the one that timed out). */
  function newestSource(): CommandSource {
    const { nav, teleop } = state.cmdStampNs;
    return teleop !== undefined && (nav === undefined || teleop >= nav) ? 'teleop' : 'nav';
  }

  /** A base not linked yet at start-up is waited for (warn); one lost after it was there is an error. */
  const levelOf = (reason: GateReason): keyof Logger =>
    reason === 'base_disconnected' && !baseWasConnected ? 'warn' : LOG_LEVEL[reason];

  function reportIfChanged(): void {
    const { reason, estopLatched, source } = current;
    if (
      reported &&
      reported.reason === reason &&
      reported.estopLatched === estopLatched &&
      reported.source === source
    )
      return;
    if (reported?.reason !== reason) log[levelOf(reason)](`safety gate: ${reason}`, { reason, source });
    reported = { reason, estopLatched, source };
    publishState();
  }

  function publishState(): void {
    statePub.publish({
      header: { stamp: node.now().toMsg(), frame_id: '' },
      estop_latched: current.estopLatched,
      reason: current.reason,
      source: current.source,
    });
  }

  const timers = [node.createTimer(CONTROL_PERIOD_NS, tick), node.createTimer(STATE_PERIOD_NS, publishState)];

  return {
    params,
    status: () => ({ ...current }),
    stop() {
      if (stopped) return;
      stopped = true;
      for (const t of timers) t.cancel();
      state.lastOutput = { linear: 0, angular: 0 };
      current = { ...current, cmd: state.lastOutput };
      cmdPub.publish(twist());
    },
  };
}
