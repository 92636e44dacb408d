/**
 * The files a site reads, and nothing else: every path a site names (site.yaml's `map`, the map
 * YAML's `image`) must lie inside the site folder, or inside a folder that site.yaml lists under
 * `allow_files_outside_site` (docs/site-format.md). Checked on the path as written and again on
 * the file it really is (a symbolic link that leads outside is refused too). Every file is read
 * through src/input: regular files only (never /dev/zero or a FIFO), within its size limit.
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import {
  InputError,
  readInputFile,
  resolveInside,
  showControls,
  excerpt,
  type LimitName,
} from '../input/index.js';
import { MapError } from './errors.js';

export const ALLOW_OUTSIDE_FIELD = 'allow_files_outside_site';

export class SiteFolder {
  private readonly roots: readonly string[];

  constructor(
    /** The site folder, as the user named it. */
    readonly dir: string,
    /** Further folders the site may read from, as resolved from `allow_files_outside_site`. */
    allowed: readonly string[] = [],
  ) {
    this.roots = [resolve(dir), ...allowed.map((a) => resolve(dir, a))];
  }

  /**
   * The path of a file the site names: `written` (as written at `where`, in `field`) relative to
   * the folder `from` of the file that names it. Returned as the user would write it (relative
   * stays relative) for messages; throws MapError PATH_OUTSIDE_SITE when it leaves the site.
   */
  async resolve(written: string, from: string, field: string, where: string): Promise<string> {
    const shown = isAbsolute(written) ? written : join(from, written);
    const absolute = resolve(from, written);
    if (!this.roots.some((root) => isInside(root, absolute, where))) {
      throw new MapError(
        'PATH_OUTSIDE_SITE',
        where,
        `${field}: "${excerpt(written)}" points outside the site folder ${showControls(resolve(this.dir))}; ` +
          `expected a file inside it (or a folder listed under ${ALLOW_OUTSIDE_FIELD}, docs/site-format.md)`,
      );
    }
    const real = await realpath(absolute).catch(() => undefined);
    // A missing file is reported when it is read, with the same `where`.
    if (real === undefined) return shown;
    const realRoots = await Promise.all(this.roots.map((r) => realpath(r).catch(() => r)));
    if (!realRoots.some((root) => isInside(root, real, where))) {
      throw new MapError(
        'PATH_OUTSIDE_SITE',
        where,
        `${field}: "${excerpt(written)}" is a link to ${excerpt(real)}, outside the site folder; ` +
          `expected a file inside it (or a folder listed under ${ALLOW_OUTSIDE_FIELD}, docs/site-format.md)`,
      );
    }
    return shown;
  }

  /** Reads a site file within `limit`; a missing, irregular or oversized file is a MapError at `where`. */
  async read(path: string, limit: LimitName, where: string): Promise<Buffer> {
    try {
      return await readInputFile(path, { limit, where });
    } catch (err) {
      throw err instanceof InputError ? MapError.fromInput(err) : err;
    }
  }
}

function isInside(root: string, absolute: string, where: string): boolean {
  try {
    resolveInside(root, absolute, where);
    return true;
  } catch (err) {
    if (err instanceof InputError) return false;
    throw err;
  }
}
