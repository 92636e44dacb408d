// The kiosk in conversation with the real robot in the simulator, in a real browser: a need typed
// without choosing a language is understood and escorted, in the words' language; an ambiguous
// request is asked back with big buttons and the second pick is escorted; plain language reaches
// the robot's own words; "show me the way" gives directions, shown and spoken, while the robot
// stays at its place; a service that is not on this floor is told with a button for the way on.
// Portrait (1080×1920, the robot's screen) and landscape (1280×800); axe on every new screen.
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../src/console/protocol.js';
import { expectAccessible, launchBrowser, pageErrors, signIn } from '../support/browser.js';
import {
  PASSWORD,
  startConsoleHarness,
  type ConsoleHarness,
  type LiveClient,
} from '../support/console-harness.js';
import { kioskCustomers } from '../support/kiosk-customer.js';
import { startPump, type Pump } from '../support/sim-pump.js';

const WAIT = { timeout: 20_000 };
const PORTRAIT = { width: 1080, height: 1920 };
const LANDSCAPE = { width: 1280, height: 800 };
let h: ConsoleHarness;
let browser: Browser;
let pump: Pump;
let page: Page;
let staff: LiveClient;
let errors: string[];
const speech: Response[] = [];
/** Every mission state the console heard, in order. */
const states: string[] = [];

beforeAll(async () => {
  h = await startConsoleHarness();
  await h.addUser('vera', 'viewer');
  staff = await h.socket('/ws', { cookie: await h.login('vera') });
  staff.ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as ServerMessage;
    if (msg.type === 'state' && msg.state.mission) states.push(msg.state.mission.state);
  });
  const customers = kioskCustomers(h);
  pump = startPump(h, 'fast', () => customers.step());
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: LANDSCAPE });
  errors = pageErrors(page);
  page.on('response', (r) => {
    if (new URL(r.url()).pathname.startsWith('/speech/')) speech.push(r);
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await pump?.stop();
  staff?.close();
  await h?.stop();
});

beforeEach(async () => {
  // Each conversation starts with the robot at its place and a fresh kiosk.
  await expect.poll(() => h.console.bridge.book.get('mission').state, { timeout: 60_000 }).toBe('idle');
  await page.goto(`${h.origin()}/kiosk`);
  await onScreen('start');
});

/** In the page: an element's computed font size, px (the test's tsconfig has no DOM). */
function fontSize(element: unknown): number {
  const { getComputedStyle } = globalThis as unknown as {
    getComputedStyle(e: unknown): { fontSize: string };
  };
  return parseFloat(getComputedStyle(element).fontSize);
}

async function onScreen(name: string): Promise<void> {
  await page.locator(`#screen[data-screen="${name}"]`).waitFor(WAIT);
}

/** The words the robot said for the kiosk's current request (as the console heard them). */
async function saidNow(): Promise<Array<Extract<ServerMessage, { type: 'say' }>>> {
  const id = await page.evaluate(
    () =>
      (globalThis as unknown as { document: { body: { dataset: { request?: string } } } }).document.body
        .dataset.request,
  );
  return staff.messages.filter(
    (m): m is Extract<ServerMessage, { type: 'say' }> => m.type === 'say' && m.request_id === id,
  );
}

/** Types on the start screen, in no chosen language, and asks. */
async function askAnyLanguage(text: string): Promise<void> {
  await page.fill('#start-search', text);
  await page.keyboard.press('Enter');
}

async function chooseEnglish(): Promise<void> {
  await page.click('button[data-language="en"]');
  await onScreen('ask');
}

describe('the kiosk talking with the robot', () => {
  it('show me the way: the directions are shown large and spoken, and the robot stays at its place', async () => {
    await chooseEnglish();
    await page.click('#desk-tiles button[data-desk="kela"]');
    await onScreen('confirm');
    const heard = speech.length;
    const from = states.length;
    await page.click('#show-way');
    await onScreen('directions');
    expect(await page.locator('#screen h1').textContent()).toMatch(/^The way to Kela/);
    const directions = await page.locator('#directions').textContent();
    expect(directions).toMatch(/Kela/);
    expect(await page.locator('#directions').evaluate(fontSize)).toBeGreaterThanOrEqual(28);
    await expect.poll(() => speech.length, WAIT).toBeGreaterThan(heard);
    expect(speech.at(-1)!.status()).toBe(200);
    expect((await saidNow()).map((s) => s.text)).toContain(directions);
    await expectAccessible(page, 'kiosk-directions');
    expect(states.slice(from).filter((s) => s !== 'idle' && s !== 'understanding')).toEqual([]);
  });

  it('not on this floor: where to go instead, plainly, with a button for the way on', async () => {
    await page.setViewportSize(PORTRAIT);
    await askAnyLanguage('passport');
    await onScreen('elsewhere');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('#screen h1').textContent()).toBe('Not on this floor');
    expect(await page.locator('#answer').textContent()).toMatch(/police/i);
    const way = page.locator('button[data-choice="metro"]');
    expect(await way.textContent()).toMatch(/Metro/);
    await expectAccessible(page, 'kiosk-elsewhere-portrait');
    await way.focus();
    await page.keyboard.press('Enter');
    await onScreen('confirm');
    expect(await page.locator('#screen h1').textContent()).toMatch(/Metro/);
    expect(h.console.bridge.book.get('mission').state).toBe('idle');
  });

  it("plain language: the toggle reaches the robot's own words", async () => {
    await page.setViewportSize(LANDSCAPE);
    await chooseEnglish();
    await page.fill('#search', 'zzqx');
    await page.keyboard.press('Enter');
    await onScreen('answer');
    const standard = await saidNow();
    await page.goto(`${h.origin()}/kiosk`);
    await onScreen('start');
    await page.click('#plain');
    expect(await page.locator('#plain').getAttribute('aria-pressed')).toBe('true');
    await chooseEnglish();
    await page.fill('#search', 'zzqx');
    await page.keyboard.press('Enter');
    await onScreen('answer');
    const plain = await saidNow();
    expect(standard.map((s) => s.plain)).toEqual([false]);
    expect(plain.map((s) => s.plain)).toEqual([true]);
    expect(plain[0]!.kind).toBe(standard[0]!.kind);
    expect(plain[0]!.text).not.toBe(standard[0]!.text);
    expect(await page.locator('#answer').textContent()).toBe(plain[0]!.text);
    await expectAccessible(page, 'kiosk-plain-answer');
  });

  it('a need typed in any language is understood and escorted, the screen in the words’ language', async () => {
    await askAnyLanguage('I need a blood test');
    await onScreen('escort');
    // The escort at the wall clock's pace while the test looks (a fast one may end before it does).
    pump.setMode('realtime');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(h.console.bridge.book.get('mission').destination_id).toBe('huslab');
    await expect.poll(() => page.locator('#screen h1').textContent(), WAIT).toMatch(/HUSLAB/);
    await page.click('#cancel');
    await onScreen('ask');
    pump.setMode('fast');
  });

  it('asked back: the desks as big buttons in portrait; the second, picked by keyboard, is escorted', async () => {
    await page.setViewportSize(PORTRAIT);
    await askAnyLanguage('unpaid rent');
    await onScreen('choose');
    // The robot waits for the pick on its own clock: at the wall clock's pace while the test looks.
    pump.setMode('realtime');
    const choices = page.locator('.choices button');
    expect(await choices.count()).toBeGreaterThanOrEqual(2);
    expect(h.console.bridge.book.get('mission').state).toBe('asking');
    for (const box of await Promise.all((await choices.all()).map((c) => c.boundingBox())))
      expect(box!.height).toBeGreaterThanOrEqual(96);
    await expectAccessible(page, 'kiosk-choose-portrait');
    // Staff see how the robot understood it: both desks' catalogue terms, never the typed words.
    const console = await browser.newPage({ viewport: LANDSCAPE });
    await signIn(console, h.origin(), 'vera', PASSWORD);
    await expect
      .poll(() => console.locator('#mission-why').textContent(), WAIT)
      .toMatch(
        /^Understood by service [a-z-]+: 'unpaid rent' \(en\); service [a-z-]+: 'unpaid rent' \(en\)$/,
      );
    await console.close();
    const second = choices.nth(1);
    const id = await second.getAttribute('data-choice');
    const name = (await second.textContent())!.replace(/^2\. /, '');
    await second.focus();
    await page.keyboard.press('Enter');
    await onScreen('escort');
    expect(h.console.bridge.book.get('mission').destination_id).toBe(id);
    await expect.poll(() => page.locator('#screen h1').textContent(), WAIT).toContain(name);
    await page.click('#cancel');
    pump.setMode('fast');
  });

  it('logged no error: no CSP refusal, failed load or exception', () => {
    expect(errors).toEqual([]);
  });
});
