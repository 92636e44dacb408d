/**
 * Scoring the matcher on the evaluation set: whether each answer is the right one, whether it is
 * in the right language, and whether it sent the customer to a desk that is not right ("wrong
 * desk"), then the rates per split and category.
 */
import type { MatchResult } from '../../src/interaction/index.js';
import {
  CATEGORIES,
  SPLITS,
  type Category,
  type Expectation,
  type RequestRow,
  type Split,
} from './requests-tsv.js';

export interface Verdict {
  row: RequestRow;
  result: MatchResult;
  /** Top-1 right. */
  right: boolean;
  /** Answered in the row's language. */
  languageRight: boolean;
  /** A `match` to a desk the row does not expect. */
  wrongDesk: boolean;
}

/** Judges one answer against its row. */
export function judge(row: RequestRow, result: MatchResult): Verdict {
  const matched = result.kind === 'match' ? result.destinationId : undefined;
  const expected = row.expect.kind === 'desk' || row.expect.kind === 'ask' ? row.expect.ids : [];
  return {
    row,
    result,
    right: isRight(row.expect, result),
    languageRight: result.language === row.language,
    wrongDesk: matched !== undefined && !expected.includes(matched),
  };
}

function isRight(expect: Expectation, result: MatchResult): boolean {
  switch (expect.kind) {
    case 'desk':
      if (result.kind === 'match') return expect.ids.includes(result.destinationId);
      // Asking back between desks that are all right still gets the customer to a right one.
      return (
        result.kind === 'ambiguous' &&
        expect.ids.length > 1 &&
        result.candidates.every((id) => expect.ids.includes(id))
      );
    case 'ask':
      return (
        result.kind === 'ambiguous' &&
        result.candidates.length === expect.ids.length &&
        expect.ids.every((id) => result.candidates.includes(id))
      );
    case 'elsewhere':
      return result.kind === 'elsewhere';
    case 'none':
      return result.kind === 'none';
  }
}

export interface Tally {
  n: number;
  right: number;
  languageRight: number;
  wrongDesks: number;
}

export function tally(verdicts: readonly Verdict[]): Tally {
  return {
    n: verdicts.length,
    right: verdicts.filter((v) => v.right).length,
    languageRight: verdicts.filter((v) => v.languageRight).length,
    wrongDesks: verdicts.filter((v) => v.wrongDesk).length,
  };
}

/** right / n, 1 for no rows (nothing was got wrong). */
export function rate(count: number, n: number): number {
  return n === 0 ? 1 : count / n;
}

export function select(
  verdicts: readonly Verdict[],
  split: Split,
  categories: readonly Category[],
): Verdict[] {
  return verdicts.filter((v) => v.row.split === split && categories.includes(v.row.category));
}

/** A compact table: one line per split and category, then the floors' groups. */
export function formatTable(verdicts: readonly Verdict[]): string {
  const lines = ['split    category            n   top-1  language  wrong desks'];
  const line = (split: Split, label: string, t: Tally) =>
    `${split.padEnd(8)} ${label.padEnd(16)} ${String(t.n).padStart(4)}  ${pct(t.right, t.n)}  ${pct(
      t.languageRight,
      t.n,
    ).padStart(8)}  ${String(t.wrongDesks).padStart(11)}`;
  for (const split of SPLITS) {
    for (const category of CATEGORIES)
      lines.push(line(split, category, tally(select(verdicts, split, [category]))));
    lines.push(line(split, 'name+alias', tally(select(verdicts, split, ['name', 'alias']))));
    lines.push(line(split, 'elsewhere+nons.', tally(select(verdicts, split, ['elsewhere', 'nonsense']))));
    lines.push(line(split, 'all', tally(select(verdicts, split, CATEGORIES))));
  }
  return lines.join('\n');
}

function pct(count: number, n: number): string {
  return `${(100 * rate(count, n)).toFixed(1).padStart(5)}%`;
}

/** What the matcher answered, for a failing row: the kind, the desk(s), and the catalogue's why. */
export function describeResult(result: MatchResult): string {
  switch (result.kind) {
    case 'match':
      return `match ${result.destinationId} (${result.language}) by ${result.why.source} '${result.why.term}'`;
    case 'ambiguous':
      return `ambiguous ${result.candidates.join('|')} (${result.language})`;
    case 'elsewhere':
      return `elsewhere ${result.elsewhereId} (${result.language}) by '${result.why.term}'`;
    case 'none':
      return `none (${result.language})${result.suggestions.length > 0 ? ` suggesting ${result.suggestions.join('|')}` : ''}`;
  }
}

export function describeExpectation(expect: Expectation): string {
  switch (expect.kind) {
    case 'desk':
      return expect.ids.join('|');
    case 'ask':
      return `ask:${expect.ids.join('|')}`;
    default:
      return expect.kind;
  }
}

/** One line per failing row: split, line, text, expected, got. */
export function formatFailures(verdicts: readonly Verdict[], failed: (v: Verdict) => boolean): string {
  return verdicts
    .filter(failed)
    .map(
      (v) =>
        `  ${v.row.split} line ${v.row.line} ${JSON.stringify(shorten(v.row.text))}: expected ${describeExpectation(
          v.row.expect,
        )}, got ${describeResult(v.result)}`,
    )
    .join('\n');
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
