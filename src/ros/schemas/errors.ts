/** Why a schema look-up, an encode or a decode failed. */
export type SchemaErrorCode = 'UNKNOWN_TYPE' | 'BAD_DEFINITION' | 'MISMATCH' | 'TRUNCATED';

/**
 * An error of the schema registry. The message says where: `file:line` for a bad definition,
 * `type: field.path: expected …, found …` for a message that does not fit its type, and the byte
 * offset for CDR bytes that end early or do not decode.
 */
export class SchemaError extends Error {
  override readonly name = 'SchemaError';
  readonly code: SchemaErrorCode;
  constructor(code: SchemaErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
