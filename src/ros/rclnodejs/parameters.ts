/**
 * Parameters between the node API and rclnodejs. A parameter is declared with a descriptor
 * (its type, description, read_only and range), so that `ros2 param describe` tells an operator
 * what it is and rclnodejs refuses a `ros2 param set` of the wrong type or out of range, as rclcpp
 * does; the node API's own checks (coerceParameter) still decide declaration and set first.
 */
import type { RclParameter, Rclnodejs } from './api.js';
import { Parameter, ParameterError, ParameterType, type ParameterValue } from './ros.js';

/** What a descriptor says beyond the type. */
export interface ParameterDescription {
  description?: string;
  /** Set at start-up (by an override) and never again. */
  readOnly?: boolean;
  /** Inclusive bounds; `step` 0 (the default) allows any value between. Numeric parameters only. */
  range?: { from: number; to: number; step?: number };
}

export interface DescriptorFields {
  name: string;
  type: ParameterType;
  description: string;
  readOnly: boolean;
  range?: { kind: 'floating_point' | 'integer'; from: number; to: number; step: number };
}

const RANGE_KIND: Partial<Record<ParameterType, 'floating_point' | 'integer'>> = {
  [ParameterType.PARAMETER_DOUBLE]: 'floating_point',
  [ParameterType.PARAMETER_DOUBLE_ARRAY]: 'floating_point',
  [ParameterType.PARAMETER_INTEGER]: 'integer',
  [ParameterType.PARAMETER_INTEGER_ARRAY]: 'integer',
};

/**
 * The descriptor of `parameter` (declared with its default or override as value): its type, and
 * what `description` adds. A range that does not fit the type or the value is refused, naming
 * the parameter.
 */
export function descriptorFields(
  parameter: Parameter,
  description: ParameterDescription = {},
): DescriptorFields {
  const fields: DescriptorFields = {
    name: parameter.name,
    type: parameter.type,
    description: description.description ?? '',
    readOnly: description.readOnly ?? false,
  };
  if (!description.range) return fields;
  const kind = RANGE_KIND[parameter.type];
  const fail = (what: string): never => {
    throw new ParameterError(parameter.name, `range: ${what}`);
  };
  if (!kind) return fail(`only numeric parameters have one, this is ${ParameterType[parameter.type]}`);
  const { from, to, step = 0 } = description.range;
  if (![from, to, step].every(Number.isFinite) || from > to || step < 0) {
    return fail(`expected from ≤ to and step ≥ 0, all finite, got from ${from}, to ${to}, step ${step}`);
  }
  if (kind === 'integer' && ![from, to, step].every(Number.isInteger)) {
    return fail(`an integer parameter's bounds and step are whole numbers, got ${from}…${to} step ${step}`);
  }
  for (const v of valuesOf(parameter.value)) {
    if (v < from || v > to) fail(`the value ${v} is outside ${from}…${to}`);
  }
  return { ...fields, range: { kind, from, to, step } };
}

function valuesOf(value: ParameterValue): number[] {
  const all = Array.isArray(value) ? value : [value];
  return all.filter((v) => typeof v === 'number' || typeof v === 'bigint').map(Number);
}

/** An rclnodejs ParameterDescriptor with its range. */
export function toRclDescriptor(fields: DescriptorFields, rcl: Rclnodejs): object {
  const r = fields.range;
  const range = !r
    ? undefined
    : r.kind === 'integer'
      ? new rcl.IntegerRange(r.from, r.to, r.step)
      : new rcl.FloatingPointRange(r.from, r.to, r.step);
  return new rcl.ParameterDescriptor(fields.name, fields.type, fields.description, fields.readOnly, range);
}

export function toRclParameter(parameter: Parameter, rcl: Rclnodejs): RclParameter {
  return new rcl.Parameter(parameter.name, parameter.type, parameter.value);
}

/** rclnodejs's parameter as the node API's (same type numbers: both are rcl_interfaces'). */
export function fromRclParameter(parameter: RclParameter): Parameter {
  const value = ArrayBuffer.isView(parameter.value)
    ? Array.from(parameter.value as unknown as ArrayLike<number>)
    : parameter.value;
  return new Parameter(parameter.name, parameter.type as ParameterType, value as ParameterValue);
}
