import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { McapIndexedReader, McapWriter, type IReadable, type IWritable } from '@mcap/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomMap, siteFor } from '../../sim/test-support.js';
import { decompressHandlers } from './compression.js';
import { RecordingError } from './errors.js';
import { openRecording } from './reader.js';
import { replayRecording } from './replay.js';
import { countsByTopic, recordTalkers, runChecker } from './test-support.js';

let dir: string;
let whole: Uint8Array;
let wholeCounts: Record<string, number>;
let chunkOffsets: number[];
/** Where the Message Index records of the second chunk are, by channel id. */
let secondChunkIndexes: Map<number, bigint>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'medhjalparen-reader-'));
  const file = path.join(dir, 'whole.mcap');
  // Small chunks: a cut or a flipped byte then has whole chunks on both sides of it.
  await recordTalkers(file, { chunkSize: 4096 });
  whole = await readFile(file);
  wholeCounts = await countsByTopic(await openRecording(file));
  const readable: IReadable = {
    size: () => Promise.resolve(BigInt(whole.length)),
    read: (offset, size) => Promise.resolve(whole.subarray(Number(offset), Number(offset + size))),
  };
  const indexed = await McapIndexedReader.Initialize({
    readable,
    decompressHandlers: await decompressHandlers(),
  });
  chunkOffsets = indexed.chunkIndexes.map((c) => Number(c.chunkStartOffset));
  secondChunkIndexes = indexed.chunkIndexes[1]!.messageIndexOffsets;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function variant(name: string, bytes: Uint8Array): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  return file;
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

describe('a recording cut short', () => {
  it('has several chunks to lose', () => {
    expect(chunkOffsets.length).toBeGreaterThanOrEqual(4);
  });

  it('is read from the front as far as it goes, saying where it ends, at every kind of cut', async () => {
    const cuts = [
      chunkOffsets[0]! - 3, // inside the records before the first chunk
      chunkOffsets[1]! + 20, // inside the second chunk
      chunkOffsets[3]! + 5, // inside a chunk's 9-byte prefix
      whole.length - 10, // inside the footer: every message is there, the summary is not usable
    ];
    let before = -1;
    for (const cut of cuts) {
      const file = await variant(`cut-${cut}.mcap`, whole.subarray(0, cut));
      const recording = await openRecording(file);
      expect(recording.indexed).toBe(false);
      expect(recording.damage[0]).toBe(
        'no summary: the file does not end with the MCAP magic bytes (cut short): read from the front',
      );
      const at = /^byte (\d+): /.exec(recording.damage[recording.damage.length - 1]!);
      expect(at, recording.damage.join('\n')).not.toBeNull();
      expect(Number(at![1])).toBeLessThan(cut);
      const got = total(await countsByTopic(recording));
      expect(got).toBeGreaterThanOrEqual(before);
      before = got;
      const checked = runChecker(file);
      expect(checked.status).toBe(1);
      expect(checked.stderr).toMatch(new RegExp(`${file}: byte \\d+: `));
    }
    // The last cut lost only the footer: every message was recovered.
    expect(before).toBe(total(wholeCounts));
  });

  it('keeps whole chunks before the cut and loses the one cut through', async () => {
    const recording = await openRecording(
      await variant('cut-in-3.mcap', whole.subarray(0, chunkOffsets[2]! + 100)),
    );
    expect(recording.damage[1]).toBe(
      `byte ${chunkOffsets[2]}: the file ends inside this Chunk record (100 of ${chunkOffsets[3]! - chunkOffsets[2]! - messageIndexBytes(2)} bytes): cut short, the rest is lost`,
    );
    expect(total(await countsByTopic(recording))).toBeGreaterThan(0);
    expect(total(await countsByTopic(recording))).toBeLessThan(total(wholeCounts));
  });

  it('with nothing but the magic, says there is no header', async () => {
    const file = await variant('magic-only.mcap', whole.subarray(0, 8));
    await expect(openRecording(file)).rejects.toThrow(
      `${file}: byte 8: no Header record after the magic bytes`,
    );
  });
});

/** Bytes of the Message Index records written after chunk `i` (between it and the next chunk). */
function messageIndexBytes(i: number): number {
  const view = new DataView(whole.buffer, whole.byteOffset, whole.byteLength);
  const chunkLength = 9 + Number(view.getBigUint64(chunkOffsets[i]! + 1, true));
  return chunkOffsets[i + 1]! - chunkOffsets[i]! - chunkLength;
}

describe('a damaged recording', () => {
  it('names the chunk whose CRC or compression fails, at its byte offset; the checker finds the same', async () => {
    const bytes = Uint8Array.from(whole);
    const target = chunkOffsets[1]!;
    // Well inside the chunk's compressed records (past its 9-byte prefix and fixed fields).
    bytes[target + 200] = bytes[target + 200]! ^ 0x40;
    const file = await variant('flipped.mcap', bytes);
    const recording = await openRecording(file);
    expect(recording.indexed).toBe(true);
    const read = async () => {
      for await (const _ of recording.messages()) void _;
    };
    await expect(read()).rejects.toThrow(RecordingError);
    await expect(read()).rejects.toThrow(new RegExp(`^${file}: byte ${target}: Chunk record skipped: `));
    const checked = runChecker(file);
    expect(checked.status).toBe(1);
    expect(checked.report.errors[0]).toMatch(new RegExp(`^byte ${target}: Chunk: `));
  });

  it('reads a file whose message indexes lie from the front, saying where, and loses nothing', async () => {
    const bytes = Uint8Array.from(whole);
    const [channel, at] = [...secondChunkIndexes][0]!;
    // The high byte of the first entry's offset: the entry now points far outside its chunk.
    const entry = Number(at) + 15;
    bytes[entry + 8 + 6] = bytes[entry + 8 + 6]! ^ 0x40;
    const file = await variant('lying-index.mcap', bytes);
    const recording = await openRecording(file);
    expect(recording.indexed).toBe(false);
    expect(recording.damage[0]).toMatch(
      new RegExp(
        `^the summary's indexes are damaged \\(byte ${at}: message index of channel ${channel} \\(chunk at byte ${chunkOffsets[1]}\\): an entry .* lies outside its chunk\\): read from the front$`,
      ),
    );
    expect(await countsByTopic(recording)).toEqual(wholeCounts);
    const checked = runChecker(file);
    expect(checked.status).toBe(1);
    expect(checked.report.errors[0]).toMatch(new RegExp(`^byte ${at}: MessageIndex: `));
  });

  it('refuses a file that is not MCAP, at byte 0', async () => {
    const file = await variant(
      'notes.mcap',
      new TextEncoder().encode('these are my notes, not a recording\n'),
    );
    await expect(openRecording(file)).rejects.toThrow(
      `${file}: byte 0: not an MCAP file: it does not begin with the MCAP magic bytes`,
    );
    expect((await openRecording(file).catch((e: RecordingError) => e)) as RecordingError).toMatchObject({
      offset: 0,
    });
    const checked = runChecker(file);
    expect(checked.status).toBe(1);
    expect(checked.report.errors[0]).toMatch(/^byte 0: not an MCAP file/);
  });

  it('says which file cannot be read', async () => {
    const file = path.join(dir, 'missing.mcap');
    await expect(openRecording(file)).rejects.toThrow(`${file}: cannot read it: `);
  });
});

/** A file written with @mcap/core directly: one channel with the schema given. */
async function foreignFile(name: string, schema: { name: string; encoding: string }): Promise<string> {
  const parts: Uint8Array[] = [];
  let position = 0n;
  const writable: IWritable = {
    write: (b) => {
      parts.push(Uint8Array.from(b));
      position += BigInt(b.byteLength);
      return Promise.resolve();
    },
    position: () => position,
  };
  const writer = new McapWriter({ writable });
  await writer.start({ profile: 'ros2', library: 'someone else' });
  const schemaId = await writer.registerSchema({ ...schema, data: new TextEncoder().encode('float64 x\n') });
  const channelId = await writer.registerChannel({
    topic: '/thing',
    schemaId,
    messageEncoding: 'cdr',
    metadata: new Map(),
  });
  await writer.addMessage({ channelId, sequence: 0, logTime: 1n, publishTime: 1n, data: new Uint8Array(12) });
  await writer.end();
  return variant(name, Buffer.concat(parts));
}

describe('a recording the replay cannot decode', () => {
  const site = siteFor(roomMap(6, 6));

  it('refuses a schema encoding other than ros2msg, naming the channel', async () => {
    const file = await foreignFile('protobuf.mcap', {
      name: 'geometry_msgs/msg/Point',
      encoding: 'protobuf',
    });
    await expect(replayRecording(await openRecording(file), { site })).rejects.toThrow(
      `${file}: channel /thing (id 0): schema encoding 'protobuf' (schema 'geometry_msgs/msg/Point'): only ros2msg schemas are replayed`,
    );
    const checked = runChecker(file);
    expect(checked.status).toBe(1);
    expect(checked.report.errors[0]).toMatch(
      /^byte \d+: Chunk: at uncompressed byte \d+: Schema 1 .*'protobuf', expected 'ros2msg'/,
    );
  });

  it("refuses a type this robot's registry does not know, naming the channel and the type", async () => {
    const file = await foreignFile('unknown-type.mcap', { name: 'foo_msgs/msg/Bar', encoding: 'ros2msg' });
    await expect(replayRecording(await openRecording(file), { site })).rejects.toThrow(
      `${file}: channel /thing (id 0): type 'foo_msgs/msg/Bar' is not in this robot's schema registry`,
    );
    // A well-formed file all the same.
    expect(runChecker(file).status).toBe(0);
  });
});
