/**
 * Reads typed fields out of a YAML document while remembering where each came from, so that
 * every complaint names `file:line` and the field path. Problems are collected, not thrown: the
 * same pass serves a loader (throw the first) and a checker (print them all). A reader returns
 * `undefined` for a field it rejected, so later checks skip it instead of cascading.
 */
import {
  LineCounter,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type Node,
  type Pair,
} from 'yaml';
import type { IssueList } from './errors.js';

export interface YamlFile {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

/** Parses YAML text; syntax errors (duplicate keys included) go to `issues`, undefined if any. */
export function parseYaml(text: string, file: string, issues: IssueList): YamlFile | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const [first, ...more] = doc.errors;
  if (first) {
    // Later syntax errors are usually echoes of the first; one clear message beats seven.
    const { line } = lines.linePos(first.pos[0]);
    const rest = more.length > 0 ? ` (and ${more.length} more syntax errors after it)` : '';
    issues.error('YAML_SYNTAX', `${file}:${line}`, `YAML syntax: ${firstLine(first.message)}${rest}`);
    return undefined;
  }
  return { file, doc, lines };
}

function firstLine(s: string): string {
  const nl = s.indexOf('\n');
  return nl < 0 ? s : s.slice(0, nl);
}

/** One key of a mapping as written: its key node (for the line) and its value (maybe null). */
export interface FieldEntry {
  keyNode: Node | null;
  value: Node | null;
}

/** The fields of one YAML mapping, by key, with the place of the mapping itself. */
export class Fields {
  constructor(
    readonly path: string,
    readonly where: string,
    private readonly entries: Map<string, FieldEntry>,
  ) {}

  has(key: string): boolean {
    return this.entries.has(key);
  }
  get(key: string): FieldEntry | undefined {
    return this.entries.get(key);
  }
  /** Field path of a child, e.g. `destinations[3].pose` + `x`. */
  child(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }
}

export interface NumberRule {
  min?: number;
  max?: number;
  /** Exclusive lower bound. */
  above?: number;
  integer?: boolean;
}

export interface StringRule {
  nonEmpty?: boolean;
  pattern?: RegExp;
  /** Shown when the pattern does not match, e.g. 'a kebab-case id like "kela"'. */
  patternName?: string;
}

/** Typed access to one parsed YAML file. */
export class FieldReader {
  constructor(
    private readonly src: YamlFile,
    private readonly issues: IssueList,
  ) {}

  get file(): string {
    return this.src.file;
  }
  get root(): Node | null {
    return this.resolve(this.src.doc.contents as Node | null);
  }

  /** `file:line` of a node (its first character), or of the fallback when the node is absent. */
  where(node: Node | null | undefined, fallback?: Node | null): string {
    const n = node?.range ? node : fallback?.range ? fallback : undefined;
    if (!n?.range) return `${this.src.file}:1`;
    return `${this.src.file}:${this.src.lines.linePos(n.range[0]).line}`;
  }

  /** `file:line` of a field's value, or of its key when the value is empty. */
  whereEntry(entry: FieldEntry | undefined, fallback: string): string {
    if (!entry) return fallback;
    return this.where(entry.value, entry.keyNode);
  }

  /**
   * A mapping with exactly the allowed keys. Missing required keys and unknown keys (typos) are
   * reported; the known fields are returned even then, so the rest can still be checked.
   */
  object(
    node: Node | null,
    path: string,
    keys: { required: readonly string[]; optional?: readonly string[] },
    parentWhere?: string,
  ): Fields | undefined {
    const n = this.resolve(node);
    if (!isMap(n)) {
      this.typeError(n, path, 'a mapping', parentWhere);
      return undefined;
    }
    const where = this.where(n);
    const allowed = new Set([...keys.required, ...(keys.optional ?? [])]);
    const entries = new Map<string, FieldEntry>();
    for (const pair of n.items as Pair<Node | null, Node | null>[]) {
      const keyNode = this.resolve(pair.key);
      const key = isScalar(keyNode) ? String(keyNode.value) : undefined;
      const keyWhere = this.where(keyNode, n);
      if (key === undefined) {
        this.issues.error(
          'FIELD_TYPE',
          keyWhere,
          `${path || 'top level'}: expected plain keys, found a complex key`,
        );
        continue;
      }
      if (!allowed.has(key)) {
        const fieldPath = path ? `${path}.${key}` : key;
        const hint = closest(key, [...allowed]);
        this.issues.error(
          'FIELD_UNKNOWN',
          keyWhere,
          `${fieldPath}: unknown field${hint ? ` (did you mean "${hint}"?)` : ''}; expected one of ${[...allowed].join(', ')}`,
        );
        continue;
      }
      entries.set(key, { keyNode, value: this.resolve(pair.value) });
    }
    const fields = new Fields(path, where, entries);
    for (const key of keys.required) {
      if (!entries.has(key)) {
        this.issues.error('FIELD_MISSING', where, `${fields.child(key)}: required field missing`);
      }
    }
    return fields;
  }

  /**
   * A nested field read by `read` (its value node, field path and `file:line`), or undefined when
   * the field is absent (already reported if required).
   */
  sub<T>(
    fields: Fields,
    key: string,
    read: (node: Node | null, path: string, where: string) => T,
  ): T | undefined {
    const entry = fields.get(key);
    if (!entry) return undefined;
    return read(entry.value, fields.child(key), this.whereEntry(entry, fields.where));
  }

  /** The value node of a field, or undefined when absent (already reported if required). */
  field(fields: Fields, key: string): Node | null | undefined {
    return fields.get(key)?.value;
  }

  number(fields: Fields, key: string, rule: NumberRule = {}): number | undefined {
    const entry = fields.get(key);
    if (!entry) return undefined;
    return this.numberAt(entry.value, fields.child(key), rule, this.whereEntry(entry, fields.where));
  }

  numberAt(node: Node | null, path: string, rule: NumberRule, fallbackWhere?: string): number | undefined {
    const n = this.resolve(node);
    const where = n?.range ? this.where(n) : (fallbackWhere ?? this.where(n));
    if (!isScalar(n) || typeof n.value !== 'number') {
      this.typeError(n, path, rule.integer ? 'an integer' : 'a number', where);
      return undefined;
    }
    const v = n.value;
    if (!Number.isFinite(v)) return this.valueError(where, path, 'a finite number', describe(n));
    if (rule.integer && !Number.isInteger(v)) return this.valueError(where, path, 'an integer', describe(n));
    if (rule.min !== undefined && v < rule.min)
      return this.valueError(where, path, `≥ ${rule.min}`, describe(n));
    if (rule.max !== undefined && v > rule.max)
      return this.valueError(where, path, `≤ ${rule.max}`, describe(n));
    if (rule.above !== undefined && v <= rule.above) {
      return this.valueError(where, path, `> ${rule.above}`, describe(n));
    }
    return v;
  }

  string(fields: Fields, key: string, rule: StringRule = {}): string | undefined {
    const entry = fields.get(key);
    if (!entry) return undefined;
    return this.stringAt(entry.value, fields.child(key), rule, this.whereEntry(entry, fields.where));
  }

  stringAt(node: Node | null, path: string, rule: StringRule, fallbackWhere?: string): string | undefined {
    const n = this.resolve(node);
    const where = n?.range ? this.where(n) : (fallbackWhere ?? this.where(n));
    if (!isScalar(n) || typeof n.value !== 'string') {
      this.typeError(n, path, 'a string', where);
      return undefined;
    }
    const v = n.value;
    if (rule.nonEmpty && v.trim() === '') return this.valueError(where, path, 'a non-empty string', '""');
    if (rule.pattern && !rule.pattern.test(v)) {
      return this.valueError(
        where,
        path,
        rule.patternName ?? `a string matching ${rule.pattern}`,
        describe(n),
      );
    }
    return v;
  }

  boolOrInt(fields: Fields, key: string): boolean | undefined {
    const entry = fields.get(key);
    if (!entry) return undefined;
    const n = this.resolve(entry.value);
    const path = fields.child(key);
    const where = this.whereEntry(entry, fields.where);
    if (isScalar(n) && typeof n.value === 'boolean') return n.value;
    if (isScalar(n) && (n.value === 0 || n.value === 1)) return n.value === 1;
    this.typeError(n, path, '0, 1, true or false', where);
    return undefined;
  }

  /** A list's item nodes. */
  list(fields: Fields, key: string): Array<Node | null> | undefined {
    const entry = fields.get(key);
    if (!entry) return undefined;
    return this.listAt(entry.value, fields.child(key), this.whereEntry(entry, fields.where));
  }

  listAt(node: Node | null, path: string, fallbackWhere?: string): Array<Node | null> | undefined {
    const n = this.resolve(node);
    if (!isSeq(n)) {
      this.typeError(n, path, 'a list', fallbackWhere);
      return undefined;
    }
    return (n.items as Array<Node | null>).map((item) => this.resolve(item));
  }

  /** Reports a field whose value has the right type but is wrong; returns undefined. */
  valueError(where: string, path: string, expected: string, found: string): undefined {
    this.issues.error('FIELD_VALUE', where, `${path}: expected ${expected}, found ${found}`);
    return undefined;
  }

  typeError(
    node: Node | null | undefined,
    path: string,
    expected: string,
    fallbackWhere?: string,
  ): undefined {
    const where = node?.range ? this.where(node) : (fallbackWhere ?? this.where(node));
    this.issues.error(
      'FIELD_TYPE',
      where,
      `${path || 'top level'}: expected ${expected}, found ${describe(node)}`,
    );
    return undefined;
  }

  private resolve(node: unknown): Node | null {
    if (isAlias(node)) return (node.resolve(this.src.doc) as Node | undefined) ?? null;
    return (node as Node | null) ?? null;
  }
}

/** How a value looks in an error message: strings quoted, numbers bare, structures named. */
export function describe(node: Node | null | undefined): string {
  if (node === null || node === undefined) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'nothing (null)';
    if (typeof v === 'string') return JSON.stringify(v);
    return String(v);
  }
  return 'an unsupported YAML node';
}

/** The allowed key closest to a typo, when it is close enough to be a likely meaning. */
function closest(key: string, allowed: string[]): string | undefined {
  let best: string | undefined;
  let bestDist = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const candidate of allowed) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDist) {
      best = candidate;
      bestDist = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
