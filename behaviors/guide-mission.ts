/**
 * The guide mission: idle at the dock → understand a request → escort the customer while
 * watching that they follow → arrive and tell them about the desk → return to the dock. Every
 * failure (unknown or ambiguous place, closed desk, navigation failure, lost customer, e-stop,
 * operator cancel) has its own path and message, and every path ends stopped at the dock or
 * stopped safe.
 *
 * Pure: navigation is the injected `navigateTo` actor; speech, status, speed limit and cancel
 * are injected actions; time is the actor's clock (the node clock) through named delays; the
 * time of a request comes with the request. The machine never sees customer text after
 * understanding it and keeps only the request id, destination id and language.
 */
import { assign, enqueueActions, fromPromise, setup } from 'xstate';
import {
  createMatcher,
  detectLanguage,
  formatMoment,
  joinAlternatives,
  openingStatus,
  type AnyPhraseVars,
  type Matcher,
  type OpeningMoment,
  type PhraseKind,
} from '../src/interaction/index.js';
import type { Destination, Language } from '../src/map/index.js';
import type { NavErrorCode } from '../src/navigation/index.js';
import { distance, type Pose2D } from '../src/ros/index.js';
import { GUIDE_STATES, type GuideState } from '../src/interfaces/index.js';
import { MissionError } from './errors.js';
import { NAV_FAILURE_REASONS, type MissionReason } from './mission-reasons.js';

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
  /** A customer asks (kiosk or speech). `stampNs` is node time when it arrived (for opening hours). */
  | { type: 'REQUEST'; requestId: string; text: string; language?: Language; stampNs: bigint }
  /** The escorted customer as perception sees them. */
  | { type: 'CUSTOMER'; visible: boolean; distanceBehind: number; lostForS: number }
  /** The e-stop is latched (sent again while it stays latched; repeats are ignored). */
  | { type: 'ESTOP' }
  | { type: 'ESTOP_RELEASED' }
  /** An operator cancels the guidance (or, when stopped safe, asks the robot to try going home again). */
  | { type: 'CANCEL' };
export type GuideEventType = GuideEvent['type'];

/** What the mission is doing, as /guide/status says it (the message's state values). */
export const MISSION_STATES = GUIDE_STATES;
export type MissionState = GuideState;

export interface GuideParams {
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
}

export const DEFAULT_GUIDE_PARAMS: GuideParams = {
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
  /** Destination ids offered as examples when a place is unknown (default: the first three). */
  exampleIds?: readonly string[];
}

/** Params of the injected `say` action: one utterance to the customer of `requestId`. */
export interface SayParams {
  kind: PhraseKind;
  language: Language;
  requestId: string;
  vars: AnyPhraseVars;
}
/** Params of the injected `publishStatus` action (entry of every state). */
export interface StatusParams {
  state: MissionState;
  requestId: string;
  destinationId: string;
  reason: MissionReason;
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
  | { kind: 'unknown' }
  | { kind: 'ambiguous'; candidates: string[] }
  | { kind: 'closed'; destinationId: string; opensAt?: OpeningMoment }
  | {
      kind: 'escort';
      destinationId: string;
      /** ms from the request until the desk closes, if it closes within the coming week. */
      closesInMs?: number;
      /** When it opens again after that closing. */
      reopensAt?: OpeningMoment;
    };

export interface GuideContext {
  destinations: readonly Destination[];
  byId: ReadonlyMap<string, Destination>;
  match: Matcher;
  dock: Pose2D;
  timezone: string;
  params: GuideParams;
  exampleIds: readonly string[];

  requestId: string;
  destinationId: string;
  language: Language;
  reason: MissionReason;
  decision?: Decision;
  /** The desk's closing time passed during the escort. */
  closedOnTheWay: boolean;
  /** A customer has been seen during this escort (from then on, silence means they are gone). */
  customerSeen: boolean;
  /** Perception has reported on the customer during this escort (seen or not). */
  customerReported: boolean;
  /** The customer was in view at the last report (while waiting: no need to turn and look). */
  customerInView: boolean;
  speedLimited: boolean;
}

const NS_PER_MS = 1_000_000n;

function decide(ctx: GuideContext, text: string, hint: Language | undefined, stampNs: bigint) {
  const m = ctx.match(text, hint);
  if (m.kind === 'none') return { language: m.language, decision: { kind: 'unknown' } as Decision };
  if (m.kind === 'ambiguous') {
    return { language: m.language, decision: { kind: 'ambiguous', candidates: m.candidates } as Decision };
  }
  const dest = ctx.byId.get(m.destinationId)!;
  let decision: Decision = { kind: 'escort', destinationId: dest.id };
  try {
    const now = openingStatus(dest, stampNs, ctx.timezone);
    if (!now.open) {
      decision = { kind: 'closed', destinationId: dest.id, ...(now.opensAt ? { opensAt: now.opensAt } : {}) };
    } else if (now.closesAt) {
      const after = openingStatus(dest, now.closesAt.epochNs, ctx.timezone);
      decision = {
        kind: 'escort',
        destinationId: dest.id,
        closesInMs: Number((now.closesAt.epochNs - stampNs) / NS_PER_MS),
        ...(!after.open && after.opensAt ? { reopensAt: after.opensAt } : {}),
      };
    }
  } catch {
    // A bad time zone is caught when the mission starts; should one slip through, guide anyway.
  }
  return { language: m.language, decision };
}

function deskName(ctx: GuideContext, id: string): string {
  return ctx.byId.get(id)?.name[ctx.language] ?? id;
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
    }),
  };
}

/** A `say` action to the current customer, in their language; `vars` are read from context. */
function speak(kind: PhraseKind, vars?: (context: GuideContext) => AnyPhraseVars) {
  return {
    type: 'say' as const,
    params: ({ context }: { context: GuideContext }): SayParams => ({
      kind,
      language: context.language,
      requestId: context.requestId,
      vars: vars ? vars(context) : {},
    }),
  };
}

/** Answers a request that arrives while the robot cannot take it, in that customer's language. */
function refuse(kind: 'busy' | 'unavailable') {
  return {
    type: 'say' as const,
    params: ({ event }: { event: GuideEvent }): SayParams => {
      const request = event.type === 'REQUEST' ? event : undefined;
      return {
        kind,
        language: detectLanguage(request?.text ?? '', request?.language),
        requestId: request?.requestId ?? '',
        vars: {},
      };
    },
  };
}

const NEVER_MS = 2_147_483_647; // setTimeout's ceiling; only used behind a guard.

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
  },
  guards: {
    decidedUnknown: ({ context }) => context.decision?.kind === 'unknown',
    decidedAmbiguous: ({ context }) => context.decision?.kind === 'ambiguous',
    decidedClosed: ({ context }) => context.decision?.kind === 'closed',
    customerSeen: ({ context }) => context.customerSeen,
    customerReported: ({ context }) => context.customerReported,
    customerInView: ({ context }) => context.customerInView,
    closesDuringEscort: ({ context }) =>
      context.decision?.kind === 'escort' && context.decision.closesInMs !== undefined,
  },
  delays: {
    customerPatience: ({ context }) => context.params.customerPatienceS * 1000,
    waitForCustomer: ({ context }) => context.params.waitForCustomerS * 1000,
    firstSighting: ({ context }) => context.params.firstSightingS * 1000,
    arrivalPause: ({ context }) => context.params.arrivalPauseS * 1000,
    lookAfter: ({ context }) => context.params.lookAfterS * 1000,
    deskCloses: ({ context }) =>
      context.decision?.kind === 'escort' && context.decision.closesInMs !== undefined
        ? Math.min(NEVER_MS, Math.max(0, context.decision.closesInMs))
        : NEVER_MS,
  },
}).createMachine({
  id: 'guide',
  context: ({ input }) => {
    const params = validateGuideParams({ ...DEFAULT_GUIDE_PARAMS, ...input.params });
    const byId = new Map(input.destinations.map((d) => [d.id, d]));
    const examples = (input.exampleIds ?? input.destinations.slice(0, 3).map((d) => d.id)).filter((id) =>
      byId.has(id),
    );
    return {
      destinations: input.destinations,
      byId,
      match: createMatcher(input.destinations),
      dock: input.dock,
      timezone: input.timezone,
      params,
      exampleIds: examples,
      requestId: '',
      destinationId: '',
      language: 'fi',
      reason: '',
      closedOnTheWay: false,
      customerSeen: false,
      customerReported: false,
      customerInView: false,
      speedLimited: false,
    };
  },
  initial: 'idle',
  on: {
    // Latched e-stop wins everywhere; `estopped` itself ignores repeats.
    ESTOP: { target: '.estopped' },
  },
  states: {
    idle: {
      entry: [status('idle')],
      on: {
        REQUEST: {
          target: 'understanding',
          actions: assign(({ context, event }) => {
            const { language, decision } = decide(context, event.text, event.language, event.stampNs);
            return {
              requestId: event.requestId,
              language,
              decision,
              destinationId:
                decision.kind === 'escort' || decision.kind === 'closed' ? decision.destinationId : '',
              reason: '' as MissionReason,
              closedOnTheWay: false,
              customerSeen: false,
              customerReported: false,
              customerInView: false,
              speedLimited: false,
            };
          }),
        },
      },
    },

    understanding: {
      entry: [status('understanding')],
      always: [
        {
          guard: 'decidedUnknown',
          target: 'idle',
          actions: [
            assign({ reason: 'unknown_destination' }),
            speak('unknown', (c) => ({
              examples: joinAlternatives(
                c.exampleIds.map((id) => deskName(c, id)),
                c.language,
              ),
            })),
          ],
        },
        {
          guard: 'decidedAmbiguous',
          target: 'idle',
          actions: [
            assign({ reason: 'ambiguous_destination' }),
            speak('ambiguous', (c) => ({
              options: joinAlternatives(
                c.decision?.kind === 'ambiguous' ? c.decision.candidates.map((id) => deskName(c, id)) : [],
                c.language,
              ),
            })),
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
              const base = { language: context.language, requestId: context.requestId };
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
        { target: 'escorting' },
      ],
    },

    escorting: {
      entry: [
        speak('escort.start', (c) => ({
          desk: deskName(c, c.destinationId),
          minutes: minutesTo(c, c.byId.get(c.destinationId)!),
        })),
      ],
      exit: [{ type: 'setSpeedLimit', params: { mps: undefined } }],
      initial: 'moving',
      after: {
        deskCloses: { guard: 'closesDuringEscort', actions: assign({ closedOnTheWay: true }) },
      },
      on: {
        REQUEST: { actions: refuse('busy') },
        CANCEL: {
          target: 'returning',
          actions: [assign({ reason: 'cancelled' }), speak('cancelled')],
        },
      },
      states: {
        moving: {
          entry: [status('escorting')],
          invoke: {
            src: 'navigateTo',
            input: ({ context }) => ({
              pose: context.byId.get(context.destinationId)!.pose,
              destinationId: context.destinationId,
            }),
            onDone: [
              { guard: ({ event }) => event.output.code === 'NONE', target: '#guide.arrived' },
              { guard: ({ event }) => event.output.code === 'STOPPED', target: '#guide.estopped' },
              {
                target: '#guide.returning',
                actions: [
                  assign({ reason: ({ event }) => NAV_FAILURE_REASONS[failureCode(event.output)] }),
                  speak('nav.failed'),
                ],
              },
            ],
            onError: {
              target: '#guide.returning',
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
                  target: '#guide.escorting.waiting',
                  actions: assign({ customerInView: false }),
                },
              },
            },
            // Re-entered on every sighting; silence for waitForCustomer means they are gone.
            watching: {
              after: {
                waitForCustomer: {
                  target: '#guide.escorting.waiting',
                  actions: assign({ customerInView: false }),
                },
              },
            },
          },
          on: {
            CUSTOMER: [
              {
                guard: ({ context, event }) =>
                  event.visible
                    ? event.distanceBehind > context.params.waitGapM
                    : context.customerSeen && event.lostForS >= context.params.lostGraceS,
                target: 'waiting',
                actions: assign({
                  customerSeen: true,
                  customerReported: true,
                  customerInView: ({ event }) => event.visible,
                }),
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
                        params: {
                          kind: 'escort.slow',
                          language: context.language,
                          requestId: context.requestId,
                          vars: {},
                        },
                      });
                    } else if (!lagging && context.speedLimited) {
                      enqueue.assign({ speedLimited: false });
                      enqueue({ type: 'setSpeedLimit', params: { mps: undefined } });
                    }
                  }),
                ],
              },
              // Not seen right now, not gone yet: remember perception is on the job. Before the
              // first sighting, go slowly: the customer starts in front and has to get behind.
              {
                actions: [
                  assign({ customerReported: true }),
                  enqueueActions(({ context, enqueue }) => {
                    if (context.customerSeen || context.speedLimited) return;
                    enqueue.assign({ speedLimited: true });
                    enqueue({ type: 'setSpeedLimit', params: { mps: context.params.slowSpeedMps } });
                  }),
                ],
              },
            ],
          },
        },
        // Stopped for the customer: give them a moment, turn round to look, ask them back, and
        // give up politely when patience runs out. Seeing them close enough at any point resumes.
        waiting: {
          entry: [
            'cancelNavigation',
            assign({ speedLimited: false }),
            { type: 'setSpeedLimit', params: { mps: undefined } },
            status('waiting_for_customer'),
            speak('escort.wait'),
          ],
          after: {
            customerPatience: {
              target: '#guide.returning',
              actions: [assign({ reason: 'customer_lost' }), speak('escort.lost')],
            },
          },
          on: {
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
              after: { lookAfter: [{ guard: 'customerInView', target: 'asking' }, { target: 'looking' }] },
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

    arrived: {
      entry: [
        status('arrived'),
        enqueueActions(({ context, enqueue }) => {
          const dest = context.byId.get(context.destinationId)!;
          const desk = dest.name[context.language];
          const base = { language: context.language, requestId: context.requestId };
          const d = context.decision;
          if (context.closedOnTheWay && d?.kind === 'escort' && d.reopensAt) {
            const when = formatMoment(d.reopensAt, context.language);
            enqueue({ type: 'say', params: { ...base, kind: 'arrive.closed_now', vars: { desk, when } } });
          } else {
            const description = dest.description?.[context.language] ?? '';
            enqueue({ type: 'say', params: { ...base, kind: 'arrive', vars: { desk, description } } });
          }
        }),
      ],
      after: { arrivalPause: { target: 'returning', actions: speak('return') } },
      on: {
        REQUEST: { actions: refuse('busy') },
        CANCEL: { target: 'returning', actions: [assign({ reason: 'cancelled' }), speak('cancelled')] },
      },
    },

    // Going home says nothing to the customer: they have been told already.
    returning: {
      entry: [status('returning')],
      invoke: {
        src: 'navigateTo',
        input: ({ context }) => ({ pose: context.dock, destinationId: 'dock' }),
        onDone: [
          { guard: ({ event }) => event.output.code === 'NONE', target: 'idle' },
          { guard: ({ event }) => event.output.code === 'STOPPED', target: 'estopped' },
          { target: 'stoppedSafe', actions: assign({ reason: 'return_failed' }) },
        ],
        onError: { target: 'stoppedSafe', actions: assign({ reason: 'return_failed' }) },
      },
      on: { REQUEST: { actions: refuse('busy') } },
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
        ESTOP_RELEASED: { target: 'returning' },
        REQUEST: { actions: refuse('unavailable') },
      },
    },

    // Could not get home: stands still until an operator acts (CANCEL = try going home again).
    stoppedSafe: {
      entry: ['cancelNavigation', status('stopped_safe')],
      on: {
        CANCEL: { target: 'returning' },
        REQUEST: { actions: refuse('unavailable') },
      },
    },
  },
});
