/**
 * Which screen each thing the robot says leads to on the kiosk, by its phrase kind
 * (src/interaction/phrases.ts) and its choices. No DOM here: the rules are tested on their own.
 */
import type { ServerMessage } from '../../protocol.js';

export type Say = Extract<ServerMessage, { type: 'say' }>;

/** What the kiosk does with a say. */
export type Reply =
  | 'escort'
  | 'lag'
  | 'resume'
  | 'arrived'
  | 'directions'
  | 'elsewhere'
  | 'choose'
  | 'answer'
  | 'handover'
  | 'aside';

const LAG_KINDS = new Set(['escort.slow', 'escort.wait', 'escort.look', 'escort.ask']);
/** The robot's answers that end a request at the kiosk, by phrase kind (src/interaction/phrases.ts). */
const ANSWER_KINDS = new Set([
  'unknown',
  'ambiguous',
  'busy',
  'unavailable',
  'paused',
  'escort.lost',
  // Lost its way for good: the customer is let go politely, as when the customer is lost.
  'localization.lost',
  'nav.failed',
  'cancelled',
  'estop',
  // The battery is low (no desk named) or empty, or the centre is closed: words, and staff.
  'battery.low',
  'battery.critical',
  'centre.closed',
]);
/** Phrase families whose every kind ends the request with words only. */
const ANSWER_FAMILIES = ['closed', 'unknown', 'asking', 'busy'];
const isKind = (kind: string, family: string) => kind === family || kind.startsWith(`${family}.`);

export function replyOf(say: Say): Reply {
  const kind = say.kind;
  if (kind === 'escort.start') return 'escort';
  if (LAG_KINDS.has(kind)) return 'lag';
  if (kind === 'escort.resume') return 'resume';
  if (isKind(kind, 'arrive')) return 'arrived';
  // Told the way: asked for, or because the robot is busy with someone else or must charge.
  if (isKind(kind, 'directions') || kind === 'busy.directions' || kind === 'battery.low.directions')
    return 'directions';
  // Mid-escort, the charge would not last: the way on from here, then the robot leaves.
  if (kind === 'battery.handover') return 'handover';
  if (isKind(kind, 'elsewhere')) return 'elsewhere';
  // Asked back (or offered desks): a button per choice.
  if (say.choices.length > 0) return 'choose';
  // 'closed.staff', 'unknown.suggest', 'asking.timeout', …: told plainly.
  if (ANSWER_KINDS.has(kind) || ANSWER_FAMILIES.some((f) => isKind(kind, f))) return 'answer';
  return 'aside';
}
