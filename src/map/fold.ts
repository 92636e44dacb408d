/**
 * How `map check` compares the words of a site (names, aliases, service terms): folded the way
 * the request matcher folds them, so two terms the matcher cannot tell apart are reported as
 * one word. The matcher's own `foldText` (src/interaction/text.ts) sits in a layer above this
 * one, so the rule is repeated here; a test keeps the two in step.
 */

const COMBINING_MARKS = /\p{M}+/gu;
const NOT_WORD = /[^\p{L}\p{N}]+/gu;

/**
 * Lower case, accents and diacritics removed (ä → a, å → a, é → e), everything that is not a
 * letter or digit turned into a single space, trimmed: "Äitiys-Neuvola" → "aitiys neuvola".
 */
export function foldTerm(text: string): string {
  return text.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase().replace(NOT_WORD, ' ').trim();
}
