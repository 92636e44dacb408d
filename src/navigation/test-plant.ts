/**
 * TEST-ONLY kinematic stand-in for the simulator's robot plant and lidar, for the navigator's
 * own tests (the real simulator lives in sim/ and must not be imported from src/). It
 * integrates /cmd_vel_nav as a perfect unicycle (no acceleration limits, no noise), publishes
 * /tf (map → odom identity, odom → base_link), /odom, and a 360-beam /scan ray-marched
 * against the map's walls plus boxes and discs the test places and removes.
 */
import { GridMap, CELL_OCCUPIED, CELL_FREE } from '../map/index.js';
import type { LaserScan, Pose2D, RosNode, Twist } from '../ros/index.js';
import { normalizeAngle, point, yawToQuaternion } from '../ros/index.js';

export interface Box {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}
export interface Disc {
  x: number;
  y: number;
  r: number;
}

const BEAMS = 360;
const RANGE_MAX = 12;
const SCAN_PERIOD_NS = 100_000_000n;

export class TestPlant {
  pose: Pose2D;
  readonly boxes: Box[] = [];
  readonly discs: Disc[] = [];
  /** Every command received, newest last. */
  readonly commands: Twist[] = [];
  /** Publish /tf at all (false: localisation lost). */
  publishTf = true;
  #cmd: Twist | undefined;
  #lastNs: bigint;
  #lastScanNs = -SCAN_PERIOD_NS;
  readonly #node: RosNode;
  readonly #tfPub;
  readonly #odomPub;
  readonly #scanPub;

  constructor(
    node: RosNode,
    readonly map: GridMap,
    start: Pose2D,
  ) {
    this.#node = node;
    this.pose = { ...start };
    this.#lastNs = node.now().nanoseconds;
    node.createSubscription('geometry_msgs/msg/Twist', '/cmd_vel_nav', (msg) => {
      this.#cmd = msg;
      this.commands.push(msg);
    });
    this.#tfPub = node.createPublisher('tf2_msgs/msg/TFMessage', '/tf');
    this.#odomPub = node.createPublisher('nav_msgs/msg/Odometry', '/odom');
    this.#scanPub = node.createPublisher('sensor_msgs/msg/LaserScan', '/scan');
  }

  get lastCommand(): Twist | undefined {
    return this.commands[this.commands.length - 1];
  }

  /** Integrates the latest command up to now and publishes tf, odom and (at 10 Hz) a scan. */
  step(): void {
    const now = this.#node.now();
    const dt = Number(now.nanoseconds - this.#lastNs) / 1e9;
    this.#lastNs = now.nanoseconds;
    const v = this.#cmd?.linear.x ?? 0;
    const w = this.#cmd?.angular.z ?? 0;
    const p = this.pose;
    this.pose = {
      x: p.x + v * dt * Math.cos(p.yaw + (w * dt) / 2),
      y: p.y + v * dt * Math.sin(p.yaw + (w * dt) / 2),
      yaw: normalizeAngle(p.yaw + w * dt),
    };
    const stamp = now.toMsg();
    if (this.publishTf) {
      this.#tfPub.publish({
        transforms: [
          {
            header: { stamp, frame_id: 'map' },
            child_frame_id: 'odom',
            transform: { translation: point(), rotation: yawToQuaternion(0) },
          },
          {
            header: { stamp, frame_id: 'odom' },
            child_frame_id: 'base_link',
            transform: {
              translation: point(this.pose.x, this.pose.y),
              rotation: yawToQuaternion(this.pose.yaw),
            },
          },
        ],
      });
    }
    this.#odomPub.publish({
      header: { stamp, frame_id: 'odom' },
      child_frame_id: 'base_link',
      pose: {
        pose: { position: point(this.pose.x, this.pose.y), orientation: yawToQuaternion(this.pose.yaw) },
        covariance: new Float64Array(36),
      },
      twist: { twist: { linear: point(v), angular: point(0, 0, w) }, covariance: new Float64Array(36) },
    });
    if (now.nanoseconds - this.#lastScanNs >= SCAN_PERIOD_NS) {
      this.#lastScanNs = now.nanoseconds;
      this.#scanPub.publish(this.scan(stamp));
    }
  }

  /** A scan from the current pose (beams march in quarter-cell steps). */
  scan(stamp = this.#node.now().toMsg()): LaserScan {
    const ranges = new Float32Array(BEAMS);
    const inc = (2 * Math.PI) / BEAMS;
    const stepM = this.map.resolution / 4;
    for (let b = 0; b < BEAMS; b++) {
      const a = this.pose.yaw - Math.PI + b * inc;
      const c = Math.cos(a);
      const s = Math.sin(a);
      let r = Infinity;
      for (let d = 0.12; d <= RANGE_MAX; d += stepM) {
        if (this.#hit(this.pose.x + d * c, this.pose.y + d * s)) {
          r = d;
          break;
        }
      }
      ranges[b] = r;
    }
    return {
      header: { stamp, frame_id: 'base_link' },
      angle_min: -Math.PI,
      angle_max: Math.PI - inc,
      angle_increment: inc,
      time_increment: 0,
      scan_time: 0.1,
      range_min: 0.12,
      range_max: RANGE_MAX,
      ranges,
      intensities: new Float32Array(BEAMS),
    };
  }

  #hit(x: number, y: number): boolean {
    if (!this.map.isFreeAt(x, y)) return true;
    for (const b of this.boxes) if (x >= b.minX && x <= b.maxX && y >= b.minY && y <= b.maxY) return true;
    for (const d of this.discs) if ((x - d.x) ** 2 + (y - d.y) ** 2 <= d.r * d.r) return true;
    return false;
  }
}

/**
 * A test floor from rows of text, top row first (as a map image): '#' wall, '.' free; each
 * character is `cell` metres square, drawn at the map's resolution `res`.
 */
export function gridFromText(rows: string[], cell: number, res = 0.05): GridMap {
  const k = Math.round(cell / res);
  const height = rows.length * k;
  const width = Math.max(...rows.map((r) => r.length)) * k;
  const data = new Int8Array(width * height);
  for (let tr = 0; tr < rows.length; tr++) {
    const row = rows[tr]!;
    for (let tc = 0; tc < width / k; tc++) {
      const v = row[tc] === '#' || row[tc] === undefined ? CELL_OCCUPIED : CELL_FREE;
      const r0 = (rows.length - 1 - tr) * k;
      for (let r = r0; r < r0 + k; r++) data.fill(v, r * width + tc * k, r * width + tc * k + k);
    }
  }
  return new GridMap(width, height, res, 0, 0, data);
}
