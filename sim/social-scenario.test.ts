/**
 * The social-navigation metrics on a real run of the sample floor: the report carries them per
 * request and per run, scenario bounds on them fail the run with a clear message, and a seed
 * gives the same numbers.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../cli/simulate.js';
import { reportJson } from './report.js';
import { parseScenario } from './scenario.js';

const FILE = 'sim/scenarios/social-test.yaml';

const SCENARIO = `
name: social metrics
site: ../../maps/iso-omena
seed: 5
time_limit: 300
customers:
  - ask: service-point
    expect:
      outcome: arrived
      social: { max_intimate_intrusion_pct: 0, max_path_length_ratio: 0.9, max_customer_gap_m: 10 }
  - ask: service-point
    mode: directions
expect:
  social: { max_personal_intrusion_pct: 100, max_time_to_goal_s: 1 }
`;

describe('social metrics in a scenario run', () => {
  it('reports plausible metrics per request and per run, and fails the bounds they exceed', async () => {
    const scenario = parseScenario(SCENARIO, FILE);
    const report = await simulate(scenario);
    const [escorted, directions] = report.requests;
    const s = escorted!.social!;
    expect(escorted!.outcome).toBe('arrived');
    expect(s.path_length_m).toBeCloseTo(escorted!.path_length_m, 1);
    expect(s.shortest_path_m).toBeGreaterThan(5);
    expect(s.path_length_ratio).toBeGreaterThanOrEqual(1);
    expect(s.path_length_ratio).toBeLessThan(1.6);
    expect(s.time_to_goal_s).toBeGreaterThan(0);
    expect(s.time_to_goal_s).toBeLessThanOrEqual(escorted!.duration_s);
    expect(s.jerk_m_s3).toBeGreaterThan(0);
    expect(s.intimate_intrusion_pct).toBe(0);
    expect(s.customer_gap_mean_m).toBeGreaterThan(0);
    expect(s.customer_gap_max_m).toBeLessThan(10);
    expect(directions!.social).toBeNull();
    expect(report.social).toMatchObject({ escorts: 1, path_length_ratio_max: s.path_length_ratio });

    expect(escorted!.expectation_failures).toEqual([
      `social.max_path_length_ratio: expected ≤ 0.9, got ${s.path_length_ratio} (path_length_ratio)`,
    ]);
    expect(report.expectation_failures).toEqual([
      `social.max_time_to_goal_s: expected ≤ 1 s, got ${s.time_to_goal_s} s (time_to_goal_mean_s)`,
    ]);
    expect(report.ok).toBe(false);

    // The same seed gives the same metrics, to the byte.
    expect(reportJson([await simulate(parseScenario(SCENARIO, FILE))])).toBe(reportJson([report]));
  });
});

describe('social bounds in scenario files', () => {
  it('reads per-customer and run bounds', () => {
    const s = parseScenario(SCENARIO, FILE);
    expect(s.customers[0]!.expect?.social).toEqual({
      max_intimate_intrusion_pct: 0,
      max_path_length_ratio: 0.9,
      max_customer_gap_m: 10,
    });
    expect(s.expect.social).toEqual({ max_personal_intrusion_pct: 100, max_time_to_goal_s: 1 });
  });

  it('names the line and field of an unknown bound and of a bound that is not a number ≥ 0', () => {
    const text = `site: ../../maps/iso-omena
seed: 1
customers:
  - ask: kela
    expect:
      social:
        max_path_ratio: 1.5
        max_jerk: -1
expect:
  social: { max_time_not_moving_s: soon }
`;
    expect(() => parseScenario(text, FILE)).toThrow(
      [
        `${FILE}:7: customers[0].expect.social.max_path_ratio: unknown field (expected one of max_intimate_intrusion_pct, max_personal_intrusion_pct, max_path_length_ratio, max_path_irregularity, max_time_not_moving_s, max_jerk, max_time_to_goal_s, max_customer_gap_m)`,
        `${FILE}:8: customers[0].expect.social.max_jerk: expected ≥ 0, found -1`,
        `${FILE}:10: expect.social.max_time_not_moving_s: expected a number, found "soon"`,
      ].join('\n'),
    );
  });
});
