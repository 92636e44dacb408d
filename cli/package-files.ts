/**
 * Files of the package itself — the default site, the firmware — are found from where the
 * package is installed, so every command works from any working directory. Paths a person types
 * (--site, --port, a scenario) resolve from the working directory, as usual.
 */
import path from 'node:path';

/** The package's root folder (where package.json is). */
export const PACKAGE_ROOT = path.resolve(import.meta.dirname, '..');

/** The site the robot runs on when no --site is given. */
export const DEFAULT_SITE = path.join(PACKAGE_ROOT, 'maps', 'iso-omena');
