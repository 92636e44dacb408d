// The fleet console in a real browser (Debian's chromium), against the FleetControl test double
// (the real one is the fleet service): signed out; an operator sees two sites and three robots,
// an alert arriving live, dispatches a goto to a chosen robot (recorded with the actor) and
// cancels a task; a viewer sees the same fleet with no dispatch and is refused when trying. axe
// (WCAG 2.1 AA) on every screen. Waits are for conditions, never for fixed times.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RIG_PASSWORD,
  startFleetConsoleRig,
  type FleetConsoleRig,
} from '../../src/fleet/console/fleet-console-rig.js';
import { expectAccessible, launchBrowser, pageErrors, signIn } from '../support/browser.js';

const WAIT = { timeout: 30_000 };

let browser: Browser;
let rig: FleetConsoleRig;
beforeAll(async () => {
  browser = await launchBrowser();
  rig = await startFleetConsoleRig();
  await rig.addUser('olga', 'operator');
  await rig.addUser('vera', 'viewer');
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await rig?.stop();
});

/** The page's console errors but the expected 401 (the page asks for its session before sign-in). */
function unexpected(errors: string[]): string[] {
  return errors.filter((e) => !/status of 401/.test(e));
}

const text = (page: Page, selector: string) => page.locator(selector).innerText();

describe('an operator', () => {
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    errors = pageErrors(page);
  });
  afterAll(async () => page?.close());

  it('signs in from an accessible login screen', async () => {
    await page.goto(`${rig.origin}/`);
    await page.locator('#login-section').waitFor({ state: 'visible', ...WAIT });
    await expectAccessible(page, 'fleet-signed-out');
    await signIn(page, rig.origin, 'olga', RIG_PASSWORD, '#fleet');
    expect(await text(page, '#who')).toBe('olga (operator)');
  });

  it('sees two sites and three robots, each in plain words', async () => {
    await expect.poll(() => page.locator('#sites section').count(), WAIT).toBe(2);
    expect(await page.locator('tr[data-robot]').count()).toBe(3);
    expect(await text(page, '[data-site=espoo] h2')).toBe('Espoo service centre — 2 robots');
    const charging = await text(page, 'tr[data-robot=espoo-2]');
    expect(charging).toContain('Online');
    expect(charging).toContain('Charging; taking no escorts until charged. Why: the charge is below');
    expect(charging).toContain('21 % · charging');
    expect(await text(page, 'tr[data-robot=vantaa-1]')).toContain('Knows where it is');
    expect(await page.locator('#role-note').isHidden()).toBe(true);
  });

  it('sees a new alert appear live, newest first, said in words as well as colour', async () => {
    rig.control.alert({
      code: 'battery_low',
      site: 'espoo',
      robot: 'espoo-2',
      task: null,
      text: 'Battery low',
    });
    rig.control.alert({
      code: 'estop',
      site: 'vantaa',
      robot: 'vantaa-1',
      task: null,
      text: 'vantaa-1: the e-stop is pressed',
    });
    await page.locator('#alerts li[data-code=estop]').waitFor(WAIT);
    const items = await page.locator('#alerts li').allInnerTexts();
    expect(items).toHaveLength(2);
    expect(items[0]).toMatch(
      /^Needs staff \d\d:\d\d · Vantaa service centre, vantaa-1: vantaa-1: the e-stop/,
    );
    expect(items[1]).toMatch(/^Warning .*Battery low$/);
    expect(await text(page, '#alert-news')).toBe(
      'New alert (Needs staff) at Vantaa service centre: vantaa-1: the e-stop is pressed',
    );
  });

  it('dispatches a goto to a chosen robot; the fleet records it with the operator', async () => {
    await page.selectOption('#dispatch-site', 'espoo');
    await page.selectOption('#dispatch-kind', 'goto');
    expect(await page.locator('#dispatch-meet-field').isHidden()).toBe(true);
    await page.selectOption('#dispatch-destination', 'vero');
    await page.selectOption('#dispatch-robot', 'espoo-1');
    await page.click('#dispatch-go');
    await expect
      .poll(() => text(page, '#dispatch-result'), WAIT)
      .toBe('Task task-0001 sent: espoo-1 to Tax office.');
    expect(rig.control.calls).toEqual([
      {
        call: 'dispatch',
        actor: { user: 'olga', role: 'operator' },
        request: { site: 'espoo', kind: 'goto', destination: 'vero', robot: 'espoo-1' },
      },
    ]);
    await page.locator('tr[data-task=task-0001]').waitFor(WAIT);
    expect(await text(page, 'tr[data-task=task-0001]')).toMatch(
      /Go to\s+Tax office\s+Given to a robot\s+espoo-1/,
    );
    await expectAccessible(page, 'fleet-operator-alerts');
  });

  it('cancels the task after confirming; it leaves the open tasks', async () => {
    await page.click('button[data-cancel=task-0001]');
    await page.locator('#cancel-dialog').waitFor({ state: 'visible', ...WAIT });
    await expectAccessible(page, 'fleet-cancel-dialog');
    await page.click('#cancel-dialog button[value=confirm]');
    await page.locator('tr[data-task=task-0001]').waitFor({ state: 'detached', ...WAIT });
    expect(await text(page, '#task-result')).toBe('Task task-0001 cancelled.');
    expect(rig.control.calls.at(-1)).toEqual({
      call: 'cancel',
      actor: { user: 'olga', role: 'operator' },
      taskId: 'task-0001',
    });
    expect(await page.locator('#tasks-empty').isVisible()).toBe(true);
    expect(unexpected(errors)).toEqual([]);
  });
});

describe('a viewer', () => {
  it('sees the fleet and open tasks, is told why there is no dispatch, and is refused one', async () => {
    await rig.control.dispatch(
      { site: 'vantaa', kind: 'escort', destination: 'info', meet: 'dock' },
      { user: 'olga', role: 'operator' },
    );
    const page = await browser.newPage({ viewport: { width: 800, height: 1100 } });
    const errors = pageErrors(page);
    try {
      await signIn(page, rig.origin, 'vera', RIG_PASSWORD, '#fleet');
      await expect.poll(() => page.locator('tr[data-robot]').count(), WAIT).toBe(3);
      await page.locator('tr[data-task=task-0002]').waitFor(WAIT);
      expect(await page.locator('button[data-cancel]').count()).toBe(0);
      expect(await page.locator('#dispatch-form').isHidden()).toBe(true);
      expect(await text(page, '#role-note')).toMatch(
        /^You are signed in as a viewer: .*need\s+the operator role/,
      );
      const calls = rig.control.calls.length;
      const status = await page.evaluate(async () => {
        const body = JSON.stringify({ site: 'espoo', kind: 'goto', destination: 'kela' });
        const r = await fetch('/api/fleet/dispatch', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        return r.status;
      });
      expect(status).toBe(403);
      expect(rig.control.calls.length).toBe(calls);
      await expectAccessible(page, 'fleet-viewer');
      expect(unexpected(errors).filter((e) => !/status of 403/.test(e))).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
