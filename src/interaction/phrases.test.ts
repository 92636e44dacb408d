import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../map/index.js';
import { InteractionError } from './errors.js';
import {
  PHRASES,
  PHRASE_KINDS,
  PHRASE_VARS,
  PLAIN_PHRASES,
  joinAlternatives,
  numberedChoices,
  phraseTable,
  placeholders,
  say,
  type PhraseKind,
  type PhraseStyle,
} from './phrases.js';

const STYLES: readonly PhraseStyle[] = ['standard', 'plain'];

/** A phrase's sentences with every optional part in (the longest it gets); a placeholder is one word. */
function sentences(template: string): string[] {
  return template
    .replace(/[[\]]/g, '')
    .split(/(?<=[.!?])\s/)
    .filter((s) => /\S/.test(s));
}
const wordsIn = (sentence: string) => sentence.trim().split(/\s+/).length;

/** A value for every placeholder any phrase uses. */
const VARS = {
  desk: 'Kela',
  minutes: 2,
  description: 'Benefits and pensions.',
  when: 'tomorrow at 8.00',
  options: '1 Kela, 2 Espoon Asunnot',
  where: 'Passports are applied for at the police in Leppävaara.',
  way: 'Metro',
  directions: 'Go straight past the library, about 40 metres.',
  until: 'tomorrow at 8.00',
  note: 'Back after lunch.',
  help: 'the service point',
  metres: 40,
  places: 'the lift lobby',
};

describe('phrases', () => {
  it('has every kind in Finnish, Swedish and English, in both styles, none empty', () => {
    for (const style of STYLES) {
      for (const kind of PHRASE_KINDS) {
        for (const lang of LANGUAGES) {
          expect(phraseTable(style)![kind][lang], `${style} ${kind}.${lang}`).toMatch(/\S/);
        }
      }
      expect(Object.keys(phraseTable(style)!).sort()).toEqual([...PHRASE_KINDS].sort());
    }
  });

  it('uses exactly the declared placeholders in every language and style', () => {
    for (const style of STYLES) {
      for (const kind of PHRASE_KINDS) {
        for (const lang of LANGUAGES) {
          expect(new Set(placeholders(kind, lang, style)), `${style} ${kind}.${lang}`).toEqual(
            new Set(PHRASE_VARS[kind]),
          );
        }
      }
    }
  });

  it('fills every placeholder in both styles', () => {
    for (const style of STYLES) {
      for (const kind of PHRASE_KINDS) {
        for (const lang of LANGUAGES) {
          const text = say(kind, lang, VARS, style);
          expect(text, `${style} ${kind}.${lang}`).not.toMatch(/[{}]/);
          expect(text).not.toMatch(/\s{2}|^\s|\s$/);
          for (const name of PHRASE_VARS[kind])
            expect(text).toContain(String(VARS[name as keyof typeof VARS]));
        }
      }
    }
  });

  it('words the plain variant in short sentences: at most 10 words each, fewer on average', () => {
    for (const lang of LANGUAGES) {
      const plain = PHRASE_KINDS.flatMap((kind) => sentences(PLAIN_PHRASES[kind][lang]));
      const standard = PHRASE_KINDS.flatMap((kind) => sentences(PHRASES[kind][lang]));
      for (const sentence of plain) expect(wordsIn(sentence), `${lang}: ${sentence}`).toBeLessThanOrEqual(10);
      const mean = (list: string[]) => list.reduce((sum, s) => sum + wordsIn(s), 0) / list.length;
      expect(mean(plain), lang).toBeLessThan(mean(standard));
      expect(mean(plain), lang).toBeLessThanOrEqual(6);
    }
    // Plain English spells words out: no contractions ("I'll", "can't") to decode.
    for (const kind of PHRASE_KINDS) expect(PLAIN_PHRASES[kind].en, kind).not.toMatch(/\w'\w/);
  });

  it('says the plain variant when asked', () => {
    expect(say('escort.start', 'en', { desk: 'Kela', minutes: 2 }, 'plain')).toBe(
      'Follow me. We go to Kela. It takes about 2 min.',
    );
    expect(say('unknown', 'fi', {}, 'plain')).toBe(
      'En ymmärtänyt. Sano paikan nimi. Tai sano, mitä tarvitset.',
    );
    expect(say('closed.staff', 'sv', { desk: 'FPA', until: '', note: '' }, 'plain')).toBe('FPA är stängt.');
    expect(() => say('greet', 'en', {}, 'simple' as never)).toThrow(/style standard or plain/);
  });

  it('numbers the choices as the customer may answer them', () => {
    expect(numberedChoices(['Kela', 'Espoon Asunnot'])).toBe('1 Kela, 2 Espoon Asunnot');
    expect(say('asking', 'en', { options: numberedChoices(['Kela', 'Espoon Asunnot']) })).toBe(
      'Which one: 1 Kela, 2 Espoon Asunnot? Say the number or the name.',
    );
  });

  it('leaves out directions that are not known, and keeps them otherwise', () => {
    expect(say('directions', 'en', { desk: 'Kela', minutes: 2, directions: '' })).toBe(
      'Here is the way to Kela, about 2 min on foot.',
    );
    expect(
      say('elsewhere.way', 'en', { where: 'Ask at the police.', way: 'Metro', directions: 'Go left.' }),
    ).toBe('That is not handled on this floor. Ask at the police. I can take you to Metro. Go left.');
  });

  it('keeps sentences short (a screen line or two)', () => {
    for (const kind of PHRASE_KINDS) {
      for (const lang of LANGUAGES) {
        for (const sentence of sentences(PHRASES[kind][lang])) {
          expect(wordsIn(sentence), `${kind}.${lang}: ${sentence}`).toBeLessThanOrEqual(14);
        }
      }
    }
  });

  it('reads naturally with real values', () => {
    expect(say('escort.start', 'en', { desk: 'Kela', minutes: 2 })).toBe(
      'Follow me to Kela. It is about 2 min away.',
    );
    expect(say('escort.wait', 'en', {})).toBe("I'll wait for you.");
    expect(say('closed', 'fi', { desk: 'Kela', when: 'huomenna klo 8.00' })).toBe(
      'Kela on nyt kiinni. Se avautuu huomenna klo 8.00.',
    );
    expect(say('closed', 'sv', { desk: 'FPA', when: 'i morgon kl. 8.00' })).toBe(
      'FPA har stängt nu. Det öppnar i morgon kl. 8.00.',
    );
    expect(say('estop', 'en', {})).toBe('I have been stopped. A staff member will help you.');
  });

  it('leaves no stray space when a value is empty', () => {
    expect(say('arrive', 'en', { desk: 'Lifts', description: '' })).toBe('Here we are: Lifts.');
    expect(say('arrive', 'fi', { desk: 'Hissit', description: '' })).toBe('Olemme perillä: Hissit.');
  });

  it('leaves out an optional part whose value is empty, and keeps it otherwise', () => {
    const vars = { desk: 'Kela', until: '12.00', note: '', help: 'the service point' };
    expect(say('closed.staff.help', 'en', vars)).toBe(
      'Kela is closed until 12.00. Meanwhile, the service point can help you.',
    );
    expect(say('closed.staff', 'en', { desk: 'Kela', until: '', note: '' })).toBe('Kela is closed.');
    expect(say('closed.staff', 'fi', { desk: 'Kela', until: 'klo 12.00', note: 'Tauko.' })).toBe(
      'Kela on nyt kiinni klo 12.00 asti. Henkilökunnan viesti: Tauko.',
    );
    expect(say('arrive.closed_staff', 'sv', { desk: 'FPA', until: '', note: '', help: '' })).toBe(
      'Här är vi: FPA. Det har stängt.',
    );
    expect(() => say('closed.staff', 'en', { desk: 'Kela', note: '' } as never)).toThrow(
      /closed\.staff\.en vars\.until: expected a value/,
    );
  });

  it('refuses a missing value or an unknown kind with a clear error', () => {
    expect(() => say('closed', 'en', { desk: 'Kela' } as never)).toThrow(InteractionError);
    expect(() => say('closed', 'en', { desk: 'Kela' } as never)).toThrow(
      /closed\.en vars\.when: expected a value/,
    );
    expect(() => say('nope' as PhraseKind, 'en', {})).toThrow(/expected a phrase kind/);
    expect(() => say('greet', 'de' as never, {})).toThrow(InteractionError);
  });

  it('joins alternatives with the language’s "or"', () => {
    expect(joinAlternatives(['Kela', 'kirjasto'], 'fi')).toBe('Kela tai kirjasto');
    expect(joinAlternatives(['A', 'B', 'C'], 'sv')).toBe('A, B eller C');
    expect(joinAlternatives(['A'], 'en')).toBe('A');
    expect(joinAlternatives([], 'en')).toBe('');
  });
});
