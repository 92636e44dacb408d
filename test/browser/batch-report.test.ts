// The sim batch HTML page in a real browser: a batch with a failed run and a scenario whose name
// is a script, opened with every network request blocked: the page asks for nothing, runs
// nothing, logs no error (no CSP refusal), shows the failures first, and passes axe.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOnWorkers } from '../../cli/batch-command.js';
import { loadSite } from '../../src/map/index.js';
import { batchHtml } from '../../sim/batch/html.js';
import { batchJobs } from '../../sim/batch/jobs.js';
import { mergeBatch } from '../../sim/batch/report.js';
import { sitePlan } from '../../sim/batch/site-plan.js';
import { expectAccessible, launchBrowser, pageErrors } from '../support/browser.js';
import { TIGHT_CORRIDOR, writeBatchScenarios } from '../support/batch-scenarios.js';

const EVIL = '<script>alert("owned")</script>';
let browser: Browser;
let html: string;
let file: string;

beforeAll(async () => {
  const s = await writeBatchScenarios({ escortName: EVIL, failingUnknown: true });
  const files = [
    { file: s.escort, scenario: EVIL, seedBase: 5 },
    { file: s.unknown, scenario: 'not understood', seedBase: 3 },
  ];
  const outcomes = await runOnWorkers(batchJobs(files, 1), 2);
  const plan = sitePlan(await loadSite(TIGHT_CORRIDOR));
  html = batchHtml(mergeBatch(files, 1, outcomes, false), [{ plan, files: [s.escort, s.unknown] }]);
  file = path.join(s.dir, 'report.html');
  await writeFile(file, html);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('the sim batch page', () => {
  it('opens with no request beyond itself, runs no script, and passes axe', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors = pageErrors(page);
    const requested: string[] = [];
    const dialogs: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    // Anything but the page itself is refused, and counted.
    await page.route('**/*', (route) =>
      route.request().url().startsWith('file:') ? route.continue() : route.abort('blockedbyclient'),
    );
    await page.goto(`file://${file}`);
    expect(requested.filter((u) => !u.startsWith('file:'))).toEqual([]);
    expect(requested).toEqual([`file://${file}`]);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    expect(await page.title()).toBe('Simulation batch: 2 runs, 1 failed');
    // The hostile name is shown as text.
    await expect(page.locator('table tr.run td').first().textContent()).resolves.toBe('not understood');
    expect(await page.getByText(EVIL, { exact: true }).count()).toBeGreaterThan(0);
    expect(await page.locator('svg.map polyline').count()).toBe(2);
    expect(await page.locator('h2').allTextContents()).toEqual([
      'Failures (1)',
      'Trajectories',
      'Metric distributions (per request)',
      'Runs (failed first)',
    ]);
    await expectAccessible(page, 'batch-report');
  });
});
