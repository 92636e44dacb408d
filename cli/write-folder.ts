/**
 * Writing a folder of files whole or not at all: everything goes into a temporary sibling folder,
 * which is renamed into place only when every file is written. An existing folder is replaced
 * only when asked (moved aside first and removed after, restored if the rename fails).
 */
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** What is at `dir` now: nothing, an empty folder, a folder with files, or something else. */
export async function folderState(dir: string): Promise<'absent' | 'empty' | 'full' | 'not-a-folder'> {
  const info = await stat(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  if (!info) return 'absent';
  if (!info.isDirectory()) return 'not-a-folder';
  return (await readdir(dir)).length === 0 ? 'empty' : 'full';
}

/** Writes `files` (name → content) as the folder `dir`; `replace` allows replacing a folder with files. */
export async function writeFolderWhole(
  dir: string,
  files: Readonly<Record<string, string | Uint8Array>>,
  replace: boolean,
): Promise<void> {
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  await mkdir(parent, { recursive: true });
  const temp = path.join(parent, `.${path.basename(target)}.${process.pid}.part`);
  await rm(temp, { recursive: true, force: true });
  try {
    await mkdir(temp);
    for (const [name, content] of Object.entries(files)) await writeFile(path.join(temp, name), content);
    await swapInto(temp, target, replace);
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

async function swapInto(temp: string, target: string, replace: boolean): Promise<void> {
  const state = await folderState(target);
  if (state === 'not-a-folder') throw new Error(`${target} exists and is not a folder`);
  if (state === 'full' && !replace) throw new Error(`${target} exists and is not empty`);
  // rename(2) replaces an empty folder in one step; a full one is moved aside first.
  if (state !== 'full') return rename(temp, target);
  const aside = `${temp}.old`;
  await rename(target, aside);
  try {
    await rename(temp, target);
  } catch (e) {
    await rename(aside, target);
    throw e;
  }
  await rm(aside, { recursive: true, force: true });
}
