/**
 * The simulator on the node graph: it publishes what the real robot's drivers will (scan,
 * odometry, transforms, the rear camera's detections, the battery) from the world's state, on node timers, and
 * hands /cmd_vel to the base. It never publishes /people: the robot finds people in the scan
 * itself (people_detector); the ground truth stays on the SimWorld (world.people()) for tests and
 * benchmarks. It never steps the world or the clock: the runner
 * does, in lockstep, so a seed gives the same messages every run.
 */
import {
  NS_PER_S,
  composePose,
  durationMsg,
  header,
  pose2dToPose,
  poseToPose2d,
  relativePose,
  yawToQuaternion,
  type BatteryState,
  type Odometry,
  type Pose2D,
  type RosNode,
  type Timer,
  type TimeMsg,
  type TransformStamped,
} from '../src/ros/index.js';
import { type CustomerFollow } from '../src/interfaces/index.js';
import { REAR_DETECTIONS_TOPIC, detectionsToMsg } from '../src/perception/index.js';
import type { SimBattery } from './battery.js';
import { SimCamera } from './camera.js';
import { SimError } from './errors.js';
import type { SimWorld } from './world.js';

export interface SimulatorOptions {
  /** Hz; default the robot description's lidar rate. */
  scanRateHz?: number;
  /** Hz, /odom and odom→base_link. */
  odomRateHz?: number;
  /** Hz, map→odom from the perfect stand-in localiser (localization: 'perfect'). */
  localizationRateHz?: number;
  /** Hz, /guide/customer. */
  customerRateHz?: number;
  /** The customer is seen up to this far from the robot, m. */
  customerRangeM?: number;
  /**
   * Who publishes /odom and odom→base_link: the simulator (default), or a drive-base driver in
   * the loop ('external'), whose /odom the stand-in localiser then reads.
   */
  odometry?: 'sim' | 'external';
  /**
   * How the robot learns where its customer is: 'camera' (default) publishes the rear camera's
   * face detections (the simulator's camera model: field of view, occlusion, misses and false
   * positives) for the robot's own perception to track; 'ground_truth' publishes /guide/customer
   * straight from the world (a stand-in for perception, for debugging the mission alone);
   * 'external' publishes neither: someone else publishes the rear detections (a real camera's
   * detector node in the loop).
   */
  customerSignal?: 'camera' | 'ground_truth' | 'external';
  /**
   * Who publishes map → odom: 'amcl' (default) leaves it to the robot's own localiser, which
   * must earn the pose from the scans; 'perfect' stands in for it with the ground truth
   * (map → odom = truth ∘ odom⁻¹), for unit tests of parts that need an exact pose.
   */
  localization?: 'perfect' | 'amcl';
  /**
   * Who publishes /battery: the simulator (default: the ideal base, with a current sensor and
   * a charger that says when it charges), or a drive-base driver in the loop ('external'), whose
   * board measures the pack's voltage on its own battery pin.
   */
  battery?: 'sim' | 'external';
  /** Hz, /battery. */
  batteryRateHz?: number;
}

export const DEFAULT_SIMULATOR_OPTIONS: Required<Omit<SimulatorOptions, 'scanRateHz'>> = {
  odometry: 'sim',
  customerSignal: 'camera',
  localization: 'amcl',
  battery: 'sim',
  batteryRateHz: 1,
  odomRateHz: 50,
  localizationRateHz: 10,
  customerRateHz: 10,
  customerRangeM: 8,
};

export interface Simulator {
  /** Which person is the escorted customer (undefined: none; /guide/customer says unbound). */
  bindCustomer(id: string | undefined): void;
  /** The bound customer's id, if any. */
  readonly customerId: string | undefined;
  /** Stops the timers (the node's publishers stay with the node). */
  detach(): void;
}

// Covariances: diagonal, small, honest about odometry being good short-term only.
const ODOM_POSE_VARIANCE = [1e-4, 1e-4, 1e6, 1e6, 1e6, 4e-4] as const;
const ODOM_TWIST_VARIANCE = [1e-4, 1e6, 1e6, 1e6, 1e6, 1e-3] as const;

export function attachSimulator(node: RosNode, world: SimWorld, opts: SimulatorOptions = {}): Simulator {
  const o = { ...DEFAULT_SIMULATOR_OPTIONS, scanRateHz: world.robot.lidar.rate, ...opts };
  const scanPub = node.createPublisher('sensor_msgs/msg/LaserScan', '/scan');
  const odomPub = node.createPublisher('nav_msgs/msg/Odometry', '/odom');
  const tfPub = node.createPublisher('tf2_msgs/msg/TFMessage', '/tf');
  const customerPub = node.createPublisher('medhjalparen_msgs/msg/CustomerFollow', '/guide/customer');
  node.createSubscription('geometry_msgs/msg/Twist', '/cmd_vel', (cmd) => world.setCommand(cmd));

  const lidar = world.lidar;
  const scanTimeS = 1 / o.scanRateHz;
  const publishScan = () => {
    if (world.lidarQuiet) return; // a scenario's fault: the lidar has gone quiet
    scanPub.publish({
      header: header('base_link', node.now()),
      angle_min: lidar.angleMin,
      angle_max: lidar.angleMin + (lidar.beams - 1) * lidar.angleIncrement,
      angle_increment: lidar.angleIncrement,
      // The simulated sweep is instantaneous: no motion skew to undo.
      time_increment: 0,
      scan_time: scanTimeS,
      range_min: lidar.rangeMin,
      range_max: lidar.rangeMax,
      ranges: world.scan(),
      intensities: new Float32Array(0),
    });
  };

  const publishOdometry = () => {
    const stamp = node.now();
    const pose = world.odomPose();
    const vel = world.odomVelocity();
    const msg: Odometry = {
      header: header('odom', stamp),
      child_frame_id: 'base_link',
      pose: { pose: pose2dToPose(pose), covariance: diagonal(ODOM_POSE_VARIANCE) },
      twist: {
        twist: { linear: { x: vel.v, y: 0, z: 0 }, angular: { x: 0, y: 0, z: vel.w } },
        covariance: diagonal(ODOM_TWIST_VARIANCE),
      },
    };
    odomPub.publish(msg);
    tfPub.publish({ transforms: [transform('odom', 'base_link', stamp, pose)] });
  };

  // Stands in for AMCL: a perfect localiser, map→odom = truth ∘ odom⁻¹, so map→base_link is the
  // true pose whenever both transforms are fresh.
  let externalOdom: Pose2D | undefined;
  if (o.odometry === 'external') {
    node.createSubscription(
      'nav_msgs/msg/Odometry',
      '/odom',
      (msg) => (externalOdom = poseToPose2d(msg.pose.pose)),
    );
  }
  const publishLocalization = () => {
    const odom = o.odometry === 'external' ? externalOdom : world.odomPose();
    if (!odom) return; // the driver has not reported odometry yet: no localisation either
    const mapToOdom = composePose(world.robotPose(), relativePose(odom, { x: 0, y: 0, yaw: 0 }));
    tfPub.publish({ transforms: [transform('map', 'odom', node.now(), mapToOdom)] });
  };

  // Stands in for perception: the bound customer is seen when close, behind the robot (the
  // rear camera's half plane) and not hidden by a wall. Other people do not hide them.
  let customerId: string | undefined;
  let boundAtNs = 0n;
  let lastSeenNs: bigint | undefined;
  let lastDistance = 0;
  const publishCustomer = () => {
    const now = node.now();
    const msg: CustomerFollow = {
      header: header('base_link', now),
      bound: customerId !== undefined,
      visible: false,
      distance_behind: 0,
      lost_for: durationMsg(0),
    };
    if (customerId !== undefined) {
      const person = world.person(customerId);
      if (person) {
        const robot = world.robotPose();
        const rel = relativePose(robot, { x: person.x, y: person.y, yaw: 0 });
        const distance = Math.hypot(rel.x, rel.y);
        const seen = distance <= o.customerRangeM && rel.x <= 0 && world.lineOfSight(robot, person);
        if (seen) {
          lastSeenNs = now.nanoseconds;
          lastDistance = distance;
        }
        msg.visible = seen;
      }
      msg.distance_behind = lastDistance;
      const since = lastSeenNs ?? boundAtNs;
      msg.lost_for = durationMsg(Number(now.nanoseconds - since) / 1e9);
    }
    customerPub.publish(msg);
  };

  const batteryPub =
    o.battery === 'sim' ? node.createPublisher('sensor_msgs/msg/BatteryState', '/battery') : undefined;
  const publishBattery = () =>
    batteryPub?.publish(batteryStateMessage(world.battery, node.now().toMsg(), 'base_link'));

  const camera = new SimCamera(world.rng.fork('camera'));
  const facesPub =
    o.customerSignal === 'camera'
      ? node.createPublisher('vision_msgs/msg/Detection2DArray', REAR_DETECTIONS_TOPIC)
      : undefined;
  const publishCameraFaces = () => {
    const stamp = node.now();
    facesPub?.publish(
      detectionsToMsg(camera.capture(world, stamp.nanoseconds), stamp.toMsg(), 'rear_camera', camera.camera),
    );
  };

  // The rate is checked whatever the signal, so a bad option fails the same way every time.
  const customerPeriodNs = periodNs(o.customerRateHz, 'customerRateHz');
  const CUSTOMER_SIGNAL: Record<NonNullable<SimulatorOptions['customerSignal']>, (() => void) | undefined> = {
    camera: publishCameraFaces,
    ground_truth: publishCustomer,
    external: undefined,
  };
  const publishCustomerSignal = CUSTOMER_SIGNAL[o.customerSignal];

  const timers: Timer[] = [
    node.createTimer(periodNs(o.scanRateHz, 'scanRateHz'), publishScan),
    ...(o.odometry === 'sim'
      ? [node.createTimer(periodNs(o.odomRateHz, 'odomRateHz'), publishOdometry)]
      : []),
    ...(o.localization === 'perfect'
      ? [node.createTimer(periodNs(o.localizationRateHz, 'localizationRateHz'), publishLocalization)]
      : []),
    ...(publishCustomerSignal ? [node.createTimer(customerPeriodNs, publishCustomerSignal)] : []),
    ...(batteryPub ? [node.createTimer(periodNs(o.batteryRateHz, 'batteryRateHz'), publishBattery)] : []),
  ];

  return {
    bindCustomer(id: string | undefined) {
      if (id !== undefined && !world.person(id)) {
        throw new SimError(
          'UNKNOWN_ID',
          `bindCustomer('${id}')`,
          'expected a person in the world, found none',
        );
      }
      customerId = id;
      boundAtNs = node.now().nanoseconds;
      lastSeenNs = undefined;
      lastDistance = 0;
    },
    get customerId() {
      return customerId;
    },
    detach() {
      for (const t of timers) t.cancel();
    },
  };
}

/**
 * /battery as the ideal base reports it: what a board with a shunt current sensor and a charger
 * with a status line would measure (voltage, current, charging or not), nothing it could not:
 * no charge and no percentage (a bare pack has no fuel gauge; the robot estimates its charge,
 * src/power), capacity as on the pack's label.
 */
export function batteryStateMessage(battery: SimBattery, stamp: TimeMsg, frameId: string): BatteryState {
  const r = battery.reading();
  return {
    header: { stamp, frame_id: frameId },
    voltage: r.voltage,
    temperature: NaN,
    current: r.current,
    charge: NaN,
    capacity: battery.capacityAh,
    design_capacity: battery.capacityAh,
    percentage: NaN,
    power_supply_status: r.powerSupplyStatus,
    power_supply_health: POWER_SUPPLY_HEALTH_GOOD,
    power_supply_technology: POWER_SUPPLY_TECHNOLOGY_LION,
    present: true,
    cell_voltage: new Float32Array(0),
    cell_temperature: new Float32Array(0),
    location: 'base',
    serial_number: '',
  };
}

/** sensor_msgs/msg/BatteryState constants. */
const POWER_SUPPLY_HEALTH_GOOD = 1;
const POWER_SUPPLY_TECHNOLOGY_LION = 2;

function transform(
  parent: string,
  child: string,
  stamp: ReturnType<RosNode['now']>,
  p: Pose2D,
): TransformStamped {
  return {
    header: header(parent, stamp),
    child_frame_id: child,
    transform: { translation: { x: p.x, y: p.y, z: 0 }, rotation: yawToQuaternion(p.yaw) },
  };
}

function diagonal(values: readonly number[]): Float64Array {
  const m = new Float64Array(36);
  for (let i = 0; i < 6; i++) m[i * 7] = values[i]!;
  return m;
}

function periodNs(hz: number, field: string): bigint {
  if (!(hz > 0) || !Number.isFinite(hz)) {
    throw new SimError(
      'BAD_NUMBER',
      `attachSimulator options.${field}`,
      `expected a positive rate, found ${hz}`,
    );
  }
  return (NS_PER_S * 1_000_000n) / BigInt(Math.round(hz * 1_000_000));
}
