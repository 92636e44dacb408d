/** Ways a localiser can be set up wrong. */
export type LocalizationErrorCode =
  /** A parameter is not usable (a rate that is not a positive number). */
  'PARAM_INVALID';

export class LocalizationError extends Error {
  constructor(
    readonly code: LocalizationErrorCode,
    /** Where: node and parameter. */
    readonly where: string,
    what: string,
  ) {
    super(`${where}: ${what}`);
    this.name = 'LocalizationError';
  }
}
