/**
 * Reads a recording. A whole file is read through its summary with @mcap/core's indexed reader
 * (messages in log-time order, every chunk's CRC checked as it is decompressed); a file without
 * one (cut short) is walked from the front, keeping every whole record before the damage and
 * saying what was lost (walk.ts). Any problem is a RecordingError naming the file and the byte
 * offset or channel.
 */
import { readFile } from 'node:fs/promises';
import {
  MCAP_MAGIC,
  McapIndexedReader,
  Opcode,
  type DecompressHandlers,
  type IReadable,
  type TypedMcapRecords,
} from '@mcap/core';
import { decompressHandlers } from './compression.js';
import { RecordingError, atByte, messageOf } from './errors.js';
import { describeDamage, walkRecords, type Damage, type Walked } from './walk.js';

export interface RecordedChannel {
  id: number;
  topic: string;
  schemaName: string;
  schemaEncoding: string;
  schemaData: Uint8Array;
  messageEncoding: string;
  metadata: ReadonlyMap<string, string>;
}

export interface RecordedMessage {
  channel: RecordedChannel;
  sequence: number;
  logTime: bigint;
  publishTime: bigint;
  data: Uint8Array;
}

export interface Recording {
  readonly file: string;
  readonly size: number;
  readonly profile: string;
  readonly library: string;
  /** Read through the summary (true), or walked from the front because it had none (false). */
  readonly indexed: boolean;
  readonly channels: readonly RecordedChannel[];
  /** Metadata records by name. */
  readonly metadata: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** What was skipped or lost, each naming its byte offset; empty for a whole file. */
  readonly damage: readonly string[];
  /** Messages in log-time order, of `topics` only when given. */
  messages(topics?: readonly string[]): AsyncGenerator<RecordedMessage>;
}

/** Opens `file`; throws RecordingError when it is not an MCAP file at all. */
export async function openRecording(file: string): Promise<Recording> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new RecordingError(file, 'cannot read it', messageOf(e), { cause: e });
  }
  if (bytes.length < MCAP_MAGIC.length || !MCAP_MAGIC.every((b, i) => bytes[i] === b)) {
    throw new RecordingError(
      file,
      atByte(0),
      'not an MCAP file: it does not begin with the MCAP magic bytes',
      {
        offset: 0,
      },
    );
  }
  const handlers = await decompressHandlers();
  let reader: McapIndexedReader;
  try {
    reader = await McapIndexedReader.Initialize({
      readable: memoryReadable(bytes),
      decompressHandlers: handlers,
    });
  } catch (e) {
    const why = endsWithMagic(bytes)
      ? `no usable summary (${messageOf(e)})`
      : 'no summary: the file does not end with the MCAP magic bytes (cut short)';
    return walkedRecording(file, bytes, handlers, why);
  }
  const broken = indexDamage(bytes, reader);
  if (broken)
    return walkedRecording(
      file,
      bytes,
      handlers,
      `the summary's indexes are damaged (${describeDamage(broken)})`,
    );
  return indexedRecording(file, bytes, reader, handlers);
}

function endsWithMagic(bytes: Uint8Array): boolean {
  const tail = bytes.length - MCAP_MAGIC.length;
  return tail >= MCAP_MAGIC.length && MCAP_MAGIC.every((b, i) => bytes[tail + i] === b);
}

function memoryReadable(bytes: Uint8Array): IReadable {
  return {
    size: () => Promise.resolve(BigInt(bytes.length)),
    read: (offset, size) => Promise.resolve(bytes.subarray(Number(offset), Number(offset + size))),
  };
}

/**
 * Where the summary's indexes do not fit the file, if they do not: every chunk index must point
 * at a chunk of the length it says, and each of its message indexes at a Message Index record of
 * that channel whose entries lie within the chunk (offsets and times). The indexed reader trusts
 * them; a file whose indexes lie is read from the front instead.
 */
function indexDamage(bytes: Uint8Array, reader: McapIndexedReader): Damage | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const recordEnd = (at: number, opcode: number) =>
    at + 9 <= bytes.length && bytes[at] === opcode ? at + 9 + Number(view.getBigUint64(at + 1, true)) : -1;
  for (const [i, index] of reader.chunkIndexes.entries()) {
    const at = Number(index.chunkStartOffset);
    const end = recordEnd(at, Opcode.CHUNK);
    if (end < 0 || BigInt(end - at) !== index.chunkLength || end > bytes.length)
      return {
        offset: at,
        what: `chunk index ${i} points here, but there is no chunk of ${index.chunkLength} bytes here`,
      };
    for (const [channel, offset] of index.messageIndexOffsets) {
      const wrong = messageIndexProblem(
        view,
        Number(offset),
        channel,
        index,
        recordEnd(Number(offset), Opcode.MESSAGE_INDEX),
      );
      if (wrong)
        return {
          offset: Number(offset),
          what: `message index of channel ${channel} (chunk at byte ${at}): ${wrong}`,
        };
    }
  }
  return undefined;
}

function messageIndexProblem(
  view: DataView,
  at: number,
  channel: number,
  chunk: TypedMcapRecords['ChunkIndex'],
  end: number,
): string | undefined {
  if (end < 0 || end > view.byteLength || view.getUint16(at + 9, true) !== channel)
    return 'no Message Index record of this channel here';
  const entriesEnd = at + 15 + view.getUint32(at + 11, true);
  if (entriesEnd > end) return 'its entries run past the record';
  for (let e = at + 15; e + 16 <= entriesEnd; e += 16) {
    const logTime = view.getBigUint64(e, true);
    const offset = view.getBigUint64(e + 8, true);
    if (
      offset >= chunk.uncompressedSize ||
      logTime < chunk.messageStartTime ||
      logTime > chunk.messageEndTime
    )
      return `an entry (log time ${logTime}, offset ${offset}) lies outside its chunk`;
  }
  return undefined;
}

async function indexedRecording(
  file: string,
  bytes: Uint8Array,
  reader: McapIndexedReader,
  handlers: DecompressHandlers,
): Promise<Recording> {
  const metadata = new Map<string, ReadonlyMap<string, string>>();
  for await (const m of reader.readMetadata()) metadata.set(m.name, m.metadata);
  const channels = channelsOf(reader.channelsById, reader.schemasById);
  const byId = new Map(channels.map((c) => [c.id, c]));
  return {
    file,
    size: bytes.length,
    profile: reader.header.profile,
    library: reader.header.library,
    indexed: true,
    channels,
    metadata,
    damage: [],
    async *messages(topics) {
      try {
        for await (const m of reader.readMessages(topics ? { topics } : {})) yield toRecorded(file, m, byId);
      } catch (e) {
        throw chunkFailure(file, bytes, handlers, e);
      }
    },
  };
}

/** Which chunk a failed indexed read broke on: the first one that does not read on its own. */
function chunkFailure(
  file: string,
  bytes: Uint8Array,
  handlers: DecompressHandlers,
  cause: unknown,
): RecordingError {
  if (cause instanceof RecordingError) return cause;
  const first = walkRecords(bytes, handlers).damage[0];
  return first
    ? new RecordingError(file, atByte(first.offset), first.what, { offset: first.offset, cause })
    : new RecordingError(file, 'reading messages', messageOf(cause), { cause });
}

function walkedRecording(
  file: string,
  bytes: Uint8Array,
  handlers: DecompressHandlers,
  why: string,
): Recording {
  const walked = walkRecords(bytes, handlers);
  if (!walked.header) {
    throw new RecordingError(file, atByte(MCAP_MAGIC.length), 'no Header record after the magic bytes', {
      offset: MCAP_MAGIC.length,
    });
  }
  const channels = channelsOf(walked.channels, walked.schemas);
  const byId = new Map(channels.map((c) => [c.id, c]));
  const messages = orderedMessages(walked);
  const damage = [`${why}: read from the front`, ...walked.damage.map(describeDamage)];
  return {
    file,
    size: bytes.length,
    profile: walked.header.profile,
    library: walked.header.library,
    indexed: false,
    channels,
    metadata: new Map(walked.metadata.map((m) => [m.name, m.metadata])),
    damage,
    async *messages(topics) {
      const wanted = topics ? new Set(topics) : undefined;
      for (const m of messages) {
        const recorded = toRecorded(file, m, byId);
        if (!wanted || wanted.has(recorded.channel.topic)) yield recorded;
      }
    },
  };
}

/** Log-time order, stable (the order of the file among equal times). */
function orderedMessages(walked: Walked): Walked['messages'] {
  return walked.messages
    .map((m, i) => ({ m, i }))
    .sort((a, b) => (a.m.logTime < b.m.logTime ? -1 : a.m.logTime > b.m.logTime ? 1 : a.i - b.i))
    .map(({ m }) => m);
}

function channelsOf(
  channels: ReadonlyMap<number, TypedMcapRecords['Channel']>,
  schemas: ReadonlyMap<number, TypedMcapRecords['Schema']>,
): RecordedChannel[] {
  return [...channels.values()].map((c) => {
    const schema = schemas.get(c.schemaId);
    return {
      id: c.id,
      topic: c.topic,
      schemaName: schema?.name ?? '',
      schemaEncoding: schema?.encoding ?? '',
      schemaData: schema?.data ?? new Uint8Array(),
      messageEncoding: c.messageEncoding,
      metadata: c.metadata,
    };
  });
}

function toRecorded(
  file: string,
  m: TypedMcapRecords['Message'],
  byId: Map<number, RecordedChannel>,
): RecordedMessage {
  const channel = byId.get(m.channelId);
  if (!channel)
    throw new RecordingError(
      file,
      `channel ${m.channelId}`,
      'a message on a channel the file does not describe',
    );
  return { channel, sequence: m.sequence, logTime: m.logTime, publishTime: m.publishTime, data: m.data };
}
