// The operator console in a real browser (Debian's chromium) on a real robot: the simulated floor,
// the real server and a real SQLite store in a temporary folder. Simulated time runs as fast as the
// CPU allows; every wait is on what the page shows, never a fixed sleep.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startConsoleHarness, type ConsoleHarness } from '../support/console-harness.js';
import { launchBrowser, pageErrors, screenshot, expectAccessible, signIn } from '../support/browser.js';
import { kioskCustomers } from '../support/kiosk-customer.js';
import { startPump, type Pump } from '../support/sim-pump.js';

const WAIT = { timeout: 60_000 };
let h: ConsoleHarness;
let browser: Browser;
let pump: Pump;
const contexts: BrowserContext[] = [];
/** Every page's console errors (CSP refusals, failed loads, exceptions); none is expected. */
const errors: string[] = [];

beforeAll(async () => {
  h = await startConsoleHarness();
  browser = await launchBrowser();
  const customers = kioskCustomers(h);
  pump = startPump(h, 'fast', () => customers.step());
}, 60_000);

/** A page in a browser context of its own (its own cookies: one person at one screen). */
async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  const seen = pageErrors(page);
  page.on('close', () => errors.push(...seen.filter((e) => !/status of 401/.test(e))));
  return page;
}

afterAll(async () => {
  await browser?.close();
  await pump?.stop();
  await h?.stop();
});

function logIn(page: Page, name: string): Promise<void> {
  return signIn(page, h.origin(), name, PASSWORD);
}

/** The robot's position as the page states it under the map. */
async function shownPosition(page: Page): Promise<string> {
  return (await page.locator('#robot-summary').textContent()) ?? '';
}

describe('the operator console', () => {
  it('while no admin exists, says exactly how to make one, and lets nobody in', async () => {
    const page = await newPage();
    await page.goto(`${h.origin()}/`);
    const hint = page.locator('#setup-hint');
    await hint.waitFor({ state: 'visible', ...WAIT });
    expect(await page.locator('#setup-command').textContent()).toBe(
      'medhjalparen users add NAME --role admin',
    );
    await page.fill('#login-name', 'nobody');
    await page.fill('#login-password', PASSWORD);
    await page.click('#login-form button[type=submit]');
    await expect
      .poll(() => page.locator('#login-error').textContent(), WAIT)
      .toMatch(/wrong user name or password/i);
    expect(await page.locator('#console').isHidden()).toBe(true);
    await expectAccessible(page, 'console-first-start');
    await page.close();
  });

  it('an operator logs in, sees the robot move, dispatches it to Kela, and the log says it arrived', async () => {
    await h.addUser('ada', 'admin');
    await h.addUser('olga', 'operator');
    const page = await newPage();
    await logIn(page, 'olga');
    await expect
      .poll(async () => Number(await page.locator('#map').getAttribute('data-frames')), WAIT)
      .toBeGreaterThan(0);
    await expect.poll(() => shownPosition(page), WAIT).toMatch(/Robot at x/);
    await expectAccessible(page, 'console-live');

    // The trip at the wall clock's pace while the test watches the robot move; then fast again.
    pump.setMode('realtime');
    await page.selectOption('#dispatch-desk', 'kela');
    await page.click('#dispatch-go');
    await expect.poll(() => page.locator('#mission-text').textContent(), WAIT).toMatch(/to Kela/);
    const before = await shownPosition(page);
    const framesBefore = Number(await page.locator('#map').getAttribute('data-frames'));
    await expect.poll(() => shownPosition(page), WAIT).not.toBe(before);
    expect(Number(await page.locator('#map').getAttribute('data-frames'))).toBeGreaterThan(framesBefore);
    await screenshot(page, 'console-dispatched');
    pump.setMode('fast');

    const arrived = page.locator('#log-body tr[data-outcome="arrived"]', { hasText: 'Kela' });
    await arrived.first().waitFor(WAIT);
    expect(await arrived.first().textContent()).toContain('dispatch');
    await page.close();
  });

  it('marks Kela closed; a kiosk asking for Kela hears it is closed and where to go instead; the log says why', async () => {
    const page = await newPage();
    await logIn(page, 'olga');
    await page.selectOption('#desk-id', 'kela');
    await page.selectOption('#desk-state', 'closed');
    await page.fill('#desk-note', 'staff training');
    await page.click('#desk-form button[type=submit]');
    await page.locator('#desk-list li[data-desk="kela"][data-state="closed"]').waitFor(WAIT);

    // Back at its place from the dispatch (else a customer would hear it is busy).
    await expect.poll(() => h.console.bridge.book.get('mission').state, WAIT).toBe('idle');
    const kiosk = await newPage();
    await kiosk.goto(`${h.origin()}/kiosk`);
    await kiosk.click('button[data-language="en"]');
    await kiosk.click('.tile[data-desk="kela"]', WAIT);
    expect(await kiosk.locator('.tile[data-desk="kela"]').count()).toBe(0); // on the confirmation now
    await kiosk.click('#confirm');
    const answer = kiosk.locator('#answer');
    await answer.waitFor(WAIT);
    const said = (await answer.textContent()) ?? '';
    expect(said).toMatch(/closed/i);
    expect(said).toMatch(/service point/i);
    await expectAccessible(kiosk, 'kiosk-answer-closed');

    const closedRow = page.locator('#log-body tr[data-outcome="closed"]');
    await closedRow.first().waitFor(WAIT);
    expect(await closedRow.first().textContent()).toMatch(/kiosk.*Kela.*closed.*closed/is);
    // How it was understood: the tile sent Kela's id, and the log says so (catalogue words only).
    expect(await closedRow.first().locator('td.why').textContent()).toMatch(/^id: 'kela'/);
    await expectAccessible(page, 'console-log');
    await kiosk.close();
    await page.close();
  });

  it('an admin adds a user and reads the fault reports staff send', async () => {
    const page = await newPage();
    await logIn(page, 'ada');
    await page.fill('#fault-text', 'the robot blocked the lift');
    await page.click('#fault-form button[type=submit]');
    await page.locator('#fault-list li', { hasText: 'ada: the robot blocked the lift' }).waitFor(WAIT);
    await page.fill('#user-name', 'vic');
    await page.selectOption('#user-role', 'viewer');
    await page.fill('#user-password', 'a long enough password');
    await page.click('#user-form button[type=submit]');
    await page.locator('#user-list li', { hasText: 'vic (viewer)' }).waitFor(WAIT);
    expect(h.store.listUsers().map((u) => `${u.name}:${u.role}`)).toContain('vic:viewer');
    await expectAccessible(page, 'console-admin');
    await page.close();
  });

  it('logged no error in any page: no CSP refusal, failed load or exception', () => {
    expect(errors).toEqual([]);
  });
});
