/**
 * The one error of recording and replay. Its message always says where: the file, then a byte
 * offset (`byte 1234`) or a channel (`channel /scan (id 3)`), then what is wrong there, so an
 * operator can find the spot with any MCAP tool.
 */
export class RecordingError extends Error {
  override readonly name = 'RecordingError';
  /** The byte offset the problem is at, when it is at one. */
  readonly offset: number | undefined;

  constructor(
    readonly file: string,
    readonly where: string,
    what: string,
    options?: { offset?: number; cause?: unknown },
  ) {
    super(`${file}: ${where}: ${what}`, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.offset = options?.offset;
  }
}

/** `byte N`, as every message of this module names an offset. */
export function atByte(offset: number | bigint): string {
  return `byte ${offset}`;
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
