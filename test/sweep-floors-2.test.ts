/**
 * The sweep over generated floors 5–9 of the suite (sim/sweep-suite.ts; the 20 floors are
 * split over test/sweep-floors-1..4 so vitest runs them in parallel): every destination from
 * the dock and one random pair per floor, every other floor with 3 pedestrians. The bar:
 * ≥ 99 % of escorts arrive, with zero collisions. Not met yet on generated floors: this file holds
 * the robot to what it reached when last measured (expectNoWorseThan) until it is.
 */
import { describe, it } from 'vitest';
import { writeSuiteFloors } from '../sim/sweep-suite.js';
import { expectNoWorseThan, sweep } from './support/sweep-bar.js';

describe('sweep: generated floors 5–9', () => {
  it('no fewer escorts arrive and no more collide than last measured (31 of 33, 0 collisions)', async () => {
    expectNoWorseThan(await sweep(await writeSuiteFloors(5, 9)), { escorts: 33, arrived: 31, collisions: 0 });
  }, 600_000);
});
