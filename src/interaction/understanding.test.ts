/**
 * The matcher on needs, not names: service terms (below names), services that are elsewhere,
 * inflection and compounds, first-letter typos, the language of short requests, `why` and
 * suggestions. The site here is a small in-test catalogue written like maps/iso-omena's.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Destination, ElsewhereService, Language, Service } from '../map/index.js';
import { createMatcher, type MatchResult } from './matcher.js';

type Terms = [fi: string[], sv: string[], en: string[]];

function service(id: string, terms: Terms, shared = false): Service {
  return { id, terms: { fi: terms[0], sv: terms[1], en: terms[2] }, shared };
}

function desk(id: string, names: [string, string, string], aliases: Terms, services: Service[]): Destination {
  return {
    id,
    name: { fi: names[0], sv: names[1], en: names[2] },
    aliases: { fi: aliases[0], sv: aliases[1], en: aliases[2] },
    organisation: 'test',
    pose: { x: 0, y: 0, yaw: 0 },
    services,
  };
}

const housingAdvice = (): Service =>
  service('housing-advice', [['asumisneuvonta'], ['boenderådgivning'], ['housing advice']], true);

const SITE: Destination[] = [
  desk(
    'kela',
    ['Kela', 'FPA', 'Kela'],
    [['kansaneläkelaitos'], ['folkpensionsanstalten'], ['social insurance']],
    [
      service('housing-allowance', [
        ['asumistuki', 'yleinen asumistuki'],
        ['bostadsbidrag'],
        ['housing allowance', 'housing benefit'],
      ]),
      service('sickness-allowance', [
        ['sairauspäiväraha'],
        ['sjukpenning'],
        ['sickness allowance', 'sick pay'],
      ]),
      service('unemployment-benefit', [
        ['työttömyysturva', 'työttömyyskorvaus'],
        ['arbetslöshetsförmån'],
        ['unemployment benefit'],
      ]),
      housingAdvice(),
    ],
  ),
  desk(
    'asunnot',
    ['Espoon Asunnot', 'Esbo Bostäder', 'Espoon Asunnot'],
    [['vuokra-asunto'], ['hyresbostad'], ['rental homes']],
    [
      service('rental-application', [
        ['asuntohakemus', 'vuokra-asuntohakemus'],
        ['bostadsansökan'],
        ['housing application'],
      ]),
      housingAdvice(),
    ],
  ),
  desk(
    'huslab',
    ['HUSLAB-laboratorio', 'HUSLAB laboratorium', 'HUSLAB laboratory'],
    [['laboratorio'], ['laboratorium'], ['lab']],
    [
      service('blood-test', [['verikoe', 'verinäyte'], ['blodprov'], ['blood test', 'blood sample']]),
      service('urine-sample', [['virtsanäyte'], ['urinprov'], ['urine sample']]),
    ],
  ),
  desk(
    'imaging',
    ['Kuvantaminen', 'Bilddiagnostik', 'Imaging'],
    [['röntgen'], ['röntgen'], ['x-ray']],
    [service('ultrasound', [['ultraääni', 'ultraäänitutkimus'], ['ultraljud'], ['ultrasound', 'scan']])],
  ),
  desk(
    'employment',
    ['Työllisyyspalvelut', 'Sysselsättningstjänster', 'Employment services'],
    [['te-palvelut'], ['arbetsförmedling'], ['job centre']],
    [
      service('job-search', [
        ['työnhaku', 'työpaikka', 'työt'],
        ['jobbsökning', 'jobb', 'arbete'],
        ['jobs', 'job search', 'work'],
      ]),
    ],
  ),
  desk(
    'library',
    ['Kirjasto', 'Bibliotek', 'Library'],
    [['kirjat'], ['böcker'], ['books']],
    [
      service('printing', [
        ['tulostus', 'tulostaa', 'tulostin'],
        ['utskrift', 'skriva ut', 'skrivare'],
        ['printing', 'printer', 'print'],
      ]),
    ],
  ),
  desk('toilets', ['WC', 'Toalett', 'Toilets'], [['vessa'], ['toalett'], ['toilet']], []),
  desk(
    'info',
    ['Info', 'Info', 'Info'],
    [[], [], []],
    [service('kela-forms', [['Kelan lomakkeet'], ['FPA:s blanketter'], ['Kela forms']])],
  ),
];

function elsewhere(id: string, terms: Terms, way?: string): ElsewhereService {
  const e: ElsewhereService = {
    id,
    terms: { fi: terms[0], sv: terms[1], en: terms[2] },
    where: { fi: 'Muualla.', sv: 'Annanstans.', en: 'Elsewhere.' },
  };
  if (way) e.way = way;
  return e;
}

const ELSEWHERE: ElsewhereService[] = [
  elsewhere(
    'passports',
    [
      ['passi', 'henkilökortti'],
      ['pass', 'id-kort'],
      ['passport', 'id card'],
    ],
    'toilets',
  ),
  elsewhere('pharmacy', [['apteekki'], ['apotek'], ['pharmacy', 'chemist']]),
  elsewhere('tax', [
    ['verotoimisto', 'verokortti'],
    ['skattebyrå', 'skattekort'],
    ['tax office', 'tax card'],
  ]),
];

const match = createMatcher(SITE, { elsewhere: ELSEWHERE });

function deskOf(r: MatchResult): string {
  return r.kind === 'match' ? r.destinationId : r.kind;
}

describe('understanding needs', () => {
  it.each<[string, string]>([
    ['tarvitsen asumistukea', 'kela'],
    ['asumistukihakemus', 'kela'],
    ['sairauspäivärahaa', 'kela'],
    ['Jag behöver bostadsbidraget', 'kela'],
    ['sick pay', 'kela'],
    ['verikokeeseen', 'huslab'],
    ['I need a blood test', 'huslab'],
    ['virtsanäytteen', 'huslab'],
    ['ultraäänitutkimukseen', 'imaging'],
    ['ultraääneen', 'imaging'],
    ['ex-ray', 'imaging'],
    ['asuntojen', 'asunnot'],
    ['I want to print a form', 'library'],
    ['haluan tulostaa', 'library'],
    ['jobs', 'employment'],
    ['työpaikkaa etsin', 'employment'],
  ])('%j → %s', (text, id) => {
    expect(match(text)).toMatchObject({ kind: 'match', destinationId: id });
  });

  it('says which site term matched, never the customer text', () => {
    const r = match('tarvitsen asumistukea');
    expect(r).toMatchObject({
      kind: 'match',
      language: 'fi',
      why: { source: 'service', term: 'asumistuki', language: 'fi', serviceId: 'housing-allowance' },
    });
    expect(match('Kelaan')).toMatchObject({ why: { source: 'name', term: 'Kela' } });
    expect(match('libary')).toMatchObject({ why: { source: 'name', term: 'Library', language: 'en' } });
    // Whatever is typed, `why` only ever holds the catalogue's own words.
    const siteTerms = new Set<string>();
    for (const d of SITE) {
      siteTerms.add(d.id);
      for (const l of ['fi', 'sv', 'en'] as const) {
        siteTerms.add(d.name[l]);
        d.aliases[l].forEach((a) => siteTerms.add(a));
        d.services.forEach((s) => s.terms[l].forEach((t) => siteTerms.add(t)));
      }
    }
    ELSEWHERE.forEach((e) =>
      (['fi', 'sv', 'en'] as const).forEach((l) => e.terms[l].forEach((t) => siteTerms.add(t))),
    );
    fc.assert(
      fc.property(
        fc.string({ maxLength: 60 }),
        fc.constantFrom('asumistukea ', 'blood ', 'kela ', ''),
        (noise, word) => {
          const r = match(word + noise);
          const whys =
            r.kind === 'match' || r.kind === 'elsewhere' ? [r.why] : r.kind === 'ambiguous' ? r.why : [];
          for (const w of whys)
            expect(siteTerms.has(w.term) || siteTerms.has(w.term.replace(/ /g, '-'))).toBe(true);
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  it('weighs a desk name above another desk service with the same word', () => {
    // "Kelan lomakkeet" is a service at Info, but "Kela" is Kela's name.
    expect(match('Missä on Kela?')).toMatchObject({
      kind: 'match',
      destinationId: 'kela',
      why: { source: 'name' },
    });
  });

  it('asks back with two or three desks, best first, when a shared service fits both', () => {
    const r = match('asumisneuvonta');
    expect(r).toMatchObject({ kind: 'ambiguous', candidates: ['kela', 'asunnot'], language: 'fi' });
    expect(r.kind === 'ambiguous' && r.why.map((w) => w.serviceId)).toEqual([
      'housing-advice',
      'housing-advice',
    ]);
    expect(match('housing advice please')).toMatchObject({ kind: 'ambiguous', language: 'en' });
  });

  it('never calls one candidate ambiguous', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('kela', 'blood', 'housing', 'print', 'asumis', 'toilet', 'x', 'job'),
        fc.string({ maxLength: 8 }),
        (a, b) => {
          const r = match(`${a} ${b}`);
          if (r.kind === 'ambiguous') {
            expect(r.candidates.length).toBeGreaterThanOrEqual(2);
            expect(new Set(r.candidates).size).toBe(r.candidates.length);
          }
        },
      ),
      { numRuns: 200, seed: 11 },
    );
  });

  it('answers services that are elsewhere as elsewhere, never with a desk', () => {
    expect(match('passport')).toMatchObject({ kind: 'elsewhere', elsewhereId: 'passports', language: 'en' });
    expect(match('Missä voi hakea passia?')).toMatchObject({
      kind: 'elsewhere',
      elsewhereId: 'passports',
      language: 'fi',
    });
    expect(match('farmacy')).toMatchObject({ kind: 'elsewhere', elsewhereId: 'pharmacy', language: 'en' });
    expect(match('apteekkiin')).toMatchObject({ kind: 'elsewhere', elsewhereId: 'pharmacy', language: 'fi' });
    expect(match('Var ligger skattebyrån?')).toMatchObject({
      kind: 'elsewhere',
      elsewhereId: 'tax',
      language: 'sv',
    });
    expect(match('verokortti')).toMatchObject({
      kind: 'elsewhere',
      why: { source: 'elsewhere', term: 'verokortti', language: 'fi', serviceId: 'tax' },
    });
  });

  it('answers a one-word request in its language', () => {
    expect(match('jobs').language).toBe('en');
    expect(match('passport').language).toBe('en');
    expect(match('apotek').language).toBe('sv');
    expect(match('asumistuki').language).toBe('fi');
    // Nothing tells: Finnish, the site's language.
    expect(match('Kela').language).toBe('fi');
    expect(match('jobs', 'sv').language).toBe('sv');
  });

  it('takes a typo in the first letter only when the rest of a long word is right', () => {
    expect(deskOf(match('hirjasto'))).toBe('library');
    expect(deskOf(match('kibrary'))).toBe('library');
    expect(deskOf(match('bab'))).toBe('none');
    expect(deskOf(match('pizza'))).toBe('none');
    expect(deskOf(match('wx'))).toBe('none');
  });

  it('suggests desks for words it understood, nothing for words it did not', () => {
    expect(match('asdfgh qwerty')).toMatchObject({ kind: 'none', suggestions: [] });
    expect(match('Missä on sauna?')).toEqual({ kind: 'none', language: 'fi', suggestions: [] });
    const half = match('housing');
    expect(half.kind).toBe('none');
    expect(half.kind === 'none' && half.suggestions).toEqual(expect.arrayContaining(['kela', 'asunnot']));
  });

  it('gives a clear answer to bad input, in bounded time, never a throw', () => {
    const bad = [
      '',
      '🙂🙂',
      'a'.repeat(10_000),
      'ä'.repeat(10_000),
      'Где паспорт? passport',
      '<script>alert(1)</script>',
      "' OR 1=1; --",
      '\u0000',
      '\uD800',
    ];
    for (const text of bad) {
      for (const hint of [undefined, 'fi', 'sv', 'en'] as (Language | undefined)[]) {
        const r = match(text, hint);
        expect(['match', 'ambiguous', 'elsewhere', 'none']).toContain(r.kind);
        if (hint) expect(r.language).toBe(hint);
      }
    }
    expect(match('<b>kirjasto</b>')).toMatchObject({ kind: 'match', destinationId: 'library' });
    expect(match("'; DROP TABLE x; --")).toMatchObject({ kind: 'none', suggestions: [] });
  });
});
