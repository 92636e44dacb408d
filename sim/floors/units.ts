/**
 * The units a generated floor is let to: desks of a Finnish service centre in rooms, and places
 * in open halls, each with its names, aliases and description in Finnish, Swedish and English, an
 * organisation, a few services in the customers' words, and opening hours. A floor draws from
 * these without putting back, so no two of its destinations share a word: every word a customer
 * may use leads to one place (the site loader's term checks hold by construction, and a test
 * loads every generated floor to prove it).
 */
import type { Localized } from '../../src/map/index.js';

export interface UnitService {
  id: string;
  terms: Localized<string[]>;
}

export type HoursKind = 'always' | 'office' | 'long' | 'short';

export interface Unit {
  id: string;
  name: Localized;
  aliases: Localized<string[]>;
  organisation: string;
  description: Localized;
  services: UnitService[];
  hours: HoursKind;
}

const loc = (fi: string, sv: string, en: string): Localized => ({ fi, sv, en });
const words = (fi: string[], sv: string[], en: string[]): Localized<string[]> => ({ fi, sv, en });

/** Desks behind a door: a counter along the room's back wall. */
export const ROOM_UNITS: readonly Unit[] = [
  {
    id: 'kela',
    name: loc('Kela', 'FPA', 'Kela (Social Insurance Institution)'),
    aliases: words(['kelan toimisto'], ['fpa-byrån'], ['social insurance']),
    organisation: 'Kela',
    description: loc(
      'Kelassa asioidaan etuuksista.',
      'På FPA sköter du förmåner.',
      'At Kela you can handle benefits.',
    ),
    services: [
      {
        id: 'housing-allowance',
        terms: words(['asumistuki'], ['bostadsbidrag'], ['housing allowance']),
      },
    ],
    hours: 'office',
  },
  {
    id: 'employment',
    name: loc('Työllisyyspalvelut', 'Sysselsättningstjänster', 'Employment services'),
    aliases: words(['työkkäri'], ['arbetsförmedlingen'], ['job centre']),
    organisation: 'City of Espoo',
    description: loc(
      'Työnhaku ja työttömyysasiat.',
      'Arbetssökande och arbetslöshet.',
      'Job seeking and unemployment matters.',
    ),
    services: [
      {
        id: 'job-seeker',
        terms: words(['työnhakijaksi'], ['arbetssökande'], ['register as unemployed']),
      },
    ],
    hours: 'office',
  },
  {
    id: 'tax-office',
    name: loc('Verotoimisto', 'Skattebyrån', 'Tax office'),
    aliases: words(['verohallinto'], ['skatteförvaltningen'], ['taxes']),
    organisation: 'Finnish Tax Administration',
    description: loc(
      'Veroasiat ja verokortit.',
      'Skatteärenden och skattekort.',
      'Tax matters and tax cards.',
    ),
    services: [{ id: 'tax-card', terms: words(['verokortti'], ['skattekort'], ['tax card']) }],
    hours: 'short',
  },
  {
    id: 'health-station',
    name: loc('Terveysasema', 'Hälsostation', 'Health station'),
    aliases: words(['terkkari'], ['vårdcentralen'], ['doctor']),
    organisation: 'Western Uusimaa wellbeing services county',
    description: loc(
      'Lääkärin ja hoitajan vastaanotot.',
      'Läkar- och skötarmottagning.',
      'Doctor and nurse appointments.',
    ),
    services: [{ id: 'vaccination', terms: words(['rokotus'], ['vaccination'], ['vaccine']) }],
    hours: 'long',
  },
  {
    id: 'laboratory',
    name: loc('Laboratorio', 'Laboratoriet', 'Laboratory'),
    aliases: words(['labra'], ['labbet'], ['lab']),
    organisation: 'HUS',
    description: loc('Verinäytteet otetaan täällä.', 'Blodprov tas här.', 'Blood samples are taken here.'),
    services: [{ id: 'blood-test', terms: words(['verikoe'], ['blodprov'], ['blood test']) }],
    hours: 'long',
  },
  {
    id: 'neuvola',
    name: loc('Neuvola', 'Rådgivningen', 'Maternity and child health clinic'),
    aliases: words(['lastenneuvola'], ['barnrådgivningen'], ['child clinic']),
    organisation: 'Western Uusimaa wellbeing services county',
    description: loc(
      'Raskauden ja lasten terveyden seuranta.',
      'Uppföljning av graviditet och barns hälsa.',
      'Pregnancy and child health check-ups.',
    ),
    services: [],
    hours: 'office',
  },
  {
    id: 'service-point',
    name: loc('Asiointipiste', 'Invånarservice', 'Customer service point'),
    aliases: words(['asukaspalvelu'], ['kundtjänst'], ['city services']),
    organisation: 'City of Espoo',
    description: loc(
      'Kaupungin palvelut ja neuvonta.',
      'Stadens tjänster och rådgivning.',
      'City services and advice.',
    ),
    services: [
      {
        id: 'parking-permit',
        terms: words(['pysäköintitunnus'], ['parkeringstillstånd'], ['parking permit']),
      },
    ],
    hours: 'long',
  },
  {
    id: 'ohjaamo',
    name: loc('Ohjaamo', 'Navigatorn', 'Ohjaamo youth centre'),
    aliases: words(['nuorten palvelut'], ['ungdomstjänster'], ['youth services']),
    organisation: 'City of Espoo',
    description: loc(
      'Alle 30-vuotiaiden neuvonta.',
      'Rådgivning för unga under 30.',
      'Advice for people under 30.',
    ),
    services: [],
    hours: 'short',
  },
  {
    id: 'housing',
    name: loc('Espoon Asunnot', 'Esbo Bostäder', 'Espoo housing'),
    aliases: words(['vuokra-asunnot'], ['hyresbostäder'], ['rental flats']),
    organisation: 'Espoon Asunnot Oy',
    description: loc(
      'Kaupungin vuokra-asunnot.',
      'Stadens hyresbostäder.',
      'Rental flats owned by the city.',
    ),
    services: [
      { id: 'flat-application', terms: words(['asuntohakemus'], ['bostadsansökan'], ['flat application']) },
    ],
    hours: 'office',
  },
  {
    id: 'mental-health',
    name: loc('Mielenterveyspalvelut', 'Mentalvårdstjänster', 'Mental health services'),
    aliases: words(['mielenterveys'], ['mentalvård'], ['mental health']),
    organisation: 'Western Uusimaa wellbeing services county',
    description: loc(
      'Apua mielenterveyden asioihin.',
      'Hjälp med psykisk hälsa.',
      'Help with mental health.',
    ),
    services: [],
    hours: 'office',
  },
  {
    id: 'toilets',
    name: loc('WC', 'Toaletter', 'Toilets'),
    aliases: words(['vessa', 'käymälä'], ['toalett'], ['restroom', 'loo']),
    organisation: 'Service centre',
    description: loc('Yleiset wc-tilat.', 'Offentliga toaletter.', 'Public toilets.'),
    services: [],
    hours: 'always',
  },
  {
    id: 'immigration',
    name: loc('Maahanmuuttajapalvelut', 'Invandrartjänster', 'Immigrant services'),
    aliases: words(['maahanmuutto'], ['invandring'], ['immigrants']),
    organisation: 'City of Espoo',
    description: loc(
      'Neuvontaa Suomeen muuttaneille.',
      'Rådgivning för invandrare.',
      'Advice for people who moved to Finland.',
    ),
    services: [{ id: 'interpreter', terms: words(['tulkki'], ['tolk'], ['interpreter']) }],
    hours: 'short',
  },
  {
    id: 'social-office',
    name: loc('Sosiaalitoimisto', 'Socialbyrån', 'Social services office'),
    aliases: words(['sossu'], ['socialen'], ['social worker']),
    organisation: 'Western Uusimaa wellbeing services county',
    description: loc('Sosiaalityön vastaanotto.', 'Socialarbetets mottagning.', 'Social work reception.'),
    services: [
      { id: 'income-support', terms: words(['toimeentulotuki'], ['utkomststöd'], ['income support']) },
    ],
    hours: 'office',
  },
  {
    id: 'police',
    name: loc('Poliisin lupapalvelut', 'Polisens tillståndstjänster', 'Police permit services'),
    aliases: words(['poliisi'], ['polisen'], ['police']),
    organisation: 'Police of Finland',
    description: loc('Passit ja henkilökortit.', 'Pass och id-kort.', 'Passports and identity cards.'),
    services: [{ id: 'passport', terms: words(['passi'], ['pass'], ['passport']) }],
    hours: 'short',
  },
  {
    id: 'dentist',
    name: loc('Hammashoitola', 'Tandkliniken', 'Dental clinic'),
    aliases: words(['hammaslääkäri'], ['tandläkare'], ['dentist']),
    organisation: 'Western Uusimaa wellbeing services county',
    description: loc('Suun terveydenhuolto.', 'Munhälsovård.', 'Oral health care.'),
    services: [{ id: 'toothache', terms: words(['hammassärky'], ['tandvärk'], ['toothache']) }],
    hours: 'office',
  },
  {
    id: 'library',
    name: loc('Kirjasto', 'Biblioteket', 'Library'),
    aliases: words(['kirjastoon'], ['bibban'], ['books']),
    organisation: 'Espoo City Library',
    description: loc(
      'Lainaa ja palauta kirjoja.',
      'Låna och lämna tillbaka böcker.',
      'Borrow and return books.',
    ),
    services: [{ id: 'printing', terms: words(['tulostus'], ['utskrift'], ['printing']) }],
    hours: 'long',
  },
];

/** Places in an open hall: a desk standing free, or something along a wall. */
export const HALL_UNITS: readonly Unit[] = [
  {
    id: 'info-desk',
    name: loc('Neuvonta', 'Information', 'Information desk'),
    aliases: words(['info'], ['infodisken'], ['help desk']),
    organisation: 'Service centre',
    description: loc('Kysy neuvoa täältä.', 'Fråga om råd här.', 'Ask for advice here.'),
    services: [{ id: 'lost-property', terms: words(['löytötavarat'], ['hittegods'], ['lost property']) }],
    hours: 'long',
  },
  {
    id: 'lifts',
    name: loc('Hissit', 'Hissarna', 'Lifts'),
    aliases: words(['hissi'], ['hiss'], ['elevator']),
    organisation: 'Service centre',
    description: loc(
      'Hissit muihin kerroksiin.',
      'Hissar till andra våningar.',
      'Lifts to the other floors.',
    ),
    services: [],
    hours: 'always',
  },
  {
    id: 'ticket-machine',
    name: loc('Vuoronumeroautomaatti', 'Kölappsautomat', 'Queue ticket machine'),
    aliases: words(['vuoronumero'], ['kölapp'], ['queue number']),
    organisation: 'Service centre',
    description: loc('Ota vuoronumero tästä.', 'Ta en kölapp här.', 'Take a queue number here.'),
    services: [],
    hours: 'always',
  },
  {
    id: 'cafe',
    name: loc('Kahvila', 'Kaféet', 'Café'),
    aliases: words(['kahvi'], ['kaffe'], ['coffee']),
    organisation: 'Kahvila Oy',
    description: loc('Kahvia ja pientä purtavaa.', 'Kaffe och tilltugg.', 'Coffee and snacks.'),
    services: [],
    hours: 'long',
  },
];

/** Opening hours as site.yaml writes them; every kind is open on a Thursday at 10:00 (the sweep's start). */
export function hoursYaml(kind: HoursKind): Record<string, string> | undefined {
  if (kind === 'always') return undefined;
  const weekday = { office: '08:00-16:00', long: '08:00-18:00', short: '09:00-12:00, 13:00-15:00' }[kind];
  const out: Record<string, string> = {};
  for (const day of ['mon', 'tue', 'wed', 'thu', 'fri']) out[day] = weekday;
  out.sat = kind === 'long' ? '10:00-14:00' : 'closed';
  return out;
}
