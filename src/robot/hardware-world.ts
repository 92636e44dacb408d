/**
 * A real robot as a world: the drive base over a serial link and, on a floor, a lidar. Its
 * devices are checked before anything moves (`preflight`), each named as the operator gave it.
 * It has no localiser: the root then runs on odometry from the dock.
 */
import {
  probeDriveBase,
  startDriveBase,
  type ProbeResult,
  type RunningDriveBase,
  type SerialLink,
} from '../hardware/index.js';
import type { GraphContext } from '../ros/index.js';
import type { DeviceCheck, StartedWorld, World } from './world.js';

export interface HardwareWorldOptions {
  /** The drive-base board (johnny-five/Firmata with the drive-base firmware). */
  base: SerialLink;
  /** An RPLIDAR A1/A2; without one the world has no /scan (the workshop bench only). */
  lidar?: SerialLink;
}

export class HardwareWorld implements World {
  readonly describe: string;
  readonly provides;
  readonly #options: HardwareWorldOptions;
  #driveBase: RunningDriveBase | undefined;

  constructor(options: HardwareWorldOptions) {
    this.#options = options;
    const devices = [options.base.label, ...(options.lidar ? [options.lidar.label] : [])];
    this.describe = `a real robot: ${devices.join(', ')}`;
    this.provides = { scan: options.lidar !== undefined, localization: false } as const;
  }

  /** The drive base's driver, once started (the bring-up tool shows its telemetry and clears its stops). */
  get driveBase(): RunningDriveBase | undefined {
    return this.#driveBase;
  }

  async preflight(): Promise<DeviceCheck[]> {
    const { base } = this.#options;
    return Promise.all([check(base, probeDriveBase(base))]);
  }

  async start(graph: GraphContext): Promise<StartedWorld> {
    const driveBase = startDriveBase(graph.createNode('drive_base'), this.#options.base);
    this.#driveBase = driveBase;
    return {
      async stop() {
        driveBase.stop();
      },
    };
  }
}

async function check(link: SerialLink, probe: Promise<ProbeResult>): Promise<DeviceCheck> {
  const result = await probe;
  return { device: link.label, ok: result.ok, message: result.ok ? result.found : result.problem };
}
