import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { emulatedDriveBase } from '../../firmware-bridge/emulator/in-the-loop.js';
import type { RunHooks } from '../../sim/runner.js';

export const BASES = ['ideal', 'emulated'] as const;
export type BaseChoice = (typeof BASES)[number];

export function parseBase(value: string): BaseChoice {
  if (!(BASES as readonly string[]).includes(value)) {
    throw new Error(`--base: expected one of ${BASES.join(', ')}, got '${value}'`);
  }
  return value as BaseChoice;
}

/**
 * The runner hook for `--base emulated`: the real firmware, built first, on an emulated
 * ATmega328P in lockstep with the simulator, behind johnny-five and the drive-base driver.
 */
export async function driveBaseHook(base: BaseChoice): Promise<Pick<RunHooks, 'driveBase'>> {
  if (base === 'ideal') return {};
  await promisify(execFile)('bash', ['firmware-bridge/build.sh']);
  return { driveBase: emulatedDriveBase() };
}
