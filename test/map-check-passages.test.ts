/**
 * `map check` knows the robot: per destination the narrowest passage on the way from the dock,
 * and a clear error naming the destination and the place when the robot cannot pass; bad floors
 * (an enclosed dock, a door too narrow, no free space) end in errors, never a hang.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { inspectSite, runMapCheck } from '../src/map/index.js';
import { writeDoorFloor, type DoorFloor, type DoorFloorOptions } from './support/door-floor.js';

const floors: DoorFloor[] = [];
afterEach(async () => {
  for (const f of floors.splice(0)) await f.remove();
});

async function check(
  options: DoorFloorOptions,
): Promise<{ floor: DoorFloor; code: number; lines: string[] }> {
  const floor = await writeDoorFloor(options);
  floors.push(floor);
  const lines: string[] = [];
  const code = await runMapCheck(floor.dir, (l) => lines.push(l));
  return { floor, code, lines };
}

describe('map check: the narrowest passage per destination', () => {
  it('prints each destination’s narrowest passage from the dock, its width and where', async () => {
    for (const resolution of [0.025, 0.05, 0.1]) {
      const { floor, code, lines } = await check({
        doors: [{ width: 1.4 }, { width: 0.9, depth: 1.0 }],
        resolution,
      });
      expect(code, lines.join('\n')).toBe(0);
      const report = await inspectSite(floor.dir);
      const byId = new Map(report.passages.map((p) => [p.id, p]));
      for (const room of floor.rooms) {
        const p = byId.get(room.id)!;
        expect(Math.abs(p.widthM - room.door.width)).toBeLessThanOrEqual(resolution + 1e-9);
        // Where: in the doorway.
        expect(Math.abs(p.x - room.doorX)).toBeLessThan(room.door.width / 2);
        expect(Math.abs(p.y - room.doorY)).toBeLessThanOrEqual(room.door.depth / 2 + resolution);
        expect(lines.some((l) => l.startsWith(`  ${room.id}: narrowest passage from the dock`))).toBe(true);
      }
    }
  });

  it('fails a site whose destination is only behind a passage narrower than the robot’s width + 2 × 0.10 m, naming it and the place', async () => {
    const { floor, code, lines } = await check({ doors: [{ width: 1.4 }, { width: 0.7 }] });
    expect(code).toBe(1);
    const narrow = floor.rooms[1]!;
    const line = lines.find((l) => l.includes('[PASSAGE_TOO_NARROW]'));
    expect(line).toContain(`destination "${narrow.id}"`);
    expect(line).toMatch(/passage 0\.70 m wide at \(\d+\.\d\d, \d+\.\d\d\); the robot needs 0\.80 m/);
    expect(lines.join('\n')).not.toContain(`destination "${floor.rooms[0]!.id}"`);
  });

  it('says how narrow the way is when a destination cannot be reached at all (a door the robot cannot fit)', async () => {
    const { floor, code, lines } = await check({ doors: [{ width: 1.4 }, { width: 0.5 }] });
    expect(code).toBe(1);
    const line = lines.find((l) => l.includes('[POSE_UNREACHABLE]'));
    expect(line).toContain(`destination "${floor.rooms[1]!.id}"`);
    expect(line).toMatch(/narrows to 0\.50 m at \(\d+\.\d\d, \d+\.\d\d\), the robot needs 0\.80 m/);
  });
});

describe('map check: bad floors end in clear errors', () => {
  it('an enclosed dock: every destination unreachable, each named', async () => {
    const dock = { x: 1.0, y: 3.4, yaw: 0 };
    const box: Array<readonly [number, number, number, number]> = [
      [0.2, 2.5, 2.0, 2.6],
      [0.2, 4.2, 2.0, 4.3],
      [1.9, 2.5, 2.0, 4.3],
    ];
    const { floor, code, lines } = await check({
      doors: [{ width: 1.4 }, { width: 1.5 }],
      dock,
      blocks: box,
    });
    expect(code).toBe(1);
    for (const room of floor.rooms) {
      expect(
        lines.some(
          (l) => l.includes(`destination "${room.id}"`) && l.includes('cannot be reached from the dock'),
        ),
      ).toBe(true);
    }
  });

  it('a map with no free space: refused, saying there is no free cell', async () => {
    const { code, lines } = await check({ doors: [{ width: 1.4 }], blocks: [[0, 0, 100, 100]] });
    expect(code).toBe(1);
    expect(lines.some((l) => l.includes('no free cell') && l.includes('[IMAGE_MISMATCH]'))).toBe(true);
    expect(lines.at(-1)).toMatch(/1 error, 0 warnings/);
  });
});
