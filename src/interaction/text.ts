/**
 * Text folding and string distance for the matcher: the small, allocation-light primitives that
 * make "ÄITIYSNEUVOLA!", "aitiysneuvola" and "äitiys-neuvola" look alike.
 */

/** Customer text beyond this many UTF-16 units is ignored: requests are a sentence, not an essay. */
export const MAX_TEXT_CHARS = 200;
/** At most this many words of a request are looked at. */
export const MAX_TOKENS = 32;
/** Words longer than this are cut (no desk name is longer; it bounds the edit-distance work). */
export const MAX_TOKEN_CHARS = 32;

const COMBINING_MARKS = /\p{M}+/gu;
const NOT_WORD = /[^\p{L}\p{N}]+/gu;

/**
 * Lower case, accents and diacritics removed (ä → a, å → a, é → e), everything that is not a
 * letter or digit turned into a single space, trimmed. Letters of other scripts stay letters.
 */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase().replace(NOT_WORD, ' ').trim();
}

/** One word folded as `foldText` folds it (the word is already lower case and has no spaces). */
export function foldWord(word: string): string {
  return word.normalize('NFKD').replace(COMBINING_MARKS, '');
}

/**
 * Lower-case words of `text` with their diacritics (ä, ö, å) kept, for the stemmers; capped in
 * count and length like `tokenize`. Fold each with `foldWord` to get `tokenize`'s words.
 */
export function lowerWords(text: string): string[] {
  const clipped = text.length > MAX_TEXT_CHARS ? text.slice(0, MAX_TEXT_CHARS) : text;
  const lower = clipped.normalize('NFC').toLowerCase().replace(NOT_WORD, ' ').trim();
  if (lower.length === 0) return [];
  return capWords(lower.split(' '));
}

/** Folded words of `text`, capped in count and length. */
export function tokenize(text: string): string[] {
  const folded = foldText(text.length > MAX_TEXT_CHARS ? text.slice(0, MAX_TEXT_CHARS) : text);
  if (folded.length === 0) return [];
  return capWords(folded.split(' '));
}

/** At most MAX_TOKENS words, each cut to MAX_TOKEN_CHARS (in place). */
function capWords(words: string[]): string[] {
  if (words.length > MAX_TOKENS) words.length = MAX_TOKENS;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w.length > MAX_TOKEN_CHARS) words[i] = w.slice(0, MAX_TOKEN_CHARS);
  }
  return words;
}

/** Length of the common prefix of two strings. */
export function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/**
 * Edit distance with adjacent transpositions (optimal string alignment, the usual
 * "Damerau–Levenshtein" of spell checkers), cut off at `max`: returns `max + 1` as soon as the
 * distance must exceed `max`. Reuses three rows, so it does not allocate per call.
 */
export class BoundedEditDistance {
  readonly #rows: [Int32Array, Int32Array, Int32Array];

  constructor(maxLength = MAX_TOKEN_CHARS + 8) {
    this.#rows = [
      new Int32Array(maxLength + 1),
      new Int32Array(maxLength + 1),
      new Int32Array(maxLength + 1),
    ];
  }

  /**
   * Distance between characters [`from`, `aLength`) of `a` (default: all) and `b` from `from` on
   * (`from` skips a first letter both words have, typo or not, without copying the strings).
   */
  distance(a: string, b: string, max: number, aLength = a.length, from = 0): number {
    const la = Math.min(aLength, a.length) - from;
    const lb = b.length - from;
    if (Math.abs(la - lb) > max) return max + 1;
    if (la === 0 || lb === 0) return Math.max(la, lb);
    if (lb + 1 > this.#rows[0].length) return max + 1;
    let [prev2, prev, cur] = this.#rows;
    for (let j = 0; j <= lb; j++) prev[j] = j;
    for (let i = 1; i <= la; i++) {
      cur[0] = i;
      let rowMin = i;
      const ca = a.charCodeAt(from + i - 1);
      for (let j = 1; j <= lb; j++) {
        const cb = b.charCodeAt(from + j - 1);
        const cost = ca === cb ? 0 : 1;
        let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
        if (i > 1 && j > 1 && ca === b.charCodeAt(from + j - 2) && a.charCodeAt(from + i - 2) === cb) {
          d = Math.min(d, prev2[j - 2]! + 1);
        }
        cur[j] = d;
        if (d < rowMin) rowMin = d;
      }
      if (rowMin > max) return max + 1;
      [prev2, prev, cur] = [prev, cur, prev2];
    }
    const d = prev[lb]!;
    return d > max ? max + 1 : d;
  }
}
