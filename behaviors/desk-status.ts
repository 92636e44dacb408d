/**
 * Desk statuses set by staff (the console's "open / closed / paused"), and what a desk is right
 * now once they are weighed against its opening hours. A staff status wins over the hours until
 * its `until` passes (or staff change it). Pure: every instant is passed in (node time).
 */
import { openingStatus, type OpeningMoment } from '../src/interaction/index.js';
import type { Destination } from '../src/map/index.js';
import { timeMsgToNs, type TimeMsg } from '../src/ros/index.js';
import type { DeskStatusArray } from '../src/interfaces/index.js';

export const DESK_STATES = ['open', 'closed', 'paused'] as const;
export type DeskState = (typeof DESK_STATES)[number];

/** One desk's status as staff set it. */
export interface StaffDeskStatus {
  destinationId: string;
  state: DeskState;
  /** Staff's note for customers ('' for none), already cleaned (one line, bounded). */
  note: string;
  /** Node time (epoch ns) the status ends; undefined: until staff change it. */
  untilNs?: bigint;
}

/** Staff notes are for a sentence on a kiosk: at most this many characters. */
export const NOTE_MAX_CHARS = 200;

/** Whether `status` still applies at `nowNs`. */
export function staffStatusApplies(status: StaffDeskStatus, nowNs: bigint): boolean {
  return status.untilNs === undefined || status.untilNs > nowNs;
}

/** What a desk is at an instant, and why. */
export type DeskNowResult =
  | { open: true; source: 'staff'; staff: StaffDeskStatus }
  | { open: false; source: 'staff'; staff: StaffDeskStatus }
  | { open: true; source: 'hours'; closesAt?: OpeningMoment }
  | { open: false; source: 'hours'; opensAt?: OpeningMoment };

/**
 * Whether `dest` is open at `nowNs`: staff's status where one applies, else its opening hours in
 * `timezone` (which throws InteractionError when unusable; the mission checks it at start).
 */
export function deskNow(
  dest: Destination,
  staff: StaffDeskStatus | undefined,
  nowNs: bigint,
  timezone: string,
): DeskNowResult {
  if (staff && staffStatusApplies(staff, nowNs)) {
    return staff.state === 'open'
      ? { open: true, source: 'staff', staff }
      : { open: false, source: 'staff', staff };
  }
  const hours = openingStatus(dest, nowNs, timezone);
  if (hours.open)
    return { open: true, source: 'hours', ...(hours.closesAt ? { closesAt: hours.closesAt } : {}) };
  return { open: false, source: 'hours', ...(hours.opensAt ? { opensAt: hours.opensAt } : {}) };
}

/** A desk status message read for the mission: the usable statuses and what was wrong with the rest. */
export interface ReadDeskStatuses {
  statuses: StaffDeskStatus[];
  /** One line per refused entry, with its field path (`desks[2].state: …`). Never the note's text. */
  problems: string[];
}

/**
 * Reads a DeskStatusArray as it came off the wire (anything may be missing or the wrong type):
 * entries naming a desk the site lacks, or an unknown state, are refused with a problem; a later
 * entry for the same desk wins. The note is trimmed, made one line and cut to NOTE_MAX_CHARS.
 */
export function readDeskStatuses(
  msg: DeskStatusArray | undefined,
  knownIds: ReadonlySet<string>,
): ReadDeskStatuses {
  const problems: string[] = [];
  const byId = new Map<string, StaffDeskStatus>();
  const desks: unknown = msg?.desks;
  if (!Array.isArray(desks)) return { statuses: [], problems: ['desks: expected a list'] };
  desks.forEach((raw: unknown, i) => {
    const entry = (raw ?? {}) as Partial<Record<keyof DeskStatusArray['desks'][number], unknown>>;
    const where = `desks[${i}]`;
    const id = entry.destination_id;
    if (typeof id !== 'string' || !knownIds.has(id)) {
      problems.push(`${where}.destination_id: expected a destination of the site, found ${describe(id)}`);
      return;
    }
    const state = DESK_STATES.find((s) => s === entry.state);
    if (!state) {
      problems.push(`${where}.state: expected open, closed or paused, found ${describe(entry.state)}`);
      return;
    }
    const untilNs = readUntil(entry.until);
    if (untilNs === null) {
      problems.push(`${where}.until: expected a time (sec, nanosec ≥ 0)`);
      return;
    }
    byId.set(id, {
      destinationId: id,
      state,
      note: cleanNote(entry.note),
      ...(untilNs !== undefined ? { untilNs } : {}),
    });
  });
  return { statuses: [...byId.values()], problems };
}

/** Zero (or absent) is "until staff change it"; null is a malformed time. */
function readUntil(until: unknown): bigint | undefined | null {
  if (until === undefined || until === null) return undefined;
  const t = until as Partial<TimeMsg>;
  const ok = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  if (!ok(t.sec) || !ok(t.nanosec) || t.nanosec! >= 1e9) return null;
  const ns = timeMsgToNs(t as TimeMsg);
  return ns === 0n ? undefined : ns;
}

/** One line, no control characters, bounded, and ending a sentence (it is said after one). */
function cleanNote(note: unknown): string {
  if (typeof note !== 'string') return '';
  // Control characters (C0, DEL, C1) become spaces: a note is shown on screens and spoken.
  const line = [...note]
    .map((ch) => {
      const code = ch.codePointAt(0)!;
      return code < 0x20 || (code >= 0x7f && code <= 0x9f) ? ' ' : ch;
    })
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
  const cut = [...line].slice(0, NOTE_MAX_CHARS).join('').trim();
  if (cut === '') return '';
  return /[.!?…]$/.test(cut) ? cut : `${cut}.`;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `"${[...value].slice(0, 40).join('')}"`;
  return value === undefined ? 'nothing' : typeof value;
}
