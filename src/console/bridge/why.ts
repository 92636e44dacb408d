/**
 * The privacy gate for GuideStatus.why, the "how was this understood" line the console shows and
 * the mission log keeps. By contract it is built from the site's own catalogue (a desk's name,
 * alias or service term, an elsewhere term) and never from what the customer typed; this gate
 * makes that hold whatever the sender does. Every word of a why must be a word of the site's
 * vocabulary (names, aliases, service and elsewhere terms, landmark names, ids), a language code,
 * or one of the few words the why's own wording uses; anything else means customer text may be
 * inside, and the whole why is dropped. Words are compared folded (case and accents), so the
 * matcher may report a term folded as it compared it.
 */
import type { Site } from '../../map/index.js';

/** Longest why kept; a longer one is cut at a word boundary (ambiguous requests list 2–3 terms). */
export const MAX_WHY_CHARS = 300;

/** The words a why's wording may use around the catalogue's terms (MatchWhy sources, languages). */
const WORDING = [
  'id',
  'name',
  'alias',
  'service',
  'elsewhere',
  'place',
  'word',
  'term',
  'fi',
  'sv',
  'en',
  'or',
  'and',
  'of',
  'via',
];

const WORD = /[\p{L}\p{N}]+/gu;
/** A short number (a score, a count) may appear; a long one (a phone number) may not. */
const SHORT_NUMBER = /^\d{1,3}$/;

export function foldWord(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

export interface WhyGate {
  /** The why as given when every word is the site's; '' otherwise (and for a non-string). */
  pass(why: unknown): string;
}

export function createWhyGate(site: Site): WhyGate {
  const words = new Set(WORDING);
  const add = (text: string) => {
    for (const w of text.match(WORD) ?? []) words.add(foldWord(w));
  };
  const addLocalized = (terms: Record<string, string | string[]>) => {
    for (const value of Object.values(terms)) (Array.isArray(value) ? value : [value]).forEach(add);
  };
  for (const d of site.destinations) {
    add(d.id);
    addLocalized(d.name);
    addLocalized(d.aliases);
    for (const s of d.services) {
      add(s.id);
      addLocalized(s.terms);
    }
  }
  for (const e of site.elsewhere) {
    add(e.id);
    addLocalized(e.terms);
  }
  for (const l of site.landmarks) {
    add(l.id);
    addLocalized(l.name);
  }
  // The same why arrives with every status (1 Hz and on each change): remember the last answer.
  let last = { why: '', passed: '' };
  return {
    pass(why) {
      if (typeof why !== 'string' || why === '') return '';
      if (why === last.why) return last.passed;
      const cut = why.length > MAX_WHY_CHARS ? why.slice(0, MAX_WHY_CHARS).replace(/\s\S*$/, '') : why;
      const ok = (cut.match(WORD) ?? []).every((w) => SHORT_NUMBER.test(w) || words.has(foldWord(w)));
      last = { why, passed: ok ? cut : '' };
      return last.passed;
    },
  };
}
