import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../map/index.js';
import { InteractionError } from './errors.js';
import {
  PHRASES,
  PHRASE_KINDS,
  PHRASE_VARS,
  joinAlternatives,
  placeholders,
  say,
  type PhraseKind,
} from './phrases.js';

/** A value for every placeholder any phrase uses. */
const VARS = {
  desk: 'Kela',
  minutes: 2,
  description: 'Benefits and pensions.',
  when: 'tomorrow at 8.00',
  examples: 'Kela, library',
  options: 'A or B',
  until: 'tomorrow at 8.00',
  note: 'Back after lunch.',
  help: 'the service point',
};

describe('phrases', () => {
  it('has every kind in Finnish, Swedish and English, none empty', () => {
    for (const kind of PHRASE_KINDS) {
      for (const lang of LANGUAGES) {
        expect(PHRASES[kind][lang], `${kind}.${lang}`).toMatch(/\S/);
      }
    }
    expect(Object.keys(PHRASES).sort()).toEqual([...PHRASE_KINDS].sort());
  });

  it('uses exactly the declared placeholders in every language', () => {
    for (const kind of PHRASE_KINDS) {
      for (const lang of LANGUAGES) {
        expect(new Set(placeholders(kind, lang)), `${kind}.${lang}`).toEqual(new Set(PHRASE_VARS[kind]));
      }
    }
  });

  it('fills every placeholder', () => {
    for (const kind of PHRASE_KINDS) {
      for (const lang of LANGUAGES) {
        const text = say(kind, lang, VARS);
        expect(text, `${kind}.${lang}`).not.toMatch(/[{}]/);
        expect(text).not.toMatch(/\s{2}|^\s|\s$/);
        for (const name of PHRASE_VARS[kind]) expect(text).toContain(String(VARS[name as keyof typeof VARS]));
      }
    }
  });

  it('keeps sentences short (a screen line or two)', () => {
    for (const kind of PHRASE_KINDS) {
      for (const lang of LANGUAGES) {
        // With every optional part in: the longest the phrase gets.
        const full = PHRASES[kind][lang].replace(/[[\]]/g, '');
        for (const sentence of full.split(/(?<=[.!?])\s/)) {
          expect(sentence.split(/\s+/).length, `${kind}.${lang}: ${sentence}`).toBeLessThanOrEqual(14);
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
