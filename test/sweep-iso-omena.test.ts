/**
 * The sweep on the sample site, maps/iso-omena (sim/sweep-suite.ts): every destination from the
 * dock with 4 pedestrians walking the floor, and two random pairs. The issue's bar: ≥ 99 % of
 * escorts arrive, with zero collisions. (Without pedestrians every destination is escorted three
 * times in sim/scenarios/escort-every-destination.yaml.)
 */
import { describe, it } from 'vitest';
import { SAMPLE_SITE_OPTIONS, SUITE_SAMPLE_SITE } from '../sim/sweep-suite.js';
import { expectIssueBar, sweep } from './support/sweep-bar.js';

describe('sweep: maps/iso-omena', () => {
  it('escorts arrive (≥ 99 %) with zero collisions, with pedestrians', async () => {
    expectIssueBar(await sweep([{ dir: SUITE_SAMPLE_SITE, options: SAMPLE_SITE_OPTIONS }]));
  }, 600_000);
});
