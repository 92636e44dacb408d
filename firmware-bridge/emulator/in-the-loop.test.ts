/**
 * Where the emulated board's firmware comes from at run time: the package's own build when it is
 * current, else a per-user cache folder, else an error that says how to build it. The package
 * folder is never written to (it may be installed read-only). Each case works on a copy of
 * firmware-bridge/ in a temporary folder; building needs gcc-avr and avr-libc
 * (scripts/ensure-system-deps.sh installs them).
 */
import {
  rmSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { EmulatorError } from './errors.js';
import { builtFirmware } from './in-the-loop.js';

const BRIDGE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const temporary: string[] = [];
afterAll(() => temporary.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** firmware-bridge's sources and build.sh, copied; `hex` adds a build/drive.hex, older or newer than them. */
function bridgeCopy(hex?: { stale: boolean }): { dir: string; cache: string; packaged: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'firmware-'));
  temporary.push(root);
  const dir = path.join(root, 'firmware-bridge');
  cpSync(path.join(BRIDGE, 'firmware'), path.join(dir, 'firmware'), { recursive: true });
  cpSync(path.join(BRIDGE, 'build.sh'), path.join(dir, 'build.sh'));
  const packaged = path.join(dir, 'build', 'drive.hex');
  if (hex) {
    mkdirSync(path.dirname(packaged));
    writeFileSync(packaged, ':00000001FF\n');
    const when = hex.stale ? new Date(Date.now() - 3_600_000) : new Date(Date.now() + 3_600_000);
    utimesSync(packaged, when, when);
  }
  return { dir, cache: path.join(root, 'cache'), packaged };
}

/** An environment whose PATH has bash and nothing else: no AVR toolchain. */
function withoutToolchain(): NodeJS.ProcessEnv {
  const bin = mkdtempSync(path.join(os.tmpdir(), 'bare-path-'));
  temporary.push(bin);
  symlinkSync('/bin/bash', path.join(bin, 'bash'));
  return { PATH: bin, HOME: os.tmpdir() };
}

describe('the firmware an emulated board runs', () => {
  it("is the package's build when it is current, and nothing is written anywhere", async () => {
    const { dir, cache, packaged } = bridgeCopy({ stale: false });
    const notes: string[] = [];
    const before = readdirSync(dir, { recursive: true });
    expect(await builtFirmware({ bridgeDir: dir, cacheDir: cache, note: (l) => notes.push(l) })).toBe(
      packaged,
    );
    expect(readdirSync(dir, { recursive: true })).toEqual(before);
    expect(() => readdirSync(cache)).toThrow(/ENOENT/);
    expect(notes).toEqual([]);
  });

  it('is built into the cache folder, once, when the package has no build', async () => {
    const { dir, cache, packaged } = bridgeCopy();
    const notes: string[] = [];
    const hex = await builtFirmware({ bridgeDir: dir, cacheDir: cache, note: (l) => notes.push(l) });
    expect(hex).toMatch(new RegExp(`^${cache}/drive-firmware-[0-9a-f]{16}/drive\\.hex$`));
    expect(readdirSync(path.dirname(hex))).toContain('drive.hex');
    expect(notes).toEqual([
      `${packaged} is not built: building the drive-base firmware into ${path.dirname(hex)}`,
    ]);
    expect(readdirSync(dir)).not.toContain('build');
    expect(await builtFirmware({ bridgeDir: dir, cacheDir: cache, note: (l) => notes.push(l) })).toBe(hex);
    expect(notes).toHaveLength(1);
  }, 60_000);

  it('says how to build it when it is not built and cannot be built here', async () => {
    const { dir, cache, packaged } = bridgeCopy();
    const error = await builtFirmware({ bridgeDir: dir, cacheDir: cache, env: withoutToolchain() }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EmulatorError);
    expect((error as EmulatorError).code).toBe('FIRMWARE_NOT_BUILT');
    expect((error as EmulatorError).message).toMatch(
      new RegExp(
        `^${packaged}: the drive-base firmware is not built, and building it into ${cache}/drive-firmware-[0-9a-f]{16} failed ` +
          `\\(build\\.sh: avr-gcc not found: install the AVR toolchain: apt-get install gcc-avr avr-libc \\(package gcc-avr\\)\\); ` +
          `build it with: npm run build:firmware \\(in ${path.dirname(dir)}\\)$`,
      ),
    );
  });

  it('falls back to a stale build, saying so, when it cannot be rebuilt', async () => {
    const { dir, cache, packaged } = bridgeCopy({ stale: true });
    const notes: string[] = [];
    const hex = await builtFirmware({
      bridgeDir: dir,
      cacheDir: cache,
      env: withoutToolchain(),
      note: (l) => notes.push(l),
    });
    expect(hex).toBe(packaged);
    expect(notes.at(-1)).toBe(
      `cannot rebuild the drive-base firmware (build.sh: avr-gcc not found: install the AVR toolchain: apt-get install gcc-avr avr-libc (package gcc-avr)): using ${packaged} as it is`,
    );
  });
});
