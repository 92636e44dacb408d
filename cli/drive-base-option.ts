/**
 * `--base ideal|emulated`: which drive base the simulator world has. 'emulated' puts the real
 * firmware, as built, on an emulated ATmega328P in lockstep with the simulator, behind
 * johnny-five and the robot's own drive-base driver.
 */
import { showControls } from '../src/input/index.js';
import type { BoardInTheLoop } from '../firmware-bridge/emulator/in-the-loop.js';

export const BASES = ['ideal', 'emulated'] as const;
export type BaseChoice = (typeof BASES)[number];

export function parseBase(value: string): BaseChoice {
  if (!(BASES as readonly string[]).includes(value)) {
    throw new Error(`--base: expected one of ${BASES.join(', ')}, got '${value}'`);
  }
  return value as BaseChoice;
}

/** Finds the built firmware (see builtFirmware) and hands out boards starting at a given node time. */
export async function emulatedBoards(
  base: BaseChoice,
): Promise<((startNs: bigint) => Promise<BoardInTheLoop>) | undefined> {
  if (base === 'ideal') return undefined;
  const { boardInTheLoop } = await import('../firmware-bridge/emulator/in-the-loop.js');
  const hexPath = await firmwareHex();
  return (startNs) => boardInTheLoop(startNs, { hexPath });
}

/**
 * The drive-base firmware for an emulated board: the package's build, else one built into the
 * user's cache folder (said on stderr), else an error saying how to build it. Never writes into
 * the package: it may be installed read-only.
 */
export async function firmwareHex(): Promise<string> {
  const { builtFirmware } = await import('../firmware-bridge/emulator/in-the-loop.js');
  return builtFirmware({ note: (line) => process.stderr.write(`${showControls(line)}\n`) });
}
