/** The why privacy gate and the say messages' choices, as the bridge hands them to the pages. */
import { describe, expect, it } from 'vitest';
import type { Utterance } from '../../interfaces/index.js';
import type { Destination, Site } from '../../map/index.js';
import { saidOf } from './bridge.js';
import { MAX_WHY_CHARS, createWhyGate } from './why.js';

function desk(id: string, fi: string, sv: string, en: string, extra: Partial<Destination> = {}): Destination {
  return {
    id,
    name: { fi, sv, en },
    aliases: { fi: [], sv: [], en: [] },
    organisation: 'test',
    pose: { x: 0, y: 0, yaw: 0 },
    services: [],
    ...extra,
  };
}

const KELA = desk('kela', 'Kela', 'FPA', 'Kela', {
  aliases: { fi: ['kansaneläkelaitos'], sv: ['fpa'], en: ['social insurance'] },
  services: [
    {
      id: 'housing-allowance',
      terms: { fi: ['asumistuki'], sv: ['bostadsbidrag'], en: ['housing allowance', "renter's benefit"] },
      shared: false,
    },
  ],
});
const HOUSING = desk('espoon-asunnot', 'Espoon Asunnot', 'Esbo Bostäder', 'Espoo Housing');
const SITE = {
  destinations: [KELA, HOUSING],
  elsewhere: [
    {
      id: 'passports',
      terms: { fi: ['passi'], sv: ['pass'], en: ['passport'] },
      where: { fi: 'Poliisi.', sv: 'Polisen.', en: 'The police.' },
      way: 'kela',
    },
  ],
  landmarks: [
    {
      id: 'library-entrance',
      name: { fi: 'Kirjasto', sv: 'Bibliotek', en: 'Library' },
      position: { x: 0, y: 0 },
    },
  ],
} as unknown as Site;

describe('the why gate', () => {
  const gate = createWhyGate(SITE);

  it("passes a why made of the site's catalogue: names, aliases, service and elsewhere terms, ids", () => {
    for (const why of [
      "service housing-allowance: 'asumistuki' (fi)",
      "service housing-allowance: 'ASUMISTUKI' (fi)",
      "service housing-allowance: 'renter's benefit' (en)",
      "alias kela: 'kansanelakelaitos' (fi)",
      "name espoon-asunnot: 'Esbo Bostäder' (sv); service housing-allowance: 'bostadsbidrag' (sv)",
      "elsewhere passports: 'passport' (en)",
      "id kela: 'kela' ()",
    ]) {
      expect(gate.pass(why), why).toBe(why);
    }
  });

  it('drops a why with any word the site does not have: customer text never passes', () => {
    for (const why of [
      "service housing-allowance: 'asumistuki' (fi) Maija Meikäläinen",
      "name kela: 'minun nimeni on Maija' (fi)",
      "service housing-allowance: 'asumistuki 0401234567' (fi)",
      '<script>alert(1)</script>',
      "'; DROP TABLE missions; --",
    ]) {
      expect(gate.pass(why), why).toBe('');
    }
    expect(gate.pass(undefined)).toBe('');
    expect(gate.pass(42)).toBe('');
  });

  it(`cuts a long why at a word, to at most ${MAX_WHY_CHARS} characters`, () => {
    const long = Array.from({ length: 40 }, () => "alias kela: 'fpa' (sv)").join('; ');
    const passed = gate.pass(long);
    expect(passed.length).toBeLessThanOrEqual(MAX_WHY_CHARS);
    expect(passed.length).toBeGreaterThan(MAX_WHY_CHARS - 30);
    expect(long.startsWith(passed)).toBe(true);
  });
});

describe('saidOf: a say for the pages', () => {
  const utterance = (choices: string[], language = 'sv'): Utterance => ({
    request_id: 'kiosk-1',
    language,
    kind: 'ask.choose',
    text: 'FPA eller Esbo Bostäder? Säg ett eller två.',
    plain: true,
    choices,
  });

  it('names each choice in the language it was said in, in the order said', () => {
    expect(saidOf(utterance(['espoon-asunnot', 'kela']), SITE)).toEqual({
      request_id: 'kiosk-1',
      language: 'sv',
      kind: 'ask.choose',
      text: 'FPA eller Esbo Bostäder? Säg ett eller två.',
      plain: true,
      choices: [
        { id: 'espoon-asunnot', name: 'Esbo Bostäder' },
        { id: 'kela', name: 'FPA' },
      ],
    });
    expect(saidOf(utterance(['kela'], 'en'), SITE).choices).toEqual([{ id: 'kela', name: 'Kela' }]);
  });

  it('leaves out an id that is not a desk here, and reads a message without choices as none', () => {
    expect(saidOf(utterance(['kela', 'nowhere']), SITE).choices).toEqual([{ id: 'kela', name: 'FPA' }]);
    const old = { ...utterance([]), choices: undefined, plain: undefined } as unknown as Utterance;
    expect(saidOf(old, SITE)).toMatchObject({ plain: false, choices: [] });
  });
});
