/**
 * Reading the customer's answer when the robot has asked back ("Which one: 1 Kela, 2 Espoon
 * Asunnot?"): a number, an ordinal in Finnish, Swedish or English ("toinen", "andra", "the
 * second"), a candidate's id (what the kiosk's buttons send), or a cancel ("peruuta", "nej
 * tack", "no thanks"). Anything else is not a pick: the mission matches it as a request.
 * Pure and bounded: any string gives an answer and never throws.
 */
import { foldText } from '../src/interaction/index.js';

export type Reply = { kind: 'pick'; index: number } | { kind: 'cancel' } | { kind: 'other' };

/** A pick is a short answer: longer text is a new request ("no, I want the library after all"). */
const MAX_REPLY_WORDS = 6;
/** Longer text is never a reply worth folding word by word. */
const MAX_REPLY_CHARS = 80;

/** Ordinals (folded): "the second", "toinen", "andra". They win over a cardinal in the same reply. */
const ORDINALS: ReadonlyMap<string, number> = new Map([
  ...[
    '1st',
    'first',
    'ensimmainen',
    'ensimmaista',
    'ensimmaiseen',
    'eka',
    'ekaa',
    'ekaan',
    'forsta',
    'forste',
  ].map((w) => [w, 1] as const),
  ...['2nd', 'second', 'toinen', 'toista', 'toiseen', 'toka', 'tokaa', 'tokaan', 'andra', 'andre'].map(
    (w) => [w, 2] as const,
  ),
  ...['3rd', 'third', 'kolmas', 'kolmatta', 'kolmanteen', 'kolmoseen', 'tredje'].map((w) => [w, 3] as const),
]);

/** Numbers said or typed as such (folded): "2", "two", "kaksi", "kakkonen", "två", "tvåan". */
const CARDINALS: ReadonlyMap<string, number> = new Map([
  ...['1', 'one', 'yksi', 'ykkonen', 'ykkosta', 'ett', 'etta', 'ettan'].map((w) => [w, 1] as const),
  ...['2', 'two', 'kaksi', 'kakkonen', 'kakkosta', 'tva', 'tvaa', 'tvaan'].map((w) => [w, 2] as const),
  ...['3', 'three', 'kolme', 'kolmonen', 'kolmosta', 'tre', 'trea', 'trean'].map((w) => [w, 3] as const),
]);

/** Whole replies (folded) that end the asking politely. */
const CANCELS: ReadonlySet<string> = new Set([
  'peruuta',
  'peru',
  'ei',
  'ei kiitos',
  'ei mitaan',
  'lopeta',
  'avbryt',
  'nej',
  'nej tack',
  'inget',
  'cancel',
  'no',
  'no thanks',
  'no thank you',
  'never mind',
  'nevermind',
  'stop',
]);

/** The one number `words` name from `table`, or undefined when none or several differ. */
function oneNumber(words: readonly string[], table: ReadonlyMap<string, number>): number | undefined {
  const found = new Set(words.flatMap((w) => (table.has(w) ? [table.get(w)!] : [])));
  return found.size === 1 ? [...found][0] : undefined;
}

/**
 * What `text` says to "which one of `candidates`?": the pick (0-based), a cancel, or 'other'. A
 * number past the last candidate is 'other' (matched as a request, and asked again if nothing
 * comes of it).
 */
export function readReply(text: string, candidates: readonly string[]): Reply {
  if (text.length > MAX_REPLY_CHARS) return { kind: 'other' };
  const raw = text.trim().toLowerCase();
  const byId = candidates.indexOf(raw);
  if (byId >= 0) return { kind: 'pick', index: byId };
  const folded = foldText(text);
  if (CANCELS.has(folded)) return { kind: 'cancel' };
  const words = folded.split(' ').filter((w) => w !== '');
  if (words.length === 0 || words.length > MAX_REPLY_WORDS) return { kind: 'other' };
  const n = oneNumber(words, ORDINALS) ?? oneNumber(words, CARDINALS);
  if (n === undefined || n > candidates.length) return { kind: 'other' };
  return { kind: 'pick', index: n - 1 };
}
