/**
 * What the status LEDs show for each state of the guide mission (/guide/status), and for a stop
 * the board itself latched. A table keyed by cue, so a new mission state is a compile error here
 * until it has a colour. Colours suit a public floor: calm blue while working, amber while
 * waiting for someone, red only when something needs a person.
 */
import { GUIDE_STATES, type GuideState } from '../interfaces/index.js';
import type { Rgb } from './drive-base.js';
import type { LedPattern } from './protocol.js';

/** What the LEDs can be asked to show. */
export type LedCue =
  | GuideState
  /** The board latched a stop (bumper or e-stop): shown whatever the mission says. */
  | 'stop_latched'
  /** A state this table does not know (a newer mission). */
  | 'unknown_state';

export interface LedSetting {
  pattern: LedPattern;
  rgb: Rgb;
}

const BLUE: Rgb = { red: 0, green: 64, blue: 255 };
const DIM_BLUE: Rgb = { red: 0, green: 24, blue: 96 };
const CYAN: Rgb = { red: 0, green: 160, blue: 255 };
const AMBER: Rgb = { red: 255, green: 140, blue: 0 };
const GREEN: Rgb = { red: 0, green: 255, blue: 64 };
const RED: Rgb = { red: 255, green: 0, blue: 0 };
const WHITE: Rgb = { red: 160, green: 160, blue: 160 };

export const LED_CUES: Readonly<Record<LedCue, LedSetting>> = Object.freeze({
  idle: { pattern: 'idle', rgb: BLUE },
  understanding: { pattern: 'steady', rgb: CYAN },
  asking: { pattern: 'steady', rgb: CYAN },
  escorting: { pattern: 'guiding', rgb: BLUE },
  waiting_for_customer: { pattern: 'waiting', rgb: AMBER },
  arrived: { pattern: 'steady', rgb: GREEN },
  returning: { pattern: 'guiding', rgb: DIM_BLUE },
  dispatched: { pattern: 'guiding', rgb: DIM_BLUE },
  paused: { pattern: 'waiting', rgb: AMBER },
  localizing: { pattern: 'waiting', rgb: AMBER },
  docking: { pattern: 'guiding', rgb: DIM_BLUE },
  // Charging and closed are "not now", calm, not an alarm: staff need do nothing.
  charging: { pattern: 'idle', rgb: DIM_BLUE },
  closed: { pattern: 'idle', rgb: DIM_BLUE },
  handing_over: { pattern: 'steady', rgb: AMBER },
  battery_critical: { pattern: 'error', rgb: AMBER },
  estopped: { pattern: 'error', rgb: RED },
  stopped_safe: { pattern: 'error', rgb: AMBER },
  stop_latched: { pattern: 'error', rgb: RED },
  unknown_state: { pattern: 'steady', rgb: WHITE },
});

const KNOWN: ReadonlySet<string> = new Set(GUIDE_STATES);

/** The cue for the mission's state (idle before the first /guide/status); a latched stop wins. */
export function ledCue(guideState: string | undefined, stopLatched: boolean): LedCue {
  if (stopLatched) return 'stop_latched';
  if (guideState === undefined) return 'idle';
  return KNOWN.has(guideState) ? (guideState as GuideState) : 'unknown_state';
}
