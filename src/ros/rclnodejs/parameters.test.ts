import { describe, expect, it } from 'vitest';
import { Parameter, ParameterError, ParameterType } from '../parameters.js';
import { descriptorFields, fromRclParameter, toRclDescriptor } from './parameters.js';
import { MockParameterDescriptor, MockRange, rclnodejsMock } from './rclnodejs.mock.js';

const double = (name: string, value: number) => new Parameter(name, ParameterType.PARAMETER_DOUBLE, value);

describe('a parameter’s descriptor', () => {
  it('carries the type alone for a parameter declared from a ParamSpec default', () => {
    expect(descriptorFields(double('safety.max_linear', 0.8))).toEqual({
      name: 'safety.max_linear',
      type: ParameterType.PARAMETER_DOUBLE,
      description: '',
      readOnly: false,
    });
    expect(descriptorFields(Parameter.fromValue('frame_id', 'laser')).type).toBe(
      ParameterType.PARAMETER_STRING,
    );
    expect(descriptorFields(Parameter.fromValue('require_scan', true)).type).toBe(
      ParameterType.PARAMETER_BOOL,
    );
  });

  it('carries a description, read_only and a floating-point range', () => {
    const fields = descriptorFields(double('max_linear', 0.8), {
      description: 'm/s: the fastest the gate lets the robot go',
      readOnly: true,
      range: { from: 0, to: 1.5, step: 0 },
    });
    expect(fields).toEqual({
      name: 'max_linear',
      type: ParameterType.PARAMETER_DOUBLE,
      description: 'm/s: the fastest the gate lets the robot go',
      readOnly: true,
      range: { kind: 'floating_point', from: 0, to: 1.5, step: 0 },
    });
  });

  it('gives an integer parameter an integer range, checking the value against it', () => {
    const beams = new Parameter('beams', ParameterType.PARAMETER_INTEGER, 360n);
    expect(descriptorFields(beams, { range: { from: 1, to: 8192, step: 1 } }).range).toEqual({
      kind: 'integer',
      from: 1,
      to: 8192,
      step: 1,
    });
    expect(() => descriptorFields(beams, { range: { from: 0.5, to: 10 } })).toThrow(
      /'beams': range: an integer parameter's bounds and step are whole numbers/,
    );
  });

  it('refuses a range that does not fit, naming the parameter', () => {
    const range = { from: 0, to: 1 };
    expect(() => descriptorFields(Parameter.fromValue('frame_id', 'laser'), { range })).toThrow(
      "parameter 'frame_id': range: only numeric parameters have one, this is PARAMETER_STRING",
    );
    expect(() => descriptorFields(double('gain', 2), { range })).toThrow(
      "parameter 'gain': range: the value 2 is outside 0…1",
    );
    expect(() => descriptorFields(double('gain', 0.5), { range: { from: 1, to: 0 } })).toThrow(
      ParameterError,
    );
    expect(() => descriptorFields(double('gain', 0.5), { range: { from: 0, to: Infinity } })).toThrow(
      /expected from ≤ to and step ≥ 0, all finite/,
    );
    const arr = new Parameter('weights', ParameterType.PARAMETER_DOUBLE_ARRAY, [0.2, 3]);
    expect(() => descriptorFields(arr, { range })).toThrow(/the value 3 is outside 0…1/);
  });
});

describe('descriptor → rclnodejs (mock rclnodejs classes)', () => {
  it('builds a ParameterDescriptor with the range class for its kind', () => {
    const d = toRclDescriptor(
      descriptorFields(double('max_linear', 0.8), { description: 'm/s', range: { from: 0, to: 1.5 } }),
      rclnodejsMock,
    ) as MockParameterDescriptor;
    expect(d).toBeInstanceOf(MockParameterDescriptor);
    expect([d.name, d.type, d.description, d.readOnly]).toEqual(['max_linear', 3, 'm/s', false]);
    expect({ ...d.range }).toEqual({ kind: 'floating_point', from: 0, to: 1.5, step: 0 });
    const plain = toRclDescriptor(
      descriptorFields(double('gain', 1)),
      rclnodejsMock,
    ) as MockParameterDescriptor;
    expect(plain.range).toBeUndefined();
    const beams = new Parameter('beams', ParameterType.PARAMETER_INTEGER, 360n);
    const ranged = toRclDescriptor(
      descriptorFields(beams, { range: { from: 1, to: 720, step: 1 } }),
      rclnodejsMock,
    );
    expect((ranged as MockParameterDescriptor).range).toBeInstanceOf(MockRange);
    expect((ranged as MockParameterDescriptor).range?.kind).toBe('integer');
  });

  it('reads rclnodejs’s parameters back, typed arrays as plain arrays', () => {
    expect(fromRclParameter({ name: 'gain', type: 3, value: 0.5 })).toEqual(double('gain', 0.5));
    expect(fromRclParameter({ name: 'w', type: 8, value: Float64Array.of(1, 2) })).toEqual(
      new Parameter('w', ParameterType.PARAMETER_DOUBLE_ARRAY, [1, 2]),
    );
  });
});
