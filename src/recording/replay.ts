/**
 * Replays a recording into an embedded graph on a simulated clock driven by the log times, with
 * the deciding nodes run again (rerun.ts) on the recorded inputs, and compares the mission's
 * decisions with the recorded ones.
 *
 * - Every recorded topic is published again at its log time, except those the re-run nodes
 *   publish themselves; latched topics transient_local, as they were recorded.
 * - Requests have no words in a recording: each is rebuilt from the recorded GuideStatus's
 *   destination for its request_id (replay-inputs.ts), so the mission gets the same destination.
 * - Between messages the clock stops at every re-run timer's due time; every 50 ms of log time
 *   the replay yields to the event loop (where action results settle), as the simulator's runner
 *   does every 5 steps of 10 ms: the re-run sees its action results at the moments the original
 *   did. `pace` paces those moments on the system clock (the CLI's --rate); without it the replay
 *   runs as fast as it can, in lockstep.
 * - A recording cut short replays what was recovered; the report says what was lost.
 */
import type { GuideRequest, GuideStatus } from '../interfaces/index.js';
import type { Site } from '../map/index.js';
import { DEFAULT_ROBOT, type RobotDescription } from '../robot/index.js';
import {
  EmbeddedContext,
  SimClock,
  type Logger,
  type MessageTypeName,
  type Publisher,
  type RosNode,
} from '../ros/index.js';
import { schemaRegistry, type SchemaRegistry } from '../ros/schemas/index.js';
import { createLogger, nodeLogger, type LoggerOptions } from '../telemetry/index.js';
import { decisionsOf, firstDivergence, type Decision, type Divergence } from './decisions.js';
import { RecordingError } from './errors.js';
import type { RecordedMessage, Recording } from './reader.js';
import { METADATA_START } from './recorder.js';
import {
  REQUEST_TYPE,
  STATUS_TOPIC,
  checkChannels,
  decodeMessage,
  readRecordedMission,
  rebuiltRequest,
  recordedStartNs,
} from './replay-inputs.js';
import { RERUN_NODES, startRerun } from './rerun.js';

/** The simulator's runner yields to the event loop every 5 steps of 10 ms. */
export const YIELD_EVERY_NS = 50_000_000n;

export interface ReplayOptions {
  site: Site;
  robot?: RobotDescription;
  registry?: SchemaRegistry;
  /** Waits until the system clock has caught up with this much log time (s); default: no wait. */
  pace?: (elapsedS: number) => Promise<void>;
  /** Structured logs of the re-run nodes, stamped with the replay's clock (default: none). */
  log?: Pick<LoggerOptions, 'level' | 'destination'>;
}

export interface ReplayReport {
  file: string;
  indexed: boolean;
  /** What was lost from a damaged recording (empty for a whole one). */
  damage: readonly string[];
  rerun: readonly string[];
  /** Recorded topics left to the re-run nodes. */
  notReplayed: string[];
  /** Messages published again, by topic. */
  replayed: Record<string, number>;
  /** Messages that did not decode, skipped: the first error of each topic. */
  undecodable: Record<string, string>;
  requests: { rebuilt: number; withoutDestination: string[] };
  startNs: bigint;
  endNs: bigint;
  recordedDecisions: Decision[];
  replayedDecisions: Decision[];
  divergence: Divergence | undefined;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function replayRecording(recording: Recording, options: ReplayOptions): Promise<ReplayReport> {
  const registry = options.registry ?? schemaRegistry();
  checkChannels(recording, registry);
  checkSite(recording, options.site);
  const mission = await readRecordedMission(recording, registry);
  const messages = new Lookahead(recording.messages());
  const startNs = recordedStartNs(recording, (await messages.peek())?.logTime);
  const clock = new SimClock(startNs);
  const graph = new EmbeddedContext({ clock, ...nodeLoggers(options.log, clock) });
  const rerun = startRerun({
    graph,
    site: options.site,
    robot: options.robot ?? DEFAULT_ROBOT,
    hasScan: recording.channels.some((c) => c.topic === '/scan'),
  });
  // Subscribed after the re-run nodes start, as the recorder was after the robot's: both see the
  // mission's statuses from the same moment on.
  const statuses = observeStatuses(graph.createNode('replay_observer'), clock);
  const player = new Player(graph.createNode('replay'), rerun.published, mission.destinations);
  const report = emptyReport(recording, startNs, mission.decisions, rerun.published);
  try {
    await playAll(
      messages,
      new Stepper(graph, clock),
      (m) => player.play(recording.file, registry, m, report),
      {
        startNs,
        pace: options.pace,
      },
    );
  } finally {
    rerun.stop();
    graph.shutdown();
  }
  report.endNs = clock.nowNs();
  report.requests = player.requests;
  report.replayedDecisions = decisionsOf(statuses);
  report.divergence = firstDivergence(report.recordedDecisions, report.replayedDecisions);
  return report;
}

/**
 * Plays the messages in windows of YIELD_EVERY_NS of log time. Within a window everything is
 * synchronous (publish, spin, timers), as the runner's steps between two yields are; between
 * windows the event loop runs (pace or a plain yield), where action results settle.
 */
async function playAll(
  messages: Lookahead,
  stepper: Stepper,
  play: (m: RecordedMessage) => void,
  timing: { startNs: bigint; pace: ReplayOptions['pace'] },
): Promise<void> {
  for (let windowEnd = timing.startNs + YIELD_EVERY_NS; ; windowEnd += YIELD_EVERY_NS) {
    const batch: RecordedMessage[] = [];
    for (let m = await messages.peek(); m && m.logTime <= windowEnd; m = await messages.peek()) {
      batch.push(m);
      await messages.next();
    }
    for (const m of batch) {
      stepper.stepTo(m.logTime);
      play(m);
      stepper.published();
    }
    stepper.stepTo(windowEnd);
    stepper.spin();
    const elapsedS = Number(windowEnd - timing.startNs) / 1e9;
    await (timing.pace ? timing.pace(elapsedS) : yieldToEventLoop());
    if (!(await messages.peek())) break;
  }
  stepper.spin();
}

function nodeLoggers(log: ReplayOptions['log'], clock: SimClock): { logger?: (name: string) => Logger } {
  if (!log) return {};
  const root = createLogger({ ...log, clock });
  return { logger: (name) => nodeLogger(root, name) };
}

function checkSite(recording: Recording, site: Site): void {
  const recorded = recording.metadata.get(METADATA_START)?.get('site_id');
  if (recorded && recorded !== site.id) {
    throw new RecordingError(
      recording.file,
      `metadata ${METADATA_START}`,
      `recorded on site '${recorded}', but the site given is '${site.id}' (${site.dir}): give the recorded site`,
    );
  }
}

function emptyReport(
  recording: Recording,
  startNs: bigint,
  recorded: Decision[],
  rerunTopics: ReadonlySet<string>,
): ReplayReport {
  return {
    file: recording.file,
    indexed: recording.indexed,
    damage: recording.damage,
    rerun: RERUN_NODES,
    notReplayed: recording.channels.map((c) => c.topic).filter((t) => rerunTopics.has(t)),
    replayed: {},
    undecodable: {},
    requests: { rebuilt: 0, withoutDestination: [] },
    startNs,
    endNs: startNs,
    recordedDecisions: recorded,
    replayedDecisions: [],
    divergence: undefined,
  };
}

/** The re-run mission's statuses, stamped with the clock as they arrive. */
function observeStatuses(node: RosNode, clock: SimClock): Array<{ atNs: bigint; status: GuideStatus }> {
  const seen: Array<{ atNs: bigint; status: GuideStatus }> = [];
  node.createSubscription('medhjalparen_msgs/msg/GuideStatus', STATUS_TOPIC, (status: GuideStatus) =>
    seen.push({ atNs: clock.nowNs(), status }),
  );
  return seen;
}

/** Publishes recorded messages on their topics, one publisher per topic made when first needed. */
class Player {
  readonly requests = { rebuilt: 0, withoutDestination: [] as string[] };
  readonly #publishers = new Map<string, Publisher<MessageTypeName>>();

  constructor(
    readonly node: RosNode,
    readonly skip: ReadonlySet<string>,
    readonly destinations: ReadonlyMap<string, string>,
  ) {}

  play(file: string, registry: SchemaRegistry, m: RecordedMessage, report: ReplayReport): void {
    const { topic } = m.channel;
    if (this.skip.has(topic)) return;
    let msg: unknown;
    try {
      msg = decodeMessage(file, registry, m);
    } catch (e) {
      report.undecodable[topic] ??= (e as Error).message;
      return;
    }
    if (m.channel.schemaName === REQUEST_TYPE) msg = this.#rebuild(msg as GuideRequest);
    this.#publisher(m).publish(msg as never);
    report.replayed[topic] = (report.replayed[topic] ?? 0) + 1;
  }

  #rebuild(msg: GuideRequest): GuideRequest {
    const rebuilt = rebuiltRequest(msg, this.destinations);
    if (!rebuilt) return msg;
    this.requests.rebuilt++;
    if (rebuilt.text === '') this.requests.withoutDestination.push(msg.request_id);
    return rebuilt;
  }

  #publisher(m: RecordedMessage): Publisher<MessageTypeName> {
    let p = this.#publishers.get(m.channel.topic);
    if (!p) {
      const durability =
        m.channel.metadata.get('durability') === 'transient_local' ? 'transient_local' : 'volatile';
      p = this.node.createPublisher(m.channel.schemaName as MessageTypeName, m.channel.topic, {
        qos: { durability },
      });
      this.#publishers.set(m.channel.topic, p);
    }
    return p;
  }
}

/** Moves the simulated clock through log times and the re-run timers' due times, spinning at each. */
class Stepper {
  /** Something was published at the current time and not yet delivered. */
  #dirty = false;

  constructor(
    readonly graph: EmbeddedContext,
    readonly clock: SimClock,
  ) {}

  published(): void {
    this.#dirty = true;
  }

  spin(): void {
    this.#dirty = false;
    this.graph.spinSome();
  }

  /**
   * Delivers what was published at the current time, runs the timers due before `t`, and leaves
   * the clock at `t`. What was published meanwhile by the event loop is delivered at the next
   * time, as in the runner, where it waits for the next step.
   */
  stepTo(t: bigint): void {
    if (t <= this.clock.nowNs()) return;
    if (this.#dirty) this.spin();
    for (let due = this.graph.nextTimerDue(); due !== undefined && due < t; due = this.graph.nextTimerDue()) {
      if (due > this.clock.nowNs()) this.clock.advanceTo(due);
      this.spin();
    }
    this.clock.advanceTo(t);
    this.#dirty = true;
  }
}

/** An async iterator one message ahead: the replay reads a window's messages before playing it. */
class Lookahead {
  readonly #it: AsyncIterator<RecordedMessage>;
  #head: Promise<IteratorResult<RecordedMessage>> | undefined;

  constructor(source: AsyncIterable<RecordedMessage>) {
    this.#it = source[Symbol.asyncIterator]();
  }

  async peek(): Promise<RecordedMessage | undefined> {
    this.#head ??= this.#it.next();
    const r = await this.#head;
    return r.done ? undefined : r.value;
  }

  async next(): Promise<void> {
    await this.peek();
    this.#head = undefined;
  }
}
