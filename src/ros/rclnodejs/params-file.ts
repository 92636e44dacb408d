/**
 * ROS 2 parameter files, the YAML a launch file hands a node (`--params-file`):
 *
 *   navigator:
 *     ros__parameters:
 *       timeout: 300.0
 *       obstacle_layer: { max_range: 3.0 }   # nested maps are dotted names: obstacle_layer.max_range
 *   /**:
 *     ros__parameters:
 *       use_sim_time: true                    # every node
 *
 * read into per-node overrides for either graph. Values are typed as rcl's parser types them
 * (YAML 1.1 scalars: `5` an integer, `5.0` a double, `yes`/`on` booleans); keys stay the text
 * written. Every refusal names the file, the line and the parameter's path.
 */
import { readFile } from 'node:fs/promises';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node, type Pair } from 'yaml';
import type { ParameterValue } from './ros.js';

export type Overrides = Record<string, ParameterValue>;

export interface ParamsFile {
  /** Parameters by node name. */
  nodes: Record<string, Overrides>;
  /** `/**`: parameters of every node (a node's own entry wins). */
  wildcard: Overrides;
  /** Where each parameter was given: where[nodeKey][parameter] = 'file:line' (nodeKey '/**' for every node). */
  where: Record<string, Record<string, string>>;
}

export class ParamsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParamsFileError';
  }
}

export const WILDCARD = '/**';
const NODE_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Reads and parses `file`; a file that cannot be read is a ParamsFileError naming it. */
export async function readParamsFile(file: string): Promise<ParamsFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new ParamsFileError(
      `${file}: cannot read it (${code === 'ENOENT' ? 'no such file' : String(code)})`,
    );
  }
  return parseParamsFile(text, file);
}

export function parseParamsFile(text: string, file: string): ParamsFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { version: '1.1', intAsBigInt: true, lineCounter: lines });
  const at = (node: { range?: [number, number, number] | null } | null | undefined) =>
    `${file}:${node?.range ? lines.linePos(node.range[0]).line : 1}`;
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0].line ?? 1;
    throw new ParamsFileError(`${file}:${line}: not YAML: ${first.message.split('\n')[0]}`);
  }
  const out: ParamsFile = { nodes: {}, wildcard: {}, where: {} };
  if (!isMap(doc.contents)) {
    throw new ParamsFileError(
      `${at(doc.contents)}: expected node names at the top (navigator: { ros__parameters: … })`,
    );
  }
  for (const pair of doc.contents.items) readNode(pair, out, at);
  return out;
}

type At = (node: { range?: [number, number, number] | null } | null | undefined) => string;

function keyText(pair: Pair): string {
  const key = pair.key as Node | null;
  return isScalar(key) ? String(key.source ?? key.value) : String(key);
}

/** One top-level entry: `name:`, `/name:`, `/**:` or `/**\/name:`, holding ros__parameters. */
function readNode(pair: Pair, out: ParamsFile, at: At): void {
  const key = keyText(pair);
  const where = at(pair.key as Node);
  const nodeKey = key === WILDCARD ? WILDCARD : key.replace(/^\/(\*\*\/)?/, '');
  if (nodeKey !== WILDCARD && !NODE_NAME.test(nodeKey)) {
    throw new ParamsFileError(
      `${where}: '${key}': expected a node's name (navigator) or '/**' for every node; the robot's nodes are all in the root namespace, so namespaces and other wildcards are not used`,
    );
  }
  const value = pair.value as Node | null;
  const only = isMap(value) && value.items.length === 1 ? value.items[0]! : undefined;
  if (!only || keyText(only) !== 'ros__parameters') {
    const valueAt = value?.range ? at(value) : where;
    throw new ParamsFileError(`${valueAt}: ${key}: expected exactly one key, ros__parameters, under it`);
  }
  const target = nodeKey === WILDCARD ? out.wildcard : (out.nodes[nodeKey] ??= {});
  const places = (out.where[nodeKey] ??= {});
  readParameters(only.value as Node | null, `${key}.ros__parameters`, '', { target, places, at });
}

interface Sink {
  target: Overrides;
  places: Record<string, string>;
  at: At;
}

/** A map of parameters; nested maps give dotted names, as rcl's parser does. */
function readParameters(node: Node | null, path: string, prefix: string, sink: Sink): void {
  if (node === null || (isScalar(node) && node.value === null)) return; // `ros__parameters:` with nothing under it
  if (!isMap(node)) throw new ParamsFileError(`${sink.at(node)}: ${path}: expected parameters (name: value)`);
  for (const pair of node.items) {
    const name = `${prefix}${keyText(pair)}`;
    const value = pair.value as Node | null;
    const where = sink.at(pair.key as Node);
    if (isMap(value)) {
      readParameters(value, `${path}.${keyText(pair)}`, `${name}.`, sink);
      continue;
    }
    sink.target[name] = parameterValue(value, `${where}: ${path}.${keyText(pair)}`);
    sink.places[name] = where;
  }
}

/** A scalar or a sequence of scalars of one type, as a ParameterValue (bigint: an integer). */
function parameterValue(node: Node | null, where: string): ParameterValue {
  if (isSeq(node)) return arrayValue(node.items as Node[], where);
  const v = isScalar(node) ? node.value : undefined;
  if (typeof v === 'boolean' || typeof v === 'bigint' || typeof v === 'number' || typeof v === 'string')
    return v;
  throw new ParamsFileError(
    `${where}: expected a value (true, 3, 0.5, "text" or a list of one of these), got ${v === null ? 'nothing' : String(node)}`,
  );
}

function arrayValue(items: Node[], where: string): ParameterValue {
  if (items.length === 0)
    throw new ParamsFileError(`${where}: an empty list has no type; give at least one value`);
  const values = items.map((item, i) => {
    const v = isScalar(item) ? item.value : undefined;
    if (typeof v === 'boolean' || typeof v === 'bigint' || typeof v === 'number' || typeof v === 'string')
      return v;
    throw new ParamsFileError(`${where}[${i}]: expected a value, got ${String(item)}`);
  });
  const kind = typeof values[0];
  const other = values.findIndex((v) => typeof v !== kind);
  if (other >= 0) {
    throw new ParamsFileError(
      `${where}[${other}]: a list holds one type (${describe(values[0]!)} first, then ${describe(values[other]!)}); write doubles as 1.0`,
    );
  }
  return values as ParameterValue;
}

function describe(v: boolean | bigint | number | string): string {
  if (typeof v === 'bigint') return `the integer ${v}`;
  if (typeof v === 'number') return `the double ${v}`;
  return typeof v === 'boolean' ? `the boolean ${v}` : `the string '${v}'`;
}

/** Several files as one, later ones winning parameter by parameter (as repeated --params-file in ROS 2). */
export function mergeParamsFiles(files: readonly ParamsFile[]): ParamsFile {
  const out: ParamsFile = { nodes: {}, wildcard: {}, where: {} };
  for (const f of files) {
    Object.assign(out.wildcard, f.wildcard);
    for (const [node, params] of Object.entries(f.nodes)) Object.assign((out.nodes[node] ??= {}), params);
    for (const [node, places] of Object.entries(f.where)) Object.assign((out.where[node] ??= {}), places);
  }
  return out;
}
