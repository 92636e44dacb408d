/**
 * The pages at `/` and `/kiosk`, and their assets: path → body. A placeholder until the pages'
 * bundle (src/console/pages/bundle.ts, buildPages()) is merged; then this returns its output.
 */
import type { FastifyPluginAsync } from 'fastify';

export interface PageAsset {
  body: string | Buffer;
  contentType: string;
}

const placeholder = (title: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body><h1>${title}</h1><p>The page is not built yet; the API is under /api/.</p></body></html>`;

export async function loadPages(): Promise<Map<string, PageAsset>> {
  return new Map([
    ['/', { body: placeholder('Medhjälparen console'), contentType: 'text/html; charset=utf-8' }],
    ['/kiosk', { body: placeholder('Medhjälparen kiosk'), contentType: 'text/html; charset=utf-8' }],
  ]);
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
