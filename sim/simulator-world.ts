/**
 * The simulator as a world plug-in: the floor's physics (SimWorld), the simulated clock, and the
 * simulator's node publishing what a real robot's devices would (scan, odometry, the stand-in
 * localiser, the rear camera's detections). Optionally the real drive-base firmware on an
 * emulated board drives the simulated wheels, through the same driver the real robot uses.
 *
 * The simulator owns the clock: `step()` moves the world, the clock and any board in the loop by
 * one fixed step; the caller then spins the graph (lockstep), so a seed gives the same run bit
 * for bit, as fast as the CPU allows.
 */
import { startDriveBase, type RunningDriveBase, type SerialLink } from '../src/hardware/index.js';
import type { Site } from '../src/map/index.js';
import type { DeviceCheck, StartedWorld, World } from '../src/robot/index.js';
import type { RobotDescription } from '../src/robot/index.js';
import { SimClock, nsToTimeMsg, type GraphContext, type Pose2D, type Publisher } from '../src/ros/index.js';
import { attachSimulator, type Simulator, type SimulatorOptions } from './sim-node.js';
import { SimWorld } from './world.js';

/** Physics and lockstep step: 10 ms of simulated time. */
export const STEP_NS = 10_000_000n;
export const STEP_S = 0.01;

/** What the simulator needs of a drive base in the loop (the emulated board with the real firmware). */
export interface DriveBaseInTheLoop {
  /** The board's serial link, as the driver opens it. */
  readonly link: SerialLink;
  /** Runs the board up to this time on the node clock. */
  advanceTo(clockNs: bigint): void;
  /** Wheel ground speeds right now, m/s. */
  wheelSpeeds(): { left: number; right: number };
  /** The battery's terminal voltage on the board's power input and battery pin (A0), V. */
  setBatteryVolts?(volts: number): void;
}

export interface SimulatorWorldOptions {
  site: Site;
  robot: RobotDescription;
  seed: number;
  /** The robot's true pose at the start, map frame. */
  robotStart: Pose2D;
  /** Simulated time at the start, ns since the epoch (opening hours are judged in it). */
  startNs: bigint;
  simulator?: SimulatorOptions;
  /** The real firmware drives the wheels instead of the ideal simulated base. */
  driveBase?: DriveBaseInTheLoop;
  /** The battery's true charge at the start, 0..1. Default 0.9 (sim/battery.ts DEFAULT_START_CHARGE). */
  batteryStartCharge?: number;
}

export class SimulatorWorld implements World {
  readonly describe: string;
  readonly provides: { readonly scan: true; readonly localization: boolean };
  readonly physics: SimWorld;
  readonly clock: SimClock;
  readonly #options: SimulatorWorldOptions;
  #simulator: Simulator | undefined;
  #clockPub: Publisher<'rosgraph_msgs/msg/Clock'> | undefined;
  #steps = 0;

  constructor(options: SimulatorWorldOptions) {
    this.#options = options;
    // The robot localises itself unless the perfect stand-in was asked for.
    this.provides = { scan: true, localization: options.simulator?.localization === 'perfect' };
    this.clock = new SimClock(options.startNs);
    this.physics = new SimWorld({
      site: options.site,
      robot: options.robot,
      seed: options.seed,
      robotStart: options.robotStart,
      ...(options.batteryStartCharge !== undefined ? { batteryStartCharge: options.batteryStartCharge } : {}),
    });
    const base = options.driveBase ? 'the emulated drive-base board in the loop' : 'the ideal simulated base';
    this.describe = `the simulated ${options.site.name} floor, ${base}`;
    if (options.driveBase) {
      const board = options.driveBase;
      this.physics.plant.useWheelSpeeds(() => board.wheelSpeeds());
      board.setBatteryVolts?.(this.physics.battery.voltage);
    }
  }

  /** The simulator's node, once started: who the escorted customer is. */
  get simulator(): Simulator {
    if (!this.#simulator) throw new Error('the simulator world has not been started');
    return this.#simulator;
  }

  /** Seconds of simulated time since the start. */
  get elapsedS(): number {
    return this.#steps * STEP_S;
  }

  /** Nothing to check: every device is simulated (the board in the loop is built and loaded already). */
  async preflight(): Promise<DeviceCheck[]> {
    return [];
  }

  async start(graph: GraphContext): Promise<StartedWorld> {
    const board = this.#options.driveBase;
    // The driver's node first, as on the real robot: it is up before anything commands it.
    const driveBase: RunningDriveBase | undefined = board
      ? startDriveBase(graph.createNode('drive_base'), board.link)
      : undefined;
    const node = graph.createNode('simulator');
    // With the board in the loop its driver reports the battery (the board's A0 follows the
    // pack each step), so the simulator publishes no second /battery.
    this.#simulator = attachSimulator(node, this.physics, {
      ...this.#options.simulator,
      ...(board ? { odometry: 'external', battery: 'external' } : {}),
    });
    this.#clockPub = node.createPublisher('rosgraph_msgs/msg/Clock', '/clock');
    return {
      stop: async () => {
        this.#simulator?.detach();
        driveBase?.stop();
      },
    };
  }

  /** One lockstep step: world, clock and board move on by STEP_NS; the caller spins the graph. */
  step(): void {
    this.physics.step(STEP_S);
    this.#steps++;
    this.clock.advanceTo(this.#options.startNs + BigInt(this.#steps) * STEP_NS);
    const board = this.#options.driveBase;
    board?.setBatteryVolts?.(this.physics.battery.voltage);
    board?.advanceTo(this.clock.nowNs());
    this.#clockPub?.publish({ clock: nsToTimeMsg(this.clock.nowNs()) });
  }
}
