/**
 * The day's customers as a stream the scenario runner plays: each arrives at the robot's dock at
 * their time (sim/day/arrivals.ts), asks in Finnish, Swedish or English for a desk by its name
 * or an alias, or for what they need in their own words, or for something that is not on this
 * floor; some would rather be told the way. They follow as the live run's customers do. A
 * customer who finds the robot away waits for it, up to their patience; one who waited longer
 * has given up and gone by the time the robot is free, and is counted, not asked.
 *
 * The scenario runner asks for the next customer once the robot is done with the last one (the
 * robot is then free at its dock): that is when this stream sees who gave up meanwhile.
 */
import type { Language, Site } from '../../src/map/index.js';
import { askForDesk, followBehaviour, pickOne } from '../customers.js';
import type { Rng } from '../rng.js';
import type { CustomerSpec, CustomerStream } from '../scenario.js';

/**
 * The languages customers ask in, as Espoo speaks: Finnish about 70 %, Swedish about 7 %, and
 * most of the rest (over a fifth of Espoo's people speak another mother tongue) in English.
 * Statistics Finland's figures for Espoo, rounded; the kiosk offers these three.
 */
export const LANGUAGE_SHARES: ReadonlyArray<readonly [Language, number]> = [
  ['fi', 0.71],
  ['sv', 0.07],
  ['en', 0.22],
];

/**
 * What a request is about: a desk by its name or an alias (half), a need in the customer's own
 * words from the site's `services` (two in five), a service that is elsewhere (one in ten).
 */
const ASK_SHARES = { desk: 0.5, need: 0.4 } as const;
/** Customers who would rather walk alone and be told the way. */
const DIRECTIONS_SHARE = 0.1;
/** Customers who choose plain language (selkokieli, lättläst) at the kiosk. */
const PLAIN_SHARE = 0.05;
/** Customers who press their language's button at the kiosk; the others let the robot detect it. */
const LANGUAGE_HINT_SHARE = 0.5;
/**
 * How long a customer waits for the robot to come back before walking on, s: uniform over 2–8
 * minutes. A round trip to the farthest desk takes about three; a customer who sees the robot
 * away at the peak waits a few minutes more at most, then asks at a desk or reads the signs.
 */
export const PATIENCE_S = { min: 120, max: 480 } as const;

const NEED_WORDING: Record<Language, readonly string[]> = {
  fi: ['{term}', 'Tarvitsen apua: {term}', 'Minne menen, {term}?'],
  sv: ['{term}', 'Jag behöver hjälp med {term}', 'Vart ska jag gå för {term}?'],
  en: ['{term}', 'I need help with {term}', 'Where do I go for {term}?'],
};

/** One customer of the day as the stream made them (kept for the day's report; no text kept). */
export interface DayArrival {
  /** s after the run's start */
  atS: number;
  language: Language;
  patienceS: number;
}

/** Arrives after every run ends: the stream's customers are all out. */
const NOBODY_MORE_S = Number.POSITIVE_INFINITY;

export class DayCustomers implements CustomerStream {
  readonly endless = true;
  /** Customers handed to the runner, in order: the runner's request index is the position here. */
  readonly issued: DayArrival[] = [];
  /** Customers who gave up before the robot was free for them. */
  readonly gaveUp: DayArrival[] = [];
  readonly #arrivalsS: readonly number[];
  readonly #site: Site;
  readonly #rng: Rng;
  #nextArrival = 0;
  #now: () => number = () => 0;

  /** `arrivalsS`: rising, s after the run's start. */
  constructor(site: Site, arrivalsS: readonly number[], rng: Rng) {
    this.#site = site;
    this.#arrivalsS = arrivalsS;
    this.#rng = rng;
  }

  /** The run's clock (s since its start), once the world exists. */
  bindClock(now: () => number): void {
    this.#now = now;
  }

  /** Arrivals not yet handed to the runner (for the day's end). */
  remaining(): DayArrival[] {
    const out: DayArrival[] = [];
    for (let i = this.#nextArrival; i < this.#arrivalsS.length; i++) out.push(this.#make(i).arrival);
    return out;
  }

  /**
   * The next customer who is still there: those whose patience ran out while the robot was away
   * are counted as gone. Past the last arrival, a customer who never comes.
   */
  next(): CustomerSpec {
    const now = this.#now();
    while (this.#nextArrival < this.#arrivalsS.length) {
      const { arrival, spec } = this.#make(this.#nextArrival++);
      if (arrival.atS + arrival.patienceS < now) {
        this.gaveUp.push(arrival);
        continue;
      }
      this.issued.push(arrival);
      return spec;
    }
    return { ...NOBODY, at: NOBODY_MORE_S };
  }

  /**
   * Customer `i`, from a generator of their own: whoever gave up before them, the same customer
   * asks the same thing (and `remaining` can read them without shifting anyone).
   */
  #make(i: number): { arrival: DayArrival; spec: CustomerSpec } {
    const rng = this.#rng.fork(`customer-${i}`);
    const language = weighted(rng, LANGUAGE_SHARES);
    const patienceS = PATIENCE_S.min + rng.next() * (PATIENCE_S.max - PATIENCE_S.min);
    const roll = rng.next();
    const ask =
      roll < ASK_SHARES.desk
        ? askForDesk(this.#site, language, rng)
        : roll < ASK_SHARES.desk + ASK_SHARES.need
          ? askForNeed(this.#site, language, rng)
          : askElsewhere(this.#site, language, rng);
    const atS = this.#arrivalsS[i]!;
    const spec: CustomerSpec = {
      at: atS,
      ask,
      language: rng.next() < LANGUAGE_HINT_SHARE ? language : '',
      plain: rng.next() < PLAIN_SHARE,
      mode: rng.next() < DIRECTIONS_SHARE ? 'directions' : 'escort',
      // Asked back which desk they mean, they take the first one offered.
      pick: 1,
      behaviour: followBehaviour(rng),
      where: `(day customer ${i})`,
    };
    return { arrival: { atS, language, patienceS }, spec };
  }
}

const NOBODY: Omit<CustomerSpec, 'at'> = {
  ask: '',
  language: '',
  plain: false,
  mode: 'escort',
  behaviour: { kind: 'follow' },
  where: '(nobody more today)',
};

/** What a customer needs, in their words: a term of one of the site's services, in a wording. */
function askForNeed(site: Site, language: Language, rng: Rng): string {
  const services = site.destinations.flatMap((d) => d.services);
  if (services.length === 0) return askForDesk(site, language, rng);
  const term = pickOne(rng, pickOne(rng, services).terms[language]);
  return pickOne(rng, NEED_WORDING[language]).replace('{term}', term);
}

/** Something this floor does not have (the site's `elsewhere`): the robot says where to go. */
function askElsewhere(site: Site, language: Language, rng: Rng): string {
  if (site.elsewhere.length === 0) return askForNeed(site, language, rng);
  return pickOne(rng, pickOne(rng, site.elsewhere).terms[language]);
}

function weighted<T>(rng: Rng, shares: ReadonlyArray<readonly [T, number]>): T {
  let r = rng.next() * shares.reduce((s, [, w]) => s + w, 0);
  for (const [value, w] of shares) {
    r -= w;
    if (r < 0) return value;
  }
  return shares.at(-1)![0];
}
