/**
 * `--base ideal|emulated`: which drive base the simulator world has. 'emulated' puts the real
 * firmware, built first, on an emulated ATmega328P in lockstep with the simulator, behind
 * johnny-five and the robot's own drive-base driver.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { BoardInTheLoop } from '../firmware-bridge/emulator/in-the-loop.js';

export const BASES = ['ideal', 'emulated'] as const;
export type BaseChoice = (typeof BASES)[number];

export function parseBase(value: string): BaseChoice {
  if (!(BASES as readonly string[]).includes(value)) {
    throw new Error(`--base: expected one of ${BASES.join(', ')}, got '${value}'`);
  }
  return value as BaseChoice;
}

/** Builds the firmware (once per call) and hands out boards starting at a given node time. */
export async function emulatedBoards(
  base: BaseChoice,
): Promise<((startNs: bigint) => Promise<BoardInTheLoop>) | undefined> {
  if (base === 'ideal') return undefined;
  await buildFirmware();
  const { boardInTheLoop } = await import('../firmware-bridge/emulator/in-the-loop.js');
  return (startNs) => boardInTheLoop(startNs);
}

export async function buildFirmware(): Promise<void> {
  await promisify(execFile)('bash', ['firmware-bridge/build.sh']);
}
