/**
 * Finnish (and Swedish) compounds split against the site's own vocabulary: "asumistukihakemus"
 * is "asumistuki" + "hakemus", "verikokeeseen" is "veri" + "kokee-" (koe) + an ending,
 * "bostadsbidraget" is "bostad" + "s" + "bidrag" + an ending. Only words the catalogue knows
 * count as parts, so a made-up word is not split into look-alike pieces.
 */

/** A part shorter than this is never taken (it would match by chance). */
const MIN_PART = 3;

export interface CompoundSplit {
  /** Vocabulary ids of the parts, in order (several when a form belongs to several words). */
  parts: number[];
  /** True when only the first part(s) are known and the rest of the word is not ("kelakortti"). */
  tailUnknown: boolean;
}

/**
 * Splits `word` (folded) into forms of known words: the fewest parts covering it, the last one
 * possibly followed by an ending of at most `maxEnding` letters. Needs two parts or more; when no
 * full split exists, a known first part of five or more letters followed by at least three
 * unknown letters is returned with `tailUnknown`. `forms` maps a form to its vocabulary ids, and
 * holds "^" + the first three letters of every form (see `addFormStarts`).
 */
export function splitCompound(
  word: string,
  forms: ReadonlyMap<string, readonly number[]>,
  maxEnding: number,
): CompoundSplit | undefined {
  const n = word.length;
  if (n < 2 * MIN_PART) return undefined;
  // fewest[i]: fewest parts covering word[0, i); from[i]: where the last of them starts.
  const fewest = new Int32Array(n + 1).fill(-1);
  const from = new Int32Array(n + 1).fill(-1);
  fewest[0] = 0;
  for (let i = 0; i < n; i++) {
    // Most positions start no known form: one look-up of three letters rules them out.
    if (fewest[i]! < 0 || !forms.has(`^${word.slice(i, i + MIN_PART)}`)) continue;
    for (let j = i + MIN_PART; j <= n; j++) {
      if (!forms.has(word.slice(i, j))) continue;
      const count = fewest[i]! + 1;
      if (fewest[j]! < 0 || count < fewest[j]!) {
        fewest[j] = count;
        from[j] = i;
      }
    }
  }
  for (let end = n; end >= Math.max(MIN_PART, n - maxEnding); end--) {
    if (fewest[end]! >= 2) return { parts: partsEndingAt(word, end, from, forms), tailUnknown: false };
  }
  for (let end = n - MIN_PART; end >= 5; end--) {
    if (fewest[end]! === 1) return { parts: partsEndingAt(word, end, from, forms), tailUnknown: true };
  }
  return undefined;
}

function partsEndingAt(
  word: string,
  end: number,
  from: Int32Array,
  forms: ReadonlyMap<string, readonly number[]>,
): number[] {
  const out: number[] = [];
  for (let j = end; j > 0; j = from[j]!) out.push(...forms.get(word.slice(from[j]!, j))!);
  return out.reverse();
}

/** Adds "^" + the first three letters of each form, which `splitCompound` checks first. */
export function addFormStarts(forms: Map<string, number[]>): void {
  for (const form of [...forms.keys()])
    if (!form.startsWith('^')) forms.set(`^${form.slice(0, MIN_PART)}`, []);
}
