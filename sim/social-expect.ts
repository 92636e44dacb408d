/**
 * Scenario expectations that bound the social-navigation metrics: `expect.social` of a customer
 * bounds that request's metrics, the scenario's `expect.social` the run's summary
 * (docs/scenarios.md). Read with the same file:line and field problems as the rest of a scenario,
 * and checked into expectation failures like the others.
 */
import type { ScenarioYaml, Value } from './scenario-yaml.js';
import type { RequestSocial, RunSocial } from './social-metrics.js';

/** Each bound, with the request's and the run's figure it caps and the figure's unit. */
const BOUNDS = {
  max_intimate_intrusion_pct: {
    request: 'intimate_intrusion_pct',
    run: 'intimate_intrusion_pct',
    unit: ' %',
  },
  max_personal_intrusion_pct: {
    request: 'personal_intrusion_pct',
    run: 'personal_intrusion_pct',
    unit: ' %',
  },
  max_path_length_ratio: { request: 'path_length_ratio', run: 'path_length_ratio_max', unit: '' },
  max_path_irregularity: {
    request: 'path_irregularity_rad_per_m',
    run: 'path_irregularity_mean_rad_per_m',
    unit: ' rad/m',
  },
  max_time_not_moving_s: { request: 'time_not_moving_s', run: 'time_not_moving_s', unit: ' s' },
  max_jerk: { request: 'jerk_m_s3', run: 'jerk_mean_m_s3', unit: ' m/s³' },
  max_time_to_goal_s: { request: 'time_to_goal_s', run: 'time_to_goal_mean_s', unit: ' s' },
  max_customer_gap_m: { request: 'customer_gap_max_m', run: 'customer_gap_max_m', unit: ' m' },
} as const satisfies Record<string, { request: keyof RequestSocial; run: keyof RunSocial; unit: string }>;

export type SocialBoundName = keyof typeof BOUNDS;
export const SOCIAL_BOUNDS = Object.keys(BOUNDS) as SocialBoundName[];
export type SocialBounds = Partial<Record<SocialBoundName, number>>;

/** `social: { max_…: N, … }`: every bound a number ≥ 0; undefined when any is wrong. */
export function readSocialBounds(y: ScenarioYaml, v: Value): SocialBounds | undefined {
  const fields = y.mapping(v, SOCIAL_BOUNDS);
  if (!fields) return undefined;
  const bounds: SocialBounds = {};
  let ok = true;
  for (const [key, value] of fields) {
    const n = y.number(value, { min: 0 });
    if (n === undefined) ok = false;
    else bounds[key as SocialBoundName] = n;
  }
  return ok ? bounds : undefined;
}

/** A request's bounds against its metrics (null: it was never escorted, so nothing holds). */
export function requestSocialFailures(bounds: SocialBounds | undefined, m: RequestSocial | null): string[] {
  if (!bounds) return [];
  if (!m) return Object.keys(bounds).length > 0 ? ['social: expected an escort to measure, got none'] : [];
  return failures(bounds, (b) => m[BOUNDS[b].request], 'request');
}

/** The scenario's bounds against the run's summary. */
export function runSocialFailures(bounds: SocialBounds | undefined, m: RunSocial): string[] {
  if (!bounds) return [];
  return failures(bounds, (b) => m[BOUNDS[b].run], 'run');
}

function failures(
  bounds: SocialBounds,
  figure: (b: SocialBoundName) => number | null,
  of: 'request' | 'run',
): string[] {
  const out: string[] = [];
  for (const name of SOCIAL_BOUNDS) {
    const max = bounds[name];
    if (max === undefined) continue;
    const got = figure(name);
    const field = BOUNDS[name][of];
    const unit = BOUNDS[name].unit;
    if (got === null) out.push(`social.${name}: expected ≤ ${max}${unit}, got no ${field}`);
    else if (got > max) out.push(`social.${name}: expected ≤ ${max}${unit}, got ${got}${unit} (${field})`);
  }
  return out;
}
