import path from 'node:path';
import { InputError } from './errors.js';

/**
 * Resolves `relative` (as written in a file at `where`) against `folder`, and refuses a path that
 * leaves the folder (`../../etc/passwd`, an absolute path elsewhere): a site names its own files.
 */
export function resolveInside(folder: string, relative: string, where: string): string {
  const base = path.resolve(folder);
  const resolved = path.resolve(base, relative);
  if (resolved !== base && !resolved.startsWith(`${base}${path.sep}`)) {
    throw new InputError(
      'OUTSIDE_FOLDER',
      where,
      `'${relative}' points outside ${base}; expected a file inside it`,
    );
  }
  return resolved;
}
