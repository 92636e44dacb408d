/**
 * The matching evaluation (issue 12): every request of test/fixtures/requests.tsv through the
 * matcher built from the sample site, as a customer would say it to the robot (no language hint).
 * Floors on both the train and the held-out split: top-1 ≥ 90 % on needs, ≥ 98 % on names and
 * aliases, no wrong desk for a service that is elsewhere or for nonsense. The table of numbers is
 * printed every run; a floor that fails lists its failing rows (tune on train rows only).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMatcher, DEFAULT_PLACE_WORDS, type MatchResult } from '../src/interaction/index.js';
import { loadSite, type Site } from '../src/map/index.js';
import {
  formatFailures,
  formatTable,
  judge,
  rate,
  select,
  tally,
  type Verdict,
} from './support/matching-score.js';
import {
  SPLITS,
  loadRequestsTsv,
  parseRequestsTsv,
  RequestsTsvError,
  type Category,
  type RequestRow,
} from './support/requests-tsv.js';

const SITE_DIR = fileURLToPath(new URL('../maps/iso-omena', import.meta.url));
const REQUESTS = fileURLToPath(new URL('fixtures/requests.tsv', import.meta.url));

const NEEDS_FLOOR = 0.9;
const NAMES_FLOOR = 0.98;

describe('matching evaluation on test/fixtures/requests.tsv', () => {
  let site: Site;
  let verdicts: Verdict[] = [];

  beforeAll(async () => {
    site = await loadSite(SITE_DIR);
    const rows = loadRequestsTsv(REQUESTS, new Set(site.destinations.map((d) => d.id)));
    // Passed as a variable, not a literal: the same call type-checks whether or not this
    // checkout's MatcherOptions lists `elsewhere` yet (the contract says it does).
    const options = { placeWords: DEFAULT_PLACE_WORDS, elsewhere: site.elsewhere };
    const match = createMatcher(site.destinations, options);
    verdicts = rows.map((row) => judge(row, match(row.text)));
    console.log(`Matching evaluation (${rows.length} requests, no language hint):\n${formatTable(verdicts)}`);
  });

  it('holds enough requests of each kind, in every language, for every desk', () => {
    const rows = verdicts.map((v) => v.row);
    expect(rows.length).toBeGreaterThanOrEqual(260);
    expect(count(rows, (r) => r.split === 'heldout') / rows.length).toBeCloseTo(0.2, 1);
    for (const category of ['name', 'alias', 'need', 'elsewhere', 'nonsense'] as Category[])
      expect(
        count(rows, (r) => r.category === category),
        category,
      ).toBeGreaterThanOrEqual(20);
    for (const d of site.destinations) {
      const needs = rows.filter((r) => r.category === 'need' && expectsDesk(r, d.id));
      expect(needs.length, `needs for ${d.id}`).toBeGreaterThanOrEqual(8);
      expect(new Set(needs.map((r) => r.language)).size, `languages of needs for ${d.id}`).toBe(3);
      expect(
        rows.some((r) => (r.category === 'name' || r.category === 'alias') && expectsDesk(r, d.id)),
        `a name or alias for ${d.id}`,
      ).toBe(true);
    }
  });

  for (const split of SPLITS) {
    it(`${split}: top-1 on needs ≥ ${NEEDS_FLOOR * 100} %`, () => {
      expectFloor(select(verdicts, split, ['need']), NEEDS_FLOOR, `${split} needs`);
    });

    it(`${split}: no wrong desk for services elsewhere or nonsense`, () => {
      const group = select(verdicts, split, ['elsewhere', 'nonsense']);
      const wrong = tally(group).wrongDesks;
      expect(wrong, `${split}: ${wrong} wrong desk(s):\n${formatFailures(group, (v) => v.wrongDesk)}`).toBe(
        0,
      );
    });

    // Refusing or asking back is allowed; sending a customer to the wrong desk is not.
    it(`${split}: no wrong desk for needs either`, () => {
      const group = select(verdicts, split, ['need']);
      const wrong = tally(group).wrongDesks;
      expect(wrong, `${split}: ${wrong} wrong desk(s):\n${formatFailures(group, (v) => v.wrongDesk)}`).toBe(
        0,
      );
    });
  }

  // The held-out split has about a dozen name and alias rows, where one miss is 9 points: the
  // 98 % floor holds on the tuned split and on the whole set; the held-out figure is reported.
  for (const split of ['train', 'all'] as const) {
    it(`${split}: top-1 on names and aliases ≥ ${NAMES_FLOOR * 100} %`, () => {
      const group =
        split === 'all'
          ? [...SPLITS].flatMap((s) => select(verdicts, s, ['name', 'alias']))
          : select(verdicts, split, ['name', 'alias']);
      expectFloor(group, NAMES_FLOOR, `${split} names and aliases`);
    });
  }
});

describe('judging an answer', () => {
  const row = (expect: RequestRow['expect'], category: Category = 'need'): RequestRow => ({
    line: 1,
    split: 'train',
    category,
    language: 'fi',
    text: 't',
    expect,
  });
  const match = (destinationId: string): MatchResult => ({
    kind: 'match',
    destinationId,
    language: 'fi',
    score: 1,
    why: { source: 'alias', term: destinationId, language: 'fi' },
  });
  const ambiguous = (...candidates: string[]): MatchResult => ({
    kind: 'ambiguous',
    candidates,
    language: 'sv',
    why: [],
  });

  it('a desk row: a match to any listed desk, or asking between listed desks only', () => {
    const either = row({ kind: 'desk', ids: ['kela', 'employment'] });
    expect(judge(either, match('employment')).right).toBe(true);
    expect(judge(either, ambiguous('employment', 'kela')).right).toBe(true);
    expect(judge(either, ambiguous('kela', 'library')).right).toBe(false);
    expect(judge(row({ kind: 'desk', ids: ['kela'] }), ambiguous('kela', 'library')).right).toBe(false);
    expect(judge(either, match('library'))).toMatchObject({ right: false, wrongDesk: true });
  });

  it('an ask row: asking between exactly those desks, in any order; a match to one is not right', () => {
    const ask = row({ kind: 'ask', ids: ['kela', 'espoon-asunnot'] });
    expect(judge(ask, ambiguous('espoon-asunnot', 'kela')).right).toBe(true);
    expect(judge(ask, ambiguous('kela', 'espoon-asunnot', 'service-point')).right).toBe(false);
    expect(judge(ask, match('kela'))).toMatchObject({ right: false, wrongDesk: false });
  });

  it('elsewhere and nonsense rows: any match is a wrong desk; the language is judged apart', () => {
    const elsewhere = row({ kind: 'elsewhere' }, 'elsewhere');
    const there: MatchResult = {
      kind: 'elsewhere',
      elsewhereId: 'passports',
      language: 'en',
      why: { source: 'elsewhere', term: 'passport', language: 'en', serviceId: 'passports' },
    };
    expect(judge(elsewhere, there)).toMatchObject({ right: true, languageRight: false, wrongDesk: false });
    expect(judge(elsewhere, match('metro'))).toMatchObject({ right: false, wrongDesk: true });
    const nonsense = row({ kind: 'none' }, 'nonsense');
    expect(judge(nonsense, { kind: 'none', language: 'fi', suggestions: ['kela'] })).toMatchObject({
      right: true,
      languageRight: true,
    });
    expect(judge(nonsense, ambiguous('kela', 'library'))).toMatchObject({ right: false, wrongDesk: false });
  });
});

describe('reading requests.tsv strictly', () => {
  const ids = new Set(['kela', 'library', 'espoon-asunnot']);
  const HEADER = 'split\tcategory\tlanguage\ttext\texpect';
  const good = [
    'train\tname\tfi\tKela\tkela',
    'train\tneed\ten\tI cannot pay my rent\task:kela|espoon-asunnot',
    'train\tneed\tsv\tvar kan jag skriva ut\tlibrary|kela',
    'train\telsewhere\ten\tpassport\telsewhere',
    'heldout\tnonsense\tfi\tasdfgh\tnone',
  ];
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'requests-tsv-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes `lines` to a temporary file and returns the loader's error message. */
  function problemOf(lines: string[]): string {
    const file = join(dir, 'requests.tsv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    try {
      loadRequestsTsv(file, ids);
    } catch (e) {
      expect(e).toBeInstanceOf(RequestsTsvError);
      return (e as Error).message;
    }
    throw new Error('the loader accepted a malformed file');
  }

  it('reads a good file into typed rows, skipping comments and blank lines', () => {
    const rows = parseRequestsTsv(['# comment', HEADER, '', ...good].join('\r\n'), 'x.tsv', ids);
    expect(rows.map((r) => r.expect)).toEqual([
      { kind: 'desk', ids: ['kela'] },
      { kind: 'ask', ids: ['kela', 'espoon-asunnot'] },
      { kind: 'desk', ids: ['library', 'kela'] },
      { kind: 'elsewhere' },
      { kind: 'none' },
    ]);
    expect(rows[2]).toMatchObject({ line: 6, split: 'train', category: 'need', language: 'sv' });
    expect(rows[4]!.split).toBe('heldout');
  });

  it('a row with a column missing: file:line', () => {
    const message = problemOf([HEADER, good[0]!, 'train\tneed\tfi\ttulostaa', ...good.slice(2)]);
    expect(message).toContain(`${join(dir, 'requests.tsv')}:3: 4 column(s); a row has 5`);
  });

  it.each([
    ['an unknown split', 'test\tname\tfi\tKela\tkela', "(column split): 'test' is not one of train, heldout"],
    ['an unknown category', 'train\tdesk\tfi\tKela\tkela', "(column category): 'desk' is not one of"],
    [
      'an unknown language',
      'train\tname\tde\tKela\tkela',
      "(column language): 'de' is not one of fi, sv, en",
    ],
    [
      'an unknown destination',
      'train\tname\tfi\tKela\tkelaa',
      "(column expect): unknown destination id(s) 'kelaa'",
    ],
    [
      'asking back about one desk',
      'train\tneed\tfi\tvuokra\task:kela',
      "(column expect): 'ask:kela': asking back is between 2 or 3",
    ],
    [
      'a nonsense row expecting a desk',
      'train\tnonsense\tfi\tasdf\tkela',
      '(column expect): a nonsense row expects none',
    ],
    ['an empty request', 'train\tname\tfi\t\tkela', '(column text): empty request'],
  ])('%s: file:line and the column', (_, bad, wanted) => {
    const message = problemOf([HEADER, bad, ...good.slice(1)]);
    expect(message).toContain(`${join(dir, 'requests.tsv')}:2 ${wanted}`);
  });

  it('a held-out row out of place, a repeated request, a wrong header: each named', () => {
    expect(problemOf([HEADER, ...good.slice(0, 4), good[4]!.replace('heldout', 'train')])).toContain(
      ":6 (column split): data row 5 must be 'heldout' (every 5th data row is held out)",
    );
    expect(problemOf([HEADER, ...good, 'train\tname\tfi\tKela\tkela'])).toContain(
      ':7 (column text): the same request as line 2',
    );
    expect(problemOf(['split\tcategory\ttext\texpect', ...good])).toContain(':1: the header must be');
  });
});

function count<T>(items: readonly T[], test: (item: T) => boolean): number {
  return items.filter(test).length;
}

function expectsDesk(row: RequestRow, id: string): boolean {
  return (row.expect.kind === 'desk' || row.expect.kind === 'ask') && row.expect.ids.includes(id);
}

function expectFloor(group: Verdict[], floor: number, label: string): void {
  const t = tally(group);
  const got = rate(t.right, t.n);
  expect(
    got,
    `${label}: top-1 ${(100 * got).toFixed(1)} % (${t.right}/${t.n}) is below ${floor * 100} %; failing rows:\n${formatFailures(
      group,
      (v) => !v.right,
    )}`,
  ).toBeGreaterThanOrEqual(floor);
}
