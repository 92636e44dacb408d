import { describe, expect, it } from 'vitest';
import { GridMap, type Destination, type Site } from '../src/map/index.js';
import { NAV_ERROR_CODES, createSpinServer } from '../src/navigation/index.js';
import { TestPlant, gridFromText } from '../src/navigation/test-plant.js';
import { DEFAULT_ROBOT } from '../src/robot-description.js';
import {
  EmbeddedContext,
  SimClock,
  durationMsg,
  header,
  poseToPose2d,
  secondsToNs,
  type NavigateToPoseGoal,
  type RosNode,
  type SetBoolResponse,
  type SpeedLimit,
  type TriggerResponse,
  nsToTimeMsg,
} from '../src/ros/index.js';
import {
  type DeskStatus,
  type DispatchResponse,
  type GuideStatus,
  type Utterance,
} from '../src/interfaces/index.js';
import { renderDirections, say as render, type Directions } from '../src/interaction/index.js';
import { MissionError } from './errors.js';
import { startGuideMission } from './mission-node.js';

const weekday = [{ open: 8 * 60, close: 16 * 60 }];
const DESTINATIONS: Destination[] = [
  {
    id: 'kela',
    name: { fi: 'Kela', sv: 'FPA', en: 'Kela' },
    aliases: { fi: ['kela'], sv: ['fpa'], en: ['kela'] },
    organisation: 'Kela',
    pose: { x: 40, y: 10, yaw: Math.PI / 2 },
    services: [],
    description: { fi: 'Etuudet ja eläkkeet.', sv: 'Förmåner och pensioner.', en: 'Benefits and pensions.' },
    hours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday },
  },
  {
    id: 'library',
    name: { fi: 'Iso Omenan kirjasto', sv: 'Iso Omena bibliotek', en: 'Iso Omena Library' },
    aliases: { fi: ['kirjasto'], sv: ['bibliotek'], en: ['library'] },
    organisation: 'City of Espoo',
    pose: { x: 20, y: 30, yaw: 0 },
    services: [],
  },
];

const SITE: Site = {
  id: 'test-site',
  name: 'Test site',
  timezone: 'Europe/Helsinki',
  dir: 'maps/test-site',
  map: new GridMap(4, 4, 0.05, 0, 0, new Int8Array(16)),
  dock: { x: 1, y: 2, yaw: 0 },
  destinations: DESTINATIONS,
  landmarks: [],
  elsewhere: [],
  zones: [],
};

const THURSDAY_10 = BigInt(Date.parse('2026-11-26T10:00:00+02:00')) * 1_000_000n;
const STEP_NS = 100_000_000n;

/**
 * A test double of the navigator's NavigateToPose action server: every goal succeeds after
 * `succeedAfterS` of sim time, unless the test made it fail or it is cancelled first.
 */
function navigateToPoseServerDouble(node: RosNode, succeedAfterS: number) {
  const goals: NavigateToPoseGoal[] = [];
  let cancelled = 0;
  const double = {
    goals,
    get cancelled() {
      return cancelled;
    },
    /** error_code for the next goals (0 = succeed). */
    failWith: 0 as number,
  };
  node.createActionServer('nav2_msgs/action/NavigateToPose', '/navigate_to_pose', {
    execute: (gh) =>
      new Promise((resolve) => {
        goals.push(gh.request);
        const failWith = double.failWith;
        let waitedNs = 0n;
        const timer = node.createTimer(STEP_NS, () => {
          waitedNs += STEP_NS;
          if (gh.isCancelRequested) {
            timer.cancel();
            cancelled++;
            gh.canceled();
            resolve({ error_code: NAV_ERROR_CODES.CANCELLED, error_msg: 'cancelled' });
          } else if (waitedNs >= secondsToNs(succeedAfterS)) {
            timer.cancel();
            if (failWith === 0) gh.succeed();
            else gh.abort();
            resolve({ error_code: failWith, error_msg: failWith === 0 ? '' : 'no path' });
          }
        });
      }),
  });
  return double;
}

function world(
  options: {
    startNs?: bigint;
    navSeconds?: number;
    withNavigator?: boolean;
    /** The real spin behaviour server turning a test plant (for turning to look). */
    withSpin?: boolean;
    params?: Record<string, number>;
    site?: Site;
    /** Published (latched) before the mission starts, as the console's store would. */
    deskStatus?: DeskStatus[];
    /** The directions book the mission is given. */
    directions?: ReadonlyMap<string, Directions>;
  } = {},
) {
  const clock = new SimClock(options.startNs ?? THURSDAY_10);
  const ctx = new EmbeddedContext({ clock, parameterOverrides: { guide_mission: options.params ?? {} } });
  const probe = ctx.createNode('probe');
  const said: Utterance[] = [];
  const statuses: GuideStatus[] = [];
  const limits: SpeedLimit[] = [];
  probe.createSubscription('medhjalparen_msgs/msg/Utterance', '/guide/say', (u) => said.push(u));
  probe.createSubscription('medhjalparen_msgs/msg/GuideStatus', '/guide/status', (s) => statuses.push(s));
  probe.createSubscription('nav2_msgs/msg/SpeedLimit', '/speed_limit', (l) => limits.push(l));
  const kiosk = probe.createPublisher('medhjalparen_msgs/msg/GuideRequest', '/guide/request');
  const customer = probe.createPublisher('medhjalparen_msgs/msg/CustomerFollow', '/guide/customer');
  const safety = probe.createPublisher('medhjalparen_msgs/msg/SafetyState', '/safety/state');
  const cancelClient = probe.createClient('std_srvs/srv/Trigger', '/guide/cancel');
  const dispatchClient = probe.createClient('medhjalparen_msgs/srv/Dispatch', '/guide/dispatch');
  const pauseClient = probe.createClient('std_srvs/srv/SetBool', '/guide/pause');
  const desks = probe.createPublisher('medhjalparen_msgs/msg/DeskStatusArray', '/guide/desk_status', {
    qos: { durability: 'transient_local' },
  });
  if (options.deskStatus) desks.publish({ header: header('', probe.now()), desks: options.deskStatus });
  const nav =
    options.withNavigator === false
      ? undefined
      : navigateToPoseServerDouble(ctx.createNode('navigator_double'), options.navSeconds ?? 5);
  const plant = options.withSpin
    ? new TestPlant(ctx.createNode('test_plant'), gridFromText(['#####', '#...#', '#####'], 1), {
        x: 2,
        y: 1.5,
        yaw: 0,
      })
    : undefined;
  if (options.withSpin) createSpinServer(ctx.createNode('behavior_server'), { robot: DEFAULT_ROBOT });
  const missionNode = ctx.createNode('guide_mission');
  const mission = startGuideMission(missionNode, {
    site: options.site ?? SITE,
    ...(options.directions ? { directions: options.directions } : {}),
  });

  const w = {
    clock,
    ctx,
    mission,
    nav,
    plant,
    said,
    statuses,
    limits,
    ask(text: string, language = '', requestId = 'r1', how: { plain?: boolean; mode?: string } = {}) {
      kiosk.publish({
        request_id: requestId,
        text,
        language,
        plain: how.plain ?? false,
        mode: how.mode ?? '',
      });
    },
    see(visible: boolean, distanceBehind: number, lostForS = 0) {
      customer.publish({
        header: header('base_link', probe.now()),
        bound: true,
        visible,
        distance_behind: distanceBehind,
        lost_for: durationMsg(lostForS),
      });
    },
    estop(latched: boolean) {
      safety.publish({
        header: header('', probe.now()),
        estop_latched: latched,
        reason: latched ? 'estop' : 'ok',
        source: '',
      });
    },
    async cancel(): Promise<TriggerResponse> {
      let response: TriggerResponse | undefined;
      cancelClient.sendRequest({}, (r) => (response = r));
      await w.run(0.2);
      return response!;
    },
    async dispatch(destinationId: string): Promise<DispatchResponse> {
      let response: DispatchResponse | undefined;
      dispatchClient.sendRequest({ destination_id: destinationId }, (r) => (response = r));
      await w.run(0.2);
      return response!;
    },
    async pause(data: boolean): Promise<SetBoolResponse> {
      let response: SetBoolResponse | undefined;
      pauseClient.sendRequest({ data }, (r) => (response = r));
      await w.run(0.2);
      return response!;
    },
    setDesks(statuses: DeskStatus[]) {
      desks.publish({ header: header('', probe.now()), desks: statuses });
    },
    /** Lockstep as the simulator does it: advance, spin, let promises settle. */
    async run(seconds: number) {
      const end = clock.nowNs() + secondsToNs(seconds);
      while (clock.nowNs() < end) {
        clock.advanceTo(clock.nowNs() + STEP_NS);
        plant?.step();
        ctx.spinSome();
        await new Promise((r) => setImmediate(r));
      }
    },
    /** An escort to Kela whose customer is seen, then out of sight past the grace time. */
    async loseCustomer() {
      w.ask('Where is Kela?');
      await w.run(1);
      w.see(true, 1.0);
      await w.run(0.2);
      w.see(false, 1.0, 2.5);
    },
    state: () => mission.status().state,
    trail: () => statuses.map((s) => s.state).filter((s, i, all) => s !== all[i - 1]),
  };
  return w;
}

describe('startGuideMission', () => {
  it('guides a Finnish request to the desk and back, speaking Finnish on /guide/say', async () => {
    const w = world({ navSeconds: 5 });
    await w.run(0.2);
    w.ask('Missä on Kela?');
    await w.run(0.5);
    expect(w.state()).toBe('escorting');
    expect(w.nav!.goals).toHaveLength(1);
    const goal = w.nav!.goals[0]!;
    expect(goal.pose.header.frame_id).toBe('map');
    const pose = poseToPose2d(goal.pose.pose);
    expect(pose.x).toBeCloseTo(40);
    expect(pose.y).toBeCloseTo(10);
    expect(pose.yaw).toBeCloseTo(Math.PI / 2);

    await w.run(6);
    expect(w.state()).toBe('arrived');
    await w.run(7); // arrival pause
    expect(w.state()).toBe('returning');
    expect(poseToPose2d(w.nav!.goals[1]!.pose.pose)).toMatchObject({ x: 1, y: 2 });
    await w.run(6);
    expect(w.state()).toBe('idle');

    expect(w.said.map((u) => [u.kind, u.language, u.request_id])).toEqual([
      ['escort.start', 'fi', 'r1'],
      ['arrive', 'fi', 'r1'],
      ['return', 'fi', 'r1'],
    ]);
    expect(w.said[0]!.text).toBe('Seuraa minua. Vien sinut kohteeseen Kela. Matka kestää noin 1 min.');
    expect(w.said[1]!.text).toBe('Olemme perillä: Kela. Etuudet ja eläkkeet.');
    expect(w.trail()).toEqual(['idle', 'understanding', 'escorting', 'arrived', 'returning', 'idle']);
    expect(w.statuses.at(-1)).toMatchObject({ request_id: 'r1', destination_id: 'kela', reason: '' });
  });

  it('answers in Swedish and English, as asked', async () => {
    const w = world({ navSeconds: 1 });
    w.ask('Var ligger FPA?');
    await w.run(1);
    expect(w.said[0]).toMatchObject({ language: 'sv', text: 'Följ mig till FPA. Det tar ungefär 1 min.' });
    await w.run(20);
    expect(w.state()).toBe('idle');
    w.ask('Where is the library?', '', 'r2');
    await w.run(1);
    expect(w.said.at(-1)).toMatchObject({ request_id: 'r2', language: 'en', kind: 'escort.start' });
    expect(w.said.at(-1)!.text).toMatch(/^Follow me to Iso Omena Library\. It is about \d+ min away\.$/);
  });

  it('publishes its status at 1 Hz while nothing changes', async () => {
    const w = world();
    await w.run(5.05);
    expect(w.statuses.length).toBeGreaterThanOrEqual(5);
    expect(w.statuses.every((s) => s.state === 'idle')).toBe(true);
  });

  it('tells a customer that a closed desk opens tomorrow, on the node clock', async () => {
    const w = world({ startNs: BigInt(Date.parse('2026-11-26T17:00:00+02:00')) * 1_000_000n });
    w.ask('Where is Kela?');
    await w.run(0.5);
    expect(w.said).toEqual([
      {
        request_id: 'r1',
        language: 'en',
        kind: 'closed',
        text: 'Kela is closed now. It opens tomorrow at 8.00.',
        plain: false,
        choices: [],
      },
    ]);
    expect(w.state()).toBe('idle');
    expect(w.nav!.goals).toEqual([]);
  });

  it('says it does not know a place and takes malformed requests without falling over', async () => {
    const w = world();
    w.ask('Missä on sauna?');
    await w.run(0.3);
    expect(w.said.at(-1)).toMatchObject({ kind: 'unknown', language: 'fi' });
    expect(w.said.at(-1)!.text).toBe(
      'Valitettavasti en ymmärtänyt. Kerro palvelupisteen nimi tai mitä asiaa sinulla on.',
    );
    const kiosk = w.ctx
      .createNode('bad_kiosk')
      .createPublisher('medhjalparen_msgs/msg/GuideRequest', '/guide/request');
    kiosk.publish({ request_id: 7, text: null, language: 'de' } as never);
    kiosk.publish({} as never);
    await w.run(0.3);
    expect(w.said.slice(-2).map((u) => u.kind)).toEqual(['unknown', 'unknown']);
    expect(w.state()).toBe('idle');
  });

  it('on an e-stop cancels the goal, says so, and returns to the dock on release', async () => {
    const w = world({ navSeconds: 30 });
    w.ask('Where is Kela?');
    await w.run(2);
    w.estop(true);
    await w.run(0.5);
    expect(w.state()).toBe('estopped');
    expect(w.nav!.cancelled).toBe(1);
    expect(w.said.at(-1)).toMatchObject({
      kind: 'estop',
      text: 'I have been stopped. A staff member will help you.',
    });
    w.estop(true); // the gate's 1 Hz repeat
    await w.run(1);
    expect(w.said.filter((u) => u.kind === 'estop')).toHaveLength(1);
    w.estop(false);
    await w.run(0.5);
    expect(w.state()).toBe('returning');
    expect(w.statuses.at(-1)).toMatchObject({ reason: 'estop' });
    await w.run(31);
    expect(w.state()).toBe('idle');
  });

  it('cancels through /guide/cancel and refuses when there is nothing to cancel', async () => {
    const w = world({ navSeconds: 10 });
    expect(await w.cancel()).toMatchObject({ success: false, message: 'nothing to cancel (idle)' });
    w.ask('kela', 'sv');
    await w.run(1);
    const r = await w.cancel();
    expect(r).toMatchObject({ success: true });
    expect(w.state()).toBe('returning');
    expect(w.said.at(-1)).toMatchObject({
      kind: 'cancelled',
      language: 'sv',
      text: 'Guidningen har avbrutits. Jag går tillbaka till min plats.',
    });
    expect(w.nav!.cancelled).toBe(1);
    expect((await w.cancel()).success).toBe(false);
  });

  it('slows the robot through /speed_limit while the customer lags', async () => {
    const w = world({ navSeconds: 30 });
    w.ask('kela');
    await w.run(1);
    w.see(true, 3.0);
    await w.run(0.3);
    expect(w.limits.at(-1)).toMatchObject({ percentage: false, speed_limit: 0.4 });
    expect(w.said.at(-1)!.kind).toBe('escort.slow');
    w.see(true, 1.0);
    await w.run(0.3);
    expect(w.limits.at(-1)!.speed_limit).toBe(0); // no limit
  });

  it('waits for a lost customer on the node clock, then gives up and goes home', async () => {
    const w = world({ navSeconds: 60 });
    await w.loseCustomer();
    await w.run(0.5);
    expect(w.state()).toBe('waiting_for_customer');
    expect(w.said.at(-1)).toMatchObject({ kind: 'escort.wait', text: "I'll wait for you." });
    expect(w.nav!.cancelled).toBe(1);
    await w.run(29);
    expect(w.state()).toBe('waiting_for_customer');
    await w.run(1);
    expect(w.said.at(-1)).toMatchObject({ kind: 'escort.lost' });
    expect(w.statuses.at(-1)).toMatchObject({ state: 'returning', reason: 'customer_lost' });
  });

  it('turns round on /spin to look for a lost customer, then asks them back', async () => {
    const w = world({ navSeconds: 60, withSpin: true });
    await w.loseCustomer();
    await w.run(0.5);
    expect(w.said.at(-1)!.kind).toBe('escort.wait');
    await w.run(4);
    expect(w.said.at(-1)).toMatchObject({ kind: 'escort.look', text: "I'm looking for you." });
    const turning = w.plant!.commands.filter((c) => c.angular.z > 0);
    expect(turning.length).toBeGreaterThan(0);
    await w.run(12);
    expect(w.said.at(-1)).toMatchObject({
      kind: 'escort.ask',
      text: 'Are you still coming to Kela? I am over here. Come to me and we will go on.',
    });
    // A full turn, back facing where it started, and standing still.
    expect(Math.abs(w.plant!.pose.yaw)).toBeLessThan(0.05);
    expect(w.plant!.lastCommand).toMatchObject({ linear: { x: 0 }, angular: { z: 0 } });
    expect(w.state()).toBe('waiting_for_customer');
    w.see(true, 1.5);
    await w.run(0.3);
    expect(w.state()).toBe('escorting');
    expect(w.said.at(-1)!.kind).toBe('escort.resume');
  });

  it('asks without turning when no spin server is up', async () => {
    const w = world({ navSeconds: 60 });
    await w.loseCustomer();
    await w.run(4.5);
    expect(w.said.slice(-2).map((u) => u.kind)).toEqual(['escort.look', 'escort.ask']);
    expect(w.state()).toBe('waiting_for_customer');
  });

  it('without a navigator to ask, says so, stays ready where it is and tells the operator', async () => {
    const w = world({ withNavigator: false });
    w.ask('Where is Kela?');
    await w.run(1);
    expect(w.said.map((u) => u.kind)).toEqual([
      'escort.start',
      'nav.failed',
      'return.blocked',
      'return.blocked',
      'return.blocked',
    ]);
    expect(w.said.slice(2).map((u) => u.language)).toEqual(['fi', 'sv', 'en']);
    expect(w.statuses.at(-1)).toMatchObject({ state: 'idle', reason: 'return_blocked' });
  });

  it('reports a navigation failure code as its reason and returns to the dock', async () => {
    const w = world({ navSeconds: 2 });
    w.nav!.failWith = NAV_ERROR_CODES.NO_PATH;
    w.ask('kela');
    await w.run(1);
    w.nav!.failWith = 0;
    await w.run(2);
    expect(w.said.at(-1)).toMatchObject({ kind: 'nav.failed' });
    expect(w.statuses.at(-1)).toMatchObject({ state: 'returning', reason: 'nav_no_path' });
    await w.run(3);
    expect(w.state()).toBe('idle');
  });

  it('stops cleanly: goals cancelled, later messages ignored', async () => {
    const w = world({ navSeconds: 30 });
    w.ask('kela');
    await w.run(1);
    w.mission.stop();
    await w.run(1);
    expect(w.nav!.cancelled).toBe(1);
    const said = w.said.length;
    const statuses = w.statuses.length;
    w.ask('library');
    await w.run(3);
    expect(w.said.length).toBe(said);
    expect(w.statuses.length).toBe(statuses);
  });

  it('reads its parameters from the node (guide.*), and refuses unusable ones, saying which', async () => {
    const clock = new SimClock(THURSDAY_10);
    const ctx = new EmbeddedContext({
      clock,
      parameterOverrides: { bad_mission: { 'guide.customer_patience_s': -5 } },
    });
    expect(() => startGuideMission(ctx.createNode('bad_mission'), { site: SITE })).toThrow(
      /bad_mission: parameter guide\.customer_patience_s: expected a number ≥ 0, found -5/,
    );
    const w = world({ navSeconds: 60, params: { 'guide.customer_patience_s': 10 } });
    w.ask('kela');
    await w.run(1);
    w.see(true, 8);
    await w.run(0.5);
    expect(w.state()).toBe('waiting_for_customer');
    await w.run(9);
    expect(w.state()).toBe('waiting_for_customer');
    await w.run(1);
    expect(w.statuses.at(-1)).toMatchObject({ state: 'returning', reason: 'customer_lost' });
  });

  it('refuses a site whose time zone is unknown, saying where', () => {
    const ctx = new EmbeddedContext({ clock: new SimClock(0n) });
    expect(() =>
      startGuideMission(ctx.createNode('m'), { site: { ...SITE, timezone: 'Europe/Espoo' } }),
    ).toThrow(MissionError);
    expect(() =>
      startGuideMission(ctx.createNode('m2'), { site: { ...SITE, timezone: 'Europe/Espoo' } }),
    ).toThrow(/maps\/test-site\/site\.yaml:timezone: .*"Europe\/Espoo"/);
  });

  it('answers for a desk staff closed on the latched /guide/desk_status, naming the help desk', async () => {
    const noon = nsToTimeMsg(BigInt(Date.parse('2026-11-26T12:00:00+02:00')) * 1_000_000n);
    const w = world({
      site: { ...SITE, helpDesk: 'library' },
      // Published before the mission started: the latch delivers it.
      deskStatus: [{ destination_id: 'kela', state: 'closed', note: '', until: noon }],
    });
    await w.run(0.2);
    w.ask('Where is Kela?');
    await w.run(0.3);
    expect(w.said).toEqual([
      {
        request_id: 'r1',
        language: 'en',
        kind: 'closed.staff.help',
        text: 'Kela is closed until 12.00. Meanwhile, Iso Omena Library can help you.',
        plain: false,
        choices: [],
      },
    ]);
    expect(w.statuses.at(-1)).toMatchObject({ state: 'idle', reason: 'desk_closed_by_staff' });
    expect(w.nav!.goals).toEqual([]);
  });

  it('forgets a staff closing the moment it ends, also for a customer already on the way', async () => {
    const w = world({ navSeconds: 20 });
    w.ask('kela', 'en');
    await w.run(1);
    const inTenSeconds = nsToTimeMsg(w.clock.nowNs() + 10_000_000_000n);
    w.setDesks([{ destination_id: 'kela', state: 'paused', note: 'Short break', until: inTenSeconds }]);
    await w.run(21);
    expect(w.said.at(-1)).toMatchObject({
      kind: 'arrive',
      text: 'Here we are: Kela. Benefits and pensions.',
    });
    // Closed for good while walking: told on arrival, with the note.
    const v = world({ navSeconds: 5 });
    v.ask('kela', 'en');
    await v.run(1);
    v.setDesks([
      { destination_id: 'kela', state: 'closed', note: 'Back tomorrow', until: { sec: 0, nanosec: 0 } },
      { destination_id: 'nowhere', state: 'closed', note: '', until: { sec: 0, nanosec: 0 } },
    ]);
    await v.run(6);
    expect(v.said.at(-1)).toMatchObject({
      kind: 'arrive.closed_staff',
      text: 'Here we are: Kela. It is closed. Staff note: Back tomorrow.',
    });
    expect(v.statuses.at(-1)).toMatchObject({ state: 'arrived', reason: 'desk_closed_on_arrival' });
  });

  it('dispatches through /guide/dispatch, refusing an unknown place, a customer’s escort and an e-stop', async () => {
    const w = world({ navSeconds: 5 });
    expect(await w.dispatch('sauna')).toEqual({
      success: false,
      message: `destination_id: expected 'dock' or a destination of site test-site, found "sauna"`,
    });
    expect(await w.dispatch('library')).toEqual({
      success: true,
      message: 'dispatched to library (dispatch-1)',
    });
    expect(w.statuses.at(-1)).toMatchObject({
      state: 'dispatched',
      request_id: 'dispatch-1',
      destination_id: 'library',
      reason: 'dispatched',
    });
    await w.run(6);
    expect(w.statuses.at(-1)).toMatchObject({ state: 'idle', reason: 'dispatch_arrived' });
    expect(poseToPose2d(w.nav!.goals.at(-1)!.pose.pose)).toMatchObject({ x: 20, y: 30 });
    expect(w.said).toEqual([]);

    w.ask('kela');
    await w.run(0.5);
    expect(await w.dispatch('dock')).toEqual({
      success: false,
      message: 'cannot dispatch now: the robot is guiding a customer (escorting): cancel the guidance first',
    });
    w.estop(true);
    await w.run(0.3);
    expect((await w.dispatch('dock')).message).toBe(
      'cannot dispatch now: the e-stop is latched: release it first',
    );
  });

  it('pauses and resumes through /guide/pause, answering repeats plainly', async () => {
    const w = world({ navSeconds: 30 });
    expect(await w.pause(false)).toEqual({ success: true, message: 'not paused (idle); nothing to resume' });
    w.ask('kela', 'en');
    await w.run(1);
    expect(await w.pause(true)).toEqual({ success: true, message: 'paused (was escorting)' });
    expect(w.state()).toBe('paused');
    expect(w.nav!.cancelled).toBe(1);
    expect(w.said.at(-1)).toMatchObject({ kind: 'paused', request_id: 'r1' });
    expect(await w.pause(true)).toEqual({ success: true, message: 'already paused' });
    w.ask('library', 'en', 'r2');
    await w.run(0.3);
    expect(w.said.at(-1)).toMatchObject({
      kind: 'paused',
      request_id: 'r2',
      text: 'Staff have paused me for a moment. Please wait or ask a staff member.',
    });
    expect(await w.pause(false)).toEqual({ success: true, message: 'resumed: escorting' });
    expect(w.nav!.goals).toHaveLength(2);
    expect(poseToPose2d(w.nav!.goals[1]!.pose.pose)).toMatchObject({ x: 40, y: 10 });
    w.estop(true);
    await w.run(0.3);
    expect(await w.pause(true)).toEqual({
      success: false,
      message: 'cannot pause now (estopped): the e-stop is latched: release it first',
    });
  });
});

describe('startGuideMission, understanding on the wire', () => {
  it('asks back with the candidates as choices, takes the pick from a new request id, and says why', async () => {
    const w = world();
    w.ask('Kela or library?', 'en', 'k1');
    await w.run(0.3);
    const asked = w.said.at(-1)!;
    expect(asked).toMatchObject({ request_id: 'k1', kind: 'asking', language: 'en', plain: false });
    expect([...asked.choices].sort()).toEqual(['kela', 'library']);
    expect(asked.text).toMatch(
      /^Which one: 1 (Kela|Iso Omena Library), 2 (Kela|Iso Omena Library)\? Say the number/,
    );
    expect(w.mission.status()).toMatchObject({ state: 'asking', reason: 'asking' });
    // The kiosk's button for the second choice sends its id as a new request.
    w.ask(asked.choices[1]!, 'en', 'k2');
    await w.run(0.3);
    expect(w.state()).toBe('escorting');
    expect(w.mission.status()).toMatchObject({ request_id: 'k2', destination_id: asked.choices[1] });
    expect(w.said.at(-1)).toMatchObject({ request_id: 'k2', kind: 'escort.start', choices: [] });
    expect(w.nav!.goals).toHaveLength(1);
  });

  it('stops asking after guide.ask_back_timeout_s of node time', async () => {
    const w = world({ params: { 'guide.ask_back_timeout_s': 5 } });
    w.ask('Kela or library?', 'en');
    await w.run(4.5);
    expect(w.state()).toBe('asking');
    await w.run(1);
    expect(w.mission.status()).toMatchObject({ state: 'idle', reason: 'ask_timed_out' });
    expect(w.said.at(-1)).toMatchObject({ kind: 'asking.timeout', language: 'en' });
  });

  it('speaks plain language to a customer who chose it, and marks the utterance plain', async () => {
    const w = world({ navSeconds: 30 });
    w.ask('Where is Kela?', 'en', 'r1', { plain: true });
    await w.run(0.3);
    const start = w.said.at(-1)!;
    expect(start).toMatchObject({ kind: 'escort.start', plain: true });
    expect(start.text).toBe(render('escort.start', 'en', { desk: 'Kela', minutes: 1 }, 'plain'));
    expect(w.mission.status().why).toMatch(/: 'kela'/i);
  });

  it('tells the way in words to a customer who walks alone, and stays at the dock', async () => {
    const way: Directions = { destinationId: 'kela', metres: 42, steps: [] };
    const w = world({ directions: new Map([['kela', way]]) });
    w.ask('Where is Kela?', 'en', 'r1', { mode: 'directions' });
    await w.run(0.5);
    const said = w.said.at(-1)!;
    expect(said).toMatchObject({ kind: 'directions', plain: false, choices: [] });
    expect(said.text).toContain(renderDirections(way, 'en', 'standard'));
    expect(w.mission.status()).toMatchObject({
      state: 'idle',
      reason: 'directions_given',
      destination_id: 'kela',
    });
    expect(w.nav!.goals).toEqual([]);
  });

  it('says the minutes without a directions book', async () => {
    const w = world();
    w.ask('Var ligger FPA?', '', 'r1', { mode: 'directions' });
    await w.run(0.3);
    expect(w.said.at(-1)).toMatchObject({ kind: 'directions', language: 'sv' });
    expect(w.said.at(-1)!.text).toMatch(/^Så hittar du till FPA, ungefär \d+ min att gå\.$/);
  });
});

describe('startGuideMission and /localization/status', () => {
  /** What the localiser would publish (the localiser itself is not part of this test). */
  function localiser(w: ReturnType<typeof world>) {
    const node = w.ctx.createNode('localiser_double');
    const pub = node.createPublisher('medhjalparen_msgs/msg/LocalizationStatus', '/localization/status');
    return (state: string, reason = '') =>
      pub.publish({
        header: header('map', node.now()),
        state,
        position_sigma: 0.05,
        yaw_sigma: 0.02,
        particles: 500,
        scan_match: state === 'lost' ? 0.2 : 0.95,
        reason,
      });
  }

  it('lost mid-escort: stops the goal, says so, waits, and goes on to the same desk when it is back', async () => {
    const w = world({ navSeconds: 20 });
    const status = localiser(w);
    w.ask('Where is Kela?', 'en');
    await w.run(1);
    expect(w.nav!.goals).toHaveLength(1);
    status('lost', 'scan does not match the map');
    await w.run(0.5);
    expect(w.state()).toBe('localizing');
    expect(w.statuses.at(-1)).toMatchObject({ reason: 'localizing', request_id: 'r1' });
    expect(w.nav!.cancelled).toBe(1);
    expect(w.said.at(-1)).toMatchObject({
      kind: 'localizing',
      language: 'en',
      text: "I'm not sure where I am. Please wait a moment.",
    });
    for (let i = 0; i < 5; i++) {
      status('lost');
      await w.run(1);
    }
    expect(w.nav!.goals).toHaveLength(1);
    status('ok');
    await w.run(0.5);
    expect(w.state()).toBe('escorting');
    expect(w.nav!.goals).toHaveLength(2);
    expect(poseToPose2d(w.nav!.goals[1]!.pose.pose)).toMatchObject({ x: 40, y: 10 });
  });

  it('not back within localization_wait_s: lets the customer go politely, stands safe, home once it is back', async () => {
    const w = world({ navSeconds: 20, params: { 'guide.localization_wait_s': 5 } });
    const status = localiser(w);
    w.ask('Where is Kela?', 'en');
    await w.run(1);
    status('lost');
    await w.run(6);
    expect(w.statuses.at(-1)).toMatchObject({ state: 'stopped_safe', reason: 'localization_lost' });
    expect(w.said.at(-1)).toMatchObject({ kind: 'localization.lost', request_id: 'r1' });
    status('ok');
    await w.run(0.5);
    expect(w.state()).toBe('returning');
    expect(poseToPose2d(w.nav!.goals.at(-1)!.pose.pose)).toMatchObject({ x: 1, y: 2 });
  });

  it('ignores a status it cannot read (an unknown state, a malformed message) and goes on', async () => {
    const w = world({ navSeconds: 5 });
    const status = localiser(w);
    w.ask('Where is Kela?', 'en');
    await w.run(1);
    status('banana');
    status('LOST');
    w.ctx
      .createNode('garbage')
      .createPublisher('medhjalparen_msgs/msg/LocalizationStatus', '/localization/status')
      .publish({} as never);
    await w.run(0.5);
    expect(w.state()).toBe('escorting');
    await w.run(5);
    expect(w.state()).toBe('arrived');
  });

  it('uncertain slows the robot (never stops it); ok lifts the limit; no status at all changes nothing', async () => {
    const w = world({ navSeconds: 5 });
    w.ask('Where is Kela?', 'en');
    await w.run(6);
    expect(w.state()).toBe('arrived');
    expect(w.limits.every((l) => l.speed_limit === 0 || l.speed_limit === 0.4)).toBe(true);
    const status = localiser(w);
    status('uncertain');
    await w.run(0.2);
    expect(w.limits.at(-1)).toMatchObject({ speed_limit: 0.3 });
    expect(w.state()).toBe('arrived');
    status('ok');
    await w.run(0.2);
    expect(w.limits.at(-1)).toMatchObject({ speed_limit: 0 });
  });
});

describe('startGuideMission, someone in the way', () => {
  it('asks a person standing in front of a robot that does not get anywhere to step aside, and goes on once its body has room to pass', async () => {
    const w = world({ navSeconds: 60 });
    const probe = w.ctx.createNode('world_double');
    const tf = probe.createPublisher('tf2_msgs/msg/TFMessage', '/tf');
    const people = probe.createPublisher('people_msgs/msg/People', '/people');
    const robot = { x: 1, y: 2, yaw: 0 };
    let person = { x: 2.2, y: 2 };
    const timer = probe.createTimer(100_000_000n, () => {
      tf.publish({
        transforms: [
          {
            header: header('map', probe.now()),
            child_frame_id: 'base_link',
            transform: {
              translation: { x: robot.x, y: robot.y, z: 0 },
              rotation: { x: 0, y: 0, z: 0, w: 1 },
            },
          },
        ],
      });
      people.publish({
        header: header('map', probe.now()),
        people: [
          {
            name: 'p',
            position: { ...person, z: 0 },
            velocity: { x: 0, y: 0, z: 0 },
            reliability: 1,
            tagnames: [],
            tags: [],
          },
        ],
      });
    });
    w.ask('Where is Kela?', 'en');
    await w.run(2);
    expect(w.said.map((u) => u.kind)).toEqual(['escort.start']);
    await w.run(2);
    expect(w.said.at(-1)).toMatchObject({ kind: 'escort.make_way', request_id: 'r1' });
    expect(w.nav!.cancelled).toBe(1);
    // Half a metre to the side leaves the robot's body no room: it still waits.
    person = { x: 2.2, y: 2.5 };
    await w.run(1);
    expect(w.nav!.goals).toHaveLength(1);
    // Pressed flat to a corridor's wall, 0.66 m off the robot's line: room to squeeze by.
    person = { x: 2.2, y: 2.66 };
    await w.run(1);
    expect(w.nav!.goals).toHaveLength(2);
    expect(w.state()).toBe('escorting');
    timer.cancel();
  });
});
