/**
 * Every way a map or site can be wrong. Codes are never reused for another meaning: tools and
 * tests match on them.
 */
export type MapErrorCode =
  // files
  | 'FILE_NOT_FOUND'
  | 'FILE_UNREADABLE'
  // YAML and schema
  | 'YAML_SYNTAX'
  | 'FIELD_MISSING'
  | 'FIELD_UNKNOWN'
  | 'FIELD_TYPE'
  | 'FIELD_VALUE'
  // PGM image
  | 'PGM_MAGIC'
  | 'PGM_HEADER'
  | 'PGM_MAXVAL'
  | 'PGM_TOKEN'
  | 'PGM_TRUNCATED'
  | 'PGM_SAMPLE'
  | 'PGM_PIXEL_COUNT'
  // map YAML vs image
  | 'IMAGE_FORMAT'
  | 'IMAGE_MISMATCH'
  | 'ORIGIN_YAW_UNSUPPORTED'
  // site semantics
  | 'ID_INVALID'
  | 'ID_DUPLICATE'
  | 'LANGUAGE_MISSING'
  | 'ALIAS_AMBIGUOUS'
  | 'HOURS_INVALID'
  | 'TIMEZONE_INVALID'
  | 'ZONE_INVALID'
  | 'ZONE_OUTSIDE_MAP'
  // geometry against the map
  | 'POSE_OUTSIDE_MAP'
  | 'POSE_IN_OBSTACLE'
  | 'POSE_UNREACHABLE';

/**
 * The map module's one error class. `where` is a place a person can open: `file:line` for YAML,
 * `file (byte N)` for images, or a field path when there is no file.
 */
export class MapError extends Error {
  constructor(
    readonly code: MapErrorCode,
    readonly where: string,
    what: string,
  ) {
    super(`${where}: ${what}`);
    this.name = 'MapError';
  }
}

export type IssueSeverity = 'error' | 'warning';

/** One problem found in a site; `map check` prints them all. */
export interface SiteIssue {
  code: MapErrorCode;
  severity: IssueSeverity;
  /** `file:line`, `file (byte N)`, or a field path. */
  where: string;
  /** Starts with the field path when there is one; says expected vs found. */
  message: string;
}

/** Collects issues while validating, so one pass can report everything (check) or the first (load). */
export class IssueList {
  readonly issues: SiteIssue[] = [];

  error(code: MapErrorCode, where: string, message: string): void {
    this.issues.push({ code, severity: 'error', where, message });
  }
  warn(code: MapErrorCode, where: string, message: string): void {
    this.issues.push({ code, severity: 'warning', where, message });
  }
  /** Adds a thrown MapError as an issue; anything else is a bug and is rethrown. */
  capture(err: unknown): void {
    if (!(err instanceof MapError)) throw err;
    this.error(err.code, err.where, err.message.slice(err.where.length + 2));
  }
  get errorCount(): number {
    return this.issues.filter((i) => i.severity === 'error').length;
  }
  firstError(): SiteIssue | undefined {
    return this.issues.find((i) => i.severity === 'error');
  }
  /** Throws the first error as a MapError (what a loader does); warnings never throw. */
  throwFirst(): void {
    const first = this.firstError();
    if (first) throw new MapError(first.code, first.where, first.message);
  }
}
