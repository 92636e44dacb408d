/** The bridge's pure parts: field versions and deltas, the map image, scan and path shapes, desk states, the mission log. */
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { CELL_FREE, CELL_OCCUPIED, CELL_UNKNOWN, GridMap, type Destination } from '../../map/index.js';
import { Time } from '../../ros/index.js';
import type { MissionLogEntry } from '../protocol.js';
import type { ConsoleStore, MissionEnd, MissionStart } from '../store.js';
import { deskNow, deskStatusMessage, todaysHours } from './desks.js';
import { LiveStateBook, type SeenVersions } from './live-state.js';
import { mapImage } from './map-image.js';
import { MissionLogRecorder } from './mission-log.js';
import { remainingMetres, scanPoints, thin } from './shapes.js';

const HELSINKI = 'Europe/Helsinki';
// Thursday 2026-11-26 09:00 local.
const THURSDAY_9 = Date.parse('2026-11-26T09:00:00+02:00');

describe('LiveStateBook', () => {
  it('sends each client only the fields that changed since it was last sent them', () => {
    const book = new LiveStateBook();
    const a: SeenVersions = {};
    const first = JSON.parse(book.delta(a, ['stamp', 'pose', 'battery'])!);
    expect(first.state).toEqual({ pose: null, battery: null, stamp: 0 });
    expect(book.delta(a, ['stamp', 'pose', 'battery'])).toBeUndefined();
    book.set('stamp', 5);
    expect(book.delta(a, ['stamp', 'pose'])).toBeUndefined();
    expect(book.set('pose', { x: 1, y: 2, yaw: 0 })).toBe(true);
    expect(book.set('pose', { x: 1, y: 2, yaw: 0 })).toBe(false);
    expect(JSON.parse(book.delta(a, ['stamp', 'pose', 'battery'])!).state).toEqual({
      pose: { x: 1, y: 2, yaw: 0 },
      stamp: 5,
    });
    expect(JSON.parse(book.fullJson())).toEqual(book.full());
    const late: SeenVersions = {};
    expect(Object.keys(JSON.parse(book.delta(late, ['pose', 'battery'])!).state).sort()).toEqual([
      'battery',
      'pose',
      'stamp',
    ]);
  });
});

describe('mapImage', () => {
  it('draws free white, walls black, unknown grey, with the top row first', () => {
    const data = new Int8Array([CELL_FREE, CELL_OCCUPIED, CELL_UNKNOWN, CELL_FREE]);
    const image = mapImage(new GridMap(2, 2, 0.5, -1, 2, data).toMsg());
    expect(image).toMatchObject({ width: 2, height: 2, resolution: 0.5, origin: { x: -1, y: 2, yaw: 0 } });
    const png = PNG.sync.read(Buffer.from(image.png.split(',')[1]!, 'base64'));
    const grey = (i: number) => png.data[i * 4]!;
    // Image row 0 is the grid's top row (row 1): unknown, free.
    expect([grey(0), grey(1), grey(2), grey(3)]).toEqual([160, 255, 255, 0]);
  });
});

describe('shapes', () => {
  it('thins to a bound, keeping the last point', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => i);
    const t = thin(xs, 200);
    expect(t.length).toBeLessThanOrEqual(200);
    expect(t.at(-1)).toBe(999);
    expect(thin([1, 2], 200)).toEqual([1, 2]);
  });

  it('puts scan returns in the map frame and drops misses', () => {
    const scan = {
      header: { stamp: { sec: 0, nanosec: 0 }, frame_id: 'base_link' },
      angle_min: 0,
      angle_max: Math.PI / 2,
      angle_increment: Math.PI / 2,
      time_increment: 0,
      scan_time: 0.1,
      range_min: 0.1,
      range_max: 10,
      ranges: new Float32Array([2, Infinity]),
      intensities: new Float32Array(0),
    };
    expect(scanPoints(scan, { x: 1, y: 1, yaw: Math.PI / 2 })).toEqual([[1, 3]]);
  });

  it('measures the path left from the point nearest the robot', () => {
    expect(
      remainingMetres(
        [
          [0, 0],
          [3, 0],
          [3, 4],
        ],
        { x: 3, y: 0 },
      ),
    ).toBe(4);
    expect(remainingMetres([], { x: 0, y: 0 })).toBe(0);
  });
});

const kela = {
  id: 'kela',
  name: { fi: 'Kela', sv: 'FPA', en: 'Kela' },
  aliases: { fi: [], sv: [], en: [] },
  organisation: 'Kela',
  pose: { x: 0, y: 0, yaw: 0 },
  services: [],
  hours: { thu: [{ open: 8 * 60, close: 16 * 60 }] },
} satisfies Destination;

describe('desks', () => {
  it('follows the hours unless staff set a status still in force', () => {
    expect(deskNow(kela, undefined, THURSDAY_9, HELSINKI)).toMatchObject({
      state: 'open',
      source: 'hours',
      today: '08:00–16:00',
      until: '2026-11-26T14:00:00.000Z',
    });
    const staff = {
      destination_id: 'kela',
      state: 'closed' as const,
      note: 'lunch',
      untilMs: THURSDAY_9 + 3600_000,
      set_by: 'olga',
      setMs: THURSDAY_9,
    };
    expect(deskNow(kela, staff, THURSDAY_9, HELSINKI)).toMatchObject({
      state: 'closed',
      source: 'staff',
      note: 'lunch',
    });
    expect(deskNow(kela, staff, THURSDAY_9 + 2 * 3600_000, HELSINKI)).toMatchObject({
      state: 'open',
      source: 'hours',
    });
    expect(todaysHours(kela, THURSDAY_9 + 24 * 3600_000, HELSINKI)).toBe('closed');
    const msg = deskStatusMessage([staff], new Time(BigInt(THURSDAY_9) * 1_000_000n));
    expect(msg.desks).toEqual([
      {
        destination_id: 'kela',
        state: 'closed',
        note: 'lunch',
        until: { sec: (THURSDAY_9 + 3600_000) / 1000, nanosec: 0 },
      },
    ]);
    expect(deskStatusMessage([staff], new Time(BigInt(THURSDAY_9 + 7200_000) * 1_000_000n)).desks).toEqual(
      [],
    );
  });
});

describe('MissionLogRecorder', () => {
  it('logs origin, language, destination and outcome once per request, and counts demand by local hour', () => {
    const started: MissionStart[] = [];
    const ended: MissionEnd[] = [];
    const demand: string[] = [];
    const store = {
      missionStarted: (s: MissionStart) => (
        started.push({ ...s }),
        { id: started.length } as MissionLogEntry
      ),
      missionEnded: (e: MissionEnd) => (ended.push(e), { id: 1 } as MissionLogEntry),
      countDemand: (hour: string, dest: string, lang: string) => demand.push(`${hour} ${dest} ${lang}`),
    } as unknown as ConsoleStore;
    let now = THURSDAY_9 + 5 * 60_000;
    const entries: MissionLogEntry[] = [];
    const log = new MissionLogRecorder({
      store,
      timezone: HELSINKI,
      otherOrigin: 'simulated',
      nowMs: () => now,
      onEntry: (e) => entries.push(e),
    });
    const WHY = "alias kela: 'fpa' (sv)";
    const status = (state: string, dest: string, reason = '', why = '') => ({
      header: { stamp: { sec: 0, nanosec: 0 }, frame_id: '' },
      state,
      request_id: 'kiosk-abc',
      destination_id: dest,
      reason,
      why,
    });
    log.request({
      request_id: 'kiosk-abc',
      text: 'where is kela please',
      language: '',
      plain: false,
      mode: '',
    });
    log.status(status('understanding', ''));
    log.say({
      request_id: 'kiosk-abc',
      language: 'sv',
      kind: 'escort.start',
      text: 'Följ mig',
      plain: false,
      choices: [],
    });
    log.status(status('escorting', 'kela', '', WHY));
    now += 60_000;
    log.status(status('arrived', 'kela'));
    log.status(status('arrived', 'kela'));
    expect(started).toEqual([
      {
        request_id: 'kiosk-abc',
        requestedMs: THURSDAY_9 + 5 * 60_000,
        origin: 'kiosk',
        language: 'sv',
        destination_id: 'kela',
        why: WHY,
      },
    ]);
    // The last statuses carry no why: the line keeps the one that chose the desk.
    expect(ended).toEqual([
      {
        request_id: 'kiosk-abc',
        endedMs: now,
        destination_id: 'kela',
        outcome: 'arrived',
        reason: '',
        why: WHY,
      },
    ]);
    expect(demand).toEqual(['2026-11-26T09:00 kela sv']);
    expect(entries).toHaveLength(2);
    expect(JSON.stringify([started, ended])).not.toContain('please');
  });
});
