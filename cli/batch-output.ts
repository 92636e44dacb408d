/**
 * Where `sim batch` writes its HTML page, checked before anything runs, and how its files are
 * written: whole or not at all (a temporary file renamed over the target), so an interrupted
 * write never leaves half a report.
 */
import { constants } from 'node:fs';
import { access, open, realpath, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { excerpt } from '../src/input/index.js';
import { GENERATOR } from '../sim/batch/html.js';

/**
 * Why the page cannot go to `file`, or undefined when it can: never a folder, never one of
 * `inputs` (the scenarios, the JSON report), never an existing file that is not an earlier page.
 */
export async function htmlPathProblem(file: string, inputs: readonly string[]): Promise<string | undefined> {
  const abs = path.resolve(file);
  const existing = await stat(abs).catch(() => undefined);
  if (existing?.isDirectory())
    return `is a folder; expected a file name, e.g. ${excerpt(path.join(file, 'report.html'))}`;
  if (existing && !existing.isFile()) return 'is not a regular file; expected a file name';
  for (const input of inputs) {
    if (
      path.resolve(input) === abs ||
      (existing && (await realpath(input).catch(() => '')) === (await realpath(abs)))
    )
      return `is ${excerpt(input)}, which this batch reads or writes; expected another file`;
  }
  if (existing && !(await isEarlierPage(abs)))
    return 'exists and is not an earlier page of sim batch; expected a new file or an earlier page';
  const dir = path.dirname(abs);
  const folder = await stat(dir).catch(() => undefined);
  if (!folder?.isDirectory()) return `its folder ${excerpt(dir)} does not exist`;
  try {
    await access(dir, constants.W_OK);
  } catch {
    return `cannot write in ${excerpt(dir)} (no permission)`;
  }
  return undefined;
}

async function isEarlierPage(file: string): Promise<boolean> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(file, 'r');
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(512), 0, 512, 0);
    const head = buffer.subarray(0, bytesRead).toString('utf8');
    return head.trim() === '' || (head.startsWith('<!doctype html>') && head.includes(GENERATOR));
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}
