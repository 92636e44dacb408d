/**
 * Directions in words: a planned route turned into what a person can follow alone ("Go past the
 * library on your left, about 40 metres; Kela is on your right"), from the site's landmarks and
 * destinations along the path. Pure: the route is planned elsewhere (see the directions book).
 *
 * CONTRACT STUB: the shapes below are what the mission relies on; the implementation replaces
 * the body of `renderDirections` and fills `DirectionStep`.
 */
import type { Language } from '../map/index.js';
import type { PhraseStyle } from './phrases.js';

/** One step of the way, in the order walked. */
export interface DirectionStep {
  kind: string;
}

/** The way from the robot's dock to one destination, ready to be said in any language. */
export interface Directions {
  destinationId: string;
  /** Walking distance along the planned path, metres. */
  metres: number;
  steps: DirectionStep[];
}

/** The directions as sentences in `language`, plainer when `style` is 'plain'. */
export function renderDirections(d: Directions, language: Language, style: PhraseStyle = 'standard'): string {
  void language;
  void style;
  return `${Math.round(d.metres)} m`;
}
