/**
 * The matching evaluation set (test/fixtures/requests.tsv), read strictly: a row the evaluation
 * cannot trust (a wrong column count, an unknown split, category, language or destination id, a
 * held-out row out of place, an answer that does not fit its category) is an error naming
 * `file:line` and the column, so a typo never quietly changes the numbers.
 */
import { readFileSync } from 'node:fs';
import { LANGUAGES, type Language } from '../../src/map/index.js';

export const SPLITS = ['train', 'heldout'] as const;
export type Split = (typeof SPLITS)[number];

export const CATEGORIES = ['name', 'alias', 'need', 'elsewhere', 'nonsense'] as const;
export type Category = (typeof CATEGORIES)[number];

/** Every this many data rows, one is held out (the 5th, 10th, …). */
export const HELDOUT_EVERY = 5;

/** The right answer to a request. */
export type Expectation =
  /** Any of these desks is right (a match to one, or asking back between right desks only). */
  | { kind: 'desk'; ids: string[] }
  /** The robot should ask back between exactly these two or three desks. */
  | { kind: 'ask'; ids: string[] }
  /** Not on this floor: the site's `elsewhere` answer. */
  | { kind: 'elsewhere' }
  /** Not understood. */
  | { kind: 'none' };

export interface RequestRow {
  /** Line in the file (1-based), for messages. */
  line: number;
  split: Split;
  category: Category;
  language: Language;
  text: string;
  expect: Expectation;
}

const COLUMNS = ['split', 'category', 'language', 'text', 'expect'] as const;
type Column = (typeof COLUMNS)[number];

/** One or more problems in an evaluation file, each at `file:line` and a column. */
export class RequestsTsvError extends Error {
  constructor(readonly problems: string[]) {
    super(`requests file has ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
    this.name = 'RequestsTsvError';
  }
}

/** Reads and checks `file` against the site's destination ids. Throws RequestsTsvError. */
export function loadRequestsTsv(file: string, destinationIds: ReadonlySet<string>): RequestRow[] {
  return parseRequestsTsv(readFileSync(file, 'utf8'), file, destinationIds);
}

/** Parses the text of an evaluation file; `file` names it in messages. Throws RequestsTsvError. */
export function parseRequestsTsv(
  text: string,
  file: string,
  destinationIds: ReadonlySet<string>,
): RequestRow[] {
  const problems: string[] = [];
  const rows: RequestRow[] = [];
  const lineOfText = new Map<string, number>();
  let sawHeader = false;
  let dataRows = 0;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const at = (column: Column | undefined, message: string) =>
      problems.push(`${file}:${line}${column ? ` (column ${column})` : ''}: ${message}`);
    if (raw === '' || raw.startsWith('#')) return;
    const cells = raw.split('\t');
    if (!sawHeader) {
      sawHeader = true;
      if (cells.join('\t') !== COLUMNS.join('\t'))
        at(undefined, `the header must be "${COLUMNS.join('<tab>')}", not "${cells.join('<tab>')}"`);
      return;
    }
    dataRows++;
    if (cells.length !== COLUMNS.length) {
      at(undefined, `${cells.length} column(s); a row has ${COLUMNS.length}: ${COLUMNS.join(', ')}`);
      return;
    }
    const row = readRow(cells as [string, string, string, string, string], dataRows, destinationIds, at);
    if (!row) return;
    const first = lineOfText.get(row.text);
    if (first !== undefined) at('text', `the same request as line ${first}`);
    else lineOfText.set(row.text, line);
    rows.push({ line, ...row });
  });
  if (!sawHeader) problems.push(`${file}: no header line and no rows`);
  if (problems.length > 0) throw new RequestsTsvError(problems);
  return rows;
}

type Report = (column: Column, message: string) => void;

function readRow(
  [splitCell, categoryCell, languageCell, text, expectCell]: [string, string, string, string, string],
  dataRow: number,
  destinationIds: ReadonlySet<string>,
  at: Report,
): Omit<RequestRow, 'line'> | undefined {
  const split = oneOf(SPLITS, splitCell, 'split', at);
  const category = oneOf(CATEGORIES, categoryCell, 'category', at);
  const language = oneOf(LANGUAGES, languageCell, 'language', at);
  const expect = readExpectation(expectCell, destinationIds, at);
  if (text.trim() === '') at('text', 'empty request');
  else if (text !== text.trim()) at('text', 'spaces at the start or end (invisible in the file)');
  const heldout: Split = dataRow % HELDOUT_EVERY === 0 ? 'heldout' : 'train';
  if (split && split !== heldout)
    at('split', `data row ${dataRow} must be '${heldout}' (every ${HELDOUT_EVERY}th data row is held out)`);
  if (category && expect) checkFits(category, expect, at);
  if (!split || !category || !language || !expect || text.trim() === '') return undefined;
  return { split, category, language, text, expect };
}

function oneOf<T extends string>(
  allowed: readonly T[],
  cell: string,
  column: Column,
  at: Report,
): T | undefined {
  if ((allowed as readonly string[]).includes(cell)) return cell as T;
  at(column, `'${cell}' is not one of ${allowed.join(', ')}`);
  return undefined;
}

function readExpectation(
  cell: string,
  destinationIds: ReadonlySet<string>,
  at: Report,
): Expectation | undefined {
  if (cell === 'elsewhere' || cell === 'none') return { kind: cell };
  const ask = cell.startsWith('ask:');
  const ids = (ask ? cell.slice('ask:'.length) : cell).split('|');
  const unknown = ids.filter((id) => !destinationIds.has(id));
  if (unknown.length > 0) {
    at('expect', `unknown destination id(s) ${unknown.map((id) => `'${id}'`).join(', ')}`);
    return undefined;
  }
  if (new Set(ids).size !== ids.length) {
    at('expect', `'${cell}' names a desk twice`);
    return undefined;
  }
  if (ask && (ids.length < 2 || ids.length > 3)) {
    at('expect', `'${cell}': asking back is between 2 or 3 desks`);
    return undefined;
  }
  return { kind: ask ? 'ask' : 'desk', ids };
}

/** Names and aliases name one desk; elsewhere rows expect 'elsewhere', nonsense rows 'none'. */
function checkFits(category: Category, expect: Expectation, at: Report): void {
  const wanted: Record<Category, Expectation['kind'][]> = {
    name: ['desk'],
    alias: ['desk'],
    need: ['desk', 'ask'],
    elsewhere: ['elsewhere'],
    nonsense: ['none'],
  };
  if (!wanted[category].includes(expect.kind))
    at('expect', `a ${category} row expects ${wanted[category].join(' or ')}, not ${expect.kind}`);
  else if ((category === 'name' || category === 'alias') && expect.kind === 'desk' && expect.ids.length > 1)
    at('expect', `a ${category} row names one desk`);
}
