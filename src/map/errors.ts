import { InputError, LIMITS, showControls, type InputErrorCode } from '../input/index.js';

/**
 * Every way a map or site can be wrong. Codes are never reused for another meaning: tools and
 * tests match on them.
 */
export type MapErrorCode =
  // files
  | 'FILE_NOT_FOUND'
  | 'FILE_UNREADABLE'
  /** A directory, device (/dev/zero), FIFO or socket: only regular files are read. */
  | 'FILE_NOT_REGULAR'
  /** Larger than its limit in docs/limits.md (yamlFileBytes, mapImageBytes). */
  | 'FILE_TOO_LARGE'
  /** A path in a site leaves the site folder (and the folders it allows). */
  | 'PATH_OUTSIDE_SITE'
  // YAML and schema
  | 'YAML_SYNTAX'
  /** `*name`: aliases are refused (they would let a small file expand without bound). */
  | 'YAML_ALIAS'
  | 'FIELD_MISSING'
  | 'FIELD_UNKNOWN'
  | 'FIELD_DUPLICATE'
  | 'FIELD_TYPE'
  | 'FIELD_VALUE'
  /** Text with control characters or escape sequences (they would act on a terminal). */
  | 'TEXT_CONTROL'
  /** A value beyond one of the limits in docs/limits.md (string length, list length, map size...). */
  | 'BEYOND_LIMIT'
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
  /** A service or elsewhere term that leads to two places (another desk's name, alias or service). */
  | 'TERM_AMBIGUOUS'
  /** Warning: a service term that is already its own desk's name or alias. */
  | 'TERM_ALREADY_ALIAS'
  /** Warning: a term of a `shared: true` service that no other desk lists. */
  | 'TERM_SHARED_ALONE'
  | 'HOURS_INVALID'
  /** Warning: a desk open while the centre (site.yaml `hours`) is closed. */
  | 'HOURS_OUTSIDE_CENTRE'
  | 'TIMEZONE_INVALID'
  | 'ZONE_INVALID'
  | 'ZONE_OUTSIDE_MAP'
  // geometry against the map
  | 'POSE_OUTSIDE_MAP'
  | 'POSE_IN_OBSTACLE'
  | 'POSE_UNREACHABLE'
  | 'PASSAGE_TOO_NARROW';

/** How a refused input file reads as a site problem (src/input knows files, not sites). */
const FROM_INPUT: Record<InputErrorCode, MapErrorCode> = {
  NOT_FOUND: 'FILE_NOT_FOUND',
  NOT_A_FILE: 'FILE_NOT_REGULAR',
  TOO_LARGE: 'FILE_TOO_LARGE',
  UNREADABLE: 'FILE_UNREADABLE',
  OUTSIDE_FOLDER: 'PATH_OUTSIDE_SITE',
};

/**
 * The map module's one error class. `where` is a place a person can open: `file:line` for YAML,
 * `file (byte N)` for images, or a field path when there is no file. A loader that found more
 * than one problem throws the first, with the others (`others`) on the following lines.
 */
export class MapError extends Error {
  constructor(
    readonly code: MapErrorCode,
    readonly where: string,
    /** The problem, without the place. */
    readonly what: string,
    /** Further problems found in the same pass, listed after the first. */
    readonly others: readonly SiteIssue[] = [],
    /** Problems found but not listed (beyond LIMITS.issuesListed). */
    readonly unlisted = 0,
  ) {
    // Each line through showControls: the place holds a path from the command line, shown as typed.
    super(
      [
        `${where}: ${what}`,
        ...others.map((i) => `${i.where}: ${i.message}`),
        ...(unlisted > 0 ? [unlistedLine(unlisted)] : []),
      ]
        .map((line) => showControls(line))
        .join('\n'),
    );
    this.name = 'MapError';
  }

  /** A file refused by src/input (missing, not regular, too large, outside), as a MapError. */
  static fromInput(err: InputError): MapError {
    return new MapError(FROM_INPUT[err.code], err.where, err.message.slice(err.where.length + 2));
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

/** The line that ends a list cut at LIMITS.issuesListed. */
export function unlistedLine(n: number): string {
  return `… and ${n} more ${n === 1 ? 'problem' : 'problems'} not listed (the first ${LIMITS.issuesListed.value} are; fix them and check again)`;
}

/**
 * Collects issues while validating, so one pass reports everything. At most
 * LIMITS.issuesListed are kept; the rest are only counted, so a hostile file cannot flood the
 * terminal or the memory with messages.
 */
export class IssueList {
  readonly issues: SiteIssue[] = [];
  /** Issues found beyond the listed ones. */
  unlisted = 0;
  private errors = 0;

  error(code: MapErrorCode, where: string, message: string): void {
    this.errors++;
    this.add({ code, severity: 'error', where, message });
  }
  warn(code: MapErrorCode, where: string, message: string): void {
    this.add({ code, severity: 'warning', where, message });
  }
  /** Adds a thrown MapError (or a file refused by src/input) as an issue; anything else is a bug. */
  capture(err: unknown): void {
    const e = err instanceof InputError ? MapError.fromInput(err) : err;
    if (!(e instanceof MapError)) throw err;
    this.error(e.code, e.where, e.what);
  }
  /** Every error so far, listed or not. */
  get errorCount(): number {
    return this.errors;
  }
  firstError(): SiteIssue | undefined {
    return this.issues.find((i) => i.severity === 'error');
  }
  /** Throws the errors as one MapError, the first as its code and place; warnings never throw. */
  throwErrors(): void {
    const [first, ...others] = this.issues.filter((i) => i.severity === 'error');
    if (first) throw new MapError(first.code, first.where, first.message, others, this.unlisted);
  }

  private add(issue: SiteIssue): void {
    if (this.issues.length < LIMITS.issuesListed.value) this.issues.push(issue);
    else this.unlisted++;
  }
}
