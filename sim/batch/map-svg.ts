/**
 * A site's map as inline SVG with every run's trajectory on it: the wall boxes, the desks
 * labelled, the dock, where people walked (faint dots), one polyline per run, failed runs drawn
 * last and in red so they stand out. Coordinates are metres with y flipped (map y points up).
 */
import { esc, num } from './html-text.js';
import type { SitePlan } from './site-plan.js';
import { downsample, type Point, type Trajectory } from './trajectory.js';

/** Points per polyline: a few hundred draw an hour's run smoothly at page size. */
const MAX_POINTS = 400;
/** People's positions per map: they only shade where the floor was busy. */
const MAX_PEOPLE = 3000;

export interface DrawnRun {
  label: string;
  ok: boolean;
  trajectory: Trajectory;
}

/** The SVG of `plan` with `runs` on it; `id` makes its title's id unique in the page. */
export function mapSvg(plan: SitePlan, runs: readonly DrawnRun[], id: string): string {
  const b = plan.bounds;
  const failed = runs.filter((r) => !r.ok).length;
  const title = `Map of ${plan.id} with ${runs.length} trajectories, ${failed} of failed runs (in red)`;
  const label = Math.max(0.4, Math.min(b.width, b.height) / 40);
  return [
    `<svg class="map" role="img" aria-labelledby="${id}" viewBox="${num(b.x)} ${num(-(b.y + b.height))} ${num(b.width)} ${num(b.height)}" preserveAspectRatio="xMidYMid meet">`,
    `<title id="${id}">${esc(title)}</title>`,
    `<rect class="floor" x="${num(b.x)}" y="${num(-(b.y + b.height))}" width="${num(b.width)}" height="${num(b.height)}"/>`,
    `<g class="walls">${plan.walls.map(wallRect).join('')}</g>`,
    peoplePath(runs),
    ...[...runs.filter((r) => r.ok), ...runs.filter((r) => !r.ok)].map(polyline),
    `<g class="desks" font-size="${num(label)}">${plan.desks.map((d) => desk(d, label)).join('')}</g>`,
    `<circle class="dock" cx="${num(plan.dock.x)}" cy="${num(-plan.dock.y)}" r="${num(label / 2)}"><title>dock</title></circle>`,
    '</svg>',
  ].join('\n');
}

function wallRect(r: { x: number; y: number; width: number; height: number }): string {
  return `<rect x="${num(r.x)}" y="${num(-(r.y + r.height))}" width="${num(r.width)}" height="${num(r.height)}"/>`;
}

function desk(d: { id: string; x: number; y: number }, size: number): string {
  const [x, y] = [num(d.x), num(-d.y)];
  return `<circle cx="${x}" cy="${y}" r="${num(size / 3)}"/><text x="${x}" y="${num(-d.y - size / 2)}">${esc(d.id)}</text>`;
}

function polyline(run: DrawnRun): string {
  const points = downsample(run.trajectory.robot, MAX_POINTS).map(svgPoint).join(' ');
  return `<polyline class="${run.ok ? 'ok' : 'failed'}" points="${points}"><title>${esc(run.label)}</title></polyline>`;
}

/** Every run's people as one path of dots (a dot per position: M x y h0, drawn with round caps). */
function peoplePath(runs: readonly DrawnRun[]): string {
  const all = runs.flatMap((r) => r.trajectory.people);
  if (all.length === 0) return '';
  const dots = downsample(all, MAX_PEOPLE).map((p) => `M${svgPoint(p)}h0`);
  return `<path class="people" d="${dots.join('')}"/>`;
}

function svgPoint([x, y]: Point): string {
  return `${num(x)} ${num(-y)}`;
}
