/**
 * What a replay reads from a recording before it runs: that every channel can be decoded (ros2msg
 * schema, CDR, a type the registry knows), the recorded start, and the mission's recorded
 * statuses, from which each request's destination is rebuilt (the recording holds no customer's
 * words: GuideRequest.text is empty, see privacy.ts).
 */
import type { GuideRequest, GuideStatus } from '../interfaces/index.js';
import type { SchemaRegistry } from '../ros/schemas/index.js';
import { decisionsOf, type Decision } from './decisions.js';
import { RecordingError, messageOf } from './errors.js';
import type { RecordedChannel, RecordedMessage, Recording } from './reader.js';
import { METADATA_START } from './recorder.js';

export const STATUS_TOPIC = '/guide/status';
export const REQUEST_TYPE = 'medhjalparen_msgs/msg/GuideRequest';

export function channelName(c: RecordedChannel): string {
  return `channel ${c.topic} (id ${c.id})`;
}

/** Throws RecordingError naming the first channel a replay cannot decode. */
export function checkChannels(recording: Recording, registry: SchemaRegistry): void {
  if (recording.profile !== 'ros2') {
    throw new RecordingError(recording.file, 'header', `profile '${recording.profile}', expected 'ros2'`);
  }
  for (const c of recording.channels) {
    const where = channelName(c);
    if (c.schemaEncoding !== 'ros2msg')
      throw new RecordingError(
        recording.file,
        where,
        `schema encoding '${c.schemaEncoding}' (schema '${c.schemaName}'): only ros2msg schemas are replayed`,
      );
    if (c.messageEncoding !== 'cdr')
      throw new RecordingError(
        recording.file,
        where,
        `message encoding '${c.messageEncoding}': only cdr is replayed`,
      );
    if (!registry.has(c.schemaName))
      throw new RecordingError(
        recording.file,
        where,
        `type '${c.schemaName}' is not in this robot's schema registry (interfaces/): recorded by another version?`,
      );
  }
}

/** One message decoded, or a RecordingError naming the channel, time and field. */
export function decodeMessage(file: string, registry: SchemaRegistry, m: RecordedMessage): unknown {
  try {
    return registry.decode(m.channel.schemaName, m.data);
  } catch (e) {
    throw new RecordingError(
      file,
      channelName(m.channel),
      `message ${m.sequence} at log time ${m.logTime} ns does not decode as ${m.channel.schemaName}: ${messageOf(e)}`,
      { cause: e },
    );
  }
}

/** The node time the recording started at (recorder metadata), else its first message's. */
export function recordedStartNs(recording: Recording, firstLogTime: bigint | undefined): bigint {
  const start = recording.metadata.get(METADATA_START)?.get('start_time_ns');
  if (start !== undefined && /^\d+$/.test(start)) return BigInt(start);
  return firstLogTime ?? 0n;
}

export interface RecordedMission {
  decisions: Decision[];
  /** Each request's destination, as the mission understood it. */
  destinations: Map<string, string>;
}

/** The recorded statuses, read in a first pass (which also checks every chunk on the way). */
export async function readRecordedMission(
  recording: Recording,
  registry: SchemaRegistry,
): Promise<RecordedMission> {
  const statuses: Array<{ atNs: bigint; status: GuideStatus }> = [];
  const destinations = new Map<string, string>();
  if (!recording.channels.some((c) => c.topic === STATUS_TOPIC)) return { decisions: [], destinations };
  for await (const m of recording.messages([STATUS_TOPIC])) {
    const status = decodeMessage(recording.file, registry, m) as GuideStatus;
    statuses.push({ atNs: m.logTime, status });
    const words = status.destination_id || termOf(status.why);
    if (status.request_id && words && !destinations.has(status.request_id))
      destinations.set(status.request_id, words);
  }
  return { decisions: decisionsOf(statuses), destinations };
}

/**
 * The site's own catalogue term that chose the decision, from GuideStatus.why ("elsewhere tax:
 * 'verokortti' (fi)"): the words a request for a service found elsewhere is rebuilt from (it has
 * no destination id). Never the customer's words: `why` holds only the site's. Undefined when
 * there is none, or it was cut short.
 */
export function termOf(why: string): string | undefined {
  const term = /: '(.*)'(?: \((?:fi|sv|en)\))?$/.exec(why)?.[1];
  return term && !term.endsWith('…') ? term : undefined;
}

/**
 * A recorded request with its words put back as the destination the mission understood then
 * (the mission takes a destination id as a request's text), or the site's term that sent the
 * customer elsewhere. Undefined when it was not redacted.
 */
export function rebuiltRequest(
  msg: GuideRequest,
  destinations: ReadonlyMap<string, string>,
): GuideRequest | undefined {
  if (msg.text !== '') return undefined;
  return { ...msg, text: destinations.get(msg.request_id) ?? '' };
}
