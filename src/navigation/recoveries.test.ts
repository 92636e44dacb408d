import { describe, expect, it } from 'vitest';
import { DEFAULT_ROBOT } from '../robot-description.js';
import { EmbeddedContext, SimClock, poseStamped, Time, type Path, type Pose2D } from '../ros/index.js';
import { TurnToPathRecovery } from './recoveries.js';
import { TestPlant, gridFromText } from './test-plant.js';
import type { RecoveryContext } from './types.js';

// An 8 m × 4 m room.
const ROOM = ['########', '#......#', '#......#', '########'];

const path = (pts: Array<[number, number]>): Path => ({
  header: { stamp: { sec: 0, nanosec: 0 }, frame_id: 'map' },
  poses: pts.map(([x, y]) => poseStamped('map', new Time(0n), { x, y, yaw: 0 })),
});

/** Runs a turn_to_path recovery on a plant standing at `start`, integrating its turn at 20 Hz. */
function turnToPath(
  start: Pose2D,
  route: Path | undefined,
  discs: Array<{ x: number; y: number; r: number }> = [],
) {
  const ctx = new EmbeddedContext({ clock: new SimClock(0n) });
  const plant = new TestPlant(ctx.createNode('plant'), gridFromText(ROOM, 1), start);
  plant.discs.push(...discs);
  const recovery = new TurnToPathRecovery();
  recovery.configure(ctx.createNode('navigator'), 'turn_to_path');
  const context = (now: number): RecoveryContext => ({
    now,
    pose: plant.pose,
    scan: plant.scan(),
    robot: DEFAULT_ROBOT,
    path: route,
    clearObstacles() {},
  });
  recovery.begin(context(0));
  const turns: number[] = [];
  for (let k = 0; k < 400; k++) {
    const step = recovery.tick(context(k * 0.05));
    if (step.status !== 'running') return { step, turns, pose: plant.pose };
    expect(step.linear).toBe(0);
    turns.push(step.angular);
    plant.pose = { ...plant.pose, yaw: plant.pose.yaw + step.angular * 0.05 };
  }
  throw new Error('the recovery never ended');
}

describe('turn_to_path recovery', () => {
  // Came at a doorway 50° off: the path goes on east from (2, 2).
  const route = path([
    [1.5, 2],
    [2.5, 2],
    [3.5, 2],
  ]);

  it('turns on the spot to face the path, the short way round, no faster than it can stop', () => {
    const { step, turns, pose } = turnToPath({ x: 2, y: 2, yaw: 0.9 }, route);
    expect(step).toMatchObject({ status: 'done', note: 'facing the path' });
    expect(Math.abs(pose.yaw)).toBeLessThanOrEqual(0.05);
    expect(turns.every((w) => w < 0 && w >= -0.6)).toBe(true);
  });

  it('turns with something a hand from the footprint (turning sweeps nothing new), not with it inside', () => {
    const beside = turnToPath({ x: 2, y: 2, yaw: 0.9 }, route, [{ x: 2, y: 2.52, r: 0.2 }]);
    expect(beside.step).toMatchObject({ status: 'done', note: 'facing the path' });
    const inside = turnToPath({ x: 2, y: 2, yaw: 0.9 }, route, [{ x: 2, y: 2.45, r: 0.2 }]);
    expect(inside.step).toMatchObject({ status: 'failed', note: 'no room to turn in place' });
    expect(inside.turns).toEqual([]);
  });

  it('fails without a path to face, and is done at once when already facing it', () => {
    expect(turnToPath({ x: 2, y: 2, yaw: 0.9 }, undefined).step).toMatchObject({
      status: 'failed',
      note: 'no path to face',
    });
    const facing = turnToPath({ x: 2, y: 2, yaw: 0.02 }, route);
    expect(facing.step.status).toBe('done');
    expect(facing.turns).toEqual([]);
  });
});
