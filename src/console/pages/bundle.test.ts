// The pages as the server gets them: every asset built, nothing inline (the CSP allows only the
// page's own origin), every script and stylesheet a page names present in the bundle.
import { describe, expect, it } from 'vitest';
import { buildPages } from './bundle.js';

describe('buildPages', async () => {
  const pages = await buildPages();

  it('builds both pages, their scripts and the shared stylesheet', () => {
    expect([...pages.keys()].sort()).toEqual([
      '/',
      '/assets/console.js',
      '/assets/icon.svg',
      '/assets/kiosk.js',
      '/assets/style.css',
      '/kiosk',
    ]);
    expect(pages.get('/')!.contentType).toBe('text/html; charset=utf-8');
    expect(pages.get('/assets/kiosk.js')!.contentType).toBe('text/javascript; charset=utf-8');
    expect(pages.get('/assets/style.css')!.contentType).toBe('text/css; charset=utf-8');
    for (const path of ['/assets/console.js', '/assets/kiosk.js']) {
      expect(pages.get(path)!.body.length).toBeGreaterThan(5000);
    }
  });

  it('has no inline script or style anywhere in the HTML', () => {
    for (const path of ['/', '/kiosk']) {
      const html = String(pages.get(path)!.body);
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
      expect(html).not.toMatch(/<style/i);
      expect(html).not.toMatch(/\sstyle=/i);
      expect(html).not.toMatch(/\son[a-z]+=/i);
    }
  });

  it('serves every script and stylesheet a page refers to', () => {
    for (const path of ['/', '/kiosk']) {
      const html = String(pages.get(path)!.body);
      const refs = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
      expect(refs.length).toBeGreaterThanOrEqual(2);
      for (const ref of refs) expect(pages.has(ref), `${path} refers to ${ref}`).toBe(true);
    }
  });

  it('bundles ES modules with no import left to resolve and no protocol runtime (types only)', () => {
    for (const path of ['/assets/console.js', '/assets/kiosk.js']) {
      const js = String(pages.get(path)!.body);
      expect(js).not.toMatch(/\bimport\s*[{*"']/);
      expect(js).not.toContain('@sinclair/typebox');
    }
  });

  it('carries the kiosk words in all three languages, as UTF-8', () => {
    const js = String(pages.get('/assets/kiosk.js')!.body);
    for (const word of ['suomi', 'svenska', 'English', 'Följ mig till', 'Seuraa minua', 'Follow me to']) {
      expect(js).toContain(word);
    }
  });
});
