/** Every way the Foxglove bridge can be set up wrongly. Codes are never reused for another meaning. */
export type FoxgloveErrorCode =
  /** An option outside what it may be (a port, an address, a limit). */
  | 'BAD_OPTION'
  /** The server could not listen where it was told to. */
  | 'LISTEN_FAILED';

/**
 * The Foxglove bridge's one error class, thrown only while it starts: once it runs, bad input
 * from a client is answered with a status message to that client and the robot carries on.
 * `where` names the option, e.g. `--foxglove` or `maxSubscriptions`.
 */
export class FoxgloveError extends Error {
  constructor(
    readonly code: FoxgloveErrorCode,
    readonly where: string,
    what: string,
  ) {
    super(`${where}: ${what}`);
    this.name = 'FoxgloveError';
  }
}
