/**
 * Loading a site folder: `<dir>/site.yaml`, the map_server YAML it names, and that map's image.
 * The loader is strict and stops at the first problem; `map check` (check.ts) reports them all
 * and also checks every pose against the map.
 */
import { join } from 'node:path';
import { IssueList } from './errors.js';
import { loadMap, readFileBytes } from './map-yaml.js';
import { readSiteDocument } from './site-schema.js';
import type { Site } from './types.js';

export const SITE_FILE = 'site.yaml';

/** Loads and validates a site folder. Throws MapError with `file:line` and the field path. */
export async function loadSite(dir: string): Promise<Site> {
  const file = join(dir, SITE_FILE);
  const text = (await readFileBytes(file)).toString('utf8');
  const issues = new IssueList();
  const doc = readSiteDocument(text, file, issues);
  issues.throwFirst();
  const { grid } = await loadMap(doc!.mapPath, doc!.mapWhere);
  return {
    id: doc!.id,
    name: doc!.name,
    timezone: doc!.timezone,
    dir,
    map: grid,
    dock: doc!.dock!,
    destinations: doc!.destinations,
    landmarks: doc!.landmarks,
    zones: doc!.zones,
  };
}
