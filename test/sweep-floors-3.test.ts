/**
 * The sweep over generated floors 10–14 of the suite (sim/sweep-suite.ts; the 20 floors are
 * split over test/sweep-floors-1..4 so vitest runs them in parallel): every destination from
 * the dock and one random pair per floor, every other floor with 3 pedestrians. The bar:
 * ≥ 99 % of escorts arrive, with zero collisions. Not met yet on generated floors: this file holds
 * the robot to what it reached when last measured (expectNoWorseThan) until it is.
 */
import { describe, it } from 'vitest';
import { writeSuiteFloors } from '../sim/sweep-suite.js';
import { expectNoWorseThan, sweep } from './support/sweep-bar.js';

describe('sweep: generated floors 10–14', () => {
  it('no fewer escorts arrive and no more collide than last measured (38 of 38, 3 collisions)', async () => {
    expectNoWorseThan(await sweep(await writeSuiteFloors(10, 14)), {
      escorts: 38,
      arrived: 38,
      collisions: 3,
    });
  }, 600_000);
});
