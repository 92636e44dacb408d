/** Ways the guide mission can be set up wrong (customer input is never one of them). */
export type MissionErrorCode =
  /** The machine was started without an implementation it needs (e.g. `navigateTo`). */
  | 'NOT_PROVIDED'
  /** A mission parameter is not a usable number. */
  | 'PARAM_INVALID'
  /** The site cannot be guided in (bad time zone, no destinations). */
  | 'SITE_INVALID';

export class MissionError extends Error {
  constructor(
    readonly code: MissionErrorCode,
    /** Where: file and field path. */
    readonly where: string,
    what: string,
  ) {
    super(`${where}: ${what}`);
    this.name = 'MissionError';
  }
}
