import type { Pose2D } from '../ros/index.js';
import type { GridMap } from './grid-map.js';

export const LANGUAGES = ['fi', 'sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
/** One string per language; a site must give all three. */
export type Localized<T = string> = Record<Language, T>;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** Minutes since local midnight, [open, close). */
export interface OpeningInterval {
  open: number;
  close: number;
}
/** A weekday missing from the table means closed all day. */
export type WeeklyHours = Partial<Record<Weekday, OpeningInterval[]>>;

/** A desk or place the robot can escort a customer to. */
export interface Destination {
  /** Stable, lower-case, kebab-case id, e.g. 'kela'. */
  id: string;
  name: Localized;
  aliases: Localized<string[]>;
  organisation: string;
  /** Where the robot stops with the customer, in the map frame. */
  pose: Pose2D;
  /** What the robot tells the customer on arrival (optional, per language). */
  description?: Localized;
  /** Opening hours; absent means always open (lifts, toilets). */
  hours?: WeeklyHours;
  /**
   * What is handled here, in the customers' words (site.yaml `services`): matched below the
   * desk's own names. Empty when the site lists none.
   */
  services: Service[];
}

/** One service a desk handles ("housing allowance" at Kela), with the words customers use for it. */
export interface Service {
  /** Lower-case kebab-case id, unique within the site, e.g. 'housing-allowance'. */
  id: string;
  /** At least one term per language; a term is a word or a short phrase ("blood test"). */
  terms: Localized<string[]>;
  /**
   * The same service is handled at more than one desk on purpose (housing advice: Kela and
   * Espoon Asunnot): its terms may also appear under another desk, and a request for it is
   * answered by asking which one.
   */
  shared: boolean;
}

/** A service that is not on this floor (site.yaml `elsewhere`): the robot says where to go instead. */
export interface ElsewhereService {
  id: string;
  terms: Localized<string[]>;
  /** Where to go instead, one or two sentences per language ("Passports are applied for at the police …"). */
  where: Localized;
  /** A destination on this floor on the way there (the lifts, the metro), offered with directions. */
  way?: string;
}

/** A named place used in directions ("past the lifts"); not an escort target. */
export interface Landmark {
  id: string;
  name: Localized;
  position: { x: number; y: number };
}

export type ZoneKind = 'slow' | 'no_go';
export interface Zone {
  id: string;
  kind: ZoneKind;
  /** Polygon corners in the map frame (metres), counter-clockwise or not. */
  polygon: Array<{ x: number; y: number }>;
  /** For 'slow' zones: the speed limit inside, m/s. */
  maxSpeed?: number;
}

/** A loaded, validated site: what the robot knows about its floor. */
export interface Site {
  id: string;
  name: string;
  /** IANA time zone for opening hours, e.g. 'Europe/Helsinki'. */
  timezone: string;
  /** Folder the site was loaded from. */
  dir: string;
  map: GridMap;
  dock: Pose2D;
  destinations: Destination[];
  landmarks: Landmark[];
  zones: Zone[];
  /** The destination that can help when another desk is closed (site.yaml `help_desk`), if any. */
  helpDesk?: string;
  /**
   * The centre's own opening hours (site.yaml `hours`, in `timezone`): the robot serves only
   * while they are open and stays docked outside them. Absent: always open.
   */
  hours?: WeeklyHours;
  /** Services that are not on this floor, with where to go instead (site.yaml `elsewhere`). */
  elsewhere: ElsewhereService[];
}
