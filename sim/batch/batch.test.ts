// The pure parts of sim batch: the jobs' order and limits, trajectories on simulated time, the
// metrics read generically, the merged JSON, and the HTML page (escaping, order, no network).
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/input/index.js';
import type { RequestReport, RunReport } from '../report.js';
import { batchHtml } from './html.js';
import { batchJobs, batchSizeProblem } from './jobs.js';
import { requestMetrics } from './metrics.js';
import type { BatchOutcome } from './outcome.js';
import { batchReportJson, mergeBatch } from './report.js';
import type { SitePlan } from './site-plan.js';
import { TrajectorySampler, downsample } from './trajectory.js';

const FILES = [
  { file: 'a.yaml', scenario: 'a', seedBase: 7 },
  { file: 'b.yaml', scenario: 'b', seedBase: 1 },
];

describe('batch jobs', () => {
  it('lists every file with seeds base..base+N-1, file by file', () => {
    const jobs = batchJobs(FILES, 3);
    expect(jobs.map((j) => [j.index, j.file, j.seed])).toEqual([
      [0, 'a.yaml', 7],
      [1, 'a.yaml', 8],
      [2, 'a.yaml', 9],
      [3, 'b.yaml', 1],
      [4, 'b.yaml', 2],
      [5, 'b.yaml', 3],
    ]);
  });

  it('refuses too many seeds or runs, naming the limit', () => {
    expect(batchSizeProblem(2, LIMITS.batchSeeds.value)).toBeUndefined();
    expect(batchSizeProblem(1, LIMITS.batchSeeds.value + 1)).toMatch(/batchSeeds, docs\/limits\.md/);
    const files = Math.ceil((LIMITS.batchJobs.value + 1) / 10);
    expect(batchSizeProblem(files, 10)).toMatch(
      new RegExp(
        `${files} files × 10 seeds = ${files * 10} runs; the limit .* is ${LIMITS.batchJobs.value} \\(batchJobs`,
      ),
    );
  });
});

describe('trajectories', () => {
  it('samples at the given rate of simulated time however often it is called, and ends where the robot ended', () => {
    const s = new TrajectorySampler(2);
    for (let step = 0; step <= 100; step++) {
      const t = step * 0.05; // the runner's pace hook: every 5 steps of 10 ms
      s.sample(t, { x: t, y: 1.234567, yaw: 0 }, () => [{ x: 9, y: 9 }]);
    }
    const t = s.finish({ x: 5.0, y: 2, yaw: 0 });
    expect(t.robot.map((p) => p[0])).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5]);
    expect(t.robot[1]).toEqual([0.5, 1.23]);
    expect(t.robot.at(-1)).toEqual([5, 2]);
    expect(t.people).toHaveLength(3); // every fourth robot sample: 0, 2 and 4 s
  });

  it('downsamples evenly, keeping the first and last point', () => {
    const points = Array.from({ length: 1000 }, (_, i): [number, number] => [i, 0]);
    const d = downsample(points, 5);
    expect(d.map((p) => p[0])).toEqual([0, 250, 500, 749, 999]);
    expect(downsample(points.slice(0, 3), 5)).toHaveLength(3);
  });
});

function request(over: Record<string, unknown> = {}): RequestReport {
  return {
    index: 0,
    text: 'library',
    language: 'en',
    destination: 'library',
    outcome: 'arrived',
    success: true,
    duration_s: 20,
    path_length_m: 14,
    min_person_distance_m: 0.5,
    reason: '',
    said: [],
    choices: [],
    expectation_failures: [],
    ...over,
  } as unknown as RequestReport;
}

function run(scenario: string, seed: number, ok: boolean, requests: RequestReport[]): RunReport {
  return {
    scenario,
    file: `${scenario}.yaml`,
    site: 'test-floor',
    seed,
    sim_time_s: 30,
    collisions: { wall: ok ? 0 : 1, obstacle: 0, person: 0 },
    min_person_distance_m: 0.5,
    localization: {} as RunReport['localization'],
    requests,
    expectation_failures: ok ? [] : ['collisions: expected ≤ 0, got 1'],
    ok,
  } as RunReport;
}

function outcome(r: RunReport): BatchOutcome {
  return {
    run: r,
    trajectory: {
      hz: 2,
      robot: [
        [1, 1],
        [2, 1],
        [3, 2],
      ],
      people: [[2, 2]],
    },
    wallS: 1,
  };
}

const PLAN: SitePlan = {
  id: 'test-floor',
  name: 'Test <floor>',
  bounds: { x: 0, y: 0, width: 10, height: 5 },
  walls: [{ x: 0, y: 0, width: 10, height: 0.2 }],
  desks: [{ id: 'library', x: 8, y: 3 }],
  dock: { x: 1, y: 1 },
};

describe('metrics', () => {
  it('reads every number of a request, nested ones by path, and leaves out the index and unmeasured', () => {
    const m = requestMetrics([
      run('a', 1, true, [request({ social: { jerk_m_s3: 0.4, path_length_ratio: 1.1 } })]),
      run('a', 2, true, [request({ index: 1, min_person_distance_m: 1e9, social: { jerk_m_s3: 0.6 } })]),
    ]);
    expect([...m.keys()]).toEqual([
      'duration_s',
      'path_length_m',
      'min_person_distance_m',
      'social.jerk_m_s3',
      'social.path_length_ratio',
    ]);
    expect(m.get('social.jerk_m_s3')).toEqual([0.4, 0.6]);
    expect(m.get('min_person_distance_m')).toEqual([0.5]);
  });
});

describe('the merged report', () => {
  const outcomes = [
    outcome(run('a', 7, true, [request()])),
    outcome(
      run('a', 8, false, [request({ expectation_failures: ['destination: expected kela, got library'] })]),
    ),
    {
      ...outcome(run('b', 1, true, [])),
      trajectory: null,
      run: {
        scenario: 'b',
        file: 'b.yaml',
        seed: 1,
        result: 'error' as const,
        errors: ['the run failed: its worker exited with code 7'],
        ok: false as const,
      },
    },
  ];

  it("keeps sim run's shape, parses back to what was merged, and writes each trajectory on one line", () => {
    const report = mergeBatch(FILES, 2, outcomes, false);
    const json = batchReportJson(report);
    expect(json.startsWith('{\n  "runs": [\n')).toBe(true);
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(report)));
    expect(json).toContain('\n      {"hz":2,"robot":[[1,1],[2,1],[3,2]],"people":[[2,2]]},\n');
    expect(report.batch.summary).toMatchObject({
      runs: 3,
      ok: 1,
      failed: 2,
      errors: 1,
      not_run: 0,
      requests: 2,
    });
    expect(JSON.parse(batchReportJson(mergeBatch(FILES, 2, outcomes, true))).interrupted).toBe(true);
  });

  it('draws failures before successes, one polyline per run that ran, escapes names, reaches no network', () => {
    const evil = outcome(
      run('<script>alert(1)</script>', 3, true, [request({ text: '"><img src=x onerror=alert(1)>' })]),
    );
    const report = mergeBatch(FILES, 2, [evil, ...outcomes], false);
    const files = ['a.yaml', 'b.yaml', '<script>alert(1)</script>.yaml'];
    const html = batchHtml(report, [{ plan: PLAN, files }]);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html.match(/<polyline /g)).toHaveLength(3);
    expect(html.match(/<polyline class="failed"/g)).toHaveLength(1);
    // The failures section, and in the runs table the failed rows, come before any success.
    expect(html.indexOf('id="failures"')).toBeLessThan(html.indexOf('id="maps"'));
    const rows = [...html.matchAll(/<tr class="run (ok|failed)">/g)].map((m) => m[1]);
    expect(rows).toEqual(['failed', 'failed', 'ok', 'ok']);
    expect(html).toContain('destination: expected kela, got library');
    expect(html).toContain('its worker exited with code 7');
    expect(html).toContain('Test &lt;floor&gt;');
  });
});
