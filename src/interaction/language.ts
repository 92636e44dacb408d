/**
 * Which language a request is in. The language the customer chose on the kiosk wins; without
 * one, words that exist in only one language decide: stop words ("missä", "var", "where") and
 * the site's terms the request matched ("jobs" is English, "FPA" Swedish, "Kela" no one's).
 * Finnish only when nothing tells.
 */
import type { Language } from '../map/index.js';
import { STOP_WORDS } from './stop-words.js';

export const LANGS: readonly Language[] = ['fi', 'sv', 'en'];
export const LANG_BIT: Record<Language, number> = { fi: 1, sv: 2, en: 4 };
/** The language of the site, and the answer when nothing in a request tells. */
export const DEFAULT_LANGUAGE: Language = 'fi';

/** Stop words of each language that no other language's list has: they tell the language. */
export const LANGUAGE_CUES: ReadonlyMap<string, Language> = (() => {
  const out = new Map<string, Language>();
  for (const lang of LANGS) {
    for (const w of STOP_WORDS[lang]) {
      if (LANGS.every((other) => other === lang || !STOP_WORDS[other].has(w))) out.set(w, lang);
    }
  }
  return out;
})();

/** The one language of a bit mask, or undefined when it holds none or several. */
export function onlyLanguage(mask: number): Language | undefined {
  return LANGS.find((lang) => mask === LANG_BIT[lang]);
}

/** The hint if any; else the language with the most votes (ties in fi, sv, en order); else Finnish. */
export function chooseLanguage(votes: Float64Array, hint: Language | undefined): Language {
  if (hint) return hint;
  let best = 0;
  let language = DEFAULT_LANGUAGE;
  LANGS.forEach((lang, i) => {
    if (votes[i]! > best) {
      best = votes[i]!;
      language = lang;
    }
  });
  return language;
}

export function isLanguage(x: unknown): x is Language {
  return typeof x === 'string' && (LANGS as readonly string[]).includes(x);
}
