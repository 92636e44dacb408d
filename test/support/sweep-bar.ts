/**
 * The issue's bar for floors nobody tuned for, shared by the sweep tests (split across files so
 * vitest runs them in parallel): sweep the sites, then ≥ 99 % of escorts arrive and none
 * touches anything. A failure lists every failed escort with its reason and where the robot
 * stood, the list the integrator works from.
 */
import { expect } from 'vitest';
import { simulateForSweep } from '../../cli/sweep-command.js';
import { failureLines, summarize, type SiteSweep, type SweepSummary } from '../../sim/sweep-report.js';
import { sweepSite, type SweepOptions } from '../../sim/sweep.js';
import { loadSite } from '../../src/map/index.js';

export const MIN_SUCCESS_PCT = 99;

/** Sweeps each site with its own options; the summary of all of them. */
export async function sweep(
  sites: ReadonlyArray<{ dir: string; options: SweepOptions }>,
): Promise<SweepSummary> {
  const swept: SiteSweep[] = [];
  for (const { dir, options } of sites) {
    const site = await loadSite(dir);
    const runs = await sweepSite(site, options, simulateForSweep);
    swept.push({ site: site.id, dir, destinations: site.destinations.map((d) => d.id), runs });
  }
  return summarize(swept);
}

/** ≥ 99 % of escorts arrive, with zero collisions; the message lists every failure. */
export function expectIssueBar(summary: SweepSummary): void {
  const t = summary.totals;
  const said = [
    `${t.arrived} of ${t.escorts} escorts arrived (${t.success_pct} %), ${t.collisions} collisions`,
    ...failureLines(summary, 200),
  ].join('\n');
  expect(t.escorts, said).toBeGreaterThan(0);
  expect(t.success_pct, said).toBeGreaterThanOrEqual(MIN_SUCCESS_PCT);
  expect(t.collisions, said).toBe(0);
}
