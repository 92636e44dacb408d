// Driving by hand and the e-stop, in a real browser on the simulated robot. Simulated time here
// never runs ahead of the wall clock: the page renews its command every 100 ms of browser time,
// and each command is valid for 300 ms of the robot's time. What the robot is told is read off
// /cmd_vel, the safety gate's output, stamped with simulated time. How late a key's release
// reaches the robot depends on how loaded the machine is (browser, socket, event loop); what the
// robot guarantees does not: no drive outlives the last command it accepted by more than the
// deadman's 300 ms, its 50 ms repeat and one 50 ms period of the gate.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startConsoleHarness, type ConsoleHarness } from '../support/console-harness.js';
import { launchBrowser, pageErrors, expectAccessible, signIn } from '../support/browser.js';
import { startPump, type Pump } from '../support/sim-pump.js';
import { FoxglovePasses } from '../../src/foxglove/index.js';
import { DEFAULT_SAFETY_PARAMS } from '../../src/safety/params.js';

const WAIT = { timeout: 60_000 };
let h: ConsoleHarness;
let browser: Browser;
let pump: Pump;
/** /cmd_vel as the robot received it: simulated time (s) and linear speed (m/s). */
const commands: Array<{ t: number; v: number; w: number }> = [];
/** Simulated times (s) at which the deadman accepted a driving command from the page. */
const accepted: number[] = [];
/** Valid for, repeated every, and the gate's period, s (src/console/protocol.ts, teleop.ts, safety/gate.ts). */
const DEADMAN_BOUND_S = 0.3 + 0.05 + 0.05;
const GATE_PERIOD_S = 0.05;

/**
 * The gate brings a driving robot down to zero at max_linear_decel (a letting go is a slow-down,
 * not an emergency stop), one step per period: the first step is in DEADMAN_BOUND_S, the rest
 * depend on how fast it was going, which depends on how long (in wall time) the key was held.
 */
function stopBoundS(since: number, stopAt: number): number {
  const fastest = Math.max(0, ...commands.filter((c) => c.t >= since && c.t < stopAt).map((c) => c.v));
  const steps = Math.ceil(fastest / (DEFAULT_SAFETY_PARAMS.max_linear_decel * GATE_PERIOD_S) - 1e-9);
  return DEADMAN_BOUND_S + Math.max(0, steps - 1) * GATE_PERIOD_S + 1e-9;
}
const errors: string[] = [];
/** The Foxglove view's passes, as `run --foxglove 8765` gives the console (no server needed to issue them). */
const passes = new FoxglovePasses({ wallNow: () => h.wall.ms });

beforeAll(async () => {
  h = await startConsoleHarness({
    foxglove: { issuer: passes, address: () => ({ host: '127.0.0.1', port: 8765 }) },
  });
  await h.addUser('olga', 'operator');
  await h.addUser('vera', 'viewer');
  h.graph
    .createNode('teleop_probe')
    .createSubscription('geometry_msgs/msg/Twist', '/cmd_vel', (m) =>
      commands.push({ t: pump.simNow(), v: m.linear.x, w: m.angular.z }),
    );
  const teleop = h.console.bridge.teleop;
  const command = teleop.command.bind(teleop);
  teleop.command = (key, linear, angular) => {
    const ok = command(key, linear, angular);
    if (ok && (linear !== 0 || angular !== 0)) accepted.push(pump.simNow());
    return ok;
  };
  browser = await launchBrowser();
  pump = startPump(h, 'realtime');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await pump?.stop();
  await h?.stop();
});

async function loggedIn(name: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const seen = pageErrors(page);
  page.on('close', () => errors.push(...seen.filter((e) => !/status of 40[13]/.test(e))));
  await signIn(page, h.origin(), name, PASSWORD);
  await expect.poll(() => page.locator('#connection').textContent(), WAIT).toBe('Live');
  return page;
}

/** Resolves once the robot has been told to drive forward since simulated time `since`. */
async function drivingSince(since: number): Promise<void> {
  await expect.poll(() => commands.some((c) => c.t >= since && c.v > 0.05), WAIT).toBe(true);
}

/** The first command at or after `since` that says stop, and any forward command after it. */
async function stoppedSince(since: number): Promise<{ stopAt: number; movedAfter: boolean }> {
  await expect.poll(() => commands.some((c) => c.t >= since && c.v === 0 && c.w === 0), WAIT).toBe(true);
  const stopAt = commands.find((c) => c.t >= since && c.v === 0 && c.w === 0)!.t;
  return { stopAt, movedAfter: commands.some((c) => c.t > stopAt && c.v > 0) };
}

/** How long after the last command the robot accepted before `t` it was told to stop, s. */
function sinceLastAccepted(t: number): number {
  const before = accepted.filter((a) => a <= t);
  expect(before.length, 'a driving command was accepted before the stop').toBeGreaterThan(0);
  return t - before.at(-1)!;
}

describe('driving by hand', () => {
  let page: Page;

  it('takes control only after confirming; holding a key drives; letting go stops, within 300 ms of the last command', async () => {
    page = await loggedIn('olga');
    const take = page.locator('#teleop-take');
    await expect.poll(() => take.isEnabled(), WAIT).toBe(true);
    await take.click();
    await page.locator('#teleop-dialog').waitFor({ state: 'visible' });
    await expectAccessible(page, 'console-teleop-confirm');
    await page.click('#teleop-dialog button[value="confirm"]');
    await page.locator('#teleop-drive').waitFor({ state: 'visible', ...WAIT });

    // Meanwhile the kiosk cannot send the robot anywhere, and tells the customer so in their language.
    const kiosk = await browser.newPage();
    await kiosk.goto(`${h.origin()}/kiosk`);
    await kiosk.click('button[data-language="sv"]');
    await kiosk.click('.tile[data-desk="huslab"]', WAIT);
    await kiosk.click('#confirm');
    await expect
      .poll(() => kiosk.locator('#answer').textContent(), WAIT)
      .toBe('Jag kan inte visa vägen just nu. Fråga personalen.');
    await kiosk.close();

    const pressed = pump.simNow();
    await page.keyboard.down('ArrowUp');
    await drivingSince(pressed);
    await expect.poll(() => page.locator('#teleop-driving').textContent(), WAIT).toBe('Driving…');
    await expectAccessible(page, 'console-teleop-driving');
    const released = pump.simNow();
    await page.keyboard.up('ArrowUp');
    const { stopAt, movedAfter } = await stoppedSince(released);
    expect(sinceLastAccepted(stopAt)).toBeLessThanOrEqual(stopBoundS(released, stopAt));
    expect(movedAfter).toBe(false);
    expect(accepted.some((a) => a > stopAt)).toBe(false);
    // And the robot itself is at rest (the plant, not only the command).
    await expect.poll(() => Math.abs(h.world.physics.robotVelocity().v), WAIT).toBeLessThan(0.01);
  });

  it('a dropped WebSocket stops the robot, and the key still held does not drive it again', async () => {
    const pressed = pump.simNow();
    await page.keyboard.down('ArrowUp');
    await drivingSince(pressed);
    const dropped = pump.simNow();
    const sockets = (h.console.app as unknown as { websocketServer: { clients: Set<{ terminate(): void }> } })
      .websocketServer.clients;
    for (const socket of sockets) socket.terminate();
    const { stopAt } = await stoppedSince(dropped);
    expect(sinceLastAccepted(stopAt)).toBeLessThanOrEqual(DEADMAN_BOUND_S);
    await expect.poll(() => page.locator('#teleop-driving').textContent(), WAIT).toBe('Stopped.');
    await expect.poll(() => page.locator('#connection').textContent(), WAIT).toBe('Live');
    const reconnected = pump.simNow();
    await expect.poll(() => pump.simNow() > reconnected + 1, WAIT).toBe(true);
    expect(commands.some((c) => c.t > stopAt && c.v > 0)).toBe(false);
    await page.keyboard.up('ArrowUp');
    await page.click('#teleop-release');
    await page.locator('#teleop-take').waitFor({ state: 'visible', ...WAIT });
  });
});

describe('the e-stop', () => {
  it('latches; a viewer cannot release it; an operator can, after confirming', async () => {
    const operator = await loggedIn('olga');
    await operator.click('#estop');
    await operator.locator('#estop-banner').waitFor({ state: 'visible', ...WAIT });
    await expectAccessible(operator, 'console-estop-latched');

    const viewer = await loggedIn('vera');
    await viewer.locator('#estop-banner').waitFor({ state: 'visible', ...WAIT });
    expect(await viewer.locator('#estop-release').isHidden()).toBe(true);
    const refused = await viewer.evaluate(async () => {
      const reply = await fetch('/api/estop', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ engaged: false, confirm: true }),
      });
      return reply.status;
    });
    expect(refused).toBe(403);
    const later = pump.simNow();
    await expect.poll(() => pump.simNow() > later + 1, WAIT).toBe(true);
    expect(await viewer.locator('#estop-banner').isVisible()).toBe(true);

    await operator.click('#estop-release');
    await operator.locator('#estop-dialog').waitFor({ state: 'visible' });
    await expectAccessible(operator, 'console-estop-release-confirm');
    await operator.click('#estop-dialog button[value="confirm"]');
    await operator.locator('#estop-banner').waitFor({ state: 'hidden', ...WAIT });
    await viewer.locator('#estop-banner').waitFor({ state: 'hidden', ...WAIT });
  });

  it('gives a Foxglove link on request: an operator’s may drive, a viewer’s only views', async () => {
    for (const [name, drives] of [
      ['olga', true],
      ['vera', false],
    ] as const) {
      const page = await loggedIn(name);
      expect(await page.locator('#foxglove-url').isHidden()).toBe(true);
      await page.click('#foxglove-pass');
      await expect
        .poll(() => page.locator('#foxglove-url').inputValue(), WAIT)
        .toMatch(/^ws:\/\/127\.0\.0\.1:8765\/\?pass=/);
      const url = new URL(await page.locator('#foxglove-url').inputValue());
      // The pass is good for the Foxglove server, for this user, with this user's right to drive.
      expect(passes.check(url.searchParams.get('pass') ?? undefined)).toMatchObject({
        name,
        mayDrive: drives,
      });
      expect(await page.locator('#foxglove-result').textContent()).toContain(
        drives ? 'To drive, take teleop here' : 'viewing only',
      );
      await expectAccessible(page, `console with a Foxglove link (${name})`);
      await page.context().close();
    }
  });

  it('logged no error in any page: no CSP refusal, failed load or exception', () => {
    expect(errors).toEqual([]);
  });
});
