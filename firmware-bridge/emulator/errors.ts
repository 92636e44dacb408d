/** Every way the emulator refuses a request; codes are never reused. */
export type EmulatorErrorCode =
  | 'HEX_SYNTAX'
  | 'HEX_CHECKSUM'
  | 'HEX_RECORD'
  | 'HEX_RANGE'
  | 'HEX_NO_EOF'
  | 'BAD_NUMBER'
  | 'PORT_STATE'
  | 'UNSUPPORTED'
  | 'SOCAT_MISSING'
  | 'PTY_START'
  /** The pty bridge's link path is taken (a file, a folder, a device, another bridge's live pty) or cannot be made. */
  | 'PTY_LINK'
  /** No built drive-base firmware, and it cannot be built here (no AVR toolchain, no cache folder). */
  | 'FIRMWARE_NOT_BUILT';

/** The emulator's error family: a code, where the bad value came from, expected vs found. */
export class EmulatorError extends Error {
  constructor(
    readonly code: EmulatorErrorCode,
    readonly where: string,
    what: string,
  ) {
    super(`${where}: ${what}`);
    this.name = 'EmulatorError';
  }
}

/** Throws BAD_NUMBER unless `value` is finite and within [min, max]. */
export function requireInRange(value: number, where: string, min: number, max: number): number {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new EmulatorError('BAD_NUMBER', where, `expected a number in [${min}, ${max}], found ${value}`);
  }
  return value;
}
