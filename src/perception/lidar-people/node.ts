/**
 * The `people_detector` node: /scan in, people_msgs/msg/People on /people out, in the map frame,
 * once per scan. The scan is placed in map with TF (map → the scan's frame, as the localiser
 * publishes it); a scan without a fresh transform, or a malformed one, is dropped with one
 * warning and publishes nothing, so consumers see /people go stale rather than an empty floor.
 */
import type { GridMap } from '../../map/index.js';
import type { LaserScan, People, RosNode } from '../../ros/index.js';
import { TransformBuffer, declareParams } from '../../ros/index.js';
import { LidarPeopleDetector } from './detector.js';
import { LIDAR_PEOPLE_DEFAULTS } from './params.js';
import type { TrackedPerson } from './people-tracker.js';

export const PEOPLE_TOPIC = '/people';

export interface LidarPeopleNodeOptions {
  /** The site's occupancy grid (the static map mask). */
  map: GridMap;
  /** The map's distance field when the caller has it already. */
  distanceField?: Float32Array;
}

export interface LidarPeopleNode {
  stop(): void;
  /** Scans used, and scans dropped by reason. */
  stats(): { scans: number; dropped: Record<string, number> };
}

export function createLidarPeopleNode(node: RosNode, o: LidarPeopleNodeOptions): LidarPeopleNode {
  const params = declareParams(node, '', LIDAR_PEOPLE_DEFAULTS);
  const detector = new LidarPeopleDetector({
    map: o.map,
    params,
    ...(o.distanceField ? { distanceField: o.distanceField } : {}),
  });
  const toleranceNs = BigInt(Math.round(params.transform_tolerance * 1e9));
  const tf = TransformBuffer.listen(node);
  const pub = node.createPublisher('people_msgs/msg/People', PEOPLE_TOPIC);
  const log = node.getLogger();
  const warned = new Set<string>();
  const dropped: Record<string, number> = {};
  let scans = 0;
  let stopped = false;

  const drop = (reason: string, fields: Record<string, unknown> = {}) => {
    dropped[reason] = (dropped[reason] ?? 0) + 1;
    if (warned.has(reason)) return;
    warned.add(reason);
    log.warn(`people_detector: dropping a scan (${reason})`, fields);
  };

  const onScan = (scan: LaserScan) => {
    if (stopped) return;
    const frame = scan?.header?.frame_id;
    const at = typeof frame === 'string' ? tf.lookup('map', frame) : undefined;
    if (!at) return drop('no_transform', { frame: String(frame) });
    if (node.now().nanoseconds - at.stampNs > toleranceNs) return drop('stale_transform');
    const got = detector.process(scan, at.pose);
    if (typeof got === 'string') return drop(got);
    scans++;
    pub.publish(peopleMsg(got.people, scan.header.stamp));
  };

  node.createSubscription('sensor_msgs/msg/LaserScan', '/scan', (scan: LaserScan) => {
    try {
      onScan(scan);
    } catch (e) {
      drop('malformed', { error: e instanceof Error ? e.message : String(e) });
    }
  });

  return {
    stop() {
      stopped = true;
    },
    stats: () => ({ scans, dropped: { ...dropped } }),
  };
}

/** Tracks as people_msgs people in map: `name` is the track's stable id. */
export function peopleMsg(people: readonly TrackedPerson[], stamp: LaserScan['header']['stamp']): People {
  return {
    header: { stamp: { sec: stamp.sec, nanosec: stamp.nanosec }, frame_id: 'map' },
    people: people.map((t) => ({
      name: `lidar-${t.id}`,
      position: { x: t.x, y: t.y, z: 0 },
      velocity: { x: t.vx, y: t.vy, z: 0 },
      reliability: t.reliability,
      tagnames: ['kind'],
      tags: [t.kind],
    })),
  };
}
