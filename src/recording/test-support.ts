/**
 * For the recording tests (and anyone's): a small graph of talkers that publishes one of every
 * kind of topic the recorder must tell apart, a run of it recorded to a file, the independent
 * checker (scripts/mcap_check.py) and the plain bytes of a file with every chunk decompressed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { McapStreamReader } from '@mcap/core';
import type { GuideRequest, Utterance } from '../interfaces/index.js';
import { EmbeddedContext, SimClock, type MessageTypeName } from '../ros/index.js';
import { decompressHandlers } from './compression.js';
import type { Recording } from './reader.js';
import { startRecorder, type RecorderOptions, type RecordingStats } from './recorder.js';

export const MS = 1_000_000n;
export const START_NS = 1_800_000_000_000_000_000n;
/** What the test customer types: it must never reach a file. */
export const SECRET = 'Olen Maija Meikäläinen, hetu 010170-123A';

export interface TalkerRun {
  stats: RecordingStats;
  /** Messages published per topic while the recorder ran. */
  published: Record<string, number>;
}

/**
 * Records `steps` steps of 10 ms of a graph with: a latched /map published before the recorder
 * starts, /scan (stamped 5 ms before it is sent), a customer's request and the robot's reply (with
 * words), a camera image, free text, a type no schema describes, a LaserScan of the wrong shape,
 * and a topic that appears only after 1 s.
 */
export async function recordTalkers(
  file: string,
  options: Partial<RecorderOptions> & { steps?: number } = {},
): Promise<TalkerRun> {
  const clock = new SimClock(START_NS);
  const graph = new EmbeddedContext({ clock });
  const talker = graph.createNode('talker');
  const latched = { qos: { durability: 'transient_local' as const } };
  talker.createPublisher('nav_msgs/msg/OccupancyGrid', '/map', latched).publish(grid(clock.nowNs()));
  const pubs = talkerPublishers(talker);
  const published: Record<string, number> = { '/map': 1 };
  const recorder = await startRecorder(graph.createNode('recorder'), {
    robotVersion: '9.9.9-test',
    siteId: 'test-site',
    siteDir: '/nowhere/test-site',
    startedAt: new Date('2026-11-26T08:00:00Z'),
    ...options,
    file,
  });
  let late: ((n: number) => void) | undefined;
  const steps = options.steps ?? 200;
  for (let i = 1; i <= steps; i++) {
    clock.advanceTo(START_NS + BigInt(i) * 10n * MS);
    for (const [topic, send] of Object.entries(pubs)) {
      send(i, clock.nowNs());
      published[topic] = (published[topic] ?? 0) + 1;
    }
    if (i === 100) late = lateTalker(talker);
    if (late) {
      late(i);
      published['/late'] = (published['/late'] ?? 0) + 1;
    }
    graph.spinSome();
  }
  const stats = await recorder.stop();
  graph.shutdown();
  return { stats, published };
}

function talkerPublishers(
  node: ReturnType<EmbeddedContext['createNode']>,
): Record<string, (i: number, ns: bigint) => void> {
  const scan = node.createPublisher('sensor_msgs/msg/LaserScan', '/scan');
  const request = node.createPublisher('medhjalparen_msgs/msg/GuideRequest', '/guide/request');
  const say = node.createPublisher('medhjalparen_msgs/msg/Utterance', '/guide/say');
  const image = node.createPublisher('sensor_msgs/msg/Image', '/camera/rear/image_raw');
  const raw = node.createPublisher('sensor_msgs/msg/LaserScan', '/camera/rear/image_compressed_as_scan');
  const text = node.createPublisher('std_msgs/msg/String', '/chat');
  const odd = node.createPublisher('foo_msgs/msg/Bar' as MessageTypeName, '/odd');
  const bad = node.createPublisher('sensor_msgs/msg/LaserScan', '/scan_bad');
  return {
    '/scan': (i, ns) => scan.publish(laserScan(ns - 5n * MS, i)),
    '/guide/request': (i) => request.publish(guideRequest(i)),
    '/guide/say': (i) => say.publish(utterance(i)),
    '/camera/rear/image_raw': (_, ns) => image.publish(frame(ns)),
    '/camera/rear/image_compressed_as_scan': (i, ns) => raw.publish(laserScan(ns, i)),
    '/chat': () => text.publish({ data: SECRET }),
    '/odd': () => odd.publish({ x: 1 } as never),
    '/scan_bad': (i, ns) => bad.publish({ ...laserScan(ns, i), ranges: 'oops' } as never),
  };
}

function lateTalker(node: ReturnType<EmbeddedContext['createNode']>): (n: number) => void {
  const pub = node.createPublisher('std_msgs/msg/Bool', '/late');
  return (i) => pub.publish({ data: i % 2 === 0 });
}

export function guideRequest(i: number): GuideRequest {
  return {
    request_id: `req-${i}`,
    text: `Missä on Kela? ${SECRET}`,
    language: 'fi',
    plain: true,
    mode: 'escort',
  };
}

export function utterance(i: number): Utterance {
  return {
    request_id: `req-${i}`,
    language: 'fi',
    kind: 'asking',
    text: `Sanoit: ${SECRET}`,
    plain: false,
    choices: ['kela', 'library'],
  };
}

function stamp(ns: bigint) {
  return { sec: Number(ns / 1_000_000_000n), nanosec: Number(ns % 1_000_000_000n) };
}

export function laserScan(stampNs: bigint, i: number) {
  return {
    header: { stamp: stamp(stampNs), frame_id: 'laser' },
    angle_min: -Math.PI,
    angle_max: Math.PI,
    angle_increment: (2 * Math.PI) / 8,
    time_increment: 0,
    scan_time: 0.1,
    range_min: 0.1,
    range_max: 12,
    ranges: Float32Array.from({ length: 8 }, (_, k) => 1 + k + i / 1000),
    intensities: new Float32Array(0),
  };
}

function frame(ns: bigint) {
  return {
    header: { stamp: stamp(ns), frame_id: 'rear_camera' },
    height: 2,
    width: 2,
    encoding: 'rgb8',
    is_bigendian: 0,
    step: 6,
    data: new Uint8Array(12).fill(200),
  };
}

function grid(ns: bigint) {
  return {
    header: { stamp: stamp(ns), frame_id: 'map' },
    info: {
      map_load_time: stamp(ns),
      resolution: 0.05,
      width: 4,
      height: 2,
      origin: { position: { x: 0, y: 0, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } },
    },
    data: Int8Array.from([0, 0, 100, -1, 0, 0, 0, 100]),
  };
}

/** Messages per topic, as the TypeScript reader counts them. */
export async function countsByTopic(recording: Recording): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for await (const m of recording.messages()) counts[m.channel.topic] = (counts[m.channel.topic] ?? 0) + 1;
  return counts;
}

export interface CheckerResult {
  status: number | null;
  report: {
    channels: Record<string, number>;
    messages: number;
    chunks: number;
    compression: string;
    errors: string[];
  };
  stderr: string;
}

/** Debian's python3, where python3-zstandard is installed (a pyenv one may shadow it on PATH). */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const CHECKER = path.resolve(import.meta.dirname, '../../scripts/mcap_check.py');

export function runChecker(file: string): CheckerResult {
  const r = spawnSync(PYTHON, [CHECKER, file], { encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return { status: r.status, report: JSON.parse(r.stdout) as CheckerResult['report'], stderr: r.stderr };
}

/** The file's bytes followed by every chunk's records decompressed: where a word would show. */
export async function plainBytes(file: string): Promise<Buffer> {
  const bytes = await readFile(file);
  const handlers = await decompressHandlers();
  const reader = new McapStreamReader({ includeChunks: true, decompressHandlers: handlers });
  reader.append(bytes);
  const parts: Uint8Array[] = [bytes];
  for (let r; (r = reader.nextRecord());) {
    if (r.type !== 'Chunk') continue;
    const decompress = handlers[r.compression];
    parts.push(decompress ? decompress(r.records, r.uncompressedSize) : r.records);
  }
  return Buffer.concat(parts);
}
