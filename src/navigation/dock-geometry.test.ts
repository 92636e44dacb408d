import { describe, expect, it } from 'vitest';
import { DEFAULT_INFLATION, GridMap, CELL_FREE, CELL_OCCUPIED, buildCostmap } from '../map/index.js';
import { Time, poseStamped, type Pose2D } from '../ros/index.js';
import {
  approachDirection,
  dockError,
  dockLaneProblem,
  dockPoseOf,
  inDockFrame,
  stagingPose,
} from './dock-geometry.js';

const DOCK: Pose2D = { x: 2, y: 1, yaw: Math.PI / 2 };
const stamp = new Time(0n);

/** A 4 m × 4 m room of 0.05 m cells with walls all round, the robot 0.3 m round. */
function roomCostmap() {
  const n = 80;
  const data = new Int8Array(n * n).fill(CELL_FREE);
  for (let i = 0; i < n; i++) {
    data[i] = data[(n - 1) * n + i] = data[i * n] = data[i * n + n - 1] = CELL_OCCUPIED;
  }
  return buildCostmap(new GridMap(n, n, 0.05, 0, 0, data), [], {
    ...DEFAULT_INFLATION,
    inscribed_radius: 0.3,
  });
}

describe('the dock geometry', () => {
  it('stages in front of the dock pose for a robot that backs on, behind it for one that drives on', () => {
    const back = stagingPose(DOCK, 0.4, approachDirection(true));
    expect(back.x).toBeCloseTo(2, 9);
    expect(back.y).toBeCloseTo(1.4, 9);
    expect(back.yaw).toBe(DOCK.yaw);
    const forward = stagingPose(DOCK, 0.4, approachDirection(false));
    expect(forward.y).toBeCloseTo(0.6, 9);
  });

  it('measures the robot in the dock frame: along the axis, across it, and the yaw', () => {
    const rel = inDockFrame({ x: 2.1, y: 1.3, yaw: Math.PI / 2 + 0.2 }, DOCK);
    expect(rel.x).toBeCloseTo(0.3, 9);
    expect(rel.y).toBeCloseTo(-0.1, 9);
    expect(rel.yaw).toBeCloseTo(0.2, 9);
    expect(dockError({ x: 2.03, y: 1.04, yaw: Math.PI / 2 - 0.1 }, DOCK)).toEqual({
      xy: expect.closeTo(0.05, 9),
      yaw: expect.closeTo(0.1, 9),
    });
  });

  it('reads a goal dock pose, or says which field is wrong', () => {
    expect(dockPoseOf(poseStamped('map', stamp, DOCK))).toEqual({
      x: 2,
      y: 1,
      yaw: expect.closeTo(DOCK.yaw, 9),
    });
    const bad = poseStamped('map', stamp, DOCK);
    bad.pose.orientation.w = Number.POSITIVE_INFINITY;
    expect(dockPoseOf(bad)).toBe(
      'goal.dock_pose.pose.orientation.w: expected a finite number, found Infinity',
    );
    const zero = poseStamped('map', stamp, DOCK);
    zero.pose.orientation = { x: 0, y: 0, z: 0, w: 0 };
    expect(dockPoseOf(zero)).toBe('goal.dock_pose.pose.orientation: expected a quaternion, found all zeros');
    expect(dockPoseOf(poseStamped('base_link', stamp, DOCK))).toMatch(/^goal\.dock_pose\.header\.frame_id/);
    expect(dockPoseOf(undefined)).toBe('goal.dock_pose: missing');
  });

  it('refuses a dock in a wall, and one whose way in from the staging pose runs into a wall', () => {
    const costmap = roomCostmap();
    expect(dockLaneProblem(costmap, DOCK, stagingPose(DOCK, 0.4, -1))).toBeUndefined();
    const inWall = { x: 2, y: 0.2, yaw: Math.PI / 2 };
    expect(dockLaneProblem(costmap, inWall, stagingPose(inWall, 0.4, -1))).toMatch(
      /^goal\.dock_pose: the robot cannot stand at \(2\.00, 0\.20\)/,
    );
    // Free to stand at, but its staging pose (forwards: behind it) is in the wall.
    expect(dockLaneProblem(costmap, DOCK, stagingPose(DOCK, 0.7, 1))).toMatch(/runs into a wall/);
    const offMap = { x: 9, y: 9, yaw: 0 };
    expect(dockLaneProblem(costmap, offMap, offMap)).toMatch(/off the map/);
  });
});
