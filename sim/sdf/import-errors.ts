/**
 * Every way `sim import-sdf` refuses its input or its output folder. Each error says where
 * (`world.sdf:12`, and the element path such as `world/model[wall_3]/link[l]/collision[c]`) and
 * what was expected; the command exits with status 2 and writes nothing.
 */
export type SdfImportCode =
  /** The file is not well-formed XML. */
  | 'NOT_XML'
  /** Well-formed XML, but not an SDFormat document (no `<sdf version>` root) or a version we do not read. */
  | 'NOT_SDF'
  /** An SDFormat document without a `<world>` (a model file, for instance). */
  | 'NO_WORLD'
  /** Nothing static crosses the lidar's height: no wall to put on a map. */
  | 'NO_GEOMETRY'
  /** A value is not what SDFormat allows (not a number, a negative size, an unknown frame). */
  | 'BAD_VALUE'
  /** The geometry needs a larger map than the limits allow (docs/limits.md). */
  | 'TOO_LARGE'
  /** The output folder exists and is not empty (and --force was not given), or cannot be written. */
  | 'OUTPUT';

export class SdfImportError extends Error {
  constructor(
    readonly code: SdfImportCode,
    /** `file:line` and/or the element path, as the user can find it. */
    readonly where: string,
    what: string,
  ) {
    super(`${where}: ${what} [${code}]`);
    this.name = 'SdfImportError';
  }
}
