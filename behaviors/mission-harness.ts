/**
 * The guide mission under test: a site of a few desks, and the machine with every side effect
 * recorded (navigation, docking and turning are test doubles the test ends by hand or queues
 * results for; actions go to lists). Time is XState's SimulatedClock. Shared by the mission's
 * test files.
 */
import { SimulatedClock, createActor, fromPromise } from 'xstate';
import type { Directions } from '../src/interaction/index.js';
import type { Destination, Language } from '../src/map/index.js';
import type { NavErrorCode } from '../src/navigation/index.js';
import {
  guideMission,
  type GuideEvent,
  type GuideInput,
  type LookInput,
  type MissionState,
  type NavGoal,
  type NavResult,
  type SayParams,
  type StatusParams,
} from './guide-mission.js';

export const weekday = [{ open: 8 * 60, close: 16 * 60 }];
export const officeHours = { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday };

export function place(
  id: string,
  fi: string,
  sv: string,
  en: string,
  x: number,
  extra: Partial<Destination> = {},
): Destination {
  return {
    id,
    name: { fi, sv, en },
    aliases: { fi: [], sv: [], en: [] },
    organisation: 'test',
    pose: { x, y: 2, yaw: 0 },
    services: [],
    ...extra,
  };
}

export const DESTINATIONS: Destination[] = [
  place('kela', 'Kela', 'FPA', 'Kela', 48, {
    hours: officeHours,
    description: { fi: 'Etuudet ja eläkkeet.', sv: 'Förmåner och pensioner.', en: 'Benefits and pensions.' },
  }),
  place('library', 'Iso Omenan kirjasto', 'Iso Omena bibliotek', 'Iso Omena Library', 150),
  place('health-station', 'Matinkylän terveysasema', 'Mattby hälsostation', 'Matinkylä health station', 30, {
    hours: officeHours,
  }),
  place('mental-health', 'Mielenterveyspalvelut', 'Mentalvård', 'Mental health services', 35, {
    hours: officeHours,
  }),
];
export const DOCK = { x: 0, y: 0, yaw: 0 };
export const INPUT: GuideInput = { destinations: DESTINATIONS, dock: DOCK, timezone: 'Europe/Helsinki' };

/** Epoch ns of an ISO time: a Thursday morning in Espoo unless a test says otherwise. */
export const at = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;
export const THURSDAY_10 = at('2026-11-26T10:00:00+02:00');
export const HOUR_NS = 3_600_000_000_000n;

export const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface PendingNav {
  goal: NavGoal;
  signal: AbortSignal;
  finish(result: NavResult): void;
}

/**
 * The machine with every side effect recorded: a navigateTo test double that the test finishes
 * by hand, and the actions written to lists. Time is XState's SimulatedClock.
 */
export function startMission(input: GuideInput = INPUT) {
  const clock = new SimulatedClock();
  const said: SayParams[] = [];
  const statuses: StatusParams[] = [];
  const speedLimits: Array<number | undefined> = [];
  const goals: NavGoal[] = [];
  const pending: PendingNav[] = [];
  let navCancels = 0;
  /** Turns to look: the test ends them by hand, like navigations. */
  const looks: Array<{ input: LookInput; signal: AbortSignal; finish(result: NavResult): void }> = [];
  const lookAroundDouble = fromPromise<NavResult, LookInput>(
    ({ input: look, signal }) =>
      new Promise<NavResult>((resolve) => looks.push({ input: look, signal, finish: resolve })),
  );

  /** Dockings: each ends at once with the next code queued in `dockResults` (default: docked). */
  const dockResults: NavErrorCode[] = [];
  let docks = 0;
  const dockAtDouble = fromPromise<NavResult, NavGoal>(() => {
    docks++;
    return Promise.resolve({ code: dockResults.shift() ?? 'NONE', detail: '' });
  });
  /** The way from here, as the node would plan it: none unless a test sets `wayFromHere.next`. */
  const wayFromHere: { next?: Directions; asked: string[] } = { asked: [] };
  const wayFromHereDouble = fromPromise<Directions | undefined, { destinationId: string }>(({ input }) => {
    wayFromHere.asked.push(input.destinationId);
    return Promise.resolve(wayFromHere.next);
  });
  const navigateToDouble = fromPromise<NavResult, NavGoal>(
    ({ input: goal, signal }) =>
      new Promise<NavResult>((resolve) => {
        goals.push(goal);
        pending.push({ goal, signal, finish: resolve });
      }),
  );
  const actor = createActor(
    guideMission.provide({
      actors: {
        navigateTo: navigateToDouble,
        lookAround: lookAroundDouble,
        dockAt: dockAtDouble,
        wayFromHere: wayFromHereDouble,
      },
      actions: {
        say: (_, p) => said.push(p),
        publishStatus: (_, p) => statuses.push(p),
        setSpeedLimit: (_, p) => speedLimits.push(p.mps),
        cancelNavigation: () => navCancels++,
      },
    }),
    { input, clock },
  );
  actor.start();

  const h = {
    actor,
    clock,
    dockResults,
    wayFromHere,
    get docks() {
      return docks;
    },
    said,
    statuses,
    speedLimits,
    goals,
    get navCancels() {
      return navCancels;
    },
    send: (e: GuideEvent) => actor.send(e),
    request: (
      text: string,
      language?: Language,
      stampNs = THURSDAY_10,
      requestId = 'r1',
      how: { plain?: boolean; mode?: 'escort' | 'directions' } = {},
    ) => actor.send({ type: 'REQUEST', requestId, text, stampNs, ...how, ...(language ? { language } : {}) }),
    customer: (visible: boolean, distanceBehind: number, lostForS = 0) =>
      actor.send({ type: 'CUSTOMER', visible, distanceBehind, lostForS }),
    /** Finishes the oldest navigation that is still running. */
    async finishNav(code: NavErrorCode = 'NONE', detail = '') {
      const nav = pending.find((p) => !p.signal.aborted);
      if (!nav) throw new Error('no navigation is running');
      pending.splice(pending.indexOf(nav), 1);
      nav.finish({ code, detail });
      await flush();
      return nav.goal;
    },
    activeNavs: () => pending.filter((p) => !p.signal.aborted),
    looks,
    activeLooks: () => looks.filter((l) => !l.signal.aborted),
    /** Ends the turn to look that is still running. */
    async finishLook(code: NavErrorCode = 'NONE') {
      const look = looks.find((l) => !l.signal.aborted);
      if (!look) throw new Error('no turn to look is running');
      looks.splice(looks.indexOf(look), 1);
      look.finish({ code, detail: '' });
      await flush();
    },
    async advance(ms: number) {
      clock.increment(ms);
      await flush();
    },
    state: (): MissionState => statuses.at(-1)!.state,
    kinds: () => said.map((s) => s.kind),
    stateTrail: () => statuses.map((s) => s.state),
  };
  return h;
}
