/**
 * A command's output file written whole or not at all: a temporary file beside it, renamed over
 * it, so an interrupted write never leaves half a report (sim sweep, sim batch, export-sdf).
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { excerpt, showControls } from '../src/input/index.js';

/** Writes `text` to `file` whole or not at all; says where it went, or why it could not. */
export async function writeWhole(flag: string, file: string, text: string): Promise<boolean> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.part`);
  try {
    await writeFile(tmp, text);
    await rename(tmp, file);
    process.stdout.write(`${flag.slice(2)}: ${showControls(file)}\n`);
    return true;
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    const why = e instanceof Error ? e.message : String(e);
    process.stderr.write(`medhjalparen: ${flag} ${excerpt(file)}: cannot write it: ${excerpt(why, 200)}\n`);
    return false;
  }
}
