/**
 * Suggestions as a customer types: the request matcher's own answer first (what the robot would
 * understand), then desks whose name or alias starts with what is typed so far, in the customer's
 * language first. Pure; the query is never stored.
 */
import { foldText, type Matcher } from '../../interaction/index.js';
import { LANGUAGES, type Destination, type Language, type Site } from '../../map/index.js';
import { DEFAULT_GUIDE_PARAMS } from '../../robot/index.js';
import { distance } from '../../ros/index.js';
import type { Suggestion } from '../protocol.js';

export const MAX_SUGGESTIONS = 6;

/** Minutes' walk from the dock, as the mission says it ("about 1 minute"). */
export function walkMinutes(site: Site, desk: Destination): number {
  const metres = distance(site.dock, desk.pose) * DEFAULT_GUIDE_PARAMS.detourFactor;
  return Math.max(1, Math.round(metres / DEFAULT_GUIDE_PARAMS.walkingSpeedMps / 60));
}

function namesOf(desk: Destination, language: Language): string[] {
  return [desk.name[language], ...(desk.aliases?.[language] ?? [])];
}

/** True when every word typed begins some word of `name` (the last one may be half typed). */
function startsWords(name: string, typed: string[]): boolean {
  const words = foldText(name).split(' ');
  return typed.every((t) => words.some((w) => w.startsWith(t)));
}

export function suggest(site: Site, matcher: Matcher, q: string, lang: Language): Suggestion[] {
  const typed = foldText(q).split(' ').filter(Boolean);
  if (typed.length === 0) return [];
  const ids: string[] = [];
  const answer = matcher(q, lang);
  if (answer.kind === 'match') ids.push(answer.destinationId);
  if (answer.kind === 'ambiguous') ids.push(...answer.candidates);
  const order = [lang, ...LANGUAGES.filter((l) => l !== lang)];
  for (const l of order) {
    for (const d of site.destinations) {
      if (!ids.includes(d.id) && namesOf(d, l).some((n) => startsWords(n, typed))) ids.push(d.id);
    }
  }
  return ids.slice(0, MAX_SUGGESTIONS).map((id) => {
    const d = site.destinations.find((x) => x.id === id)!;
    return { id, name: d.name[lang], organisation: d.organisation, minutes: walkMinutes(site, d) };
  });
}
