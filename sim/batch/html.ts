/**
 * The batch's HTML report: one self-contained file (inline CSS and SVG, no script, and a content
 * security policy that forbids any request, so opening it reaches no network). The totals, then
 * the failures first, then each site's map with every run's trajectory, then the distribution
 * of each numeric per-request metric, then every run (failed ones first).
 */
import { failureRows, type FailureRow } from './failures.js';
import { histogramSvg } from './histogram-svg.js';
import { esc } from './html-text.js';
import { mapSvg, type DrawnRun } from './map-svg.js';
import { requestMetrics } from './metrics.js';
import type { BatchRunEntry } from './outcome.js';
import type { BatchReport } from './report.js';
import type { SitePlan } from './site-plan.js';

/** A site of the batch and the scenario files that run on it. */
export interface PlannedSite {
  plan: SitePlan;
  files: readonly string[];
}

/** Names the page's maker, so a later batch may overwrite it (and nothing else). */
export const GENERATOR = '<meta name="generator" content="medhjalparen sim batch">';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; color: #1a1a1a; background: #fff; margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.3rem; margin-top: 2rem; border-bottom: 1px solid #ccc; } h3 { font-size: 1.1rem; }
table { border-collapse: collapse; margin: .5rem 0; } caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid #ccc; padding: .2rem .5rem; text-align: left; vertical-align: top; } th { background: #eef1f5; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.fail { color: #a0001c; font-weight: 600; } .pass { color: #1b5e20; }
ul.errors { margin: 0; padding-left: 1.1rem; }
svg.map { width: 100%; height: auto; max-height: 80vh; border: 1px solid #ccc; background: #fff; }
svg.map .floor { fill: #fcfcfc; } svg.map .walls rect { fill: #6b6b6b; }
svg.map polyline { fill: none; stroke-linejoin: round; vector-effect: non-scaling-stroke; }
svg.map polyline.ok { stroke: #1f5fa8; stroke-opacity: .55; stroke-width: 1.5px; }
svg.map polyline.failed { stroke: #c62828; stroke-width: 2.5px; }
svg.map .people { stroke: #8a8a8a; stroke-opacity: .5; stroke-width: .25; stroke-linecap: round; fill: none; }
svg.map .desks circle { fill: #2e7d32; } svg.map .desks text { fill: #1a1a1a; text-anchor: middle; paint-order: stroke; stroke: #fff; stroke-width: .15; }
svg.map .dock { fill: #f9a825; stroke: #1a1a1a; stroke-width: .05; }
.metrics { display: flex; flex-wrap: wrap; gap: 1rem; } figure { margin: 0; } figcaption { font-size: .85rem; max-width: 260px; }
svg.histogram rect { fill: #1f5fa8; } svg.histogram line { stroke: #1a1a1a; } svg.histogram text { font-size: 11px; fill: #1a1a1a; }
`;

/** The whole page for `report`; `sites` are the maps its runs are drawn on. */
export function batchHtml(report: BatchReport, sites: readonly PlannedSite[]): string {
  const s = report.batch.summary;
  const title = `Simulation batch: ${s.runs} runs, ${s.failed} failed`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    GENERATOR,
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${esc(title)}</h1>`,
    totals(report),
    failures(failureRows(report.runs)),
    maps(report, sites),
    metrics(report.runs, report.batch.summary.metrics),
    runsTable(report.runs),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function totals(report: BatchReport): string {
  const s = report.batch.summary;
  const c = s.collisions;
  const rows: Array<[string, string]> = [
    ['scenario files', String(report.batch.files.length)],
    ['seeds per file', String(report.batch.seeds)],
    ['runs passed', `${s.ok} of ${s.runs}`],
    ['runs that could not run', String(s.errors)],
    ['runs not reached', String(s.not_run)],
    ['requests succeeded', `${s.requests_succeeded} of ${s.requests}`],
    ['collisions (wall, obstacle, person)', `${c.wall}, ${c.obstacle}, ${c.person}`],
  ];
  const note = report.interrupted
    ? '<p class="fail">The batch was interrupted (Ctrl-C): this report covers what had finished.</p>'
    : '';
  return `${note}<table><caption>Totals</caption><tbody>${rows
    .map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join('')}</tbody></table>`;
}

function failures(rows: readonly FailureRow[]): string {
  const head = `<h2 id="failures">Failures (${rows.length})</h2>`;
  if (rows.length === 0) return `<section aria-labelledby="failures">${head}<p>No failures.</p></section>`;
  const body = rows.map(
    (r) =>
      `<tr class="failure"><td>${esc(r.scenario)}<br><small>${esc(r.file)}</small></td><td class="num">${r.seed}</td>` +
      `<td>${esc(r.request || '(the run)')}</td><td>${esc(r.reason)}</td><td>${errorList(r.failures)}</td></tr>`,
  );
  return `<section aria-labelledby="failures">${head}<table><caption>Every failure, in report order</caption><thead><tr>${headers(
    ['scenario', 'seed', 'request', 'reason', 'expectation failures'],
  )}</tr></thead><tbody>${body.join('')}</tbody></table></section>`;
}

function maps(report: BatchReport, sites: readonly PlannedSite[]): string {
  const parts = sites.map((site, i) => {
    const files = new Set(site.files);
    const runs: DrawnRun[] = [];
    report.runs.forEach((run, k) => {
      const trajectory = report.batch.trajectories[k];
      if (trajectory && files.has(run.file)) runs.push({ label: runLabel(run), ok: run.ok, trajectory });
    });
    const heading = `${site.plan.name} (${site.plan.id})`;
    return `<h3>${esc(heading)}</h3>${mapSvg(site.plan, runs, `map-${i}`)}`;
  });
  const legend =
    '<p>Blue: runs that passed; red: runs that failed; grey dots: where people walked; green: desks; yellow: the dock.</p>';
  return `<section aria-labelledby="maps"><h2 id="maps">Trajectories</h2>${legend}${parts.join('\n')}</section>`;
}

function metrics(
  runs: readonly BatchRunEntry[],
  distributions: BatchReport['batch']['summary']['metrics'],
): string {
  const values = requestMetrics(runs);
  const figures = [...values].map(([name, vs], i) => {
    const d = distributions[name]!;
    const caption = `${name}: n ${d.count}, min ${d.min}, median ${d.p50}, p90 ${d.p90}, max ${d.max}, mean ${d.mean}`;
    return `<figure>${histogramSvg(name, vs, d, `metric-${i}`)}<figcaption>${esc(caption)}</figcaption></figure>`;
  });
  const body =
    figures.length > 0 ? `<div class="metrics">${figures.join('\n')}</div>` : '<p>No requests were made.</p>';
  return `<section aria-labelledby="metrics"><h2 id="metrics">Metric distributions (per request)</h2>${body}</section>`;
}

function runsTable(runs: readonly BatchRunEntry[]): string {
  const ordered = [...runs.filter((r) => !r.ok), ...runs.filter((r) => r.ok)];
  const rows = ordered.map((r) => {
    const result = r.ok
      ? '<span class="pass">PASS</span>'
      : `<span class="fail">${'result' in r ? r.result.toUpperCase() : 'FAIL'}</span>`;
    const requests =
      'requests' in r ? `${r.requests.filter((q) => q.success).length} of ${r.requests.length}` : '-';
    const sim = 'sim_time_s' in r ? r.sim_time_s.toFixed(0) : '-';
    return `<tr class="run ${r.ok ? 'ok' : 'failed'}"><td>${esc(r.scenario)}</td><td class="num">${r.seed}</td><td class="num">${requests}</td><td class="num">${sim}</td><td>${result}</td></tr>`;
  });
  return `<section aria-labelledby="runs"><h2 id="runs">Runs (failed first)</h2><table><caption>Every run of the batch</caption><thead><tr>${headers(
    ['scenario', 'seed', 'requests succeeded', 'simulated s', 'result'],
  )}</tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

function runLabel(run: BatchRunEntry): string {
  return `${run.scenario}, seed ${run.seed}: ${run.ok ? 'passed' : 'failed'}`;
}

function headers(names: readonly string[]): string {
  return names.map((n) => `<th scope="col">${esc(n)}</th>`).join('');
}

function errorList(lines: readonly string[]): string {
  return `<ul class="errors">${lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>`;
}
