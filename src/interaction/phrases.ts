/**
 * Everything the robot says, in Finnish, Swedish and English, keyed by a stable kind that
 * screens and logs can rely on. Plain, short sentences: many customers speak none of the three
 * as a first language. Desk names are put where no grammatical case or gender is needed.
 *
 * A part in square brackets is optional: it is left out when a placeholder in it is given as ''
 * ("Kela is closed[ until {until}]." says "Kela is closed." without a time).
 */
import type { Language } from '../map/index.js';
import { DIRECTION_PHRASES, DIRECTION_PHRASES_PLAIN, DIRECTION_PHRASE_VARS } from './direction-phrases.js';
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
  /** Not understood, and no desk relates to any word understood: ask for a name or a need. */
  unknown: [],
  /** Not understood, but some words point at desks: `options` names them ("A, B or C"). */
  'unknown.suggest': ['options'],
  /** Two or three desks fit: asks which, `options` numbered ("1 Kela, 2 Espoon Asunnot"). */
  asking: ['options'],
  /** The reply to 'asking' was not understood: asks once more, with a way out. */
  'asking.again': ['options'],
  /** The customer cancelled while asked back. */
  'asking.cancelled': [],
  /** Nobody picked while asked back: the robot stops waiting. */
  'asking.timeout': [],
  /** The service is not on this floor: `where` is the site's own words for where it is. */
  elsewhere: ['where'],
  /** As 'elsewhere', offering the way on (`way`, a desk of this floor) and `directions` there (optional). */
  'elsewhere.way': ['where', 'way', 'directions'],
  /** The customer walks alone: the desk, the walk in minutes and `directions` in words (optional). */
  directions: ['desk', 'minutes', 'directions'],
  /** A new request while the robot is guiding someone else. */
  busy: [],
  /** As 'busy', for a request that named a desk: the way there in words (`directions` optional). */
  'busy.directions': ['desk', 'minutes', 'directions'],
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
  /** To anyone near: the way home is blocked; clear it if you can; the robot still helps from here. */
  'return.blocked': [],
  /** To anyone near: still not home after several tries; staff have been told. */
  'return.help': [],
  /** A tight place: the customer stands where the robot must pass; asks them to let it go first. */
  'escort.make_way': [],
  /** Localisation lost: the robot stands still and asks for a moment. */
  localizing: [],
  /** Localisation did not come back: the robot cannot guide on and asks the customer to get help. */
  'localization.lost': [],
  /** The charge is low: no escort now; asks the customer to ask staff (a request that named no desk). */
  'battery.low': [],
  /** As 'battery.low', for a request that named a desk: the way there in words (`directions` optional). */
  'battery.low.directions': ['desk', 'minutes', 'directions'],
  /** Mid-escort, the charge would not last: the robot must go and charge; the way on from here. */
  'battery.handover': ['desk', 'directions'],
  /** The charge is critical: the robot stops where it is; asks for staff. */
  'battery.critical': [],
  /** The centre is closed; `when` it opens (optional). */
  'centre.closed': ['when'],
  /** The sentences directions in words are made of (direction-phrases.ts). */
  ...DIRECTION_PHRASE_VARS,
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
    fi: 'Valitettavasti en ymmärtänyt. Kerro palvelupisteen nimi tai mitä asiaa sinulla on.',
    sv: 'Tyvärr förstod jag inte. Säg namnet på stället eller vad du behöver hjälp med.',
    en: "Sorry, I didn't understand. Please tell me the name of the desk or what you need.",
  },
  'unknown.suggest': {
    fi: 'En ymmärtänyt aivan. Tarkoititko jotakin näistä: {options}?',
    sv: 'Jag förstod inte riktigt. Menade du något av dessa: {options}?',
    en: "I didn't quite understand. Maybe one of these: {options}?",
  },
  asking: {
    fi: 'Mitä näistä tarkoitat: {options}? Sano numero tai nimi.',
    sv: 'Vilket av dessa menar du: {options}? Säg numret eller namnet.',
    en: 'Which one: {options}? Say the number or the name.',
  },
  'asking.again': {
    fi: 'Anteeksi, en saanut selvää. Mitä näistä tarkoitat: {options}? Sano numero tai nimi, tai sano "peruuta".',
    sv: 'Förlåt, jag uppfattade inte. Vilket av dessa menar du: {options}? Säg numret eller namnet, eller säg "avbryt".',
    en: 'Sorry, I did not catch that. Which one: {options}? Say the number or the name, or say "cancel".',
  },
  'asking.cancelled': {
    fi: 'Selvä, jätetään se. Kysy minulta uudelleen, kun haluat.',
    sv: 'Okej, vi låter det vara. Fråga mig igen när du vill.',
    en: 'All right, never mind. Ask me again whenever you like.',
  },
  'asking.timeout': {
    fi: 'En kuullut valintaasi. Kysy minulta uudelleen, kun haluat.',
    sv: 'Jag hörde inte ditt val. Fråga mig igen när du vill.',
    en: "I didn't hear your choice. Ask me again whenever you like.",
  },
  elsewhere: {
    fi: 'Sitä ei hoideta tässä kerroksessa. {where}',
    sv: 'Det sköts inte på den här våningen. {where}',
    en: 'That is not handled on this floor. {where}',
  },
  'elsewhere.way': {
    fi: 'Sitä ei hoideta tässä kerroksessa. {where} Voin viedä sinut kohteeseen {way}.[ {directions}]',
    sv: 'Det sköts inte på den här våningen. {where} Jag kan följa dig till {way}.[ {directions}]',
    en: 'That is not handled on this floor. {where} I can take you to {way}.[ {directions}]',
  },
  directions: {
    fi: 'Näin löydät kohteeseen {desk}, noin {minutes} min kävelymatka.[ {directions}]',
    sv: 'Så hittar du till {desk}, ungefär {minutes} min att gå.[ {directions}]',
    en: 'Here is the way to {desk}, about {minutes} min on foot.[ {directions}]',
  },
  busy: {
    fi: 'Opastan nyt toista asiakasta. Tulen pian takaisin.',
    sv: 'Jag visar vägen för någon annan just nu. Jag kommer snart tillbaka.',
    en: "I'm guiding someone else right now. I'll be back soon.",
  },
  'busy.directions': {
    fi: 'Opastan nyt toista asiakasta. {desk} on noin {minutes} min kävelymatkan päässä.[ {directions}]',
    sv: 'Jag visar vägen för någon annan just nu. {desk} ligger ungefär {minutes} min bort till fots.[ {directions}]',
    en: "I'm guiding someone else right now. {desk} is about {minutes} min away on foot.[ {directions}]",
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
  'return.blocked': {
    fi: 'En pääse takaisin paikalleni, koska tie on tukossa. Jos voit, raivaa tietä. Voin silti opastaa sinua täältä.',
    sv: 'Jag kommer inte tillbaka till min plats, vägen är blockerad. Röj gärna undan om du kan. Jag kan ändå visa vägen härifrån.',
    en: "I can't get back to my place: the way is blocked. Please clear the way if you can. I can still guide you from here.",
  },
  'return.help': {
    fi: 'En vieläkään pääse takaisin paikalleni. Henkilökunnalle on ilmoitettu. Voin silti opastaa sinua täältä.',
    sv: 'Jag kommer fortfarande inte tillbaka till min plats. Personalen har fått veta. Jag kan ändå visa vägen härifrån.',
    en: "I still can't get back to my place. Staff have been told. I can still guide you from here.",
  },
  'escort.make_way': {
    fi: 'Täällä on ahdasta. Astuisitko sivuun, niin menen ensin? Seuraa sitten minua.',
    sv: 'Det är trångt här. Kan du kliva åt sidan så att jag går först? Följ mig sedan.',
    en: "It's narrow here. Could you step aside and let me go first? Then follow me.",
  },
  localizing: {
    fi: 'En ole varma, missä olen. Odota hetki, ole hyvä.',
    sv: 'Jag är inte säker på var jag är. Vänta en stund, tack.',
    en: "I'm not sure where I am. Please wait a moment.",
  },
  'localization.lost': {
    fi: 'Olen pahoillani, en löydä nyt tietä. Kysy apua henkilökunnalta.',
    sv: 'Förlåt, jag hittar inte vägen just nu. Fråga personalen om hjälp.',
    en: "I'm sorry, I can't find my way just now. Please ask a staff member for help.",
  },
  'battery.low': {
    fi: 'Akkuni on vähissä, joten en voi opastaa nyt. Lähden latautumaan. Kysy apua henkilökunnalta.',
    sv: 'Mitt batteri är nästan slut, så jag kan inte visa vägen nu. Jag ska laddas. Fråga personalen om hjälp.',
    en: "My battery is low, so I can't guide you now. I'm going to charge. Please ask a staff member for help.",
  },
  'battery.low.directions': {
    fi: 'Akkuni on vähissä, joten en voi saattaa sinua nyt. {desk} on noin {minutes} min kävelymatkan päässä.[ {directions}]',
    sv: 'Mitt batteri är nästan slut, så jag kan inte följa dig nu. {desk} ligger ungefär {minutes} min bort till fots.[ {directions}]',
    en: "My battery is low, so I can't take you there now. {desk} is about {minutes} min away on foot.[ {directions}]",
  },
  'battery.handover': {
    fi: 'Olen pahoillani, akkuni on loppumassa ja minun täytyy mennä latautumaan. Henkilökunta neuvoo tarvittaessa tien kohteeseen {desk}.[ Tästä pääset sinne näin: {directions}]',
    sv: 'Förlåt, mitt batteri håller på att ta slut och jag måste laddas. Personalen visar dig vägen till {desk} om du behöver.[ Härifrån går du så här: {directions}]',
    en: "I'm sorry, my battery is running out and I must go and charge. Staff can show you the way to {desk} if you need.[ From here: {directions}]",
  },
  'battery.critical': {
    fi: 'Akkuni on lopussa, joten pysähdyn tähän. Henkilökunnalle on ilmoitettu. Kysy tietä henkilökunnalta.',
    sv: 'Mitt batteri är slut, så jag stannar här. Personalen har fått veta. Fråga personalen om vägen.',
    en: 'My battery is empty, so I have to stop here. Staff have been told. Please ask a staff member for the way.',
  },
  'centre.closed': {
    fi: 'Palvelukeskus on nyt kiinni.[ Se aukeaa {when}.]',
    sv: 'Servicecentret är stängt nu.[ Det öppnar {when}.]',
    en: 'The service centre is closed now.[ It opens {when}.]',
  },
  ...DIRECTION_PHRASES,
};

/**
 * The same phrases in plain language (selkokieli, lättläst, plain English), for a customer who
 * chose it: short sentences of common words, one thing per sentence, no contractions, the same
 * placeholders as the standard phrase.
 */
export const PLAIN_PHRASES: Record<PhraseKind, Record<Language, string>> = {
  greet: {
    fi: 'Hei! Minne haluat mennä? Voit puhua suomea, ruotsia tai englantia.',
    sv: 'Hej! Vart vill du gå? Du kan tala finska, svenska eller engelska.',
    en: 'Hello! Where do you want to go? You can use Finnish, Swedish or English.',
  },
  'escort.start': {
    fi: 'Tule minun perässäni. Menemme: {desk}. Matka kestää noin {minutes} min.',
    sv: 'Följ mig. Vi går till {desk}. Det tar cirka {minutes} min.',
    en: 'Follow me. We go to {desk}. It takes about {minutes} min.',
  },
  'escort.slow': { fi: 'Menen hitaammin.', sv: 'Jag går långsammare.', en: 'I will go slower.' },
  'escort.wait': { fi: 'Odotan sinua.', sv: 'Jag väntar på dig.', en: 'I will wait for you.' },
  'escort.look': { fi: 'Etsin sinua.', sv: 'Jag letar efter dig.', en: 'I am looking for you.' },
  'escort.ask': {
    fi: 'Olen tässä. Tule luokseni. Menemme: {desk}.',
    sv: 'Jag är här. Kom till mig. Vi går till {desk}.',
    en: 'I am here. Come to me. We are going to {desk}.',
  },
  'escort.resume': { fi: 'Hyvä. Jatketaan.', sv: 'Bra. Vi går vidare.', en: 'Good. We go on.' },
  'escort.lost': {
    fi: 'En näe sinua. Menen takaisin paikalleni. Voit kysyä uudelleen.',
    sv: 'Jag ser dig inte. Jag går tillbaka. Du kan fråga igen.',
    en: 'I cannot see you. I will go back. You can ask again.',
  },
  arrive: {
    fi: 'Olemme perillä. Tämä on {desk}. {description}',
    sv: 'Nu är vi framme. Det här är {desk}. {description}',
    en: 'We are here. This is {desk}. {description}',
  },
  'arrive.closed_now': {
    fi: 'Olemme perillä. Tämä on {desk}. Se on nyt kiinni. Se aukeaa {when}.',
    sv: 'Nu är vi framme. Det här är {desk}. Det är stängt nu. Det öppnar {when}.',
    en: 'We are here. This is {desk}. It is closed now. It opens {when}.',
  },
  closed: {
    fi: '{desk} on nyt kiinni. Se aukeaa {when}.',
    sv: '{desk} är stängt nu. Det öppnar {when}.',
    en: '{desk} is closed now. It opens {when}.',
  },
  'closed.indefinitely': {
    fi: '{desk} on nyt kiinni. Kysy henkilökunnalta.',
    sv: '{desk} är stängt nu. Fråga personalen.',
    en: '{desk} is closed now. Ask a staff member.',
  },
  unknown: {
    fi: 'En ymmärtänyt. Sano paikan nimi. Tai sano, mitä tarvitset.',
    sv: 'Jag förstod inte. Säg namnet på stället. Eller säg vad du behöver.',
    en: 'I did not understand. Say the name of the place. Or say what you need.',
  },
  'unknown.suggest': {
    fi: 'En ymmärtänyt. Ehkä tarkoitat jotakin näistä: {options}.',
    sv: 'Jag förstod inte. Kanske menar du något av dessa: {options}.',
    en: 'I did not understand. Maybe you mean one of these: {options}.',
  },
  asking: {
    fi: 'Mikä näistä? {options}. Sano numero tai nimi.',
    sv: 'Vilken av dessa? {options}. Säg numret eller namnet.',
    en: 'Which one? {options}. Say the number or the name.',
  },
  'asking.again': {
    fi: 'En ymmärtänyt. Mikä näistä? {options}. Sano numero. Tai sano "peruuta".',
    sv: 'Jag förstod inte. Vilken av dessa? {options}. Säg numret. Eller säg "avbryt".',
    en: 'I did not understand. Which one? {options}. Say the number. Or say "cancel".',
  },
  'asking.cancelled': {
    fi: 'Selvä. Voit kysyä uudelleen.',
    sv: 'Okej. Du kan fråga igen.',
    en: 'All right. You can ask again.',
  },
  'asking.timeout': {
    fi: 'En kuullut vastausta. Voit kysyä uudelleen.',
    sv: 'Jag hörde inget svar. Du kan fråga igen.',
    en: 'I did not hear an answer. You can ask again.',
  },
  elsewhere: {
    fi: 'Sitä ei ole täällä. {where}',
    sv: 'Det finns inte här. {where}',
    en: 'That is not here. {where}',
  },
  'elsewhere.way': {
    fi: 'Sitä ei ole täällä. {where} Voin viedä sinut: {way}.[ {directions}]',
    sv: 'Det finns inte här. {where} Jag kan följa dig till {way}.[ {directions}]',
    en: 'That is not here. {where} I can take you to {way}.[ {directions}]',
  },
  directions: {
    fi: 'Kohde on {desk}. Sinne on noin {minutes} min kävelyä.[ {directions}]',
    sv: 'Du ska till {desk}. Det tar cirka {minutes} min att gå.[ {directions}]',
    en: 'You want {desk}. It is about {minutes} min on foot.[ {directions}]',
  },
  busy: {
    fi: 'Autan nyt toista asiakasta. Tulen pian takaisin.',
    sv: 'Jag hjälper någon annan nu. Jag kommer snart tillbaka.',
    en: 'I am helping someone else now. I will be back soon.',
  },
  'busy.directions': {
    fi: 'Autan nyt toista asiakasta. {desk} on noin {minutes} min päässä.[ {directions}]',
    sv: 'Jag hjälper någon annan nu. {desk} är cirka {minutes} min bort.[ {directions}]',
    en: 'I am helping someone else now. {desk} is about {minutes} min away.[ {directions}]',
  },
  unavailable: {
    fi: 'En voi auttaa nyt. Kysy henkilökunnalta.',
    sv: 'Jag kan inte hjälpa nu. Fråga personalen.',
    en: 'I cannot help now. Ask a staff member.',
  },
  paused: {
    fi: 'Henkilökunta pysäytti minut. Odota hetki. Tai kysy henkilökunnalta.',
    sv: 'Personalen har stoppat mig. Vänta lite. Eller fråga personalen.',
    en: 'Staff have stopped me. Please wait. Or ask a staff member.',
  },
  'closed.staff': {
    fi: '{desk} on kiinni[ {until} asti].[ Viesti: {note}]',
    sv: '{desk} är stängt[ till {until}].[ Meddelande: {note}]',
    en: '{desk} is closed[ until {until}].[ Message: {note}]',
  },
  'closed.staff.help': {
    fi: '{desk} on kiinni[ {until} asti].[ Viesti: {note}] Voit kysyä apua täältä: {help}.',
    sv: '{desk} är stängt[ till {until}].[ Meddelande: {note}] Du kan få hjälp här: {help}.',
    en: '{desk} is closed[ until {until}].[ Message: {note}] You can get help here: {help}.',
  },
  'arrive.closed_staff': {
    fi: 'Olemme perillä. Tämä on {desk}. Se on kiinni[ {until} asti].[ Viesti: {note}][ Voit kysyä apua täältä: {help}.]',
    sv: 'Nu är vi framme. Det här är {desk}. Det är stängt[ till {until}].[ Meddelande: {note}][ Du kan få hjälp här: {help}.]',
    en: 'We are here. This is {desk}. It is closed[ until {until}].[ Message: {note}][ You can get help here: {help}.]',
  },
  'nav.failed': {
    fi: 'En pääse sinne nyt. Kysy henkilökunnalta. Menen takaisin paikalleni.',
    sv: 'Jag kommer inte dit nu. Fråga personalen. Jag går tillbaka.',
    en: 'I cannot get there now. Ask a staff member. I will go back.',
  },
  estop: {
    fi: 'Minut on pysäytetty. Henkilökunta auttaa sinua.',
    sv: 'Jag har stoppats. Personalen hjälper dig.',
    en: 'I have been stopped. Staff will help you.',
  },
  cancelled: {
    fi: 'Opastus loppui. Menen takaisin paikalleni.',
    sv: 'Guidningen är slut. Jag går tillbaka.',
    en: 'The guiding has stopped. I will go back.',
  },
  return: {
    fi: 'Hyvää päivää! Menen nyt takaisin.',
    sv: 'Ha en bra dag! Nu går jag tillbaka.',
    en: 'Have a good day! I will go back now.',
  },
  'return.blocked': {
    fi: 'En pääse takaisin. Tie on tukossa. Voin silti auttaa täällä.',
    sv: 'Jag kommer inte tillbaka. Vägen är stängd. Jag kan hjälpa här.',
    en: 'I cannot get back. The way is blocked. I can help here.',
  },
  'return.help': {
    fi: 'En pääse vieläkään takaisin. Henkilökunta tietää. Voin auttaa täällä.',
    sv: 'Jag kommer inte tillbaka. Personalen vet. Jag kan hjälpa här.',
    en: 'I still cannot get back. Staff know. I can help here.',
  },
  'escort.make_way': {
    fi: 'Tässä on ahdasta. Mene sivuun. Minä menen ensin. Tule perässä.',
    sv: 'Det är trångt. Gå åt sidan. Jag går först. Följ mig.',
    en: 'It is narrow here. Please step aside. I go first. Then follow me.',
  },
  localizing: {
    fi: 'En tiedä, missä olen. Odota hetki.',
    sv: 'Jag vet inte var jag är. Vänta lite.',
    en: 'I do not know where I am. Please wait.',
  },
  'localization.lost': {
    fi: 'Anteeksi. En löydä tietä nyt. Kysy henkilökunnalta.',
    sv: 'Förlåt. Jag hittar inte vägen nu. Fråga personalen.',
    en: 'Sorry. I cannot find the way now. Ask a staff member.',
  },
  'battery.low': {
    fi: 'Akkuni on melkein tyhjä. En voi opastaa nyt. Kysy henkilökunnalta.',
    sv: 'Mitt batteri är nästan tomt. Jag kan inte visa vägen nu. Fråga personalen.',
    en: 'My battery is almost empty. I cannot guide you now. Ask a staff member.',
  },
  'battery.low.directions': {
    fi: 'Akkuni on melkein tyhjä. En voi tulla mukaan. {desk} on noin {minutes} min päässä.[ {directions}]',
    sv: 'Mitt batteri är nästan tomt. Jag kan inte följa med. {desk} är cirka {minutes} min bort.[ {directions}]',
    en: 'My battery is almost empty. I cannot come with you. {desk} is about {minutes} min away.[ {directions}]',
  },
  'battery.handover': {
    fi: 'Anteeksi. Akkuni on melkein tyhjä. Minun täytyy mennä lataamaan. Kysy tietä henkilökunnalta: {desk}.[ Tästä näin: {directions}]',
    sv: 'Förlåt. Mitt batteri är nästan tomt. Jag måste laddas. Fråga personalen om vägen till {desk}.[ Härifrån så här: {directions}]',
    en: 'Sorry. My battery is almost empty. I must go and charge. Ask a staff member the way to {desk}.[ From here: {directions}]',
  },
  'battery.critical': {
    fi: 'Akkuni on tyhjä. Pysähdyn tähän. Kysy henkilökunnalta.',
    sv: 'Mitt batteri är tomt. Jag stannar här. Fråga personalen.',
    en: 'My battery is empty. I stop here. Ask a staff member.',
  },
  'centre.closed': {
    fi: 'Palvelukeskus on kiinni.[ Se aukeaa {when}.]',
    sv: 'Servicecentret är stängt.[ Det öppnar {when}.]',
    en: 'The service centre is closed.[ It opens {when}.]',
  },
  ...DIRECTION_PHRASES_PLAIN,
};

/** The phrase table of a style. */
export function phraseTable(style: PhraseStyle): Record<PhraseKind, Record<Language, string>> | undefined {
  if (style === 'plain') return PLAIN_PHRASES;
  return style === 'standard' ? PHRASES : undefined;
}

const PLACEHOLDER = /\{(\w+)\}/g;
/** An optional part: `[ until {until}]`, left out when a placeholder in it is ''. */
const OPTIONAL = /\[([^[\]]*)\]/g;

/** The placeholder names a phrase's text uses, in order of appearance. */
export function placeholders(
  kind: PhraseKind,
  language: Language,
  style: PhraseStyle = 'standard',
): string[] {
  return [...(phraseTable(style)?.[kind]?.[language] ?? '').matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/**
 * The text of phrase `kind` in `language` with its placeholders filled, in plain language when
 * `style` is 'plain'. Throws
 * InteractionError for an unknown kind or language, or a missing value (a bug in the caller,
 * not bad customer input). An empty value leaves no stray spaces ("Here we are: Kela.").
 */
export function say<K extends PhraseKind>(
  kind: K,
  language: Language,
  vars: PhraseVars<K>,
  style?: PhraseStyle,
): string;
export function say(kind: PhraseKind, language: Language, vars: AnyPhraseVars, style?: PhraseStyle): string;
export function say(
  kind: PhraseKind,
  language: Language,
  vars: AnyPhraseVars,
  style: PhraseStyle = 'standard',
): string {
  const template = phraseTable(style)?.[kind]?.[language];
  if (template === undefined) {
    throw new InteractionError(
      'PHRASE_UNKNOWN',
      `phrases.ts:say ${String(kind)}.${String(language)}`,
      `expected a phrase kind of ${PHRASE_KINDS.join(', ')}, a language fi, sv or en and a style standard or plain`,
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

/** "1 Kela, 2 Espoon Asunnot": choices numbered as the customer may answer them. */
export function numberedChoices(items: readonly string[]): string {
  return items.map((item, i) => `${i + 1} ${item}`).join(', ');
}
