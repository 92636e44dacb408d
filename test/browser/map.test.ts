// The live map on a tablet, in a real browser: one column, pan with a finger or the mouse, zoom
// with the buttons, the wheel or a pinch (two fingers through the DevTools protocol's touch
// events). A viewer watches: the controls that move the robot or change data are not shown.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startConsoleHarness, type ConsoleHarness } from '../support/console-harness.js';
import { launchBrowser, pageErrors, expectAccessible, signIn } from '../support/browser.js';
import { startPump, type Pump } from '../support/sim-pump.js';

const WAIT = { timeout: 60_000 };
let h: ConsoleHarness;
let browser: Browser;
let pump: Pump;
let page: Page;
let errors: string[];

interface View {
  scale: number;
  x: number;
  y: number;
}

beforeAll(async () => {
  h = await startConsoleHarness();
  await h.addUser('vera', 'viewer');
  pump = startPump(h);
  browser = await launchBrowser();
  const context = await browser.newContext({
    viewport: { width: 768, height: 1024 },
    hasTouch: true,
    isMobile: true,
    deviceScaleFactor: 2,
  });
  page = await context.newPage();
  errors = pageErrors(page);
  await signIn(page, h.origin(), 'vera', PASSWORD);
  await page.locator('#map[data-scale]').waitFor(WAIT);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await pump?.stop();
  await h?.stop();
});

async function view(): Promise<View> {
  const map = page.locator('#map');
  const [scale, x, y] = await Promise.all(['data-scale', 'data-x', 'data-y'].map((a) => map.getAttribute(a)));
  return { scale: Number(scale), x: Number(x), y: Number(y) };
}

/** Waits until the drawn view satisfies `ok` (the map redraws on the next animation frame). */
async function viewWhere(ok: (v: View) => boolean): Promise<View> {
  await expect.poll(async () => ok(await view()), WAIT).toBe(true);
  return view();
}

async function centre(): Promise<{ x: number; y: number }> {
  const box = (await page.locator('#map').boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

describe('the live map on a tablet', () => {
  it('lays the console out in one column, and a viewer gets no controls that move the robot', async () => {
    const map = (await page.locator('#map').boundingBox())!;
    const mission = (await page.locator('#mission-title').boundingBox())!;
    expect(map.width).toBeGreaterThan(650);
    expect(mission.y).toBeGreaterThan(map.y + map.height);
    for (const hidden of [
      '#dispatch-title',
      '#teleop-title',
      '#desk-form',
      '#mission-cancel',
      '#users-title',
    ]) {
      expect(await page.locator(hidden).isHidden(), hidden).toBe(true);
    }
    expect(await page.locator('#estop').isVisible()).toBe(true); // anyone may stop the robot
    await expectAccessible(page, 'console-tablet-viewer');
  });

  it('zooms with the + and − buttons', async () => {
    const start = await view();
    await page.click('#zoom-in');
    const zoomed = await viewWhere((v) => v.scale > start.scale * 1.2);
    await page.click('#zoom-out');
    await viewWhere((v) => v.scale < zoomed.scale * 0.85);
  });

  it('pans with a dragged mouse and zooms with the wheel', async () => {
    const start = await view();
    const c = await centre();
    await page.mouse.move(c.x, c.y);
    await page.mouse.down();
    await page.mouse.move(c.x + 60, c.y + 40, { steps: 5 });
    await page.mouse.up();
    const panned = await viewWhere(
      (v) => Math.abs(v.x - start.x - 60) < 2 && Math.abs(v.y - start.y - 40) < 2,
    );
    await page.mouse.wheel(0, -300);
    await viewWhere((v) => v.scale > panned.scale * 1.2);
  });

  it('pans with one finger and zooms with a pinch', async () => {
    const cdp = await page.context().newCDPSession(page);
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', points: Array<{ x: number; y: number }>) =>
      cdp.send('Input.dispatchTouchEvent', {
        type,
        touchPoints: points.map((p, id) => ({ x: p.x, y: p.y, id })),
      });
    const c = await centre();
    const start = await view();
    await touch('touchStart', [c]);
    for (let i = 1; i <= 5; i++) await touch('touchMove', [{ x: c.x - 10 * i, y: c.y }]);
    await touch('touchEnd', []);
    const panned = await viewWhere((v) => v.x < start.x - 40);

    await touch('touchStart', [
      { x: c.x - 30, y: c.y },
      { x: c.x + 30, y: c.y },
    ]);
    for (let i = 1; i <= 6; i++) {
      await touch('touchMove', [
        { x: c.x - 30 - 15 * i, y: c.y },
        { x: c.x + 30 + 15 * i, y: c.y },
      ]);
    }
    await touch('touchEnd', []);
    await viewWhere((v) => v.scale > panned.scale * 2);
  });

  it('logged no error: no CSP refusal, failed load or exception', () => {
    // The one expected refusal: asking for a session before logging in (401).
    expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
  });
});
