/**
 * The guide mission: idle at the dock → understand a request → escort the customer while
 * watching that they follow → arrive and tell them about the desk → return to the dock. Every
 * failure (unknown place, closed desk, navigation failure, lost customer, e-stop, operator
 * cancel) has its own path and message, and every path ends stopped at the dock or stopped safe.
 *
 * Understanding has more answers than "go there": two or three desks that fit are asked back
 * ('asking': the next request, whatever its id, is the pick, a cancel, or a new request; nobody
 * answering ends it on a timer); a service that is not on this floor is said to be elsewhere,
 * with the way on offered; what is not understood gets suggestions from the words that were; a
 * customer who walks alone, or one who asks while the robot is busy, is told the way in words.
 * A customer who chose plain language hears every phrase in its plain variant.
 *
 * Operators act on it too: a desk status set by staff wins over the opening hours (for answers
 * and on arrival); a dispatch sends the robot somewhere with no customer; a pause stands it still
 * (to be driven by hand) and a resume takes it back to where it was (XState deep history: the
 * same goal is sent again, the customer watch goes on).
 *
 * Pure: navigation is the injected `navigateTo` actor; speech, status, speed limit and cancel
 * are injected actions; time is the actor's clock (the node clock) through named delays; the
 * time of a request comes with the request. The machine never sees customer text after
 * understanding it and keeps only the request id, destination id, language, style and why
 * (built from the site's own terms).
 */
import { and, assign, enqueueActions, fromPromise, not, setup, stateIn } from 'xstate';
import {
  createMatcher,
  detectLanguage,
  formatMoment,
  formatUntil,
  joinAlternatives,
  numberedChoices,
  openingStatus,
  renderDirections,
  type DirectionsFrom,
  type AnyPhraseVars,
  type Directions,
  type MatchResult,
  type MatchWhy,
  type Matcher,
  type MatcherOptions,
  type OpeningMoment,
  type PhraseKind,
  type PhraseStyle,
} from '../src/interaction/index.js';
import { LANGUAGES, type Destination, type ElsewhereService, type Language } from '../src/map/index.js';
import type { NavErrorCode } from '../src/navigation/index.js';
import { distance, type Pose2D } from '../src/ros/index.js';
import { GUIDE_STATES, type GuideState, type LocalizationState } from '../src/interfaces/index.js';
import { readReply } from './ask-back.js';
import { deskNow, staffStatusApplies, type StaffDeskStatus } from './desk-status.js';
import { MissionError } from './errors.js';
import { NAV_FAILURE_REASONS, type MissionReason } from './mission-reasons.js';
import {
  DEFAULT_POWER_PARAMS,
  NO_BATTERY_YET,
  chargedEnough,
  isCritical,
  mustHandOver,
  takeReading,
  validatePowerParams,
  type PowerParams,
  type PowerView,
} from './power-policy.js';

// ---- the contract ------------------------------------------------------------------------------

/** Where the robot goes: a pose in the map frame and what it is (a destination id or 'dock'). */
export interface NavGoal {
  pose: Pose2D;
  destinationId: string;
}
/**
 * How a navigateTo (or a turn to look) ended: the navigator's own result code ('NONE' when it
 * got there; see NAV_FAILURE_REASONS for what each other code means to the mission) and a detail
 * for operators and logs.
 */
export interface NavResult {
  code: NavErrorCode;
  detail: string;
}

export type GuideEvent =
  /**
   * A customer asks (kiosk or speech). `stampNs` is node time when it arrived (for opening hours);
   * `language` only when the customer chose one (it wins); `plain` for plain language; `mode`
   * 'directions' to be told the way and walk alone (default: be escorted). While the robot has
   * asked back, the next request (any id) is the answer.
   */
  | {
      type: 'REQUEST';
      requestId: string;
      text: string;
      language?: Language;
      stampNs: bigint;
      plain?: boolean;
      mode?: RequestMode;
    }
  /** The escorted customer as perception sees them. */
  | { type: 'CUSTOMER'; visible: boolean; distanceBehind: number; lostForS: number }
  /** The e-stop is latched (sent again while it stays latched; repeats are ignored). */
  | { type: 'ESTOP' }
  | { type: 'ESTOP_RELEASED' }
  /** An operator cancels the guidance (or, when stopped safe, asks the robot to try going home again). */
  | { type: 'CANCEL' }
  /** Every desk status staff have set (the latest DeskStatusArray), as of node time `stampNs`. */
  | { type: 'DESK_STATUS'; statuses: readonly StaffDeskStatus[]; stampNs: bigint }
  /** An operator sends the robot, with no customer, to a destination or 'dock'. */
  | { type: 'DISPATCH'; requestId: string; destinationId: string }
  /**
   * An operator pauses the robot where it is (to drive it by hand), and resumes it; `stampNs` is
   * node time (so a desk closing during the escort is still noticed on time after a pause).
   */
  | { type: 'PAUSE'; stampNs?: bigint }
  | { type: 'RESUME'; stampNs?: bigint }
  /**
   * What the localiser says (/localization/status): 'lost' stops the robot where it stands until
   * 'ok' or 'uncertain' comes back; no status at all means a localiser that is never lost.
   */
  | { type: 'LOCALIZATION'; state: LocalizationState }
  /**
   * Someone stands where the robot must pass and it cannot get by (a tight place), or the way is
   * clear again; sent while escorting.
   */
  | { type: 'WAY'; blocked: boolean }
  /** How far the robot has driven since the node started, m (odometry; it only grows). */
  | { type: 'DRIVEN'; metres: number }
  /**
   * The battery as the node estimates it (about 1 Hz): charge 0..1 (NaN unknown), whether the
   * reading can be trusted, whether it is on the dock's charger, and (during an escort) what
   * the rest of the trip and the way home would take. No event ever: a robot never low.
   */
  | {
      type: 'POWER';
      charge: number;
      reliable: boolean;
      charging: boolean;
      tripCharge?: number;
      stampNs: bigint;
    }
  /** The centre opened or closed (site hours, node clock); `opensAt` when closed. */
  | { type: 'CENTRE'; open: boolean; opensAt?: OpeningMoment; stampNs: bigint };
export type GuideEventType = GuideEvent['type'];
/** How the customer wants to get there: taken by the robot, or told the way. */
export type RequestMode = 'escort' | 'directions';

/** What the mission is doing, as /guide/status says it (the message's state values). */
export const MISSION_STATES = GUIDE_STATES;
export type MissionState = GuideState;

export interface GuideParams extends PowerParams {
  /**
   * On the dock but not charging this long (s): it docks again (the contacts did not meet).
   * Doubles with each failed docking, up to 8×.
   */
  contactWaitS: number;
  /** Failed dockings in a row after which staff are asked to clear the dock (dock_failed). */
  dockTries: number;
  /** Customer further behind than this (m): slow down. */
  comfortGapM: number;
  /** Customer further behind than this (m): stop and wait. */
  waitGapM: number;
  /** While waiting, a customer back within this (m) has caught up. */
  resumeGapM: number;
  /** Customer out of sight this long (s, from CUSTOMER.lostForS): stop and wait. */
  lostGraceS: number;
  /** Speed limit while the customer lags (m/s). */
  slowSpeedMps: number;
  /** Customer walking pace for the "about N min" estimate (m/s). */
  walkingSpeedMps: number;
  /** Routes are longer than the straight line by about this factor (for the estimate). */
  detourFactor: number;
  /** How long to wait for a customer who fell behind before giving up (s). */
  customerPatienceS: number;
  /** Once a customer has been seen, no sighting for this long (s) means stop and wait (perception went quiet). */
  waitForCustomerS: number;
  /**
   * The customer starts in front of the robot, out of sight of the rear camera: while perception
   * reports but has not yet seen them, the robot goes on this long (s) before it stops to wait.
   */
  firstSightingS: number;
  /** How long the robot stays at the desk after arriving (s). */
  arrivalPauseS: number;
  /** Waiting this long (s) without the customer back: turn round to look for them, then ask. */
  lookAfterS: number;
  /** How far to turn when looking (rad; a full turn sweeps the rear camera all round). */
  lookTurnRad: number;
  /** Asked back ("which one?"), the robot waits this long (s) for the pick before it stops asking. */
  askBackTimeoutS: number;
  /** Could not get home: it tries again after this long (s), doubling each time ... */
  returnRetryS: number;
  /** ... up to this long (s). */
  returnRetryMaxS: number;
  /** After this many failed tries in a row to get home, staff are asked to help (return_needs_help). */
  returnHelpAfter: number;
  /** Localisation lost: the robot stands still this long (s) for it to come back before it gives up. */
  localizationWaitS: number;
  /**
   * Someone in the way in a tight place: the robot asks them to step aside and waits this long (s)
   * for the way to clear before it tries to go on anyway.
   */
  makeWayWaitS: number;
  /**
   * Stops for the customer in one escort, each followed by less than steadyMovingS of driving,
   * after which the robot gives up politely: a customer who is seen each time it looks but never
   * comes along (stuck behind, or waiting for it to pass) must not keep it turning for ever.
   */
  maxShortResumes: number;
  /**
   * A stop for the customer counts as short (see maxShortResumes) only when the robot drove
   * less than this since it last went on, m: stops with real progress between them are an
   * escort through people, not one that gets nowhere.
   */
  shortResumeM: number;
  /**
   * Driving this long without a stop for the customer counts as going well again, s: at a
   * customer's pace, some 8–12 m of real progress. (20 s gave up on customers who kept up but
   * were held back now and then by people crossing between them and the robot.)
   */
  steadyMovingS: number;
}

export const DEFAULT_GUIDE_PARAMS: GuideParams = {
  ...DEFAULT_POWER_PARAMS,
  contactWaitS: 20,
  dockTries: 3,
  comfortGapM: 2.0,
  waitGapM: 5.0,
  resumeGapM: 2.5,
  lostGraceS: 2.0,
  slowSpeedMps: 0.4,
  walkingSpeedMps: 0.8,
  detourFactor: 1.3,
  customerPatienceS: 30,
  waitForCustomerS: 3,
  firstSightingS: 15,
  arrivalPauseS: 6,
  lookAfterS: 4,
  lookTurnRad: 2 * Math.PI,
  askBackTimeoutS: 30,
  returnRetryS: 10,
  returnRetryMaxS: 120,
  returnHelpAfter: 3,
  localizationWaitS: 30,
  makeWayWaitS: 20,
  maxShortResumes: 5,
  shortResumeM: 3,
  steadyMovingS: 12,
};

/** Returns `params` if every field is a finite number ≥ 0; throws MissionError PARAM_INVALID naming the field. */
export function validateGuideParams<P extends Record<string, unknown>>(
  params: P,
  where = 'guide-mission.ts:params',
): P {
  for (const [key, value] of Object.entries(params)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new MissionError(
        'PARAM_INVALID',
        `${where}.${key}`,
        `expected a number ≥ 0, found ${String(value)}`,
      );
    }
  }
  return params;
}

export interface GuideInput {
  destinations: readonly Destination[];
  dock: Pose2D;
  /** IANA zone of the site's opening hours. */
  timezone: string;
  params?: Partial<GuideParams>;
  /** The destination suggested when a desk is closed by staff (site.yaml `help_desk`). */
  helpDeskId?: string;
  /** Services that are not on this floor, and where to go instead (site.yaml `elsewhere`). */
  elsewhere?: readonly ElsewhereService[];
  /** The way from the dock to each destination, said in words (default: none; only minutes are said). */
  directions?: ReadonlyMap<string, Directions>;
  /**
   * Understanding to use instead of the matcher built from `destinations` and `elsewhere` (a
   * test double, scripted for the answers a test needs).
   */
  matcher?: Matcher;
}

/** Params of the injected `say` action: one utterance to the customer of `requestId`. */
export interface SayParams {
  kind: PhraseKind;
  language: Language;
  requestId: string;
  vars: AnyPhraseVars;
  /** Plain language for a customer who chose it. */
  style: PhraseStyle;
  /** Destination ids the customer can pick now, in the order said (kiosk buttons); else []. */
  choices: string[];
}
/** Params of the injected `publishStatus` action (entry of every state). */
export interface StatusParams {
  state: MissionState;
  requestId: string;
  destinationId: string;
  reason: MissionReason;
  /** How the request was understood ("service housing-allowance: 'asumistuki' (fi)"); '' when not. */
  why: string;
}
/** What the injected `lookAround` actor is asked: turn in place by `yawRad` (counter-clockwise). */
export interface LookInput {
  yawRad: number;
}
export interface SpeedLimitParams {
  /** m/s; undefined lifts the limit. */
  mps: number | undefined;
}

// ---- understanding ---------------------------------------------------------------------------

type Decision =
  /** Not understood; `suggestions` are desks related to words that were (0..3). */
  | { kind: 'unknown'; suggestions: string[] }
  /** Asked back, the reply was neither a pick nor a request: ask again. */
  | { kind: 'notCaught' }
  /** Asked back, the customer said no. */
  | { kind: 'askCancelled' }
  | { kind: 'ambiguous'; candidates: string[]; whys: string[] }
  | { kind: 'elsewhere'; elsewhereId: string }
  | { kind: 'closed'; destinationId: string; opensAt?: OpeningMoment }
  | { kind: 'closedByStaff'; destinationId: string; staff: StaffDeskStatus; helpId?: string }
  /** Open, and the customer walks alone: tell the way. */
  | { kind: 'directions'; destinationId: string }
  | {
      kind: 'escort';
      destinationId: string;
      /** Node time the desk closes, if it closes within the coming week. */
      closesAtNs?: bigint;
      /** When it opens again after that closing. */
      reopensAt?: OpeningMoment;
    };

export interface GuideContext {
  destinations: readonly Destination[];
  byId: ReadonlyMap<string, Destination>;
  elsewhere: ReadonlyMap<string, ElsewhereService>;
  directions: ReadonlyMap<string, Directions>;
  match: Matcher;
  dock: Pose2D;
  timezone: string;
  params: GuideParams;
  helpDeskId: string | undefined;
  /** Staff's desk statuses in effect (the node sends them again as one ends). */
  staff: ReadonlyMap<string, StaffDeskStatus>;
  /** The latest node time an event told (requests, desk statuses, pause and resume). */
  knownNowNs: bigint;

  requestId: string;
  /** Node time of the current request (what "today" means when saying when a desk opens). */
  requestStampNs: bigint;
  destinationId: string;
  language: Language;
  /** The customer chose plain language: everything said to them is plain. */
  plain: boolean;
  mode: RequestMode;
  /** How the request was understood, from the site's terms (never the customer's words). */
  why: string;
  reason: MissionReason;
  decision?: Decision;
  /** Asked back: the desks offered, in the order said, and why each fitted. */
  candidates: string[];
  candidateWhys: string[];
  /** Replies to the asking that were not understood (asked again each time, up to a limit). */
  askAgainCount: number;
  /** The desk's closing time passed during the escort. */
  closedOnTheWay: boolean;
  /** A customer has been seen during this escort (from then on, silence means they are gone). */
  customerSeen: boolean;
  /** Perception has reported on the customer during this escort (seen or not). */
  customerReported: boolean;
  /** The customer was in view at the last report (while waiting: no need to turn and look). */
  customerInView: boolean;
  speedLimited: boolean;
  /** Where a pause came from (what a cancel or a resume means there), and the reason before it. */
  pausedFrom: PausedFrom;
  reasonBeforePause: MissionReason;
  /** An operator cancelled the mission while paused: resuming goes home. */
  cancelledWhilePaused: boolean;
  /** Failed tries in a row to get home (0 once home). */
  homeFailures: number;
  /** homeFailures when whoever is near was last told (each trouble is announced once). */
  homeAnnounced: number;
  /** A customer is with the robot (escorting, or just arrived at the desk). */
  withCustomer: boolean;
  /** The reason before localisation was lost (restored when it comes back). */
  reasonBeforeLost: MissionReason;
  /** Where localisation was lost, the mission was given up (by the robot or an operator): go home when it is back. */
  homeOnRecovery: boolean;
  /** Asked someone in the way to step aside during this escort (asked once per stop). */
  madeWay: boolean;
  /** Stops for the customer in this escort since it last drove steadily (see maxShortResumes). */
  shortResumes: number;
  /** The robot's odometer (DRIVEN), m, and its reading when the escort last went on. */
  drivenM: number;
  resumedAtM: number;
  /** The battery as last estimated (POWER). */
  power: PowerView;
  /** The centre is open (CENTRE; open until told otherwise), and when it opens next if closed. */
  centreOpen: boolean;
  centreOpensAt: OpeningMoment | undefined;
  /** Failed dockings in a row (0 once on the charger). */
  dockFailures: number;
  /** Stopped for a critical charge somewhere on the floor: once charged, it goes home first. */
  offDock: boolean;
  /** An operator sent the critical robot home with what is left: no stopping again until docked. */
  criticalOverridden: boolean;
}

/** What the robot was doing when paused. */
type PausedFrom = 'idle' | 'escorting' | 'arrived' | 'returning' | 'dispatched' | 'away' | 'critical';

const NS_PER_MS = 1_000_000n;
/** At most this many desks are offered when asking back. */
const MAX_CANDIDATES = 3;
/** Replies not understood while asking back: asked again this many times, then "not understood". */
const MAX_ASK_AGAIN = 2;
/** A catalogue term longer than this is cut in `why` (terms are at most 200 characters anyway). */
const MAX_WHY_TERM = 80;

/** A MatchWhy for operators: "service housing-allowance: 'asumistuki' (fi)", "name: 'Kela' (fi)". */
export function formatWhy(why: MatchWhy | undefined): string {
  if (!why) return '';
  const term = why.term.length > MAX_WHY_TERM ? `${why.term.slice(0, MAX_WHY_TERM)}…` : why.term;
  const what =
    (why.source === 'service' || why.source === 'elsewhere') && why.serviceId
      ? `${why.source} ${why.serviceId}`
      : why.source;
  return `${what}: '${term}'${why.language ? ` (${why.language})` : ''}`;
}

interface Understood {
  language: Language;
  decision: Decision;
  why: string;
}

/** The first request of a conversation: what the matcher makes of it. */
function decide(
  ctx: GuideContext,
  text: string,
  hint: Language | undefined,
  stampNs: bigint,
  mode: RequestMode,
): Understood {
  return decideFrom(ctx, ctx.match(text, hint), stampNs, mode);
}

function decideFrom(ctx: GuideContext, m: MatchResult, stampNs: bigint, mode: RequestMode): Understood {
  const language = m.language;
  if (m.kind === 'none') {
    const suggestions = m.suggestions.filter((id) => ctx.byId.has(id)).slice(0, MAX_CANDIDATES);
    return { language, decision: { kind: 'unknown', suggestions }, why: '' };
  }
  if (m.kind === 'elsewhere') {
    if (!ctx.elsewhere.has(m.elsewhereId))
      return { language, decision: { kind: 'unknown', suggestions: [] }, why: '' };
    return { language, decision: { kind: 'elsewhere', elsewhereId: m.elsewhereId }, why: formatWhy(m.why) };
  }
  if (m.kind === 'ambiguous') {
    const known = m.candidates
      .map((id, i) => ({ id, why: formatWhy(m.why[i]) }))
      .filter((c) => ctx.byId.has(c.id));
    const unique = known
      .filter((c, i) => known.findIndex((o) => o.id === c.id) === i)
      .slice(0, MAX_CANDIDATES);
    // One candidate is a match, not a question.
    if (unique.length === 1)
      return { language, decision: deskDecision(ctx, unique[0]!.id, stampNs, mode), why: unique[0]!.why };
    if (unique.length === 0) return { language, decision: { kind: 'unknown', suggestions: [] }, why: '' };
    const candidates = unique.map((c) => c.id);
    const whys = unique.map((c) => c.why);
    return {
      language,
      decision: { kind: 'ambiguous', candidates, whys },
      why: whys.filter((w) => w).join('; '),
    };
  }
  if (!ctx.byId.has(m.destinationId))
    return { language, decision: { kind: 'unknown', suggestions: [] }, why: '' };
  return { language, decision: deskDecision(ctx, m.destinationId, stampNs, mode), why: formatWhy(m.why) };
}

/**
 * The answer to the robot's "which one?": a pick goes on exactly as a request for that desk, a
 * cancel ends politely, anything else is matched as a new request (a different desk, another
 * question), and what cannot be understood at all is asked again a couple of times.
 */
function decideReply(
  ctx: GuideContext,
  text: string,
  hint: Language,
  stampNs: bigint,
  mode: RequestMode,
): Understood {
  const reply = readReply(text, ctx.candidates);
  const language = hint;
  const pick = (i: number): Understood => ({
    language,
    decision: deskDecision(ctx, ctx.candidates[i]!, stampNs, mode),
    why: ctx.candidateWhys[i] ?? '',
  });
  if (reply.kind === 'pick') return pick(reply.index);
  if (reply.kind === 'cancel') return { language, decision: { kind: 'askCancelled' }, why: '' };
  const m = ctx.match(text, hint);
  if (m.kind === 'ambiguous') {
    // "Kela" may still fit two desks by itself; among the offered ones it is one.
    const offered = m.candidates.filter((id) => ctx.candidates.includes(id));
    if (offered.length === 1) return pick(ctx.candidates.indexOf(offered[0]!));
  }
  if (m.kind === 'none' && ctx.askAgainCount < MAX_ASK_AGAIN)
    return { language, decision: { kind: 'notCaught' }, why: '' };
  return decideFrom(ctx, m, stampNs, mode);
}

/** A desk was understood: escort, tell the way, or say it is closed. */
function deskDecision(ctx: GuideContext, id: string, stampNs: bigint, mode: RequestMode): Decision {
  const dest = ctx.byId.get(id)!;
  let decision: Decision = { kind: 'escort', destinationId: dest.id };
  try {
    decision = decideOpen(ctx, dest, stampNs);
  } catch {
    // A bad time zone is caught when the mission starts; should one slip through, guide anyway.
  }
  if (decision.kind === 'escort' && mode === 'directions')
    return { kind: 'directions', destinationId: dest.id };
  return decision;
}

/** Escort, or say it is closed: staff's status where one applies, else the opening hours. */
function decideOpen(ctx: GuideContext, dest: Destination, stampNs: bigint): Decision {
  const now = deskNow(dest, ctx.staff.get(dest.id), stampNs, ctx.timezone);
  if (now.source === 'staff' && !now.open) {
    const helpId = helpDeskFor(ctx, dest.id, stampNs);
    return { kind: 'closedByStaff', destinationId: dest.id, staff: now.staff, ...(helpId ? { helpId } : {}) };
  }
  // Opened by staff: it closes when their status ends, if the hours say closed then.
  const closesAtNs =
    now.source === 'staff' ? now.staff.untilNs : now.open ? now.closesAt?.epochNs : undefined;
  if (!now.open) {
    const opensAt = now.source === 'hours' ? now.opensAt : undefined;
    return { kind: 'closed', destinationId: dest.id, ...(opensAt ? { opensAt } : {}) };
  }
  if (closesAtNs === undefined) return { kind: 'escort', destinationId: dest.id };
  const after = openingStatus(dest, closesAtNs, ctx.timezone);
  if (after.open) return { kind: 'escort', destinationId: dest.id };
  return {
    kind: 'escort',
    destinationId: dest.id,
    closesAtNs,
    ...(after.opensAt ? { reopensAt: after.opensAt } : {}),
  };
}

/** The site's help desk, if it is open at `stampNs` and is not the desk asked for. */
function helpDeskFor(ctx: GuideContext, askedId: string, stampNs: bigint): string | undefined {
  const help = ctx.helpDeskId === undefined ? undefined : ctx.byId.get(ctx.helpDeskId);
  if (!help || help.id === askedId) return undefined;
  try {
    return deskNow(help, ctx.staff.get(help.id), stampNs, ctx.timezone).open ? help.id : undefined;
  } catch {
    return undefined;
  }
}

/** The vars of 'closed.staff' and 'arrive.closed_staff': optional parts are ''. */
function staffClosureVars(
  ctx: GuideContext,
  staff: StaffDeskStatus,
  helpId: string | undefined,
  nowNs: bigint,
) {
  let until = '';
  if (staff.untilNs !== undefined) {
    try {
      until = formatUntil(staff.untilNs, nowNs, ctx.timezone, ctx.language);
    } catch {
      // A bad time zone is refused at start; without it, the closure is said without its end.
    }
  }
  return {
    desk: deskName(ctx, staff.destinationId),
    until,
    note: staff.note,
    help: helpId ? deskName(ctx, helpId) : '',
  };
}

function deskName(ctx: GuideContext, id: string, language: Language = ctx.language): string {
  return ctx.byId.get(id)?.name[language] ?? id;
}

/** The vars of 'directions' and 'busy.directions': the desk, the walk in minutes, the way in words ('' if not known). */
function directionVars(
  ctx: GuideContext,
  id: string,
  language: Language,
  style: PhraseStyle,
  from: DirectionsFrom = 'beside',
): AnyPhraseVars {
  const dest = ctx.byId.get(id)!;
  return {
    desk: deskName(ctx, id, language),
    minutes: minutesTo(ctx, dest),
    directions: wayInWords(ctx, id, language, style, from),
  };
}

/** The directions book's way to `id` in words, or '' when the book has none (or cannot say it). */
function wayInWords(
  ctx: GuideContext,
  id: string,
  language: Language,
  style: PhraseStyle,
  from: DirectionsFrom = 'beside',
): string {
  const way = ctx.directions.get(id);
  if (!way) return '';
  try {
    return renderDirections(way, language, style, from);
  } catch {
    // A route the renderer cannot word is left out: the customer still hears where to go.
    return '';
  }
}

const styleOf = (ctx: GuideContext): PhraseStyle => (ctx.plain ? 'plain' : 'standard');

/** What to say to a request for an elsewhere service: where it is, and the way on if the site gives one. */
function elsewhereSay(ctx: GuideContext, elsewhereId: string): Pick<SayParams, 'kind' | 'vars' | 'choices'> {
  const service = ctx.elsewhere.get(elsewhereId)!;
  const where = service.where[ctx.language];
  if (service.way === undefined || !ctx.byId.has(service.way))
    return { kind: 'elsewhere', vars: { where }, choices: [] };
  return {
    kind: 'elsewhere.way',
    vars: {
      where,
      way: deskName(ctx, service.way),
      directions: wayInWords(ctx, service.way, ctx.language, styleOf(ctx)),
    },
    choices: [service.way],
  };
}

/** The code of a navigation that did not arrive (an earlier guard took 'NONE'). */
function failureCode(result: NavResult): Exclude<NavErrorCode, 'NONE'> {
  return result.code === 'NONE' ? 'UNKNOWN' : result.code;
}

function minutesTo(ctx: GuideContext, dest: Destination): number {
  const metres = distance(ctx.dock, dest.pose) * ctx.params.detourFactor;
  return Math.max(1, Math.round(metres / ctx.params.walkingSpeedMps / 60));
}

/** The `publishStatus` action on entering `state` (the node repeats the last status at 1 Hz). */
function status(state: MissionState) {
  return {
    type: 'publishStatus' as const,
    params: ({ context }: { context: GuideContext }): StatusParams => ({
      state,
      requestId: context.requestId,
      destinationId: context.destinationId,
      reason: context.reason,
      why: context.why,
    }),
  };
}

/** What the current customer hears: `kind` in their language and style. */
function sayTo(
  ctx: GuideContext,
  kind: PhraseKind,
  vars: AnyPhraseVars = {},
  choices: string[] = [],
): SayParams {
  return { kind, language: ctx.language, requestId: ctx.requestId, vars, style: styleOf(ctx), choices };
}

/** A `say` action to the current customer, in their language; `vars` are read from context. */
function speak(kind: PhraseKind, vars?: (context: GuideContext) => AnyPhraseVars) {
  return {
    type: 'say' as const,
    params: ({ context }: { context: GuideContext }): SayParams =>
      sayTo(context, kind, vars ? vars(context) : {}),
  };
}

/** Answers a request that arrives while the robot cannot take it, in that customer's language. */
function refuse(kind: 'unavailable' | 'paused' | 'localizing' | 'battery.critical') {
  return {
    type: 'say' as const,
    params: ({ event }: { event: GuideEvent }): SayParams => {
      const request = event.type === 'REQUEST' ? event : undefined;
      return {
        kind,
        language: detectLanguage(request?.text ?? '', request?.language),
        requestId: request?.requestId ?? '',
        vars: {},
        style: request?.plain ? 'plain' : 'standard',
        choices: [],
      };
    },
  };
}

/**
 * Answers a request while the robot guides someone else: busy, and when the request names a desk,
 * the way there in words so the customer can walk on their own.
 */
const busyAnswer = {
  type: 'say' as const,
  params: ({ context, event }: { context: GuideContext; event: GuideEvent }): SayParams => {
    if (event.type !== 'REQUEST') return { ...sayTo(context, 'busy'), requestId: '' };
    const style: PhraseStyle = event.plain ? 'plain' : 'standard';
    const m = context.match(event.text, event.language);
    const base = { language: m.language, requestId: event.requestId, style, choices: [] };
    if (m.kind === 'match' && context.byId.has(m.destinationId)) {
      // The robot is away guiding someone: the way starts from its dock, not from beside it.
      const vars = directionVars(context, m.destinationId, m.language, style, 'dock');
      return { ...base, kind: 'busy.directions', vars };
    }
    return { ...base, kind: 'busy', vars: {} };
  },
};

/** Why the robot takes no escort on its battery: low, or a reading it cannot trust. */
function powerReason(ctx: GuideContext): MissionReason {
  return ctx.power.reliable ? 'battery_low' : 'battery_unreliable';
}

type RefusedFor = 'battery' | 'closed';

/**
 * Turns a request away while the robot cannot guide: a status naming this request and why (so
 * the kiosk and reports see it decided), and the words: when the centre opens, or for a desk
 * asked by name the way there, or to ask staff.
 */
function refuseRequest(why: RefusedFor, state: MissionState) {
  return [
    { type: 'takeRefusal' as const, params: { why } },
    status(state),
    {
      type: 'say' as const,
      params: ({ context }: { context: GuideContext }): SayParams => refusalWords(context, why),
    },
  ];
}

function refusalWords(ctx: GuideContext, why: RefusedFor): SayParams {
  if (why === 'closed') {
    const when = ctx.centreOpensAt ? formatMoment(ctx.centreOpensAt, ctx.language) : '';
    return sayTo(ctx, 'centre.closed', { when });
  }
  if (!ctx.destinationId) return sayTo(ctx, 'battery.low');
  return sayTo(
    ctx,
    'battery.low.directions',
    directionVars(ctx, ctx.destinationId, ctx.language, styleOf(ctx)),
  );
}

/** What the customer being left hears: sorry, the robot must charge, and the way from here if known. */
function handoverSay(ctx: GuideContext, way: Directions | undefined): SayParams {
  let directions = '';
  try {
    directions = way ? renderDirections(way, ctx.language, styleOf(ctx)) : '';
  } catch {
    // A way the renderer cannot word is left out: staff are named instead.
  }
  return sayTo(ctx, 'battery.handover', { desk: deskName(ctx, ctx.destinationId), directions });
}

/** "Which one: 1 Kela, 2 Espoon Asunnot?" with the candidates as the kiosk's choices. */
function askingSay(ctx: GuideContext, kind: 'asking' | 'asking.again'): SayParams {
  const options = numberedChoices(ctx.candidates.map((id) => deskName(ctx, id)));
  return sayTo(ctx, kind, { options }, [...ctx.candidates]);
}

/** The context a request (first or reply) sets, from what was understood. */
function takeRequest(event: Extract<GuideEvent, { type: 'REQUEST' }>, understood: Understood) {
  const { language, decision, why } = understood;
  return {
    requestId: event.requestId,
    requestStampNs: event.stampNs,
    knownNowNs: event.stampNs,
    language,
    decision,
    why,
    destinationId: 'destinationId' in decision ? decision.destinationId : '',
    reason: '' as MissionReason,
    closedOnTheWay: false,
    customerSeen: false,
    customerReported: false,
    customerInView: false,
    speedLimited: false,
  };
}

const NEVER_MS = 2_147_483_647; // setTimeout's ceiling; only used behind a guard.

/** The wait before the next try home: returnRetryS, doubled per failure, at most returnRetryMaxS. */
export function homeRetryMs(ctx: Pick<GuideContext, 'params' | 'homeFailures'>): number {
  const { returnRetryS, returnRetryMaxS } = ctx.params;
  const doublings = Math.min(30, Math.max(0, ctx.homeFailures - 1));
  return Math.min(NEVER_MS, Math.min(returnRetryMaxS, returnRetryS * 2 ** doublings) * 1000);
}

/** What whoever is near hears (no customer of its own): `kind` in `language`, standard style. */
function toAnyone(kind: PhraseKind, language: Language): SayParams {
  return { kind, language, requestId: '', vars: {}, style: 'standard', choices: [] };
}

/** To the customer when one is with the robot, else to whoever is near (in the last language used). */
function sayOrAnnounce(kind: PhraseKind) {
  return {
    type: 'say' as const,
    params: ({ context }: { context: GuideContext }): SayParams =>
      context.withCustomer ? sayTo(context, kind) : toAnyone(kind, context.language),
  };
}

/** Paused from where a customer is with the robot (they are told, and a cancel is theirs). */
const WITH_CUSTOMER: readonly PausedFrom[] = ['escorting', 'arrived'];
/** Paused from where there is a mission to cancel. */
const CANCELLABLE: readonly PausedFrom[] = ['escorting', 'arrived', 'dispatched'];

const arrivedOk = ({ event }: { event: { output: NavResult } }) => event.output.code === 'NONE';
const estopStopped = ({ event }: { event: { output: NavResult } }) => event.output.code === 'STOPPED';

// ---- the machine -----------------------------------------------------------------------------

export const guideMission = setup({
  types: {
    context: {} as GuideContext,
    events: {} as GuideEvent,
    input: {} as GuideInput,
  },
  actors: {
    navigateTo: fromPromise<NavResult, NavGoal>(() =>
      Promise.reject(
        new MissionError(
          'NOT_PROVIDED',
          'guide-mission.ts:navigateTo',
          'expected .provide({ actors: { navigateTo } })',
        ),
      ),
    ),
    // The final approach onto the charging contacts (a port's DockRobot). Without it: not docked.
    dockAt: fromPromise<NavResult, NavGoal>(() =>
      Promise.reject(
        new MissionError(
          'NOT_PROVIDED',
          'guide-mission.ts:dockAt',
          'expected .provide({ actors: { dockAt } })',
        ),
      ),
    ),
    // The way from where the robot stands to a desk, for a customer it must leave (in words).
    wayFromHere: fromPromise<Directions | undefined, { destinationId: string }>(() =>
      Promise.resolve(undefined),
    ),
    // Turning to look is a help, not a must: without it the robot still asks (onError).
    lookAround: fromPromise<NavResult, LookInput>(() =>
      Promise.reject(
        new MissionError(
          'NOT_PROVIDED',
          'guide-mission.ts:lookAround',
          'expected .provide({ actors: { lookAround } })',
        ),
      ),
    ),
  },
  actions: {
    say: (_, _params: SayParams) => {},
    publishStatus: (_, _params: StatusParams) => {},
    setSpeedLimit: (_, _params: SpeedLimitParams) => {},
    cancelNavigation: () => {},
    /** Remembers where the pause came from and the reason to restore on resume. */
    rememberPause: assign(({ context, event }, params: { from: PausedFrom }) => ({
      pausedFrom: params.from,
      knownNowNs: (event.type === 'PAUSE' ? event.stampNs : undefined) ?? context.knownNowNs,
      reasonBeforePause: context.reason,
      reason: 'paused' as MissionReason,
      cancelledWhilePaused: false,
    })),
    /** Takes a customer's first request: what the matcher makes of it starts the conversation. */
    takeNewRequest: assign(({ context, event }) => {
      if (event.type !== 'REQUEST') return {};
      const mode = event.mode ?? 'escort';
      const understood = decide(context, event.text, event.language, event.stampNs, mode);
      return {
        ...takeRequest(event, understood),
        plain: event.plain === true,
        mode,
        candidates: [],
        candidateWhys: [],
        askAgainCount: 0,
      };
    }),
    /** The battery's latest estimate, and node time. */
    takePower: assign(({ context, event }) =>
      event.type === 'POWER'
        ? {
            power: takeReading(context.power, event, context.params),
            knownNowNs: event.stampNs > context.knownNowNs ? event.stampNs : context.knownNowNs,
          }
        : {},
    ),
    /** The centre opened or closed. */
    takeCentre: assign(({ context, event }) =>
      event.type === 'CENTRE'
        ? {
            centreOpen: event.open,
            centreOpensAt: event.open ? undefined : event.opensAt,
            knownNowNs: event.stampNs > context.knownNowNs ? event.stampNs : context.knownNowNs,
          }
        : {},
    ),
    /**
     * Takes a request the robot turns away (its battery, or the centre closed): who asked, in
     * which language, what they named, and why it is refused (see refuseRequest).
     */
    takeRefusal: assign(({ context, event }, params: { why: RefusedFor }) => {
      if (event.type !== 'REQUEST') return {};
      const m = context.match(event.text, event.language);
      return {
        requestId: event.requestId,
        requestStampNs: event.stampNs,
        knownNowNs: event.stampNs > context.knownNowNs ? event.stampNs : context.knownNowNs,
        destinationId: m.kind === 'match' && context.byId.has(m.destinationId) ? m.destinationId : '',
        language: m.language,
        plain: event.plain === true,
        why: '',
        reason: params.why === 'closed' ? 'centre_closed' : powerReason(context),
      };
    }),
    /** A docking failed: staff are asked to clear the dock after guide.dock_tries in a row. */
    dockFailed: assign(({ context }) => {
      const dockFailures = context.dockFailures + 1;
      return dockFailures >= context.params.dockTries
        ? { dockFailures, reason: 'dock_failed' as MissionReason }
        : { dockFailures };
    }),
    /** A try home failed (see `away`). */
    homeFailed: assign(({ context }) => ({ homeFailures: context.homeFailures + 1, withCustomer: false })),
    /** Home after failing to get there: the trouble is over (for operators too). */
    homeAgain: assign(({ context }) =>
      context.homeFailures > 0 ? { homeFailures: 0, homeAnnounced: 0, reason: '' as MissionReason } : {},
    ),
    /** Localisation lost: remember the reason to restore when it is back. */
    rememberLost: assign(({ context }) => ({
      reasonBeforeLost: context.reason,
      reason: 'localizing' as MissionReason,
      homeOnRecovery: false,
    })),
    /** Takes an operator's dispatch: no customer, no words. */
    takeDispatch: assign(({ event }) =>
      event.type === 'DISPATCH'
        ? {
            requestId: event.requestId,
            destinationId: event.destinationId,
            reason: 'dispatched' as MissionReason,
            decision: undefined,
            why: '',
            candidates: [],
          }
        : {},
    ),
  },
  guards: {
    decidedUnknown: ({ context }) => context.decision?.kind === 'unknown',
    decidedNotCaught: ({ context }) => context.decision?.kind === 'notCaught',
    decidedAskCancelled: ({ context }) => context.decision?.kind === 'askCancelled',
    decidedAmbiguous: ({ context }) => context.decision?.kind === 'ambiguous',
    decidedElsewhere: ({ context }) => context.decision?.kind === 'elsewhere',
    decidedDirections: ({ context }) => context.decision?.kind === 'directions',
    decidedClosed: ({ context }) => context.decision?.kind === 'closed',
    decidedClosedByStaff: ({ context }) => context.decision?.kind === 'closedByStaff',
    customerSeen: ({ context }) => context.customerSeen,
    customerReported: ({ context }) => context.customerReported,
    customerInView: ({ context }) => context.customerInView,
    closesDuringEscort: ({ context }) =>
      context.decision?.kind === 'escort' && context.decision.closesAtNs !== undefined,
    knownPlace: ({ context, event }) =>
      event.type === 'DISPATCH' && (event.destinationId === 'dock' || context.byId.has(event.destinationId)),
    dispatchedToDock: ({ context }) => context.destinationId === 'dock',
    cancelledWhilePaused: ({ context }) => context.cancelledWhilePaused,
    pausedWithMission: ({ context }) => CANCELLABLE.includes(context.pausedFrom),
    awayFromHome: ({ context }) => context.homeFailures > 0,
    localizationLost: ({ event }) => event.type === 'LOCALIZATION' && event.state === 'lost',
    localizationBack: ({ event }) =>
      event.type === 'LOCALIZATION' && (event.state === 'ok' || event.state === 'uncertain'),
    homeOnRecovery: ({ context }) => context.homeOnRecovery,
    someoneInTheWay: ({ context, event }) => event.type === 'WAY' && event.blocked && !context.madeWay,
    needsCharge: ({ context }) => context.power.low,
    /**
     * Home with less than resume_charge (or low): it docks onto the charger, and tops up there
     * between customers. Fuller, it waits at the dock pose without the final approach.
     */
    wantsCharge: ({ context }) =>
      context.power.low || (context.power.known && context.power.charge < context.params.resumeCharge),
    /** This estimate says critical (checked before it is taken, so read from the event). */
    criticalNow: ({ context, event }) =>
      event.type === 'POWER' &&
      !context.criticalOverridden &&
      isCritical(takeReading(context.power, event, context.params), context.params),
    pausedFromCritical: ({ context }) => context.pausedFrom === 'critical',
    onCharger: ({ context }) => context.power.onCharger,
    recoveredFromCritical: ({ context }) =>
      context.power.known && context.power.reliable && context.power.charge >= context.params.lowCharge,
    chargedEnough: ({ context }) => chargedEnough(context.power),
    batteryCritical: ({ context }) => isCritical(context.power, context.params),
    mustHandOver: ({ context }) => mustHandOver(context.power, context.params),
    notOnCharger: ({ context }) => context.power.known && !context.power.onCharger,
    centreClosed: ({ context }) => !context.centreOpen,
    centreOpen: ({ context }) => context.centreOpen,
    offDock: ({ context }) => context.offDock,
    directionsOnly: ({ event }) => event.type === 'REQUEST' && event.mode === 'directions',
  },
  delays: {
    customerPatience: ({ context }) => context.params.customerPatienceS * 1000,
    waitForCustomer: ({ context }) => context.params.waitForCustomerS * 1000,
    firstSighting: ({ context }) => context.params.firstSightingS * 1000,
    arrivalPause: ({ context }) => context.params.arrivalPauseS * 1000,
    lookAfter: ({ context }) => context.params.lookAfterS * 1000,
    askBackTimeout: ({ context }) => context.params.askBackTimeoutS * 1000,
    homeRetry: ({ context }) => homeRetryMs(context),
    localizationWait: ({ context }) => context.params.localizationWaitS * 1000,
    makeWayWait: ({ context }) => context.params.makeWayWaitS * 1000,
    steadyMoving: ({ context }) => context.params.steadyMovingS * 1000,
    contactWait: ({ context }) => context.params.contactWaitS * 1000 * 2 ** Math.min(3, context.dockFailures),
    deskCloses: ({ context }) =>
      context.decision?.kind === 'escort' && context.decision.closesAtNs !== undefined
        ? Math.min(
            NEVER_MS,
            Math.max(0, Number((context.decision.closesAtNs - context.knownNowNs) / NS_PER_MS)),
          )
        : NEVER_MS,
  },
}).createMachine({
  id: 'guide',
  context: ({ input }) => {
    const params = validateGuideParams({ ...DEFAULT_GUIDE_PARAMS, ...input.params });
    validatePowerParams(params, 'guide-mission.ts:params');
    const byId = new Map(input.destinations.map((d) => [d.id, d]));
    const elsewhere = input.elsewhere ?? [];
    const matcherOptions: MatcherOptions & { elsewhere: readonly ElsewhereService[] } = { elsewhere };
    return {
      destinations: input.destinations,
      byId,
      elsewhere: new Map(elsewhere.map((e) => [e.id, e])),
      directions: input.directions ?? new Map(),
      match: input.matcher ?? createMatcher(input.destinations, matcherOptions),
      dock: input.dock,
      timezone: input.timezone,
      params,
      helpDeskId: input.helpDeskId !== undefined && byId.has(input.helpDeskId) ? input.helpDeskId : undefined,
      staff: new Map(),
      knownNowNs: 0n,
      requestId: '',
      requestStampNs: 0n,
      destinationId: '',
      language: 'fi',
      plain: false,
      mode: 'escort',
      why: '',
      reason: '',
      candidates: [],
      candidateWhys: [],
      askAgainCount: 0,
      closedOnTheWay: false,
      customerSeen: false,
      customerReported: false,
      customerInView: false,
      speedLimited: false,
      pausedFrom: 'idle',
      reasonBeforePause: '',
      cancelledWhilePaused: false,
      homeFailures: 0,
      homeAnnounced: 0,
      withCustomer: false,
      reasonBeforeLost: '',
      homeOnRecovery: false,
      madeWay: false,
      shortResumes: 0,
      drivenM: 0,
      resumedAtM: 0,
      power: NO_BATTERY_YET,
      centreOpen: true,
      centreOpensAt: undefined,
      dockFailures: 0,
      offDock: false,
      criticalOverridden: false,
    };
  },
  initial: 'active',
  on: {
    // Latched e-stop wins everywhere; `estopped` itself ignores repeats.
    ESTOP: { target: '.estopped' },
    DRIVEN: {
      actions: assign(({ context, event }) => ({
        drivenM: Number.isFinite(event.metres) ? Math.max(context.drivenM, event.metres) : context.drivenM,
      })),
    },
    POWER: [
      {
        // Critical away from the charger stops it where it is; already stopped by the e-stop, in
        // an operator's hands (paused) or stopped for it, it stays as it is.
        guard: and([
          'criticalNow',
          not(stateIn('#guide.estopped')),
          not(stateIn('#guide.paused')),
          not(stateIn('#guide.batteryCritical')),
        ]),
        target: '.batteryCritical',
        actions: 'takePower',
      },
      { actions: 'takePower' },
    ],
    CENTRE: { actions: 'takeCentre' },
    // Staff's statuses are kept in any state: they count for the next answer and on arrival.
    DESK_STATUS: {
      actions: assign(({ context, event }) => ({
        staff: new Map(
          event.statuses.filter((s) => staffStatusApplies(s, event.stampNs)).map((s) => [s.destinationId, s]),
        ),
        knownNowNs: event.stampNs > context.knownNowNs ? event.stampNs : context.knownNowNs,
      })),
    },
  },
  states: {
    // Everything the robot does on its own; a pause leaves it and a resume comes back (history).
    active: {
      initial: 'idle',
      on: {
        LOCALIZATION: {
          guard: 'localizationLost',
          target: 'localizing',
          actions: ['rememberLost', sayOrAnnounce('localizing')],
        },
      },
      states: {
        hist: { type: 'history', history: 'deep' },

        idle: {
          entry: [assign({ withCustomer: false }), status('idle')],
          // Not at its dock (it could not get home, then served someone from there): back to that.
          // Outside the centre's hours, or short of charge, it takes no one (checked on every event).
          always: [
            { guard: 'awayFromHome', target: 'away' },
            { guard: 'centreClosed', target: 'closed' },
            { guard: 'needsCharge', target: 'charging' },
          ],
          on: {
            REQUEST: { target: 'understanding', actions: 'takeNewRequest' },
            DISPATCH: { guard: 'knownPlace', target: 'dispatched', actions: 'takeDispatch' },
            PAUSE: { target: '#guide.paused', actions: { type: 'rememberPause', params: { from: 'idle' } } },
          },
        },

        // Home (docked, or given up docking): where to be now, before anything is said.
        home: {
          always: [
            { guard: 'awayFromHome', target: 'away' },
            { guard: 'centreClosed', target: 'closed' },
            { guard: 'needsCharge', target: 'charging' },
            { target: 'idle' },
          ],
        },

        // The centre is closed: on the dock (charging as always there) until it opens. Requests
        // are answered with when it opens; an operator may still dispatch it.
        closed: {
          entry: [
            assign({
              requestId: '',
              destinationId: '',
              why: '',
              reason: 'centre_closed',
              withCustomer: false,
            }),
            status('closed'),
          ],
          always: { guard: 'centreOpen', target: 'home', actions: assign({ reason: '' }) },
          on: {
            // The way in words is still told (desks' own hours decide what is open).
            REQUEST: [
              { guard: 'directionsOnly', target: 'understanding', actions: 'takeNewRequest' },
              { actions: refuseRequest('closed', 'closed') },
            ],
            DISPATCH: { guard: 'knownPlace', target: 'dispatched', actions: 'takeDispatch' },
            PAUSE: { target: '#guide.paused', actions: { type: 'rememberPause', params: { from: 'idle' } } },
          },
        },

        // Short of charge on the dock: charging, taking no escort until charged enough (it still
        // tells the way in words). Not charging after a while means the contacts did not meet:
        // it docks again (the wait doubling with each failed docking).
        charging: {
          entry: [
            assign({
              requestId: '',
              destinationId: '',
              why: '',
              withCustomer: false,
              reason: ({ context }) =>
                context.dockFailures >= context.params.dockTries ? 'dock_failed' : powerReason(context),
            }),
            status('charging'),
          ],
          always: [
            {
              guard: and(['chargedEnough', 'offDock']),
              target: 'returning',
              actions: assign({ reason: 'charged', offDock: false }),
            },
            { guard: 'chargedEnough', target: 'idle', actions: assign({ reason: 'charged' }) },
          ],
          after: {
            contactWait: [
              { guard: 'notOnCharger', target: 'docking' },
              { target: 'charging', reenter: true },
            ],
          },
          on: {
            REQUEST: [
              { guard: 'directionsOnly', target: 'understanding', actions: 'takeNewRequest' },
              { actions: refuseRequest('battery', 'charging') },
            ],
            PAUSE: { target: '#guide.paused', actions: { type: 'rememberPause', params: { from: 'idle' } } },
          },
        },

        // Home: the final approach onto the charging contacts. A customer asking meanwhile is
        // served at once (it docks again on the next return); one that fails counts towards
        // asking staff to clear the dock, and the robot serves from where it stands.
        docking: {
          entry: [assign({ withCustomer: false }), status('docking')],
          invoke: {
            src: 'dockAt',
            input: ({ context }) => ({ pose: context.dock, destinationId: 'dock' }),
            onDone: [
              {
                guard: arrivedOk,
                target: 'home',
                actions: assign({ dockFailures: 0, offDock: false, criticalOverridden: false }),
              },
              { guard: estopStopped, target: '#guide.estopped' },
              { target: 'home', actions: 'dockFailed' },
            ],
            onError: { target: 'home', actions: 'dockFailed' },
          },
          on: {
            REQUEST: [
              { guard: 'centreClosed', actions: refuseRequest('closed', 'docking') },
              { guard: 'needsCharge', actions: refuseRequest('battery', 'docking') },
              { target: 'understanding', actions: 'takeNewRequest' },
            ],
            DISPATCH: { guard: 'knownPlace', target: 'dispatched', actions: 'takeDispatch' },
            PAUSE: {
              target: '#guide.paused',
              actions: { type: 'rememberPause', params: { from: 'returning' } },
            },
          },
        },

        // The charge would not last the escort and the way home: stop, tell the customer the way
        // from here (planned from where the robot stands), and go to charge.
        handingOver: {
          entry: ['cancelNavigation', assign({ reason: 'battery_handover' }), status('handing_over')],
          initial: 'finding',
          states: {
            finding: {
              invoke: {
                src: 'wayFromHere',
                input: ({ context }) => ({ destinationId: context.destinationId }),
                onDone: {
                  target: 'parting',
                  actions: {
                    type: 'say',
                    params: ({ context, event }) => handoverSay(context, event.output),
                  },
                },
                onError: {
                  target: 'parting',
                  actions: { type: 'say', params: ({ context }) => handoverSay(context, undefined) },
                },
              },
            },
            parting: { after: { arrivalPause: '#guide.active.returning' } },
          },
          on: {
            REQUEST: { actions: refuseRequest('battery', 'handing_over') },
            CANCEL: { target: 'returning' },
          },
        },

        understanding: {
          entry: [status('understanding')],
          always: [
            {
              guard: 'decidedNotCaught',
              target: 'asking',
              actions: [
                assign({ reason: 'asking', askAgainCount: ({ context }) => context.askAgainCount + 1 }),
                { type: 'say', params: ({ context }) => askingSay(context, 'asking.again') },
              ],
            },
            {
              guard: 'decidedAskCancelled',
              target: 'idle',
              actions: [assign({ reason: 'ask_cancelled', candidates: [] }), speak('asking.cancelled')],
            },
            {
              guard: 'decidedUnknown',
              target: 'idle',
              actions: [
                assign({ reason: 'unknown_destination', candidates: [] }),
                {
                  type: 'say',
                  params: ({ context }) => {
                    const ids = context.decision?.kind === 'unknown' ? context.decision.suggestions : [];
                    if (ids.length === 0) return sayTo(context, 'unknown');
                    const names = ids.map((id) => deskName(context, id));
                    return sayTo(
                      context,
                      'unknown.suggest',
                      { options: joinAlternatives(names, context.language) },
                      ids,
                    );
                  },
                },
              ],
            },
            {
              guard: 'decidedAmbiguous',
              target: 'asking',
              actions: [
                assign(({ context }) =>
                  context.decision?.kind === 'ambiguous'
                    ? {
                        reason: 'asking' as MissionReason,
                        candidates: context.decision.candidates,
                        candidateWhys: context.decision.whys,
                        askAgainCount: 0,
                      }
                    : {},
                ),
                { type: 'say', params: ({ context }) => askingSay(context, 'asking') },
              ],
            },
            {
              guard: 'decidedElsewhere',
              target: 'idle',
              actions: [
                assign({ reason: 'elsewhere', candidates: [] }),
                {
                  type: 'say',
                  params: ({ context }) => {
                    const d = context.decision;
                    const answer = d?.kind === 'elsewhere' ? elsewhereSay(context, d.elsewhereId) : undefined;
                    return answer
                      ? { ...sayTo(context, answer.kind, answer.vars, answer.choices) }
                      : sayTo(context, 'unknown');
                  },
                },
              ],
            },
            {
              guard: 'decidedDirections',
              target: 'idle',
              actions: [
                assign({ reason: 'directions_given', candidates: [] }),
                {
                  type: 'say',
                  params: ({ context }) =>
                    sayTo(
                      context,
                      'directions',
                      directionVars(context, context.destinationId, context.language, styleOf(context)),
                    ),
                },
              ],
            },
            {
              guard: 'decidedClosed',
              target: 'idle',
              actions: [
                assign({ reason: 'desk_closed' }),
                enqueueActions(({ context, enqueue }) => {
                  const d = context.decision;
                  if (d?.kind !== 'closed') return;
                  const desk = deskName(context, d.destinationId);
                  const base = {
                    language: context.language,
                    requestId: context.requestId,
                    style: styleOf(context),
                    choices: [],
                  };
                  enqueue(
                    d.opensAt
                      ? {
                          type: 'say',
                          params: {
                            ...base,
                            kind: 'closed',
                            vars: { desk, when: formatMoment(d.opensAt, context.language) },
                          },
                        }
                      : { type: 'say', params: { ...base, kind: 'closed.indefinitely', vars: { desk } } },
                  );
                }),
              ],
            },
            {
              guard: 'decidedClosedByStaff',
              target: 'idle',
              actions: [
                assign({ reason: 'desk_closed_by_staff' }),
                enqueueActions(({ context, enqueue }) => {
                  const d = context.decision;
                  if (d?.kind !== 'closedByStaff') return;
                  enqueue({
                    type: 'say',
                    params: sayTo(
                      context,
                      d.helpId ? 'closed.staff.help' : 'closed.staff',
                      staffClosureVars(context, d.staff, d.helpId, context.requestStampNs),
                    ),
                  });
                }),
              ],
            },
            {
              target: 'escorting',
              // Said on the way in, not on entry: a resume re-enters the escort without it.
              actions: speak('escort.start', (c) => ({
                desk: deskName(c, c.destinationId),
                minutes: minutesTo(c, c.byId.get(c.destinationId)!),
              })),
            },
          ],
        },

        // Asked back ("which one?"): the next request is the answer, whatever its id (the kiosk
        // sends a new one). Nobody answering in time ends it; so does a cancel.
        asking: {
          entry: [status('asking')],
          after: {
            askBackTimeout: {
              target: 'idle',
              actions: [assign({ reason: 'ask_timed_out', candidates: [] }), speak('asking.timeout')],
            },
          },
          on: {
            REQUEST: {
              target: 'understanding',
              actions: assign(({ context, event }) => {
                const mode = event.mode ?? context.mode;
                const hint = event.language ?? context.language;
                const understood = decideReply(context, event.text, hint, event.stampNs, mode);
                return {
                  ...takeRequest(event, understood),
                  // Chosen once, plain language stays for the whole conversation.
                  plain: context.plain || event.plain === true,
                  mode,
                };
              }),
            },
            CANCEL: {
              target: 'idle',
              actions: [assign({ reason: 'ask_cancelled', candidates: [] }), speak('asking.cancelled')],
            },
            DISPATCH: { guard: 'knownPlace', target: 'dispatched', actions: 'takeDispatch' },
            PAUSE: { target: '#guide.paused', actions: { type: 'rememberPause', params: { from: 'idle' } } },
          },
        },

        escorting: {
          entry: assign({ withCustomer: true, madeWay: false, shortResumes: 0 }),
          exit: [assign({ speedLimited: false }), { type: 'setSpeedLimit', params: { mps: undefined } }],
          initial: 'moving',
          // Checked on every event, POWER included: the charge would not see the escort through.
          always: { guard: 'mustHandOver', target: 'handingOver' },
          after: {
            deskCloses: { guard: 'closesDuringEscort', actions: assign({ closedOnTheWay: true }) },
          },
          on: {
            REQUEST: { actions: busyAnswer },
            CANCEL: {
              target: 'returning',
              actions: [assign({ reason: 'cancelled' }), speak('cancelled')],
            },
            PAUSE: {
              target: '#guide.paused',
              actions: [{ type: 'rememberPause', params: { from: 'escorting' } }, speak('paused')],
            },
          },
          states: {
            moving: {
              entry: [status('escorting'), assign({ resumedAtM: ({ context }) => context.drivenM })],
              after: { steadyMoving: { actions: assign({ shortResumes: 0 }) } },
              invoke: {
                src: 'navigateTo',
                input: ({ context }) => ({
                  pose: context.byId.get(context.destinationId)!.pose,
                  destinationId: context.destinationId,
                }),
                onDone: [
                  {
                    guard: arrivedOk,
                    target: '#guide.active.arrived',
                    actions: enqueueActions(({ context, enqueue }) => {
                      const dest = context.byId.get(context.destinationId)!;
                      const desk = dest.name[context.language];
                      const base = {
                        language: context.language,
                        requestId: context.requestId,
                        style: styleOf(context),
                        choices: [],
                      };
                      const staff = context.staff.get(dest.id);
                      const d = context.decision;
                      if (staff && staff.state !== 'open') {
                        // Staff closed it while we walked (the node re-sends statuses as they end).
                        const nowNs = context.knownNowNs;
                        const helpId = helpDeskFor(context, dest.id, nowNs);
                        enqueue.assign({ reason: 'desk_closed_on_arrival' });
                        enqueue({
                          type: 'say',
                          params: {
                            ...base,
                            kind: 'arrive.closed_staff',
                            vars: staffClosureVars(context, staff, helpId, nowNs),
                          },
                        });
                      } else if (!staff && context.closedOnTheWay && d?.kind === 'escort' && d.reopensAt) {
                        const when = formatMoment(d.reopensAt, context.language);
                        enqueue({
                          type: 'say',
                          params: { ...base, kind: 'arrive.closed_now', vars: { desk, when } },
                        });
                      } else {
                        const description = dest.description?.[context.language] ?? '';
                        enqueue({
                          type: 'say',
                          params: { ...base, kind: 'arrive', vars: { desk, description } },
                        });
                      }
                    }),
                  },
                  { guard: estopStopped, target: '#guide.estopped' },
                  {
                    target: '#guide.active.returning',
                    actions: [
                      assign({ reason: ({ event }) => NAV_FAILURE_REASONS[failureCode(event.output)] }),
                      speak('nav.failed'),
                    ],
                  },
                ],
                onError: {
                  target: '#guide.active.returning',
                  actions: [assign({ reason: 'nav_failed' }), speak('nav.failed')],
                },
              },
              initial: 'unwatched',
              states: {
                // Not seen yet: just guide (no perception at all), or give them a while to get behind.
                unwatched: {
                  always: { guard: 'customerSeen', target: 'watching' },
                  after: {
                    firstSighting: {
                      guard: 'customerReported',
                      target: '#guide.active.escorting.waiting',
                      actions: [assign({ customerInView: false }), speak('escort.wait')],
                    },
                  },
                },
                // Re-entered on every report once they were seen; silence for waitForCustomer
                // means perception stopped reporting, and nobody knows where they are.
                watching: {
                  after: {
                    waitForCustomer: {
                      target: '#guide.active.escorting.waiting',
                      actions: [assign({ customerInView: false }), speak('escort.wait')],
                    },
                  },
                },
              },
              on: {
                WAY: [
                  {
                    guard: 'someoneInTheWay',
                    target: 'makingRoom',
                    actions: [assign({ madeWay: true }), speak('escort.make_way')],
                  },
                  {
                    guard: ({ event }) => event.type === 'WAY' && !event.blocked,
                    actions: assign({ madeWay: false }),
                  },
                ],
                CUSTOMER: [
                  {
                    guard: ({ context, event }) =>
                      event.visible
                        ? event.distanceBehind > context.params.waitGapM
                        : context.customerSeen && event.lostForS >= context.params.lostGraceS,
                    target: 'waiting',
                    actions: [
                      assign({
                        customerSeen: true,
                        customerReported: true,
                        customerInView: ({ event }) => event.visible,
                      }),
                      speak('escort.wait'),
                    ],
                  },
                  {
                    guard: ({ event }) => event.visible,
                    target: '.watching',
                    actions: [
                      assign({ customerSeen: true, customerReported: true }),
                      enqueueActions(({ context, event, enqueue }) => {
                        if (event.type !== 'CUSTOMER') return;
                        const lagging = event.distanceBehind > context.params.comfortGapM;
                        if (lagging && !context.speedLimited) {
                          enqueue.assign({ speedLimited: true });
                          enqueue({ type: 'setSpeedLimit', params: { mps: context.params.slowSpeedMps } });
                          enqueue({
                            type: 'say',
                            params: sayTo(context, 'escort.slow', {}),
                          });
                        } else if (!lagging && context.speedLimited) {
                          enqueue.assign({ speedLimited: false });
                          enqueue({ type: 'setSpeedLimit', params: { mps: undefined } });
                        }
                      }),
                    ],
                  },
                  // Seen before, out of sight now, not gone yet (perception judges that: the robot
                  // turning away from them at a door is no sign they left): perception is on the
                  // job, so the watch for a silent perception starts again.
                  {
                    guard: ({ context }) => context.customerSeen,
                    target: '.watching',
                    actions: assign({ customerReported: true }),
                  },
                  // Not seen yet: remember perception is on the job. Before the first sighting,
                  // go slowly: the customer starts in front and has to get behind.
                  {
                    actions: [
                      assign({ customerReported: true }),
                      enqueueActions(({ context, enqueue }) => {
                        if (context.speedLimited) return;
                        enqueue.assign({ speedLimited: true });
                        enqueue({ type: 'setSpeedLimit', params: { mps: context.params.slowSpeedMps } });
                      }),
                    ],
                  },
                ],
              },
            },
            // A tight place: someone (usually the customer, who starts in front of the robot) stands
            // where the robot must pass. It stands still, asks them to step aside and let it go
            // first, and goes on as soon as the way is clear (or after a while, to try anyway).
            // Nobody is judged lost meanwhile: the customer watch starts again on the way out.
            makingRoom: {
              after: { makeWayWait: 'moving' },
              on: {
                WAY: {
                  guard: ({ event }) => event.type === 'WAY' && !event.blocked,
                  target: 'moving',
                  // Clear again: someone else (or the same person later) in the way is asked again.
                  actions: assign({ madeWay: false }),
                },
              },
            },
            // Stopped for the customer: give them a moment, turn round to look, ask them back, and
            // give up politely when patience runs out. Seeing them close enough at any point resumes.
            // ('escort.wait' is said on the way in, so a resume from a pause does not repeat it.)
            waiting: {
              entry: [
                'cancelNavigation',
                assign({
                  speedLimited: false,
                  shortResumes: ({ context }) =>
                    context.shortResumes +
                    (context.drivenM - context.resumedAtM < context.params.shortResumeM ? 1 : 0),
                }),
                { type: 'setSpeedLimit', params: { mps: undefined } },
                status('waiting_for_customer'),
              ],
              // Stopped again and again with barely a metre between: give up as for a lost customer.
              always: {
                guard: ({ context }) => context.shortResumes > context.params.maxShortResumes,
                target: '#guide.active.returning',
                actions: [assign({ reason: 'customer_lost' }), speak('escort.lost')],
              },
              after: {
                customerPatience: {
                  target: '#guide.active.returning',
                  actions: [assign({ reason: 'customer_lost' }), speak('escort.lost')],
                },
              },
              on: {
                // Whoever is waited for may stand in front, in the way: ask them to let the robot by.
                WAY: {
                  guard: 'someoneInTheWay',
                  target: 'makingRoom',
                  actions: [assign({ madeWay: true }), speak('escort.make_way')],
                },
                CUSTOMER: [
                  {
                    guard: ({ context, event }) =>
                      event.visible && event.distanceBehind <= context.params.resumeGapM,
                    target: 'moving',
                    actions: speak('escort.resume'),
                  },
                  { actions: assign({ customerInView: ({ event }) => event.visible }) },
                ],
              },
              initial: 'holding',
              states: {
                // Most customers who drop back are only slow or stopped to read a sign. After that,
                // one still in view (far off) is asked over; one out of view is looked for first.
                holding: {
                  after: {
                    lookAfter: [{ guard: 'customerInView', target: 'asking' }, { target: 'looking' }],
                  },
                },
                looking: {
                  entry: speak('escort.look'),
                  invoke: {
                    src: 'lookAround',
                    input: ({ context }) => ({ yawRad: context.params.lookTurnRad }),
                    onDone: 'asking',
                    onError: 'asking',
                  },
                  on: {
                    // Spotted, but not yet close: stop turning (leaving cancels the turn) and ask them
                    // over. Close enough is the parent's business: it resumes the escort.
                    CUSTOMER: {
                      guard: ({ context, event }) =>
                        event.visible && event.distanceBehind > context.params.resumeGapM,
                      target: 'asking',
                    },
                  },
                },
                asking: {
                  entry: speak('escort.ask', (c) => ({ desk: deskName(c, c.destinationId) })),
                },
              },
            },
          },
        },

        // What was said on arrival was said on the way in (a resume does not say it again).
        arrived: {
          entry: [status('arrived')],
          after: { arrivalPause: { target: 'returning', actions: speak('return') } },
          on: {
            REQUEST: { actions: busyAnswer },
            CANCEL: { target: 'returning', actions: [assign({ reason: 'cancelled' }), speak('cancelled')] },
            PAUSE: {
              target: '#guide.paused',
              actions: { type: 'rememberPause', params: { from: 'arrived' } },
            },
          },
        },

        // Going home says nothing to the customer: they have been told already.
        returning: {
          entry: [assign({ withCustomer: false }), status('returning')],
          invoke: {
            src: 'navigateTo',
            input: ({ context }) => ({ pose: context.dock, destinationId: 'dock' }),
            onDone: [
              { guard: and([arrivedOk, 'wantsCharge']), target: 'docking', actions: 'homeAgain' },
              { guard: arrivedOk, target: 'home', actions: 'homeAgain' },
              { guard: estopStopped, target: '#guide.estopped' },
              { target: 'away', actions: 'homeFailed' },
            ],
            onError: { target: 'away', actions: 'homeFailed' },
          },
          on: {
            REQUEST: { actions: busyAnswer },
            DISPATCH: { guard: 'knownPlace', target: 'dispatched', actions: 'takeDispatch' },
            PAUSE: {
              target: '#guide.paused',
              actions: { type: 'rememberPause', params: { from: 'returning' } },
            },
          },
        },

        // Sent by an operator with no customer: no words, no customer watch. There it is idle
        // (at a desk, or home at the dock). A failed trip to a desk goes home; one home stops safe.
        dispatched: {
          entry: [status('dispatched')],
          invoke: {
            src: 'navigateTo',
            input: ({ context }) =>
              context.destinationId === 'dock'
                ? { pose: context.dock, destinationId: 'dock' }
                : {
                    pose: context.byId.get(context.destinationId)!.pose,
                    destinationId: context.destinationId,
                  },
            onDone: [
              {
                guard: and([arrivedOk, 'dispatchedToDock', 'wantsCharge']),
                target: 'docking',
                actions: assign({ reason: 'dispatch_arrived', homeFailures: 0, homeAnnounced: 0 }),
              },
              {
                guard: arrivedOk,
                target: 'idle',
                actions: assign({ reason: 'dispatch_arrived', homeFailures: 0, homeAnnounced: 0 }),
              },
              { guard: estopStopped, target: '#guide.estopped' },
              { guard: 'dispatchedToDock', target: 'away', actions: 'homeFailed' },
              {
                target: 'returning',
                actions: assign({ reason: ({ event }) => NAV_FAILURE_REASONS[failureCode(event.output)] }),
              },
            ],
            onError: [
              { guard: 'dispatchedToDock', target: 'away', actions: 'homeFailed' },
              { target: 'returning', actions: assign({ reason: 'nav_failed' }) },
            ],
          },
          on: {
            REQUEST: { actions: busyAnswer },
            CANCEL: { target: 'returning', actions: assign({ reason: 'cancelled' }) },
            DISPATCH: { guard: 'knownPlace', target: 'dispatched', reenter: true, actions: 'takeDispatch' },
            PAUSE: {
              target: '#guide.paused',
              actions: { type: 'rememberPause', params: { from: 'dispatched' } },
            },
          },
        },

        // Could not get home (its reason says why and whether staff are needed). Never a dead end:
        // it serves customers from where it stands (an escort from here, then home again), and
        // tries home again on its own after a wait that grows with each failure (on the node
        // clock); an operator's cancel tries at once, a dispatch sends it elsewhere.
        away: {
          entry: [
            'cancelNavigation',
            assign({
              reason: ({ context }) =>
                context.homeFailures >= context.params.returnHelpAfter
                  ? 'return_needs_help'
                  : 'return_blocked',
            }),
            status('idle'),
            // Whoever is near hears it in the three languages: at the first failure, and again
            // when staff are asked to help (not at every try).
            enqueueActions(({ context, enqueue }) => {
              const { homeFailures, homeAnnounced } = context;
              const helpAfter = Math.max(1, context.params.returnHelpAfter);
              const kind: PhraseKind | undefined =
                homeFailures >= helpAfter && homeAnnounced < helpAfter
                  ? 'return.help'
                  : homeAnnounced < 1
                    ? 'return.blocked'
                    : undefined;
              if (!kind) return;
              enqueue.assign({ homeAnnounced: homeFailures });
              for (const language of LANGUAGES) enqueue({ type: 'say', params: toAnyone(kind, language) });
            }),
          ],
          after: { homeRetry: { target: 'returning' } },
          on: {
            REQUEST: [
              { guard: 'centreClosed', actions: refuseRequest('closed', 'idle') },
              { guard: 'needsCharge', actions: refuseRequest('battery', 'idle') },
              { target: 'understanding', actions: 'takeNewRequest' },
            ],
            CANCEL: { target: 'returning' },
            DISPATCH: { guard: 'knownPlace', target: 'dispatched', actions: 'takeDispatch' },
            PAUSE: {
              target: '#guide.paused',
              actions: { type: 'rememberPause', params: { from: 'away' } },
            },
          },
        },
      },
    },

    // Standing still for an operator (who may drive by hand on /cmd_vel_teleop): leaving `active`
    // stopped every goal. A resume goes back to where it was, its goal sent again.
    paused: {
      entry: ['cancelNavigation', { type: 'setSpeedLimit', params: { mps: undefined } }, status('paused')],
      on: {
        PAUSE: {},
        REQUEST: { actions: refuse('paused') },
        // Cancelled while paused: said now, gone home on resume.
        CANCEL: {
          guard: 'pausedWithMission',
          target: 'paused',
          reenter: true,
          actions: [
            assign({ cancelledWhilePaused: true, reason: 'cancelled', reasonBeforePause: 'cancelled' }),
            enqueueActions(({ context, enqueue }) => {
              if (!WITH_CUSTOMER.includes(context.pausedFrom)) return;
              enqueue({
                type: 'say',
                params: sayTo(context, 'cancelled', {}),
              });
            }),
          ],
        },
        RESUME: [
          // Paused while stopped for a critical charge: stopped again (it moves on if charged).
          { guard: 'pausedFromCritical', target: 'batteryCritical' },
          {
            guard: 'cancelledWhilePaused',
            target: 'active.returning',
            actions: assign({ cancelledWhilePaused: false, pausedFrom: 'idle' }),
          },
          {
            target: 'active.hist',
            actions: [
              assign({
                reason: ({ context }) => context.reasonBeforePause,
                // The escort's timers start again on re-entry, counted from now.
                knownNowNs: ({ context, event }) => event.stampNs ?? context.knownNowNs,
              }),
              enqueueActions(({ context, enqueue }) => {
                if (context.pausedFrom !== 'escorting') return;
                enqueue({
                  type: 'say',
                  params: sayTo(context, 'escort.resume', {}),
                });
              }),
            ],
          },
        ],
      },
    },

    // Not sure where it is: stands still (every goal stopped on leaving `active`, as a pause does)
    // and waits for the localiser. Back in time, it goes on where it was (history); not back in
    // time, it gives the customer up politely, asks for help, and goes home once it knows again.
    localizing: {
      entry: ['cancelNavigation', { type: 'setSpeedLimit', params: { mps: undefined } }],
      initial: 'waiting',
      on: {
        LOCALIZATION: {},
        REQUEST: { actions: refuse('localizing') },
        CANCEL: {
          guard: ({ context }) => !context.homeOnRecovery,
          target: '.gaveUp',
          actions: [
            enqueueActions(({ context, enqueue }) => {
              if (context.withCustomer) enqueue({ type: 'say', params: sayTo(context, 'cancelled') });
            }),
            assign({ reason: 'cancelled', withCustomer: false, homeOnRecovery: true }),
          ],
        },
      },
      states: {
        waiting: {
          entry: status('localizing'),
          after: {
            localizationWait: {
              target: 'gaveUp',
              actions: [
                sayOrAnnounce('localization.lost'),
                assign({ reason: 'localization_lost', withCustomer: false, homeOnRecovery: true }),
              ],
            },
          },
          on: {
            LOCALIZATION: {
              guard: 'localizationBack',
              target: '#guide.active.hist',
              actions: [
                assign({ reason: ({ context }) => context.reasonBeforeLost }),
                enqueueActions(({ context, enqueue }) => {
                  if (context.withCustomer) enqueue({ type: 'say', params: sayTo(context, 'escort.resume') });
                }),
              ],
            },
          },
        },
        // Given up (or cancelled): stands still and safe until it knows where it is, then goes home.
        gaveUp: {
          entry: status('stopped_safe'),
          on: {
            LOCALIZATION: { guard: 'localizationBack', target: '#guide.active.returning' },
            REQUEST: { actions: refuse('unavailable') },
          },
        },
      },
    },

    // Critical away from the charger: stopped where it is (every goal stopped on leaving
    // `active`), customer and staff told. Put on the charger (pushed home, or plugged in) it
    // charges; charged again by other means it goes home; an operator's cancel tries home with
    // what is left, and a pause hands it to an operator to drive.
    batteryCritical: {
      entry: [
        'cancelNavigation',
        { type: 'setSpeedLimit', params: { mps: undefined } },
        assign({ reason: 'battery_critical', offDock: true }),
        status('battery_critical'),
        sayOrAnnounce('battery.critical'),
        assign({ withCustomer: false }),
      ],
      always: [
        { guard: 'onCharger', target: 'active.charging' },
        { guard: 'recoveredFromCritical', target: 'active.returning' },
      ],
      on: {
        REQUEST: { actions: refuse('battery.critical') },
        // The operator's call: home with what is left, not stopped again on the way.
        CANCEL: { target: 'active.returning', actions: assign({ criticalOverridden: true }) },
        PAUSE: { target: 'paused', actions: { type: 'rememberPause', params: { from: 'critical' } } },
      },
    },

    estopped: {
      entry: [
        'cancelNavigation',
        { type: 'setSpeedLimit', params: { mps: undefined } },
        assign({ reason: 'estop' }),
        status('estopped'),
        speak('estop'),
      ],
      on: {
        ESTOP: {},
        ESTOP_RELEASED: { target: 'active.returning' },
        REQUEST: { actions: refuse('unavailable') },
      },
    },
  },
});
