/**
 * The console's two pages, built once at server start: each page's TypeScript bundled by esbuild
 * into one ES module, served beside its HTML and the shared stylesheet. Nothing is inline (the
 * Content-Security-Policy allows scripts and styles from the page's own origin only), and nothing
 * is written to disk: the server keeps the bundle in memory.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export interface PageAsset {
  body: Buffer | string;
  contentType: string;
}

const HERE = dirname(fileURLToPath(import.meta.url));

/** The entry points: served path → source file, under web/. */
const SCRIPTS: Record<string, string> = {
  '/assets/console.js': 'console.ts',
  '/assets/kiosk.js': 'kiosk.ts',
};
const DOCUMENTS: Record<string, string> = {
  '/': 'console.html',
  '/kiosk': 'kiosk.html',
};

export class PagesBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PagesBuildError';
  }
}

/** Every page asset by the path it is served at: '/', '/kiosk', '/assets/*.js', '/assets/style.css'. */
export function buildPages(): Promise<Map<string, PageAsset>> {
  const inDir = (files: Record<string, string>, dir: string) =>
    Object.fromEntries(Object.entries(files).map(([path, file]) => [path, join(dir, file)]));
  return buildPageSet({ documents: inDir(DOCUMENTS, HERE), scripts: inDir(SCRIPTS, join(HERE, 'web')) });
}

/** A set of pages: served path → absolute file, for the HTML documents and the scripts' entry points. */
export interface PageSet {
  documents: Record<string, string>;
  /** Served at paths such as '/assets/NAME.js'; the entries' file names must differ. */
  scripts: Record<string, string>;
}

/**
 * A set's assets, with the console's shared stylesheet and icon beside them (the fleet console's
 * page looks like the robot's).
 */
export async function buildPageSet(set: PageSet): Promise<Map<string, PageAsset>> {
  const assets = new Map<string, PageAsset>();
  for (const [path, file] of Object.entries(set.documents)) {
    assets.set(path, {
      body: await readFile(file, 'utf8'),
      contentType: 'text/html; charset=utf-8',
    });
  }
  assets.set('/assets/style.css', {
    body: await readFile(join(HERE, 'style.css'), 'utf8'),
    contentType: 'text/css; charset=utf-8',
  });
  assets.set('/assets/icon.svg', {
    body: await readFile(join(HERE, 'icon.svg'), 'utf8'),
    contentType: 'image/svg+xml',
  });
  const result = await build({
    entryPoints: Object.values(set.scripts),
    bundle: true,
    format: 'esm',
    target: ['es2022'],
    platform: 'browser',
    minify: true,
    sourcemap: false,
    write: false,
    outdir: '/',
    entryNames: '[name]',
    logLevel: 'silent',
    legalComments: 'none',
    charset: 'utf8',
  }).catch((error: unknown) => {
    const messages = (
      error as { errors?: Array<{ text: string; location?: { file: string; line: number } }> }
    ).errors;
    const where = messages?.map((m) => `${m.location?.file}:${m.location?.line}: ${m.text}`).join('; ');
    throw new PagesBuildError(`pages: the browser code does not build: ${where ?? String(error)}`);
  });
  const byName = new Map(result.outputFiles.map((file) => [file.path.replace(/^.*\//, ''), file]));
  for (const [path, file] of Object.entries(set.scripts)) {
    const output = byName.get(basename(file).replace(/\.ts$/, '.js'));
    if (output === undefined) throw new PagesBuildError(`pages: esbuild gave no output for ${file}`);
    assets.set(path, { body: Buffer.from(output.contents), contentType: 'text/javascript; charset=utf-8' });
  }
  return assets;
}
