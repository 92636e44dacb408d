import type { RosNode } from './node-api.js';
import { Parameter, type ParameterValue } from './parameters.js';

/** A module's parameters: a flat object of numbers, booleans and strings with their defaults. */
export type ParamSpec = Record<string, number | boolean | string>;

/**
 * Declares every field of `defaults` as a ROS parameter `<prefix>.<field>` (snake_case as
 * given) on the node and returns the values in force, overrides included. One typed object per
 * module, as Nav2 plugins read theirs.
 */
export function declareParams<P extends ParamSpec>(node: RosNode, prefix: string, defaults: P): P {
  const out: Record<string, number | boolean | string> = {};
  for (const [key, value] of Object.entries(defaults)) {
    const name = prefix ? `${prefix}.${key}` : key;
    const p = node.hasParameter(name)
      ? node.getParameter(name)
      : node.declareParameter(Parameter.fromValue(name, value as ParameterValue));
    out[key] = p.value as number | boolean | string;
  }
  return out as P;
}
