/** Every way the simulator refuses a request or a scenario; codes are never reused. */
export type SimErrorCode =
  | 'BAD_NUMBER'
  | 'DUPLICATE_ID'
  | 'UNKNOWN_ID'
  | 'ROBOT_START_BLOCKED'
  | 'DISTANCE_FIELD_SIZE'
  | 'NOT_FOLLOWING'
  /** A scenario file cannot be read: missing, not a regular file, or over its size limit. */
  | 'SCENARIO_READ'
  /** A scenario file is not valid YAML. */
  | 'SCENARIO_SYNTAX'
  /** Fields of a scenario are wrong or over their limits (every one found is listed). */
  | 'SCENARIO_FIELD'
  /** A scenario names what its site does not have: a destination, a free start, a place on the map. */
  | 'SCENARIO_SITE';

/** One thing wrong, where it is (`file:line`, or what the user named) and what. */
export interface Problem {
  where: string;
  what: string;
}

/**
 * The simulator's error family: a code, where the bad value came from, expected vs found. A
 * scenario reports every problem it has, not only the first: `problems` lists them all (the
 * first is the error's own), one line each in the message.
 */
export class SimError extends Error {
  readonly problems: readonly Problem[];

  constructor(
    readonly code: SimErrorCode,
    readonly where: string,
    what: string,
    more: readonly Problem[] = [],
  ) {
    super([{ where, what }, ...more].map((p) => `${p.where}: ${p.what}`).join('\n'));
    this.name = 'SimError';
    this.problems = [{ where, what }, ...more];
  }

  /** One error holding every problem found (at least one). */
  static of(code: SimErrorCode, problems: readonly Problem[]): SimError {
    const [first, ...more] = problems;
    return new SimError(code, first?.where ?? '', first?.what ?? 'unknown problem', more);
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
