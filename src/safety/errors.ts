/** Every way the safety gate can be misconfigured. Codes are never reused for another meaning. */
export type SafetyErrorCode =
  /** A parameter outside its allowed range (negative limit, zero timeout, empty frame, ...). */
  'PARAM_INVALID';

/**
 * The safety module's one error class. It is thrown only while the gate is being configured,
 * never while it gates: bad input at run time is a reason to stop, not an exception.
 * `where` is the parameter's full name, e.g. `safety.max_linear`.
 */
export class SafetyError extends Error {
  constructor(
    readonly code: SafetyErrorCode,
    readonly where: string,
    what: string,
  ) {
    super(`${where}: ${what}`);
    this.name = 'SafetyError';
  }
}
