/**
 * Driving by hand, with a deadman on the node clock: a command drives for TELEOP_VALID_MS and is
 * repeated on /cmd_vel_teleop at 20 Hz only while it is valid; letting go, expiry, release and the
 * holder leaving each send a zero at once. Only the holder drives. The safety gate behind
 * /cmd_vel_teleop still limits every command (speed, stop zone, e-stop).
 */
import { twist, type Publisher, type RosNode } from '../../ros/index.js';
import { TELEOP_VALID_MS } from '../protocol.js';

const REPEAT_PERIOD_NS = 50_000_000n;
const NS_PER_MS = 1_000_000n;

export interface TeleopHolder {
  /** Identifies the holder's session (never shown). */
  key: string;
  /** The operator's name, shown to others. */
  name: string;
}

export class TeleopDeadman {
  readonly #node: RosNode;
  readonly #pub: Publisher<'geometry_msgs/msg/Twist'>;
  readonly #validNs: bigint;
  #holder: TeleopHolder | undefined;
  #command = { linear: 0, angular: 0 };
  #validUntilNs = 0n;
  #driving = false;
  readonly #timer;
  /**
   * Taking teleop paused an idle mission (routes-teleop.ts); releasing resumes it. Resuming the
   * mission by hand, or pausing it, clears this: the operator's explicit word wins.
   */
  pausedMission = false;

  constructor(node: RosNode, validMs = TELEOP_VALID_MS) {
    this.#node = node;
    this.#validNs = BigInt(validMs) * NS_PER_MS;
    this.#pub = node.createPublisher('geometry_msgs/msg/Twist', '/cmd_vel_teleop');
    this.#timer = node.createTimer(REPEAT_PERIOD_NS, () => this.#repeat());
  }

  get holder(): TeleopHolder | undefined {
    return this.#holder;
  }
  get driving(): boolean {
    return this.#driving;
  }

  take(holder: TeleopHolder): void {
    if (this.#holder && this.#holder.key !== holder.key) this.stop();
    this.#holder = holder;
  }

  /** Lets go of teleop (only its holder's key, when given). True when it was held. */
  release(key?: string): boolean {
    if (!this.#holder || (key !== undefined && this.#holder.key !== key)) return false;
    this.#holder = undefined;
    this.stop();
    return true;
  }

  /** A command from `key`; false (and nothing moves) unless `key` holds teleop. */
  command(key: string, linear: number, angular: number): boolean {
    if (this.#holder?.key !== key || !Number.isFinite(linear) || !Number.isFinite(angular)) return false;
    this.#command = { linear, angular };
    this.#validUntilNs = this.#node.now().nanoseconds + this.#validNs;
    this.#driving = true;
    this.#pub.publish(twist(linear, angular));
    return true;
  }

  /** A zero now (the stick let go, a socket closed). Only the holder's key stops it, when given. */
  stop(key?: string): void {
    if (key !== undefined && this.#holder?.key !== key) return;
    this.#validUntilNs = 0n;
    this.#driving = false;
    this.#command = { linear: 0, angular: 0 };
    this.#pub.publish(twist());
  }

  dispose(): void {
    this.#timer.cancel();
    if (this.#driving) this.stop();
  }

  #repeat(): void {
    if (!this.#driving) return;
    if (this.#node.now().nanoseconds < this.#validUntilNs) {
      this.#pub.publish(twist(this.#command.linear, this.#command.angular));
    } else {
      this.stop(); // the deadman: nothing renewed the command in time
    }
  }
}
