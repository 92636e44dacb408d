import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { checkSite } from './check.js';
import { subtract } from './centre-hours-check.js';
import { loadSite } from './site.js';
import { ROOM_SITE_YAML, lineOf, removeSite, writeSite } from './test-helpers.js';

let dir = '';
afterEach(async () => removeSite(dir));

/** The room site with the centre's own `hours` block (indented lines) after its time zone. */
const withCentreHours = (lines: string): string =>
  ROOM_SITE_YAML.replace('timezone: Europe/Helsinki\n', `timezone: Europe/Helsinki\nhours:\n${lines}`);

describe("the centre's own hours", () => {
  it("load as a desk's do; a weekday left out is closed", async () => {
    dir = await writeSite({
      'site.yaml': withCentreHours('  mon: 08:00-12:00, 13:00-18:00\n  sat: closed\n'),
    });
    const site = await loadSite(dir);
    expect(site.hours).toEqual({
      mon: [
        { open: 480, close: 720 },
        { open: 780, close: 1080 },
      ],
      sat: [],
    });
  });

  it('are absent (always open) when the site does not give them', async () => {
    dir = await writeSite();
    expect((await loadSite(dir)).hours).toBeUndefined();
  });

  it('that never open are refused at their line', async () => {
    const text = withCentreHours('  mon: closed\n  tue: closed\n');
    dir = await writeSite({ 'site.yaml': text });
    const issues = await checkSite(dir);
    expect(issues).toMatchObject([
      {
        code: 'HOURS_INVALID',
        severity: 'error',
        where: `${join(dir, 'site.yaml')}:${lineOf(text, '  mon: closed')}`,
      },
    ]);
    expect(issues[0]!.message).toMatch(/^hours: the centre is closed every day of the week/);
  });

  it('that make no sense (closing before opening) are refused with the field path', async () => {
    dir = await writeSite({ 'site.yaml': withCentreHours('  mon: 18:00-08:00\n') });
    const issues = await checkSite(dir);
    expect(issues).toMatchObject([{ code: 'HOURS_INVALID', severity: 'error' }]);
    expect(issues[0]!.message).toMatch(/^hours\.mon: expected opening before closing/);
  });

  it('warn about a desk open while the centre is closed, naming the day and the time', async () => {
    // Kela: mon 09:00-16:00 in the room site; the centre closes at 12:00 on Mondays.
    const text = withCentreHours('  mon: 07:00-12:00\n');
    dir = await writeSite({ 'site.yaml': text });
    const issues = await checkSite(dir);
    expect(issues).toEqual([
      {
        code: 'HOURS_OUTSIDE_CENTRE',
        severity: 'warning',
        where: `${join(dir, 'site.yaml')}:${lineOf(text, '- id: kela')}`,
        message: 'kela: open while the centre is closed (mon 12:00-16:00); the robot takes nobody there then',
      },
    ]);
  });
});

describe('subtract', () => {
  it('leaves the parts of one set of intervals the other does not cover', () => {
    const a = [{ open: 480, close: 1200 }];
    const b = [
      { open: 540, close: 600 },
      { open: 900, close: 1300 },
    ];
    expect(subtract(a, b)).toEqual([
      { open: 480, close: 540 },
      { open: 600, close: 900 },
    ]);
    expect(subtract(a, [])).toEqual(a);
    expect(subtract([], b)).toEqual([]);
  });
});
