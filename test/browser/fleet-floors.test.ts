// The fleet console's floor maps in a real browser (Debian's chromium): each site the fleet
// service has a floor for is drawn with the robot console's map view, with every robot of the site
// where it last said it was, moving as its states come, red when it needs someone. The pixels under
// each robot are read back from the canvas. A site without a floor shows no empty map. The test
// double stands in for the fleet service (its Espoo site is drawn on the sample floor).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { robotState } from '../../src/fleet/fleet-fixtures.js';
import type { FleetRobotView } from '../../src/fleet/fleet-control.js';
import {
  RIG_PASSWORD,
  startFleetConsoleRig,
  type FleetConsoleRig,
} from '../../src/fleet/console/fleet-console-rig.js';
import { loadSite, type Site } from '../../src/map/index.js';
import { expectAccessible, launchBrowser, pageErrors, signIn } from '../support/browser.js';

const WAIT = { timeout: 30_000 };
const ROBOT_BLUE = [0x0b, 0x4f, 0x8a];
const ALERT_RED = [0xb3, 0x26, 0x1e];

let browser: Browser;
let rig: FleetConsoleRig;
let floor: Site;
beforeAll(async () => {
  browser = await launchBrowser();
  floor = { ...(await loadSite('maps/iso-omena')), id: 'espoo', name: 'Espoo service centre' };
  rig = await startFleetConsoleRig({ sites: [floor] });
  await rig.addUser('vera', 'viewer');
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await rig?.stop();
});

const canvas = '#floors canvas[data-site=espoo]';

/** Where the map says it drew each robot, screen px: { 'espoo-1': [x, y], … }. */
async function drawnAt(page: Page): Promise<Record<string, [number, number]>> {
  const data = (await page.locator(canvas).getAttribute('data-robots')) ?? '';
  return Object.fromEntries(
    data
      .split(' ')
      .filter(Boolean)
      .map((entry) => {
        const [id, at] = entry.split('@') as [string, string];
        return [id, at.split(',').map(Number) as [number, number]];
      }),
  );
}

/** The canvas's colour at a screen point (CSS px), as [r, g, b]. */
async function colourAt(page: Page, [x, y]: [number, number]): Promise<number[]> {
  return page.locator(canvas).evaluate(
    (node, point) => {
      const c = node as unknown as {
        getContext(kind: '2d'): {
          getImageData(x: number, y: number, w: number, h: number): { data: number[] };
        };
      };
      const dpr = (globalThis as unknown as { devicePixelRatio: number }).devicePixelRatio || 1;
      const d = c
        .getContext('2d')
        .getImageData(Math.round(point[0]! * dpr), Math.round(point[1]! * dpr), 1, 1).data;
      return [d[0]!, d[1]!, d[2]!];
    },
    [x, y],
  );
}

/** Whether a colour is `target`, to a few levels of antialiasing. */
const near = (colour: number[], target: number[]) => colour.every((c, i) => Math.abs(c - target[i]!) <= 6);

function at(robot: string, x: number, y: number, change: Partial<FleetRobotView> = {}): FleetRobotView {
  return {
    robot,
    site: 'espoo',
    state: robotState(robot, 'espoo', { pose: { x, y, yaw: 0 } }),
    lastSeenMs: 1,
    status: 'online',
    ...change,
  };
}

describe('the floor maps', () => {
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    errors = pageErrors(page);
    await page.goto(`${rig.origin}/`);
    await signIn(page, rig.origin, 'vera', RIG_PASSWORD, '#fleet');
  }, 60_000);
  afterAll(async () => page?.close());

  it('draws the site that has a floor, with its robots where they are, and no empty map for the other', async () => {
    const kela = floor.destinations.find((d) => d.id === 'kela')!.pose;
    rig.control.robot(at('espoo-1', kela.x, kela.y));
    rig.control.robot(at('espoo-2', floor.dock.x, floor.dock.y));
    await expect
      .poll(async () => Object.keys(await drawnAt(page)).sort(), WAIT)
      .toEqual(['espoo-1', 'espoo-2']);
    expect(await page.locator('#floors section').count()).toBe(1);
    expect(await page.locator('#floor-espoo-title').innerText()).toBe('Floor: Espoo service centre');
    const drawn = await drawnAt(page);
    expect(near(await colourAt(page, drawn['espoo-1']!), ROBOT_BLUE)).toBe(true);
    expect(near(await colourAt(page, drawn['espoo-2']!), ROBOT_BLUE)).toBe(true);
    await expectAccessible(page, 'fleet-floors');
  });

  it('moves a robot as its state comes, and draws one that needs someone in red', async () => {
    const before = (await drawnAt(page))['espoo-1']!;
    const x = floor.dock.x + 6;
    rig.control.robot(at('espoo-1', x, floor.dock.y));
    await expect.poll(async () => (await drawnAt(page))['espoo-1'], WAIT).not.toEqual(before);
    const moved = (await drawnAt(page))['espoo-1']!;
    expect(near(await colourAt(page, moved), ROBOT_BLUE)).toBe(true);
    // Six metres east is to the right on the screen, at the same height.
    expect(moved[0]).toBeGreaterThan((await drawnAt(page))['espoo-2']![0]);
    expect(moved[1]).toBe((await drawnAt(page))['espoo-2']![1]);

    rig.control.robot(at('espoo-2', floor.dock.x, floor.dock.y, { status: 'vanished' }));
    await expect
      .poll(async () => near(await colourAt(page, (await drawnAt(page))['espoo-2']!), ALERT_RED), WAIT)
      .toBe(true);
    expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
  });
});

describe('the floor API', () => {
  it('gives a signed-in account the floor, and refuses an unknown site and anyone signed out', async () => {
    const get = (site: string, cookie?: string) =>
      fetch(`${rig.origin}/api/fleet/sites/${site}/floor`, { headers: cookie ? { cookie } : {} });
    const ok = await get('espoo', rig.cookie('vera'));
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as {
      site: { id: string; desks: unknown[] };
      map: { width: number; png: string };
    };
    expect(body.site.id).toBe('espoo');
    expect(body.site.desks).toHaveLength(floor.destinations.length);
    expect(body.map.width).toBe(floor.map.width);
    expect(body.map.png.startsWith('data:image/png;base64,')).toBe(true);
    const list = await fetch(`${rig.origin}/api/fleet/floors`, { headers: { cookie: rig.cookie('vera') } });
    expect(await list.json()).toEqual(['espoo']);
    const unknown = await get('vantaa', rig.cookie('vera'));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'unknown_site', where: 'params.site' });
    expect((await get('espoo')).status).toBe(401);
  });
});
