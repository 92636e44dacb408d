/**
 * `sim day` as a user runs it: flags checked before anything runs, each error naming the flag
 * and what it expected; a date the centre is closed refused with the date; a short day runs,
 * prints its table and writes its report.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliBounded } from '../test/support/bounded-cli.js';
import { parseDayFlags } from './day-command.js';

const SITE = 'maps/iso-omena';
const cli = (args: string[]) => runCliBounded(args, { timeoutMs: 180_000 });

describe('sim day flags', () => {
  it('defaults to a whole Thursday of 4,500 visits with four pedestrians', () => {
    expect(parseDayFlags(SITE, {})).toEqual({
      siteDir: SITE,
      day: { date: '2026-11-26', visits: 4500, seed: 1, pedestrians: 4 },
    });
    expect(parseDayFlags(SITE, { from: '09:00', until: '11:30', out: 'day.json', seed: '7' })).toMatchObject({
      day: { fromMin: 540, untilMin: 690, seed: 7 },
      out: 'day.json',
    });
  });

  it('names the flag and what it expected for every bad value', () => {
    expect(parseDayFlags(SITE, { date: '2026-02-30' })).toBe(
      "--date: expected a date YYYY-MM-DD that exists, got '2026-02-30'",
    );
    expect(parseDayFlags(SITE, { visits: '100001' })).toBe(
      "--visits: expected a whole number 0..100000 (dayVisits, docs/limits.md), got '100001'",
    );
    expect(parseDayFlags(SITE, { visits: '-5' })).toMatch(/^--visits: expected a whole number/);
    expect(parseDayFlags(SITE, { seed: '1.5' })).toMatch(/^--seed: expected a whole number 0\.\.4294967295/);
    expect(parseDayFlags(SITE, { pedestrians: '501' })).toMatch(/^--pedestrians: .*crowdPeople/);
    expect(parseDayFlags(SITE, { from: '9:00' })).toBe(
      "--from: expected a local time HH:MM (00:00..24:00), got '9:00'",
    );
    expect(parseDayFlags(SITE, { from: '11:00', until: '10:00' })).toBe(
      "--until: expected a time after --from 11:00, got '10:00'",
    );
    expect(parseDayFlags(SITE, { out: '' })).toBe("-o: expected a file name such as day.json, got ''");
  });
});

describe('sim day', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'sim-day-'));
  });

  it('refuses a bad flag, exit 2, running nothing', async () => {
    const r = await cli(['sim', 'day', SITE, '--visits', 'lots']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "--visits: expected a whole number 0..100000 (dayVisits, docs/limits.md), got 'lots'",
    );
    expect(r.stdout).toBe('');
  });

  it('refuses a date the centre is closed, naming it, before anything runs', async () => {
    const site = path.join(tmp, 'closed-sundays');
    await cp(SITE, site, { recursive: true });
    const yaml = await readFile(path.join(site, 'site.yaml'), 'utf8');
    await writeFile(path.join(site, 'site.yaml'), yaml.replace(/^ {2}sun: 10:00-16:00\n/m, ''));
    const r = await cli(['sim', 'day', site, '--date', '2026-11-29']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--date: the centre is closed on 2026-11-29 (sun) by the hours in site.yaml');
    expect(r.stderr).toContain('nothing was run');
  });

  it('refuses to write its report over the site', async () => {
    const r = await cli(['sim', 'day', SITE, '-o', path.join(SITE, 'site.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/-o .*site\.yaml: exists and is not an earlier report/);
  });

  it('runs a short day, prints its table and writes its report', async () => {
    // An earlier day's report is there already: it may be written over.
    const out = path.join(tmp, 'day.json');
    await writeFile(out, '{\n  "day": {}\n}\n');
    const args = ['sim', 'day', SITE, '--from', '09:00', '--until', '09:05', '--pedestrians', '0', '-o', out];
    const r = await cli(args);
    expect(r.stderr).toBe('');
    expect([0, 1]).toContain(r.code);
    expect(r.stdout).toMatch(/iso-omena, thu 2026-11-26, open 08:00-20:00, run 09:00–09:05, seed 1/);
    expect(r.stdout).toMatch(/time in service +\d+\.\d %/);
    const report = JSON.parse(await readFile(out, 'utf8')) as { day: { from: string }; wall_time_s: number };
    expect(report.day.from).toBe('09:00');
    expect(report.wall_time_s).toBeGreaterThan(0);
  }, 240_000);
});
