/**
 * Reads interface files into checked definitions: every line parses (else `file:line`), every
 * field type names a definition that exists (else `file:line` of the field), no type contains
 * itself. Services and actions are split into their parts (`X_Request`/`X_Response`,
 * `X_Goal`/`X_Result`/`X_Feedback`), each a message of its own, as rosidl generates them.
 */
import { parse } from '@foxglove/rosmsg';
import { SchemaError } from './errors.js';
import { readInterfaceFiles, type InterfaceFile, type InterfaceKind } from './files.js';

export type ParsedField = ReturnType<typeof parse>[number]['definitions'][number];

/** A field or constant of a definition, its type resolved. */
export interface Field {
  name: string;
  /** A primitive ('float64', 'string', 'time', 'duration', …) or a message type 'pkg/msg/Type'. */
  type: string;
  isComplex: boolean;
  isArray: boolean;
  /** Fixed array length (`float64[36]`). */
  arrayLength?: number;
  /** Bounded array (`int32[<=5]`). */
  arrayUpperBound?: number;
  /** Bounded string (`string<=8`). */
  upperBound?: number;
  isConstant: boolean;
  value?: string | number | bigint | boolean;
  /** 1-based line in the file. */
  line: number;
}

/** One message: a .msg file, or a part of a .srv or .action file. */
export interface Definition {
  /** 'pkg/msg/Type', or 'pkg/srv/Type_Request', 'pkg/action/Type_Goal', … */
  type: string;
  pkg: string;
  /** The file it comes from, relative to the root. */
  file: string;
  /** Its text: the whole .msg file, or the lines of its part of a .srv/.action. */
  text: string;
  fields: Field[];
}

/** The services and actions, by type name, with the type names of their parts. */
export interface Composite {
  type: string;
  kind: Exclude<InterfaceKind, 'msg'>;
  file: string;
  /** [request, response] or [goal, result, feedback] type names. */
  parts: string[];
}

export interface InterfaceSet {
  /** Every message, including service and action parts, by type name. */
  definitions: Map<string, Definition>;
  services: Composite[];
  actions: Composite[];
}

const PART_NAMES = { srv: ['Request', 'Response'], action: ['Goal', 'Result', 'Feedback'] } as const;

/** Reads and checks every definition under `<root>/interfaces`. */
export function loadInterfaces(root: string): InterfaceSet {
  const definitions = new Map<string, Definition>();
  const services: Composite[] = [];
  const actions: Composite[] = [];
  for (const file of readInterfaceFiles(root)) {
    if (file.kind === 'msg') {
      definitions.set(file.type, definitionOf(file, file.type, file.text, 1));
      continue;
    }
    const composite = splitComposite(file);
    for (const part of composite.defs) definitions.set(part.type, part);
    (file.kind === 'srv' ? services : actions).push({
      type: file.type,
      kind: file.kind,
      file: file.file,
      parts: composite.defs.map((d) => d.type),
    });
  }
  for (const def of definitions.values()) resolveFieldTypes(def, definitions);
  rejectCycles(definitions);
  return { definitions, services, actions };
}

/** Parses one definition's lines; `firstLine` is the line of its first line in the file. */
export function definitionOf(file: InterfaceFile, type: string, text: string, firstLine: number): Definition {
  const fields: Field[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const at = `${file.file}:${firstLine + i}`;
    if (line.startsWith('==') || line.startsWith('MSG:')) {
      throw new SchemaError('BAD_DEFINITION', `${at}: '${line}' is a separator of concatenated definitions`);
    }
    fields.push(...parseLine(line, at).map((f) => asField(f, firstLine + i)));
  }
  return { type, pkg: file.pkg, file: file.file, text, fields };
}

function parseLine(line: string, at: string): ParsedField[] {
  try {
    const parsed = parse(line, { ros2: true, skipTypeFixup: true });
    return parsed[0]?.definitions ?? [];
  } catch (err) {
    throw new SchemaError('BAD_DEFINITION', `${at}: ${(err as Error).message}`, { cause: err });
  }
}

function asField(f: ParsedField, line: number): Field {
  const field: Field = {
    name: f.name,
    type: f.type,
    isComplex: f.isComplex === true,
    isArray: f.isArray === true,
    isConstant: f.isConstant === true,
    line,
  };
  if (f.arrayLength !== undefined) field.arrayLength = f.arrayLength;
  if (f.arrayUpperBound !== undefined) field.arrayUpperBound = f.arrayUpperBound;
  if (f.upperBound !== undefined) field.upperBound = f.upperBound;
  if (f.value !== undefined) field.value = f.value;
  return field;
}

/** Splits a .srv or .action at its '---' lines into its parts. */
function splitComposite(file: InterfaceFile): { defs: Definition[] } {
  const names = PART_NAMES[file.kind as 'srv' | 'action'];
  const lines = file.text.split('\n');
  const starts = [0];
  lines.forEach((l, i) => {
    if (l.trim() === '---') starts.push(i + 1);
  });
  if (starts.length !== names.length) {
    throw new SchemaError(
      'BAD_DEFINITION',
      `${file.file}:1: a .${file.kind} has ${names.length} parts separated by '---' lines, found ${starts.length}`,
    );
  }
  const defs = names.map((suffix, k) => {
    const end = k + 1 < starts.length ? starts[k + 1]! - 1 : lines.length;
    const partLines = lines.slice(starts[k], end);
    const text = partLines.join('\n').replace(/\n*$/, '\n');
    return definitionOf(file, `${file.type}_${suffix}`, text, starts[k]! + 1);
  });
  return { defs };
}

/**
 * Resolves complex field types to 'pkg/msg/Type' as rosidl does: a bare name is of the same
 * package; 'pkg/Type' and 'pkg/msg/Type' are the same type.
 */
function resolveFieldTypes(def: Definition, all: Map<string, Definition>): void {
  for (const field of def.fields) {
    if (!field.isComplex || field.isConstant) continue;
    const parts = field.type.split('/');
    const resolved =
      parts.length === 1
        ? `${def.pkg}/msg/${parts[0]}`
        : parts.length === 2
          ? `${parts[0]}/msg/${parts[1]}`
          : field.type;
    if (!all.has(resolved) || resolved.split('/')[1] !== 'msg') {
      throw new SchemaError(
        'BAD_DEFINITION',
        `${def.file}:${field.line}: field '${field.name}' has type '${field.type}' (${resolved}), which no .msg file under interfaces/ defines`,
      );
    }
    field.type = resolved;
  }
}

/** A message that contains itself, directly or not, has no finite CDR form. */
function rejectCycles(all: Map<string, Definition>): void {
  const done = new Set<string>();
  const visit = (type: string, trail: string[]): void => {
    if (done.has(type)) return;
    if (trail.includes(type)) {
      const def = all.get(trail[trail.length - 1]!)!;
      const field = def.fields.find((f) => f.type === type)!;
      throw new SchemaError(
        'BAD_DEFINITION',
        `${def.file}:${field.line}: ${[...trail.slice(trail.indexOf(type)), type].join(' → ')} contains itself`,
      );
    }
    for (const f of all.get(type)!.fields) if (f.isComplex && !f.isConstant) visit(f.type, [...trail, type]);
    done.add(type);
  };
  for (const type of all.keys()) visit(type, []);
}
