/**
 * The kiosk's words in Finnish, Swedish and English, and a plain-language variant of each (shorter
 * sentences, everyday words) for customers who want it. What the robot itself says comes from the
 * server (src/interaction/phrases.ts); these are the screen's own labels.
 */
import type { Language } from '../../protocol.js';

export interface KioskStrings {
  welcome: string;
  chooseLanguage: string;
  plainMode: string;
  textSmaller: string;
  textLarger: string;
  sound: string;
  whereTo: string;
  searchLabel: string;
  searchPlaceholder: string;
  suggestions: string;
  noSuggestions: string;
  orChoose: string;
  open: string;
  closed: string;
  paused: string;
  todayHours: string;
  alwaysOpen: string;
  closedToday: string;
  back: string;
  followMe: (desk: string, minutes: number | undefined) => string;
  confirm: string;
  /** Be told the way and walk alone (a request in 'directions' mode). */
  showTheWay: string;
  cancel: string;
  /** Over the buttons when the robot asked which desk. */
  chooseOne: string;
  /** The directions screen's heading. */
  wayTo: (desk: string) => string;
  /** The heading when what was asked for is not on this floor. */
  notHere: string;
  /** A button for the way on (the lifts, the metro) from an elsewhere answer. */
  wayOn: (place: string) => string;
  oneMoment: string;
  walking: (desk: string) => string;
  remaining: (metres: number) => string;
  stayCloser: string;
  robotSays: string;
  arrived: (desk: string) => string;
  backToStart: (seconds: number) => string;
  done: string;
  answerTitle: string;
  startOver: string;
  failed: string;
  cannotGuide: string;
}

const minutesFi = (m: number | undefined) => (m === undefined ? '' : ` — noin ${m} min`);
const minutesSv = (m: number | undefined) => (m === undefined ? '' : ` — ungefär ${m} min`);
const minutesEn = (m: number | undefined) =>
  m === undefined ? '' : ` — about ${m} ${m === 1 ? 'minute' : 'minutes'}`;

const STANDARD: Record<Language, KioskStrings> = {
  fi: {
    welcome: 'Hei! Olen opasrobotti.',
    chooseLanguage: 'Valitse kieli',
    plainMode: 'Selkokieli',
    textSmaller: 'Pienempi teksti',
    textLarger: 'Suurempi teksti',
    sound: 'Mykistä',
    whereTo: 'Minne haluat mennä?',
    searchLabel: 'Kirjoita, mitä etsit',
    searchPlaceholder: 'esim. Kela, kirjasto, verikoe',
    suggestions: 'Ehdotukset',
    noSuggestions: 'Ei ehdotuksia. Valitse alta.',
    orChoose: 'Tai valitse paikka',
    open: 'Auki',
    closed: 'Kiinni',
    paused: 'Tauolla',
    todayHours: 'Tänään auki',
    alwaysOpen: 'aina auki',
    closedToday: 'tänään kiinni',
    back: 'Takaisin',
    followMe: (desk, m) => `Seuraa minua: ${desk}${minutesFi(m)}`,
    confirm: 'Vie minut perille',
    showTheWay: 'Neuvo tie',
    cancel: 'Peruuta',
    chooseOne: 'Valitse yksi',
    wayTo: (desk) => `Näin löydät: ${desk}`,
    notHere: 'Ei tässä kerroksessa',
    wayOn: (place) => `Näytä tie: ${place}`,
    oneMoment: 'Hetkinen…',
    walking: (desk) => `Matkalla: ${desk}`,
    remaining: (m) => `${m} m jäljellä`,
    stayCloser: 'Pysy vähän lähempänä, kiitos.',
    robotSays: 'Robotti sanoo',
    arrived: (desk) => `Perillä: ${desk}`,
    backToStart: (s) => `Alkuun ${s} sekunnin päästä.`,
    done: 'Valmis',
    answerTitle: 'Vastaus',
    startOver: 'Alkuun',
    failed: 'En saanut yhteyttä. Kysy henkilökunnalta.',
    cannotGuide: 'En voi opastaa juuri nyt. Kysy henkilökunnalta.',
  },
  sv: {
    welcome: 'Hej! Jag är en guiderobot.',
    chooseLanguage: 'Välj språk',
    plainMode: 'Lättläst',
    textSmaller: 'Mindre text',
    textLarger: 'Större text',
    sound: 'Stäng av ljudet',
    whereTo: 'Vart vill du gå?',
    searchLabel: 'Skriv vad du söker',
    searchPlaceholder: 't.ex. FPA, bibliotek, blodprov',
    suggestions: 'Förslag',
    noSuggestions: 'Inga förslag. Välj nedan.',
    orChoose: 'Eller välj ett ställe',
    open: 'Öppet',
    closed: 'Stängt',
    paused: 'Paus',
    todayHours: 'Öppet i dag',
    alwaysOpen: 'alltid öppet',
    closedToday: 'stängt i dag',
    back: 'Tillbaka',
    followMe: (desk, m) => `Följ mig till ${desk}${minutesSv(m)}`,
    confirm: 'Ta mig dit',
    showTheWay: 'Visa vägen',
    cancel: 'Avbryt',
    chooseOne: 'Välj ett',
    wayTo: (desk) => `Så hittar du till ${desk}`,
    notHere: 'Inte på den här våningen',
    wayOn: (place) => `Visa vägen till ${place}`,
    oneMoment: 'Ett ögonblick…',
    walking: (desk) => `På väg till ${desk}`,
    remaining: (m) => `${m} m kvar`,
    stayCloser: 'Håll dig lite närmare, tack.',
    robotSays: 'Roboten säger',
    arrived: (desk) => `Framme: ${desk}`,
    backToStart: (s) => `Tillbaka till början om ${s} sekunder.`,
    done: 'Klar',
    answerTitle: 'Svar',
    startOver: 'Till början',
    failed: 'Jag fick ingen kontakt. Fråga personalen.',
    cannotGuide: 'Jag kan inte visa vägen just nu. Fråga personalen.',
  },
  en: {
    welcome: 'Hello! I am a guide robot.',
    chooseLanguage: 'Choose a language',
    plainMode: 'Plain language',
    textSmaller: 'Smaller text',
    textLarger: 'Larger text',
    sound: 'Mute',
    whereTo: 'Where would you like to go?',
    searchLabel: 'Type what you are looking for',
    searchPlaceholder: 'e.g. Kela, library, blood test',
    suggestions: 'Suggestions',
    noSuggestions: 'No suggestions. Choose below.',
    orChoose: 'Or choose a place',
    open: 'Open',
    closed: 'Closed',
    paused: 'Paused',
    todayHours: 'Open today',
    alwaysOpen: 'always open',
    closedToday: 'closed today',
    back: 'Back',
    followMe: (desk, m) => `Follow me to ${desk}${minutesEn(m)}`,
    confirm: 'Take me there',
    showTheWay: 'Show me the way',
    cancel: 'Cancel',
    chooseOne: 'Choose one',
    wayTo: (desk) => `The way to ${desk}`,
    notHere: 'Not on this floor',
    wayOn: (place) => `The way to ${place}`,
    oneMoment: 'One moment…',
    walking: (desk) => `On the way to ${desk}`,
    remaining: (m) => `${m} m to go`,
    stayCloser: 'Please stay a little closer.',
    robotSays: 'The robot says',
    arrived: (desk) => `Here we are: ${desk}`,
    backToStart: (s) => `Back to the start in ${s} seconds.`,
    done: 'Done',
    answerTitle: 'Answer',
    startOver: 'Start again',
    failed: 'I could not get an answer. Please ask a staff member.',
    cannotGuide: "I can't show you the way just now. Please ask a staff member.",
  },
};

/** Plain language: the words that change; everything else stays as it is. */
const PLAIN: Record<Language, Partial<KioskStrings>> = {
  fi: {
    welcome: 'Hei! Olen robotti. Voin näyttää tien.',
    whereTo: 'Minne menet?',
    searchLabel: 'Kirjoita paikka',
    orChoose: 'Tai paina paikkaa',
    followMe: (desk, m) => `Tule mukaani: ${desk}${minutesFi(m)}`,
    confirm: 'Vie minut',
    showTheWay: 'Kerro tie',
    cancel: 'Ei',
    chooseOne: 'Paina yhtä',
    notHere: 'Se ei ole täällä',
    stayCloser: 'Tule lähemmäs.',
    backToStart: (s) => `Alkuun ${s} s päästä.`,
  },
  sv: {
    welcome: 'Hej! Jag är en robot. Jag kan visa vägen.',
    whereTo: 'Vart ska du?',
    searchLabel: 'Skriv platsen',
    orChoose: 'Eller tryck på en plats',
    followMe: (desk, m) => `Kom med mig till ${desk}${minutesSv(m)}`,
    confirm: 'Ta mig dit',
    showTheWay: 'Säg vägen',
    cancel: 'Nej',
    chooseOne: 'Tryck på en',
    notHere: 'Det finns inte här',
    stayCloser: 'Kom närmare.',
    backToStart: (s) => `Till början om ${s} s.`,
  },
  en: {
    welcome: 'Hello! I am a robot. I can show you the way.',
    whereTo: 'Where do you want to go?',
    searchLabel: 'Type the place',
    orChoose: 'Or press a place',
    followMe: (desk, m) => `Come with me to ${desk}${minutesEn(m)}`,
    confirm: 'Take me there',
    showTheWay: 'Tell me the way',
    cancel: 'No',
    chooseOne: 'Press one',
    notHere: 'It is not here',
    stayCloser: 'Come closer, please.',
    backToStart: (s) => `Start again in ${s} s.`,
  },
};

export function kioskStrings(language: Language, plain: boolean): KioskStrings {
  return plain ? { ...STANDARD[language], ...PLAIN[language] } : STANDARD[language];
}

/** The language buttons: each name in its own language, marked so screen readers say it right. */
export const LANGUAGE_NAMES: ReadonlyArray<{ language: Language; name: string }> = [
  { language: 'fi', name: 'suomi' },
  { language: 'sv', name: 'svenska' },
  { language: 'en', name: 'English' },
];
