import { describe, expect, it } from 'vitest';
import { NAV_ERROR_CODES, SPIN_ERROR_CODES } from './errors.js';
import { Nav2MsgsDockRobotResult } from '../interfaces/generated/ros-types.js';
import { NAV2_CODE_NAMES, NAV2_ERROR_CODES, NAV2_NONE, nav2Code, nav2CodeName } from './nav2-error-codes.js';

describe("Nav2's result codes", () => {
  it('are the numbers of the nav2_msgs .action files, each server in its own range', () => {
    // Spot checks against the .action files, one per range and the ones the mission acts on.
    expect(NAV2_ERROR_CODES.ComputePathToPose).toMatchObject({ UNKNOWN: 200, NO_VALID_PATH: 208 });
    expect(NAV2_ERROR_CODES.ComputePathToPose).toMatchObject({ GOAL_OCCUPIED: 206, TIMEOUT: 207 });
    expect(NAV2_ERROR_CODES.FollowPath).toMatchObject({ UNKNOWN: 100, FAILED_TO_MAKE_PROGRESS: 105 });
    expect(NAV2_ERROR_CODES.FollowPath).toMatchObject({ NO_VALID_CONTROL: 106, CONTROLLER_TIMED_OUT: 107 });
    expect(NAV2_ERROR_CODES.Spin).toEqual({
      UNKNOWN: 700,
      TIMEOUT: 701,
      TF_ERROR: 702,
      COLLISION_AHEAD: 703,
    });
    expect(NAV2_ERROR_CODES.NavigateToPose).toMatchObject({ UNKNOWN: 9000, TF_ERROR: 9002 });
    // Each action numbers its codes from its UNKNOWN, in order, within its hundred; docking
    // (opennav_docking's) numbers from 901 and puts UNKNOWN last, at 999.
    const { DockRobot, ...numberedFromUnknown } = NAV2_ERROR_CODES;
    const { TIMEOUT: kiltedTimeout, ...jazzyDock } = DockRobot;
    expect({ NONE: NAV2_NONE, ...jazzyDock }).toEqual(Nav2MsgsDockRobotResult);
    expect(kiltedTimeout).toBe(907);
    for (const codes of Object.values(numberedFromUnknown)) {
      const values: number[] = Object.values(codes);
      expect(values).toEqual(values.map((_, i) => values[0]! + i));
      expect(Math.floor(values.at(-1)! / 100)).toBe(Math.floor(values[0]! / 100));
    }
  });

  it('names a number by action and code, and reads a name back to its number', () => {
    expect(nav2CodeName(208)).toBe('ComputePathToPose.NO_VALID_PATH');
    expect(nav2CodeName(105)).toBe('FollowPath.FAILED_TO_MAKE_PROGRESS');
    expect(nav2CodeName(701)).toBe('Spin.TIMEOUT');
    expect(nav2CodeName(0)).toBeUndefined();
    expect(nav2CodeName(4242)).toBeUndefined();
    expect(new Set(NAV2_CODE_NAMES).size).toBe(NAV2_CODE_NAMES.length);
    for (const name of NAV2_CODE_NAMES) expect(nav2CodeName(nav2Code(name))).toBe(name);
  });

  it("is what the robot's own servers put on the wire: Nav2's code, or 0 for success and cancel", () => {
    for (const code of [...Object.values(NAV_ERROR_CODES), ...Object.values(SPIN_ERROR_CODES)]) {
      expect(code === 0 || nav2CodeName(code) !== undefined, String(code)).toBe(true);
    }
    expect(
      Object.values(SPIN_ERROR_CODES).every((c) => c === 0 || nav2CodeName(c)!.startsWith('Spin.')),
    ).toBe(true);
  });
});
