/**
 * A real browser for the console and kiosk tests: Debian's chromium driven by playwright-core
 * (never a downloaded browser), an axe-core accessibility check run inside the page, and
 * screenshots under out/ (git-ignored) for a person to look at.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCREENSHOT_DIR = join(ROOT, 'out', 'screens');

/** Debian's chromium, headless; fails (never skips) saying what to install when it is missing. */
export async function launchBrowser(executablePath = CHROMIUM_PATH): Promise<Browser> {
  if (!existsSync(executablePath)) {
    throw new Error(
      `${executablePath} is missing: the browser tests need Debian's chromium ` +
        `(apt-get install --no-install-recommends chromium, or bash scripts/ensure-system-deps.sh)`,
    );
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  /** The offending elements' selectors and what is wrong with each. */
  nodes: Array<{ target: string[]; failureSummary: string }>;
}

const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

let axeSource: string | undefined;

/**
 * Runs axe-core in the page against WCAG 2.1 A and AA and returns its violations (empty when the
 * screen passes). axe is evaluated through the DevTools protocol, not added as a <script>: the
 * page's CSP rightly refuses inline scripts, and the test must not loosen it.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => 'axe' in globalThis);
  if (!loaded) await page.evaluate((axeSource ??= readFileSync(AXE_SOURCE, 'utf8')));
  return page.evaluate(async (tags) => {
    const axe = (globalThis as unknown as { axe: { run: (opts: object) => Promise<AxeResults> } }).axe;
    interface AxeResults {
      violations: Array<{
        id: string;
        impact: string | null;
        help: string;
        nodes: Array<{ target: string[]; failureSummary?: string }>;
      }>;
    }
    const results = await axe.run({ runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary ?? '' })),
    }));
  }, AXE_TAGS);
}

/** The violations in words, for a failing assertion's message. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')}: ${n.failureSummary}`).join('\n')}`,
    )
    .join('\n');
}

/**
 * Everything the page's console reports as an error (CSP refusals, failed loads, uncaught
 * exceptions), collected from now on; a test asserts it stays empty.
 */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return errors;
}

/** Saves a full-page screenshot as out/screens/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** axe finds nothing on `page` (WCAG 2.1 A/AA); the screen is saved as out/screens/<screen>.png. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations, `${screen}:\n${describeViolations(violations)}`).toEqual([]);
  await screenshot(page, screen);
}

/**
 * Signs `name` in on the console at `origin` and waits for the console to show (`ready`: the
 * element the signed-in page shows; the fleet console's is #fleet).
 */
export async function signIn(
  page: Page,
  origin: string,
  name: string,
  password: string,
  ready = '#console',
): Promise<void> {
  await page.goto(`${origin}/`);
  await page.fill('#login-name', name);
  await page.fill('#login-password', password);
  await page.click('#login-form button[type=submit]');
  await page.locator(ready).waitFor({ state: 'visible', timeout: 60_000 });
}
