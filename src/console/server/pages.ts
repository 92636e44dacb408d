/**
 * The pages at `/` and `/kiosk`, and their assets: path → body, built by the pages' bundle
 * (src/console/pages/bundle.ts) once at start.
 */
import type { FastifyPluginAsync } from 'fastify';
import { buildPages, type PageAsset } from '../pages/bundle.js';

export type { PageAsset };

export function loadPages(): Promise<Map<string, PageAsset>> {
  return buildPages();
}

/** Every asset as a public GET route, built once at start. */
export function pageRoutes(pages: Map<string, PageAsset>): FastifyPluginAsync {
  return async (app) => {
    for (const [path, asset] of pages) {
      app.get(path, { config: { access: 'public' } }, async (_request, reply) =>
        reply.type(asset.contentType).header('cache-control', 'no-cache').send(asset.body),
      );
    }
  };
}
