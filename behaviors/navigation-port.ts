/**
 * The guide mission's navigation port: its one way to move the robot (go to a pose, turn in
 * place, dock onto the charging contacts), whichever stack navigates. Both implementations are
 * clients of nav2_msgs actions on Nav2's standard names, because the robot's own navigator and
 * behaviour server serve exactly Nav2's interface with Nav2's codes; they differ in where the
 * servers live.
 *
 * - internalNavigation: the robot's own servers, started before the mission in the same process.
 *   A server that is not there is a composition bug, so the trip fails at once.
 * - nav2Navigation: Nav2's bt_navigator, behavior_server and docking_server, another process
 *   that may become active after the robot starts. A goal waits up to `nav2.server_timeout_s` (node clock) for
 *   its server, and a server gone that long during a goal ends it: a clear failure
 *   (SERVER_UNAVAILABLE, reason nav_unavailable), never a hang.
 *
 * | direction | name | type |
 * |---|---|---|
 * | out | /navigate_to_pose | nav2_msgs/action/NavigateToPose (client) |
 * | out | /spin | nav2_msgs/action/Spin (client) |
 * | out | /dock_robot | nav2_msgs/action/DockRobot (client) |
 *
 * Every ending is a NavResult, never a throw; result codes are read by mission-reasons.ts.
 */
import {
  GoalStatus,
  declareParams,
  durationMsg,
  poseStamped,
  secondsToNs,
  type ActionClient,
  type ActionTypes,
  type ClientGoalHandle,
  type RosNode,
  type Pose2D,
  type Timer,
} from '../src/ros/index.js';
import { MissionError } from './errors.js';
import type { NavGoal, NavResult } from './guide-mission.js';
import { navFailureOf } from './mission-reasons.js';

export type NavigationStack = 'internal' | 'nav2';
export const NAVIGATION_STACKS: readonly NavigationStack[] = ['internal', 'nav2'];

export interface NavigationPort {
  readonly stack: NavigationStack;
  /** Drives to `goal.pose` in the map frame; aborting `signal` cancels the goal. */
  navigateTo(goal: NavGoal, signal: AbortSignal): Promise<NavResult>;
  /** Turns in place by `yawRad` (counter-clockwise), giving up after `timeAllowanceS`. */
  turn(yawRad: number, timeAllowanceS: number, signal: AbortSignal): Promise<NavResult>;
  /**
   * The final approach onto the dock at `pose` (map frame; its yaw is the robot's heading when
   * docked), from near it: where a trip to that pose ended. 'NONE' once on the charging
   * contacts' tolerance; aborting `signal` cancels it.
   */
  dock(pose: Pose2D, signal: AbortSignal): Promise<NavResult>;
  /** Cancels every goal still running. */
  cancelAll(): void;
  /** Cancels everything and settles every trip still waiting for a server; later trips fail. */
  stop(): void;
}

/** ROS parameters `nav2.<name>` of the node the Nav2 port runs on. */
export const NAV2_PORT_DEFAULTS = {
  /** How long a goal waits for Nav2's server, and how long one may vanish mid-goal, s. */
  server_timeout_s: 10,
};

/** The robot's own navigator and behaviour server, in this process. */
export function internalNavigation(node: RosNode): NavigationPort {
  return new ActionNavigation(node, 'internal', 0n);
}

/** Nav2 beside the robot. Throws MissionError for an unusable `nav2.server_timeout_s`. */
export function nav2Navigation(node: RosNode): NavigationPort {
  const p = declareParams(node, 'nav2', NAV2_PORT_DEFAULTS);
  const s = p.server_timeout_s;
  if (!Number.isFinite(s) || s <= 0 || s > 3600) {
    throw new MissionError(
      'PARAM_INVALID',
      `${node.name()}: parameter nav2.server_timeout_s`,
      `expected a number of seconds in (0, 3600], found ${String(s)}`,
    );
  }
  node.getLogger().info('navigation by Nav2', {
    navigate_to_pose: '/navigate_to_pose',
    spin: '/spin',
    dock_robot: '/dock_robot',
    server_timeout_s: s,
  });
  return new ActionNavigation(node, 'nav2', secondsToNs(s));
}

type NavAction = 'nav2_msgs/action/NavigateToPose' | 'nav2_msgs/action/Spin' | 'nav2_msgs/action/DockRobot';

/** How often a missing server is looked for, ns of node time. */
const POLL_NS = 100_000_000n;
/** Operators read the server's own words; a server's message this long is cut. */
const MAX_DETAIL = 300;
/**
 * Most time a docking server may take to get to its staging pose, s. The robot's own drives a
 * short hop from where the trip home ended; Nav2's navigates there the same way.
 */
const DOCK_STAGING_TIME_S = 60;

class ActionNavigation implements NavigationPort {
  readonly #node: RosNode;
  readonly #nav: ActionClient<'nav2_msgs/action/NavigateToPose'>;
  readonly #spin: ActionClient<'nav2_msgs/action/Spin'>;
  readonly #dock: ActionClient<'nav2_msgs/action/DockRobot'>;
  /** 0: the server must be there now. */
  readonly #waitNs: bigint;
  readonly #goals = new Set<ClientGoalHandle<NavAction>>();
  /** Watches on the node clock, each with what settles its promise when the port stops. */
  readonly #watches = new Map<Timer, () => void>();
  #stopped = false;

  constructor(
    node: RosNode,
    readonly stack: NavigationStack,
    waitNs: bigint,
  ) {
    this.#node = node;
    this.#waitNs = waitNs;
    this.#nav = node.createActionClient('nav2_msgs/action/NavigateToPose', '/navigate_to_pose');
    this.#spin = node.createActionClient('nav2_msgs/action/Spin', '/spin');
    this.#dock = node.createActionClient('nav2_msgs/action/DockRobot', '/dock_robot');
  }

  navigateTo(goal: NavGoal, signal: AbortSignal): Promise<NavResult> {
    const msg = { pose: poseStamped('map', this.#node.now(), goal.pose), behavior_tree: '' };
    return this.#run(this.#nav, '/navigate_to_pose', msg, signal);
  }

  turn(yawRad: number, timeAllowanceS: number, signal: AbortSignal): Promise<NavResult> {
    const msg = {
      target_yaw: yawRad,
      time_allowance: durationMsg(timeAllowanceS),
      disable_collision_checks: false,
    };
    return this.#run(this.#spin, '/spin', msg, signal);
  }

  dock(pose: Pose2D, signal: AbortSignal): Promise<NavResult> {
    const msg = {
      // By pose: the dock is the site's, and the robot's own server keeps no dock database.
      use_dock_id: false,
      dock_id: '',
      dock_pose: poseStamped('map', this.#node.now(), pose),
      dock_type: '',
      max_staging_time: DOCK_STAGING_TIME_S,
      navigate_to_staging_pose: true,
    };
    return this.#run(this.#dock, '/dock_robot', msg, signal);
  }

  cancelAll(): void {
    for (const goal of this.#goals) void goal.cancelGoal();
    this.#goals.clear();
  }

  stop(): void {
    this.#stopped = true;
    this.cancelAll();
    for (const settle of [...this.#watches.values()]) settle();
  }

  async #run<A extends NavAction>(
    client: ActionClient<A>,
    name: string,
    msg: ActionTypes[A]['goal'],
    signal: AbortSignal,
  ): Promise<NavResult> {
    const up = await this.#serverUp(client, signal);
    if (signal.aborted) return { code: 'CANCELLED', detail: 'cancelled before it started' };
    if (!up) return this.#unavailable(name, 'is not available');
    let goal: ClientGoalHandle<A>;
    try {
      goal = await client.sendGoal(msg);
    } catch (e) {
      return this.#unavailable(name, `could not take the goal: ${errorText(e)}`);
    }
    if (!goal.accepted) return { code: 'UNKNOWN', detail: `${name} rejected the goal` };
    if (signal.aborted || this.#stopped) {
      void goal.cancelGoal();
      return { code: 'CANCELLED', detail: 'cancelled before it started' };
    }
    this.#goals.add(goal);
    signal.addEventListener('abort', () => void goal.cancelGoal(), { once: true });
    const gone = this.#serverGone(client);
    try {
      const lost = gone.then((why): NavResult =>
        why === 'gone'
          ? this.#unavailable(name, 'went away during the goal')
          : { code: 'CANCELLED', detail: 'navigation stopped' },
      );
      return await Promise.race([ending(goal, signal), lost]);
    } finally {
      gone.cancel();
      this.#goals.delete(goal);
    }
  }

  #unavailable(name: string, what: string): NavResult {
    const waited = this.#waitNs > 0n ? ` (waited ${Number(this.#waitNs) / 1e9} s)` : '';
    const server = this.stack === 'nav2' ? `Nav2's ${name}` : name;
    return { code: 'SERVER_UNAVAILABLE', detail: `${server} ${what}${waited}` };
  }

  /** Whether the server is there, waiting on the node clock up to the port's wait for it. */
  #serverUp(client: ActionClient<NavAction>, signal: AbortSignal): Promise<boolean> {
    if (this.#stopped) return Promise.resolve(false);
    if (client.isActionServerAvailable()) return Promise.resolve(true);
    if (this.#waitNs === 0n) return Promise.resolve(false);
    const deadline = this.#node.now().nanoseconds + this.#waitNs;
    return this.#watch((nowNs) => {
      if (client.isActionServerAvailable()) return true;
      if (signal.aborted || nowNs >= deadline) return false;
      return undefined;
    }, false).then((up) => up === true);
  }

  /** Settles 'gone' once the server has been missing for the port's wait in a row (at once with none). */
  #serverGone(client: ActionClient<NavAction>) {
    let missingSince: bigint | undefined;
    return this.#watch((nowNs) => {
      if (client.isActionServerAvailable()) missingSince = undefined;
      else missingSince ??= nowNs;
      return missingSince !== undefined && nowNs - missingSince >= this.#waitNs
        ? ('gone' as const)
        : undefined;
    }, 'stopped' as const);
  }

  /**
   * Polls `decide` every POLL_NS of node time until it returns a value, which the promise takes;
   * it takes `onStop` when the port stops first, and undefined when cancel() ends the watch.
   */
  #watch<T>(
    decide: (nowNs: bigint) => T | undefined,
    onStop: T,
  ): Promise<T | undefined> & { cancel(): void } {
    let settle!: (v: T | undefined) => void;
    const promise = new Promise<T | undefined>((resolve) => (settle = resolve));
    const timer = this.#node.createTimer(POLL_NS, () => {
      const v = decide(this.#node.now().nanoseconds);
      if (v !== undefined) finish(v);
    });
    const finish = (v: T | undefined) => {
      timer.cancel();
      this.#watches.delete(timer);
      settle(v);
    };
    this.#watches.set(timer, () => finish(onStop));
    return Object.assign(promise, { cancel: () => finish(undefined) });
  }
}

/** How a goal the server took ended. */
async function ending<A extends NavAction>(
  goal: ClientGoalHandle<A>,
  signal: AbortSignal,
): Promise<NavResult> {
  try {
    const { status, result } = await goal.getResult();
    const said = typeof result?.error_msg === 'string' ? result.error_msg.slice(0, MAX_DETAIL) : '';
    if (status === GoalStatus.STATUS_SUCCEEDED) return { code: 'NONE', detail: '' };
    // Cancelled by us, or ended after the machine moved on: nobody waits for this result.
    if (status === GoalStatus.STATUS_CANCELED || signal.aborted) return { code: 'CANCELLED', detail: said };
    const failure = navFailureOf(Number(result?.error_code));
    return { code: failure.code, detail: said ? `${failure.name}: ${said}` : failure.name };
  } catch (e) {
    // The server failed without a result of its type (a crash in its execute): a failed trip.
    return { code: 'UNKNOWN', detail: errorText(e) };
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
