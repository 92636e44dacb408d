/**
 * The navigator's inputs: the subscriptions to /scan, /odom, /people, /speed_limit, /base/state
 * and /safety/state, and the latest value of each with the time it arrived. Apart so that the
 * rules for what counts (stale odometry, people and scans are ignored; a malformed message is
 * dropped with one warning and never stops the node) sit in one place, readable without the
 * goal logic, and the rest of the navigator only asks for fresh values.
 */
import type { LaserScan, Odometry, People, RosNode, SpeedLimit } from '../ros/index.js';
import type { BaseState, SafetyState } from '../interfaces/index.js';
import { speedCapFromMsg } from './speed-limits.js';
import type { WarnOnce } from './warn-once.js';

/** The latest value of an input; older than the timeout it no longer counts. */
export class Latest<T> {
  #value: T | undefined;
  /** Node clock when it arrived, ns; -1 before the first one. */
  #atNs = -1n;

  constructor(private readonly timeoutNs: bigint) {}

  set(value: T, atNs: bigint): void {
    this.#value = value;
    this.#atNs = atNs;
  }

  /** The value if it arrived at most the timeout before `nowNs`, else undefined. */
  fresh(nowNs: bigint): T | undefined {
    return this.#atNs >= 0n && nowNs - this.#atNs <= this.timeoutNs ? this.#value : undefined;
  }
}

export interface NavInputsOptions {
  /** The robot's top speed, m/s: a /speed_limit given as a percentage is a share of it. */
  maxLinear: number;
  /** /scan, /odom and /people older than this are ignored, s. */
  inputTimeoutS: number;
  warnOnce: WarnOnce;
  /** Every well-formed-enough scan, when it arrives (the obstacle layer marks it). */
  onScan(scan: LaserScan): void;
  /** The safety gate reports the e-stop latched (any goal must end at once, not at the next tick). */
  onEstopLatched(): void;
}

/** A person in `map`: where, and how fast they walk (m/s; 0 when /people gave no finite velocity). */
export type PersonAt = { x: number; y: number; vx: number; vy: number };

export class NavInputs {
  readonly #node: RosNode;
  readonly #o: NavInputsOptions;
  readonly #scan: Latest<LaserScan>;
  readonly #odomSpeed: Latest<number>;
  readonly #people: Latest<PersonAt[]>;
  #speedCap = Infinity;
  #estopLatched = false;
  // No drive-base driver (the simulator): always there.
  #baseConnected = true;

  constructor(node: RosNode, o: NavInputsOptions) {
    this.#node = node;
    this.#o = o;
    const timeoutNs = BigInt(Math.round(o.inputTimeoutS * 1e9));
    this.#scan = new Latest(timeoutNs);
    this.#odomSpeed = new Latest(timeoutNs);
    this.#people = new Latest(timeoutNs);
    const guard = dropMalformed(o.warnOnce);
    node.createSubscription(
      'sensor_msgs/msg/LaserScan',
      '/scan',
      guard('/scan', (msg: LaserScan) => this.#onScan(msg)),
    );
    node.createSubscription(
      'nav_msgs/msg/Odometry',
      '/odom',
      guard('/odom', (msg: Odometry) => this.#onOdom(msg)),
    );
    node.createSubscription(
      'people_msgs/msg/People',
      '/people',
      guard('/people', (msg: People) => this.#onPeople(msg)),
    );
    node.createSubscription(
      'nav2_msgs/msg/SpeedLimit',
      '/speed_limit',
      guard('/speed_limit', (msg: SpeedLimit) => this.#onSpeedLimit(msg)),
    );
    // transient_local: the base's and the gate's current state at once, not only their next change.
    node.createSubscription(
      'medhjalparen_msgs/msg/BaseState',
      '/base/state',
      { qos: { durability: 'transient_local' } },
      guard('/base/state', (msg: BaseState) => this.#onBaseState(msg)),
    );
    node.createSubscription(
      'medhjalparen_msgs/msg/SafetyState',
      '/safety/state',
      { qos: { durability: 'transient_local' } },
      guard('/safety/state', (msg: SafetyState) => this.#onSafetyState(msg)),
    );
  }

  #onScan(msg: LaserScan): void {
    this.#scan.set(msg, this.#arrived());
    this.#o.onScan(msg);
  }

  #onOdom(msg: Odometry): void {
    const v = msg.twist.twist.linear.x;
    if (Number.isFinite(v)) this.#odomSpeed.set(v, this.#arrived());
  }

  #onPeople(msg: People): void {
    const people = peopleInMap(msg, this.#o.warnOnce);
    if (people) this.#people.set(people, this.#arrived());
  }

  #onSpeedLimit(msg: SpeedLimit): void {
    const cap = speedCapFromMsg(msg, this.#o.maxLinear);
    if (cap !== undefined) {
      this.#speedCap = cap;
      return;
    }
    this.#o.warnOnce(
      `speed-limit:${msg.percentage}:${msg.speed_limit}`,
      'ignoring a malformed /speed_limit',
      {
        percentage: msg.percentage,
        speed_limit: msg.speed_limit,
      },
    );
  }

  #onBaseState(msg: BaseState): void {
    this.#baseConnected = msg.connected === true;
  }

  #onSafetyState(msg: SafetyState): void {
    this.#estopLatched = msg.estop_latched === true;
    if (this.#estopLatched) this.#o.onEstopLatched();
  }

  #arrived(): bigint {
    return this.#node.now().nanoseconds;
  }

  /** Cap from /speed_limit, m/s; Infinity when none (or the last one said "no limit"). */
  get speedCap(): number {
    return this.#speedCap;
  }

  get estopLatched(): boolean {
    return this.#estopLatched;
  }

  get baseConnected(): boolean {
    return this.#baseConnected;
  }

  /** Forward speed from fresh odometry, m/s; undefined when there is none. */
  odomSpeed(nowNs: bigint): number | undefined {
    return this.#odomSpeed.fresh(nowNs);
  }

  /** People in `map` from a fresh /people; none when it is stale. */
  people(nowNs: bigint): readonly PersonAt[] {
    return this.#people.fresh(nowNs) ?? [];
  }

  /** The latest scan if it is fresh. */
  scan(nowNs: bigint): LaserScan | undefined {
    return this.#scan.fresh(nowNs);
  }
}

/** A malformed message is logged (once per topic) and dropped; it never stops the node. */
function dropMalformed(warnOnce: WarnOnce) {
  return <M>(topic: string, handle: (msg: M) => void) =>
    (msg: M) => {
      try {
        handle(msg);
      } catch (e) {
        warnOnce(`bad:${topic}`, `ignoring a malformed ${topic}`, {
          error: e instanceof Error ? e.message : String(e),
        });
      }
    };
}

/** The finite positions of a /people in `map`; undefined (and a warning) for any other frame. */
function peopleInMap(msg: People, warnOnce: WarnOnce): PersonAt[] | undefined {
  if (msg.header.frame_id !== 'map') {
    warnOnce(`people-frame:${msg.header.frame_id}`, 'ignoring /people not in the map frame', {
      frame: msg.header.frame_id,
    });
    return undefined;
  }
  return msg.people
    .filter((q) => Number.isFinite(q.position.x) && Number.isFinite(q.position.y))
    .map((q) => ({
      x: q.position.x,
      y: q.position.y,
      vx: finiteOr0(q.velocity?.x),
      vy: finiteOr0(q.velocity?.y),
    }));
}

function finiteOr0(v: number | undefined): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}
