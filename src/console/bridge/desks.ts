/**
 * Each desk's state right now, as the robot will act on it: a status staff set in the console
 * wins until it ends; otherwise the desk's opening hours decide. Also the latched
 * /guide/desk_status message the mission reads (every status staff set, with its end).
 */
import { localWeekday } from '../../interaction/index.js';
import { formatInterval, type Destination } from '../../map/index.js';
import type { DeskStatusArray } from '../../interfaces/index.js';
import { deskNow as missionDeskNow, staffStatusApplies, type StaffDeskStatus } from '../../robot/index.js';
import { header, nsToTimeMsg, type Time } from '../../ros/index.js';
import type { DeskNow } from '../protocol.js';
import type { StoredDeskStatus } from '../store.js';

const NS_PER_MS = 1_000_000n;
const msToNs = (ms: number) => BigInt(Math.round(ms)) * NS_PER_MS;
const isoOfNs = (ns: bigint) => new Date(Number(ns / NS_PER_MS)).toISOString();

/** Today's hours in words a screen shows: '08:00–16:00', '08:00–12:00, 13:00–16:00', 'closed', 'always open'. */
export function todaysHours(desk: Pick<Destination, 'hours'>, epochMs: number, timezone: string): string {
  if (!desk.hours) return 'always open';
  const today = desk.hours[localWeekday(msToNs(epochMs), timezone)] ?? [];
  if (today.length === 0) return 'closed';
  return today.map((i) => formatInterval(i).replace('-', '–')).join(', ');
}

/** A stored status as the mission holds it (the same weighing decides for both). */
function asStaffStatus(status: StoredDeskStatus): StaffDeskStatus {
  return {
    destinationId: status.destination_id,
    state: status.state,
    note: status.note,
    ...(status.untilMs === null ? {} : { untilNs: msToNs(status.untilMs) }),
  };
}

/** A staff status still in force at `nowMs` (one with an end in the past is over). */
export function inForce(status: StoredDeskStatus | undefined, nowMs: number): status is StoredDeskStatus {
  return status !== undefined && staffStatusApplies(asStaffStatus(status), msToNs(nowMs));
}

/** What the desk is now, decided exactly as the mission decides it (behaviors' deskNow). */
export function deskNow(
  desk: Destination,
  status: StoredDeskStatus | undefined,
  nowMs: number,
  timezone: string,
): DeskNow {
  const today = todaysHours(desk, nowMs, timezone);
  const now = missionDeskNow(desk, status && asStaffStatus(status), msToNs(nowMs), timezone);
  if (now.source === 'staff') {
    const { state, note, untilNs } = now.staff;
    return { id: desk.id, state, source: 'staff', note, until: untilNs ? isoOfNs(untilNs) : '', today };
  }
  const next = now.open ? now.closesAt : now.opensAt;
  const until = next ? isoOfNs(next.epochNs) : '';
  return { id: desk.id, state: now.open ? 'open' : 'closed', source: 'hours', note: '', until, today };
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
