/** Parameters shaped like rclnodejs's: a name, a ParameterType and a value. */
export enum ParameterType {
  PARAMETER_NOT_SET = 0,
  PARAMETER_BOOL = 1,
  PARAMETER_INTEGER = 2,
  PARAMETER_DOUBLE = 3,
  PARAMETER_STRING = 4,
  PARAMETER_BYTE_ARRAY = 5,
  PARAMETER_BOOL_ARRAY = 6,
  PARAMETER_INTEGER_ARRAY = 7,
  PARAMETER_DOUBLE_ARRAY = 8,
  PARAMETER_STRING_ARRAY = 9,
}

export type ParameterValue = boolean | bigint | number | string | boolean[] | bigint[] | number[] | string[];

export class Parameter {
  constructor(
    readonly name: string,
    readonly type: ParameterType,
    readonly value: ParameterValue,
  ) {}

  /** Infers the type from a JS value: numbers are doubles, bigints integers. */
  static fromValue(name: string, value: ParameterValue): Parameter {
    return new Parameter(name, inferType(value), value);
  }
}

export class ParameterError extends Error {
  constructor(
    readonly parameterName: string,
    message: string,
  ) {
    super(`parameter '${parameterName}': ${message}`);
    this.name = 'ParameterError';
  }
}

export function inferType(value: ParameterValue): ParameterType {
  if (typeof value === 'boolean') return ParameterType.PARAMETER_BOOL;
  if (typeof value === 'bigint') return ParameterType.PARAMETER_INTEGER;
  if (typeof value === 'number') return ParameterType.PARAMETER_DOUBLE;
  if (typeof value === 'string') return ParameterType.PARAMETER_STRING;
  const first = value[0];
  if (typeof first === 'boolean') return ParameterType.PARAMETER_BOOL_ARRAY;
  if (typeof first === 'bigint') return ParameterType.PARAMETER_INTEGER_ARRAY;
  if (typeof first === 'string') return ParameterType.PARAMETER_STRING_ARRAY;
  return ParameterType.PARAMETER_DOUBLE_ARRAY;
}

/** Overrides may give an integer for a double parameter (as ROS YAML does); anything else must match. */
export function coerceParameter(declared: Parameter, override: ParameterValue): Parameter {
  const t = inferType(override);
  if (t === declared.type) return new Parameter(declared.name, declared.type, override);
  if (declared.type === ParameterType.PARAMETER_DOUBLE && t === ParameterType.PARAMETER_INTEGER) {
    return new Parameter(declared.name, declared.type, Number(override as bigint));
  }
  throw new ParameterError(
    declared.name,
    `expected ${ParameterType[declared.type]}, got ${ParameterType[t]} (${String(override)})`,
  );
}
