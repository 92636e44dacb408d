import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ROBOT,
  RobotDescriptionError,
  validateRobotDescription,
  type RobotDescription,
} from './robot-description.js';

/** DEFAULT_ROBOT with one battery field changed at `path` (dot-separated, under battery). */
function withBattery(path: string, value: unknown): RobotDescription {
  const battery = structuredClone(DEFAULT_ROBOT.battery) as unknown as Record<
    string,
    Record<string, unknown>
  >;
  const [head, tail] = path.split('.') as [string, string | undefined];
  if (tail === undefined) (battery as Record<string, unknown>)[head] = value;
  else battery[head]![tail] = value;
  return { ...DEFAULT_ROBOT, battery: battery as unknown as RobotDescription['battery'] };
}

describe('the robot description’s battery', () => {
  it('is valid as shipped', () => {
    expect(() => validateRobotDescription(DEFAULT_ROBOT)).not.toThrow();
  });

  it('names the field path and what was wrong', () => {
    const cases: Array<[string, unknown, string]> = [
      ['capacityWh', 0, 'robot.battery.capacityWh: expected a finite number > 0, found 0'],
      ['fullV', 10, 'robot.battery.fullV: expected a finite number > 10.5, found 10'],
      ['nominalV', 13, 'robot.battery.nominalV: expected a finite number ≥ 10.5 and ≤ 12.6, found 13'],
      [
        'internalResistanceOhm',
        NaN,
        'robot.battery.internalResistanceOhm: expected a finite number > 0, found NaN',
      ],
      ['idleW', -1, 'robot.battery.idleW: expected a finite number ≥ 0, found -1'],
      [
        'motion.efficiency',
        1.4,
        'robot.battery.motion.efficiency: expected a finite number > 0 and ≤ 1, found 1.4',
      ],
      ['dock.chargerW', '120', 'robot.battery.dock.chargerW: expected a finite number > 0, found 120'],
      [
        'dock.contactYawRad',
        4,
        `robot.battery.dock.contactYawRad: expected a finite number > 0 and ≤ ${Math.PI}, found 4`,
      ],
    ];
    for (const [path, value, message] of cases) {
      const error = (() => {
        try {
          validateRobotDescription(withBattery(path, value));
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(RobotDescriptionError);
      expect((error as Error).message).toBe(message);
    }
    expect(() => validateRobotDescription(withBattery('dock', undefined), 'world.robot')).toThrow(
      'world.robot.battery.dock.chargerW: expected a finite number > 0, found undefined',
    );
  });
});
