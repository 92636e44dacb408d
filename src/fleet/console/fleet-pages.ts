/**
 * The fleet console's page: fleet.html at `/` and its script, bundled as the robot's console
 * bundles its pages, with the same stylesheet and icon.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPageSet, type PageAsset } from '../../console/pages/bundle.js';

const WEB = join(dirname(fileURLToPath(import.meta.url)), 'web');

export function loadFleetPages(): Promise<Map<string, PageAsset>> {
  return buildPageSet({
    documents: { '/': join(WEB, 'fleet.html') },
    scripts: { '/assets/fleet.js': join(WEB, 'fleet.ts') },
  });
}
