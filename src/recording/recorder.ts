/**
 * The `recorder` node: everything on the graph into an MCAP file, as `ros2 bag record -a
 * --storage mcap` writes it (profile ros2, ros2msg schemas, CDR messages, zstd chunks with
 * message indexes, chunk indexes and a summary), on any graph backend.
 *
 * - Topics are discovered with getTopicNamesAndTypes() at start and then on a node-clock timer;
 *   each topic whose type the schema registry knows is subscribed once. A latched topic (/map,
 *   the gate's state) is subscribed transient_local so its last message is recorded too; the
 *   others volatile and best effort (a ROS graph matches no transient_local reader to a volatile
 *   writer, and no reliable reader to a best-effort one).
 * - Log time is the node clock, publish time the message's header.stamp when it has one.
 * - What may be recorded is src/recording/privacy.ts's rule: images only when asked for, never a
 *   customer's words. Topics left out, topics of unknown types and messages that do not fit their
 *   .msg are counted, logged once per topic, and named in the file's metadata; recording goes on.
 * - Nothing here throws into the control loop: a callback only encodes and queues; writing runs
 *   after it (SerialWriter), and a write that fails ends the recording, not the robot.
 */
import { LATCHED_TOPICS } from '../interfaces/index.js';
import type { MessageTypeName, QoS, RosNode, TimeMsg, Timer } from '../ros/index.js';
import { timeMsgToNs } from '../ros/index.js';
import { SchemaError, schemaRegistry, type SchemaRegistry } from '../ros/schemas/index.js';
import { zstdChunkCompressor } from './compression.js';
import { messageOf } from './errors.js';
import { FileSink } from './file-sink.js';
import { REDACTED_FIELDS, exclusionOf, redact, type Exclusion } from './privacy.js';
import { SerialWriter } from './serial-writer.js';

/** Topics recorded transient_local (latched): the robot's latched topics (src/interfaces). */
export const DEFAULT_LATCHED_TOPICS = LATCHED_TOPICS;

/** MCAP metadata record names (a replay finds the site and the start time in the first). */
export const METADATA_START = 'medhjalparen.recording';
export const METADATA_END = 'medhjalparen.recording_end';

export interface RecorderOptions {
  /** The .mcap file: a new one, or an earlier recording (nothing else is overwritten). */
  file: string;
  robotVersion: string;
  siteId: string;
  /** Where the site was loaded from, for the replay. */
  siteDir?: string;
  /** Camera images too: only when an operator asks (--record-images). */
  includeImages?: boolean;
  registry?: SchemaRegistry;
  latchedTopics?: readonly string[];
  /** How often new topics are looked for, ns of node time (default 0.5 s). */
  discoveryPeriodNs?: bigint;
  /** Uncompressed bytes per chunk (default 256 KiB: a chunk's compression is a short pause). */
  chunkSize?: number;
  /** Messages queued for the disk beyond which new ones are dropped and counted (default 20000). */
  maxPending?: number;
  /**
   * The wall time the recording starts, for its metadata only (default: the system's). Nothing is
   * timed by it; every time in the file is node time.
   */
  startedAt?: Date;
}

export interface RecordingStats {
  file: string;
  /** Messages queued for the file, by topic. */
  topics: Record<string, number>;
  messages: number;
  excluded: Array<{ topic: string; type: string; reason: Exclusion | 'several_types' }>;
  unknownSchema: Array<{ topic: string; type: string }>;
  /** Messages that did not fit their .msg, by topic (each skipped). */
  mismatched: Record<string, number>;
  /** Messages dropped because the disk did not keep up, or after writing failed. */
  dropped: number;
  /** Why writing stopped early, if it did. */
  failed?: string;
}

export interface Recorder {
  stats(): RecordingStats;
  /** Stops recording, writes the rest, the summary and the metadata, closes the file. */
  stop(): Promise<RecordingStats>;
}

const DEFAULT_DISCOVERY_NS = 500_000_000n;

/** Opens the file and starts recording on `node` (its name is the caller's: 'recorder'). */
export async function startRecorder(node: RosNode, options: RecorderOptions): Promise<Recorder> {
  const registry = options.registry ?? schemaRegistry();
  const sink = await FileSink.open(options.file);
  const writer = new SerialWriter({
    sink,
    compress: await zstdChunkCompressor(),
    chunkSize: options.chunkSize ?? 256 * 1024,
    maxPending: options.maxPending ?? 20_000,
  });
  try {
    await writer.start('ros2', `medhjalparen ${options.robotVersion}`);
    await writer.addMetadata({ name: METADATA_START, metadata: startMetadata(node, options) });
  } catch (e) {
    await writer.end();
    throw e;
  }
  return new RecorderNode(node, options, registry, writer);
}

function startMetadata(node: RosNode, options: RecorderOptions): Map<string, string> {
  return new Map([
    ['robot_version', options.robotVersion],
    ['site_id', options.siteId],
    ['site_dir', options.siteDir ?? ''],
    // When the recording was made, for the people reading it: the wall clock, not control time.
    ['started_at', (options.startedAt ?? new Date()).toISOString()],
    ['start_time_ns', String(node.now().nanoseconds)],
    ['include_images', String(options.includeImages === true)],
    ['redacted_fields', JSON.stringify(REDACTED_FIELDS)],
  ]);
}

class RecorderNode implements Recorder {
  readonly #node: RosNode;
  readonly #options: RecorderOptions;
  readonly #registry: SchemaRegistry;
  readonly #writer: SerialWriter;
  readonly #latched: ReadonlySet<string>;
  readonly #seen = new Set<string>();
  readonly #timer: Timer;
  readonly #stats: RecordingStats;
  #stopping: Promise<RecordingStats> | undefined;

  constructor(node: RosNode, options: RecorderOptions, registry: SchemaRegistry, writer: SerialWriter) {
    this.#node = node;
    this.#options = options;
    this.#registry = registry;
    this.#writer = writer;
    this.#latched = new Set(options.latchedTopics ?? DEFAULT_LATCHED_TOPICS);
    const empty = { topics: {}, messages: 0, excluded: [], unknownSchema: [], mismatched: {}, dropped: 0 };
    this.#stats = { file: options.file, ...empty };
    this.#discover();
    this.#timer = node.createTimer(options.discoveryPeriodNs ?? DEFAULT_DISCOVERY_NS, () => this.#discover());
  }

  stats(): RecordingStats {
    const failed = this.#writer.failure;
    return structuredClone({ ...this.#stats, ...(failed ? { failed: failed.message } : {}) });
  }

  stop(): Promise<RecordingStats> {
    this.#stopping ??= this.#finish();
    return this.#stopping;
  }

  async #finish(): Promise<RecordingStats> {
    this.#timer.cancel();
    await this.#writer
      .addMetadata({ name: METADATA_END, metadata: this.#endMetadata() })
      .catch(() => undefined);
    await this.#writer.end();
    const stats = this.stats();
    if (stats.failed)
      this.#node.getLogger().error('recording failed', { file: stats.file, error: stats.failed });
    return stats;
  }

  #endMetadata(): Map<string, string> {
    const s = this.#stats;
    return new Map([
      ['stop_time_ns', String(this.#node.now().nanoseconds)],
      ['messages', String(s.messages)],
      ['excluded_topics', JSON.stringify(s.excluded)],
      ['unknown_schema_topics', JSON.stringify(s.unknownSchema)],
      ['mismatched_messages', JSON.stringify(s.mismatched)],
      ['dropped_messages', String(s.dropped)],
    ]);
  }

  /** Subscribes to every topic not seen yet; never throws (it runs in a timer callback). */
  #discover(): void {
    if (this.#stopping) return;
    try {
      for (const { name, types } of this.#node.getTopicNamesAndTypes()) {
        if (this.#seen.has(name)) continue;
        this.#seen.add(name);
        this.#follow(name, types);
      }
    } catch (e) {
      this.#node.getLogger().error('recorder: topic discovery failed', { error: messageOf(e) });
    }
  }

  #follow(topic: string, types: string[]): void {
    const log = this.#node.getLogger();
    const type = types[0];
    if (types.length !== 1 || type === undefined) {
      this.#stats.excluded.push({ topic, type: types.join(' | '), reason: 'several_types' });
      log.warn('recorder: topic has several types, not recorded', { topic, types: types.join(' ') });
      return;
    }
    const reason = exclusionOf(topic, type, this.#options.includeImages === true);
    if (reason) {
      this.#stats.excluded.push({ topic, type, reason });
      log.info('recorder: topic left out', { topic, type, reason });
      return;
    }
    if (!this.#registry.has(type)) {
      this.#stats.unknownSchema.push({ topic, type });
      log.warn('recorder: no schema for the topic type, not recorded', { topic, type });
      return;
    }
    this.#subscribe(topic, type, log);
  }

  #subscribe(topic: string, type: string, log: ReturnType<RosNode['getLogger']>): void {
    const durability = this.#latched.has(topic) ? 'transient_local' : 'volatile';
    let sequence = 0;
    try {
      const schema = this.#registry.schema(type);
      const channelId = this.#writer.channel(topic, schema, channelMetadata(durability));
      this.#node.createSubscription(
        type as MessageTypeName,
        topic,
        { qos: qosFor(durability) },
        (msg: unknown) => this.#take(topic, type, channelId, sequence++, msg),
      );
    } catch (e) {
      this.#stats.unknownSchema.push({ topic, type });
      log.warn('recorder: cannot subscribe, not recorded', { topic, type, error: messageOf(e) });
    }
  }

  #toldDropped = false;

  /** The first message dropped is logged with why; the count is in the stats and the metadata. */
  #sayOnceWhyDropped(): void {
    if (this.#toldDropped) return;
    this.#toldDropped = true;
    const failure = this.#writer.failure;
    const log = this.#node.getLogger();
    if (failure)
      log.error('recording stopped: writing failed', { file: this.#options.file, error: failure.message });
    else log.warn('recorder: the disk does not keep up, dropping messages', { file: this.#options.file });
  }

  /** One message: redact, encode, queue. The only work done inside the graph's callback. */
  #take(topic: string, type: string, channelId: Promise<number>, sequence: number, msg: unknown): void {
    if (this.#stopping) return;
    const stats = this.#stats;
    try {
      const logTime = this.#node.now().nanoseconds;
      const data = this.#registry.encode(type, redact(type, msg));
      const queued = this.#writer.tryAdd({
        channelId,
        sequence,
        logTime,
        publishTime: stampOf(msg) ?? logTime,
        data,
      });
      if (!queued) {
        stats.dropped++;
        this.#sayOnceWhyDropped();
        return;
      }
      stats.messages++;
      stats.topics[topic] = (stats.topics[topic] ?? 0) + 1;
    } catch (e) {
      const first = stats.mismatched[topic] === undefined;
      stats.mismatched[topic] = (stats.mismatched[topic] ?? 0) + 1;
      // Once per topic: a publisher that sends a wrong shape sends it every time.
      if (first) {
        const what = e instanceof SchemaError ? e.message : `encoding failed: ${messageOf(e)}`;
        this.#node
          .getLogger()
          .error('recorder: message does not match its type, skipped', { topic, type, error: what });
      }
    }
  }
}

/**
 * `durability` for our replay; for a latched topic also rosbag2's `offered_qos_profiles` (its
 * YAML, enums as numbers: reliable 1, transient_local 1, history unknown 3, liveliness automatic
 * 1, durations infinite), so `ros2 bag play` and Foxglove republish it latched. Other topics leave
 * it out: their publishers' offer is not known here, and a player then uses the defaults.
 */
function channelMetadata(durability: 'transient_local' | 'volatile'): Map<string, string> {
  const metadata = new Map<string, string>([['durability', durability]]);
  if (durability === 'transient_local') metadata.set('offered_qos_profiles', LATCHED_QOS_YAML);
  return metadata;
}

const INFINITE = ['    sec: 2147483647', '    nsec: 4294967295'];
const LATCHED_QOS_YAML = [
  '- history: 3',
  '  depth: 0',
  '  reliability: 1',
  '  durability: 1',
  '  deadline:',
  ...INFINITE,
  '  lifespan:',
  ...INFINITE,
  '  liveliness: 1',
  '  liveliness_lease_duration:',
  ...INFINITE,
  '  avoid_ros_namespace_conventions: false',
].join('\n');

/**
 * A latched topic reliable and transient_local (its last message, which only a reliable reader
 * gets); the others best effort, which a ROS graph matches to reliable and best-effort writers
 * alike (a sensor driver's /scan is often best effort), with room for bursts.
 */
function qosFor(durability: 'transient_local' | 'volatile'): QoS {
  return durability === 'transient_local'
    ? { durability, reliability: 'reliable', depth: 10 }
    : { durability, reliability: 'best_effort', depth: 100 };
}

/** header.stamp in ns, when the message has a std_msgs/Header. */
function stampOf(msg: unknown): bigint | undefined {
  const stamp = (msg as { header?: { stamp?: TimeMsg } } | null)?.header?.stamp;
  if (!stamp || !Number.isInteger(stamp.sec) || !Number.isInteger(stamp.nanosec)) return undefined;
  const ns = timeMsgToNs(stamp);
  return ns >= 0n ? ns : undefined;
}
