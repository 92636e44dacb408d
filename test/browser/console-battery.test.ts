// The operator console in a real browser when the robot's battery or the centre's hours stop it,
// each on a real robot on the simulated floor: a critical charge away from the dock (the alert for
// staff, "Try to drive home", no dispatch, the estimated charge in the header), a battery reading
// that cannot be trusted (said on the battery line and as an alert, gone once the reading is good
// again), and the centre closed (the header says when it opens; dispatch still allowed). axe on
// every new screen.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchBrowser, pageErrors, signIn } from '../support/browser.js';
import { PASSWORD, startConsoleHarness, type ConsoleHarness } from '../support/console-harness.js';
import { startPump, type Pump } from '../support/sim-pump.js';

const WAIT = { timeout: 30_000 };

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

interface Rig {
  h: ConsoleHarness;
  pump: Pump;
  page: Page;
  errors: { readonly list: string[] };
  stop(): Promise<void>;
}

/** A robot in `options`' circumstances, its time pumped, and an operator signed in to its console. */
async function operatorConsole(
  options: Parameters<typeof startConsoleHarness>[0],
  state: string,
): Promise<Rig> {
  const h = await startConsoleHarness(options);
  const pump = startPump(h, 'fast');
  for (let i = 0; h.console.bridge.book.get('mission').state !== state; i++) {
    if (i > 3_000) throw new Error(`the mission never reached '${state}'`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await h.addUser('olga', 'operator');
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const seen = pageErrors(page);
  await signIn(page, h.origin(), 'olga', PASSWORD);
  // The page asks for its session before signing in: that 401 is expected, nothing else is.
  const errors = {
    get list() {
      return seen.filter((e) => !/status of 401/.test(e));
    },
  };
  return {
    h,
    pump,
    page,
    errors,
    async stop() {
      await page.close();
      await pump.stop();
      await h.stop();
    },
  };
}

const text = (page: Page, selector: string) => page.locator(selector).textContent();

describe('a critical charge away from the dock', () => {
  let r: Rig;
  beforeAll(async () => {
    r = await operatorConsole(
      {
        batteryStartCharge: 0.05,
        robotStart: (site) => ({ x: site.dock.x, y: site.dock.y + 2, yaw: site.dock.yaw }),
        simulator: { localization: 'perfect' },
      },
      'battery_critical',
    );
  }, 60_000);
  afterAll(async () => r?.stop());

  it('alerts staff, says the mission in plain words, and shows the estimated charge, not charging', async () => {
    const { page } = r;
    await page.locator('#staff-alert').waitFor({ state: 'visible', ...WAIT });
    expect(await page.locator('#staff-alert').getAttribute('role')).toBe('alert');
    expect(await text(page, '#staff-alert strong')).toBe(
      'Battery critical: the robot has stopped where it is. Push it onto its dock or plug it in.',
    );
    expect(await text(page, '#mission-text')).toMatch(
      /^Battery critical; stopped where it is; needs staff\. Why: the charge fell below guide\.critical_charge/,
    );
    await expect
      .poll(() => text(page, '#battery'), WAIT)
      .toMatch(/^Battery \d+ % \(estimated\) · not charging$/);
    const percent = Number((await text(page, '#battery'))!.match(/\d+/)![0]);
    expect(percent).toBeLessThan(8);
    // A Thursday morning in the harness: the centre is open until 20.00.
    expect(await text(page, '#centre')).toBe('Centre open until 20.00');
    await expectAccessible(page, 'console-battery-critical');
  });

  it('offers "Try to drive home" and taking control; refuses dispatch, saying why', async () => {
    const { page } = r;
    expect(await text(page, '#mission-cancel')).toBe('Try to drive home');
    expect(await page.locator('#mission-cancel').isEnabled()).toBe(true);
    expect(await page.locator('#pause').isEnabled()).toBe(true);
    expect(await page.locator('#teleop-take').isEnabled()).toBe(true);
    expect(await page.locator('#dispatch-go').isDisabled()).toBe(true);
    expect(await page.locator('#dispatch-dock').isDisabled()).toBe(true);
    expect(await text(page, '#dispatch-note')).toMatch(
      /^The battery is critical: put the robot on its charger/,
    );
    // The cancel is the robot's "go home with what is left": it takes it.
    const answer = page.waitForResponse('**/api/mission/cancel');
    await page.click('#mission-cancel');
    const reply = await answer;
    expect(reply.status()).toBe(200);
    expect(await reply.json()).toMatchObject({ success: true });
    expect(r.errors.list).toEqual([]);
  });
});

describe('a battery reading that cannot be trusted', () => {
  let r: Rig;
  beforeAll(async () => {
    r = await operatorConsole({}, 'idle');
    // The sensor reads NaN from now on: the robot stops taking escorts and stays on its charger.
    r.h.world.physics.setBatteryReadingFault({ kind: 'nan' });
  }, 60_000);
  afterAll(async () => r?.stop());

  it('says so on the battery line and as an alert; charging, it takes no dispatch', async () => {
    const { page } = r;
    await expect
      .poll(() => page.locator('#staff-alert').getAttribute('data-reason'), WAIT)
      .toBe('battery_unreliable');
    expect(await page.locator('#staff-alert').isVisible()).toBe(true);
    expect(await text(page, '#staff-alert strong')).toBe(
      'Battery reading unreliable: the robot takes no escorts. Check the battery and its wiring.',
    );
    expect(await text(page, '#mission-text')).toMatch(
      /^Charging; taking no escorts until charged\. Why: the battery reading cannot be trusted/,
    );
    const line = (await text(page, '#battery'))!;
    expect(line).toMatch(/^Battery \d+ % \(estimated\) · charging · reading not trustworthy: /);
    expect(line).toMatch(/the robot does not trust its battery reading \(battery_unreliable\)/);
    expect(await page.locator('#battery').getAttribute('class')).toMatch(/warn-text/);
    expect(await page.locator('#dispatch-go').isDisabled()).toBe(true);
    expect(await text(page, '#dispatch-note')).toMatch(/^The robot is charging/);
    expect(await page.locator('#mission-cancel').isDisabled()).toBe(true);
    expect(await page.locator('#pause').isDisabled()).toBe(true);
    await expectAccessible(page, 'console-battery-unreliable');
  });

  it('takes the alert away once the reading is good again', async () => {
    const { page } = r;
    r.h.world.physics.setBatteryReadingFault(undefined);
    await page.locator('#staff-alert').waitFor({ state: 'hidden', ...WAIT });
    await expect.poll(() => text(page, '#battery'), WAIT).toMatch(/^Battery \d+ % \(estimated\) · charging$/);
    expect(await page.locator('#dispatch-go').isEnabled()).toBe(true);
    expect(r.errors.list).toEqual([]);
  });
});

describe('the centre closed', () => {
  let r: Rig;
  beforeAll(async () => {
    // A Saturday evening: the centre opens on Sunday at 10.00.
    r = await operatorConsole({ startMs: Date.parse('2026-11-28T17:00:00+02:00') }, 'closed');
  }, 60_000);
  afterAll(async () => r?.stop());

  it('says in the header when it opens; the robot may still be dispatched', async () => {
    const { page } = r;
    await expect.poll(() => text(page, '#centre'), WAIT).toBe('Centre closed, opens Sun 10.00');
    expect(await text(page, '#mission-text')).toMatch(
      /^Centre closed; on its dock\. Why: the centre is closed/,
    );
    expect(await page.locator('#staff-alert').isHidden()).toBe(true);
    expect(await page.locator('#dispatch-go').isEnabled()).toBe(true);
    expect(await page.locator('#dispatch-note').isHidden()).toBe(true);
    expect(await page.locator('#mission-cancel').isDisabled()).toBe(true);
    await expectAccessible(page, 'console-centre-closed');
    expect(r.errors.list).toEqual([]);
  });
});
