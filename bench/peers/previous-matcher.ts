/**
 * PEER FOR THE BENCHMARK ONLY: the request matcher as it was before issue 12 (commit c133333),
 * kept verbatim apart from its import paths so `npm run bench -- matcher` can time the new one
 * against a real alternative: names and aliases only, no stemming, no services. Not used by the robot.
 */
/**
 * Understanding a request: which destination a customer means, from a destination id or free
 * text in Finnish, Swedish or English ("Missä on Kela?", "Var ligger FPA?", "where do I give a
 * blood sample?"), tolerant of case, accents, punctuation, extra words, word order, Finnish and
 * Swedish endings ("kirjastoon", "toaletten") and typos ("Kella", "libary"). Pure and bounded:
 * any string gives an answer in well under a millisecond and never throws.
 */
import type { Destination, Language } from '../../src/map/index.js';
import { DEFAULT_PLACE_WORDS, STOP_WORDS } from '../../src/interaction/stop-words.js';
import {
  BoundedEditDistance,
  MAX_TOKENS,
  MAX_TOKEN_CHARS,
  commonPrefixLength,
  foldText,
  tokenize,
} from '../../src/interaction/text.js';

/**
 * Why a destination (or an elsewhere service) was chosen: the site's own term that matched and
 * its language. Safe for logs and the console: it is the catalogue's word, never the customer's.
 */
export interface MatchWhy {
  /** What kind of phrase matched: the id, a name, an alias, a service term, an elsewhere term. */
  source: 'id' | 'name' | 'alias' | 'service' | 'elsewhere';
  /** The term as the site writes it ("asumistuki", "Kela"). */
  term: string;
  /** The term's language; '' for an id. */
  language: Language | '';
  /** For 'service' and 'elsewhere': the service's id. */
  serviceId?: string;
}

export type MatchResult =
  | { kind: 'match'; destinationId: string; language: Language; score: number; why: MatchWhy }
  /** Two or three desks fit about equally (never one): ask which, best first. */
  | { kind: 'ambiguous'; candidates: string[]; language: Language; why: MatchWhy[] }
  /** The request is for a service that is not on this floor (site `elsewhere`). */
  | { kind: 'elsewhere'; elsewhereId: string; language: Language; why: MatchWhy }
  /**
   * Not understood. `suggestions`: up to three destination ids related to words that were
   * understood (possibly none); never a fixed list.
   */
  | { kind: 'none'; language: Language; suggestions: string[] };

export type Matcher = (text: string, hint?: Language) => MatchResult;

export interface MatcherOptions {
  /** Words naming the whole site, ignored on both sides (default: Iso Omena, Matinkylä, Espoo). */
  placeWords?: readonly string[];
}

/** A destination whose best phrase scores at least this is a match, if no other comes close. */
const MATCH_MIN = 0.6;
/** Below this a destination is not even a candidate. */
const CANDIDATE_MIN = 0.4;
/** Destinations within this of the best are offered together ("did you mean A or B?"). */
const AMBIGUITY_MARGIN = 0.12;
const MAX_CANDIDATES = 4;
/** Only this many meaningful words of a request are matched: a request names a place early. */
const MAX_CONTENT_WORDS = 12;
/** Weight of "how much of the request the phrase explains" against "how much of the phrase was said". */
const QUERY_SHARE = 0.3;
/** Finnish and Swedish endings ("-ssa", "-lle", "-een", "-en", "-arna") are at most this long. */
const MAX_ENDING = 6;

const LANGS: readonly Language[] = ['fi', 'sv', 'en'];
const LANG_BIT: Record<Language, number> = { fi: 1, sv: 2, en: 4 };
const DIGITS = /^\d+$/;

/** One way of naming a destination: its folded words, each weighted by how telling it is. */
interface Phrase {
  dest: number;
  /** Which languages' names or aliases gave this phrase (bit mask; 0 for the id). */
  langMask: number;
  vocab: Int32Array;
  weights: Float64Array;
  totalWeight: number;
}

/** Words of each language that no other language's list has: they tell the language. */
const LANGUAGE_CUES: ReadonlyMap<string, Language> = (() => {
  const out = new Map<string, Language>();
  for (const lang of LANGS) {
    for (const w of STOP_WORDS[lang]) {
      if (LANGS.every((other) => other === lang || !STOP_WORDS[other].has(w))) out.set(w, lang);
    }
  }
  return out;
})();
const ANY_STOP_WORD = new Set<string>([...STOP_WORDS.fi, ...STOP_WORDS.sv, ...STOP_WORDS.en]);

function maxEdits(length: number): number {
  if (length <= 3) return 0;
  if (length <= 7) return 1;
  if (length <= 13) return 2;
  return 3;
}

/** Builds the normalized index of `destinations` once; the returned function answers requests. */
export function createMatcher(destinations: readonly Destination[], options: MatcherOptions = {}): Matcher {
  const placeWords = new Set((options.placeWords ?? DEFAULT_PLACE_WORDS).map(foldText));
  const ids = new Map<string, number>();
  const vocabIndex = new Map<string, number>();
  const vocab: string[] = [];
  const phraseByKey = new Map<string, { dest: number; langMask: number; words: string[]; joined: boolean }>();

  const isContent = (w: string) => !ANY_STOP_WORD.has(w) && !placeWords.has(w) && !DIGITS.test(w);
  const addPhrase = (dest: number, langMask: number, text: string) => {
    const all = tokenize(text).filter((w) => !DIGITS.test(w));
    const content = all.filter(isContent);
    // A name made only of common words ("Hissit"? no; "Ohjaamo"? no; but someday "Info") keeps them.
    const words = content.length > 0 ? content : all;
    if (words.length === 0) return;
    const variants = [{ words, joined: false }];
    const joined = words.join('');
    // "x-ray" is also typed "xray"; "äitiys neuvola" is also "äitiysneuvola".
    if (words.length > 1 && joined.length <= MAX_TOKEN_CHARS)
      variants.push({ words: [joined], joined: true });
    for (const v of variants) {
      const key = `${dest}|${v.words.join(' ')}`;
      const existing = phraseByKey.get(key);
      if (existing) existing.langMask |= langMask;
      else phraseByKey.set(key, { dest, langMask, words: v.words, joined: v.joined });
    }
  };

  destinations.forEach((d, i) => {
    ids.set(d.id.toLowerCase(), i);
    addPhrase(i, 0, d.id.replace(/[-_]/g, ' '));
    for (const lang of LANGS) {
      addPhrase(i, LANG_BIT[lang], d.name?.[lang] ?? '');
      for (const alias of d.aliases?.[lang] ?? []) addPhrase(i, LANG_BIT[lang], alias);
    }
  });

  // How many destinations use each word: a word shared by several ("services", "health") tells less.
  const destsOfWord = new Map<string, Set<number>>();
  /** Words that exist only as two words run together: matched whole (or with a typo), never in part. */
  const runTogether: boolean[] = [];
  for (const p of phraseByKey.values()) {
    for (const w of p.words) {
      const v = vocabIndex.get(w);
      if (v === undefined) {
        vocabIndex.set(w, vocab.length);
        vocab.push(w);
        runTogether.push(p.joined);
      } else if (!p.joined) {
        runTogether[v] = false;
      }
      let s = destsOfWord.get(w);
      if (!s) destsOfWord.set(w, (s = new Set()));
      s.add(p.dest);
    }
  }
  const phrases: Phrase[] = [...phraseByKey.values()].map((p) => {
    const weights = Float64Array.from(p.words, (w) => 1 / destsOfWord.get(w)!.size);
    return {
      dest: p.dest,
      langMask: p.langMask,
      vocab: Int32Array.from(p.words, (w) => vocabIndex.get(w)!),
      weights,
      totalWeight: weights.reduce((a, b) => a + b, 0),
    };
  });

  // Scratch buffers, reused by every request (a matcher is used by one caller at a time).
  const edit = new BoundedEditDistance();
  const wordQuality = new Float64Array(vocab.length);
  /** Which of the customer's words (bit mask) gave each vocabulary word its quality. */
  const wordMatchedBy = new Int32Array(vocab.length);
  const vocabWeight = Float64Array.from(vocab, (w) => 1 / destsOfWord.get(w)!.size);
  const vocabLetters = Int32Array.from(vocab, letterMask);
  const vocabDistinctive = vocab.map((w) => w.length >= 6 && destsOfWord.get(w)!.size === 1);
  const wordInfo = new Float64Array(MAX_TOKENS);
  const destScore = new Float64Array(destinations.length);
  const destLangMask = new Int32Array(destinations.length);

  /** How well a customer's word stands for a destination word: 1 same, 0 unrelated. */
  function quality(
    q: string,
    a: string,
    wholeOnly: boolean,
    qLetters: number,
    aLetters: number,
    distinctive: boolean,
  ): number {
    if (q === a) return 1;
    const lq = q.length;
    const la = a.length;
    if (wholeOnly) {
      if (la >= 4 && lq > la && lq - la <= MAX_ENDING && q.startsWith(a)) return 0.9;
      const allowed = maxEdits(la);
      const d =
        allowed > 0 && sameStart(q, a) && mayBeTypo(qLetters, aLetters, allowed)
          ? edit.distance(q, a, allowed)
          : allowed + 1;
      return d <= allowed ? 0.9 - 0.1 * d : 0;
    }
    if (la >= 4 && lq >= 4) {
      const prefix = commonPrefixLength(q, a);
      // The word with an ending: "kirjastoon", "toaletten", "metron".
      if (prefix === la && lq - la <= MAX_ENDING) return 0.9;
      // A stem that changes before the ending, or a plural dropped: "hisseille", "toilet".
      if (prefix >= Math.max(4, la - 3) && lq - prefix <= MAX_ENDING) return 0.85;
    }
    // The word inside a compound: "lastenneuvolaan" holds "neuvola". Only for a long word that
    // names one destination: "skattebyrån" holds "byrån" but is not the TE-byrån.
    if (distinctive && lq > la) {
      const at = q.indexOf(a, 1);
      if (at > 0 && lq - (at + la) <= MAX_ENDING) return 0.85;
    }
    // Part of a compound: "rådgivning" for "barnrådgivning".
    if (lq >= 5 && la > lq && a.endsWith(q)) return 0.75;
    const allowed = maxEdits(la);
    // Each edit brings in at most one letter the other word lacks: too many such letters, no typo.
    const missing = bitCount(aLetters & ~qLetters);
    if (allowed === 0 || missing > allowed || !sameStart(q, a)) return 0;
    const d = bitCount(qLetters & ~aLetters) <= allowed ? edit.distance(q, a, allowed) : allowed + 1;
    if (d <= allowed) return 0.9 - 0.1 * d;
    // A typo and an ending: "kirajstoon" (the first letter right, as it almost always is).
    if (lq > la && lq - la <= MAX_ENDING + 1 && q.charCodeAt(0) === a.charCodeAt(0)) {
      let best = allowed + 1;
      for (let cut = la - 1; cut <= la + 1 && cut <= lq; cut++) {
        best = Math.min(best, edit.distance(q, a, allowed, cut));
      }
      if (best <= allowed) return 0.8 - 0.1 * best;
    }
    return 0;
  }

  function chooseLanguage(votes: Float64Array, hint: Language | undefined): Language {
    let best = 0;
    for (const v of votes) best = Math.max(best, v);
    if (best === 0) return hint ?? 'fi';
    if (hint && votes[LANGS.indexOf(hint)] === best) return hint;
    return LANGS.find((_, i) => votes[i] === best)!;
  }

  return function match(text: string, hint?: Language): MatchResult {
    const safeHint = hint !== undefined && LANGS.includes(hint) ? hint : undefined;
    if (typeof text !== 'string') return { kind: 'none', language: safeHint ?? 'fi', suggestions: [] };
    const exactId = text.length <= 64 ? ids.get(text.trim().toLowerCase()) : undefined;
    if (exactId !== undefined) {
      // A kiosk button sends the id with its language; typed, an id is also a word of some language.
      const language = safeHint ?? matchText(text, undefined).language;
      const id = destinations[exactId]!.id;
      return {
        kind: 'match',
        destinationId: id,
        language,
        score: 1,
        why: { source: 'id', term: id, language: '' },
      };
    }
    return matchText(text, safeHint);
  };

  function matchText(text: string, safeHint: Language | undefined): MatchResult {
    const votes = new Float64Array(3);
    const content: string[] = [];
    for (const w of tokenize(text)) {
      const cue = LANGUAGE_CUES.get(w);
      if (cue) votes[LANGS.indexOf(cue)]! += 1;
      if (isContent(w) && content.length < MAX_CONTENT_WORDS) content.push(w);
    }
    // Candidates: the words, and each two neighbours run together ("x ray" → "xray"); a bit mask
    // per candidate says which of the customer's words it stands for.
    const wordsOf = new Map<string, number>();
    content.forEach((w, i) => wordsOf.set(w, (wordsOf.get(w) ?? 0) | (1 << i)));
    const singles = wordsOf.size;
    for (let i = 0; i + 1 < content.length; i++) {
      const joined = content[i]! + content[i + 1]!;
      if (joined.length <= MAX_TOKEN_CHARS && !wordsOf.has(joined))
        wordsOf.set(joined, (1 << i) | (1 << (i + 1)));
    }
    // A word said twice is compared once; run-together pairs come after the single words.
    const candidates = [...wordsOf.keys()];
    const candidateWords = [...wordsOf.values()];
    const candidateLetters = candidates.map(letterMask);
    if (candidates.length === 0)
      return { kind: 'none', language: chooseLanguage(votes, safeHint), suggestions: [] };

    for (let v = 0; v < vocab.length; v++) {
      const word = vocab[v]!;
      const la = word.length;
      let best = 0;
      let by = 0;
      for (let c = 0; c < candidates.length; c++) {
        const candidate = candidates[c]!;
        // A run-together pair is only ever a whole word (or that word with an ending), never a part.
        const wholeOnly = runTogether[v]! || c >= singles;
        // Cheap pre-check: unless the starts agree, only a compound can still match.
        const lq = candidate.length;
        if (!sameStart(candidate, word) && (wholeOnly || !((la >= 5 && lq > la) || (lq >= 5 && la > lq))))
          continue;
        const q = quality(
          candidate,
          word,
          wholeOnly,
          candidateLetters[c]!,
          vocabLetters[v]!,
          vocabDistinctive[v]!,
        );
        if (q > best) {
          best = q;
          by = candidateWords[c]!;
        }
        if (best === 1) break;
      }
      wordQuality[v] = best;
      wordMatchedBy[v] = by;
    }
    // How telling each of the customer's words is: as telling as the most specific word it
    // matched ("maternity" more than "clinic"); a word that matched nothing counts fully.
    wordInfo.fill(-1, 0, content.length);
    for (let v = 0; v < vocab.length; v++) {
      if (wordQuality[v] === 0) continue;
      for (let i = 0; i < content.length; i++) {
        if (wordMatchedBy[v]! & (1 << i)) wordInfo[i] = Math.max(wordInfo[i]!, vocabWeight[v]!);
      }
    }
    let saidInfo = 0;
    for (let i = 0; i < content.length; i++) {
      if (wordInfo[i]! < 0) wordInfo[i] = 1;
      saidInfo += wordInfo[i]!;
    }

    destScore.fill(0);
    destLangMask.fill(0);
    for (const p of phrases) {
      let got = 0;
      let explained = 0;
      for (let k = 0; k < p.vocab.length; k++) {
        const v = p.vocab[k]!;
        got += p.weights[k]! * wordQuality[v]!;
        if (wordQuality[v]! > 0) explained |= wordMatchedBy[v]!;
      }
      if (got <= 0) continue;
      // Mostly: how much of the phrase was said. A little: how much of what was said the phrase
      // explains, so the full "maternity and child health clinic" beats a lone alias "clinic".
      let explainedInfo = 0;
      for (let i = 0; i < content.length; i++) if (explained & (1 << i)) explainedInfo += wordInfo[i]!;
      const score = (got / p.totalWeight) * (1 - QUERY_SHARE + (QUERY_SHARE * explainedInfo) / saidInfo);
      const current = destScore[p.dest]!;
      if (score > current + 1e-9) {
        destScore[p.dest] = score;
        destLangMask[p.dest] = p.langMask;
      } else if (score > current - 1e-9) {
        destLangMask[p.dest]! |= p.langMask;
      }
    }

    let top = 0;
    let topDest = -1;
    for (let i = 0; i < destScore.length; i++) {
      if (destScore[i]! > top) {
        top = destScore[i]!;
        topDest = i;
      }
    }
    if (topDest >= 0) {
      // Only a phrase that one language alone uses tells the language ("FPA" is Swedish; "Kela" is not).
      const mask = destLangMask[topDest]!;
      for (const lang of LANGS) if (mask === LANG_BIT[lang]) votes[LANGS.indexOf(lang)]! += 2;
    }
    const language = chooseLanguage(votes, safeHint);
    if (top < CANDIDATE_MIN) return { kind: 'none', language, suggestions: [] };

    const floor = Math.max(CANDIDATE_MIN, top - AMBIGUITY_MARGIN);
    const near: number[] = [];
    for (let i = 0; i < destScore.length; i++) if (destScore[i]! >= floor) near.push(i);
    if (top >= MATCH_MIN && near.length === 1) {
      const id = destinations[topDest]!.id;
      // Placeholder until the catalogue-aware matcher names the phrase that matched.
      return {
        kind: 'match',
        destinationId: id,
        language,
        score: round3(top),
        why: { source: 'name', term: id, language },
      };
    }
    near.sort((a, b) => destScore[b]! - destScore[a]! || a - b);
    return {
      kind: 'ambiguous',
      candidates: near.slice(0, MAX_CANDIDATES).map((i) => destinations[i]!.id),
      language,
      why: [],
    };
  }
}

/** Which letters a word uses, folded into 32 bits (a collision only makes the typo test laxer). */
function letterMask(word: string): number {
  let mask = 0;
  for (let i = 0; i < word.length; i++) mask |= 1 << (word.charCodeAt(i) & 31);
  return mask;
}

function bitCount(mask: number): number {
  let n = 0;
  for (let m = mask; m !== 0; m &= m - 1) n++;
  return n;
}

function mayBeTypo(qLetters: number, aLetters: number, allowed: number): boolean {
  return bitCount(aLetters & ~qLetters) <= allowed && bitCount(qLetters & ~aLetters) <= allowed;
}

/**
 * A typo almost never hits both of the first two letters: checking that first keeps the
 * edit-distance work for words that can be typos of each other.
 */
function sameStart(q: string, a: string): boolean {
  const q0 = q.charCodeAt(0);
  const q1 = q.charCodeAt(1);
  const a0 = a.charCodeAt(0);
  const a1 = a.charCodeAt(1);
  return q0 === a0 || q1 === a1 || (q0 === a1 && q1 === a0);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
