/**
 * Every way the interaction layer can be handed something it cannot use. Customer text is never
 * an error (odd text is a 'none' match); these are programming or configuration mistakes.
 */
export type InteractionErrorCode =
  /** A phrase kind or language that the phrase table does not have. */
  | 'PHRASE_UNKNOWN'
  /** A phrase was asked for without a value for one of its placeholders. */
  | 'PHRASE_VAR_MISSING'
  /** The site's time zone is not an IANA zone this runtime knows. */
  | 'TIMEZONE_INVALID'
  /** A route handed to the directions is not a route: no points, or a coordinate that is not a number. */
  | 'ROUTE_INVALID';

export class InteractionError extends Error {
  constructor(
    readonly code: InteractionErrorCode,
    /** Where: file and function, plus the field path when there is one. */
    readonly where: string,
    what: string,
  ) {
    super(`${where}: ${what}`);
    this.name = 'InteractionError';
  }
}
