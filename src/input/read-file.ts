/**
 * Reading an input file safely: only a regular file (never a FIFO, a device such as /dev/zero, or
 * a directory, which would hang or never end), no larger than its limit, checked from the open
 * file itself before anything is read or allocated.
 */
import { constants, openSync, fstatSync, readSync, closeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { InputError } from './errors.js';
import { LIMITS, type LimitName } from './limits.js';

export interface ReadOptions {
  /** Which limit bounds the file's size (see limits.ts). */
  limit: LimitName;
  /** How the user named it, for messages (default: the path). */
  where?: string;
}

// Non-blocking, so opening a FIFO with no writer returns at once instead of hanging.
const READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

export async function readInputFile(path: string, options: ReadOptions): Promise<Buffer> {
  const where = options.where ?? path;
  const handle = await open(path, READ_FLAGS).catch((e: unknown) => {
    throw openError(e, path, where);
  });
  try {
    const size = checkStat(await handle.stat(), path, where, options.limit);
    const buffer = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const { bytesRead } = await handle.read(buffer, read, size - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return buffer.subarray(0, read);
  } finally {
    await handle.close();
  }
}

export function readInputFileSync(path: string, options: ReadOptions): Buffer {
  const where = options.where ?? path;
  let fd: number;
  try {
    fd = openSync(path, READ_FLAGS);
  } catch (e) {
    throw openError(e, path, where);
  }
  try {
    const size = checkStat(fstatSync(fd), path, where, options.limit);
    const buffer = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buffer, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

function checkStat(
  stat: { isFile(): boolean; isDirectory(): boolean; size: number },
  path: string,
  where: string,
  limit: LimitName,
): number {
  if (!stat.isFile()) {
    const kind = stat.isDirectory() ? 'a directory' : 'not a regular file (a device, FIFO or socket)';
    throw new InputError('NOT_A_FILE', where, `${path} is ${kind}; expected a regular file`);
  }
  const max = LIMITS[limit];
  if (stat.size > max.value) {
    throw new InputError(
      'TOO_LARGE',
      where,
      `${path} is ${stat.size} bytes; the limit for ${max.what} is ${max.value} ${max.unit} (docs/limits.md)`,
    );
  }
  return stat.size;
}

function openError(e: unknown, path: string, where: string): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new InputError('NOT_FOUND', where, `file not found: ${path}`);
  return new InputError('UNREADABLE', where, `cannot read ${path}: ${code ?? String(e)}`);
}
