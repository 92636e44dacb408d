/**
 * What the fleet needs to know of one robot, read off its graph like any other observer: its pose
 * (map → base_link), the mission's state and reason, the battery (the console's own charge view),
 * localisation, the e-stop and faults. Codes and numbers only: nothing a customer said.
 */
import type { GuideStatus, LocalizationStatus, SafetyState } from '../../interfaces/index.js';
import { BatteryView } from '../../console/bridge/battery.js';
import type { RobotDescription } from '../../robot/index.js';
import { TransformBuffer, type BatteryState, type DiagnosticArray, type RosNode } from '../../ros/index.js';
import type { RobotState } from '../protocol.js';

const LATCHED = { qos: { durability: 'transient_local' as const } };
const MAX_FAULTS = 20;
/** States in which the robot would take a fleet task at once (home or going home). */
const TAKES_WORK = new Set(['idle', 'returning', 'docking']);
/** Charge below which it takes no fleet task (the mission's own low mark, guide.low_charge). */
export const FLEET_LOW_CHARGE = 0.25;
/** Charging robots take work again from here (the mission's resume mark). */
export const FLEET_RESUME_CHARGE = 0.6;

export type WatchedState = Omit<RobotState, 'v' | 'robot' | 'site' | 'seq' | 'boot' | 'stampMs'>;

export class RobotWatch {
  readonly #tf: TransformBuffer;
  readonly #battery: BatteryView;
  #status: GuideStatus | undefined;
  #localization: RobotState['localization'] = 'unknown';
  #estop = false;
  readonly #faults = new Map<string, string>();

  constructor(node: RosNode, robot: RobotDescription, timeZone: string) {
    this.#tf = TransformBuffer.listen(node);
    this.#battery = new BatteryView(robot, timeZone);
    node.createSubscription('medhjalparen_msgs/msg/GuideStatus', '/guide/status', (s: GuideStatus) => {
      this.#status = s;
      this.#battery.missionReason(s.reason);
    });
    node.createSubscription('sensor_msgs/msg/BatteryState', '/battery', (b: BatteryState) =>
      this.#battery.reading(node.now().nanoseconds, b),
    );
    node.createSubscription('nav_msgs/msg/Odometry', '/odom', (o) =>
      this.#battery.motion(node.now().nanoseconds, o.twist.twist.linear.x, o.twist.twist.angular.z),
    );
    node.createSubscription(
      'medhjalparen_msgs/msg/LocalizationStatus',
      '/localization/status',
      (l: LocalizationStatus) => (this.#localization = localizationOf(l.state)),
    );
    node.createSubscription(
      'medhjalparen_msgs/msg/SafetyState',
      '/safety/state',
      LATCHED,
      (s: SafetyState) => {
        this.#estop = s.estop_latched === true;
      },
    );
    node.createSubscription('diagnostic_msgs/msg/DiagnosticArray', '/diagnostics', (d: DiagnosticArray) => {
      for (const s of d.status ?? []) {
        if (s.level === 0) this.#faults.delete(s.name);
        else if (this.#faults.size < MAX_FAULTS || this.#faults.has(s.name))
          this.#faults.set(s.name, `${s.name}:${s.level >= 2 ? 'error' : 'warn'}`);
      }
    });
  }

  /** The robot now; `task` is the fleet task it works on ('' for none). */
  state(nowNs: bigint, task: string): WatchedState {
    this.#battery.check(nowNs);
    const pose = this.#tf.lookup('map', 'base_link')?.pose;
    const s = this.#status;
    const b = this.#battery.view();
    const charge = b && b.percentage >= 0 ? b.percentage / 100 : null;
    const state: WatchedState = {
      pose: pose ? { x: round(pose.x), y: round(pose.y), yaw: round(pose.yaw) } : null,
      mission: {
        state: s?.state ?? 'unknown',
        reason: s?.reason ?? '',
        destination: s?.destination_id ?? '',
        task,
      },
      battery: { charge, charging: b?.charging ?? false, reliable: b?.trusted ?? false },
      localization: this.#localization,
      estop: this.#estop,
      faults: [...this.#faults.values()].map((f) => f.slice(0, 80)),
      available: false,
    };
    return { ...state, available: task === '' && takesWork(state) };
  }
}

/** Whether a robot in this state would take a fleet task now. */
export function takesWork(s: Pick<WatchedState, 'mission' | 'battery' | 'localization' | 'estop'>): boolean {
  if (s.estop || s.localization === 'lost') return false;
  const charge = s.battery.charge;
  if (charge === null || !s.battery.reliable) return false;
  if (s.mission.state === 'charging') return charge >= FLEET_RESUME_CHARGE;
  return TAKES_WORK.has(s.mission.state) && charge >= FLEET_LOW_CHARGE;
}

function localizationOf(state: string): RobotState['localization'] {
  return state === 'ok' || state === 'uncertain' || state === 'lost' ? state : 'unknown';
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
