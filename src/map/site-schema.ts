/**
 * The schema of site.yaml (documented in docs/site-format.md): reads and validates everything
 * that can be checked without the map, collecting every problem with its `file:line` and field
 * path. Entries with a problem are left out of the result so later checks do not cascade.
 */
import { parse as parsePath, resolve } from 'node:path';
import type { Node } from 'yaml';
import { LIMITS, excerpt } from '../input/index.js';
import type { Pose2D } from '../ros/index.js';
import type { IssueList } from './errors.js';
import { foldTerm } from './fold.js';
import { parseDayHours } from './hours.js';
import { COORDINATE } from './map-yaml.js';
import { polygonProblem } from './polygon.js';
import { checkServiceTerms } from './service-terms.js';
import { ALLOW_OUTSIDE_FIELD } from './site-files.js';
import {
  LANGUAGES,
  WEEKDAYS,
  type Destination,
  type ElsewhereService,
  type Landmark,
  type Localized,
  type Service,
  type WeeklyHours,
  type Zone,
  type ZoneKind,
} from './types.js';
import { FieldReader, choices, limitText, parseYaml, type Fields } from './yaml-fields.js';

/** site.yaml, validated, before the map is loaded. */
export interface SiteDocument {
  id: string;
  name: string;
  timezone: string;
  /** The `map` field as written (relative to site.yaml's folder), and where it is written. */
  map: string;
  mapWhere: string;
  /** `allow_files_outside_site` as written: folders outside the site it may read files from. */
  allowedFolders: string[];
  /** Undefined when the dock field was missing or invalid (already reported). */
  dock: Pose2D | undefined;
  destinations: Destination[];
  landmarks: Landmark[];
  zones: Zone[];
  /** `elsewhere`: services not on this floor. */
  elsewhere: ElsewhereService[];
  /** `help_desk`: the destination that can help when a desk is closed (an id of `destinations`). */
  helpDesk?: string;
  /** `hours`: the centre's own opening hours (the robot serves only then); absent = always open. */
  hours?: WeeklyHours;
  /** `file:line` of each entry, for complaints that come later (pose in a wall, ...). */
  places: {
    dock: string;
    destinations: string[];
    landmarks: string[];
    zones: string[];
    /** Per destination (as `destinations`), per service (as its `services`). */
    services: TermsPlace[][];
    /** As `elsewhere`. */
    elsewhere: TermsPlace[];
  };
}

/** Where a service or `elsewhere` entry is written, so a later check can name the line of a term. */
export interface TermsPlace {
  /** `file:line` of the entry. */
  where: string;
  /** Field path of the entry as written, e.g. `destinations[3].services[1]`, `elsewhere[0]`. */
  path: string;
  /** `file:line` of each term, as `terms` (its field path is `<path>.<lang>[<i>]`). */
  terms: Localized<string[]>;
}

export const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ID_RULE = { pattern: ID_PATTERN, patternName: 'a lower-case kebab-case id like "health-station"' };

const TOP_REQUIRED = ['id', 'name', 'map', 'timezone', 'dock', 'destinations'] as const;
const TOP_OPTIONAL = ['hours', 'landmarks', 'zones', 'help_desk', 'elsewhere', ALLOW_OUTSIDE_FIELD] as const;
const DEST_REQUIRED = ['id', 'name', 'aliases', 'organisation', 'pose'] as const;
const DEST_OPTIONAL = ['description', 'hours', 'services'] as const;
/** The languages are optional keys here so that a missing one reads as LANGUAGE_MISSING. */
const SERVICE_FIELDS = { required: ['id'], optional: ['shared', ...LANGUAGES] } as const;
const ELSEWHERE_FIELDS = { required: ['id', 'where'], optional: [...LANGUAGES, 'way'] } as const;

/**
 * Validates site.yaml text. Returns undefined only when the file is not usable at all (syntax
 * error, not a mapping, no map); otherwise the valid parts, with every problem in `issues`.
 */
export function readSiteDocument(text: string, file: string, issues: IssueList): SiteDocument | undefined {
  const src = parseYaml(text, file, issues);
  if (!src) return undefined;
  const r = new FieldReader(src, issues);
  const top = r.object(r.root, '', { required: TOP_REQUIRED, optional: TOP_OPTIONAL });
  if (!top) return undefined;

  const id = r.string(top, 'id', ID_RULE);
  const name = r.string(top, 'name', { nonEmpty: true });
  const map = r.string(top, 'map', { nonEmpty: true });
  const mapWhere = r.whereEntry(top.get('map'), top.where);
  const timezone = readTimezone(r, top, issues);
  const dockWhere = r.whereEntry(top.get('dock'), top.where);
  const dock = top.has('dock') ? readPose(r, top.get('dock')!.value, 'dock', dockWhere) : undefined;
  const hours = readCentreHours(r, top, issues);

  // Places (destinations, landmarks, zones) share one set of ids; services and elsewhere entries another.
  const claimId = idClaimer(issues);
  const claimServiceId = idClaimer(issues);

  /** Reads each entry of a list section, claiming its id. */
  const readSection = <P extends Placed<{ id: string }>>(
    nodes: readonly (Node | null)[] | undefined,
    section: string,
    read: (
      r: FieldReader,
      node: Node | null,
      path: string,
      fallback: string,
      issues: IssueList,
    ) => P | undefined,
  ): P[] => {
    const entries: P[] = [];
    (nodes ?? []).forEach((node, i) => {
      const path = `${section}[${i}]`;
      const entry = read(r, node, path, top.where, issues);
      if (!entry) return;
      claimId(entry.value.id, entry.where, path);
      entries.push(entry);
    });
    return entries;
  };

  const destList = r.list(top, 'destinations');
  if (destList?.length === 0) {
    r.valueError(
      r.whereEntry(top.get('destinations'), top.where),
      'destinations',
      'at least one destination',
      'none',
    );
  }
  const destEntries = readSection(destList, 'destinations', readDestination);
  const destinations = destEntries.map((e) => e.value);
  for (const entry of destEntries) {
    entry.services.forEach((s) => claimServiceId(s.value.id, s.place.where, s.place.path));
  }
  const landmarkEntries = readSection(r.list(top, 'landmarks'), 'landmarks', readLandmark);
  const corners = { left: LIMITS.zoneCorners.value };
  const zoneEntries = readSection(r.list(top, 'zones'), 'zones', (...args) => readZone(...args, corners));
  const allowedFolders = readAllowedFolders(r, top, file);
  // A `way` or help desk is checked against the destinations only when every one could be read,
  // so a problem in a destination is not reported again as an unknown id.
  const knownDestinations =
    destList !== undefined && destEntries.length === destList.length ? destinations : undefined;
  const helpDesk = readHelpDesk(r, top, knownDestinations);
  const elsewhereEntries: Array<PlacedTerms<ElsewhereService>> = [];
  r.list(top, 'elsewhere')?.forEach((node, i) => {
    const entry = readElsewhere(r, node, `elsewhere[${i}]`, top.where, issues, knownDestinations);
    if (!entry) return;
    claimServiceId(entry.value.id, entry.place.where, entry.place.path);
    elsewhereEntries.push(entry);
  });

  if (map === undefined) return undefined;
  const doc: SiteDocument = {
    id: id ?? '',
    name: name ?? '',
    timezone: timezone ?? '',
    map,
    mapWhere,
    allowedFolders,
    dock,
    destinations,
    landmarks: landmarkEntries.map((e) => e.value),
    zones: zoneEntries.map((e) => e.value),
    elsewhere: elsewhereEntries.map((e) => e.value),
    ...(helpDesk !== undefined ? { helpDesk } : {}),
    ...(hours !== undefined ? { hours } : {}),
    places: {
      dock: dockWhere,
      destinations: destEntries.map((e) => e.where),
      landmarks: landmarkEntries.map((e) => e.where),
      zones: zoneEntries.map((e) => e.where),
      services: destEntries.map((e) => e.services.map((s) => s.place)),
      elsewhere: elsewhereEntries.map((e) => e.place),
    },
  };
  checkServiceTerms(doc, issues, knownDestinations !== undefined);
  return doc;
}

/** Reports an id seen before (with the place of the first); one claimer per namespace of ids. */
function idClaimer(issues: IssueList): (id: string, where: string, path: string) => void {
  const ids = new Map<string, string>();
  return (id, where, path) => {
    const earlier = ids.get(id);
    if (earlier) issues.error('ID_DUPLICATE', where, `${path}.id: "${id}" is already used at ${earlier}`);
    else ids.set(id, where);
  };
}

/** "the id of a destination (kela, library, …)", for a field that must name one. */
function destinationIdExpected(destinations: readonly Destination[]): string {
  const known = destinations.map((d) => d.id);
  return `the id of a destination (${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''})`;
}

/**
 * `help_desk`: the destination the robot suggests when a desk is closed. It must name one of the
 * destinations (checked only when they could be read, so one typo is not reported twice).
 */
function readHelpDesk(
  r: FieldReader,
  top: Fields,
  destinations: Destination[] | undefined,
): string | undefined {
  if (!top.has('help_desk')) return undefined;
  const id = r.string(top, 'help_desk', ID_RULE);
  if (id === undefined || destinations === undefined) return undefined;
  if (destinations.some((d) => d.id === id)) return id;
  r.valueError(
    r.whereEntry(top.get('help_desk'), top.where),
    'help_desk',
    destinationIdExpected(destinations),
    `"${excerpt(id)}"`,
  );
  return undefined;
}

function readTimezone(r: FieldReader, top: Fields, issues: IssueList): string | undefined {
  const tz = r.string(top, 'timezone', { nonEmpty: true });
  if (tz === undefined) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz;
  } catch {
    issues.error(
      'TIMEZONE_INVALID',
      r.whereEntry(top.get('timezone'), top.where),
      `timezone: expected an IANA time zone like "Europe/Helsinki", found "${excerpt(tz)}"`,
    );
    return undefined;
  }
}

interface Placed<T> {
  value: T;
  where: string;
}

/** A service or `elsewhere` entry with where it and each of its terms are written. */
interface PlacedTerms<T> {
  value: T;
  place: TermsPlace;
}

/**
 * Folders outside the site that it may read files from, each relative to the site folder (or
 * absolute). Never the whole file system: a site opts in to one common folder, deliberately.
 */
function readAllowedFolders(r: FieldReader, top: Fields, file: string): string[] {
  const items = r.list(top, ALLOW_OUTSIDE_FIELD);
  const folders: string[] = [];
  const where = r.whereEntry(top.get(ALLOW_OUTSIDE_FIELD), top.where);
  items?.forEach((item, i) => {
    const path = `${ALLOW_OUTSIDE_FIELD}[${i}]`;
    const folder = r.stringAt(item, path, { nonEmpty: true }, where);
    if (folder === undefined) return;
    const absolute = resolve(parsePath(file).dir, folder);
    if (parsePath(absolute).root === absolute) {
      r.valueError(
        r.where(item, null),
        path,
        'the folder that holds the shared files',
        `"${excerpt(folder)}", the whole file system`,
      );
      return;
    }
    folders.push(folder);
  });
  return folders;
}

function readPose(r: FieldReader, node: Node | null, path: string, fallback: string): Pose2D | undefined {
  const f = r.object(node, path, { required: ['x', 'y', 'yaw'] }, fallback);
  if (!f) return undefined;
  const x = r.number(f, 'x', COORDINATE);
  const y = r.number(f, 'y', COORDINATE);
  const yaw = r.number(f, 'yaw', { min: -2 * Math.PI, max: 2 * Math.PI });
  if (x === undefined || y === undefined || yaw === undefined) return undefined;
  return { x, y, yaw };
}

function readPosition(
  r: FieldReader,
  node: Node | null,
  path: string,
  fallback: string,
): { x: number; y: number } | undefined {
  const f = r.object(node, path, { required: ['x', 'y'] }, fallback);
  if (!f) return undefined;
  const x = r.number(f, 'x', COORDINATE);
  const y = r.number(f, 'y', COORDINATE);
  if (x === undefined || y === undefined) return undefined;
  return { x, y };
}

/** One string per language, all three present and non-empty. */
function readLocalized(
  r: FieldReader,
  node: Node | null,
  path: string,
  fallback: string,
  issues: IssueList,
  multiline = false,
): Localized | undefined {
  const f = r.object(node, path, { required: [], optional: LANGUAGES }, fallback);
  if (!f) return undefined;
  const out: Partial<Localized> = {};
  for (const lang of LANGUAGES) {
    if (!f.has(lang)) {
      issues.error('LANGUAGE_MISSING', f.where, `${f.child(lang)}: missing; every name needs fi, sv and en`);
      continue;
    }
    const s = r.string(f, lang, { nonEmpty: true, multiline });
    if (s !== undefined) out[lang] = s.trim();
  }
  return LANGUAGES.every((l) => out[l] !== undefined) ? (out as Localized) : undefined;
}

/** A list of strings per language, each with at least one alias. */
function readAliases(
  r: FieldReader,
  node: Node | null,
  path: string,
  fallback: string,
  issues: IssueList,
): Localized<string[]> | undefined {
  const f = r.object(node, path, { required: [], optional: LANGUAGES }, fallback);
  if (!f) return undefined;
  const out: Partial<Localized<string[]>> = {};
  for (const lang of LANGUAGES) {
    if (!f.has(lang)) {
      issues.error(
        'LANGUAGE_MISSING',
        f.where,
        `${f.child(lang)}: missing; give at least one alias in fi, sv and en`,
      );
      continue;
    }
    const items = r.list(f, lang);
    if (!items) continue;
    const where = r.whereEntry(f.get(lang), f.where);
    if (items.length === 0) {
      issues.error(
        'LANGUAGE_MISSING',
        where,
        `${f.child(lang)}: expected at least one alias, found an empty list`,
      );
      continue;
    }
    const strings = items.map((item, i) =>
      r.stringAt(item, `${f.child(lang)}[${i}]`, { nonEmpty: true }, where),
    );
    if (strings.every((s) => s !== undefined)) out[lang] = strings.map((s) => s!.trim());
  }
  return LANGUAGES.every((l) => out[l] !== undefined) ? (out as Localized<string[]>) : undefined;
}

/**
 * The centre's own `hours`: read as a desk's, and refused when they can never be met (no day
 * open at all), since a robot told to serve only then would never serve and never say why.
 */
function readCentreHours(r: FieldReader, top: Fields, issues: IssueList): WeeklyHours | undefined {
  if (!top.has('hours')) return undefined;
  const hours = r.sub(top, 'hours', (n, p, at) => readHours(r, n, p, at, issues));
  if (hours && WEEKDAYS.every((day) => (hours[day] ?? []).length === 0)) {
    issues.error(
      'HOURS_INVALID',
      r.whereEntry(top.get('hours'), top.where),
      'hours: the centre is closed every day of the week (write at least one day\'s "HH:MM-HH:MM", or leave `hours` out for always open)',
    );
    return undefined;
  }
  return hours;
}

function readHours(
  r: FieldReader,
  node: Node | null,
  path: string,
  fallback: string,
  issues: IssueList,
): WeeklyHours | undefined {
  const f = r.object(node, path, { required: [], optional: WEEKDAYS }, fallback);
  if (!f) return undefined;
  const hours: WeeklyHours = {};
  let ok = true;
  for (const day of WEEKDAYS) {
    if (!f.has(day)) continue;
    const entry = f.get(day)!;
    const text = r.stringAt(
      entry.value,
      f.child(day),
      { expected: '"HH:MM-HH:MM" (comma-separated) or "closed"' },
      r.whereEntry(entry, f.where),
    );
    if (text === undefined) {
      ok = false;
      continue;
    }
    const parsed = parseDayHours(text);
    if ('problem' in parsed) {
      issues.error('HOURS_INVALID', r.whereEntry(f.get(day), f.where), `${f.child(day)}: ${parsed.problem}`);
      ok = false;
      continue;
    }
    hours[day] = parsed;
  }
  return ok ? hours : undefined;
}

function readDestination(
  r: FieldReader,
  node: Node | null,
  path: string,
  fallback: string,
  issues: IssueList,
): (Placed<Destination> & { services: Array<PlacedTerms<Service>> }) | undefined {
  const before = issues.errorCount;
  const f = r.object(node, path, { required: DEST_REQUIRED, optional: DEST_OPTIONAL }, fallback);
  if (!f) return undefined;
  const id = r.string(f, 'id', ID_RULE);
  const name = r.sub(f, 'name', (n, p, at) => readLocalized(r, n, p, at, issues));
  const aliases = r.sub(f, 'aliases', (n, p, at) => readAliases(r, n, p, at, issues));
  const organisation = r.string(f, 'organisation', { nonEmpty: true });
  const pose = r.sub(f, 'pose', (n, p, at) => readPose(r, n, p, at));
  const description = r.sub(f, 'description', (n, p, at) => readLocalized(r, n, p, at, issues, true));
  const hours = r.sub(f, 'hours', (n, p, at) => readHours(r, n, p, at, issues));
  const services = readServices(r, f, issues);
  if (issues.errorCount > before || !id || !name || !aliases || !organisation || !pose) return undefined;
  const value: Destination = {
    id,
    name,
    aliases,
    organisation,
    pose,
    services: services.map((s) => s.value),
  };
  if (description) value.description = description;
  if (hours) value.hours = hours;
  return { value, where: f.where, services };
}

/** A destination's `services` (none when absent); an entry with a problem is reported and left out. */
function readServices(r: FieldReader, dest: Fields, issues: IssueList): Array<PlacedTerms<Service>> {
  const out: Array<PlacedTerms<Service>> = [];
  r.list(dest, 'services')?.forEach((node, i) => {
    const path = `${dest.child('services')}[${i}]`;
    const before = issues.errorCount;
    const f = r.object(node, path, SERVICE_FIELDS, r.whereEntry(dest.get('services'), dest.where));
    if (!f) return;
    const id = r.string(f, 'id', ID_RULE);
    const shared = f.has('shared') ? r.boolean(f, 'shared') : false;
    const terms = readTerms(r, f, issues);
    if (issues.errorCount > before || !id || shared === undefined || !terms) return;
    out.push({
      value: { id, terms: terms.terms, shared },
      place: { where: f.where, path, terms: terms.places },
    });
  });
  return out;
}

/** One `elsewhere` entry: a service not on this floor, where to go instead, and maybe the way there. */
function readElsewhere(
  r: FieldReader,
  node: Node | null,
  path: string,
  fallback: string,
  issues: IssueList,
  destinations: readonly Destination[] | undefined,
): PlacedTerms<ElsewhereService> | undefined {
  const before = issues.errorCount;
  const f = r.object(node, path, ELSEWHERE_FIELDS, fallback);
  if (!f) return undefined;
  const id = r.string(f, 'id', ID_RULE);
  const terms = readTerms(r, f, issues);
  const where = r.sub(f, 'where', (n, p, at) => readLocalized(r, n, p, at, issues, true));
  const way = f.has('way') ? r.string(f, 'way', ID_RULE) : undefined;
  if (way !== undefined && destinations && !destinations.some((d) => d.id === way)) {
    r.valueError(
      r.whereEntry(f.get('way'), f.where),
      f.child('way'),
      destinationIdExpected(destinations),
      `"${excerpt(way)}"`,
    );
  }
  if (issues.errorCount > before || !id || !terms || !where) return undefined;
  const value: ElsewhereService = { id, terms: terms.terms, where };
  if (way !== undefined) value.way = way;
  return { value, place: { where: f.where, path, terms: terms.places } };
}

/**
 * The terms of a service or `elsewhere` entry: lists `fi`, `sv` and `en` on the entry itself,
 * each with at least one term that has a letter or digit (one the matcher can hear), with the
 * `file:line` of each.
 */
function readTerms(
  r: FieldReader,
  f: Fields,
  issues: IssueList,
): { terms: Localized<string[]>; places: Localized<string[]> } | undefined {
  const terms: Partial<Localized<string[]>> = {};
  const places: Partial<Localized<string[]>> = {};
  for (const lang of LANGUAGES) {
    if (!f.has(lang)) {
      issues.error(
        'LANGUAGE_MISSING',
        f.where,
        `${f.child(lang)}: missing; give at least one term in fi, sv and en`,
      );
      continue;
    }
    const items = r.list(f, lang);
    if (!items) continue;
    const listWhere = r.whereEntry(f.get(lang), f.where);
    if (items.length === 0) {
      issues.error(
        'LANGUAGE_MISSING',
        listWhere,
        `${f.child(lang)}: expected at least one term, found an empty list`,
      );
      continue;
    }
    const read = items.map((item, i) => readTerm(r, item, `${f.child(lang)}[${i}]`, listWhere));
    if (read.every((t) => t !== undefined)) {
      terms[lang] = read.map((t) => t!.term);
      places[lang] = read.map((t) => t!.where);
    }
  }
  if (!LANGUAGES.every((l) => terms[l] !== undefined)) return undefined;
  return { terms: terms as Localized<string[]>, places: places as Localized<string[]> };
}

function readTerm(
  r: FieldReader,
  item: Node | null,
  path: string,
  listWhere: string,
): { term: string; where: string } | undefined {
  const where = item?.range ? r.where(item) : listWhere;
  const text = r.stringAt(item, path, { nonEmpty: true }, listWhere);
  if (text === undefined) return undefined;
  if (foldTerm(text) === '') {
    return r.valueError(where, path, 'a term with a letter or a digit', `"${excerpt(text)}"`);
  }
  return { term: text.trim(), where };
}

function readLandmark(
  r: FieldReader,
  node: Node | null,
  path: string,
  fallback: string,
  issues: IssueList,
): Placed<Landmark> | undefined {
  const before = issues.errorCount;
  const f = r.object(node, path, { required: ['id', 'name', 'position'] }, fallback);
  if (!f) return undefined;
  const id = r.string(f, 'id', ID_RULE);
  const name = r.sub(f, 'name', (n, p, at) => readLocalized(r, n, p, at, issues));
  const position = r.sub(f, 'position', (n, p, at) => readPosition(r, n, p, at));
  if (issues.errorCount > before || !id || !name || !position) return undefined;
  return { value: { id, name, position }, where: f.where };
}

const ZONE_KINDS: readonly ZoneKind[] = ['slow', 'no_go'];

function readZone(
  r: FieldReader,
  node: Node | null,
  path: string,
  fallback: string,
  issues: IssueList,
  /** Corners all zones together may still have (LIMITS.zoneCorners); checked before any geometry. */
  corners: { left: number },
): Placed<Zone> | undefined {
  const before = issues.errorCount;
  const f = r.object(node, path, { required: ['id', 'kind', 'polygon'], optional: ['max_speed'] }, fallback);
  if (!f) return undefined;
  const id = r.string(f, 'id', ID_RULE);
  const kindText = r.string(f, 'kind');
  const kind = ZONE_KINDS.find((k) => k === kindText);
  if (kindText !== undefined && !kind) {
    r.valueError(
      r.whereEntry(f.get('kind'), f.where),
      f.child('kind'),
      `one of ${choices(ZONE_KINDS)}`,
      `"${excerpt(kindText)}"`,
    );
  }
  const polygonWhere = r.whereEntry(f.get('polygon'), f.where);
  let list = r.list(f, 'polygon', 'zoneCorners');
  if (list && list.length > corners.left) {
    if (corners.left >= 0) {
      issues.error(
        'BEYOND_LIMIT',
        polygonWhere,
        `${f.child('polygon')}: expected at most ${limitText('zoneCorners')} for all zones together, ` +
          `found ${LIMITS.zoneCorners.value - corners.left + list.length} by this zone`,
      );
    }
    corners.left = -1;
    list = undefined;
  } else if (list) corners.left -= list.length;
  const polygon: Array<{ x: number; y: number }> = [];
  list?.forEach((corner, i) => {
    const cpath = `${f.child('polygon')}[${i}]`;
    const xy = r.listAt(corner, cpath, polygonWhere);
    if (!xy) return;
    if (xy.length !== 2) {
      r.valueError(r.where(corner, null), cpath, 'a corner [x, y]', `${xy.length} numbers`);
      return;
    }
    const x = r.numberAt(xy[0]!, `${cpath}[0]`, COORDINATE, polygonWhere);
    const y = r.numberAt(xy[1]!, `${cpath}[1]`, COORDINATE, polygonWhere);
    if (x !== undefined && y !== undefined) polygon.push({ x, y });
  });
  if (list && issues.errorCount === before) {
    const problem = polygonProblem(polygon);
    if (problem) issues.error('ZONE_INVALID', polygonWhere, `${f.child('polygon')}: ${problem}`);
  }
  let maxSpeed: number | undefined;
  if (kind === 'slow') {
    if (!f.has('max_speed')) {
      issues.error('FIELD_MISSING', f.where, `${f.child('max_speed')}: required for a slow zone (m/s)`);
    } else {
      maxSpeed = r.number(f, 'max_speed', { above: 0 });
    }
  } else if (kind === 'no_go' && f.has('max_speed')) {
    issues.error(
      'FIELD_VALUE',
      r.whereEntry(f.get('max_speed'), f.where),
      `${f.child('max_speed')}: a no_go zone has no speed limit (the robot never enters it); remove the field`,
    );
  }
  if (issues.errorCount > before || !id || !kind) return undefined;
  const zone: Zone = { id, kind, polygon };
  if (maxSpeed !== undefined) zone.maxSpeed = maxSpeed;
  return { value: zone, where: f.where };
}
