/**
 * Word forms for matching: the Snowball stemmers of Finnish, Swedish and English (from the
 * maintained @nlpjs language packages, not hand-written suffix rules), the few Finnish stem
 * changes Snowball leaves alone ("koe" → "kokeeseen", "tarve" → "tarpeeseen"), and a spelling
 * key that makes "farmacy" and "pharmacy" look alike. Stemming runs on the lower-case word with
 * its ä, ö and å (Finnish endings depend on them); the result is folded afterwards.
 */
import fiPkg from '@nlpjs/lang-fi';
import svPkg from '@nlpjs/lang-sv';
import enPkg from '@nlpjs/lang-en-min';
import type { Language } from '../map/index.js';
import { foldWord } from './text.js';

const STEMMERS: Record<Language, NlpjsStemmer> = {
  fi: new fiPkg.StemmerFi(),
  sv: new svPkg.StemmerSv(),
  en: new enPkg.StemmerEn(),
};

/** Only words of letters (any script, no digits) are stemmed; anything else is its own stem. */
const LETTERS_ONLY = /^\p{L}+$/u;

/**
 * The folded Snowball stem of `word` (lower case, diacritics kept) in `language`. Never throws:
 * a word the stemmer cannot take is its own stem.
 */
export function stemFolded(word: string, language: Language): string {
  if (word.length < 3 || !LETTERS_ONLY.test(word)) return foldWord(word);
  try {
    const stem = STEMMERS[language].stemWord(word);
    return foldWord(typeof stem === 'string' && stem.length > 0 ? stem : word);
  } catch {
    return foldWord(word);
  }
}

/**
 * Finnish words ending in -e change their stem before an ending, with consonant gradation:
 * "koe" → "kokee-" (verikokeeseen), "tarve" → "tarpee-", "lääke" → "lääkkee-", "side" → "sitee-",
 * "huone" → "huonee-". Returns those stems (folded, as `folded` is) for a word that has them.
 */
export function finnishStemVariants(folded: string): string[] {
  const n = folded.length;
  if (n < 3 || !folded.endsWith('e')) return [];
  const base = folded.slice(0, -1);
  const before = folded.charAt(n - 2);
  const out = [`${folded}e`];
  if ('aeiouy'.includes(before)) out.push(`${base}kee`);
  else if (before === 'k' || before === 'p' || before === 't') out.push(`${base}${before}ee`);
  else if (before === 'd') out.push(`${folded.slice(0, -2)}tee`);
  else if (before === 'v') out.push(`${folded.slice(0, -2)}pee`);
  return out;
}

/**
 * A spelling key: the same for words that sound alike across common spellings ("ph"/"f",
 * "c"/"k", "y"/"i", "w"/"v", doubled letters, "x" said "eks"), so "farmacy" finds "pharmacy",
 * "apteeki" finds "apteekki" and "ex-ray" finds "x-ray". Only compared for words of five or more letters.
 */
export function spellingKey(folded: string): string {
  const s = folded
    // A word-initial x is said as its letter's name: "ex-ray" is "x-ray".
    .replace(/^x/, 'eks')
    .replace(/ph/g, 'f')
    .replace(/th/g, 't')
    .replace(/ck/g, 'k')
    .replace(/qu/g, 'kv')
    .replace(/c(?=[eiy])/g, 's')
    .replace(/c/g, 'k')
    .replace(/x/g, 'ks')
    .replace(/w/g, 'v')
    .replace(/z/g, 's')
    .replace(/y/g, 'i')
    .replace(/h(?![aeiouy])/g, '');
  let out = '';
  for (let i = 0; i < s.length; i++) if (s[i] !== s[i - 1]) out += s[i];
  return out;
}

/** Finnish consonant gradation, weak grade to strong: "asunnot" is the plural of "asunto". */
const STRONG_GRADE: readonly [weak: string, strong: string][] = [
  ['nn', 'nt'],
  ['ll', 'lt'],
  ['rr', 'rt'],
  ['mm', 'mp'],
  ['ng', 'nk'],
];

/**
 * The strong-grade spelling of a Finnish word whose last consonant cluster is weak ("asunnot" →
 * "asuntot", "kullan" → "kultan"), so its other forms ("asuntojen") share a stem with it; [] when
 * the word has no weak cluster near its end.
 */
export function finnishStrongGrade(folded: string): string[] {
  const out: string[] = [];
  for (const [weak, strong] of STRONG_GRADE) {
    const at = folded.lastIndexOf(weak);
    if (at > 0 && folded.length - at <= 5)
      out.push(folded.slice(0, at) + strong + folded.slice(at + weak.length));
  }
  return out;
}
