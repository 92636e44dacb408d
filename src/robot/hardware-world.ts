/**
 * A real robot as a world: the drive base over a serial link and, on a floor, an RPLIDAR. Its
 * devices are checked before anything moves (`preflight`), each named as the operator gave it,
 * and the lidar's motor is switched the way its model needs (the A1 by the adapter's DTR line,
 * the A2/A3 by SET_MOTOR_PWM). It has no localiser of its own: the root localises it with AMCL on
 * the site's map (with a lidar), or on odometry from the dock (without one).
 */
import {
  LidarConnection,
  LidarError,
  RplidarDriver,
  createLidarNode,
  probeDriveBase,
  probeRplidar,
  startDriveBase,
  type LidarPort,
  type MotorControl,
  type RunningDriveBase,
  type SerialLink,
} from '../hardware/index.js';
import type { Clock, GraphContext, RosNode } from '../ros/index.js';
import type { DeviceCheck, StartedWorld, World, WorldStart } from './world.js';

export interface HardwareWorldOptions {
  /** The drive-base board (johnny-five/Firmata with the drive-base firmware). */
  base: SerialLink;
  /** An RPLIDAR A1/A2/A3; without one the world has no /scan (the workshop bench only). */
  lidar?: SerialLink;
}

export class HardwareWorld implements World {
  readonly describe: string;
  readonly provides;
  readonly #options: HardwareWorldOptions;
  #driveBase: RunningDriveBase | undefined;
  /** How the lidar found at preflight switches its motor (A1: DTR; others: PWM). */
  #lidarMotor: MotorControl = 'dtr';

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
    const { base, lidar } = this.#options;
    const baseCheck = probeDriveBase(base).then((r) =>
      check(base, r.ok ? r.found : undefined, r.ok ? '' : r.problem),
    );
    return Promise.all([baseCheck, ...(lidar ? [this.#probeLidar(lidar)] : [])]);
  }

  async start(graph: GraphContext, context: WorldStart): Promise<StartedWorld> {
    const node = (name: string) =>
      graph.createNode(name, '/', { parameterOverrides: context.params[name] ?? {} });
    const driveBase = startDriveBase(node('drive_base'), this.#options.base);
    this.#driveBase = driveBase;
    const lidar = this.#options.lidar
      ? startLidar(node('lidar'), this.#options.lidar, this.#lidarMotor)
      : undefined;
    return {
      async stop() {
        lidar?.stop();
        driveBase.stop();
      },
    };
  }

  async #probeLidar(link: SerialLink): Promise<DeviceCheck> {
    try {
      const found = await probeRplidar(link.label, { label: link.label, open: () => openLidar(link) });
      this.#lidarMotor = found.info.model >> 4 === 1 ? 'dtr' : 'pwm';
      const { model, firmwareMajor, firmwareMinor } = found.info;
      const name = `RPLIDAR A${model >> 4} (model 0x${model.toString(16)})`;
      return check(
        link,
        `${name}, firmware ${firmwareMajor}.${firmwareMinor}, health ${found.health.status}`,
        '',
      );
    } catch (e) {
      if (!(e instanceof LidarError)) throw e;
      return check(link, undefined, e.what);
    }
  }
}

/** The lidar's driver on the node clock, reconnecting through `link`, and its node publishing /scan. */
function startLidar(node: RosNode, link: SerialLink, motorControl: MotorControl): { stop(): void } {
  const clock: Clock = { nowNs: () => node.now().nanoseconds };
  const driver = new RplidarDriver(undefined, { clock, motorControl, name: link.label });
  const connection = new LidarConnection(driver, { clock, connect: () => openLidar(link) });
  return createLidarNode(node, connection);
}

function openLidar(link: SerialLink): Promise<LidarPort> {
  return link.open() as Promise<LidarPort>;
}

function check(link: SerialLink, found: string | undefined, problem: string): DeviceCheck {
  return { device: link.label, ok: found !== undefined, message: found ?? problem };
}
