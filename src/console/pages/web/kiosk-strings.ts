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
  /** The desk and the walk to it, when the robot does not come along ("Kela — about 1 minute"). */
  placeWalk: (desk: string, minutes: number | undefined) => string;
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
  /** The centre is closed (its own opening hours). */
  centreClosed: string;
  /** When it opens: `when` from openingWhen ("tomorrow at 08.00"). */
  opensAt: (when: string) => string;
  /** The next opening in words: today, tomorrow, or the weekday; at the local clock ('08.00'). */
  openingWhen: (m: { in_days: number; weekday: string; clock: string }) => string;
  /** While the robot charges: no escort, but the way in words. */
  charging: string;
  /** While its battery is empty (stopped where it is): staff are the way. */
  batteryEmpty: string;
  /** The heading when the robot must leave its customer to charge. */
  handoverTitle: string;
}

type Weekdays = Record<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun', string>;
const ON_DAY: Record<Language, Weekdays> = {
  fi: {
    mon: 'maanantaina',
    tue: 'tiistaina',
    wed: 'keskiviikkona',
    thu: 'torstaina',
    fri: 'perjantaina',
    sat: 'lauantaina',
    sun: 'sunnuntaina',
  },
  sv: {
    mon: 'på måndag',
    tue: 'på tisdag',
    wed: 'på onsdag',
    thu: 'på torsdag',
    fri: 'på fredag',
    sat: 'på lördag',
    sun: 'på söndag',
  },
  en: {
    mon: 'on Monday',
    tue: 'on Tuesday',
    wed: 'on Wednesday',
    thu: 'on Thursday',
    fri: 'on Friday',
    sat: 'on Saturday',
    sun: 'on Sunday',
  },
};
const DAY_WORDS: Record<Language, { today: string; tomorrow: string; at: string }> = {
  fi: { today: 'tänään', tomorrow: 'huomenna', at: 'klo' },
  sv: { today: 'i dag', tomorrow: 'i morgon', at: 'kl.' },
  en: { today: 'today', tomorrow: 'tomorrow', at: 'at' },
};

function openingWhen(language: Language) {
  return (m: { in_days: number; weekday: string; clock: string }): string => {
    const words = DAY_WORDS[language];
    const day =
      m.in_days <= 0
        ? words.today
        : m.in_days === 1
          ? words.tomorrow
          : (ON_DAY[language][m.weekday as keyof Weekdays] ?? '');
    return `${day} ${words.at} ${m.clock}`;
  };
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
    placeWalk: (desk, m) => `${desk}${minutesFi(m)}`,
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
    centreClosed: 'Palvelukeskus on kiinni.',
    opensAt: (when) => `Se aukeaa ${when}.`,
    openingWhen: openingWhen('fi'),
    charging: 'Lataan akkuani. Voin kertoa tien sanoin, tai kysy henkilökunnalta.',
    batteryEmpty: 'Akkuni on lopussa, enkä voi liikkua nyt. Kysy tietä henkilökunnalta.',
    handoverTitle: 'Minun täytyy mennä latautumaan',
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
    placeWalk: (desk, m) => `${desk}${minutesSv(m)}`,
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
    centreClosed: 'Servicecentret är stängt.',
    opensAt: (when) => `Det öppnar ${when}.`,
    openingWhen: openingWhen('sv'),
    charging: 'Jag laddar mitt batteri. Jag kan berätta vägen i ord, eller fråga personalen.',
    batteryEmpty: 'Mitt batteri är slut och jag kan inte röra mig nu. Fråga personalen om vägen.',
    handoverTitle: 'Jag måste åka och ladda',
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
    placeWalk: (desk, m) => `${desk}${minutesEn(m)}`,
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
    centreClosed: 'The service centre is closed.',
    opensAt: (when) => `It opens ${when}.`,
    openingWhen: openingWhen('en'),
    charging: "I'm charging my battery. I can tell you the way in words, or please ask staff.",
    batteryEmpty: 'My battery is empty, so I cannot move just now. Please ask staff for the way.',
    handoverTitle: 'I must go and charge',
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
    centreClosed: 'Palvelukeskus on nyt kiinni.',
    charging: 'Lataan akkua. Voin kertoa tien. Tai kysy henkilökunnalta.',
    batteryEmpty: 'Akkuni on tyhjä. Kysy henkilökunnalta.',
    handoverTitle: 'Minun täytyy ladata akku',
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
    centreClosed: 'Servicecentret är stängt nu.',
    charging: 'Jag laddar batteriet. Jag kan säga vägen. Eller fråga personalen.',
    batteryEmpty: 'Mitt batteri är tomt. Fråga personalen.',
    handoverTitle: 'Jag måste ladda batteriet',
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
    centreClosed: 'The centre is closed now.',
    charging: 'I am charging my battery. I can tell you the way. Or ask a staff member.',
    batteryEmpty: 'My battery is empty. Ask a staff member.',
    handoverTitle: 'I must charge my battery',
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
