/**
 * Doors the robot barely fits through: the door floor (test/support/door-floor.ts) with rooms
 * behind 0.80, 0.85, 0.90, 0.95 and 1.00 m doors and a 1.00 m × 1.0 m passage, drawn at 0.025,
 * 0.05 and 0.1 m per cell, a following customer escorted into each room in turn (seed 13).
 * 0.80 m is the robot's width + 2 × 0.10 m, the narrowest door `map check` accepts.
 */
import { simulate } from '../cli/simulate.js';
import { everyRoomScenario, writeDoorFloor } from '../test/support/door-floor.js';
import { wallMs, type BenchRow } from './harness.js';

const DOORS = [
  { width: 0.8 },
  { width: 0.85 },
  { width: 0.9 },
  { width: 0.95 },
  { width: 1.0 },
  { width: 1.0, depth: 1.0 },
];
const RESOLUTIONS = [0.025, 0.05, 0.1];

export async function run(): Promise<BenchRow[]> {
  let escorts = 0;
  let arrived = 0;
  let collisions = 0;
  let escortS = 0;
  const failed: string[] = [];
  const t0 = wallMs();
  for (const resolution of RESOLUTIONS) {
    const floor = await writeDoorFloor({ doors: DOORS, resolution });
    try {
      const report = await simulate(everyRoomScenario(floor));
      for (const [i, r] of report.requests.entries()) {
        escorts++;
        escortS += r.duration_s;
        if (r.outcome === 'arrived') arrived++;
        else failed.push(`${DOORS[i]!.width} m at ${resolution} m/cell: ${r.outcome} ${r.reason}`);
      }
      const c = report.collisions;
      collisions += c.wall + c.obstacle + c.person;
    } finally {
      await floor.remove();
    }
  }
  const wallS = (wallMs() - t0) / 1000;
  const pct = (100 * arrived) / Math.max(1, escorts);
  return [
    {
      bench: 'doors',
      metric: 'escorts through 0.80–1.00 m doors that arrived',
      value: pct,
      unit: '%',
      target: '100 %',
      ok: arrived === escorts && collisions === 0,
      note: `${arrived} of ${escorts} at 0.025, 0.05 and 0.1 m per cell, ${collisions} collisions, ${(escortS / Math.max(1, escorts)).toFixed(0)} s simulated per escort${failed.length ? `; failed: ${failed.join('; ')}` : ''}`,
    },
    { bench: 'doors', metric: `wall time, ${escorts} escorts`, value: wallS, unit: 's' },
  ];
}
