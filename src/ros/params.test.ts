import { describe, expect, it } from 'vitest';
import { EmbeddedContext } from './embedded.js';
import { SimClock } from './clock.js';
import { Parameter, ParameterError, ParameterType, coerceParameter, inferType } from './parameters.js';
import { declareParams } from './params.js';

const DEFAULTS = {
  /** m/s */
  max_speed: 1.0,
  /** count */
  beams: 360,
  enabled: true,
  frame: 'base_link',
};

function node(overrides: Record<string, Record<string, never> | Record<string, unknown>> = {}) {
  const ctx = new EmbeddedContext({
    clock: new SimClock(),
    parameterOverrides: overrides as ConstructorParameters<typeof EmbeddedContext>[0]['parameterOverrides'],
  });
  return ctx.createNode('follower');
}

describe('parameters', () => {
  it('infers types from JS values: numbers are doubles, bigints integers', () => {
    expect(inferType(true)).toBe(ParameterType.PARAMETER_BOOL);
    expect(inferType(3n)).toBe(ParameterType.PARAMETER_INTEGER);
    expect(inferType(3)).toBe(ParameterType.PARAMETER_DOUBLE);
    expect(inferType('x')).toBe(ParameterType.PARAMETER_STRING);
    expect(inferType([1n])).toBe(ParameterType.PARAMETER_INTEGER_ARRAY);
    expect(inferType(['a'])).toBe(ParameterType.PARAMETER_STRING_ARRAY);
    expect(inferType([false])).toBe(ParameterType.PARAMETER_BOOL_ARRAY);
    expect(inferType([0.5])).toBe(ParameterType.PARAMETER_DOUBLE_ARRAY);
  });

  it('coerces an integer override to a double parameter, and refuses any other mismatch', () => {
    const declared = Parameter.fromValue('max_speed', 1.0);
    const coerced = coerceParameter(declared, 2n);
    expect(coerced.type).toBe(ParameterType.PARAMETER_DOUBLE);
    expect(coerced.value).toBe(2);
    expect(typeof coerced.value).toBe('number');
    expect(() => coerceParameter(declared, 'fast')).toThrow(
      "parameter 'max_speed': expected PARAMETER_DOUBLE, got PARAMETER_STRING (fast)",
    );
    expect(() => coerceParameter(Parameter.fromValue('n', 3n), 2.5)).toThrow(ParameterError);
  });

  it('has use_sim_time on every node', () => {
    const n = node();
    expect(n.hasParameter('use_sim_time')).toBe(true);
    expect(n.getParameter('use_sim_time').value).toBe(true);
    expect(n.getParameter('use_sim_time').type).toBe(ParameterType.PARAMETER_BOOL);
  });

  it('declares, reads and sets parameters; errors name the parameter and the node', () => {
    const n = node();
    const p = n.declareParameter(Parameter.fromValue('goal_tolerance', 0.2));
    expect(p.value).toBe(0.2);
    expect(() => n.declareParameter(Parameter.fromValue('goal_tolerance', 0.3))).toThrow(
      "parameter 'goal_tolerance': already declared on node 'follower'",
    );
    expect(() => n.getParameter('nope')).toThrow("parameter 'nope': not declared on node 'follower'");
    n.setParameter(Parameter.fromValue('goal_tolerance', 1n));
    expect(n.getParameter('goal_tolerance').value).toBe(1);
    expect(() => n.setParameter(Parameter.fromValue('goal_tolerance', true))).toThrow(
      /expected PARAMETER_DOUBLE/,
    );
    expect(() => n.setParameter(Parameter.fromValue('undeclared', 1))).toThrow(/not declared/);
  });
});

describe('declareParams', () => {
  it('gives the defaults when nothing overrides them, declared under the prefix', () => {
    const n = node();
    expect(declareParams(n, 'controller', DEFAULTS)).toEqual(DEFAULTS);
    expect(n.getParameter('controller.max_speed').type).toBe(ParameterType.PARAMETER_DOUBLE);
    expect(n.getParameter('controller.frame').value).toBe('base_link');
  });

  it('applies launch overrides, coercing YAML integers to doubles', () => {
    const n = node({ follower: { 'controller.max_speed': 2n, 'controller.enabled': false } });
    const p = declareParams(n, 'controller', DEFAULTS);
    expect(p).toEqual({ max_speed: 2, beams: 360, enabled: false, frame: 'base_link' });
    expect(typeof p.max_speed).toBe('number');
  });

  it('fails with the parameter name on an override of the wrong type', () => {
    const n = node({ follower: { 'controller.enabled': 'yes' } });
    expect(() => declareParams(n, 'controller', DEFAULTS)).toThrow(
      "parameter 'controller.enabled': expected PARAMETER_BOOL, got PARAMETER_STRING (yes)",
    );
  });

  it('reads an already declared parameter instead of declaring it twice, and works without a prefix', () => {
    const n = node();
    n.declareParameter(Parameter.fromValue('controller.max_speed', 0.4));
    expect(declareParams(n, 'controller', DEFAULTS).max_speed).toBe(0.4);
    expect(declareParams(n, '', { top: 1 })).toEqual({ top: 1 });
    expect(n.hasParameter('top')).toBe(true);
  });

  it('ignores overrides meant for another node', () => {
    const n = node({ other: { 'controller.max_speed': 9 } });
    expect(declareParams(n, 'controller', DEFAULTS).max_speed).toBe(1);
  });
});
