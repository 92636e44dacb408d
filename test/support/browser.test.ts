// The browser support itself: a missing chromium fails the test with what to install (never a
// skip), and axe finds a real violation when there is one (so "zero violations" means something).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { axeViolations, launchBrowser } from './browser.js';

describe('browser support', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  it('says how to install chromium when the binary is missing', async () => {
    await expect(launchBrowser('/nonexistent/chromium')).rejects.toThrow(
      /apt-get install --no-install-recommends chromium/,
    );
  });

  it('reports axe violations on a page that has them, and none on one that does not', async () => {
    const page = await browser.newPage();
    await page.setContent('<html><body><img src="x.png"><button></button></body></html>');
    const ids = (await axeViolations(page)).map((v) => v.id).sort();
    expect(ids).toEqual(expect.arrayContaining(['button-name', 'html-has-lang', 'image-alt']));
    await page.setContent(
      '<html lang="en"><head><title>ok</title></head><body><main><h1>Fine</h1><button>Go</button></main></body></html>',
    );
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});
