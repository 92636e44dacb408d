// The drive-base firmware builds with the project's own script into a .hex that fits the
// ATmega328P with room to spare, and its pure modules pass their host unit tests (codec against
// the shared vectors, bit flips, fuzzing, ramps, PI, safety rules) under ASan/UBSan.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const buildScript = join(here, 'build.sh');
const testScript = join(here, 'test', 'run.sh');
const hexPath = join(here, 'build', 'drive.hex');

const INSTALL_HINT = 'apt-get install gcc-avr avr-libc';
/** Uno-class boards keep a 512-byte bootloader (Optiboot) at the top of the 32 KB flash. */
const FLASH_USABLE = 32 * 1024 - 512;
const RAM = 2 * 1024;
/** Room the firmware must leave: flash for later features, RAM for the stack (ISRs nest on it). */
const FLASH_MARGIN = 4 * 1024;
const RAM_MARGIN = 512;

/** bash by its absolute path, so a script can also be run with a PATH that lacks the toolchain. */
const bash = spawnSync('bash', ['-c', 'echo "$BASH"'], { encoding: 'utf8' }).stdout.trim() || 'bash';

function run(script: string, env: NodeJS.ProcessEnv = process.env): SpawnSyncReturns<string> {
  return spawnSync(bash, [script], { encoding: 'utf8', env, timeout: 60_000 });
}

/** Fails (never skips) when the AVR toolchain is not installed, saying how to install it. */
function requireToolchain(): void {
  for (const tool of ['avr-gcc', 'avr-objcopy', 'avr-size']) {
    const probe = spawnSync(tool, ['--version'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) {
      throw new Error(`${tool} is missing: the firmware needs the AVR toolchain (${INSTALL_HINT})`);
    }
  }
}

function explain(result: SpawnSyncReturns<string>): string {
  return `exit ${result.status}${result.error ? ` (${result.error.message})` : ''}\n${result.stdout}\n${result.stderr}`;
}

/** avr-size -C: "Program:   11138 bytes (34.0% Full)" and "Data:        871 bytes (42.5% Full)". */
function parseAvrSize(output: string): { flash: number; ram: number } {
  const flash = /^Program:\s+(\d+) bytes/m.exec(output);
  const ram = /^Data:\s+(\d+) bytes/m.exec(output);
  if (!flash?.[1] || !ram?.[1]) throw new Error(`avr-size output not understood:\n${output}`);
  return { flash: Number(flash[1]), ram: Number(ram[1]) };
}

describe('drive-base firmware', () => {
  it('builds drive.hex that fits the ATmega328P with margin', () => {
    requireToolchain();
    const result = run(buildScript);
    expect(result.status, explain(result)).toBe(0);
    expect(existsSync(hexPath)).toBe(true);

    const hex = readFileSync(hexPath, 'utf8').trim().split(/\r?\n/);
    expect(hex.every((line) => /^:[0-9A-F]+$/.test(line))).toBe(true);
    expect(hex.at(-1)).toBe(':00000001FF'); // Intel HEX end-of-file record

    const { flash, ram } = parseAvrSize(result.stdout);
    expect(flash).toBeGreaterThan(1024); // a real program, not an empty image
    expect(flash).toBeLessThanOrEqual(FLASH_USABLE - FLASH_MARGIN);
    expect(ram).toBeLessThanOrEqual(RAM - RAM_MARGIN);
  });

  it('passes its host unit tests', () => {
    const result = run(testScript);
    expect(result.status, explain(result)).toBe(0);
    const summary = /^(\d+) passed, (\d+) failed$/m.exec(result.stdout);
    expect(summary, explain(result)).not.toBeNull();
    expect(Number(summary?.[2])).toBe(0);
    expect(Number(summary?.[1])).toBeGreaterThan(100);
  });

  it('names the Debian packages when the AVR toolchain is missing', () => {
    const result = run(buildScript, { PATH: '/nonexistent' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(INSTALL_HINT);
  });
});
