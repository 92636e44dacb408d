/**
 * Binds the guide mission machine to the node graph: requests, customer sightings and the
 * safety state come in as events; navigation goes through the navigation port it is given (the
 * NavigateToPose and Spin actions, to the robot's own servers or to Nav2's); speech, status and
 * speed limits go out as topics. Every delay of the machine runs on the node clock.
 *
 * | direction | name | type |
 * |---|---|---|
 * | in  | /guide/request | medhjalparen_msgs/msg/GuideRequest |
 * | in  | /guide/customer | medhjalparen_msgs/msg/CustomerFollow |
 * | in  | /safety/state | medhjalparen_msgs/msg/SafetyState |
 * | in  | /guide/desk_status | medhjalparen_msgs/msg/DeskStatusArray (latched: transient_local) |
 * | in  | /guide/cancel | std_srvs/srv/Trigger (service) |
 * | in  | /guide/dispatch | medhjalparen_msgs/srv/Dispatch (service: a destination id or 'dock') |
 * | in  | /guide/pause | std_srvs/srv/SetBool (service: true pauses, false resumes) |
 * | in  | /localization/status | medhjalparen_msgs/msg/LocalizationStatus (lost: stand still; uncertain: slow) |
 * | in  | /people, /tf | people_msgs/msg/People, map → base_link (someone in the way in a tight place) |
 * | in  | /battery, /odom | sensor_msgs/msg/BatteryState, nav_msgs/msg/Odometry (the charge under load) |
 * | out | /navigate_to_pose | nav2_msgs/action/NavigateToPose (client, through the navigation port) |
 * | out | /spin | nav2_msgs/action/Spin (client, through the port: turning to look for a lost customer) |
 * | out | /dock_robot | nav2_msgs/action/DockRobot (client, through the port: onto the charging contacts) |
 * | out | /guide/say | medhjalparen_msgs/msg/Utterance |
 * | out | /guide/status | medhjalparen_msgs/msg/GuideStatus (on change and at 1 Hz) |
 * | out | /speed_limit | nav2_msgs/msg/SpeedLimit |
 */
import { createActor, fromPromise, type Actor } from 'xstate';
import { assertTimezone, say as renderPhrase, type Directions } from '../src/interaction/index.js';
import { LANGUAGES, type Language, type Site } from '../src/map/index.js';
import {
  declareParams,
  durationMsgToSeconds,
  header,
  nodeActorClock,
  TransformBuffer,
  type Pose2D,
  type RosNode,
  type SetBoolRequest,
  type SetBoolResponse,
  type Timer,
} from '../src/ros/index.js';
import {
  type CustomerFollow,
  type DeskStatusArray,
  type DispatchRequest,
  type DispatchResponse,
  type GuideRequest,
  type GuideStatus,
  type LocalizationStatus,
  type SafetyState,
  LOCALIZATION_STATES,
} from '../src/interfaces/index.js';
import { readDeskStatuses, staffStatusApplies, type StaffDeskStatus } from './desk-status.js';
import { MissionError } from './errors.js';
import { reasonText, type MissionReason } from './mission-reasons.js';
import { internalNavigation, type NavigationPort } from './navigation-port.js';
import { watchTheWay } from './way-watch.js';
import { watchCentreHours } from './centre-hours-watch.js';
import { watchPower } from './power-watch.js';
import { DEFAULT_ROBOT, type RobotDescription } from '../src/robot-description.js';
import { watchDistanceDriven } from './odometer.js';
import {
  DEFAULT_GUIDE_PARAMS,
  guideMission,
  validateGuideParams,
  type GuideEvent,
  type GuideParams,
  type LookInput,
  type NavGoal,
  type NavResult,
  type StatusParams,
} from './guide-mission.js';

export interface MissionDeps {
  site: Site;
  /**
   * The way from the dock to each destination (the directions book), said in words to a customer
   * who walks alone; without it (or without a destination's entry) only the minutes are said.
   */
  directions?: ReadonlyMap<string, Directions>;
  /**
   * How the mission moves the robot (default: the robot's own navigator and behaviour server,
   * internalNavigation). The mission stops it when it stops.
   */
  navigation?: NavigationPort;
  /** The robot's body and battery (the charge a trip takes). Default DEFAULT_ROBOT. */
  robot?: RobotDescription;
  /**
   * The way in words from a pose to a destination (planned on the site's map), for a customer
   * the robot must leave mid-escort. Without it they are sent to staff.
   */
  wayFrom?: (from: Pose2D, destinationId: string) => Directions | undefined;
}

export interface RunningMission {
  readonly actor: Actor<typeof guideMission>;
  /** The last status published (also what the 1 Hz repeat sends). */
  status(): GuideStatus;
  /** Stops the machine and cancels any navigation; later messages are ignored. */
  stop(): void;
}

const STATUS_PERIOD_NS = 1_000_000_000n;
/** Reasons an operator must hear of at once (logged as a warning, in plain words). */
const OPERATOR_REASONS: ReadonlySet<string> = new Set<MissionReason>([
  'return_blocked',
  'return_needs_help',
  'localizing',
  'localization_lost',
  'battery_unreliable',
  'battery_critical',
  'dock_failed',
]);

/** ROS parameters `guide.<name>` (snake_case) with the machine's defaults; units in GuideParams. */
const PARAM_DEFAULTS = {
  comfort_gap_m: DEFAULT_GUIDE_PARAMS.comfortGapM,
  wait_gap_m: DEFAULT_GUIDE_PARAMS.waitGapM,
  resume_gap_m: DEFAULT_GUIDE_PARAMS.resumeGapM,
  lost_grace_s: DEFAULT_GUIDE_PARAMS.lostGraceS,
  slow_speed_mps: DEFAULT_GUIDE_PARAMS.slowSpeedMps,
  walking_speed_mps: DEFAULT_GUIDE_PARAMS.walkingSpeedMps,
  detour_factor: DEFAULT_GUIDE_PARAMS.detourFactor,
  customer_patience_s: DEFAULT_GUIDE_PARAMS.customerPatienceS,
  wait_for_customer_s: DEFAULT_GUIDE_PARAMS.waitForCustomerS,
  first_sighting_s: DEFAULT_GUIDE_PARAMS.firstSightingS,
  arrival_pause_s: DEFAULT_GUIDE_PARAMS.arrivalPauseS,
  look_after_s: DEFAULT_GUIDE_PARAMS.lookAfterS,
  look_turn_rad: DEFAULT_GUIDE_PARAMS.lookTurnRad,
  ask_back_timeout_s: DEFAULT_GUIDE_PARAMS.askBackTimeoutS,
  return_retry_s: DEFAULT_GUIDE_PARAMS.returnRetryS,
  return_retry_max_s: DEFAULT_GUIDE_PARAMS.returnRetryMaxS,
  return_help_after: DEFAULT_GUIDE_PARAMS.returnHelpAfter,
  localization_wait_s: DEFAULT_GUIDE_PARAMS.localizationWaitS,
  make_way_wait_s: DEFAULT_GUIDE_PARAMS.makeWayWaitS,
  max_short_resumes: DEFAULT_GUIDE_PARAMS.maxShortResumes,
  short_resume_m: DEFAULT_GUIDE_PARAMS.shortResumeM,
  steady_moving_s: DEFAULT_GUIDE_PARAMS.steadyMovingS,
  low_charge: DEFAULT_GUIDE_PARAMS.lowCharge,
  resume_charge: DEFAULT_GUIDE_PARAMS.resumeCharge,
  critical_charge: DEFAULT_GUIDE_PARAMS.criticalCharge,
  trip_reserve: DEFAULT_GUIDE_PARAMS.tripReserve,
  contact_wait_s: DEFAULT_GUIDE_PARAMS.contactWaitS,
  dock_tries: DEFAULT_GUIDE_PARAMS.dockTries,
  /** While the localiser is 'uncertain', the robot keeps to this speed (m/s). */
  uncertain_speed_mps: 0.3,
  /** The turn to look may take this long before the robot asks anyway (s). */
  look_time_allowance_s: 20,
  /** A battery reading bad this long (s) makes the battery unreliable: no escorts until it is good. */
  battery_unreliable_after_s: 10,
};

interface NodeOnlyParams {
  lookTimeAllowanceS: number;
  batteryUnreliableAfterS: number;
  uncertainSpeedMps: number;
}

function readParams(node: RosNode): GuideParams & NodeOnlyParams {
  const p = validateGuideParams(
    declareParams(node, 'guide', PARAM_DEFAULTS),
    `${node.name()}: parameter guide`,
  );
  return {
    comfortGapM: p.comfort_gap_m,
    waitGapM: p.wait_gap_m,
    resumeGapM: p.resume_gap_m,
    lostGraceS: p.lost_grace_s,
    slowSpeedMps: p.slow_speed_mps,
    walkingSpeedMps: p.walking_speed_mps,
    detourFactor: p.detour_factor,
    customerPatienceS: p.customer_patience_s,
    waitForCustomerS: p.wait_for_customer_s,
    firstSightingS: p.first_sighting_s,
    arrivalPauseS: p.arrival_pause_s,
    lookAfterS: p.look_after_s,
    lookTurnRad: p.look_turn_rad,
    askBackTimeoutS: p.ask_back_timeout_s,
    returnRetryS: p.return_retry_s,
    returnRetryMaxS: p.return_retry_max_s,
    returnHelpAfter: p.return_help_after,
    localizationWaitS: p.localization_wait_s,
    makeWayWaitS: p.make_way_wait_s,
    maxShortResumes: p.max_short_resumes,
    shortResumeM: p.short_resume_m,
    steadyMovingS: p.steady_moving_s,
    lowCharge: p.low_charge,
    resumeCharge: p.resume_charge,
    criticalCharge: p.critical_charge,
    tripReserve: p.trip_reserve,
    contactWaitS: p.contact_wait_s,
    dockTries: p.dock_tries,
    lookTimeAllowanceS: p.look_time_allowance_s,
    batteryUnreliableAfterS: p.battery_unreliable_after_s,
    uncertainSpeedMps: p.uncertain_speed_mps,
  };
}

function asLanguage(value: unknown): Language | undefined {
  return LANGUAGES.find((l) => l === value);
}

/** Starts the guide mission on `node`. Throws MissionError at start for a site it cannot serve. */
export function startGuideMission(node: RosNode, deps: MissionDeps): RunningMission {
  const { site } = deps;
  const log = node.getLogger();
  try {
    assertTimezone(site.timezone);
  } catch (e) {
    throw new MissionError('SITE_INVALID', `${site.dir}/site.yaml:timezone`, (e as Error).message);
  }
  const { lookTimeAllowanceS, uncertainSpeedMps, batteryUnreliableAfterS, ...params } = readParams(node);
  const robot = deps.robot ?? DEFAULT_ROBOT;

  const sayPub = node.createPublisher('medhjalparen_msgs/msg/Utterance', '/guide/say');
  const statusPub = node.createPublisher('medhjalparen_msgs/msg/GuideStatus', '/guide/status');
  const speedPub = node.createPublisher('nav2_msgs/msg/SpeedLimit', '/speed_limit');
  const navigation = deps.navigation ?? internalNavigation(node);
  let stopped = false;
  let lastLocalization = '';
  /** The machine's speed limit (m/s; undefined: none) and the localiser's say ('uncertain' slows). */
  let missionLimit: number | undefined;
  let uncertain = false;
  const publishSpeedLimit = () => {
    const limits = [missionLimit, uncertain ? uncertainSpeedMps : undefined].filter(
      (v): v is number => v !== undefined,
    );
    speedPub.publish({
      header: header('', node.now()),
      percentage: false,
      // Nav2: 0 means no limit.
      speed_limit: limits.length > 0 ? Math.min(...limits) : 0,
    });
  };

  let lastStatus: GuideStatus = {
    header: header('', node.now()),
    state: 'idle',
    request_id: '',
    destination_id: '',
    reason: '',
    why: '',
  };
  const publishStatus = (p: StatusParams) => {
    // Trouble an operator must hear of is logged once, in plain words, as it starts.
    if (OPERATOR_REASONS.has(p.reason) && p.reason !== lastStatus.reason) {
      log.warn('guide mission needs attention', { reason: p.reason, means: reasonText(p.reason) });
    }
    lastStatus = {
      header: header('', node.now()),
      state: p.state,
      request_id: p.requestId,
      destination_id: p.destinationId,
      reason: p.reason,
      why: p.why,
    };
    statusPub.publish(lastStatus);
  };

  const cancelAll = () => navigation.cancelAll();

  /**
   * A trip that did not get there, logged for operators (the customer hears 'nav.failed'): the
   * server's code by name and number, and its words, are in `detail`. An e-stop is no code of
   * Nav2's: the mission hears of it from the gate (ESTOP), whichever stack navigates.
   */
  const failed = (goal: NavGoal, result: NavResult): NavResult => {
    if (result.code !== 'NONE' && result.code !== 'CANCELLED')
      log.warn('navigation failed', {
        destination_id: goal.destinationId,
        code: result.code,
        detail: result.detail,
      });
    return result;
  };

  const navigateTo = fromPromise<NavResult, NavGoal>(async ({ input, signal }) =>
    failed(input, await navigation.navigateTo(input, signal)),
  );

  /** Turning to look; a turn that fails is logged and the machine asks anyway. */
  const lookAround = fromPromise<NavResult, LookInput>(async ({ input, signal }) => {
    const result = await navigation.turn(input.yawRad, lookTimeAllowanceS, signal);
    if (result.code !== 'NONE' && result.code !== 'CANCELLED')
      log.warn('turning to look failed', { code: result.code, detail: result.detail });
    return result;
  });

  /** Onto the charging contacts; a docking that fails is logged (the machine counts the tries). */
  const dockAt = fromPromise<NavResult, NavGoal>(async ({ input, signal }) => {
    const result = await navigation.dock(input.pose, signal);
    if (result.code !== 'NONE' && result.code !== 'CANCELLED')
      log.warn('docking failed', { code: result.code, detail: result.detail });
    return result;
  });

  // Created before the actors that read it (the way from here needs the robot's pose).
  const tf = TransformBuffer.listen(node);
  const wayFromHere = fromPromise<Directions | undefined, { destinationId: string }>(({ input }) => {
    const here = tf.lookup('map', 'base_link')?.pose;
    return Promise.resolve(here && deps.wayFrom ? deps.wayFrom(here, input.destinationId) : undefined);
  });

  /** A failing output must not take the mission down: log it (without customer text) and go on. */
  const guarded =
    <A extends unknown[]>(what: string, fn: (...args: A) => void) =>
    (...args: A) => {
      try {
        fn(...args);
      } catch (e) {
        log.error(`guide mission: ${what} failed`, { error: (e as Error).message });
      }
    };

  const machine = guideMission.provide({
    actors: { navigateTo, lookAround, dockAt, wayFromHere },
    actions: {
      say: guarded('say', (_, p) => {
        const text = renderPhrase(p.kind, p.language, p.vars, p.style);
        sayPub.publish({
          request_id: p.requestId,
          language: p.language,
          kind: p.kind,
          text,
          plain: p.style === 'plain',
          choices: [...p.choices],
        });
        log.info('guide says', {
          request_id: p.requestId,
          kind: p.kind,
          language: p.language,
          plain: p.style === 'plain',
          choices: p.choices.join(' '),
        });
      }),
      publishStatus: guarded('publishStatus', (_, p) => publishStatus(p)),
      setSpeedLimit: guarded('setSpeedLimit', (_, p) => {
        missionLimit = p.mps;
        publishSpeedLimit();
      }),
      cancelNavigation: guarded('cancelNavigation', cancelAll),
    },
  });

  const actor = createActor(machine, {
    clock: nodeActorClock(node),
    input: {
      destinations: site.destinations,
      dock: site.dock,
      timezone: site.timezone,
      params,
      ...(site.helpDesk !== undefined ? { helpDeskId: site.helpDesk } : {}),
      elsewhere: site.elsewhere ?? [],
      ...(deps.directions ? { directions: deps.directions } : {}),
    },
  });
  actor.subscribe({
    error: (e) => {
      // Not expected: the machine is total. If it happens, stand still and say so to operators.
      log.error('guide mission stopped on an error', { error: String(e) });
      cancelAll();
      publishStatus({
        state: 'stopped_safe',
        requestId: lastStatus.request_id,
        destinationId: '',
        reason: 'internal_error',
        why: '',
      });
    },
  });

  const send = (event: GuideEvent) => {
    if (!stopped && actor.getSnapshot().status === 'active') actor.send(event);
  };

  node.createSubscription('medhjalparen_msgs/msg/GuideRequest', '/guide/request', (msg: GuideRequest) => {
    const requestId = typeof msg?.request_id === 'string' ? msg.request_id.slice(0, 128) : '';
    const text = typeof msg?.text === 'string' ? msg.text : '';
    // The language only when the customer chose one (it wins over what the words suggest).
    const language = asLanguage(msg?.language);
    const plain = msg?.plain === true;
    const mode = msg?.mode === 'directions' ? 'directions' : 'escort';
    log.info('guide request', { request_id: requestId, language: language ?? '', plain, mode });
    send({
      type: 'REQUEST',
      requestId,
      text,
      stampNs: node.now().nanoseconds,
      plain,
      mode,
      ...(language ? { language } : {}),
    });
  });

  node.createSubscription(
    'medhjalparen_msgs/msg/CustomerFollow',
    '/guide/customer',
    (msg: CustomerFollow) => {
      // Unbound means perception follows nobody for us: no news, not bad news (the watch in the
      // machine notices when news stops coming).
      if (!msg?.bound) return;
      const lostForS = msg.lost_for ? durationMsgToSeconds(msg.lost_for) : 0;
      const d = msg.distance_behind;
      const seen = msg.visible === true && Number.isFinite(d) && d >= 0;
      send({
        type: 'CUSTOMER',
        visible: seen,
        distanceBehind: seen ? d : 0,
        lostForS: Number.isFinite(lostForS) && lostForS >= 0 ? lostForS : Number.MAX_VALUE,
      });
    },
  );

  const latched = { qos: { durability: 'transient_local' as const } }; // the gate's current state at once
  node.createSubscription(
    'medhjalparen_msgs/msg/SafetyState',
    '/safety/state',
    latched,
    (msg: SafetyState) => {
      // Level-triggered: the gate repeats its state at 1 Hz, so a lost edge is healed a second later.
      if (msg?.estop_latched === true) send({ type: 'ESTOP' });
      else if (msg?.estop_latched === false && actor.getSnapshot().matches('estopped'))
        send({ type: 'ESTOP_RELEASED' });
    },
  );

  node.createService('std_srvs/srv/Trigger', '/guide/cancel', () => {
    if (stopped) return { success: false, message: 'guide mission is stopped' };
    const snapshot = actor.getSnapshot();
    if (!snapshot.can({ type: 'CANCEL' })) {
      return { success: false, message: `nothing to cancel (${lastStatus.state})` };
    }
    actor.send({ type: 'CANCEL' });
    return { success: true, message: `cancelled; now ${lastStatus.state}` };
  });

  node.createSubscription(
    'medhjalparen_msgs/msg/LocalizationStatus',
    '/localization/status',
    (msg: LocalizationStatus) => {
      const state = LOCALIZATION_STATES.find((s) => s === msg?.state);
      if (!state) return;
      // Level-triggered like the gate: the localiser repeats its state, the machine acts on changes.
      const slow = state === 'uncertain';
      if (slow !== uncertain) {
        uncertain = slow;
        publishSpeedLimit();
      }
      if (state === 'lost' && lastLocalization !== 'lost')
        log.warn('localisation lost', {
          reason: typeof msg.reason === 'string' ? msg.reason.slice(0, 200) : '',
        });
      lastLocalization = state;
      send({ type: 'LOCALIZATION', state });
    },
  );

  // One transform listener (above) for the watchers below: each its own would take every /tf twice.
  const way = watchTheWay(
    node,
    tf,
    () => lastStatus.state,
    (blocked) => send({ type: 'WAY', blocked }),
  );
  const odometer = watchDistanceDriven(node, tf, (metres) => send({ type: 'DRIVEN', metres }));
  const desks = watchDeskStatuses(node, site, send);
  const power = watchPower({
    node,
    site,
    robot,
    tf,
    params: {
      unreliableAfterS: batteryUnreliableAfterS,
      detourFactor: params.detourFactor,
      walkingSpeedMps: params.walkingSpeedMps,
    },
    status: () => lastStatus,
    send,
  });
  const centre = watchCentreHours(node, site, send);
  const operator = operatorServices(node, site, actor, () => lastStatus);

  const statusTimer = node.createTimer(STATUS_PERIOD_NS, () => {
    if (stopped) return;
    statusPub.publish({ ...lastStatus, header: header('', node.now()) });
  });

  actor.start();

  return {
    actor,
    status: () => lastStatus,
    stop() {
      if (stopped) return;
      stopped = true;
      statusTimer.cancel();
      way.stop();
      odometer.stop();
      desks.stop();
      power.stop();
      centre.stop();
      operator.stop();
      actor.stop();
      navigation.stop();
    },
  };
}

/**
 * Staff's desk statuses from the latched /guide/desk_status: each message replaces the set. The
 * machine is told again the moment a status's `until` passes (a one-shot timer on the node
 * clock), so an expired closing stops counting on arrival too, not only for new requests.
 */
function watchDeskStatuses(node: RosNode, site: Site, send: (e: GuideEvent) => void): { stop(): void } {
  const log = node.getLogger();
  const known = new Set(site.destinations.map((d) => d.id));
  let statuses: StaffDeskStatus[] = [];
  let expiry: Timer | undefined;
  let stopped = false;

  const tell = () => {
    expiry?.cancel();
    expiry = undefined;
    if (stopped) return;
    const nowNs = node.now().nanoseconds;
    statuses = statuses.filter((s) => staffStatusApplies(s, nowNs));
    send({ type: 'DESK_STATUS', statuses, stampNs: nowNs });
    const next = statuses.reduce<bigint | undefined>(
      (soonest, s) =>
        s.untilNs !== undefined && (soonest === undefined || s.untilNs < soonest) ? s.untilNs : soonest,
      undefined,
    );
    if (next !== undefined) expiry = node.createTimer(next - nowNs, tell);
  };

  node.createSubscription(
    'medhjalparen_msgs/msg/DeskStatusArray',
    '/guide/desk_status',
    { qos: { durability: 'transient_local' as const } },
    (msg: DeskStatusArray) => {
      const read = readDeskStatuses(msg, known);
      // Problems name fields and ids, never the note's text.
      for (const problem of read.problems) log.warn('desk status refused', { problem });
      statuses = read.statuses;
      log.info('desk statuses', {
        desks: statuses.map((s) => `${s.destinationId}=${s.state}`).join(' '),
      });
      tell();
    },
  );
  return {
    stop() {
      stopped = true;
      expiry?.cancel();
    },
  };
}

type MissionActor = Actor<typeof guideMission>;

/** What the robot is busy with, for a refusal an operator reads. */
function busyWith(state: string): string {
  if (state === 'estopped') return 'the e-stop is latched: release it first';
  if (state === 'paused') return 'the robot is paused: resume it first';
  if (state === 'battery_critical') return 'the battery is critical: put the robot on its charger first';
  return `the robot is guiding a customer (${state}): cancel the guidance first`;
}

/** /guide/dispatch and /guide/pause: an operator's orders, each answered with what happened. */
function operatorServices(
  node: RosNode,
  site: Site,
  actor: MissionActor,
  status: () => GuideStatus,
): { stop(): void } {
  const log = node.getLogger();
  const places = new Set(['dock', ...site.destinations.map((d) => d.id)]);
  let dispatches = 0;
  let stopped = false;
  const live = () => !stopped && actor.getSnapshot().status === 'active';

  node.createService(
    'medhjalparen_msgs/srv/Dispatch',
    '/guide/dispatch',
    (req: DispatchRequest): DispatchResponse => {
      if (!live()) return { success: false, message: 'guide mission is stopped' };
      const id = typeof req?.destination_id === 'string' ? req.destination_id : '';
      if (!places.has(id)) {
        const shown = JSON.stringify([...id].slice(0, 64).join(''));
        return {
          success: false,
          message: `destination_id: expected 'dock' or a destination of site ${site.id}, found ${shown}`,
        };
      }
      const event: GuideEvent = {
        type: 'DISPATCH',
        requestId: `dispatch-${dispatches + 1}`,
        destinationId: id,
      };
      if (!actor.getSnapshot().can(event)) {
        return { success: false, message: `cannot dispatch now: ${busyWith(status().state)}` };
      }
      dispatches++;
      actor.send(event);
      log.info('dispatched', { request_id: event.requestId, destination_id: id });
      return { success: true, message: `dispatched to ${id} (${event.requestId})` };
    },
  );

  node.createService('std_srvs/srv/SetBool', '/guide/pause', (req: SetBoolRequest): SetBoolResponse => {
    if (!live()) return { success: false, message: 'guide mission is stopped' };
    const pause = req?.data === true;
    const state = status().state;
    if (pause && state === 'paused') return { success: true, message: 'already paused' };
    if (!pause && state !== 'paused')
      return { success: true, message: `not paused (${state}); nothing to resume` };
    const stampNs = node.now().nanoseconds;
    const event: GuideEvent = pause ? { type: 'PAUSE', stampNs } : { type: 'RESUME', stampNs };
    if (!actor.getSnapshot().can(event)) {
      return { success: false, message: `cannot pause now (${state}): ${busyWith(state)}` };
    }
    actor.send(event);
    log.info(pause ? 'paused' : 'resumed', { state: status().state });
    return { success: true, message: pause ? `paused (was ${state})` : `resumed: ${status().state}` };
  });

  return {
    stop() {
      stopped = true;
    },
  };
}
