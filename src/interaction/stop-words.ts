/**
 * Words that carry no destination: question words, verbs of going and finding, pronouns,
 * politeness. ("te", "you", stays out: it is the TE of TE-palvelut.) Removed before matching; the ones that belong to a single language also tell
 * which language the customer speaks. Written as people spell them; folded when loaded.
 */
import type { Language } from '../map/index.js';
import { foldText } from './text.js';

const WORDS: Record<Language, string> = {
  fi: `
    missä missa mis missäpäin mistä mihin minne mikä mitä mikäs miten kuinka kenen
    on onko ois olis olisi olla oon olen ole ei en et
    haluan haluaisin halusin tahdon tarviin tarvitsen tarvitsisin pitää pitäisi täytyy tarttis
    mennä menen mennään pääsen pääsee pääsisin päästä löydän löytyy löytää löydä etsin etsimme
    käydä käyn asioida hoitaa ottaa antaa annan vie viekää viisitkö veisitkö voisitko voitko voinko
    saanko saisinko opasta opastaa näytä näyttäisitkö kerro kertoisitko auta autatko apua
    minä mä mun minun minut minua me meidän sinä sä sun se sen sinne tänne tuonne täällä siellä
    ja tai sekä myös vai kanssa luo luokse kohti päin
    hei moi moikka terve huomenta päivää kiitos kiitti hyvä anteeksi
    nyt tänään huomenna auki kiinni vielä jo vain kello paljonko aika
    paikka paikkaan paikan kerros kerroksessa
    saan saisin voin voisin haen hakea
  `,
  sv: `
    var vart varifrån vilken vilket vilka hur vad när
    är ar finns ligger hittar hitta hittar komma kommer gå går åka ta tar lämna lämnar
    vill ville skulle kan kunde måste behöver letar söker efter visa visar följa
    jag mig min mitt mina du dig din ni er vi oss den det de dom han hon man
    och eller samt också till från på i om av för att som där här dit hit med hos
    en ett
    hej hejsan god morgon dag tack snälla ursäkta hjälp
    nu idag öppen öppet stängd
    vägen väg plats stället våning
    få får ska
  `,
  en: `
    where wheres what which who how when
    is are am was be been it its there here this that these those
    i me my mine you your we our us they them he she
    do does did can could would will should shall may might must
    need want wanted like looking look find get go going take show tell help give gives
    to the a an of for in on at from with and or by about into near please pls thanks thank
    hello hi hey sorry excuse morning afternoon
    now today open closed
    way place floor
    s t m d re ve ll
  `,
};

function fold(list: string): Set<string> {
  const out = new Set<string>();
  for (const w of foldText(list).split(' ')) if (w) out.add(w);
  return out;
}

/** Folded stop words per language. */
export const STOP_WORDS: Readonly<Record<Language, ReadonlySet<string>>> = {
  fi: fold(WORDS.fi),
  sv: fold(WORDS.sv),
  en: fold(WORDS.en),
};

/**
 * Words that name the whole site rather than a desk ("Iso Omena", "Matinkylä", "Espoo"):
 * ignored on both sides so "Iso Omenan kirjasto" is found as "kirjasto" and "Matinkylä" alone
 * does not pick one of the several units named after the district.
 */
export const DEFAULT_PLACE_WORDS: readonly string[] = [
  'iso',
  'omena',
  'omenan',
  'matinkylä',
  'matinkylän',
  'mattby',
  'espoo',
  'espoon',
  'esbo',
];
