/**
 * `npm run bench`: every benchmark, one table, and JSON in bench/results/. Benchmarks measure
 * wall time on this machine; ratios against a peer come from the same run.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { formatTable } from '../sim/report.js';
import type { BenchRow } from './harness.js';

const BENCHES: Record<string, () => Promise<{ run(): Promise<BenchRow[]> }>> = {
  planner: () => import('./planner.js'),
  sim: () => import('./sim.js'),
  crowd: () => import('./crowd.js'),
  sweep: () => import('./sweep.js'),
  batch: () => import('./batch.js'),
  day: () => import('./day.js'),
  doors: () => import('./doors.js'),
  'drive-base': () => import('./drive-base.js'),
  perception: () => import('./perception.js'),
  matcher: () => import('./matcher.js'),
  directions: () => import('./directions.js'),
  console: () => import('./console.js'),
  amcl: () => import('./amcl.js'),
  'lidar-people': () => import('./lidar-people.js'),
  cdr: () => import('./cdr.js'),
  mcap: () => import('./mcap.js'),
  foxglove: () => import('./foxglove.js'),
  sdf: () => import('./sdf.js'),
  fleet: () => import('./fleet.js'),
};

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const rows: BenchRow[] = [];
  for (const [name, load] of Object.entries(BENCHES)) {
    if (only.length > 0 && !only.includes(name)) continue;
    process.stderr.write(`bench: ${name} …\n`);
    rows.push(...(await (await load()).run()));
  }
  const table = formatTable([
    ['bench', 'metric', 'value', 'unit', 'target', 'met'],
    ...rows.map((r) => [
      r.bench,
      r.metric,
      r.value >= 100 ? r.value.toFixed(0) : r.value.toFixed(2),
      r.unit,
      r.target ?? '',
      r.ok === undefined ? '' : r.ok ? 'yes' : 'NO',
    ]),
  ]);
  process.stdout.write(`${table}\n`);
  for (const r of rows) if (r.note) process.stdout.write(`  ${r.bench} / ${r.metric}: ${r.note}\n`);
  await mkdir('bench/results', { recursive: true });
  const file = 'bench/results/latest.json';
  const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? '', node: process.version };
  await writeFile(file, `${JSON.stringify({ machine, rows }, null, 2)}\n`);
  process.stdout.write(`results: ${file}\n`);
}

await main();
