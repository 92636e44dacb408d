/**
 * A hardware twin: the simulated floor behind real serial devices. The real drive-base firmware on
 * an emulated board and an emulated RPLIDAR each stand behind a pty pair, paced by the wall clock;
 * the board's wheels move the simulated robot and the lidar scans the simulated floor around it.
 * A controller started with `run --world hardware --base <pty> --lidar <pty>` cannot tell it from
 * a robot: it opens the devices with serialport as it would USB adapters. For bring-up without a
 * robot, and for testing the hardware world end to end.
 *
 * Everything here runs in real time by nature, paced by the emulators' real-time runner (the one
 * adapter between emulated and wall time); the physics is one more device on that runner.
 */
import {
  EmulatedBoard,
  EmulatedRplidar,
  PtyBridge,
  runRealtime,
  type RealtimeRun,
  type RplidarModelName,
} from '../firmware-bridge/emulator/index.js';
import { DEFAULT_HEX } from '../firmware-bridge/emulator/in-the-loop.js';
import type { Site } from '../src/map/index.js';
import { DEFAULT_ROBOT, type RobotDescription } from '../src/robot/index.js';
import type { Pose2D } from '../src/ros/index.js';
import { STEP_NS, STEP_S } from './simulator-world.js';
import { SimWorld } from './world.js';

export interface TwinOptions {
  site: Site;
  robot?: RobotDescription;
  seed?: number;
  /** The built drive-base firmware. Default firmware-bridge/build/drive.hex. */
  hexPath?: string;
  /**
   * Which RPLIDAR to emulate. Default 'A2': it switches its motor over the wire; an A1's motor
   * hangs on the adapter's DTR line, which a pty cannot carry.
   */
  lidarModel?: RplidarModelName;
}

export class HardwareTwin {
  readonly #bridges: readonly [PtyBridge<EmulatedBoard>, PtyBridge<EmulatedRplidar>];
  readonly #floor: RealtimeRun;

  private constructor(
    readonly physics: SimWorld,
    readonly board: EmulatedBoard,
    readonly lidar: EmulatedRplidar,
    bridges: readonly [PtyBridge<EmulatedBoard>, PtyBridge<EmulatedRplidar>],
    floor: RealtimeRun,
  ) {
    this.#bridges = bridges;
    this.#floor = floor;
  }

  /** The drive base's serial device, for `--base`. */
  get basePath(): string {
    return this.#bridges[0].hostPath;
  }

  /** The lidar's serial device, for `--lidar`. */
  get lidarPath(): string {
    return this.#bridges[1].hostPath;
  }

  /** Where the robot truly is. */
  robotPose(): Pose2D {
    return this.physics.robotPose();
  }

  static async start(options: TwinOptions): Promise<HardwareTwin> {
    const { site } = options;
    const physics = new SimWorld({
      site,
      robot: options.robot ?? DEFAULT_ROBOT,
      seed: options.seed ?? 1,
      robotStart: site.dock,
    });
    const board = await EmulatedBoard.fromHexFile(options.hexPath ?? DEFAULT_HEX);
    physics.plant.useWheelSpeeds(() => board.wheelSpeeds());
    const lidar = new EmulatedRplidar({ model: options.lidarModel ?? 'A2', ranges: scanLookup(physics) });
    const boardBridge = await PtyBridge.start(board);
    let lidarBridge: PtyBridge<EmulatedRplidar>;
    try {
      lidarBridge = await PtyBridge.start(lidar);
    } catch (e) {
      await boardBridge.close();
      throw e;
    }
    const floor = runRealtime(new FloorClock(physics));
    return new HardwareTwin(physics, board, lidar, [boardBridge, lidarBridge], floor);
  }

  async stop(): Promise<void> {
    await this.#floor.stop();
    await Promise.all(this.#bridges.map((b) => b.close()));
  }
}

/** The physics as a device on emulated time: it moves in the simulator's fixed steps. */
class FloorClock {
  #nowNs = 0n;
  #physicsNs = 0n;

  constructor(private readonly physics: SimWorld) {}

  nowNs(): bigint {
    return this.#nowNs;
  }

  advanceNs(ns: bigint): void {
    this.#nowNs += ns;
    while (this.#physicsNs + STEP_NS <= this.#nowNs) {
      this.physics.step(STEP_S);
      this.#physicsNs += STEP_NS;
    }
  }
}

/**
 * The lidar's range at a counter-clockwise angle from the robot's front: the nearest beam of a
 * simulated scan, taken afresh whenever the robot has moved a step (the RPLIDAR sits at the
 * robot's centre, facing forward).
 */
function scanLookup(physics: SimWorld): (angleRadCcw: number) => number {
  const { lidar } = physics;
  let ranges = physics.scan();
  let takenAt = physics.timeS;
  return (angle) => {
    if (physics.timeS !== takenAt) {
      ranges = physics.scan(ranges);
      takenAt = physics.timeS;
    }
    const i = Math.round((angle - lidar.angleMin) / lidar.angleIncrement);
    return ranges[((i % lidar.beams) + lidar.beams) % lidar.beams]!;
  };
}
