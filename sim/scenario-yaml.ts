/**
 * The YAML side of reading a scenario: values with their `file:line` and field path, aliases
 * resolved to what they name (found in one pass, never by searching the document again), values
 * described as the user wrote them (`*a`, `1e309`, an excerpt of a long string), and problems
 * collected rather than thrown, so a file reports all of them at once (up to a cap).
 *
 * Bounded by construction: duplicate keys are found with a set per mapping (the yaml library's
 * own check is quadratic: 80,000 keys took 88 s), a list is measured against its limit before
 * its items are read, and reading stops once the cap of problems is reached.
 */
import type { LineCounter } from 'yaml';
import {
  isAlias,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Alias,
  type Document,
  type Node,
} from 'yaml';
import { LIMITS, excerpt, parseBoundedYaml, type LimitName } from '../src/input/index.js';
import type { Problem } from './errors.js';

export type FieldPath = ReadonlyArray<string | number>;

/** A value as written: its node (an alias stays an alias), field path and `file:line`. */
export interface Value {
  readonly node: unknown;
  readonly path: FieldPath;
  readonly where: string;
}

/** At most this many problems are listed; a file with more is cut short with a note. */
export const MAX_PROBLEMS = 50;

/** Thrown inside the reader once the cap is reached; `read` turns it into the note. */
class ProblemCap extends Error {}

export interface NumberRule {
  min?: number;
  max?: number;
  integer?: boolean;
  /** The upper bound is this limit of docs/limits.md (named in the message). */
  limit?: LimitName;
}

export interface StringRule {
  /** Allowed values, and how to list them in a message. */
  oneOf?: readonly string[];
  oneOfText?: string;
  /** At most this many characters (a limit of docs/limits.md). */
  maxChars?: LimitName;
}

export class ScenarioYaml {
  readonly problems: Problem[] = [];
  readonly #aliases: Map<Alias, Node | undefined>;
  readonly #unresolved: Alias[] = [];

  private constructor(
    readonly file: string,
    private readonly text: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {
    this.#aliases = aliasTargets(doc, (alias) => this.#unresolved.push(alias));
  }

  /**
   * Parses `text`; a syntax error (the first, with a count of the rest: later ones are usually
   * its echoes) is returned as the only problem.
   */
  static parse(text: string, file: string): ScenarioYaml | Problem {
    const parsed = parseBoundedYaml(text, file);
    if ('kind' in parsed) return { where: parsed.where, what: parsed.what };
    const { doc, lines } = parsed;
    return new ScenarioYaml(file, text, doc, lines);
  }

  /**
   * Runs `body` over the document and returns every problem it found (problems of aliases
   * included); stops at MAX_PROBLEMS with a note saying so.
   */
  read<T>(body: (root: Value) => T): { value: T | undefined; problems: Problem[] } {
    let value: T | undefined;
    try {
      for (const alias of this.#unresolved) {
        const name = excerpt(alias.source);
        this.problems.push({
          where: this.valueAt(alias, []).where,
          what: `*${name}: no anchor &${name} before it`,
        });
        if (this.problems.length >= MAX_PROBLEMS) throw new ProblemCap();
      }
      value = body(this.valueAt(this.doc.contents, []));
    } catch (e) {
      if (!(e instanceof ProblemCap)) throw e;
    }
    // In the order of the file, as a person fixes them.
    const line = (p: Problem) => Number(/:(\d+)$/.exec(p.where)?.[1] ?? 0);
    this.problems.sort((a, b) => line(a) - line(b));
    if (this.problems.length >= MAX_PROBLEMS) {
      this.problems.push({
        where: this.file,
        what: `stopped after ${MAX_PROBLEMS} problems; fix these and run it again`,
      });
    }
    return { value, problems: this.problems };
  }

  problem(v: Value, what: string): undefined {
    if (this.problems.length >= MAX_PROBLEMS) throw new ProblemCap();
    this.problems.push({ where: v.where, what: `${pathText(v.path)}: ${what}` });
    if (this.problems.length >= MAX_PROBLEMS) throw new ProblemCap();
    return undefined;
  }

  /**
   * A mapping's fields by key. Unknown keys (a typo must not silently drop an expectation),
   * duplicates and missing required keys are problems; the known fields are returned even then.
   */
  mapping(
    v: Value,
    allowed: readonly string[],
    required: readonly string[] = [],
  ): Map<string, Value> | undefined {
    const n = this.resolve(v.node);
    if (!isMap(n)) {
      return this.problem(v, `expected a mapping with ${allowed.join(', ')}, found ${this.describe(v.node)}`);
    }
    const fields = new Map<string, Value>();
    const here = this.valueAt(n, v.path, v.where);
    for (const pair of n.items) {
      const keyNode = this.resolve(pair.key);
      const key = isScalar(keyNode) && keyNode.value !== null ? String(keyNode.value) : undefined;
      if (key === undefined) {
        this.problem(here, `expected plain keys (${allowed.join(', ')}), found ${this.describe(pair.key)}`);
        continue;
      }
      const keyValue = this.valueAt(pair.key, [...v.path, key], here.where);
      if (!allowed.includes(key)) {
        this.problem(keyValue, `unknown field (expected one of ${allowed.join(', ')})`);
        continue;
      }
      if (fields.has(key)) {
        this.problem(keyValue, `given twice (first at ${fields.get(key)!.where})`);
        continue;
      }
      // A field without a value (`at:`) sits on its key's line.
      fields.set(key, this.valueAt(pair.value, [...v.path, key], keyValue.where));
    }
    for (const key of required) {
      if (!fields.has(key)) this.problem({ ...here, path: [...v.path, key] }, 'required field missing');
    }
    return fields;
  }

  /** A list's items, refused before any is read when there are more than `limit` allows. */
  list(v: Value, limit?: LimitName): Value[] | undefined {
    const n = this.resolve(v.node);
    if (!isSeq(n)) return this.problem(v, `expected a list, found ${this.describe(v.node)}`);
    if (limit && n.items.length > LIMITS[limit].value) {
      return this.problem(v, `${n.items.length} items; ${limitText(limit)}`);
    }
    return n.items.map((item, i) => this.valueAt(item, [...v.path, i], v.where));
  }

  number(v: Value, rule: NumberRule = {}): number | undefined {
    const n = this.resolve(v.node);
    const expected = rule.integer ? 'a whole number' : 'a number';
    if (!isScalar(n) || typeof n.value !== 'number') {
      return this.problem(v, `expected ${expected}, found ${this.describe(v.node)}`);
    }
    const x = n.value;
    if (!Number.isFinite(x))
      return this.problem(v, `expected a finite number, found ${this.describe(v.node)}`);
    if (rule.integer && !Number.isInteger(x))
      return this.problem(v, `expected ${expected}, found ${this.describe(v.node)}`);
    if (rule.min !== undefined && x < rule.min)
      return this.problem(v, `expected ≥ ${rule.min}, found ${this.describe(v.node)}`);
    const max = rule.limit ? LIMITS[rule.limit].value : rule.max;
    if (max !== undefined && x > max) {
      const l = rule.limit && LIMITS[rule.limit];
      const why = l ? ` ${l.unit} (${rule.limit}: the limit for ${l.what}, docs/limits.md)` : '';
      return this.problem(v, `expected ≤ ${max}${why}, found ${this.describe(v.node)}`);
    }
    return x;
  }

  /** A string (a plain number is taken as its text: `ask: 112`). */
  string(v: Value, rule: StringRule = {}): string | undefined {
    const n = this.resolve(v.node);
    if (!isScalar(n) || (typeof n.value !== 'string' && typeof n.value !== 'number')) {
      return this.problem(v, `expected a string, found ${this.describe(v.node)}`);
    }
    const s = String(n.value);
    if (rule.maxChars && [...s].length > LIMITS[rule.maxChars].value) {
      return this.problem(v, `${[...s].length} characters, "${excerpt(s)}"; ${limitText(rule.maxChars)}`);
    }
    if (rule.oneOf && !rule.oneOf.includes(s)) {
      return this.problem(
        v,
        `expected ${rule.oneOfText ?? `one of ${rule.oneOf.join(', ')}`}, found ${this.describe(v.node)}`,
      );
    }
    return s;
  }

  /** The node an alias names (itself when not an alias); undefined when it names nothing. */
  resolve(node: unknown): unknown {
    return isAlias(node) ? this.#aliases.get(node) : node;
  }

  /** What the user wrote, for messages: an excerpt of the source (an alias as `*name`). */
  describe(node: unknown): string {
    if (node === null || node === undefined) return 'nothing';
    if (isAlias(node)) {
      const target = this.#aliases.get(node);
      return `*${excerpt(node.source)}${target === undefined ? '' : ` (${this.describe(target)})`}`;
    }
    if (isMap(node)) return 'a mapping';
    if (isSeq(node)) return 'a list';
    if (isScalar(node)) {
      if (typeof node.value === 'string') return `"${excerpt(node.value)}"`;
      const range = node.range;
      const source = range
        ? this.text.slice(range[0], Math.min(range[1], range[0] + 4 * LIMITS.excerptChars.value))
        : '';
      return source.trim() === '' ? String(node.value) : excerpt(source.trim());
    }
    return 'an unsupported YAML node';
  }

  /** A value at `path`; its place is its own line, else `fallback` (its key's or parent's). */
  valueAt(node: unknown, path: FieldPath, fallback?: string): Value {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    const where = range
      ? `${this.file}:${this.lines.linePos(range[0]).line}`
      : (fallback ?? `${this.file}:1`);
    return { node, path, where };
  }
}

/** `customers[3].expect.destination`; the whole document is `(document)`. */
export function pathText(p: FieldPath): string {
  return p.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('') || '(document)';
}

/** "the limit for <what> is N <unit> (docs/limits.md)". */
export function limitText(name: LimitName): string {
  const l = LIMITS[name];
  return `the limit for ${l.what} is ${l.value} ${l.unit} (${name}, docs/limits.md)`;
}

/**
 * Every alias of the document with the node it names: the last node anchored with its name
 * before it, as YAML says. One walk in document order with an explicit stack (a deeply nested
 * file must not overflow the call stack); an alias naming no anchor is reported.
 */
function aliasTargets(doc: Document, unresolved: (alias: Alias) => void): Map<Alias, Node | undefined> {
  const targets = new Map<Alias, Node | undefined>();
  const anchors = new Map<string, Node>();
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      targets.set(node, target);
      if (!target) unresolved(node);
      continue;
    }
    if (isPair(node)) {
      stack.push(node.value, node.key);
      continue;
    }
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (anchor) anchors.set(anchor, node as Node);
    if (isCollection(node)) for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
  }
  return targets;
}
