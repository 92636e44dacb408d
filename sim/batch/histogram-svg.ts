/**
 * One metric's distribution over a batch as a small SVG histogram: equal-width bins from the
 * smallest value to the largest, the count of each bin as a bar (and in its tooltip), the range
 * written under the axis.
 */
import { esc, num } from './html-text.js';
import type { Distribution } from './metrics.js';

const WIDTH = 260;
const HEIGHT = 110;
const PLOT = { left: 6, right: 254, top: 8, bottom: 86 };
const MAX_BINS = 12;

/** The SVG of `values` (non-empty) named `metric`; `id` makes its title's id unique. */
export function histogramSvg(metric: string, values: readonly number[], d: Distribution, id: string): string {
  const bins = binCounts(values, d.min, d.max);
  const peak = Math.max(...bins);
  const barW = (PLOT.right - PLOT.left) / bins.length;
  const bars = bins.map((count, i) => {
    const h = peak === 0 ? 0 : ((PLOT.bottom - PLOT.top) * count) / peak;
    const from = d.min + ((d.max - d.min) * i) / bins.length;
    const to = d.min + ((d.max - d.min) * (i + 1)) / bins.length;
    return `<rect x="${num(PLOT.left + i * barW + 1)}" y="${num(PLOT.bottom - h)}" width="${num(barW - 2)}" height="${num(h)}"><title>${count} between ${fmt(from)} and ${fmt(to)}</title></rect>`;
  });
  const title = `${metric}: ${d.count} values from ${fmt(d.min)} to ${fmt(d.max)}, median ${fmt(d.p50)}`;
  return [
    `<svg class="histogram" role="img" aria-labelledby="${id}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}">`,
    `<title id="${id}">${esc(title)}</title>`,
    ...bars,
    `<line x1="${PLOT.left}" y1="${PLOT.bottom}" x2="${PLOT.right}" y2="${PLOT.bottom}"/>`,
    `<text x="${PLOT.left}" y="${HEIGHT - 6}">${esc(fmt(d.min))}</text>`,
    `<text x="${PLOT.right}" y="${HEIGHT - 6}" text-anchor="end">${esc(fmt(d.max))}</text>`,
    '</svg>',
  ].join('\n');
}

/** How many values fall in each of up to MAX_BINS equal bins over [min, max] (one bin when equal). */
export function binCounts(values: readonly number[], min: number, max: number): number[] {
  const n = max > min ? Math.min(MAX_BINS, Math.max(1, Math.ceil(Math.sqrt(values.length)))) : 1;
  const bins = new Array<number>(n).fill(0);
  for (const v of values) {
    const i = max > min ? Math.floor(((v - min) / (max - min)) * n) : 0;
    bins[Math.max(0, Math.min(n - 1, i))]!++;
  }
  return bins;
}

function fmt(x: number): string {
  return Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2);
}
