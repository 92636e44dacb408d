/**
 * Checks a JavaScript object against a parsed message definition before it is written as CDR, so
 * that a wrong field is an error naming it instead of a zero the CDR writer silently puts in its
 * place. The check is compiled once per type into nested closures; on the happy path it builds no
 * strings and allocates nothing, since it runs on every recorded message.
 */
import type { ParsedField } from './definitions.js';

type MessageDefinition = { name?: string; definitions: ParsedField[] };

/** Where and why a value does not fit; the path is collected innermost first. */
export interface Misfit {
  /** Path segments, innermost first: '.x', '[3]'. */
  path: string[];
  expected: string;
  found: unknown;
}
export type Check = (value: unknown) => Misfit | undefined;

const INT_RANGES: Record<string, [number, number]> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};
const BIG_RANGES: Record<string, [bigint, bigint]> = {
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
};
type TypedArrayClass = abstract new (...args: never[]) => ArrayBufferView;
const TYPED: Record<string, TypedArrayClass[]> = {
  int8: [Int8Array],
  uint8: [Uint8Array, Uint8ClampedArray],
  int16: [Int16Array],
  uint16: [Uint16Array],
  int32: [Int32Array],
  uint32: [Uint32Array],
  int64: [BigInt64Array],
  uint64: [BigUint64Array],
  float32: [Float32Array],
  float64: [Float64Array],
};

const misfit = (expected: string, found: unknown): Misfit => ({ path: [], expected, found });

/** Compiles the check of a type from its definitions (the root first, as @foxglove/rosmsg parses them). */
export function compileCheck(definitions: MessageDefinition[]): Check {
  const byName = new Map(definitions.map((d) => [d.name ?? '', d.definitions]));
  const compiled = new Map<string, Check>();
  const struct = (name: string): Check => {
    const existing = compiled.get(name);
    if (existing) return existing;
    const fields = byName.get(name);
    if (!fields) throw new Error(`no definition of ${name}`);
    let inner: Check = () => undefined;
    const check: Check = (v) => inner(v);
    compiled.set(name, check);
    inner = structCheck(fields, struct);
    return check;
  };
  const root = definitions.find(
    (d) => !d.definitions.every((f) => f.isConstant === true) || d.definitions.length === 0,
  );
  return struct(root?.name ?? '');
}

function structCheck(fields: ParsedField[], struct: (name: string) => Check): Check {
  const data = fields.filter((f) => f.isConstant !== true);
  const names = data.map((f) => f.name);
  const checks = data.map((f) => fieldCheck(f, struct));
  const n = names.length;
  return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v) || ArrayBuffer.isView(v)) {
      return misfit('a message object', v);
    }
    for (let i = 0; i < n; i++) {
      const r = checks[i]!((v as Record<string, unknown>)[names[i]!]);
      if (r) {
        r.path.push(`.${names[i]}`);
        return r;
      }
    }
    return undefined;
  };
}

function fieldCheck(f: ParsedField, struct: (name: string) => Check): Check {
  const element = f.isComplex === true ? struct(f.type) : primitiveCheck(f.type, f.upperBound);
  if (f.isArray !== true) return element;
  const shape = `${f.type}[${f.arrayLength ?? (f.arrayUpperBound !== undefined ? `<=${f.arrayUpperBound}` : '')}]`;

  const typed = f.isComplex === true ? undefined : TYPED[f.type];
  return arrayCheck(element, shape, typed, f.arrayLength, f.arrayUpperBound);
}

function arrayCheck(
  element: Check,
  shape: string,
  typed: TypedArrayClass[] | undefined,
  length: number | undefined,
  bound: number | undefined,
): Check {
  const expected = typed ? `${shape} (a ${typed[0]!.name} or an array)` : `${shape} (an array)`;
  const sizeOk = (n: number) => (length === undefined || n === length) && (bound === undefined || n <= bound);
  return (v) => {
    if (typed && ArrayBuffer.isView(v)) {
      // A typed array of another kind would be written as an empty or zero array: refuse it.
      if (!typed.some((c) => v instanceof c)) return misfit(expected, v);
      return sizeOk((v as unknown as ArrayLike<unknown>).length) ? undefined : misfit(expected, v);
    }
    if (!Array.isArray(v)) return misfit(expected, v);
    if (!sizeOk(v.length)) return misfit(expected, v);
    for (let i = 0; i < v.length; i++) {
      const r = element(v[i]);
      if (r) {
        r.path.push(`[${i}]`);
        return r;
      }
    }
    return undefined;
  };
}

function primitiveCheck(type: string, upperBound: number | undefined): Check {
  const ints = INT_RANGES[type];
  if (ints) {
    const [lo, hi] = ints;
    const expected = `${type}, an integer in ${lo}..${hi}`;
    return (v) =>
      typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi ? undefined : misfit(expected, v);
  }
  const bigs = BIG_RANGES[type];
  if (bigs) {
    const [lo, hi] = bigs;
    const expected = `${type}, a bigint or safe integer in ${lo}..${hi}`;
    return (v) => {
      const ok = typeof v === 'bigint' || (typeof v === 'number' && Number.isSafeInteger(v));
      return ok && BigInt(v) >= lo && BigInt(v) <= hi ? undefined : misfit(expected, v);
    };
  }
  switch (type) {
    case 'float32':
    case 'float64':
      return (v) => (typeof v === 'number' ? undefined : misfit(type, v));
    case 'bool':
      return (v) => (typeof v === 'boolean' ? undefined : misfit('bool (true or false)', v));
    case 'string':
      return stringCheck(upperBound);
    case 'time':
    case 'duration':
      return timeCheck(type === 'time' ? 'builtin_interfaces/Time' : 'builtin_interfaces/Duration');
    default:
      // wstring and anything else the CDR writer cannot write.
      return (v) => misfit(`${type} (not supported by the CDR writer)`, v);
  }
}

function stringCheck(upperBound: number | undefined): Check {
  if (upperBound === undefined) return (v) => (typeof v === 'string' ? undefined : misfit('string', v));
  const expected = `string of at most ${upperBound} characters`;
  return (v) => (typeof v === 'string' && v.length <= upperBound ? undefined : misfit(expected, v));
}

function timeCheck(name: string): Check {
  const sec = primitiveCheck('int32', undefined);
  const nanosec = primitiveCheck('uint32', undefined);
  return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      return misfit(`${name} ({ sec, nanosec })`, v);
    const t = v as { sec?: unknown; nanosec?: unknown };
    const bySec = sec(t.sec);
    if (bySec) bySec.path.push('.sec');
    const r = bySec ?? nanosec(t.nanosec);
    if (r && !bySec) r.path.push('.nanosec');
    return r;
  };
}

/** "pose.pose.position.x: expected float64, found string 'a'" */
export function describeMisfit(m: Misfit): string {
  const path = m.path.reverse().join('').replace(/^\./, '');
  const where = path === '' ? '' : `${path}: `;
  if (m.found === undefined) return `${where}missing (expected ${m.expected})`;
  return `${where}expected ${m.expected}, found ${describeValue(m.found)}`;
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string')
    return `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v).replace(/^"|"$/g, "'")}`;
  if (typeof v === 'number' || typeof v === 'boolean') return `${typeof v} ${String(v)}`;
  if (typeof v === 'bigint') return `bigint ${v}n`;
  if (ArrayBuffer.isView(v))
    return `${v.constructor.name}(${(v as unknown as ArrayLike<unknown>).length ?? v.byteLength})`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') return 'an object';
  return typeof v;
}
