/**
 * The words of a site must each lead to one place: a service term (site.yaml `services`) that is
 * also another desk's name, or another desk's service, would send a customer to either desk; a
 * term of a service that is not on this floor (`elsewhere`) must not lead to a desk here. Terms
 * are compared folded as the matcher folds them (case, accents and punctuation ignored), across
 * the three languages, since a customer's word is not labelled with its language.
 *
 * Each look-up is a hash map kept to two entries a word, so a hostile file costs linear time.
 */
import type { IssueList } from './errors.js';
import { foldTerm } from './fold.js';
import type { SiteDocument, TermsPlace } from './site-schema.js';
import { LANGUAGES, type Language, type Localized } from './types.js';

/** One place a folded word leads to. */
interface Owner {
  /** The destination or `elsewhere` entry the word leads to. */
  ownerId: string;
  /** How the word is written there, for messages: `the fi alias "kirjasto" of destination "library" (file:line)`. */
  said: string;
}

interface ServiceOwner extends Owner {
  shared: boolean;
}

/** Each word with at most two owners of distinct ids: enough to find one that is not the asker. */
class WordOwners<T extends Owner> {
  readonly #words = new Map<string, T[]>();

  add(key: string, owner: T): void {
    const list = this.#words.get(key);
    if (!list) this.#words.set(key, [owner]);
    else if (list.length < 2 && list.every((o) => o.ownerId !== owner.ownerId)) list.push(owner);
  }
  /** An owner of `key` other than `ownerId`, or undefined. */
  other(key: string, ownerId: string): T | undefined {
    return this.#words.get(key)?.find((o) => o.ownerId !== ownerId);
  }
  has(key: string, ownerId: string): T | undefined {
    return this.#words.get(key)?.find((o) => o.ownerId === ownerId);
  }
}

/** One term as written in a service or `elsewhere` entry. */
interface TermAt {
  lang: Language;
  term: string;
  key: string;
  path: string;
  where: string;
}

function termsOf(terms: Localized<string[]>, place: TermsPlace): TermAt[] {
  return LANGUAGES.flatMap((lang) =>
    terms[lang].map((term, i) => ({
      lang,
      term,
      key: foldTerm(term),
      path: `${place.path}.${lang}[${i}]`,
      where: place.terms[lang][i]!,
    })),
  );
}

/**
 * Reports every service or `elsewhere` term that leads to two places (see the module comment).
 * `allDestinations`: every destination could be read, so a term missing elsewhere is really missing.
 */
export function checkServiceTerms(doc: SiteDocument, issues: IssueList, allDestinations: boolean): void {
  const desks = deskWords(doc);
  const services = new WordOwners<ServiceOwner>();
  /** Service words listed under a non-shared service, apart: a shared term may meet only shared ones. */
  const exclusive = new WordOwners<ServiceOwner>();
  doc.destinations.forEach((dest, i) => {
    dest.services.forEach((service, j) => {
      const repeated = new Set<string>();
      for (const t of termsOf(service.terms, doc.places.services[i]![j]!)) {
        const desk = desks.other(t.key, dest.id);
        const clash = desk ?? (service.shared ? exclusive : services).other(t.key, dest.id);
        if (clash) {
          const fix = desk
            ? 'a service term must not name another desk'
            : 'mark both services shared: true if both desks handle it, or keep it at one desk';
          issues.error(
            'TERM_AMBIGUOUS',
            t.where,
            `${t.path}: term "${t.term}" matches ${clash.said}; ${fix}`,
          );
        }
        const own = desks.has(t.key, dest.id);
        if (own && !desk && !repeated.has(t.key)) {
          repeated.add(t.key);
          issues.warn(
            'TERM_ALREADY_ALIAS',
            t.where,
            `${t.path}: term "${t.term}" is already ${own.said}; the desk answers to it without the term`,
          );
        }
        const owner = { ownerId: dest.id, shared: service.shared, said: serviceSaid(t, dest.id) };
        services.add(t.key, owner);
        if (!service.shared) exclusive.add(t.key, owner);
      }
    });
  });
  if (allDestinations) warnSharedAlone(doc, services, issues);
  checkElsewhere(doc, desks, services, issues);
}

/** The ids, names and aliases of the destinations, folded. */
function deskWords(doc: SiteDocument): WordOwners<Owner> {
  const words = new WordOwners<Owner>();
  doc.destinations.forEach((dest, i) => {
    const at = doc.places.destinations[i]!;
    const of = `of destination "${dest.id}" (${at})`;
    words.add(foldTerm(dest.id), { ownerId: dest.id, said: `the id ${of}` });
    for (const lang of LANGUAGES) {
      const name = dest.name[lang];
      words.add(foldTerm(name), { ownerId: dest.id, said: `the ${lang} name "${name}" ${of}` });
      for (const alias of dest.aliases[lang]) {
        words.add(foldTerm(alias), { ownerId: dest.id, said: `the ${lang} alias "${alias}" ${of}` });
      }
    }
  });
  return words;
}

function serviceSaid(t: TermAt, deskId: string): string {
  return `the service term "${t.term}" of destination "${deskId}" (${t.path} at ${t.where})`;
}

/** A `shared: true` service whose terms no other desk lists: the mark promises a choice the customer never gets. */
function warnSharedAlone(doc: SiteDocument, services: WordOwners<ServiceOwner>, issues: IssueList): void {
  doc.destinations.forEach((dest, i) => {
    dest.services.forEach((service, j) => {
      if (!service.shared) return;
      const place = doc.places.services[i]![j]!;
      const alone = [
        ...new Set(
          termsOf(service.terms, place)
            .filter((t) => !services.other(t.key, dest.id))
            .map((t) => `"${t.term}"`),
        ),
      ];
      if (alone.length === 0) return;
      const shown = alone.length > 5 ? `${alone.slice(0, 5).join(', ')}, …` : alone.join(', ');
      issues.warn(
        'TERM_SHARED_ALONE',
        place.where,
        `${place.path}: shared: true, but no other desk lists ${shown} among its services; ` +
          `a customer saying ${alone.length === 1 ? 'it' : 'one'} is sent to "${dest.id}" alone`,
      );
    });
  });
}

/** An `elsewhere` term must lead to no desk on this floor, and to no other `elsewhere` entry. */
function checkElsewhere(
  doc: SiteDocument,
  desks: WordOwners<Owner>,
  services: WordOwners<ServiceOwner>,
  issues: IssueList,
): void {
  const elsewhere = new WordOwners<Owner>();
  doc.elsewhere.forEach((entry, i) => {
    for (const t of termsOf(entry.terms, doc.places.elsewhere[i]!)) {
      const here = desks.other(t.key, '') ?? services.other(t.key, '');
      const other = here ?? elsewhere.other(t.key, entry.id);
      if (other) {
        const fix = here
          ? 'a service that is not on this floor must not lead to a desk here'
          : 'a term must lead to one place';
        issues.error('TERM_AMBIGUOUS', t.where, `${t.path}: term "${t.term}" matches ${other.said}; ${fix}`);
      }
      elsewhere.add(t.key, {
        ownerId: entry.id,
        said: `the term "${t.term}" of elsewhere "${entry.id}" (${t.path} at ${t.where})`,
      });
    }
  });
}
