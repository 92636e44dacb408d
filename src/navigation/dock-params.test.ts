import { describe, expect, it } from 'vitest';
import { EmbeddedContext, SimClock, type ParameterValue } from '../ros/index.js';
import { DOCK_DEFAULTS, readDockParams } from './dock-params.js';

function read(overrides: Record<string, ParameterValue>) {
  const ctx = new EmbeddedContext({ clock: new SimClock(0n) });
  return readDockParams(ctx.createNode('behavior_server', '/', { parameterOverrides: overrides }));
}

describe('the docking parameters', () => {
  it('default to a slow backwards approach within the contacts with room to spare', () => {
    const p = read({});
    expect(p).toEqual(DOCK_DEFAULTS);
    expect(p.dock_backwards).toBe(true);
    expect(p.approach_speed).toBeLessThanOrEqual(0.1);
    expect(p.xy_tolerance).toBeLessThan(0.05);
    expect(p.yaw_tolerance).toBeLessThan(0.1);
    expect(read({ 'docking.staging_offset': 0.6 }).staging_offset).toBe(0.6);
  });

  it.each([
    [
      'docking.approach_speed',
      0.3,
      /docking\.approach_speed: expected a number in \[0\.01, 0\.1\], found 0\.3$/,
    ],
    ['docking.max_retries', 1.5, /docking\.max_retries: expected a whole number in \[0, 10\], found 1\.5$/],
    ['docking.xy_tolerance', Number.NaN, /docking\.xy_tolerance: expected a number .*found NaN$/],
    [
      'docking.approach_min_speed',
      0.09,
      /docking\.approach_min_speed: expected at most docking\.approach_speed/,
    ],
  ])('refuse %s = %s, naming the node and the parameter', (name, value, message) => {
    expect(() => read({ [name]: value })).toThrow(RangeError);
    expect(() => read({ [name]: value })).toThrow(
      new RegExp(`^behavior_server: parameter ${message.source}`),
    );
  });
});
