/**
 * What a person watching the robot wants to know, as it happens: the mission's state and why,
 * what the robot says, when the safety gate holds it, detours, and every few seconds how fast it
 * goes and how far behind its customer is. An observer node on the graph (like an rqt plugin):
 * it reads the robot's topics and never publishes, so the same view serves the simulator and a
 * real robot. Events carry no camera data; 'say' carries the robot's words, not the customer's.
 */
import type { CustomerFollow, GuideStatus, SafetyState } from '../interfaces/index.js';
import { NS_PER_S, distance, type Odometry, type Path, type RosNode } from '../ros/index.js';

/** What a live display shows; `t` is seconds since the run started. */
export type LiveEvent =
  | { t: number; kind: 'request'; index: number; text: string }
  | { t: number; kind: 'status'; status: GuideStatus }
  | { t: number; kind: 'say'; language: string; text: string; phrase: string }
  | { t: number; kind: 'event'; what: string }
  /** The safety gate started or stopped holding the robot, and why. */
  | { t: number; kind: 'safety'; reason: string; stopped: boolean }
  /** The navigator replanned onto a clearly longer route: something blocks the way. */
  | { t: number; kind: 'detour'; extraM: number; lengthM: number }
  /** Every few seconds while moving: speed and how far behind the customer is (as the robot sees it). */
  | { t: number; kind: 'progress'; state: string; destination: string; speed: number; customerGapM?: number }
  | { t: number; kind: 'done'; index: number; outcome: string; destination: string; reason: string };

export interface LiveViewOptions {
  emit: (event: LiveEvent) => void;
  /** Gate reasons that mean "held" (the rest are limits or all is well); from the safety gate. */
  stopReasons: ReadonlySet<string>;
  /** A replan this much longer than what was left of the old route shows as a detour, m. Default 1.5. */
  detourM?: number;
  /** How often progress is shown while the robot is busy, s. Default 10. */
  progressPeriodS?: number;
}

/** Starts watching on `node`; `t` in events counts from now. */
export function watchRobot(node: RosNode, options: LiveViewOptions): { seconds(): number } {
  const startNs = node.now().nanoseconds;
  const seconds = () => Number(node.now().nanoseconds - startNs) / Number(NS_PER_S);
  const emit = (e: DistributiveOmit<LiveEvent, 't'>) => options.emit({ t: seconds(), ...e } as LiveEvent);

  let status: GuideStatus | undefined;
  node.createSubscription('medhjalparen_msgs/msg/GuideStatus', '/guide/status', (s: GuideStatus) => {
    if (s.state !== (status?.state ?? 'idle')) emit({ kind: 'status', status: s });
    status = s;
  });
  node.createSubscription('medhjalparen_msgs/msg/Utterance', '/guide/say', (u) =>
    emit({ kind: 'say', language: u.language, text: u.text, phrase: u.kind }),
  );
  watchSafetyGate(node, options.stopReasons, emit);
  const odometer = watchOdometry(node);
  watchDetours(node, options.detourM ?? 1.5, odometer, emit);

  let customerGapM: number | undefined;
  node.createSubscription('medhjalparen_msgs/msg/CustomerFollow', '/guide/customer', (c: CustomerFollow) => {
    customerGapM = c.bound && c.visible ? c.distance_behind : undefined;
  });
  const periodNs = BigInt(Math.round((options.progressPeriodS ?? 10) * 1e9));
  node.createTimer(periodNs, () => {
    if (!status || status.state === 'idle') return;
    emit({
      kind: 'progress',
      state: status.state,
      destination: status.destination_id,
      speed: odometer.speed(),
      ...(customerGapM !== undefined ? { customerGapM } : {}),
    });
  });
  return { seconds };
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type Emit = (e: DistributiveOmit<LiveEvent, 't'>) => void;

/** The gate's stop reasons as they change. No command (cmd_timeout) is its resting state: not news. */
function watchSafetyGate(node: RosNode, stopReasons: ReadonlySet<string>, emit: Emit): void {
  let held = '';
  node.createSubscription('medhjalparen_msgs/msg/SafetyState', '/safety/state', (state: SafetyState) => {
    const reason = stopReasons.has(state.reason) && state.reason !== 'cmd_timeout' ? state.reason : '';
    if (reason !== held) emit({ kind: 'safety', reason: reason || held, stopped: reason !== '' });
    held = reason;
  });
}

/** Distance driven and current speed, from /odom. */
function watchOdometry(node: RosNode): { metres(): number; speed(): number } {
  let metres = 0;
  let speed = 0;
  let last: { x: number; y: number } | undefined;
  node.createSubscription('nav_msgs/msg/Odometry', '/odom', (odom: Odometry) => {
    const p = odom.pose.pose.position;
    if (last) metres += distance(p, last);
    last = { x: p.x, y: p.y };
    speed = odom.twist.twist.linear.x;
  });
  return { metres: () => metres, speed: () => speed };
}

/** A new plan clearly longer than what was left of the old one (to the same goal) is a detour. */
function watchDetours(node: RosNode, detourM: number, odometer: { metres(): number }, emit: Emit): void {
  let planLeftM = 0;
  let odometerAtPlan = 0;
  let planGoal: { x: number; y: number } | undefined;
  node.createSubscription('nav_msgs/msg/Path', '/plan', (path: Path) => {
    let length = 0;
    for (let i = 1; i < path.poses.length; i++) {
      length += distance(path.poses[i]!.pose.position, path.poses[i - 1]!.pose.position);
    }
    const goal = path.poses.at(-1)?.pose.position;
    const sameGoal = goal !== undefined && planGoal !== undefined && distance(goal, planGoal) < 0.01;
    planGoal = goal;
    const expectedLeft = planLeftM - (odometer.metres() - odometerAtPlan);
    if (sameGoal && length > expectedLeft + detourM) {
      emit({ kind: 'detour', extraM: length - expectedLeft, lengthM: length });
    }
    planLeftM = length;
    odometerAtPlan = odometer.metres();
  });
}
