/**
 * A robot that has come to rest against a corridor wall (its body 1–3.5 cm off it, at any angle)
 * gets off the wall and escorts its customer, on maps of 0.025–0.1 m per cell. Before, the gate's
 * side margin overlapped the wall, so every move along it stopped, a turn on the spot was refused
 * for the wall within the margin, and a turn the gate held counted as no lack of progress: the
 * robot stood there until the customer gave up (7 of 36 such starts arrived; now all do).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../cli/simulate.js';
import type { CustomerSpec } from '../sim/scenario.js';
import { everyRoomScenario, writeDoorFloor, type DoorFloor } from './support/door-floor.js';

/** South wall of the 1.4 m corridor of the door floor, m (floor coordinates). */
const WALL_Y = 4.4;
const CASES = [
  { resolution: 0.025, yaw: -1.2, off: 0.31 },
  { resolution: 0.05, yaw: 0, off: 0.31 },
  { resolution: 0.05, yaw: 2.8, off: 0.31 },
  { resolution: 0.1, yaw: 1.2, off: 0.335 },
];

const floors: DoorFloor[] = [];
beforeAll(async () => {
  for (const c of CASES) {
    floors.push(
      await writeDoorFloor({
        doors: [{ width: 1.2 }, { width: 1.2 }, { width: 1.2 }, { width: 1.2 }],
        resolution: c.resolution,
        corridorWidth: 1.4,
        // The dock is where the robot rests: against the wall, at an angle.
        dock: { x: 6.0, y: WALL_Y + c.off, yaw: c.yaw },
      }),
    );
  }
});
afterAll(async () => {
  await Promise.all(floors.map((f) => f.remove()));
});

describe('a robot resting against a wall', () => {
  it.each(CASES.map((c, i) => ({ ...c, i })))(
    'gets off it and escorts its customer ($resolution m/cell, yaw $yaw rad, centre $off m off the wall)',
    async ({ i }) => {
      const scenario = everyRoomScenario(floors[i]!);
      const oak = (scenario.customers as readonly CustomerSpec[])[3]!; // the far north room
      const report = await simulate({ ...scenario, customers: [oak], timeLimitS: 150 });
      const [escort] = report.requests;
      expect(`${escort!.outcome} ${escort!.reason}`.trim()).toBe('arrived');
      expect(escort!.duration_s).toBeLessThan(40);
      expect(report.collisions).toEqual({ wall: 0, obstacle: 0, person: 0 });
    },
    120_000,
  );
});
