/**
 * The words of directions, in Finnish, Swedish and English, standard and plain (selkokieli,
 * lättläst, plain English). Kept as data in the phrase list's shape (kind → placeholders, kind →
 * text per language) so the phrase list can take them in: the kinds all start with 'directions.'.
 *
 * Names go where no grammatical case is needed: as the site writes them (Finnish landmark names
 * in the nominative, Swedish ones in the definite form, English ones with their article), after a
 * colon or as the subject of "on" / "finns" / "is". "Vasemmalle jää hissiaula" is natural Finnish
 * with the name in the nominative; no ending is ever glued onto a name.
 */
import type { Language } from '../map/index.js';
import { InteractionError } from './errors.js';
import type { PhraseStyle } from './phrases.js';

/** Each directions phrase and its placeholders (the same in every language and style). */
export const DIRECTION_PHRASE_VARS = {
  /** Heading line: where to and how far in all. */
  'directions.intro': ['desk', 'metres'],
  /** The customer starts beside the robot, facing the way it faces. */
  'directions.start': [],
  /** The start when the robot is away (guiding someone else): from its dock, not from beside it. */
  'directions.start_from_dock': [],
  /** A walk of `metres` (already rounded) straight on. */
  'directions.walk': ['metres'],
  /** A walk too short to give in metres. */
  'directions.walk_short': [],
  'directions.turn.left': [],
  'directions.turn.right': [],
  'directions.turn.slight_left': [],
  'directions.turn.slight_right': [],
  'directions.turn.around': [],
  /** Places passed on one side during the last walk; `places` is a list ("A and B"). */
  'directions.pass.left': ['places'],
  'directions.pass.right': ['places'],
  /** Where the destination is on arrival. */
  'directions.arrive.left': ['desk'],
  'directions.arrive.right': ['desk'],
  'directions.arrive.ahead': ['desk'],
  'directions.arrive.behind': ['desk'],
  /** Already there: the destination is right here. */
  'directions.arrive.here': ['desk'],
} as const satisfies Record<string, readonly string[]>;

export type DirectionPhraseKind = keyof typeof DIRECTION_PHRASE_VARS;
export const DIRECTION_PHRASE_KINDS = Object.keys(DIRECTION_PHRASE_VARS) as DirectionPhraseKind[];

type Table = Record<DirectionPhraseKind, Record<Language, string>>;

export const DIRECTION_PHRASES: Table = {
  'directions.intro': {
    fi: 'Näin pääset perille: {desk}, noin {metres} metriä.',
    sv: 'Så här hittar du dit: {desk}, ungefär {metres} meter.',
    en: 'How to get there: {desk}, about {metres} metres.',
  },
  'directions.start': {
    fi: 'Seiso vieressäni ja katso samaan suuntaan kuin minä.',
    sv: 'Ställ dig bredvid mig och se åt samma håll som jag.',
    en: 'Stand next to me, facing the same way as I do.',
  },
  'directions.start_from_dock': {
    fi: 'Aloita latauspaikaltani ja pidä se selkäsi takana.',
    sv: 'Börja vid min laddplats, med den bakom dig.',
    en: 'Start at my charging place, with it behind you.',
  },
  'directions.walk': {
    fi: 'Kävele suoraan noin {metres} metriä.',
    sv: 'Gå rakt fram ungefär {metres} meter.',
    en: 'Walk straight on for about {metres} metres.',
  },
  'directions.walk_short': {
    fi: 'Kävele muutama askel eteenpäin.',
    sv: 'Gå några steg framåt.',
    en: 'Walk a few steps forward.',
  },
  'directions.turn.left': {
    fi: 'Käänny vasemmalle.',
    sv: 'Sväng till vänster.',
    en: 'Turn left.',
  },
  'directions.turn.right': {
    fi: 'Käänny oikealle.',
    sv: 'Sväng till höger.',
    en: 'Turn right.',
  },
  'directions.turn.slight_left': {
    fi: 'Käänny loivasti vasemmalle.',
    sv: 'Håll snett till vänster.',
    en: 'Bear slightly left.',
  },
  'directions.turn.slight_right': {
    fi: 'Käänny loivasti oikealle.',
    sv: 'Håll snett till höger.',
    en: 'Bear slightly right.',
  },
  'directions.turn.around': {
    fi: 'Käänny ympäri.',
    sv: 'Vänd dig om.',
    en: 'Turn around.',
  },
  'directions.pass.left': {
    fi: 'Vasemmalle jää {places}.',
    sv: 'Du går förbi {places} på vänster sida.',
    en: 'You pass {places} on your left.',
  },
  'directions.pass.right': {
    fi: 'Oikealle jää {places}.',
    sv: 'Du går förbi {places} på höger sida.',
    en: 'You pass {places} on your right.',
  },
  'directions.arrive.left': {
    fi: 'Perillä, vasemmalla puolellasi: {desk}.',
    sv: 'Framme, på din vänstra sida: {desk}.',
    en: 'There, on your left: {desk}.',
  },
  'directions.arrive.right': {
    fi: 'Perillä, oikealla puolellasi: {desk}.',
    sv: 'Framme, på din högra sida: {desk}.',
    en: 'There, on your right: {desk}.',
  },
  'directions.arrive.ahead': {
    fi: 'Perillä, suoraan edessäsi: {desk}.',
    sv: 'Framme, rakt framför dig: {desk}.',
    en: 'There, straight ahead of you: {desk}.',
  },
  'directions.arrive.behind': {
    fi: 'Perillä käänny ympäri, takanasi: {desk}.',
    sv: 'Framme, vänd dig om, bakom dig: {desk}.',
    en: 'There, turn around, behind you: {desk}.',
  },
  'directions.arrive.here': {
    fi: 'Olet jo perillä, tässä: {desk}.',
    sv: 'Du är redan framme, här: {desk}.',
    en: 'You are already there, right here: {desk}.',
  },
};

/**
 * Plain language: one thing per sentence, everyday words ("go a little to the left", not "bear
 * slightly left"), no "about" before numbers, one place per walk, said as "On the left is …".
 */
export const DIRECTION_PHRASES_PLAIN: Table = {
  'directions.intro': {
    fi: 'Reitti: {desk}. Matka on noin {metres} metriä.',
    sv: 'Vägen: {desk}. Det är ungefär {metres} meter.',
    en: 'The way to {desk}. It is about {metres} metres.',
  },
  'directions.start': {
    fi: 'Seiso vieressäni. Katso samaan suuntaan kuin minä.',
    sv: 'Stå bredvid mig. Titta åt samma håll som jag.',
    en: 'Stand next to me. Look the same way as me.',
  },
  'directions.start_from_dock': {
    fi: 'Mene latauspaikalleni. Selkä latauspaikkaa kohti.',
    sv: 'Gå till min laddplats. Ha den bakom dig.',
    en: 'Go to my charging place. Stand with your back to it.',
  },
  'directions.walk': {
    fi: 'Kävele suoraan {metres} metriä.',
    sv: 'Gå rakt fram {metres} meter.',
    en: 'Walk straight on {metres} metres.',
  },
  'directions.walk_short': {
    fi: 'Kävele vähän eteenpäin.',
    sv: 'Gå lite framåt.',
    en: 'Walk a little forward.',
  },
  'directions.turn.left': {
    fi: 'Käänny vasemmalle.',
    sv: 'Sväng vänster.',
    en: 'Turn left.',
  },
  'directions.turn.right': {
    fi: 'Käänny oikealle.',
    sv: 'Sväng höger.',
    en: 'Turn right.',
  },
  'directions.turn.slight_left': {
    fi: 'Mene vähän vasemmalle.',
    sv: 'Gå lite till vänster.',
    en: 'Go a little to the left.',
  },
  'directions.turn.slight_right': {
    fi: 'Mene vähän oikealle.',
    sv: 'Gå lite till höger.',
    en: 'Go a little to the right.',
  },
  'directions.turn.around': {
    fi: 'Käänny ympäri.',
    sv: 'Vänd dig om.',
    en: 'Turn around.',
  },
  'directions.pass.left': {
    fi: 'Vasemmalla on {places}.',
    sv: 'Till vänster finns {places}.',
    en: 'On the left is {places}.',
  },
  'directions.pass.right': {
    fi: 'Oikealla on {places}.',
    sv: 'Till höger finns {places}.',
    en: 'On the right is {places}.',
  },
  'directions.arrive.left': {
    fi: 'Olet perillä. Katso vasemmalle: {desk}.',
    sv: 'Du är framme. Titta till vänster: {desk}.',
    en: 'You are there. Look left: {desk}.',
  },
  'directions.arrive.right': {
    fi: 'Olet perillä. Katso oikealle: {desk}.',
    sv: 'Du är framme. Titta till höger: {desk}.',
    en: 'You are there. Look right: {desk}.',
  },
  'directions.arrive.ahead': {
    fi: 'Olet perillä. Katso eteenpäin: {desk}.',
    sv: 'Du är framme. Titta rakt fram: {desk}.',
    en: 'You are there. Look straight ahead: {desk}.',
  },
  'directions.arrive.behind': {
    fi: 'Olet perillä. Käänny ympäri: {desk}.',
    sv: 'Du är framme. Vänd dig om: {desk}.',
    en: 'You are there. Turn around: {desk}.',
  },
  'directions.arrive.here': {
    fi: 'Olet perillä: {desk}.',
    sv: 'Du är framme: {desk}.',
    en: 'You are there: {desk}.',
  },
};

/** "A and B" / "A, B and C" in `language`: places passed on one side. */
const AND: Record<Language, string> = { fi: 'ja', sv: 'och', en: 'and' };
export function joinAll(items: readonly string[], language: Language): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${AND[language]} ${items[items.length - 1]}`;
}

const PLACEHOLDER = /\{(\w+)\}/g;

/**
 * Phrase `kind` in `language` and `style` with its placeholders filled; the first letter is
 * made upper case (a sentence may start with a site name written in lower case). Throws
 * InteractionError for a missing value (a bug in the caller).
 */
export function sayDirection(
  kind: DirectionPhraseKind,
  language: Language,
  style: PhraseStyle,
  vars: Readonly<Record<string, string | number>> = {},
): string {
  const table = style === 'plain' ? DIRECTION_PHRASES_PLAIN : DIRECTION_PHRASES;
  const template = table[kind]?.[language];
  if (template === undefined) {
    throw new InteractionError(
      'PHRASE_UNKNOWN',
      `direction-phrases.ts:sayDirection ${String(kind)}.${String(language)}`,
      `expected a directions phrase kind of ${DIRECTION_PHRASE_KINDS.join(', ')} and a language fi, sv or en`,
    );
  }
  const text = template.replace(PLACEHOLDER, (_, name: string) => {
    const value = vars[name];
    if (value === undefined) {
      throw new InteractionError(
        'PHRASE_VAR_MISSING',
        `direction-phrases.ts:sayDirection ${kind}.${language} vars.${name}`,
        `expected a value for {${name}}, found none`,
      );
    }
    return String(value);
  });
  return text.charAt(0).toUpperCase() + text.slice(1);
}
