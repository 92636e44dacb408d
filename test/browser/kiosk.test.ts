// The customer kiosk in a real browser on the simulated robot, used with the keyboard alone: a
// Swedish speaker asks for a blood test, follows the robot (a simulated customer walks behind
// it), and reads the desk's description and today's hours on arrival; then the kiosk starts over
// by itself. Each screen is checked with axe and saved under out/screens/.
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleHarness, type ConsoleHarness } from '../support/console-harness.js';
import { launchBrowser, pageErrors, expectAccessible as expectAccessibleOn } from '../support/browser.js';
import { kioskCustomers } from '../support/kiosk-customer.js';
import { startPump, type Pump } from '../support/sim-pump.js';

const WAIT = { timeout: 60_000 };
let h: ConsoleHarness;
let browser: Browser;
let pump: Pump;
let page: Page;
let errors: string[];
const speech: Response[] = [];
/** The ask screen's heading size (px) at the default text size, without plain language. */
let normalHeading = 0;

beforeAll(async () => {
  h = await startConsoleHarness();
  const customers = kioskCustomers(h);
  pump = startPump(h, 'fast', () => customers.step());
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
  errors = pageErrors(page);
  page.on('response', (r) => {
    if (new URL(r.url()).pathname.startsWith('/speech/')) speech.push(r);
  });
  // The page's own timers (the return to the start screen) run on a clock the test can move.
  await page.clock.install();
  await page.goto(`${h.origin()}/kiosk`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await pump?.stop();
  await h?.stop();
});

async function onScreen(name: string): Promise<void> {
  await page.locator(`#screen[data-screen="${name}"]`).waitFor(WAIT);
}

function expectAccessible(screen: string): Promise<void> {
  return expectAccessibleOn(page, screen);
}

/** In the page: whether the focused element matches `selector` (the test's tsconfig has no DOM). */
function focusedMatches(selector: string): boolean {
  const { document } = globalThis as unknown as {
    document: { activeElement: { matches(s: string): boolean } | null };
  };
  return document.activeElement?.matches(selector) ?? false;
}

/** In the page: an element's computed font size, px. */
function fontSize(element: unknown): number {
  const { getComputedStyle } = globalThis as unknown as {
    getComputedStyle(e: unknown): { fontSize: string };
  };
  return parseFloat(getComputedStyle(element).fontSize);
}

/** Presses Tab until the focused element matches `selector` (at most 40 times). */
async function tabTo(selector: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    if (await page.evaluate(focusedMatches, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

describe('the kiosk, by keyboard alone', () => {
  it('greets in all three languages, each marked with its own lang', async () => {
    await onScreen('start');
    expect(await page.locator('html').getAttribute('lang')).toBe('fi');
    for (const [lang, name] of [
      ['fi', 'suomi'],
      ['sv', 'svenska'],
      ['en', 'English'],
    ]) {
      expect(await page.locator(`button[data-language="${lang}"]`).getAttribute('lang')).toBe(lang);
      expect(await page.locator(`button[data-language="${lang}"]`).textContent()).toBe(name);
    }
    await expectAccessible('kiosk-start');
  });

  it('picks svenska, types "blodprov" and sees HUSLAB suggested; the tiles are grouped by organisation', async () => {
    await tabTo('button[data-language="sv"]');
    await page.keyboard.press('Enter');
    await onScreen('ask');
    expect(await page.locator('html').getAttribute('lang')).toBe('sv');
    normalHeading = await page.locator('#screen h1').evaluate(fontSize);
    await page.locator('.org h3', { hasText: 'HUS' }).first().waitFor(WAIT);
    await tabTo('#search');
    await page.keyboard.type('blodprov');
    const suggestion = page.locator('#suggestions li[data-id="huslab"]');
    await suggestion.waitFor(WAIT);
    expect(await page.locator('#search').getAttribute('aria-expanded')).toBe('true');
    await expectAccessible('kiosk-search');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('#suggestions li[aria-selected="true"]').getAttribute('data-id')).toBe(
      'huslab',
    );
    await page.keyboard.press('Enter');
  });

  it('asks to confirm in Swedish, naming HUSLAB and the walk in minutes', async () => {
    await onScreen('confirm');
    expect(await page.locator('#screen h1').textContent()).toMatch(
      /^Följ mig till HUSLAB.* — ungefär \d+ min$/,
    );
    await expectAccessible('kiosk-confirm');
    // The escort lasts about a minute of robot time: at the wall clock's pace while the test looks.
    pump.setMode('realtime');
    await tabTo('#confirm');
    await page.keyboard.press('Enter');
  });

  it('shows the escort: what the robot says, in Swedish, spoken by espeak-ng, and the distance left', async () => {
    await onScreen('escort');
    await expect
      .poll(() => page.locator('#robot-says-text').textContent(), WAIT)
      .toMatch(/Följ mig till HUSLAB/);
    await expect.poll(() => page.locator('#remaining').textContent(), WAIT).toMatch(/\d+ m kvar/);
    expect(await page.locator('#announce').getAttribute('aria-live')).toBe('polite');
    await expectAccessible('kiosk-escort');
    await expect.poll(() => speech.length, WAIT).toBeGreaterThan(0);
    expect(speech[0]!.status()).toBe(200);
    expect(speech[0]!.headers()['content-type']).toBe('audio/wav');
    expect((await speech[0]!.body()).toString('ascii', 0, 4)).toBe('RIFF');
    pump.setMode('fast');
  });

  it("arrives: HUSLAB's description and today's hours, then starts over by itself", async () => {
    await onScreen('arrived');
    expect(await page.locator('#screen h1').textContent()).toMatch(/HUSLAB/);
    expect(await page.locator('#description').textContent()).toMatch(/blodprov/);
    // A Thursday in the harness: HUSLAB's hours on Thursdays.
    expect(await page.locator('#hours').textContent()).toMatch(/Öppet i dag: 08:00.16:00/);
    await expectAccessible('kiosk-arrived');
    await page.clock.fastForward('00:31');
    await onScreen('start');
    expect(await page.locator('html').getAttribute('lang')).toBe('fi');
  });

  it('plain language and larger text change the words and their size, and stay accessible', async () => {
    await tabTo('#plain');
    await page.keyboard.press('Enter');
    expect(await page.locator('#plain').getAttribute('aria-pressed')).toBe('true');
    await tabTo('#text-larger');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    expect(await page.locator('html').getAttribute('data-text-size')).toBe('2');
    await tabTo('button[data-language="en"]');
    await page.keyboard.press('Enter');
    await onScreen('ask');
    expect(await page.locator('#screen h1').textContent()).toBe('Where do you want to go?');
    const size = await page.locator('#screen h1').evaluate(fontSize);
    expect(size).toBeGreaterThan(1.4 * normalHeading);
    await expectAccessible('kiosk-plain-large');
  });

  it('muted, an unknown place is answered plainly with examples, and nothing is played', async () => {
    await tabTo('#mute');
    await page.keyboard.press('Enter');
    expect(await page.locator('#mute').getAttribute('aria-pressed')).toBe('true');
    const played = speech.length;
    // The robot is back at its place from the last escort (else it would say it is busy).
    await expect.poll(() => h.console.bridge.book.get('mission').state, WAIT).toBe('idle');
    await tabTo('#search');
    await page.keyboard.type('zzqx');
    await page.keyboard.press('Enter');
    await onScreen('answer');
    expect(await page.locator('#answer').textContent()).toMatch(
      // Plain language is on (the test before): the robot's own words are plain too.
      /did not understand\. Say the name of the place\. Or say what you need\./,
    );
    await expectAccessible('kiosk-answer-unknown');
    expect(speech.length).toBe(played);
  });

  it('logged no error: no CSP refusal, failed load or exception', () => {
    expect(errors).toEqual([]);
  });
});
