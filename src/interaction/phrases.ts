/**
 * Everything the robot says, in Finnish, Swedish and English, keyed by a stable kind that
 * screens and logs can rely on. Plain, short sentences: many customers speak none of the three
 * as a first language. Desk names are put where no grammatical case or gender is needed.
 *
 * A part in square brackets is optional: it is left out when a placeholder in it is given as ''
 * ("Kela is closed[ until {until}]." says "Kela is closed." without a time).
 */
import type { Language } from '../map/index.js';
import { InteractionError } from './errors.js';

/** Each phrase kind and the placeholders its text uses (the same in every language). */
export const PHRASE_VARS = {
  /** Hello at the dock. */
  greet: [],
  /** Setting off: the desk and the walk in whole minutes. */
  'escort.start': ['desk', 'minutes'],
  /** The customer lags: the robot slows down. */
  'escort.slow': [],
  /** The customer is far behind or out of sight: the robot stops for them. */
  'escort.wait': [],
  /** Still no customer after a while: the robot turns round to look for them. */
  'escort.look': [],
  /** After looking: asks the customer to come back, naming where they were going. */
  'escort.ask': ['desk'],
  /** The customer caught up: off again. */
  'escort.resume': [],
  /** The customer did not come back in time: the robot gives up and goes home. */
  'escort.lost': [],
  /** At the desk: its name and what it does. */
  arrive: ['desk', 'description'],
  /** At the desk, which closed on the way. */
  'arrive.closed_now': ['desk', 'when'],
  /** Asked for a desk that is closed now; `when` says when it opens. */
  closed: ['desk', 'when'],
  /** Asked for a desk that is closed and has no opening time in the coming week. */
  'closed.indefinitely': ['desk'],
  /** No destination matched; `examples` lists a few that exist. */
  unknown: ['examples'],
  /** Several destinations fit; `options` lists them. */
  ambiguous: ['options'],
  /** A new request while the robot is guiding someone else. */
  busy: [],
  /** A request while the robot is stopped (e-stop, or waiting for staff). */
  unavailable: [],
  /** Staff paused the robot (to drive it by hand): to a customer being guided and to new requests. */
  paused: [],
  /**
   * Asked for a desk staff closed (or paused) in the console; `until` (optional) when that ends,
   * `note` (optional) staff's own words for customers.
   */
  'closed.staff': ['desk', 'until', 'note'],
  /** As 'closed.staff', naming another desk that can help meanwhile (the site's help desk). */
  'closed.staff.help': ['desk', 'until', 'note', 'help'],
  /** At the desk, which staff closed while we walked; `until`, `note` and `help` optional. */
  'arrive.closed_staff': ['desk', 'until', 'note', 'help'],
  /** Navigation failed (no path, blocked, timed out): the robot goes home. */
  'nav.failed': [],
  /** The e-stop was pressed. */
  estop: [],
  /** An operator cancelled the guidance. */
  cancelled: [],
  /** Goodbye at the desk before going home. */
  return: [],
} as const satisfies Record<string, readonly string[]>;

export type PhraseKind = keyof typeof PHRASE_VARS;
/** How a phrase is worded: as usual, or in plain language (selkokieli, lättläst, plain English). */
export type PhraseStyle = 'standard' | 'plain';
export const PHRASE_KINDS = Object.keys(PHRASE_VARS) as PhraseKind[];
export type PhraseVars<K extends PhraseKind> = Record<(typeof PHRASE_VARS)[K][number], string | number>;
/** Vars for any kind, as a machine that picks the kind at run time passes them. */
export type AnyPhraseVars = Record<string, string | number>;

export const PHRASES: Record<PhraseKind, Record<Language, string>> = {
  greet: {
    fi: 'Hei! Minne haluat mennä? Voit kysyä suomeksi, ruotsiksi tai englanniksi.',
    sv: 'Hej! Vart vill du gå? Du kan fråga på finska, svenska eller engelska.',
    en: 'Hello! Where would you like to go? You can ask in Finnish, Swedish or English.',
  },
  'escort.start': {
    fi: 'Seuraa minua. Vien sinut kohteeseen {desk}. Matka kestää noin {minutes} min.',
    sv: 'Följ mig till {desk}. Det tar ungefär {minutes} min.',
    en: 'Follow me to {desk}. It is about {minutes} min away.',
  },
  'escort.slow': {
    fi: 'Hidastan, jotta ehdit mukaan.',
    sv: 'Jag saktar ner så att du hinner med.',
    en: 'I will slow down so you can keep up.',
  },
  'escort.wait': {
    fi: 'Odotan sinua.',
    sv: 'Jag väntar på dig.',
    en: "I'll wait for you.",
  },
  'escort.look': {
    fi: 'Katson, missä olet.',
    sv: 'Jag tittar efter dig.',
    en: "I'm looking for you.",
  },
  'escort.ask': {
    fi: 'Oletko vielä tulossa kohteeseen {desk}? Olen tässä. Tule luokseni, niin jatketaan.',
    sv: 'Ska du fortfarande till {desk}? Jag är här. Kom till mig så fortsätter vi.',
    en: 'Are you still coming to {desk}? I am over here. Come to me and we will go on.',
  },
  'escort.resume': {
    fi: 'Hienoa, jatketaan.',
    sv: 'Bra, då fortsätter vi.',
    en: "Good, let's go on.",
  },
  'escort.lost': {
    fi: 'En näe sinua enää. Palaan paikalleni. Kysy minulta uudelleen.',
    sv: 'Jag ser dig inte längre. Jag går tillbaka till min plats. Fråga mig gärna igen.',
    en: "I lost you. I'll go back to my place; please ask me again.",
  },
  arrive: {
    fi: 'Olemme perillä: {desk}. {description}',
    sv: 'Här är vi: {desk}. {description}',
    en: 'Here we are: {desk}. {description}',
  },
  'arrive.closed_now': {
    fi: 'Olemme perillä: {desk}. Se on juuri mennyt kiinni. Se avautuu {when}.',
    sv: 'Här är vi: {desk}. Det har just stängt. Det öppnar {when}.',
    en: 'Here we are: {desk}. It has just closed. It opens {when}.',
  },
  closed: {
    fi: '{desk} on nyt kiinni. Se avautuu {when}.',
    sv: '{desk} har stängt nu. Det öppnar {when}.',
    en: '{desk} is closed now. It opens {when}.',
  },
  'closed.indefinitely': {
    fi: '{desk} on nyt kiinni. Kysy henkilökunnalta lisää.',
    sv: '{desk} har stängt nu. Fråga personalen för mer information.',
    en: '{desk} is closed now. Please ask a staff member.',
  },
  unknown: {
    fi: 'Valitettavasti en tunne sitä paikkaa. Kokeile esimerkiksi: {examples}.',
    sv: 'Tyvärr känner jag inte till den platsen. Försök till exempel med: {examples}.',
    en: "Sorry, I don't know that place. Try for example: {examples}.",
  },
  ambiguous: {
    fi: 'Tarkoitatko: {options}? Kysy uudelleen.',
    sv: 'Menar du: {options}? Fråga igen.',
    en: 'Do you mean: {options}? Please ask again.',
  },
  busy: {
    fi: 'Opastan nyt toista asiakasta. Tulen pian takaisin.',
    sv: 'Jag visar vägen för någon annan just nu. Jag kommer snart tillbaka.',
    en: "I'm guiding someone else right now. I'll be back soon.",
  },
  unavailable: {
    fi: 'En voi auttaa juuri nyt. Kysy henkilökunnalta.',
    sv: 'Jag kan inte hjälpa till just nu. Fråga personalen.',
    en: "I can't help right now. Please ask a staff member.",
  },
  paused: {
    fi: 'Henkilökunta on pysäyttänyt minut hetkeksi. Odota tai kysy henkilökunnalta.',
    sv: 'Personalen har pausat mig en stund. Vänta eller fråga personalen.',
    en: 'Staff have paused me for a moment. Please wait or ask a staff member.',
  },
  'closed.staff': {
    fi: '{desk} on nyt kiinni[ {until} asti].[ Henkilökunnan viesti: {note}]',
    sv: '{desk} har stängt[ till {until}].[ Personalens meddelande: {note}]',
    en: '{desk} is closed[ until {until}].[ Staff note: {note}]',
  },
  'closed.staff.help': {
    fi: '{desk} on nyt kiinni[ {until} asti].[ Henkilökunnan viesti: {note}] Sillä välin voit kysyä apua: {help}.',
    sv: '{desk} har stängt[ till {until}].[ Personalens meddelande: {note}] Under tiden kan {help} hjälpa dig.',
    en: '{desk} is closed[ until {until}].[ Staff note: {note}] Meanwhile, {help} can help you.',
  },
  'arrive.closed_staff': {
    fi: 'Olemme perillä: {desk}. Se on nyt kiinni[ {until} asti].[ Henkilökunnan viesti: {note}][ Sillä välin voit kysyä apua: {help}.]',
    sv: 'Här är vi: {desk}. Det har stängt[ till {until}].[ Personalens meddelande: {note}][ Under tiden kan {help} hjälpa dig.]',
    en: 'Here we are: {desk}. It is closed[ until {until}].[ Staff note: {note}][ Meanwhile, {help} can help you.]',
  },
  'nav.failed': {
    fi: 'En pääse sinne juuri nyt. Kysy neuvoa henkilökunnalta. Palaan paikalleni.',
    sv: 'Jag kommer inte fram dit just nu. Fråga personalen om hjälp. Jag går tillbaka till min plats.',
    en: "I can't get there right now. Please ask a staff member for help. I'll go back to my place.",
  },
  estop: {
    fi: 'Minut on pysäytetty. Henkilökunta auttaa sinua.',
    sv: 'Jag har stoppats. Personalen hjälper dig.',
    en: 'I have been stopped. A staff member will help you.',
  },
  cancelled: {
    fi: 'Opastus on peruttu. Palaan paikalleni.',
    sv: 'Guidningen har avbrutits. Jag går tillbaka till min plats.',
    en: "The guidance was cancelled. I'll go back to my place.",
  },
  return: {
    fi: 'Hyvää päivänjatkoa! Palaan nyt paikalleni.',
    sv: 'Ha en fin dag! Nu går jag tillbaka till min plats.',
    en: "Have a nice day! I'll go back to my place now.",
  },
};

const PLACEHOLDER = /\{(\w+)\}/g;
/** An optional part: `[ until {until}]`, left out when a placeholder in it is ''. */
const OPTIONAL = /\[([^[\]]*)\]/g;

/** The placeholder names a phrase's text uses, in order of appearance. */
export function placeholders(kind: PhraseKind, language: Language): string[] {
  return [...(PHRASES[kind]?.[language] ?? '').matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/**
 * The text of phrase `kind` in `language` with its placeholders filled. Throws
 * InteractionError for an unknown kind or language, or a missing value (a bug in the caller,
 * not bad customer input). An empty value leaves no stray spaces ("Here we are: Kela.").
 */
export function say<K extends PhraseKind>(kind: K, language: Language, vars: PhraseVars<K>): string;
export function say(kind: PhraseKind, language: Language, vars: AnyPhraseVars): string;
export function say(kind: PhraseKind, language: Language, vars: AnyPhraseVars): string {
  const template = PHRASES[kind]?.[language];
  if (template === undefined) {
    throw new InteractionError(
      'PHRASE_UNKNOWN',
      `phrases.ts:say ${String(kind)}.${String(language)}`,
      `expected a phrase kind of ${PHRASE_KINDS.join(', ')} and a language fi, sv or en`,
    );
  }
  const fill = (text: string) =>
    text.replace(PLACEHOLDER, (_, name: string) => {
      const value = vars[name];
      if (value === undefined) {
        throw new InteractionError(
          'PHRASE_VAR_MISSING',
          `phrases.ts:say ${kind}.${language} vars.${name}`,
          `expected a value for {${name}}, found none`,
        );
      }
      return String(value);
    });
  const text = fill(
    template.replace(OPTIONAL, (_, inner: string) => {
      const names = [...inner.matchAll(PLACEHOLDER)].map((m) => m[1]!);
      // Filled first, so a missing value still throws; an empty one drops the part.
      fill(inner);
      return names.some((n) => vars[n] === '') ? '' : inner;
    }),
  );
  return text.replace(/\s{2,}/g, ' ').trim();
}

const OR: Record<Language, string> = { fi: 'tai', sv: 'eller', en: 'or' };

/** "A, B or C" / "A, B tai C" / "A, B eller C". */
export function joinAlternatives(items: readonly string[], language: Language): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${OR[language]} ${items[items.length - 1]}`;
}
