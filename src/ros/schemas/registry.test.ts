import { parse } from '@foxglove/rosmsg';
import { describe, expect, it } from 'vitest';
import { GENERATED_MESSAGE_TYPE_NAMES } from '../../interfaces/generated/ros-types.js';
import type { MessageTypes } from '../messages.js';
import { SchemaError, schemaRegistry, type Definition } from './index.js';

const registry = schemaRegistry();

/** The error `fn` throws, which must be a SchemaError. */
function schemaErrorOf(fn: () => unknown): SchemaError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SchemaError);
    return err as SchemaError;
  }
  throw new Error('expected a SchemaError, nothing was thrown');
}

/**
 * A message of `type` with every field set to a value unlike its neighbours' (numbers count up,
 * strings name their field, arrays hold two elements or their fixed length), so a field written
 * to or read from the wrong place shows.
 */
function filled(type: string, counter = { n: 1 }): Record<string, unknown> {
  const def: Definition = registry.interfaces().definitions.get(type)!;
  const msg: Record<string, unknown> = {};
  for (const f of def.fields) {
    if (f.isConstant) continue;
    const count = f.arrayLength ?? Math.min(2, f.arrayUpperBound ?? 2);
    const one = () => (f.isComplex ? filled(f.type, counter) : scalar(f.type, f.name, counter.n++));
    if (!f.isArray) msg[f.name] = one();
    else if (TYPED[f.type]) msg[f.name] = TYPED[f.type]!(Array.from({ length: count }, () => counter.n++));
    else msg[f.name] = Array.from({ length: count }, one);
  }
  return msg;
}
const TYPED: Record<string, (v: number[]) => unknown> = {
  int8: (v) => Int8Array.from(v, (x) => (x % 200) - 100),
  uint8: (v) => Uint8Array.from(v, (x) => x % 256),
  int16: (v) => Int16Array.from(v),
  uint16: (v) => Uint16Array.from(v),
  int32: (v) => Int32Array.from(v, (x) => -x),
  uint32: (v) => Uint32Array.from(v),
  int64: (v) => BigInt64Array.from(v, (x) => BigInt(-x)),
  uint64: (v) => BigUint64Array.from(v, (x) => BigInt(x)),
  float32: (v) => Float32Array.from(v, (x) => x + 0.5),
  float64: (v) => Float64Array.from(v, (x) => x + 0.25),
};
function scalar(type: string, name: string, n: number): unknown {
  switch (type) {
    case 'bool':
      return n % 2 === 0;
    case 'string':
      return `${name} ${n} ✓`;
    case 'time':
    case 'duration':
      return { sec: n, nanosec: n * 1000 };
    case 'int8':
      return (n % 200) - 100;
    case 'uint8':
      return n % 256;
    case 'int64':
    case 'uint64':
      return BigInt(n);
    case 'float32':
      return n + 0.5; // exact in float32
    case 'float64':
      return n + 0.1;
    default:
      return n; // int16..uint32
  }
}

const header = { stamp: { sec: 1_700_000_000, nanosec: 250_000_000 }, frame_id: 'map' };
const odometry: MessageTypes['nav_msgs/msg/Odometry'] = {
  header,
  child_frame_id: 'base_link',
  pose: {
    pose: { position: { x: 1.5, y: -2, z: 0 }, orientation: { x: 0, y: 0, z: 0.38268343, w: 0.92387953 } },
    covariance: Float64Array.from({ length: 36 }, (_, i) => (i % 7 === 0 ? 0.01 : 0)),
  },
  twist: {
    twist: { linear: { x: 0.8, y: 0, z: 0 }, angular: { x: 0, y: 0, z: 0.3 } },
    covariance: new Float64Array(36),
  },
};

describe('the schema registry', () => {
  it('has a schema for every message type the generated map lists, and every one parses back', () => {
    expect(GENERATED_MESSAGE_TYPE_NAMES.length).toBeGreaterThan(50);
    for (const type of GENERATED_MESSAGE_TYPE_NAMES) {
      expect(registry.has(type), type).toBe(true);
      const schema = registry.schema(type);
      expect(schema).toMatchObject({ name: type, encoding: 'ros2msg' });
      // What a Foxglove client or an MCAP reader does with the Schema record.
      const defs = parse(schema.data, { ros2: true });
      expect(defs[0]!.name, type).toBeUndefined();
    }
  });

  it('lists services and actions by their parts', () => {
    expect(registry.types()).toEqual(
      expect.arrayContaining(['std_srvs/srv/SetBool_Request', 'nav2_msgs/action/Spin_Goal']),
    );
    expect(registry.has('std_srvs/srv/SetBool')).toBe(false);
  });

  it.each([...GENERATED_MESSAGE_TYPE_NAMES])('round-trips a filled %s through CDR', (type) => {
    const msg = filled(type);
    expect(registry.decode(type, registry.encode(type, msg))).toEqual(msg);
  });

  it('round-trips service and action parts', () => {
    for (const type of registry.types().filter((t) => !t.includes('/msg/'))) {
      const msg = filled(type);
      expect(registry.decode(type, registry.encode(type, msg)), type).toEqual(msg);
    }
  });

  it('gives numeric arrays back as the typed arrays the TypeScript shapes name', () => {
    const decoded = registry.decode(
      'nav_msgs/msg/Odometry',
      registry.encode('nav_msgs/msg/Odometry', odometry),
    );
    expect(decoded).toEqual(odometry);
    const odom = decoded as MessageTypes['nav_msgs/msg/Odometry'];
    expect(odom.pose.covariance).toBeInstanceOf(Float64Array);
    const grid = registry.decode(
      'nav_msgs/msg/OccupancyGrid',
      registry.encode('nav_msgs/msg/OccupancyGrid', filled('nav_msgs/msg/OccupancyGrid')),
    );
    expect((grid as MessageTypes['nav_msgs/msg/OccupancyGrid']).data).toBeInstanceOf(Int8Array);
    const image = registry.decode(
      'sensor_msgs/msg/Image',
      registry.encode('sensor_msgs/msg/Image', filled('sensor_msgs/msg/Image')),
    );
    expect((image as MessageTypes['sensor_msgs/msg/Image']).data).toBeInstanceOf(Uint8Array);
    const scan = registry.decode(
      'sensor_msgs/msg/LaserScan',
      registry.encode('sensor_msgs/msg/LaserScan', filled('sensor_msgs/msg/LaserScan')),
    );
    expect((scan as MessageTypes['sensor_msgs/msg/LaserScan']).ranges).toBeInstanceOf(Float32Array);
  });

  it('writes little-endian plain CDR as ROS 2 does: header 00 01 00 00, then the fields aligned', () => {
    const bytes = registry.encode('std_msgs/msg/String', { data: 'hi' });
    // header, uint32 length 3 (with the NUL), 'h' 'i' NUL
    expect([...bytes]).toEqual([0, 1, 0, 0, 3, 0, 0, 0, 0x68, 0x69, 0]);
    // An empty message is one placeholder byte, as rosidl generates it.
    expect([...registry.encode('std_msgs/msg/Empty', {})]).toEqual([0, 1, 0, 0, 0]);
  });

  it('reads big-endian CDR too', () => {
    const bytes = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 3, 0x68, 0x69, 0]);
    expect(registry.decode('std_msgs/msg/String', bytes)).toEqual({ data: 'hi' });
  });
});

describe('encode refuses a message that does not fit its type, naming the field', () => {
  /** The Odometry above with the field at `path` set to `value` (removed when undefined). */
  const odom = (path: string, value: unknown): unknown => {
    const m = structuredClone(odometry) as unknown as Record<string, unknown>;
    const keys = path.split('.');
    let o = m;
    for (const k of keys.slice(0, -1)) o = o[k] as Record<string, unknown>;
    if (value === undefined) delete o[keys[keys.length - 1]!];
    else o[keys[keys.length - 1]!] = value;
    return m;
  };
  it.each([
    [
      'a string for a float64',
      odom('pose.pose.position.x', 'a'),
      "pose.pose.position.x: expected float64, found string 'a'",
    ],
    [
      'a missing field',
      odom('header.stamp.nanosec', undefined),
      'header.stamp.nanosec: missing (expected uint32, an integer in 0..4294967295)',
    ],
    ['null for a message', odom('twist', null), 'twist: expected a message object, found null'],
    [
      'a fixed-length array of the wrong length',
      odom('pose.covariance', new Float64Array(35)),
      'pose.covariance: expected float64[36] (a Float64Array or an array), found Float64Array(35)',
    ],
    [
      'a non-array for an array',
      odom('twist.covariance', 0),
      'twist.covariance: expected float64[36] (a Float64Array or an array), found number 0',
    ],
    [
      'a number in an array that is not one',
      odom('twist.covariance', [...new Array<number>(35).fill(0), 'x']),
      "twist.covariance[35]: expected float64, found string 'x'",
    ],
    ['a whole message of the wrong kind', 42, 'expected a message object, found number 42'],
  ])('%s', (_, msg, where) => {
    const err = schemaErrorOf(() => registry.encode('nav_msgs/msg/Odometry', msg));
    expect(err.code).toBe('MISMATCH');
    expect(err.message).toBe(`nav_msgs/msg/Odometry: ${where}`);
  });

  it('refuses integers out of range or not whole, and the wrong typed array kind', () => {
    const image = { ...filled('sensor_msgs/msg/Image'), is_bigendian: 300 };
    expect(schemaErrorOf(() => registry.encode('sensor_msgs/msg/Image', image)).message).toBe(
      'sensor_msgs/msg/Image: is_bigendian: expected uint8, an integer in 0..255, found number 300',
    );
    const status = { ...filled('action_msgs/msg/GoalStatus'), status: 1.5 };
    expect(schemaErrorOf(() => registry.encode('action_msgs/msg/GoalStatus', status)).message).toBe(
      'action_msgs/msg/GoalStatus: status: expected int8, an integer in -128..127, found number 1.5',
    );
    // A Float64Array where float32[] is due would be written as an empty array by the CDR writer.
    const scan = { ...filled('sensor_msgs/msg/LaserScan'), ranges: new Float64Array(720) };
    expect(schemaErrorOf(() => registry.encode('sensor_msgs/msg/LaserScan', scan)).message).toBe(
      'sensor_msgs/msg/LaserScan: ranges: expected float32[] (a Float32Array or an array), found Float64Array(720)',
    );
  });

  it('names the element of an array of messages', () => {
    const path = filled('nav_msgs/msg/Path') as { poses: { pose: { position: { y: unknown } } }[] };
    path.poses[1]!.pose.position.y = true;
    expect(schemaErrorOf(() => registry.encode('nav_msgs/msg/Path', path)).message).toBe(
      'nav_msgs/msg/Path: poses[1].pose.position.y: expected float64, found boolean true',
    );
  });

  it('accepts plain arrays for numeric arrays and extra fields, as rclnodejs does', () => {
    const scan = { ...filled('sensor_msgs/msg/LaserScan'), ranges: [1, 2.5], note: 'ignored' };
    const back = registry.decode(
      'sensor_msgs/msg/LaserScan',
      registry.encode('sensor_msgs/msg/LaserScan', scan),
    );
    expect((back as { ranges: Float32Array }).ranges).toEqual(Float32Array.from([1, 2.5]));
  });
});

describe('decode refuses bytes that end early or do not fit, naming the byte offset', () => {
  const bytes = registry.encode('nav_msgs/msg/Odometry', odometry);

  it('names the field the bytes end in', () => {
    const err = schemaErrorOf(() => registry.decode('nav_msgs/msg/Odometry', bytes.subarray(0, 100)));
    expect(err.code).toBe('TRUNCATED');
    // After the 4-byte encapsulation header: header.stamp (8), frame_id (4 + 'map' NUL) and
    // child_frame_id (4 + 'base_link' NUL) end at byte 34; pose.position starts at 36 (8-aligned
    // counting from byte 4), 3 + 4 float64 later the covariance starts at 92.
    expect(err.message).toBe(
      'nav_msgs/msg/Odometry: pose.covariance: float64[36] of 36 elements at byte offset 92 needs 288 bytes, 8 left (input is 100 bytes)',
    );
  });

  it('finds the end of a window on a larger buffer, which the reader alone would read past', () => {
    const scan = registry.encode('sensor_msgs/msg/LaserScan', {
      ...filled('sensor_msgs/msg/LaserScan'),
      ranges: new Float32Array(720),
    });
    const big = new Uint8Array(scan.byteLength + 4096);
    big.set(scan);
    const err = schemaErrorOf(() => registry.decode('sensor_msgs/msg/LaserScan', big.subarray(0, 500)));
    expect(err.code).toBe('TRUNCATED');
    expect(err.message).toMatch(
      /^sensor_msgs\/msg\/LaserScan: ranges: float32\[\] of 720 elements at byte offset \d+ needs 2880 bytes, \d+ left \(input is 500 bytes\)$/,
    );
  });

  it('names a corrupt length, the header and a short input', () => {
    const corrupt = Uint8Array.from([0, 1, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x68, 0x69]);
    expect(schemaErrorOf(() => registry.decode('std_msgs/msg/String', corrupt)).message).toBe(
      'std_msgs/msg/String: data: string of 4294967295 bytes (with its NUL) at byte offset 8 needs 4294967295 bytes, 2 left (input is 10 bytes)',
    );
    expect(schemaErrorOf(() => registry.decode('std_msgs/msg/String', Uint8Array.from([0, 1]))).message).toBe(
      'std_msgs/msg/String: input is 2 bytes, shorter than the 4-byte CDR encapsulation header at byte offset 0',
    );
    const err = schemaErrorOf(() =>
      registry.decode('std_msgs/msg/String', Uint8Array.from([0, 7, 0, 0, 1, 0, 0, 0, 0])),
    );
    expect(err.code).toBe('TRUNCATED');
    expect(err.message).toBe(
      'std_msgs/msg/String: byte offset 0: encapsulation header 00 07 is not plain CDR (00 00 big-endian or 00 01 little-endian, as ROS 2 writes)',
    );
  });
});

describe('unknown types', () => {
  it.each([
    ['schema', () => registry.schema('nope_msgs/msg/Nope')],
    ['encode', () => registry.encode('nope_msgs/msg/Nope', {})],
    ['decode', () => registry.decode('nope_msgs/msg/Nope', new Uint8Array(8))],
  ])('%s throws UNKNOWN_TYPE', (_, fn) => {
    const err = schemaErrorOf(fn);
    expect(err.code).toBe('UNKNOWN_TYPE');
    expect(err.message).toContain("'nope_msgs/msg/Nope'");
  });
});

describe('strings are UTF-8', () => {
  it('writes the byte length of a Finnish and Swedish phrase, not its UTF-16 length', () => {
    const text = 'Hyvää päivää – välkommen ✓';
    const utf8 = new TextEncoder().encode(text);
    const bytes = registry.encode('std_msgs/msg/String', { data: text });
    expect(new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true)).toBe(utf8.length + 1);
    expect([...bytes.subarray(8)]).toEqual([...utf8, 0]);
    expect(registry.decode('std_msgs/msg/String', bytes)).toEqual({ data: text });
  });

  it('keeps the fields after a non-ASCII string in place', () => {
    const say = {
      ...filled('medhjalparen_msgs/msg/Utterance'),
      text: 'Kela är på tredje våningen',
      choices: ['kela', 'fpa-ö'],
    };
    expect(
      registry.decode(
        'medhjalparen_msgs/msg/Utterance',
        registry.encode('medhjalparen_msgs/msg/Utterance', say),
      ),
    ).toEqual(say);
  });
});
