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
let narrow: DoorFloor;
beforeAll(async () => {
  floor = await writeDoorFloor({
    doors: [{ width: 1.2 }, { width: 1.4 }, { width: 1.5 }, { width: 1.6 }],
    resolution: 0.1,
  });
  // Narrow doors (the robot's width + 0.125–0.20 m each side) on a coarse map: crawled through.
  narrow = await writeDoorFloor({
    doors: [{ width: 0.85 }, { width: 0.9 }, { width: 0.95 }, { width: 1.0 }, { width: 1.0, depth: 1.0 }],
    resolution: 0.1,
  });
});
afterAll(async () => {
  await floor.remove();
  await narrow.remove();
});

/** Escorts a following customer into every room of `f` in turn. */
async function escortIntoEveryRoom(f: DoorFloor) {
  const customers: CustomerSpec[] = f.rooms.map((room) => ({
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
    siteDir: f.dir,
    seed: 13,
    startEpochMs: Date.parse('2026-11-26T10:00:00+02:00'),
    robotStart: 'dock',
    pedestrians: 0,
    timeLimitS: 150 * customers.length,
    customers,
    events: [],
    expect: { collisions: 0 },
  };
  return simulate(scenario);
}

/** Every room of `f` reached in turn, each within `maxS`, touching nothing. */
async function expectEveryRoomReached(f: DoorFloor, maxS: number) {
  const report = await escortIntoEveryRoom(f);
  const outcomes = report.requests.map((r) => `${r.destination}: ${r.outcome} ${r.reason}`.trim());
  expect(outcomes).toEqual(f.rooms.map((room) => `${room.id}: arrived`));
  for (const r of report.requests) expect(r.duration_s).toBeLessThan(maxS);
  expect(report.collisions).toEqual({ wall: 0, obstacle: 0, person: 0 });
}

describe('a floor of rooms behind doors', () => {
  it('escorts into every room with the customer following, and arrives every time', async () => {
    await expectEveryRoomReached(floor, 60);
  }, 120_000);

  it('gets through doors of 0.85–1.0 m on a 0.1 m map, every time, touching nothing', async () => {
    await expectEveryRoomReached(narrow, 90);
  }, 120_000);
});
