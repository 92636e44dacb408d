/**
 * SDF export of the sample floor (`sim export-sdf`): time, wall boxes and file size, side by side
 * with the naive extrusion of one box per solid cell, generated in the same run.
 */
import { CELL_FREE, loadSite } from '../src/map/index.js';
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
