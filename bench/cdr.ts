/**
 * CDR encode and decode through the schema registry (src/ros/schemas), per message, for the
 * messages a recording and the live view carry most: a 720-beam LaserScan, an Odometry, a
 * GuideStatus and the sample site's OccupancyGrid. Beside each, the named peer: JSON.stringify and
 * JSON.parse of the same content (typed arrays as plain arrays, as a JSON bridge sends them; that
 * conversion is done once, outside the timing). Encode includes the check against the definition;
 * a row of the CDR writer alone shows what the check costs.
 */
import { parse } from '@foxglove/rosmsg';
import { MessageWriter } from '@foxglove/rosmsg2-serialization';
import { loadSite } from '../src/map/index.js';
import { schemaRegistry } from '../src/ros/schemas/index.js';
import type { MessageTypes } from '../src/ros/index.js';
import { Time } from '../src/ros/index.js';
import { measure, type BenchRow } from './harness.js';

const BENCH = 'CDR (schema registry)';
const SITE_DIR = 'maps/iso-omena';

interface Case {
  label: string;
  type: keyof MessageTypes;
  msg: unknown;
  /** Calls per timed sample: small messages are timed in batches, the clock being coarser than them. */
  batch: number;
  samples: number;
}

export async function run(): Promise<BenchRow[]> {
  const registry = schemaRegistry();
  const cases = await messages();
  const rows: BenchRow[] = [];
  for (const c of cases) {
    const bytes = registry.encode(c.type, c.msg);
    const plain = plainArrays(c.msg);
    const json = JSON.stringify(plain);
    const writer = new MessageWriter(parse(registry.schema(c.type).data, { ros2: true }));
    const us = (fn: () => void) => perCallUs(fn, c.batch, c.samples);
    const enc = us(() => registry.encode(c.type, c.msg));
    const dec = us(() => registry.decode(c.type, bytes));
    const writeOnly = us(() => writer.writeMessage(c.msg));
    const jsonEnc = us(() => JSON.stringify(plain));
    const jsonDec = us(() => JSON.parse(json));
    const row = (metric: string, value: number, unit = 'µs', note?: string): BenchRow =>
      note === undefined
        ? { bench: BENCH, metric, value, unit }
        : { bench: BENCH, metric, value, unit, note };
    rows.push(
      row(`${c.label} CDR encode p50`, enc, 'µs', `${bytes.byteLength} bytes of CDR, ${json.length} of JSON`),
      row(`${c.label} CDR encode p50, writer alone (no check)`, writeOnly),
      row(`${c.label} CDR decode p50`, dec),
      row(`${c.label} peer: JSON.stringify p50`, jsonEnc),
      row(`${c.label} peer: JSON.parse p50`, jsonDec),
      row(`${c.label} encode JSON/CDR`, jsonEnc / enc, '×'),
      row(`${c.label} decode JSON/CDR`, jsonDec / dec, '×'),
    );
  }
  return rows;
}

/** Median µs per call, from `samples` timings of `batch` calls each. */
function perCallUs(fn: () => void, batch: number, samples: number): number {
  const t = measure(
    () => {
      for (let i = 0; i < batch; i++) fn();
    },
    samples,
    Math.min(20, samples),
  );
  return (t.p50 * 1000) / batch;
}

async function messages(): Promise<Case[]> {
  const stamp = { sec: 1_700_000_000, nanosec: 123_456_789 };
  const header = (frame_id: string) => ({ stamp, frame_id });
  const ranges = Float32Array.from({ length: 720 }, (_, i) => 1 + 4 * Math.abs(Math.sin(i / 40)));
  const scan: MessageTypes['sensor_msgs/msg/LaserScan'] = {
    header: header('laser'),
    angle_min: -Math.PI,
    angle_max: Math.PI - (2 * Math.PI) / 720,
    angle_increment: (2 * Math.PI) / 720,
    time_increment: 0.1 / 720,
    scan_time: 0.1,
    range_min: 0.15,
    range_max: 12,
    ranges,
    intensities: new Float32Array(720).fill(47),
  };
  const odom: MessageTypes['nav_msgs/msg/Odometry'] = {
    header: header('odom'),
    child_frame_id: 'base_link',
    pose: {
      pose: { position: { x: 12.3, y: -4.5, z: 0 }, orientation: { x: 0, y: 0, z: 0.2588, w: 0.9659 } },
      covariance: Float64Array.from({ length: 36 }, (_, i) => (i % 7 === 0 ? 0.01 : 0)),
    },
    twist: {
      twist: { linear: { x: 0.8, y: 0, z: 0 }, angular: { x: 0, y: 0, z: 0.2 } },
      covariance: Float64Array.from({ length: 36 }, (_, i) => (i % 7 === 0 ? 0.02 : 0)),
    },
  };
  const status: MessageTypes['medhjalparen_msgs/msg/GuideStatus'] = {
    header: header('map'),
    state: 'escorting',
    request_id: 'r-0042',
    destination_id: 'kela',
    reason: '',
    why: "service housing-allowance: 'asumistuki' (fi)",
  };
  const site = await loadSite(SITE_DIR);
  const grid = site.map.toMsg(new Time(1_700_000_000_000_000_000n));
  return [
    { label: 'LaserScan (720 beams)', type: 'sensor_msgs/msg/LaserScan', msg: scan, batch: 50, samples: 400 },
    { label: 'Odometry', type: 'nav_msgs/msg/Odometry', msg: odom, batch: 200, samples: 400 },
    {
      label: 'GuideStatus',
      type: 'medhjalparen_msgs/msg/GuideStatus',
      msg: status,
      batch: 500,
      samples: 400,
    },
    {
      label: `OccupancyGrid (${SITE_DIR}, ${grid.info.width}×${grid.info.height})`,
      type: 'nav_msgs/msg/OccupancyGrid',
      msg: grid,
      batch: 1,
      samples: 60,
    },
  ];
}

/** The same content with typed arrays as plain arrays, as JSON carries them. */
function plainArrays(v: unknown): unknown {
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
  if (Array.isArray(v)) return v.map(plainArrays);
  if (typeof v === 'object' && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainArrays(x)]));
  }
  return v;
}
