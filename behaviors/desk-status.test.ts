import { describe, expect, it } from 'vitest';
import type { Destination } from '../src/map/index.js';
import type { DeskStatusArray } from '../src/interfaces/index.js';
import { header, nsToTimeMsg, Time } from '../src/ros/index.js';
import { NOTE_MAX_CHARS, deskNow, readDeskStatuses } from './desk-status.js';

const at = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;
const THURSDAY_10 = at('2026-11-26T10:00:00+02:00');
const NOON = at('2026-11-26T12:00:00+02:00');
const weekday = [{ open: 8 * 60, close: 16 * 60 }];
const KELA: Destination = {
  id: 'kela',
  name: { fi: 'Kela', sv: 'FPA', en: 'Kela' },
  aliases: { fi: [], sv: [], en: [] },
  organisation: 'Kela',
  pose: { x: 0, y: 0, yaw: 0 },
  services: [],
  hours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday },
};
const KNOWN = new Set(['kela', 'library']);

function msg(desks: unknown[]): DeskStatusArray {
  return { header: header('', new Time(0n)), desks } as DeskStatusArray;
}

describe('readDeskStatuses', () => {
  it('reads states, notes and until times; a zero until means until staff change it', () => {
    const read = readDeskStatuses(
      msg([
        { destination_id: 'kela', state: 'closed', note: ' Lunch\nbreak ', until: nsToTimeMsg(NOON) },
        { destination_id: 'library', state: 'open', note: '', until: { sec: 0, nanosec: 0 } },
      ]),
      KNOWN,
    );
    expect(read.problems).toEqual([]);
    expect(read.statuses).toEqual([
      { destinationId: 'kela', state: 'closed', note: 'Lunch break.', untilNs: NOON },
      { destinationId: 'library', state: 'open', note: '' },
    ]);
  });

  it('refuses unknown desks, states and malformed times with their field path, keeping the rest', () => {
    const read = readDeskStatuses(
      msg([
        { destination_id: 'sauna', state: 'closed' },
        { destination_id: 'kela', state: 'shut' },
        { destination_id: 'kela', state: 'closed', until: { sec: -1, nanosec: 0 } },
        null,
        { destination_id: 'library', state: 'paused', note: 7 },
      ]),
      KNOWN,
    );
    expect(read.problems).toEqual([
      'desks[0].destination_id: expected a destination of the site, found "sauna"',
      'desks[1].state: expected open, closed or paused, found "shut"',
      'desks[2].until: expected a time (sec, nanosec ≥ 0)',
      'desks[3].destination_id: expected a destination of the site, found nothing',
    ]);
    expect(read.statuses).toEqual([{ destinationId: 'library', state: 'paused', note: '' }]);
    expect(readDeskStatuses({} as DeskStatusArray, KNOWN).problems).toEqual(['desks: expected a list']);
  });

  it('cuts a long note, drops control characters, and ends it as a sentence', () => {
    const long = 'x'.repeat(NOTE_MAX_CHARS + 50);
    const read = readDeskStatuses(
      msg([
        { destination_id: 'kela', state: 'closed', note: long },
        { destination_id: 'library', state: 'closed', note: 'Back soon!\u001b[2J' },
      ]),
      KNOWN,
    );
    expect([...read.statuses[0]!.note]).toHaveLength(NOTE_MAX_CHARS + 1);
    expect(read.statuses[1]!.note).toBe('Back soon! [2J.');
  });
});

describe('deskNow', () => {
  it('lets a staff status win over the hours until it ends', () => {
    const closed = { destinationId: 'kela', state: 'closed' as const, note: '', untilNs: NOON };
    expect(deskNow(KELA, closed, THURSDAY_10, 'Europe/Helsinki')).toMatchObject({
      open: false,
      source: 'staff',
    });
    expect(deskNow(KELA, closed, NOON, 'Europe/Helsinki')).toMatchObject({ open: true, source: 'hours' });
    const open = { destinationId: 'kela', state: 'open' as const, note: '' };
    const evening = at('2026-11-26T19:00:00+02:00');
    expect(deskNow(KELA, open, evening, 'Europe/Helsinki')).toMatchObject({ open: true, source: 'staff' });
    expect(deskNow(KELA, undefined, evening, 'Europe/Helsinki')).toMatchObject({
      open: false,
      source: 'hours',
    });
  });
});
