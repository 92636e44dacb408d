/** Ways an input file can be refused before it is parsed. */
export type InputErrorCode =
  /** There is no file at the path. */
  | 'NOT_FOUND'
  /** The path is a directory, a device, a FIFO or a socket: only regular files are read. */
  | 'NOT_A_FILE'
  /** The file is larger than its limit (see limits.ts). */
  | 'TOO_LARGE'
  /** The file exists but cannot be read (permissions, I/O). */
  | 'UNREADABLE'
  /** A path in an input points outside the folder it must stay in. */
  | 'OUTSIDE_FOLDER';

export class InputError extends Error {
  constructor(
    readonly code: InputErrorCode,
    /** The input as the user named it (a path, `site.yaml:4`, a flag). */
    readonly where: string,
    what: string,
  ) {
    super(`${where}: ${what}`);
    this.name = 'InputError';
  }
}
