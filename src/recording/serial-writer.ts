/**
 * McapWriter behind a queue. McapWriter's calls must not overlap (each awaits its file write), and
 * a recorder's messages arrive in callbacks that must return at once: so every call is queued and
 * runs after the one before, off the callback. A failed write (a full disk) stops the writing and
 * is kept to be reported; it never reaches the callback that queued the message.
 */
import { McapWriter, type IWritable, type Metadata } from '@mcap/core';
import type { CompressChunk } from './compression.js';

/** Where the bytes go (a FileSink), closed once the file is complete. */
export interface Sink extends IWritable {
  close(): Promise<void>;
}

export interface SerialWriterOptions {
  sink: Sink;
  compress: CompressChunk;
  /** Uncompressed bytes per chunk. */
  chunkSize: number;
  /** Calls queued and not yet run, beyond which `tryAdd` refuses (a disk that cannot keep up). */
  maxPending: number;
}

export interface QueuedMessage {
  channelId: Promise<number>;
  sequence: number;
  logTime: bigint;
  publishTime: bigint;
  data: Uint8Array;
}

export class SerialWriter {
  readonly #writer: McapWriter;
  readonly #sink: Sink;
  readonly #maxPending: number;
  #tail: Promise<void> = Promise.resolve();
  #pending = 0;
  #failure: Error | undefined;
  readonly #schemaIds = new Map<string, Promise<number>>();

  constructor(options: SerialWriterOptions) {
    this.#sink = options.sink;
    this.#maxPending = options.maxPending;
    this.#writer = new McapWriter({
      writable: options.sink,
      chunkSize: options.chunkSize,
      compressChunk: options.compress,
    });
  }

  /** The write error that stopped the recording, if one did. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  start(profile: string, library: string): Promise<void> {
    return this.#queue(() => this.#writer.start({ profile, library }));
  }

  addMetadata(metadata: Metadata): Promise<void> {
    return this.#queue(() => this.#writer.addMetadata(metadata));
  }

  /** The id of a channel on `topic`, its schema registered once per type. */
  channel(
    topic: string,
    schema: { name: string; data: string },
    metadata: Map<string, string>,
  ): Promise<number> {
    let schemaId = this.#schemaIds.get(schema.name);
    if (!schemaId) {
      const data = new TextEncoder().encode(schema.data);
      schemaId = this.#queue(() =>
        this.#writer.registerSchema({ name: schema.name, encoding: 'ros2msg', data }),
      );
      this.#schemaIds.set(schema.name, schemaId);
    }
    const id = schemaId;
    return this.#queue(async () =>
      this.#writer.registerChannel({ topic, schemaId: await id, messageEncoding: 'cdr', metadata }),
    );
  }

  /** Queues a message; false when it was refused (writing failed, or too much is pending). */
  tryAdd(message: QueuedMessage): boolean {
    if (this.#failure || this.#pending >= this.#maxPending) return false;
    void this.#queue(async () =>
      this.#writer.addMessage({
        channelId: await message.channelId,
        sequence: message.sequence,
        logTime: message.logTime,
        publishTime: message.publishTime,
        data: message.data,
      }),
    ).catch(() => undefined);
    return true;
  }

  /** Writes what is queued, the last chunk, the indexes and the summary, and closes the file. */
  async end(): Promise<void> {
    try {
      await this.#queue(() => this.#writer.end());
    } catch {
      // Kept in #failure; the file is closed all the same.
    } finally {
      await this.#sink.close().catch((e: unknown) => this.#fail(e));
    }
  }

  #queue<T>(task: () => Promise<T>): Promise<T> {
    this.#pending++;
    const run = this.#tail.then(() => {
      if (this.#failure) throw this.#failure;
      return task();
    });
    this.#tail = run.then(
      () => void this.#pending--,
      (e: unknown) => {
        this.#pending--;
        this.#fail(e);
      },
    );
    return run;
  }

  #fail(e: unknown): void {
    this.#failure ??= e instanceof Error ? e : new Error(String(e));
  }
}
