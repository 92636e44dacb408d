/**
 * Reads an MCAP file record by record from the front, as far as it goes: what a file without a
 * summary (a recording cut short: power lost, process killed, disk full) needs, and how a damaged
 * chunk is found. Each top-level record is framed here (opcode, length), so every problem has the
 * byte offset of its record; @mcap/core's stream reader parses each one (decompression, CRCs,
 * the records inside chunks). A record that fails is skipped, the schemas and channels already
 * read are carried over, and the walk goes on with the next; a file that ends inside a record
 * stops it. What was skipped and where the file ends early is said in `damage`.
 */
import {
  MCAP_MAGIC,
  McapRecordBuilder,
  McapStreamReader,
  Opcode,
  type DecompressHandlers,
  type TypedMcapRecord,
  type TypedMcapRecords,
} from '@mcap/core';
import { atByte, messageOf } from './errors.js';

type Schema = TypedMcapRecords['Schema'];
type Channel = TypedMcapRecords['Channel'];
type McapMessage = TypedMcapRecords['Message'];

export interface Damage {
  offset: number;
  what: string;
}

/** `byte N: what`, as a person reads it. */
export function describeDamage(d: Damage): string {
  return `${atByte(d.offset)}: ${d.what}`;
}

export interface Walked {
  header?: TypedMcapRecords['Header'];
  schemas: Map<number, Schema>;
  channels: Map<number, Channel>;
  messages: McapMessage[];
  metadata: TypedMcapRecords['Metadata'][];
  /** What was skipped or lost, and at which byte offset. */
  damage: Damage[];
}

const RECORD_PREFIX = 9;

/** Walks `bytes` (which begin with the magic) from the first record to wherever they end. */
export function walkRecords(bytes: Uint8Array, decompress: DecompressHandlers): Walked {
  const out: Walked = {
    schemas: new Map(),
    channels: new Map(),
    messages: [],
    metadata: [],
    damage: [],
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let reader = freshReader(decompress, out);
  let offset = MCAP_MAGIC.length;
  while (offset < bytes.length) {
    const left = bytes.length - offset;
    if (left < RECORD_PREFIX) {
      out.damage.push({
        offset,
        what: `the file ends ${left} bytes into a record's 9-byte prefix (cut short)`,
      });
      break;
    }
    const opcode = bytes[offset]!;
    const end = offset + RECORD_PREFIX + Number(view.getBigUint64(offset + 1, true));
    if (end > bytes.length) {
      const what = `the file ends inside this ${opName(opcode)} record (${bytes.length - offset} of ${end - offset} bytes): cut short, the rest is lost`;
      out.damage.push({ offset, what });
      break;
    }
    // The footer is followed by the closing magic: the stream reader checks both together.
    const take = opcode === Opcode.FOOTER ? bytes.length : end;
    try {
      reader.append(bytes.subarray(offset, take));
      for (let r; (r = reader.nextRecord());) keep(out, r);
    } catch (e) {
      out.damage.push({ offset, what: `${opName(opcode)} record skipped: ${messageOf(e)}` });
      reader = freshReader(decompress, out, true);
    }
    offset = take;
  }
  return out;
}

function keep(out: Walked, record: TypedMcapRecord): void {
  switch (record.type) {
    case 'Header':
      out.header = record;
      break;
    case 'Schema':
      out.schemas.set(record.id, record);
      break;
    case 'Channel':
      out.channels.set(record.id, record);
      break;
    case 'Message':
      out.messages.push(record);
      break;
    case 'Metadata':
      out.metadata.push(record);
      break;
    default:
      break;
  }
}

/**
 * A stream reader ready for the next record. After a failure the old one is unusable; the new one
 * is told the schemas and channels read so far, so the messages after the damage still decode.
 */
function freshReader(decompress: DecompressHandlers, known: Walked, resumed = false): McapStreamReader {
  const reader = new McapStreamReader({ decompressHandlers: decompress, noMagicPrefix: resumed });
  if (!resumed) {
    reader.append(new Uint8Array(MCAP_MAGIC));
    return reader;
  }
  const builder = new McapRecordBuilder();
  for (const s of known.schemas.values()) builder.writeSchema(s);
  for (const c of known.channels.values()) builder.writeChannel(c);
  reader.append(builder.buffer);
  while (reader.nextRecord()) {
    // Replays what was known into the reader's channel table; the records themselves are kept already.
  }
  return reader;
}

const OP_NAMES: Record<number, string> = {
  [Opcode.HEADER]: 'Header',
  [Opcode.FOOTER]: 'Footer',
  [Opcode.SCHEMA]: 'Schema',
  [Opcode.CHANNEL]: 'Channel',
  [Opcode.MESSAGE]: 'Message',
  [Opcode.CHUNK]: 'Chunk',
  [Opcode.MESSAGE_INDEX]: 'MessageIndex',
  [Opcode.CHUNK_INDEX]: 'ChunkIndex',
  [Opcode.ATTACHMENT]: 'Attachment',
  [Opcode.ATTACHMENT_INDEX]: 'AttachmentIndex',
  [Opcode.STATISTICS]: 'Statistics',
  [Opcode.METADATA]: 'Metadata',
  [Opcode.METADATA_INDEX]: 'MetadataIndex',
  [Opcode.SUMMARY_OFFSET]: 'SummaryOffset',
  [Opcode.DATA_END]: 'DataEnd',
};

export function opName(opcode: number): string {
  return OP_NAMES[opcode] ?? `unknown (opcode 0x${opcode.toString(16).padStart(2, '0')})`;
}
