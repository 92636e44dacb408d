/**
 * `map check`'s look at the centre's own hours against its desks': a desk open while the
 * centre is closed is not an error (staff may well be in), but the robot will not take anyone
 * there then, and whoever edits the hours should know.
 */
import type { IssueList } from './errors.js';
import { formatInterval } from './hours.js';
import type { SiteDocument } from './site-schema.js';
import { WEEKDAYS, type OpeningInterval, type WeeklyHours } from './types.js';

/** Warns, per desk and weekday, about opening time that falls outside the centre's hours. */
export function checkCentreHours(site: SiteDocument, issues: IssueList): void {
  const centre = site.hours;
  if (!centre) return;
  site.destinations.forEach((d, i) => {
    const outside = deskTimeOutside(d.hours, centre);
    if (outside.length === 0) return;
    issues.warn(
      'HOURS_OUTSIDE_CENTRE',
      site.places.destinations[i]!,
      `${d.id}: open while the centre is closed (${outside.join('; ')}); the robot takes nobody there then`,
    );
  });
}

/** "mon 18:00-20:00" for each stretch a desk is open and the centre is not. */
function deskTimeOutside(desk: WeeklyHours | undefined, centre: WeeklyHours): string[] {
  // A desk without hours is always open (lifts, toilets): nothing to tell.
  if (!desk) return [];
  const out: string[] = [];
  for (const day of WEEKDAYS) {
    for (const gap of subtract(desk[day] ?? [], centre[day] ?? [])) out.push(`${day} ${formatInterval(gap)}`);
  }
  return out;
}

/** The parts of `a` not covered by `b` (both sorted, non-overlapping, in minutes). */
export function subtract(a: readonly OpeningInterval[], b: readonly OpeningInterval[]): OpeningInterval[] {
  const out: OpeningInterval[] = [];
  for (const interval of a) {
    let from = interval.open;
    for (const cover of b) {
      if (cover.close <= from || cover.open >= interval.close) continue;
      if (cover.open > from) out.push({ open: from, close: cover.open });
      from = Math.max(from, cover.close);
    }
    if (from < interval.close) out.push({ open: from, close: interval.close });
  }
  return out;
}
