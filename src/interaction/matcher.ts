/**
 * Understanding a request: which destination a customer means, or that what they need is not on
 * this floor, from a destination id or free text in Finnish, Swedish or English ("Missä on
 * Kela?", "tarvitsen asumistukea", "Var ligger FPA?", "where do I give a blood sample?"). It
 * matches the desks' names and aliases and, weighed below them, the services each desk handles
 * and the services that are elsewhere (site.yaml `services`, `elsewhere`); tolerant of case,
 * accents, punctuation, extra words, word order, inflection (Snowball stemmers), Finnish and
 * Swedish compounds and typos. Pure and bounded: any string gives an answer in well under a
 * millisecond and never throws. How it decides is written up in docs/understanding.md.
 */
import type { Destination, ElsewhereService, Language } from '../map/index.js';
import { addFormStarts, splitCompound } from './compounds.js';
import { LANGS, LANGUAGE_CUES, LANG_BIT, chooseLanguage, isLanguage, onlyLanguage } from './language.js';
import { finnishStemVariants, finnishStrongGrade, spellingKey, stemFolded } from './stemming.js';
import { DEFAULT_PLACE_WORDS, STOP_WORDS } from './stop-words.js';
import {
  BoundedEditDistance,
  MAX_TOKEN_CHARS,
  commonPrefixLength,
  foldText,
  foldWord,
  lowerWords,
} from './text.js';

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
  /** Services that are not on this floor (site.yaml `elsewhere`): answered with kind 'elsewhere'. */
  elsewhere?: readonly ElsewhereService[];
}

/** A destination whose best phrase scores at least this is a match, if no other comes close. */
const MATCH_MIN = 0.6;
/** Below this a destination is not even a candidate. */
const CANDIDATE_MIN = 0.4;
/** Destinations within this of the best are offered together ("did you mean A or B?"). */
const AMBIGUITY_MARGIN = 0.12;
/** At most this many desks are offered when asking back ("say one or two" — or three). */
const MAX_CANDIDATES = 3;
/** A service term counts this much of a name: a desk's name beats another desk's service. */
const SERVICE_WEIGHT = 0.9;
/** An elsewhere term: above services, so a request for a passport never lands at a desk. */
const ELSEWHERE_WEIGHT = 0.95;
/** A customer's word that matched a site word at least this well was understood. */
const UNDERSTOOD = 0.85;
/** A desk scoring at least this on understood words may be suggested after a "none". */
const SUGGEST_MIN = 0.2;
/** Only this many meaningful words of a request are matched: a request names a place early. */
const MAX_CONTENT_WORDS = 12;
/** Weight of "how much of the request the phrase explains" against "how much of the phrase was said". */
const QUERY_SHARE = 0.3;
/** Finnish and Swedish endings ("-ssa", "-lle", "-een", "-en", "-arna") are at most this long. */
const MAX_ENDING = 6;

const DIGITS = /^\d+$/;
const ANY_STOP_WORD = new Set<string>([...STOP_WORDS.fi, ...STOP_WORDS.sv, ...STOP_WORDS.en]);

type Source = MatchWhy['source'];
const SOURCE_WEIGHT: Record<Source, number> = {
  id: 1,
  name: 1,
  alias: 1,
  service: SERVICE_WEIGHT,
  elsewhere: ELSEWHERE_WEIGHT,
};

/** One way of naming a target (a desk, or an elsewhere service after the desks). */
interface Phrase {
  target: number;
  /** Which languages' terms gave this phrase (bit mask; 0 for the id). */
  langMask: number;
  source: Source;
  /** The site's term, as written, for `why`. */
  term: string;
  serviceId: string | undefined;
  vocab: Int32Array;
  weights: Float64Array;
  totalWeight: number;
}

/** A word or two run-together neighbours of the request, ready to compare. */
interface Candidate {
  folded: string;
  /** Which of the customer's content words (bit mask) it stands for. */
  words: number;
  /** A run-together pair: matched only whole, never as a part. */
  pair: boolean;
  letters: number;
  /** Folded Snowball stems in fi, sv, en. */
  stems: string[];
  key: string;
}

function maxEdits(length: number): number {
  if (length <= 3) return 0;
  if (length <= 7) return 1;
  if (length <= 13) return 2;
  return 3;
}

/** Builds the normalized index of `destinations` once; the returned function answers requests. */
export function createMatcher(destinations: readonly Destination[], options: MatcherOptions = {}): Matcher {
  const index = buildIndex(destinations, options.elsewhere ?? [], options.placeWords ?? DEFAULT_PLACE_WORDS);
  const ids = new Map<string, number>();
  destinations.forEach((d, i) => ids.set(d.id.toLowerCase(), i));
  const understand = createUnderstanding(index);

  return function match(text: string, hint?: Language): MatchResult {
    const safeHint = isLanguage(hint) ? hint : undefined;
    if (typeof text !== 'string') return { kind: 'none', language: safeHint ?? 'fi', suggestions: [] };
    const exactId = text.length <= 64 ? ids.get(text.trim().toLowerCase()) : undefined;
    if (exactId !== undefined) {
      // A kiosk button sends the id with its language; typed, an id is also a word of some language.
      const language = safeHint ?? understand(text, undefined).language;
      const id = destinations[exactId]!.id;
      return {
        kind: 'match',
        destinationId: id,
        language,
        score: 1,
        why: { source: 'id', term: id, language: '' },
      };
    }
    return understand(text, safeHint);
  };
}

/** Everything the matcher knows about the site, normalized once. */
interface Index {
  destinations: readonly Destination[];
  elsewhere: readonly ElsewhereService[];
  isContent: (folded: string) => boolean;
  phrases: Phrase[];
  vocab: string[];
  /** Per vocabulary word: its folded stems in fi, sv, en ('' where the word is not of that language). */
  vocabStems: string[][];
  /** Per vocabulary word: Finnish stems Snowball does not give ("kokee" for "koe"). */
  vocabVariants: string[][];
  /** Per vocabulary word: its Finnish strong-grade spelling ("asuntot" for "asunnot"). */
  vocabStrong: string[][];
  vocabLangMask: Int32Array;
  vocabWeight: Float64Array;
  vocabLetters: Int32Array;
  vocabKeys: string[];
  /** Words that name one target and are long: found inside a compound ("lastenneuvolaan"). */
  vocabDistinctive: boolean[];
  /** Words that exist only as two words run together: matched whole (or with a typo), never in part. */
  runTogether: boolean[];
  /** Each vocabulary word to its id. */
  vocabIds: Map<string, number>;
  /** Forms a compound's parts may take, to their vocabulary ids. */
  forms: Map<string, number[]>;
  /** Endings of five or more letters of longer words, to the words ("rådgivning" → barnrådgivning). */
  suffixes: Map<string, number[]>;
}

interface PhraseDraft {
  target: number;
  langMask: number;
  source: Source;
  term: string;
  serviceId: string | undefined;
  words: string[];
  raws: string[];
  joined: boolean;
}

function buildIndex(
  destinations: readonly Destination[],
  elsewhere: readonly ElsewhereService[],
  placeWordList: readonly string[],
): Index {
  const placeWords = new Set(placeWordList.map(foldText));
  const isContent = (w: string) => !ANY_STOP_WORD.has(w) && !placeWords.has(w) && !DIGITS.test(w);
  const drafts = new Map<string, PhraseDraft>();
  const add = (target: number, language: Language | '', source: Source, term: string, serviceId?: string) => {
    if (typeof term !== 'string') return;
    const raws = lowerWords(term).filter((w) => !DIGITS.test(w) && foldWord(w).length > 0);
    const content = raws.filter((w) => isContent(foldWord(w)));
    // A name made only of common words keeps them.
    const kept = content.length > 0 ? content : raws;
    if (kept.length === 0) return;
    const words = kept.map(foldWord);
    const variants = [{ words, raws: kept, joined: false }];
    const joined = words.join('');
    // "x-ray" is also typed "xray"; "äitiys neuvola" is also "äitiysneuvola".
    if (words.length > 1 && joined.length <= MAX_TOKEN_CHARS)
      variants.push({ words: [joined], raws: [kept.join('')], joined: true });
    const langMask = language === '' ? 0 : LANG_BIT[language];
    for (const v of variants) {
      const key = `${target}|${source}|${serviceId ?? ''}|${v.words.join(' ')}`;
      const existing = drafts.get(key);
      if (existing) existing.langMask |= langMask;
      else drafts.set(key, { target, langMask, source, term, serviceId, ...v });
    }
  };
  destinations.forEach((d, i) => {
    for (const lang of LANGS) {
      add(i, lang, 'name', d.name?.[lang] ?? '');
      for (const alias of d.aliases?.[lang] ?? []) add(i, lang, 'alias', alias);
      for (const s of d.services ?? [])
        for (const t of s.terms?.[lang] ?? []) add(i, lang, 'service', t, s.id);
    }
    // After the names: on a tie, `why` gives the name the customer used, not the id.
    add(i, '', 'id', d.id.replace(/[-_]/g, ' '));
  });
  elsewhere.forEach((e, k) => {
    for (const lang of LANGS) {
      for (const t of e.terms?.[lang] ?? []) add(destinations.length + k, lang, 'elsewhere', t, e.id);
    }
  });
  return indexOfDrafts(destinations, elsewhere, isContent, [...drafts.values()]);
}

function indexOfDrafts(
  destinations: readonly Destination[],
  elsewhere: readonly ElsewhereService[],
  isContent: (folded: string) => boolean,
  drafts: PhraseDraft[],
): Index {
  const vocabIndex = new Map<string, number>();
  const vocab: string[] = [];
  const vocabStems: string[][] = [];
  const langMasks: number[] = [];
  const runTogether: boolean[] = [];
  // How many targets use each word: a word shared by several ("services", "health") tells less.
  const targetsOfWord: Set<number>[] = [];
  for (const p of drafts) {
    p.words.forEach((w, k) => {
      let v = vocabIndex.get(w);
      if (v === undefined) {
        v = vocab.length;
        vocabIndex.set(w, v);
        vocab.push(w);
        vocabStems.push(['', '', '']);
        langMasks.push(0);
        runTogether.push(p.joined);
        targetsOfWord.push(new Set());
      } else if (!p.joined) {
        runTogether[v] = false;
      }
      langMasks[v]! |= p.langMask;
      targetsOfWord[v]!.add(p.target);
      LANGS.forEach((lang, li) => {
        if (p.langMask & LANG_BIT[lang] && vocabStems[v]![li] === '')
          vocabStems[v]![li] = stemFolded(p.raws[k]!, lang);
      });
    });
  }
  const vocabWeight = Float64Array.from(targetsOfWord, (s) => 1 / s.size);
  const vocabVariants = vocab.map((w, v) => (langMasks[v]! & LANG_BIT.fi ? finnishStemVariants(w) : []));
  const phrases: Phrase[] = drafts.map((p) => {
    const weights = Float64Array.from(p.words, (w) => vocabWeight[vocabIndex.get(w)!]!);
    return {
      target: p.target,
      langMask: p.langMask,
      source: p.source,
      term: p.term,
      serviceId: p.serviceId,
      vocab: Int32Array.from(p.words, (w) => vocabIndex.get(w)!),
      weights,
      totalWeight: weights.reduce((a, b) => a + b, 0),
    };
  });
  return {
    destinations,
    elsewhere,
    isContent,
    phrases,
    vocab,
    vocabStems,
    vocabVariants,
    vocabStrong: vocab.map((w, v) => (langMasks[v]! & LANG_BIT.fi ? finnishStrongGrade(w) : [])),
    vocabLangMask: Int32Array.from(langMasks),
    vocabWeight,
    vocabLetters: Int32Array.from(vocab, letterMask),
    vocabKeys: vocab.map(spellingKey),
    vocabDistinctive: vocab.map((w, v) => w.length >= 6 && targetsOfWord[v]!.size === 1),
    runTogether,
    vocabIds: vocabIndex,
    forms: compoundForms(vocab, langMasks, vocabVariants, runTogether),
    suffixes: suffixIndex(vocab, runTogether),
  };
}

/**
 * The forms a word takes as the part of a compound: itself, its Finnish changed stems, the
 * Finnish genitive ("kelan-") and the Swedish linking s ("bostads-"). Run-together phrases and
 * words of fewer than three letters are not parts.
 */
function compoundForms(
  vocab: string[],
  langMasks: number[],
  variants: string[][],
  runTogether: boolean[],
): Map<string, number[]> {
  const forms = new Map<string, number[]>();
  const put = (form: string, v: number) => {
    if (form.length < 3) return;
    const list = forms.get(form);
    if (!list) forms.set(form, [v]);
    else if (!list.includes(v)) list.push(v);
  };
  vocab.forEach((w, v) => {
    if (runTogether[v] || w.length < 3) return;
    put(w, v);
    if (langMasks[v]! & LANG_BIT.fi) {
      for (const f of variants[v]!) put(f, v);
      if (/[aeiouy]$/.test(w)) put(`${w}n`, v);
    }
    if (langMasks[v]! & LANG_BIT.sv && !w.endsWith('s')) put(`${w}s`, v);
  });
  addFormStarts(forms);
  return forms;
}

function suffixIndex(vocab: string[], runTogether: boolean[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  vocab.forEach((w, v) => {
    if (runTogether[v]) return;
    for (let start = 1; w.length - start >= 5; start++) {
      const tail = w.slice(start);
      const list = out.get(tail);
      if (!list) out.set(tail, [v]);
      else list.push(v);
    }
  });
  return out;
}

/** The request-answering half: scratch buffers reused by every request (one caller at a time). */
function createUnderstanding(index: Index): (text: string, hint: Language | undefined) => MatchResult {
  const { vocab, phrases } = index;
  const targets = index.destinations.length + index.elsewhere.length;
  const edit = new BoundedEditDistance();
  const vocabLength = Int32Array.from(vocab, (w) => w.length);
  const vocabFirst = Int32Array.from(vocab, (w) => w.charCodeAt(0));
  const vocabSecond = Int32Array.from(vocab, (w) => w.charCodeAt(1));
  const vocabAllowed = Int32Array.from(vocab, (w) => maxEdits(w.length));
  const vocabKeyLength = Int32Array.from(index.vocabKeys, (k) => k.length);
  // Buckets of vocabulary words by how a request word can reach them (see compareWords).
  const byFirst = bucket((v) => [vocabFirst[v]!]);
  const bySecondLength = bucket((v) => [vocabSecond[v]! * 64 + Math.min(63, vocabLength[v]!)]);
  const byFirstTwo = bucket((v) => [vocabFirst[v]! * 65536 + vocabSecond[v]!]);
  const byLength = bucket((v) => (vocabLength[v]! >= 6 ? [vocabLength[v]!] : []));
  const byKey = bucket((v) => (vocabLength[v]! >= 4 ? [index.vocabKeys[v]!] : []));
  /** The vocabulary words some request word matched, in the order first matched. */
  const touched = new Int32Array(vocab.length);
  let touchedCount = 0;
  const visited = new Int32Array(vocab.length);
  const phrasesOfWord: number[][] = vocab.map(() => []);
  phrases.forEach((p, pi) =>
    p.vocab.forEach((v) => phrasesOfWord[v]!.includes(pi) || phrasesOfWord[v]!.push(pi)),
  );
  const phraseList = new Int32Array(phrases.length);
  const phraseSeen = new Int32Array(phrases.length);
  let phraseCount = 0;
  let phraseStamp = 0;
  let stamp = 0;
  function bucket<K>(keysOf: (v: number) => K[]): Map<K, Int32Array> {
    const lists = new Map<K, number[]>();
    for (let v = 0; v < vocab.length; v++) {
      for (const key of keysOf(v)) {
        const list = lists.get(key);
        if (list) list.push(v);
        else lists.set(key, [v]);
      }
    }
    return new Map([...lists].map(([key, list]) => [key, Int32Array.from(list)]));
  }
  const maxCandidates = 2 * MAX_CONTENT_WORDS;
  const candFirst = new Int32Array(maxCandidates);
  const candSecond = new Int32Array(maxCandidates);
  const candLetters = new Int32Array(maxCandidates);
  const candLength = new Int32Array(maxCandidates);
  const wordQuality = new Float64Array(vocab.length);
  /** Which of the customer's words (bit mask) gave each vocabulary word its quality. */
  const wordMatchedBy = new Int32Array(vocab.length);
  /** Whether each vocabulary word's quality came from a typo (set by `typoQuality`, read after). */
  const wordByTypo = new Uint8Array(vocab.length);
  let lastWasTypo = false;
  const wordInfo = new Float64Array(MAX_CONTENT_WORDS);
  const targetScore = new Float64Array(targets);
  const targetPhrase = new Int32Array(targets);
  /** The best phrase was said whole, every word of it understood (not only a part, or only a guess). */
  const targetFirm = new Uint8Array(targets);
  /** Which of the request's words (bit mask) the best phrase accounts for. */
  const targetExplained = new Int32Array(targets);
  /** The languages of the phrases that tie for each target's best score. */
  const targetLangMask = new Int32Array(targets);
  const understoodScore = new Float64Array(targets);

  /** How well a customer's word stands for a vocabulary word: 1 same, 0 unrelated. */
  function quality(c: Candidate, v: number): number {
    const q = c.folded;
    const a = vocab[v]!;
    if (q === a) return 1;
    const lq = q.length;
    const la = a.length;
    const wholeOnly = index.runTogether[v]! || c.pair;
    // The same word inflected ("asumistukea", "hakemuksen", "toiletten"): the same Snowball stem.
    if (lq >= 4 && !wholeOnly) {
      const stems = index.vocabStems[v]!;
      for (let li = 0; li < 3; li++) {
        const s = stems[li]!;
        if (s.length >= 3 && s === c.stems[li]) return 0.9;
      }
      for (const f of index.vocabVariants[v]!) if (q.startsWith(f) && lq - f.length <= MAX_ENDING) return 0.9;
    }
    if (wholeOnly) return wholeQuality(c, v);
    if (la >= 4 && lq >= 4) {
      const prefix = commonPrefixLength(q, a);
      // The word with an ending: "kirjastoon", "toaletten", "metron".
      if (prefix === la && lq - la <= MAX_ENDING) return 0.9;
      // A stem that changes before the ending, or a plural dropped: "hisseille", "toilet".
      if (prefix >= Math.max(4, la - 2) && lq - prefix <= MAX_ENDING) return 0.85;
      // The same with Finnish gradation: "asuntojen" for "asunnot" (strong "asuntot").
      for (const strong of index.vocabStrong[v]!) {
        const p = commonPrefixLength(q, strong);
        if (p >= Math.max(4, la - 2) && lq - p <= MAX_ENDING) return 0.85;
      }
    }
    // The word inside a compound: "lastenneuvolaan" holds "neuvola". Only for a long word that
    // names one target: "skattebyrån" holds "byrån" but is not the TE-byrån.
    if (index.vocabDistinctive[v]! && lq > la) {
      const at = q.indexOf(a, 1);
      if (at > 0 && lq - (at + la) <= MAX_ENDING) return 0.85;
    }
    // Spelled as it sounds: "farmacy" for "pharmacy", "apteeki" for "apteekki".
    if (la >= 5 && lq >= 5 && c.key === index.vocabKeys[v]) return 0.85;
    return typoQuality(c, v);
  }

  /** A run-together word: only the whole word, with an ending or a typo. */
  function wholeQuality(c: Candidate, v: number): number {
    const q = c.folded;
    const a = vocab[v]!;
    if (a.length >= 4 && q.length > a.length && q.length - a.length <= MAX_ENDING && q.startsWith(a))
      return 0.9;
    // Spelled as it sounds: "ex ray" run together for "xray".
    if (a.length >= 4 && c.key === index.vocabKeys[v]) return 0.85;
    const allowed = maxEdits(a.length);
    const d =
      allowed > 0 && sameStart(q, a) && mayBeTypo(c.letters, index.vocabLetters[v]!, allowed)
        ? edit.distance(q, a, allowed)
        : allowed + 1;
    lastWasTypo = d > 0 && d <= allowed;
    return d <= allowed ? 0.9 - 0.1 * d : 0;
  }

  function typoQuality(c: Candidate, v: number): number {
    lastWasTypo = true;
    const q = c.folded;
    const a = vocab[v]!;
    const lq = q.length;
    const la = a.length;
    const allowed = maxEdits(la);
    // Each edit brings in at most one letter the other word lacks: too many such letters, no typo.
    const aLetters = index.vocabLetters[v]!;
    if (allowed === 0 || bitCount(aLetters & ~c.letters) > allowed) return 0;
    if (!sameStart(q, a)) {
      // A typo in the first letter, when the rest of a longer word is right ("hirjasto"; one
      // more slip allowed in a word of ten letters or more).
      if (la < 6 || lq !== la) return 0;
      const rest = la >= 10 ? 1 : 0;
      const d = edit.distance(q, a, rest, lq, 1);
      return d <= rest ? 0.8 - 0.1 * d : 0;
    }
    // A four-letter word takes a letter missing or doubled ("Kella"), not another letter: "song"
    // is not "sorg", nor "saan" "scan".
    const d =
      bitCount(c.letters & ~aLetters) <= allowed && (la > 4 || lq !== la)
        ? edit.distance(q, a, allowed)
        : allowed + 1;
    if (d <= allowed) return 0.9 - 0.1 * d;
    // A typo and an ending: "kirajstoon" (the first letter right, as it almost always is).
    if (lq > la && lq - la <= MAX_ENDING + 1 && q.charCodeAt(0) === a.charCodeAt(0)) {
      let best = allowed + 1;
      for (let cut = la - 1; cut <= la + 1 && cut <= lq; cut++)
        best = Math.min(best, edit.distance(q, a, allowed, cut));
      if (best <= allowed) return 0.8 - 0.1 * best;
    }
    return 0;
  }

  /** Fills wordQuality/wordMatchedBy: each vocabulary word's best match among the candidates. */
  function compareWords(candidates: Candidate[]): void {
    wordQuality.fill(0);
    wordMatchedBy.fill(0);
    const n = candidates.length;
    for (let k = 0; k < n; k++) {
      candFirst[k] = candidates[k]!.folded.charCodeAt(0);
      candSecond[k] = candidates[k]!.folded.charCodeAt(1);
      candLetters[k] = candidates[k]!.letters;
      candLength[k] = candidates[k]!.folded.length;
    }
    const { vocabLetters, vocabDistinctive, vocabKeys } = index;
    touchedCount = 0;
    for (let k = 0; k < n; k++) {
      const c = candidates[k]!;
      const q0 = candFirst[k]!;
      const q1 = candSecond[k]!;
      const lq = candLength[k]!;
      const qLetters = candLetters[k]!;
      stamp++;
      /** Compares the candidate with vocabulary word `v`, if the cheap checks let it. */
      const consider = (v: number) => {
        if (visited[v] === stamp) return;
        visited[v] = stamp;
        const la = vocabLength[v]!;
        const a0 = vocabFirst[v]!;
        const a1 = vocabSecond[v]!;
        // Every way a word can stand for another (an ending, a stem, a typo, a compound holding
        // it) keeps all but a few of its letters.
        const missing = bitCount(vocabLetters[v]! & ~qLetters);
        if (missing > 3) return;
        // Unless the first two letters agree (an ending, a stem, a changed stem), only a typo, a
        // compound holding the word or the same spelling key can still match.
        if (q0 !== a0 || q1 !== a1) {
          const allowed = vocabAllowed[v]!;
          const typoSized = Math.abs(lq - la) <= allowed && missing <= allowed;
          if (
            !(typoSized && (q0 === a0 || q1 === a1 || (q0 === a1 && q1 === a0))) &&
            !(q0 === a0 && lq > la && lq - la <= MAX_ENDING + 1 && missing <= allowed) &&
            !(la >= 6 && lq === la && missing <= 1) &&
            !(!c.pair && vocabDistinctive[v]! && lq > la && missing === 0) &&
            !(la >= 4 && c.key.length === vocabKeyLength[v] && c.key === vocabKeys[v])
          )
            return;
        }
        lastWasTypo = false;
        const q = quality(c, v);
        if (q > wordQuality[v]!) {
          if (wordQuality[v] === 0) touched[touchedCount++] = v;
          wordQuality[v] = q;
          wordMatchedBy[v] = c.words;
          wordByTypo[v] = lastWasTypo ? 1 : 0;
        }
      };
      // Only the vocabulary words that could pass the checks above are looked at: those with
      // the same first letter, the same second letter and a length a typo allows, the two first
      // letters swapped, the same length (a first-letter typo), held inside the word, or spelt alike.
      forEachIn(byFirst.get(q0), consider);
      for (let len = Math.max(1, lq - 3); len <= lq + 3; len++)
        forEachIn(bySecondLength.get(q1 * 64 + len), consider);
      forEachIn(byFirstTwo.get(q1 * 65536 + q0), consider);
      if (lq >= 6) forEachIn(byLength.get(lq), consider);
      forEachIn(byKey.get(c.key), consider);
      if (!c.pair) {
        for (let start = 1; start + 6 <= lq; start++) {
          for (let end = Math.max(start + 6, lq - MAX_ENDING); end <= lq; end++) {
            const v = index.vocabIds.get(c.folded.slice(start, end));
            if (v !== undefined && vocabDistinctive[v]) consider(v);
          }
        }
      }
    }
    for (const c of candidates) {
      if (c.pair) continue;
      // The last part of a compound: "rådgivning" for "barnrådgivning".
      for (const v of c.folded.length >= 5 ? (index.suffixes.get(c.folded) ?? []) : []) {
        if (0.75 > wordQuality[v]!) {
          if (wordQuality[v] === 0) touched[touchedCount++] = v;
          wordQuality[v] = 0.75;
          wordMatchedBy[v] = c.words;
          wordByTypo[v] = 0;
        }
      }
      // Compounds of known words: "asumistukihakemus", "verikokeeseen", "bostadsbidraget".
      if (c.folded.length < 6 || index.vocabIds.has(c.folded)) continue;
      const split = splitCompound(c.folded, index.forms, MAX_ENDING);
      if (!split) continue;
      if (!oneLanguage(split.parts)) continue;
      const q = split.tailUnknown ? 0.75 : UNDERSTOOD;
      for (const v of split.parts) {
        if (split.tailUnknown && vocab[v]!.length < 5) continue;
        if (q > wordQuality[v]!) {
          if (wordQuality[v] === 0) touched[touchedCount++] = v;
          wordQuality[v] = q;
          wordMatchedBy[v] = c.words;
          wordByTypo[v] = 0;
        }
      }
    }
  }

  /**
   * When the request's own small words say its language ("kuinka", "var", "where"), a misspelt
   * word is forgiven only as a word of that language: "vanha" in a Finnish question is not a slip
   * for the Swedish "vända".
   */
  function forgiveTyposInOwnLanguageOnly(votes: Float64Array): void {
    const said = onlyLanguage(LANGS.reduce((m, lang, i) => (votes[i]! > 0 ? m | LANG_BIT[lang] : m), 0));
    if (!said) return;
    for (let t = 0; t < touchedCount; t++) {
      const v = touched[t]!;
      const mask = index.vocabLangMask[v]!;
      if (wordByTypo[v] === 1 && mask !== 0 && !(mask & LANG_BIT[said])) {
        wordQuality[v] = 0;
      }
    }
  }

  /** Whether the parts of a compound can all be words of one language ("buss" + "ill" cannot). */
  function oneLanguage(parts: readonly number[]): boolean {
    let mask = LANG_BIT.fi | LANG_BIT.sv | LANG_BIT.en;
    for (const v of parts) mask &= index.vocabLangMask[v]! === 0 ? mask : index.vocabLangMask[v]!;
    return mask !== 0;
  }

  /** Scores each target by its best phrase; returns how telling each customer word was, summed. */
  function scoreTargets(contentCount: number): void {
    // How telling each of the customer's words is: as telling as the most specific word it
    // matched ("maternity" more than "clinic"); a word that matched nothing counts fully.
    wordInfo.fill(-1);
    phraseCount = 0;
    phraseStamp++;
    for (let t = 0; t < touchedCount; t++) {
      const v = touched[t]!;
      if (wordQuality[v] === 0) continue;
      // Only phrases holding a matched word can score.
      for (const pi of phrasesOfWord[v]!) {
        if (phraseSeen[pi] === phraseStamp) continue;
        phraseSeen[pi] = phraseStamp;
        phraseList[phraseCount++] = pi;
      }
      for (let i = 0; i < contentCount; i++) {
        if (wordMatchedBy[v]! & (1 << i)) wordInfo[i] = Math.max(wordInfo[i]!, index.vocabWeight[v]!);
      }
    }
    let saidInfo = 0;
    for (let i = 0; i < contentCount; i++) {
      if (wordInfo[i]! < 0) wordInfo[i] = 1;
      saidInfo += wordInfo[i]!;
    }
    targetScore.fill(0);
    targetPhrase.fill(-1);
    targetLangMask.fill(0);
    understoodScore.fill(0);
    // In the site's order, so ties go to the phrase listed first (a name before the id).
    phraseList.subarray(0, phraseCount).sort();
    for (let j = 0; j < phraseCount; j++) {
      const pi = phraseList[j]!;
      const p = phrases[pi]!;
      let got = 0;
      let understood = 0;
      let explained = 0;
      let said = 0;
      let sure = 0;
      for (let k = 0; k < p.vocab.length; k++) {
        const v = p.vocab[k]!;
        const wq = wordQuality[v]!;
        if (wq > 0) said++;
        if (wq >= UNDERSTOOD) sure++;
        got += p.weights[k]! * wq;
        if (wq >= UNDERSTOOD && vocab[v]!.length >= 3) understood += p.weights[k]! * wq;
        if (wq > 0) explained |= wordMatchedBy[v]!;
      }
      if (got <= 0) continue;
      // Mostly: how much of the phrase was said. A little: how much of what was said the phrase
      // explains, so the full "maternity and child health clinic" beats a lone alias "clinic".
      let explainedInfo = 0;
      for (let i = 0; i < contentCount; i++) if (explained & (1 << i)) explainedInfo += wordInfo[i]!;
      const share = 1 - QUERY_SHARE + (QUERY_SHARE * explainedInfo) / saidInfo;
      const weight = SOURCE_WEIGHT[p.source];
      // Half a phrase is not the phrase: "name" alone is not "change my name", however rare "name" is.
      const coverage = 0.5 + (0.5 * said) / p.vocab.length;
      const score = (got / p.totalWeight) * share * coverage * weight;
      if (score > targetScore[p.target]! + 1e-9) {
        targetScore[p.target] = score;
        targetPhrase[p.target] = pi;
        targetFirm[p.target] = sure === p.vocab.length ? 1 : 0;
        targetExplained[p.target] = explained;
        targetLangMask[p.target] = p.langMask;
      } else if (score > targetScore[p.target]! - 1e-9) {
        targetLangMask[p.target]! |= p.langMask;
      }
      understoodScore[p.target] = Math.max(understoodScore[p.target]!, (understood / p.totalWeight) * weight);
    }
  }

  /** Votes for a language from the site words the request matched that only one language uses. */
  function voteByTerms(votes: Float64Array, contentCount: number): void {
    for (let i = 0; i < contentCount; i++) {
      let best = 0;
      let mask = 0;
      for (let t = 0; t < touchedCount; t++) {
        const v = touched[t]!;
        const q = wordQuality[v]!;
        if (q < 0.7 || !(wordMatchedBy[v]! & (1 << i)) || index.vocabLangMask[v] === 0) continue;
        if (q > best + 1e-9) {
          best = q;
          mask = index.vocabLangMask[v]!;
        } else if (q > best - 1e-9) mask |= index.vocabLangMask[v]!;
      }
      const lang = onlyLanguage(mask);
      if (lang) votes[LANGS.indexOf(lang)]! += 1;
    }
  }

  /** The best-scoring place (the first listed on a tie), or -1 when nothing scored. */
  function bestTarget(): number {
    let top = 0;
    let topTarget = -1;
    for (let t = 0; t < targets; t++) {
      if (targetScore[t]! > top + 1e-9) {
        top = targetScore[t]!;
        topTarget = t;
      }
    }
    return topTarget;
  }

  /** Only a phrase that one language alone uses tells the language ("FPA" is Swedish; "Kela" is not). */
  function voteByBestPhrase(votes: Float64Array): void {
    const topTarget = bestTarget();
    const lang = topTarget >= 0 ? onlyLanguage(targetLangMask[topTarget]!) : undefined;
    if (lang) votes[LANGS.indexOf(lang)]! += 2;
  }

  function whyOf(target: number, language: Language): MatchWhy {
    const p = phrases[targetPhrase[target]!]!;
    const termLanguage: Language | '' =
      p.langMask === 0
        ? ''
        : p.langMask & LANG_BIT[language]
          ? language
          : LANGS.find((l) => p.langMask & LANG_BIT[l])!;
    const why: MatchWhy = { source: p.source, term: p.term, language: termLanguage };
    if (p.serviceId !== undefined) why.serviceId = p.serviceId;
    return why;
  }

  function suggestionsFor(): string[] {
    const ranked: number[] = [];
    for (let t = 0; t < index.destinations.length; t++) {
      if (understoodScore[t]! >= SUGGEST_MIN) ranked.push(t);
    }
    ranked.sort((a, b) => understoodScore[b]! - understoodScore[a]! || a - b);
    return ranked.slice(0, MAX_CANDIDATES).map((t) => index.destinations[t]!.id);
  }

  return function understand(text: string, hint: Language | undefined): MatchResult {
    const votes = new Float64Array(3);
    const candidates = candidatesOf(text, index.isContent, votes);
    const contentCount = candidates.contentCount;
    if (candidates.list.length === 0)
      return { kind: 'none', language: chooseLanguage(votes, hint), suggestions: [] };
    compareWords(candidates.list);
    forgiveTyposInOwnLanguageOnly(votes);
    scoreTargets(contentCount);
    voteByTerms(votes, contentCount);
    voteByBestPhrase(votes);
    const language = chooseLanguage(votes, hint);
    return decide(language);
  };

  /** From the scores to an answer: refuse rather than guess. */
  function decide(language: Language): MatchResult {
    const desks = index.destinations.length;
    let topTarget = bestTarget();
    let top = topTarget >= 0 ? targetScore[topTarget]! : 0;
    if (topTarget < 0 || top < CANDIDATE_MIN)
      return { kind: 'none', language, suggestions: suggestionsFor() };
    if (topTarget >= desks) {
      if (top >= MATCH_MIN) {
        const e = index.elsewhere[topTarget - desks]!;
        return { kind: 'elsewhere', elsewhereId: e.id, language, why: whyOf(topTarget, language) };
      }
      return { kind: 'none', language, suggestions: suggestionsFor() };
    }
    const floor = Math.max(CANDIDATE_MIN, top - AMBIGUITY_MARGIN);
    const near: number[] = [];
    // A desk reached only through part of a phrase, or a guessed word, is no rival to one whose
    // phrase was said whole ("hold an event" against "place a hold"): asked back, the customer
    // would be offered a desk they never named.
    const firmTop = targetFirm[topTarget] === 1;
    for (let t = 0; t < desks; t++) {
      if (targetScore[t]! < floor) continue;
      if (t !== topTarget && firmTop && targetFirm[t] === 0) continue;
      near.push(t);
    }
    // Among close desks, one that accounts for only part of what another accounts for is no
    // rival: "study group" (study, group) over "study place" (study).
    const rivals = near.filter(
      (t) => !near.some((o) => o !== t && isStrictSubset(targetExplained[t]!, targetExplained[o]!)),
    );
    if (rivals.length > 0 && rivals.length < near.length) {
      near.length = 0;
      near.push(...rivals);
      topTarget = rivals.reduce((a, b) => (targetScore[b]! > targetScore[a]! ? b : a));
      top = targetScore[topTarget]!;
    }
    // A service that is elsewhere as likely as the desk: say nothing rather than send them wrong.
    for (let t = desks; t < targets; t++) {
      if (targetScore[t]! >= floor && targetScore[t]! >= MATCH_MIN)
        return { kind: 'none', language, suggestions: [] };
    }
    if (top < MATCH_MIN) return { kind: 'none', language, suggestions: suggestionsFor() };
    if (near.length === 1) {
      const id = index.destinations[topTarget]!.id;
      return {
        kind: 'match',
        destinationId: id,
        language,
        score: round3(top),
        why: whyOf(topTarget, language),
      };
    }
    near.sort((a, b) => targetScore[b]! - targetScore[a]! || a - b);
    const chosen = near.slice(0, MAX_CANDIDATES);
    return {
      kind: 'ambiguous',
      candidates: chosen.map((t) => index.destinations[t]!.id),
      language,
      why: chosen.map((t) => whyOf(t, language)),
    };
  }
}

/**
 * The request's content words and each two neighbours run together ("x ray" → "xray"), stemmed
 * in every language; stop words that belong to one language vote for it on the way.
 */
function candidatesOf(
  text: string,
  isContent: (folded: string) => boolean,
  votes: Float64Array,
): { list: Candidate[]; contentCount: number } {
  const raws: string[] = [];
  const folded: string[] = [];
  for (const raw of lowerWords(text)) {
    const w = foldWord(raw);
    if (w.length === 0) continue;
    const cue = LANGUAGE_CUES.get(w);
    if (cue) votes[LANGS.indexOf(cue)]! += 1;
    if (isContent(w) && folded.length < MAX_CONTENT_WORDS) {
      raws.push(raw);
      folded.push(w);
    }
  }
  const list: Candidate[] = [];
  const seen = new Map<string, Candidate>();
  const push = (f: string, raw: string, words: number, pair: boolean) => {
    const existing = seen.get(f);
    if (existing) {
      // A word said twice is compared once.
      if (!pair) existing.words |= words;
      return;
    }
    const c: Candidate = {
      folded: f,
      words,
      pair,
      letters: letterMask(f),
      stems: LANGS.map((lang) => stemFolded(raw, lang)),
      key: spellingKey(f),
    };
    seen.set(f, c);
    list.push(c);
  };
  folded.forEach((w, i) => push(w, raws[i]!, 1 << i, false));
  for (let i = 0; i + 1 < folded.length; i++) {
    const joined = folded[i]! + folded[i + 1]!;
    if (joined.length <= MAX_TOKEN_CHARS)
      push(joined, raws[i]! + raws[i + 1]!, (1 << i) | (1 << (i + 1)), true);
  }
  return { list, contentCount: folded.length };
}

function forEachIn(list: Int32Array | undefined, f: (v: number) => void): void {
  if (list) for (let i = 0; i < list.length; i++) f(list[i]!);
}

/** Every bit of `a` is in `b`, and `b` has more. */
function isStrictSubset(a: number, b: number): boolean {
  return a !== b && (a & b) === a;
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
 * A typo seldom hits both of the first two letters: checking that first keeps the edit-distance
 * work for words that can be typos of each other.
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

const matchers = new WeakMap<readonly Destination[], Matcher>();

/**
 * One-off form of `createMatcher(destinations)(text, hint)`; the index is cached per
 * destinations array, so calling it repeatedly with the site's list stays cheap.
 */
export function matchDestination(
  text: string,
  destinations: readonly Destination[],
  hint?: Language,
): MatchResult {
  let m = matchers.get(destinations);
  if (!m) matchers.set(destinations, (m = createMatcher(destinations)));
  return m(text, hint);
}

const languageOnly = createMatcher([]);

/** The language of `text` from its words alone (for a reply when no destination is involved). */
export function detectLanguage(text: string, hint?: Language): Language {
  return languageOnly(text, hint).language;
}
