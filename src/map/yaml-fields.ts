/**
 * Reads typed fields out of a YAML document while remembering where each came from, so that
 * every complaint names `file:line` and the field path. Problems are collected, not thrown: the
 * same pass serves a loader and a checker, and reports every problem it can reach. A reader
 * returns `undefined` for a field it rejected, so later checks skip it instead of cascading.
 *
 * Hostile input stays bounded: aliases (`*name`) are refused rather than expanded, duplicate keys
 * are found with a hash map (the yaml package's own check is quadratic: 100k keys took 70 s),
 * nesting is bounded (LIMITS.yamlDepth) before the recursive part of the parser runs, every
 * string is at most LIMITS.nameChars and every list has a limit, and messages quote at most a
 * short excerpt with control characters shown.
 */
import { isAlias, type LineCounter, isMap, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml';

import { LIMITS, excerpt, parseBoundedYaml, type LimitName } from '../input/index.js';
import type { IssueList } from './errors.js';

export interface YamlFile {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

/** Parses YAML text within the input bounds; a problem goes to `issues`, and then undefined. */
export function parseYaml(text: string, file: string, issues: IssueList): YamlFile | undefined {
  const parsed = parseBoundedYaml(text, file);
  if ('kind' in parsed) {
    issues.error(parsed.kind === 'limit' ? 'BEYOND_LIMIT' : 'YAML_SYNTAX', parsed.where, parsed.what);
    return undefined;
  }
  return { file, ...parsed };
}

/** `max unit (name in docs/limits.md)`, for messages about a limit. */
export function limitText(name: LimitName): string {
  const limit = LIMITS[name];
  return `${limit.value} ${limit.unit} (${name} in docs/limits.md)`;
}

/**
 * Allowed values for a message: `a, b or c`, each shown as written; an empty or odd value is
 * quoted so the list still reads (never "one of , fi, sv").
 */
export function choices(values: readonly string[]): string {
  const shown = values.map((v) => (/^[\w./:-]+$/u.test(v) ? v : `"${excerpt(v)}"`));
  return shown.length <= 1 ? (shown[0] ?? 'nothing') : `${shown.slice(0, -1).join(', ')} or ${shown.at(-1)}`;
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
  /**
   * When min..max come from docs/limits.md: their names (e.g. 'mapCoordinateM') and the unit,
   * so the message names the limit and the code is BEYOND_LIMIT.
   */
  limit?: { names: string; unit: string };
}

export interface StringRule {
  nonEmpty?: boolean;
  pattern?: RegExp;
  /** Shown when the pattern does not match, e.g. 'a kebab-case id like "kela"'. */
  patternName?: string;
  /** Line breaks allowed (a description written as a block); other control characters never. */
  multiline?: boolean;
  /** What to call the expected value when it is not a string (default 'a string'). */
  expected?: string;
}

/** C0 and C1 controls (ESC included) and the Unicode line separators; tab is allowed. */
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/u;

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
      const keyNode = pair.key;
      const key = isScalar(keyNode) ? String(keyNode.value) : undefined;
      const keyWhere = this.where(keyNode, n);
      if (key === undefined) {
        const found = isAlias(keyNode) ? `${describe(keyNode)} ${ALIAS_NOTE}` : 'a complex key';
        this.issues.error(
          isAlias(keyNode) ? 'YAML_ALIAS' : 'FIELD_TYPE',
          keyWhere,
          `${path || 'top level'}: expected plain keys, found ${found}`,
        );
        continue;
      }
      const fieldPath = path ? `${path}.${excerpt(key)}` : excerpt(key);
      if (!allowed.has(key)) {
        const hint = closest(key, [...allowed]);
        this.issues.error(
          'FIELD_UNKNOWN',
          keyWhere,
          `${fieldPath}: unknown field${hint ? ` (did you mean "${hint}"?)` : ''}; expected one of ${choices([...allowed])}`,
        );
        continue;
      }
      const earlier = entries.get(key);
      if (earlier) {
        this.issues.error(
          'FIELD_DUPLICATE',
          keyWhere,
          `${fieldPath}: given twice (first at ${this.where(earlier.keyNode, n)}); expected each field once`,
        );
        continue;
      }
      entries.set(key, { keyNode, value: pair.value });
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
    if (rule.limit && rule.min !== undefined && rule.max !== undefined && (v < rule.min || v > rule.max)) {
      const expected = `${rule.min}..${rule.max} ${rule.limit.unit} (${rule.limit.names} in docs/limits.md)`;
      this.issues.error('BEYOND_LIMIT', where, `${path}: expected ${expected}, found ${describe(n)}`);
      return undefined;
    }
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
      this.typeError(n, path, rule.expected ?? 'a string', where);
      return undefined;
    }
    const v = n.value;
    const max = LIMITS.nameChars.value;
    if (v.length > max) {
      this.issues.error(
        'BEYOND_LIMIT',
        where,
        `${path}: expected at most ${limitText('nameChars')}, found ${v.length} characters: ${describe(n)}`,
      );
      return undefined;
    }
    // A block scalar (`|`, `>`) ends in a line break; only breaks inside the text count.
    const body = v.replace(/\n$/, '');
    if (CONTROL.test(body) || (!rule.multiline && body.includes('\n'))) {
      const what = rule.multiline
        ? 'text without control characters'
        : 'one line of text without control characters';
      this.issues.error('TEXT_CONTROL', where, `${path}: expected ${what}, found ${describe(n)}`);
      return undefined;
    }
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

  /** `true` or `false` as written (not 0/1, not "yes"): a flag a person sets on purpose. */
  boolean(fields: Fields, key: string): boolean | undefined {
    const entry = fields.get(key);
    if (!entry) return undefined;
    const n = this.resolve(entry.value);
    if (isScalar(n) && typeof n.value === 'boolean') return n.value;
    this.typeError(n, fields.child(key), 'true or false', this.whereEntry(entry, fields.where));
    return undefined;
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

  /** A list's item nodes; `limit` bounds its length (default siteListItems). */
  list(fields: Fields, key: string, limit: LimitName = 'siteListItems'): Array<Node | null> | undefined {
    const entry = fields.get(key);
    if (!entry) return undefined;
    return this.listAt(entry.value, fields.child(key), this.whereEntry(entry, fields.where), limit);
  }

  listAt(
    node: Node | null,
    path: string,
    fallbackWhere?: string,
    limit: LimitName = 'siteListItems',
  ): Array<Node | null> | undefined {
    const n = this.resolve(node);
    if (!isSeq(n)) {
      this.typeError(n, path, 'a list', fallbackWhere);
      return undefined;
    }
    if (n.items.length > LIMITS[limit].value) {
      this.issues.error(
        'BEYOND_LIMIT',
        this.where(n),
        `${path}: expected at most ${limitText(limit)}, found ${n.items.length}`,
      );
      return undefined;
    }
    return n.items as Array<Node | null>;
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
    const alias = isAlias(node);
    this.issues.error(
      alias ? 'YAML_ALIAS' : 'FIELD_TYPE',
      where,
      `${path || 'top level'}: expected ${expected}, found ${describe(node)}${alias ? ` ${ALIAS_NOTE}` : ''}`,
    );
    return undefined;
  }

  /** Nodes are taken as written: an alias is never followed (see ALIAS_NOTE). */
  private resolve(node: unknown): Node | null {
    return (node as Node | null) ?? null;
  }
}

/** Why an alias is refused, said where one is found. */
const ALIAS_NOTE = '(YAML aliases are not allowed in site files; write the value out)';

/** How a value looks in an error message: strings quoted (an excerpt), numbers bare, structures named. */
export function describe(node: Node | null | undefined): string {
  if (node === null || node === undefined) return 'nothing';
  if (isAlias(node)) return `the alias *${excerpt(node.source)}`;
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'nothing (null)';
    if (typeof v === 'string') return `"${excerpt(v)}"`;
    return excerpt(String(v));
  }
  return 'an unsupported YAML node';
}

/** The allowed key closest to a typo, when it is close enough to be a likely meaning. */
function closest(key: string, allowed: string[]): string | undefined {
  // A key far longer than any field name is no typo (and would cost its length per candidate).
  if (key.length > 64) return undefined;
  let best: string | undefined;
  // One edit in a short key (two-letter keys differ in two from each other), more in longer ones.
  let bestDist = Math.max(1, Math.floor(key.length / 3)) + 1;
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
