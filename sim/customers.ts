/**
 * Simulated customers for the live run: what people at the service centre ask, in the three
 * languages, with a few who fall behind, get lost, or ask for something the centre lacks.
 */
import type { Language, Site } from '../src/map/index.js';
import { Rng } from './rng.js';
import type { CustomerSpec, CustomerStream } from './scenario.js';

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
    const language = LANGS[Math.floor(rng.next() * LANGS.length)]!;
    let ask: string;
    if (rng.next() < 0.08) {
      const options = NOT_HERE[language];
      ask = options[Math.floor(rng.next() * options.length)]!;
    } else {
      const d = site.destinations[Math.floor(rng.next() * site.destinations.length)]!;
      const aliases = d.aliases[language].length > 0 ? d.aliases[language] : [d.name[language]];
      const alias = aliases[Math.floor(rng.next() * aliases.length)]!;
      const template = TEMPLATES[language][Math.floor(rng.next() * TEMPLATES[language].length)]!;
      ask = template.replace('{name}', d.name[language]).replace('{alias}', alias);
    }
    const roll = rng.next();
    const behaviour: CustomerSpec['behaviour'] =
      roll < 0.1
        ? { kind: 'fall_behind', after: 5 + rng.next() * 15, for: 4 + rng.next() * 8 }
        : roll < 0.13
          ? { kind: 'lost', after: 5 + rng.next() * 10 }
          : { kind: 'follow' };
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
