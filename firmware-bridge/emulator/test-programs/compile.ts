/**
 * Builds a test program from this folder into an Intel HEX file with the Debian AVR toolchain,
 * as the drive firmware's build does; for the emulator's own tests, which must not depend on the
 * drive firmware being finished.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Compiles `<name>.c` with extra `-D` defines; resolves to the .hex path (in a fresh temp folder). */
export async function compileTestProgram(
  name: string,
  defines: Record<string, string | number> = {},
): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `emu-${name}-`));
  const elf = path.join(dir, `${name}.elf`);
  const hex = path.join(dir, `${name}.hex`);
  const flags = Object.entries(defines).map(([k, v]) => `-D${k}=${v}`);
  try {
    await run('avr-gcc', [
      '-mmcu=atmega328p',
      '-DF_CPU=16000000UL',
      '-Os',
      '-std=gnu11',
      '-Wall',
      '-Werror',
      ...flags,
      '-o',
      elf,
      path.join(HERE, `${name}.c`),
    ]);
    await run('avr-objcopy', ['-O', 'ihex', '-R', '.eeprom', elf, hex]);
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT')
      throw new Error('avr-gcc is not installed: apt-get install gcc-avr avr-libc', { cause: error });
    throw new Error(`building ${name}.c failed: ${e.stderr ?? e.message}`, { cause: error });
  }
  return hex;
}

/** Removes the temp folder a `compileTestProgram` build went into. */
export async function removeTestProgram(hex: string): Promise<void> {
  if (path.basename(path.dirname(hex)).startsWith('emu-'))
    await rm(path.dirname(hex), { recursive: true, force: true });
}
