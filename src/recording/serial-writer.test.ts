import { describe, expect, it } from 'vitest';
import { McapStreamReader } from '@mcap/core';
import { SerialWriter, type Sink } from './serial-writer.js';

/**
 * A stand-in for a disk that fills up: it takes `room` bytes, then every write fails as a full
 * disk's does (ENOSPC). Named as the stand-in it is; the recorder writes to a real FileSink.
 */
class FillingDiskSink implements Sink {
  readonly written: Uint8Array[] = [];
  #position = 0n;
  closed = false;
  constructor(readonly room: number) {}
  write(buffer: Uint8Array): Promise<void> {
    if (this.#position + BigInt(buffer.byteLength) > BigInt(this.room))
      return Promise.reject(
        Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }),
      );
    this.written.push(Uint8Array.from(buffer));
    this.#position += BigInt(buffer.byteLength);
    return Promise.resolve();
  }
  position(): bigint {
    return this.#position;
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

const noCompression = (chunk: Uint8Array) => ({ compression: '', compressedData: chunk });

function writer(sink: Sink, maxPending = 1000): SerialWriter {
  return new SerialWriter({ sink, compress: noCompression, chunkSize: 1024, maxPending });
}

const schema = { name: 'std_msgs/msg/Bool', data: 'bool data\n' };

describe('the serial writer', () => {
  it('writes calls in the order they were queued, without the caller awaiting any', async () => {
    const sink = new FillingDiskSink(1 << 20);
    const w = writer(sink);
    void w.start('ros2', 'test');
    const channelId = w.channel('/flag', schema, new Map());
    for (let i = 0; i < 100; i++)
      expect(
        w.tryAdd({
          channelId,
          sequence: i,
          logTime: BigInt(i),
          publishTime: BigInt(i),
          data: new Uint8Array(5),
        }),
      ).toBe(true);
    await w.end();
    expect(w.failure).toBeUndefined();
    expect(sink.closed).toBe(true);
    const reader = new McapStreamReader();
    for (const part of sink.written) reader.append(part);
    const sequences: number[] = [];
    for (let r; (r = reader.nextRecord());) if (r.type === 'Message') sequences.push(r.sequence);
    expect(sequences).toEqual([...Array(100).keys()]);
    expect(reader.done()).toBe(true);
  });

  it('stops at a failed write, keeps why, refuses what follows, and still closes the file', async () => {
    const sink = new FillingDiskSink(3000);
    const w = writer(sink);
    await w.start('ros2', 'test');
    const channelId = w.channel('/flag', schema, new Map());
    let accepted = 0;
    for (let i = 0; i < 1000; i++) {
      if (
        w.tryAdd({
          channelId,
          sequence: i,
          logTime: BigInt(i),
          publishTime: BigInt(i),
          data: new Uint8Array(50),
        })
      )
        accepted++;
      // Let the queue run now and then, as the event loop does between control cycles.
      if (i % 50 === 0) await new Promise<void>((r) => setImmediate(r));
    }
    await w.end();
    expect(w.failure?.message).toMatch(/ENOSPC/);
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(1000);
    expect(sink.closed).toBe(true);
  });

  it('refuses messages beyond its queue limit instead of growing without bound', () => {
    const w = writer(new FillingDiskSink(1 << 20), 10);
    const channelId = w.channel('/flag', schema, new Map());
    const results = Array.from({ length: 20 }, (_, i) =>
      w.tryAdd({ channelId, sequence: i, logTime: 0n, publishTime: 0n, data: new Uint8Array(1) }),
    );
    // Two calls are queued already (the schema and the channel).
    expect(results.filter(Boolean)).toHaveLength(8);
  });
});
