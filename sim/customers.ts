/**
 * Simulated customers for the live run: what people at the service centre ask, in the three
 * languages, with a few who fall behind, get lost, or ask for something the centre lacks. The
 * pieces (asking for a desk, how a customer follows) are shared with the simulated day
 * (sim/day/day-customers.ts).
 */
import type { Language, Site } from '../src/map/index.js';
import { Rng } from './rng.js';
import type { CustomerBehaviour, CustomerSpec, CustomerStream } from './scenario.js';

const TEMPLATES: Record<Language, string[]> = {
  fi: ['{name}', 'Missä on {name}?', 'Etsin paikkaa {alias}', '{alias}', 'Voitko viedä minut: {alias}'],
  sv: ['{name}', 'Var ligger {name}?', 'Jag söker {alias}', '{alias}', 'Kan du visa mig till {alias}?'],
  en: ['{name}', 'Where is {name}?', 'I am looking for {alias}', '{alias}', 'Can you take me to {alias}?'],
};
const NOT_HERE: Record<Language, string[]> = {
  fi: ['Missä on poliisi?', 'passi'],
  sv: ['Var är polisen?', 'skattebyrån'],
  en: ['Where can I renew my passport?', 'tax office'],
};
const LANGS: Language[] = ['fi', 'fi', 'fi', 'sv', 'en', 'en'];

/** One of `items`, uniformly (one draw). */
export function pickOne<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng.next() * items.length)]!;
}

/**
 * A request for one of the site's destinations by its name or an alias, in one of the ways
 * people put it ("Missä on …?", "I am looking for …", the bare word). Three draws: the
 * destination, the alias, the wording.
 */
export function askForDesk(site: Site, language: Language, rng: Rng): string {
  const d = pickOne(rng, site.destinations);
  const aliases = d.aliases[language].length > 0 ? d.aliases[language] : [d.name[language]];
  const alias = pickOne(rng, aliases);
  const template = pickOne(rng, TEMPLATES[language]);
  return template.replace('{name}', d.name[language]).replace('{alias}', alias);
}

/**
 * How a customer follows the robot: most follow; one in ten stops for a while 5–20 s into the
 * escort and then catches up; three in a hundred walk off for good. One draw, and two more for
 * those who do not simply follow.
 */
export function followBehaviour(rng: Rng): CustomerBehaviour {
  const roll = rng.next();
  if (roll < 0.1) return { kind: 'fall_behind', after: 5 + rng.next() * 15, for: 4 + rng.next() * 8 };
  if (roll < 0.13) return { kind: 'lost', after: 5 + rng.next() * 10 };
  return { kind: 'follow' };
}

/**
 * The live run's customers: an endless seeded stream, each customer made only when the run
 * reaches them (a month's run holds one at a time, not a month's worth). The same seed gives the
 * same customers, in the same order, as ever.
 */
export function customerStream(site: Site, seed: number): CustomerStream {
  const customers = seededCustomers(site, seed);
  return { endless: true, next: () => customers.next().value };
}

/** The first `count` customers of the stream, as a list. */
export function generateCustomers(site: Site, seed: number, count: number): CustomerSpec[] {
  const stream = customerStream(site, seed);
  return Array.from({ length: count }, () => stream.next());
}

function* seededCustomers(site: Site, seed: number): Generator<CustomerSpec, never> {
  const rng = new Rng(seed).fork('customers');
  let at = 5;
  for (let i = 0; ; i++) {
    const language = pickOne(rng, LANGS);
    const ask = rng.next() < 0.08 ? pickOne(rng, NOT_HERE[language]) : askForDesk(site, language, rng);
    const behaviour = followBehaviour(rng);
    yield {
      at,
      ask,
      language: rng.next() < 0.5 ? language : '',
      plain: false,
      mode: 'escort',
      behaviour,
      where: `(generated customer ${i})`,
    };
    at += -Math.log(1 - rng.next()) * 45;
  }
}
