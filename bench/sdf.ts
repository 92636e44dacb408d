/**
 * SDF export of the sample floor (`sim export-sdf`): time, wall boxes and file size, side by side
 * with the naive extrusion of one box per solid cell, generated in the same run. And the import
 * (`sim import-sdf`) of that exported file back into a map, side by side with `ign sdf -p` (the
 * sdformat tools parsing and printing the same file, a child process) in the same run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CELL_FREE, loadSite, type Site } from '../src/map/index.js';
import { importSdf } from '../sim/sdf/import-sdf.js';
import { DEFAULT_ROBOT } from '../src/robot-description.js';
import { wallBoxes } from '../sim/sdf/wall-boxes.js';
import { worldSdf } from '../sim/sdf/world-sdf.js';
import { wallMs, type BenchRow } from './harness.js';

const RUNS = 10;

export async function run(): Promise<BenchRow[]> {
  const site = await loadSite('maps/iso-omena');
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = wallMs();
    bytes = worldSdf(site, DEFAULT_ROBOT).length;
    times.push(wallMs() - t0);
  }
  times.sort((a, b) => a - b);
  const boxes = wallBoxes(site.map).length;
  const t0 = wallMs();
  const naive = perCellWalls(site.map.data, site.map.width, site.map.resolution);
  const naiveMs = wallMs() - t0;
  const p50 = times[Math.floor(RUNS / 2)]!;
  return [
    ...importRows(site),
    {
      bench: 'sdf export',
      metric: 'export-sdf of the sample floor, p50',
      value: p50,
      unit: 'ms',
      note: `${boxes} wall boxes for ${site.map.width}×${site.map.height} cells, ${(bytes / 1024).toFixed(0)} KiB; ${RUNS} runs`,
    },
    {
      bench: 'sdf export',
      metric: 'naive extrusion, one box per solid cell (peer)',
      value: naiveMs,
      unit: 'ms',
      note: `${naive.boxes} boxes, ${(naive.bytes / 1024 / 1024).toFixed(1)} MiB of collisions alone`,
    },
    {
      bench: 'sdf export',
      metric: 'fewer boxes than per cell, and faster',
      value: naive.boxes / boxes,
      unit: '× fewer',
      note: `${(naiveMs / p50).toFixed(0)}× faster than the per-cell peer`,
    },
  ];
}

const IMPORT_RUNS = 10;
const IGN_RUNS = 5;

/** import-sdf of the exported sample floor against `ign sdf -p` on the same file. */
function importRows(site: Site): BenchRow[] {
  const dir = mkdtempSync(join(tmpdir(), 'medhjalparen-bench-sdf-'));
  try {
    const file = join(dir, 'iso.sdf');
    writeFileSync(file, worldSdf(site, DEFAULT_ROBOT));
    const ours = p50Of(IMPORT_RUNS, () => importSdf({ file, resolution: site.map.resolution }));
    const world = importSdf({ file, resolution: site.map.resolution });
    const ign = p50Of(IGN_RUNS, () =>
      execFileSync('ign', ['sdf', '-p', file], { stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    return [
      {
        bench: 'sdf import',
        metric: 'import-sdf of the exported sample floor, p50',
        value: ours,
        unit: 'ms',
        note: `${world.scene.solids.length} solids → ${world.map.width}×${world.map.height} cells, dock and all; ${IMPORT_RUNS} runs`,
      },
      {
        bench: 'sdf import',
        metric: 'ign sdf -p of the same file, p50 (peer: parse and print only)',
        value: ign,
        unit: 'ms',
        note: `a child process each run (sdformat12 via ignition-tools); ${IGN_RUNS} runs`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function p50Of(runs: number, fn: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = wallMs();
    fn();
    times.push(wallMs() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

/** One SDF collision box per non-free cell: what an exporter without merging writes. */
function perCellWalls(data: Int8Array, width: number, res: number): { boxes: number; bytes: number } {
  const parts: string[] = [];
  let boxes = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] === CELL_FREE) continue;
    const x = (i % width) * res + res / 2;
    const y = Math.floor(i / width) * res + res / 2;
    parts.push(
      `<collision name="c${boxes}"><pose>${x} ${y} 1.1 0 0 0</pose><geometry><box><size>${res} ${res} 2.2</size></box></geometry></collision>`,
    );
    boxes++;
  }
  return { boxes, bytes: parts.join('\n').length };
}
