/** site.yaml `services` (per destination) and `elsewhere`: read strictly, and every word leads to one place. */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { foldText } from '../interaction/text.js';
import { LIMITS } from '../input/index.js';
import { checkSite, formatIssues, runMapCheck } from './check.js';
import { MapError, type SiteIssue } from './errors.js';
import { foldTerm } from './fold.js';
import { loadSite } from './site.js';
import { ROOM_SITE_YAML, lineOf, removeSite, writeSite } from './test-helpers.js';

let dir = '';
afterEach(async () => removeSite(dir));

const KELA_SERVICES = `    services:
      - id: housing-allowance
        fi: [asumistuki, yleinen asumistuki]
        sv: [bostadsbidrag]
        en: [housing allowance, housing benefit]
      - id: housing-advice
        shared: true
        fi: [asumisneuvonta]
        sv: [boenderådgivning]
        en: [housing advice]
`;
const LIBRARY_SERVICES = `    services:
      - id: printing
        fi: [tulostus]
        sv: [utskrift]
        en: [printing, print a form]
      - id: housing-advice-library
        shared: true
        fi: [asumisneuvonta]
        sv: [boenderådgivning]
        en: [housing advice]
`;
const ELSEWHERE = `elsewhere:
  - id: passports
    fi: [passi, henkilökortti]
    sv: [pass, id-kort]
    en: [passport, id card]
    where:
      fi: Passit haetaan poliisilta.
      sv: Pass söks hos polisen.
      en: Passports are applied for at the police.
    way: library
`;

/** The room site with services at both desks and an elsewhere entry; each part can be replaced. */
function siteWith(parts: { kela?: string; library?: string; elsewhere?: string } = {}): string {
  return (
    ROOM_SITE_YAML.replace('  - id: library\n', `${parts.kela ?? KELA_SERVICES}  - id: library\n`).replace(
      'landmarks:\n',
      `${parts.library ?? LIBRARY_SERVICES}landmarks:\n`,
    ) + (parts.elsewhere ?? ELSEWHERE)
  );
}

const siteFile = (): string => join(dir, 'site.yaml');
const at = (text: string, needle: string, nth = 0): string => `${siteFile()}:${lineOf(text, needle, nth)}`;

async function issuesOf(text: string): Promise<SiteIssue[]> {
  dir = await writeSite({ 'site.yaml': text });
  return checkSite(dir);
}

/** The only issue of a site whose site.yaml is `text`. */
async function onlyIssue(text: string): Promise<SiteIssue> {
  const issues = await issuesOf(text);
  expect(issues, formatIssues(issues)).toHaveLength(1);
  return issues[0]!;
}

describe('services and elsewhere, read from site.yaml', () => {
  it('loads each desk’s services and the services that are elsewhere', async () => {
    dir = await writeSite({ 'site.yaml': siteWith() });
    const site = await loadSite(dir);
    const [kela, library] = site.destinations;
    expect(kela!.services).toEqual([
      {
        id: 'housing-allowance',
        terms: {
          fi: ['asumistuki', 'yleinen asumistuki'],
          sv: ['bostadsbidrag'],
          en: ['housing allowance', 'housing benefit'],
        },
        shared: false,
      },
      {
        id: 'housing-advice',
        terms: { fi: ['asumisneuvonta'], sv: ['boenderådgivning'], en: ['housing advice'] },
        shared: true,
      },
    ]);
    expect(library!.services.map((s) => s.id)).toEqual(['printing', 'housing-advice-library']);
    expect(site.elsewhere).toEqual([
      {
        id: 'passports',
        terms: { fi: ['passi', 'henkilökortti'], sv: ['pass', 'id-kort'], en: ['passport', 'id card'] },
        where: {
          fi: 'Passit haetaan poliisilta.',
          sv: 'Pass söks hos polisen.',
          en: 'Passports are applied for at the police.',
        },
        way: 'library',
      },
    ]);
    expect(await checkSite(dir)).toEqual([]);
    const lines: string[] = [];
    expect(await runMapCheck(dir, (l) => lines.push(l))).toBe(0);
    expect(lines[0]).toBe(
      `${dir}: OK, site "test-room": 2 destinations (4 services), 1 landmark, 1 zone, 1 service elsewhere; ` +
        'map 200×120 cells at 0.05 m (10.0 × 6.0 m)',
    );
  });

  it('has no services and nothing elsewhere when the site lists none', async () => {
    dir = await writeSite();
    const site = await loadSite(dir);
    expect(site.destinations.map((d) => d.services)).toEqual([[], []]);
    expect(site.elsewhere).toEqual([]);
  });

  it('reads terms written as block lists, trimmed, and an elsewhere entry without a way', async () => {
    const kela = `    services:
      - id: child-benefit
        fi:
          - lapsilisä
          - " lapsilisät "
        sv: [barnbidrag]
        en: [child benefit]
`;
    const elsewhere = ELSEWHERE.replace('    way: library\n', '');
    dir = await writeSite({ 'site.yaml': siteWith({ kela, elsewhere }) });
    const site = await loadSite(dir);
    expect(site.destinations[0]!.services[0]!.terms.fi).toEqual(['lapsilisä', 'lapsilisät']);
    expect(site.elsewhere[0]!.way).toBeUndefined();
  });

  it('requires every language, naming the entry’s line', async () => {
    const text = siteWith().replace('        sv: [bostadsbidrag]\n', '');
    const issue = await onlyIssue(text);
    expect(issue).toEqual({
      code: 'LANGUAGE_MISSING',
      severity: 'error',
      where: at(text, '- id: housing-allowance'),
      message: 'destinations[0].services[0].sv: missing; give at least one term in fi, sv and en',
    });
  });

  it('requires at least one term per language', async () => {
    const text = siteWith().replace('en: [passport, id card]', 'en: []');
    expect(await onlyIssue(text)).toMatchObject({
      code: 'LANGUAGE_MISSING',
      where: at(text, 'en: []'),
      message: 'elsewhere[0].en: expected at least one term, found an empty list',
    });
  });

  it('refuses an empty term, and one with no letter or digit the matcher could hear', async () => {
    const empty = siteWith().replace('fi: [tulostus]', 'fi: [tulostus, ""]');
    expect(await onlyIssue(empty)).toMatchObject({
      code: 'FIELD_VALUE',
      where: at(empty, 'fi: [tulostus, ""]'),
      message: 'destinations[1].services[0].fi[1]: expected a non-empty string, found ""',
    });
    const dashes = siteWith().replace('fi: [tulostus]', 'fi: [tulostus, "--!"]');
    expect((await onlyIssue(dashes)).message).toBe(
      'destinations[1].services[0].fi[1]: expected a term with a letter or a digit, found "--!"',
    );
  });

  it('refuses a term list that is not a list, and services that are not a list', async () => {
    const text = siteWith().replace('sv: [bostadsbidrag]', 'sv: bostadsbidrag');
    expect(await onlyIssue(text)).toMatchObject({
      code: 'FIELD_TYPE',
      where: at(text, 'sv: bostadsbidrag'),
      message: 'destinations[0].services[0].sv: expected a list, found "bostadsbidrag"',
    });
    const notList = siteWith({ library: '    services: printing\n' });
    expect(await onlyIssue(notList)).toMatchObject({
      code: 'FIELD_TYPE',
      message: 'destinations[1].services: expected a list, found "printing"',
    });
  });

  it('refuses unknown keys in a service and in an elsewhere entry, suggesting the likely one', async () => {
    const text = siteWith().replace('        shared: true\n', '        shard: true\n');
    expect(await onlyIssue(text)).toMatchObject({
      code: 'FIELD_UNKNOWN',
      where: at(text, 'shard: true'),
      message:
        'destinations[0].services[1].shard: unknown field (did you mean "shared"?); expected one of id, shared, fi, sv or en',
    });
    const elsewhere = siteWith().replace('    way: library\n', '    ways: library\n');
    expect((await onlyIssue(elsewhere)).message).toBe(
      'elsewhere[0].ways: unknown field (did you mean "way"?); expected one of id, where, fi, sv, en or way',
    );
  });

  it('takes shared as true or false only', async () => {
    const text = siteWith().replace('        shared: true\n', '        shared: yes\n');
    expect(await onlyIssue(text)).toMatchObject({
      code: 'FIELD_TYPE',
      where: at(text, 'shared: yes'),
      message: 'destinations[0].services[1].shared: expected true or false, found "yes"',
    });
  });

  it('bounds a language’s terms at 1,000 and every term at 200 characters without control characters', async () => {
    const many = Array.from({ length: LIMITS.siteListItems.value + 1 }, (_, i) => `t${i}`).join(', ');
    const text = siteWith().replace('sv: [utskrift]', `sv: [${many}]`);
    expect(await onlyIssue(text)).toMatchObject({
      code: 'BEYOND_LIMIT',
      where: at(text, 'sv: [t0,'),
      message:
        'destinations[1].services[0].sv: expected at most 1000 items (siteListItems in docs/limits.md), found 1001',
    });
    const long = siteWith().replace('en: [passport, id card]', `en: [passport, ${'x'.repeat(201)}]`);
    expect((await onlyIssue(long)).message).toMatch(
      /^elsewhere\[0\]\.en\[1\]: expected at most 200 characters \(nameChars in docs\/limits\.md\), found 201 characters: "x{79}…"$/,
    );
    const escape = siteWith().replace('fi: [tulostus]', 'fi: ["tulostus\\e[2J"]');
    expect(await onlyIssue(escape)).toMatchObject({
      code: 'TEXT_CONTROL',
      message:
        'destinations[1].services[0].fi[0]: expected one line of text without control characters, found "tulostus\\x1b[2J"',
    });
  });

  it('requires a kebab-case id unique across all services and elsewhere entries', async () => {
    const text = siteWith().replace('- id: printing', '- id: housing-allowance');
    expect(await onlyIssue(text)).toEqual({
      code: 'ID_DUPLICATE',
      severity: 'error',
      where: at(text, '- id: housing-allowance', 1),
      message: `destinations[1].services[0].id: "housing-allowance" is already used at ${at(text, '- id: housing-allowance')}`,
    });
    const elsewhere = siteWith().replace('- id: passports', '- id: printing');
    expect((await onlyIssue(elsewhere)).message).toBe(
      `elsewhere[0].id: "printing" is already used at ${at(elsewhere, '- id: printing')}`,
    );
    const upper = siteWith().replace('- id: printing', '- id: Printing');
    expect((await onlyIssue(upper)).message).toBe(
      'destinations[1].services[0].id: expected a lower-case kebab-case id like "health-station", found "Printing"',
    );
  });

  it('requires an elsewhere entry to say where to go, in every language', async () => {
    const text = siteWith().replace('      sv: Pass söks hos polisen.\n', '');
    expect(await onlyIssue(text)).toMatchObject({
      code: 'LANGUAGE_MISSING',
      where: at(text, 'fi: Passit'),
      message: 'elsewhere[0].where.sv: missing; every name needs fi, sv and en',
    });
    const none = siteWith().replace(/ {4}where:\n( {6}.*\n){3}/, '');
    expect(await onlyIssue(none)).toMatchObject({
      code: 'FIELD_MISSING',
      where: at(none, '- id: passports'),
      message: 'elsewhere[0].where: required field missing',
    });
  });

  it('requires the way to name a destination', async () => {
    const text = siteWith().replace('way: library', 'way: metro');
    expect(await onlyIssue(text)).toEqual({
      code: 'FIELD_VALUE',
      severity: 'error',
      where: at(text, 'way: metro'),
      message: 'elsewhere[0].way: expected the id of a destination (kela, library), found "metro"',
    });
  });

  it('does not call the way unknown when its destination had a problem of its own', async () => {
    const text = siteWith().replace('fi: [tulostus]', 'fi: tulostus');
    expect((await onlyIssue(text)).message).toBe(
      'destinations[1].services[0].fi: expected a list, found "tulostus"',
    );
  });
});

describe('every service and elsewhere term leads to one place', () => {
  it('refuses a service term that is another desk’s alias, at its line, when loading too', async () => {
    const text = siteWith().replace('fi: [asumistuki, yleinen asumistuki]', 'fi: [asumistuki, Kirjasto]');
    expect(await onlyIssue(text)).toEqual({
      code: 'TERM_AMBIGUOUS',
      severity: 'error',
      where: at(text, 'fi: [asumistuki, Kirjasto]'),
      message:
        `destinations[0].services[0].fi[1]: term "Kirjasto" matches the fi name "Kirjasto" of destination ` +
        `"library" (${at(text, '- id: library')}); a service term must not name another desk`,
    });
    const err = await loadSite(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MapError);
    expect((err as MapError).code).toBe('TERM_AMBIGUOUS');
  });

  it('compares folded and across languages: an English term against a Swedish alias, an id', async () => {
    const text = siteWith().replace(
      'en: [housing allowance, housing benefit]',
      'en: [housing allowance, BIBLIOTEK!]',
    );
    expect((await onlyIssue(text)).message).toBe(
      `destinations[0].services[0].en[1]: term "BIBLIOTEK!" matches the sv name "Bibliotek" of destination ` +
        `"library" (${at(text, '- id: library')}); a service term must not name another desk`,
    );
    const alias = siteWith().replace('en: [printing, print a form]', 'en: [printing, Social-Insurance]');
    expect((await onlyIssue(alias)).message).toMatch(
      /^destinations\[1\]\.services\[0\]\.en\[1\]: term "Social-Insurance" matches the en alias "social insurance" of destination "kela" \(.*site\.yaml:\d+\); a service term must not name another desk$/,
    );
    const id = siteWith().replace('sv: [utskrift]', 'sv: [utskrift, kela]');
    expect((await onlyIssue(id)).message).toBe(
      `destinations[1].services[0].sv[1]: term "kela" matches the id of destination "kela" ` +
        `(${at(id, '- id: kela')}); a service term must not name another desk`,
    );
  });

  it('refuses a term listed under two desks’ services unless both are shared', async () => {
    const text = siteWith().replace('fi: [tulostus]', 'fi: [tulostus, Asumistuki]');
    const issue0 = await onlyIssue(text);
    const first = `destinations[0].services[0].fi[0] at ${at(text, 'fi: [asumistuki')}`;
    expect(issue0).toEqual({
      code: 'TERM_AMBIGUOUS',
      severity: 'error',
      where: at(text, 'fi: [tulostus, Asumistuki]'),
      message:
        `destinations[1].services[0].fi[1]: term "Asumistuki" matches the service term "asumistuki" of destination ` +
        `"kela" (${first}); mark both services shared: true if both desks handle it, or keep it at one desk`,
    });
    // Shared at the library only: each of the three terms is refused, at its own line.
    const oneShared = siteWith().replace('        shared: true\n', '');
    const issues = await issuesOf(oneShared);
    expect(issues.map((i) => [i.code, i.where])).toEqual([
      ['TERM_AMBIGUOUS', at(oneShared, 'fi: [asumisneuvonta]', 1)],
      ['TERM_AMBIGUOUS', at(oneShared, 'sv: [boenderådgivning]', 1)],
      ['TERM_AMBIGUOUS', at(oneShared, 'en: [housing advice]', 1)],
    ]);
    expect(issues[0]!.message).toMatch(
      /^destinations\[1\]\.services\[1\]\.fi\[0\]: term "asumisneuvonta" matches /,
    );
    // Shared at Kela only: refused the same way, at the library's terms.
    const kelaShared = siteWith({ library: LIBRARY_SERVICES.replace('        shared: true\n', '') });
    expect((await issuesOf(kelaShared)).map((i) => [i.code, i.where])).toEqual([
      ['TERM_AMBIGUOUS', at(kelaShared, 'fi: [asumisneuvonta]', 1)],
      ['TERM_AMBIGUOUS', at(kelaShared, 'sv: [boenderådgivning]', 1)],
      ['TERM_AMBIGUOUS', at(kelaShared, 'en: [housing advice]', 1)],
    ]);
    // Accents are folded: "boenderadgivning" is the same word to the matcher.
    const folded = siteWith({
      kela: KELA_SERVICES.replace('sv: [boenderådgivning]', 'sv: [boenderadgivning]'),
    }).replace(/ {8}shared: true\n/g, '');
    expect((await issuesOf(folded)).map((i) => i.message)).toContain(
      'destinations[1].services[1].sv[0]: term "boenderådgivning" matches the service term "boenderadgivning" ' +
        `of destination "kela" (destinations[0].services[1].sv[0] at ${at(folded, 'sv: [boenderadgivning]')}); ` +
        'mark both services shared: true if both desks handle it, or keep it at one desk',
    );
  });

  it('refuses an elsewhere term that is a desk’s name, alias or service term, or another entry’s term', async () => {
    const alias = siteWith().replace('en: [passport, id card]', 'en: [passport, books]');
    expect(await onlyIssue(alias)).toEqual({
      code: 'TERM_AMBIGUOUS',
      severity: 'error',
      where: at(alias, 'en: [passport, books]'),
      message:
        `elsewhere[0].en[1]: term "books" matches the en alias "books" of destination "library" ` +
        `(${at(alias, '- id: library')}); a service that is not on this floor must not lead to a desk here`,
    });
    const service = siteWith().replace('sv: [pass, id-kort]', 'sv: [pass, utskrift]');
    expect((await onlyIssue(service)).message).toBe(
      `elsewhere[0].sv[1]: term "utskrift" matches the service term "utskrift" of destination "library" ` +
        `(destinations[1].services[0].sv[0] at ${at(service, 'sv: [utskrift]')}); ` +
        'a service that is not on this floor must not lead to a desk here',
    );
    const tax = `  - id: tax
    fi: [vero, PASSI]
    sv: [skatt]
    en: [tax]
    where: { fi: Verotoimisto., sv: Skattebyrån., en: The tax office. }
`;
    const two = siteWith({ elsewhere: ELSEWHERE + tax });
    expect((await onlyIssue(two)).message).toBe(
      `elsewhere[1].fi[1]: term "PASSI" matches the term "passi" of elsewhere "passports" ` +
        `(elsewhere[0].fi[0] at ${at(two, 'fi: [passi')}); a term must lead to one place`,
    );
  });

  it('warns, without failing, about a term that is already the desk’s own alias', async () => {
    const text = siteWith().replace('sv: [utskrift]', 'sv: [utskrift, Bibliotek]');
    expect(await onlyIssue(text)).toEqual({
      code: 'TERM_ALREADY_ALIAS',
      severity: 'warning',
      where: at(text, 'sv: [utskrift, Bibliotek]'),
      message:
        `destinations[1].services[0].sv[1]: term "Bibliotek" is already the sv name "Bibliotek" of destination ` +
        `"library" (${at(text, '- id: library')}); the desk answers to it without the term`,
    });
    expect(await runMapCheck(dir, () => {})).toBe(0);
  });

  it('warns about a shared service whose terms no other desk lists', async () => {
    const text = siteWith().replace('en: [housing advice]', 'en: [housing advice, housing counselling]');
    expect(await onlyIssue(text)).toEqual({
      code: 'TERM_SHARED_ALONE',
      severity: 'warning',
      where: at(text, '- id: housing-advice'),
      message:
        'destinations[0].services[1]: shared: true, but no other desk lists "housing counselling" among its ' +
        'services; a customer saying it is sent to "kela" alone',
    });
  });

  it('prints a collision with map check as file:line, field path and term, and fails', async () => {
    const text = siteWith().replace('fi: [asumistuki, yleinen asumistuki]', 'fi: [asumistuki, kirjasto]');
    dir = await writeSite({ 'site.yaml': text });
    const lines: string[] = [];
    expect(await runMapCheck(dir, (l) => lines.push(l))).toBe(1);
    expect(lines).toEqual([
      `${at(text, 'fi: [asumistuki, kirjasto]')}: destinations[0].services[0].fi[1]: term "kirjasto" matches ` +
        `the fi name "Kirjasto" of destination "library" (${at(text, '- id: library')}); ` +
        'a service term must not name another desk [TERM_AMBIGUOUS]',
      `${dir}: 1 error, 0 warnings`,
    ]);
  });

  it('reports each of many colliding terms within the listing bound, quickly', async () => {
    const terms = Array.from({ length: 1000 }, (_, i) => `w${i}`).join(', ');
    const kela = KELA_SERVICES.replace('sv: [bostadsbidrag]', `sv: [${terms}]`);
    const library = LIBRARY_SERVICES.replace('sv: [utskrift]', `sv: [${terms}]`);
    dir = await writeSite({ 'site.yaml': siteWith({ kela, library }) });
    const err = await loadSite(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MapError);
    expect((err as MapError).others).toHaveLength(LIMITS.issuesListed.value - 1);
    expect((err as MapError).unlisted).toBe(900);
  });
});

describe('foldTerm', () => {
  it('folds as the matcher folds customer text', () => {
    const samples = [
      'Äitiys-Neuvola!',
      'ÅBO  Akademi',
      'Café',
      'x-ray',
      'ＫＥＬＡ',
      '  ',
      'ﬁnland',
      'Tōkyō 2',
    ];
    for (const s of samples) expect(foldTerm(s)).toBe(foldText(s));
    expect(foldTerm('Äitiys-Neuvola!')).toBe('aitiys neuvola');
  });
});
