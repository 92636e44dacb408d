/**
 * Doors on a floor nobody tuned for: rooms off a corridor behind 1.2–1.6 m doors, drawn in the
 * site format, escorted into one after another with the customer following (simulated time,
 * seeded). Before the gate's zones followed the commanded arc, the robot stopped for the door
 * frame coming at a doorway at an angle, on coarse maps most of all; every escort must arrive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../cli/simulate.js';
import { everyRoomScenario, writeDoorFloor, type DoorFloor } from './support/door-floor.js';

let floor: DoorFloor;
let narrow: DoorFloor;
let tight: DoorFloor;
beforeAll(async () => {
  floor = await writeDoorFloor({
    doors: [{ width: 1.2 }, { width: 1.4 }, { width: 1.5 }, { width: 1.6 }],
    resolution: 0.1,
  });
  // Narrow doors (the robot's width + 0.10–0.20 m each side) on a coarse map, where a 0.80 m
  // door's middle falls on a cell edge: lined up, crawled through.
  narrow = await writeDoorFloor({
    doors: [
      { width: 0.8 },
      { width: 0.85 },
      { width: 0.9 },
      { width: 0.8, depth: 0.6 },
      { width: 1.0 },
      { width: 1.0, depth: 1.0 },
    ],
    resolution: 0.1,
  });
  // ... and off a narrower corridor (1.6 m: less room to line up), on a 0.05 m map.
  tight = await writeDoorFloor({
    doors: [{ width: 0.81 }, { width: 0.8 }, { width: 0.88 }, { width: 0.83, depth: 0.5 }],
    resolution: 0.05,
    corridorWidth: 1.6,
    origin: { x: 1.234, y: 0.77 },
  });
});
afterAll(async () => {
  await floor.remove();
  await narrow.remove();
  await tight.remove();
});

/** Every room of `f` reached in turn, each within `maxS`, touching nothing. */
async function expectEveryRoomReached(f: DoorFloor, maxS: number) {
  const report = await simulate(everyRoomScenario(f));
  const outcomes = report.requests.map((r) => `${r.destination}: ${r.outcome} ${r.reason}`.trim());
  expect(outcomes).toEqual(f.rooms.map((room) => `${room.id}: arrived`));
  for (const r of report.requests) expect(r.duration_s).toBeLessThan(maxS);
  expect(report.collisions).toEqual({ wall: 0, obstacle: 0, person: 0 });
}

describe('a floor of rooms behind doors', () => {
  it('escorts into every room with the customer following, and arrives every time', async () => {
    await expectEveryRoomReached(floor, 60);
  }, 120_000);

  it('gets through doors of 0.80–1.0 m on a 0.1 m map, every time, touching nothing', async () => {
    await expectEveryRoomReached(narrow, 90);
  }, 120_000);

  it('gets through 0.80–0.88 m doors off a 1.6 m corridor, every time, touching nothing', async () => {
    await expectEveryRoomReached(tight, 90);
  }, 120_000);
});
