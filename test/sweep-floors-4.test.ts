/**
 * The sweep over generated floors 15–19 of the suite (sim/sweep-suite.ts; the 20 floors are
 * split over test/sweep-floors-1..4 so vitest runs them in parallel): every destination from
 * the dock and one random pair per floor, every other floor with 3 pedestrians. The issue's bar:
 * ≥ 99 % of escorts arrive, with zero collisions.
 */
import { describe, it } from 'vitest';
import { writeSuiteFloors } from '../sim/sweep-suite.js';
import { expectIssueBar, sweep } from './support/sweep-bar.js';

describe('sweep: generated floors 15–19', () => {
  it('escorts arrive (≥ 99 %) with zero collisions, with and without pedestrians', async () => {
    expectIssueBar(await sweep(await writeSuiteFloors(15, 19)));
  }, 600_000);
});
