/**
 * Where a recording goes: a file, written front to back as McapWriter hands over its records
 * (@mcap/core's IWritable). The file is written in place, never to a temporary name renamed at
 * the end: a robot that loses power leaves the recording up to its last whole chunk, which the
 * reader recovers. Only a new file, an empty one or an earlier recording is ever overwritten.
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { IWritable } from '@mcap/core';
import { MCAP_MAGIC } from '@mcap/core';
import { RecordingError, messageOf } from './errors.js';

export class FileSink implements IWritable {
  readonly file: string;
  readonly #handle: FileHandle;
  #position = 0n;
  #closed = false;

  private constructor(file: string, handle: FileHandle) {
    this.file = file;
    this.#handle = handle;
  }

  /** Opens `file` for a new recording; throws RecordingError when it must not or cannot be. */
  static async open(file: string): Promise<FileSink> {
    const problem = await recordingTargetProblem(file);
    if (problem) throw new RecordingError(file, 'cannot record here', problem);
    try {
      return new FileSink(file, await open(file, 'w'));
    } catch (e) {
      throw new RecordingError(file, 'cannot record here', messageOf(e), { cause: e });
    }
  }

  async write(buffer: Uint8Array): Promise<void> {
    if (this.#closed) throw new RecordingError(this.file, 'write', 'the recording is already closed');
    let done = 0;
    while (done < buffer.byteLength) {
      const { bytesWritten } = await this.#handle.write(buffer, done, buffer.byteLength - done);
      done += bytesWritten;
    }
    this.#position += BigInt(buffer.byteLength);
  }

  position(): bigint {
    return this.#position;
  }

  /** Flushes to the disk and closes; safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#handle.sync();
    } finally {
      await this.#handle.close();
    }
  }
}

/** Why `file` must not be opened for a recording, or undefined when it may. */
export async function recordingTargetProblem(file: string): Promise<string | undefined> {
  const dir = path.dirname(path.resolve(file));
  const folder = await stat(dir).catch(() => undefined);
  if (!folder?.isDirectory()) return `its folder ${dir} does not exist`;
  const existing = await stat(file).catch(() => undefined);
  if (!existing) return undefined;
  if (existing.isDirectory()) return 'it is a folder; expected a file name such as run.mcap';
  if (!existing.isFile()) return 'it is not a regular file (a device, FIFO or socket)';
  if (existing.size === 0 || (await startsWithMagic(file))) return undefined;
  return 'it exists and is not an MCAP recording; refusing to overwrite it (give a new file name)';
}

async function startsWithMagic(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(MCAP_MAGIC.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return bytesRead === head.length && MCAP_MAGIC.every((b, i) => head[i] === b);
  } finally {
    await handle.close();
  }
}
