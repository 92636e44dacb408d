/** Every way the simulator refuses a request; codes are never reused. */
export type SimErrorCode =
  | 'BAD_NUMBER'
  | 'DUPLICATE_ID'
  | 'UNKNOWN_ID'
  | 'ROBOT_START_BLOCKED'
  | 'DISTANCE_FIELD_SIZE'
  | 'NOT_FOLLOWING';

/** The simulator's error family: a code, where the bad value came from, expected vs found. */
export class SimError extends Error {
  constructor(
    readonly code: SimErrorCode,
    readonly where: string,
    what: string,
  ) {
    super(`${where}: ${what}`);
    this.name = 'SimError';
  }
}

/** Throws BAD_NUMBER unless `value` is finite (and, with `min`, at least `min`). */
export function requireFinite(value: number, where: string, min?: number): number {
  if (!Number.isFinite(value) || (min !== undefined && value < min)) {
    const expected = min === undefined ? 'a finite number' : `a finite number ≥ ${min}`;
    throw new SimError('BAD_NUMBER', where, `expected ${expected}, found ${value}`);
  }
  return value;
}
