/**
 * Each desk's state right now, as the robot will act on it: a status staff set in the console
 * wins until it ends; otherwise the desk's opening hours decide. Also the latched
 * /guide/desk_status message the mission reads (every status staff set, with its end).
 */
import { openingStatus } from '../../interaction/index.js';
import { formatInterval, type Destination, WEEKDAYS, type Weekday } from '../../map/index.js';
import type { DeskStatusArray } from '../../interfaces/index.js';
import { header, nsToTimeMsg, type Time } from '../../ros/index.js';
import type { DeskNow } from '../protocol.js';
import type { StoredDeskStatus } from '../store.js';

const NS_PER_MS = 1_000_000n;
const weekdayFormats = new Map<string, Intl.DateTimeFormat>();

/** The local weekday at `epochMs` in `timezone`. */
function localWeekday(epochMs: number, timezone: string): Weekday {
  let f = weekdayFormats.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, weekday: 'short' });
    weekdayFormats.set(timezone, f);
  }
  const short = f.format(epochMs).slice(0, 3).toLowerCase();
  return (WEEKDAYS as readonly string[]).includes(short) ? (short as Weekday) : 'mon';
}

/** Today's hours in words a screen shows: '08:00–16:00', '08:00–12:00, 13:00–16:00', 'closed', 'always open'. */
export function todaysHours(desk: Destination, epochMs: number, timezone: string): string {
  if (!desk.hours) return 'always open';
  const today = desk.hours[localWeekday(epochMs, timezone)] ?? [];
  if (today.length === 0) return 'closed';
  return today.map((i) => formatInterval(i).replace('-', '–')).join(', ');
}

/** A staff status still in force at `nowMs` (one with an end in the past is over). */
export function inForce(status: StoredDeskStatus | undefined, nowMs: number): status is StoredDeskStatus {
  return status !== undefined && (status.untilMs === null || status.untilMs > nowMs);
}

export function deskNow(
  desk: Destination,
  status: StoredDeskStatus | undefined,
  nowMs: number,
  timezone: string,
): DeskNow {
  const today = todaysHours(desk, nowMs, timezone);
  if (inForce(status, nowMs)) {
    const until = status.untilMs === null ? '' : new Date(status.untilMs).toISOString();
    return { id: desk.id, state: status.state, source: 'staff', note: status.note, until, today };
  }
  const hours = openingStatus(desk, BigInt(Math.round(nowMs)) * NS_PER_MS, timezone);
  const next = hours.open ? hours.closesAt : hours.opensAt;
  const until = next ? new Date(Number(next.epochNs / NS_PER_MS)).toISOString() : '';
  return { id: desk.id, state: hours.open ? 'open' : 'closed', source: 'hours', note: '', until, today };
}

/** Every staff status in force, for the mission (until zero: until staff change it). */
export function deskStatusMessage(statuses: readonly StoredDeskStatus[], now: Time): DeskStatusArray {
  const nowMs = Number(now.nanoseconds / NS_PER_MS);
  return {
    header: header('', now),
    desks: statuses
      .filter((s) => inForce(s, nowMs))
      .map((s) => ({
        destination_id: s.destination_id,
        state: s.state,
        note: s.note,
        until: s.untilMs === null ? { sec: 0, nanosec: 0 } : nsToTimeMsg(BigInt(s.untilMs) * NS_PER_MS),
      })),
  };
}
