/**
 * Doors on a floor nobody tuned for: rooms off a corridor behind 1.2–1.6 m doors, drawn in the
 * site format, escorted into one after another with the customer following (simulated time,
 * seeded). Before the gate's zones followed the commanded arc, the robot stopped for the door
 * frame coming at a doorway at an angle, on coarse maps most of all; every escort must arrive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../cli/simulate.js';
import type { CustomerSpec, Scenario } from '../sim/scenario.js';
import { writeDoorFloor, type DoorFloor } from './support/door-floor.js';

let floor: DoorFloor;
beforeAll(async () => {
  floor = await writeDoorFloor({
    doors: [{ width: 1.2 }, { width: 1.4 }, { width: 1.5 }, { width: 1.6 }],
    resolution: 0.1,
  });
});
afterAll(async () => floor.remove());

describe('a floor of rooms behind doors', () => {
  it('escorts into every room with the customer following, and arrives every time', async () => {
    const customers: CustomerSpec[] = floor.rooms.map((room) => ({
      at: 0,
      ask: `${room.en} room`,
      language: 'en',
      plain: false,
      mode: 'escort',
      behaviour: { kind: 'follow' },
      expect: { outcome: 'arrived', destination: room.id },
      where: room.id,
    }));
    const scenario: Scenario = {
      file: 'door-floor',
      name: 'rooms behind doors',
      description: '',
      siteDir: floor.dir,
      seed: 13,
      startEpochMs: Date.parse('2026-11-26T10:00:00+02:00'),
      robotStart: 'dock',
      pedestrians: 0,
      timeLimitS: 150 * customers.length,
      customers,
      events: [],
      expect: { collisions: 0 },
    };
    const report = await simulate(scenario);
    const outcomes = report.requests.map((r) => `${r.destination}: ${r.outcome} ${r.reason}`.trim());
    expect(outcomes).toEqual(floor.rooms.map((room) => `${room.id}: arrived`));
    for (const r of report.requests) expect(r.duration_s).toBeLessThan(60);
    expect(report.collisions).toEqual({ wall: 0, obstacle: 0, person: 0 });
  }, 120_000);
});
