/**
 * The guide mission navigating through Nav2 (nav2Navigation): how it reads each of Nav2's result
 * codes, and what it does when Nav2's server is late, missing or goes away. Nav2 itself is played
 * by a scripted stand-in of bt_navigator's NavigateToPose server; everything else is real (the
 * mission node, its port, the embedded graph), on simulated time.
 */
import { describe, expect, it } from 'vitest';
import type { GuideStatus, Utterance } from '../src/interfaces/index.js';
import { GridMap, type Site } from '../src/map/index.js';
import { DEFAULT_INFLATION, buildCostmap } from '../src/map/index.js';
import { NAV2_CODE_NAMES, NAV2_ERROR_CODES, createDockServer, nav2Code } from '../src/navigation/index.js';
import { TestPlant, gridFromText } from '../src/navigation/test-plant.js';
import { DEFAULT_ROBOT } from '../src/robot-description.js';
import {
  EmbeddedContext,
  SimClock,
  poseToPose2d,
  secondsToNs,
  type DockRobotGoal,
  type Logger,
  type RosNode,
} from '../src/ros/index.js';
import { MissionError } from './errors.js';
import { navReasonOf } from './mission-reasons.js';
import { startGuideMission } from './mission-node.js';
import { internalNavigation, nav2Navigation, type NavigationPort } from './navigation-port.js';

const weekday = [{ open: 8 * 60, close: 16 * 60 }];
const SITE: Site = {
  id: 'test-site',
  name: 'Test site',
  timezone: 'Europe/Helsinki',
  dir: 'maps/test-site',
  map: new GridMap(4, 4, 0.05, 0, 0, new Int8Array(16)),
  dock: { x: 1, y: 2, yaw: 0 },
  destinations: [
    {
      id: 'kela',
      name: { fi: 'Kela', sv: 'FPA', en: 'Kela' },
      aliases: { fi: ['kela'], sv: ['fpa'], en: ['kela'] },
      organisation: 'Kela',
      pose: { x: 40, y: 10, yaw: Math.PI / 2 },
      services: [],
      hours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday },
    },
  ],
  landmarks: [],
  elsewhere: [],
  zones: [],
};
const THURSDAY_10 = BigInt(Date.parse('2026-11-26T10:00:00+02:00')) * 1_000_000n;
const STEP_NS = 100_000_000n;

/** How the stand-in ends each goal, `afterS` of node time after taking it. */
type Script = { afterS: number } & (
  { end: 'succeed' } | { end: 'abort'; errorCode: number } | { end: 'never' }
);

/**
 * A stand-in for Nav2's bt_navigator (a test double, named as one): a NavigateToPose server on
 * /navigate_to_pose that ends every goal as scripted, or when cancelled (status CANCELED, code 0,
 * as Nav2's does).
 */
function btNavigatorStandIn(node: RosNode, script: Script): { goals: number } {
  const seen = { goals: 0 };
  node.createActionServer('nav2_msgs/action/NavigateToPose', '/navigate_to_pose', {
    execute: (gh) =>
      new Promise((resolve) => {
        seen.goals++;
        const startNs = node.now().nanoseconds;
        const timer = node.createTimer(STEP_NS, () => {
          if (gh.isCancelRequested) {
            timer.cancel();
            gh.canceled();
            return resolve({ error_code: 0, error_msg: '' });
          }
          if (script.end === 'never' || node.now().nanoseconds - startNs < secondsToNs(script.afterS)) return;
          timer.cancel();
          if (script.end === 'succeed') {
            gh.succeed();
            return resolve({ error_code: 0, error_msg: '' });
          }
          gh.abort();
          resolve({ error_code: script.errorCode, error_msg: `scripted failure ${script.errorCode}` });
        });
      }),
  });
  return seen;
}

interface LogLine {
  node: string;
  level: keyof Logger;
  msg: string;
  fields: Record<string, unknown> | undefined;
}

/** The mission on Nav2's port; `nav2` starts the bt_navigator stand-in with the mission. */
function world(options: { nav2?: Script; serverTimeoutS?: number } = {}) {
  const clock = new SimClock(THURSDAY_10);
  const logs: LogLine[] = [];
  const logger = (node: string): Logger => {
    const line = (level: keyof Logger) => (msg: string, fields?: Record<string, unknown>) =>
      void logs.push({ node, level, msg, fields });
    return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
  };
  const params: Record<string, number> =
    options.serverTimeoutS === undefined ? {} : { 'nav2.server_timeout_s': options.serverTimeoutS };
  const ctx = new EmbeddedContext({ clock, logger, parameterOverrides: { guide_mission: params } });
  const probe = ctx.createNode('probe');
  const statuses: GuideStatus[] = [];
  const said: Utterance[] = [];
  probe.createSubscription('medhjalparen_msgs/msg/GuideStatus', '/guide/status', (s) => statuses.push(s));
  probe.createSubscription('medhjalparen_msgs/msg/Utterance', '/guide/say', (u) => said.push(u));
  const kiosk = probe.createPublisher('medhjalparen_msgs/msg/GuideRequest', '/guide/request');
  let nav2Node: RosNode | undefined;
  let standIn: { goals: number } | undefined;
  const w = {
    clock,
    logs,
    statuses,
    said,
    get standIn() {
      return standIn;
    },
    /** Nav2 comes up (or is there from the start). */
    startNav2(script: Script) {
      nav2Node = ctx.createNode('bt_navigator');
      standIn = btNavigatorStandIn(nav2Node, script);
    },
    /** Nav2 dies: its server is gone, and no result will ever come. */
    killNav2() {
      nav2Node?.destroy();
    },
    ask(text: string) {
      kiosk.publish({ request_id: 'r1', text, language: '', plain: false, mode: '' });
    },
    async run(seconds: number) {
      const end = clock.nowNs() + secondsToNs(seconds);
      while (clock.nowNs() < end) {
        clock.advanceTo(clock.nowNs() + STEP_NS);
        ctx.spinSome();
        await new Promise((r) => setImmediate(r));
      }
    },
    state: () => statuses.at(-1)?.state,
    /** The reason the escort ended with: the first status once the robot heads home. */
    escortReason: () => statuses.find((s) => s.state === 'returning')?.reason,
    navFailures: () => logs.filter((l) => l.node === 'guide_mission' && l.msg === 'navigation failed'),
  };
  if (options.nav2) w.startNav2(options.nav2);
  const missionNode = ctx.createNode('guide_mission');
  startGuideMission(missionNode, { site: SITE, navigation: nav2Navigation(missionNode) });
  return w;
}

describe('the guide mission on Nav2', () => {
  it("ends an escort with the table's reason for each code bt_navigator answers, naming the code for the operator", async () => {
    const codes = [...NAV2_CODE_NAMES.map(nav2Code), 0, 4242];
    const reasons: Record<number, string | undefined> = {};
    for (const errorCode of codes) {
      const w = world({ nav2: { afterS: 0.5, end: 'abort', errorCode } });
      w.ask('Where is Kela?');
      await w.run(1.5);
      reasons[errorCode] = w.escortReason();
      expect(w.said.map((u) => u.kind)).toEqual(['escort.start', 'nav.failed']);
      const [line] = w.navFailures();
      expect(line?.level, String(errorCode)).toBe('warn');
      expect(String(line?.fields?.['detail'])).toContain(String(errorCode));
      expect(String(line?.fields?.['detail'])).toContain(`scripted failure ${errorCode}`);
    }
    expect(reasons).toEqual(Object.fromEntries(codes.map((c) => [c, navReasonOf(c)])));
    // The table itself is pinned in mission-reasons.test.ts; here, a few by name.
    expect(reasons[nav2Code('ComputePathToPose.NO_VALID_PATH')]).toBe('nav_no_path');
    expect(reasons[nav2Code('FollowPath.FAILED_TO_MAKE_PROGRESS')]).toBe('nav_blocked');
    expect(reasons[nav2Code('ComputePathToPose.TIMEOUT')]).toBe('nav_timed_out');
    expect(reasons[4242]).toBe('nav_failed');
  });

  it('escorts once bt_navigator comes up late, within its wait on the node clock', async () => {
    const w = world({ serverTimeoutS: 10 });
    w.ask('Where is Kela?');
    await w.run(4);
    expect(w.state()).toBe('escorting');
    expect(w.navFailures()).toEqual([]);
    w.startNav2({ afterS: 2, end: 'succeed' });
    await w.run(2.5);
    expect(w.standIn!.goals).toBe(1);
    expect(w.state()).toBe('arrived');
  });

  it('fails the escort as nav_unavailable, not a hang, when no bt_navigator answers within nav2.server_timeout_s', async () => {
    const w = world({ serverTimeoutS: 5 });
    w.ask('Where is Kela?');
    await w.run(4.8);
    expect(w.state()).toBe('escorting');
    await w.run(0.5);
    expect(w.escortReason()).toBe('nav_unavailable');
    expect(w.said.map((u) => u.kind)).toEqual(['escort.start', 'nav.failed']);
    expect(w.navFailures()[0]!.fields).toMatchObject({
      code: 'SERVER_UNAVAILABLE',
      detail: "Nav2's /navigate_to_pose is not available (waited 5 s)",
    });
    // The trip home waits as long, fails the same way, and the robot stays ready where it is.
    await w.run(5.5);
    expect(w.statuses.at(-1)).toMatchObject({ state: 'idle', reason: 'return_blocked' });
  });

  it('ends a goal whose bt_navigator goes away mid-trip once it has been gone for the wait', async () => {
    const w = world({ nav2: { afterS: 0, end: 'never' }, serverTimeoutS: 3 });
    w.ask('Where is Kela?');
    await w.run(2);
    expect(w.standIn!.goals).toBe(1);
    w.killNav2();
    await w.run(2.8);
    expect(w.state()).toBe('escorting');
    await w.run(0.5);
    expect(w.escortReason()).toBe('nav_unavailable');
    expect(w.navFailures()[0]!.fields?.['detail']).toBe(
      "Nav2's /navigate_to_pose went away during the goal (waited 3 s)",
    );
  });

  it('refuses an unusable nav2.server_timeout_s at start, naming it', () => {
    for (const bad of [0, -1, 1e9]) {
      const ctx = new EmbeddedContext({
        clock: new SimClock(0n),
        parameterOverrides: { m: { 'nav2.server_timeout_s': bad } },
      });
      expect(() => nav2Navigation(ctx.createNode('m'))).toThrow(MissionError);
      expect(() => nav2Navigation(ctx.createNode('m2'))).not.toThrow();
    }
    const ctx = new EmbeddedContext({
      clock: new SimClock(0n),
      parameterOverrides: { m: { 'nav2.server_timeout_s': -1 } },
    });
    expect(() => nav2Navigation(ctx.createNode('m'))).toThrow(
      'm: parameter nav2.server_timeout_s: expected a number of seconds in (0, 3600], found -1',
    );
  });
});

/**
 * A stand-in for a docking server (Nav2's docking_server, or the robot's behaviour server): a
 * DockRobot server on /dock_robot that keeps every goal it gets and ends it as scripted, or when
 * cancelled.
 */
function dockingServerStandIn(node: RosNode, script: Script): { goals: DockRobotGoal[] } {
  const seen = { goals: [] as DockRobotGoal[] };
  node.createActionServer('nav2_msgs/action/DockRobot', '/dock_robot', {
    execute: (gh) =>
      new Promise((resolve) => {
        seen.goals.push(gh.request);
        const startNs = node.now().nanoseconds;
        const result = (success: boolean, errorCode: number, msg: string) =>
          resolve({ success, error_code: errorCode, num_retries: 0, error_msg: msg });
        const timer = node.createTimer(STEP_NS, () => {
          if (gh.isCancelRequested) {
            timer.cancel();
            gh.canceled();
            return result(false, 0, '');
          }
          if (script.end === 'never' || node.now().nanoseconds - startNs < secondsToNs(script.afterS)) return;
          timer.cancel();
          if (script.end === 'succeed') {
            gh.succeed();
            return result(true, 0, '');
          }
          gh.abort();
          result(false, script.errorCode, `scripted failure ${script.errorCode}`);
        });
      }),
  });
  return seen;
}

/** A port on its own node, and a way to run the graph's clock on (every 100 ms of node time). */
function portRig(stack: 'internal' | 'nav2', options: { serverTimeoutS?: number } = {}) {
  const clock = new SimClock(THURSDAY_10);
  const params: Record<string, number> =
    options.serverTimeoutS === undefined ? {} : { 'nav2.server_timeout_s': options.serverTimeoutS };
  const ctx = new EmbeddedContext({ clock, parameterOverrides: { guide_mission: params } });
  const node = ctx.createNode('guide_mission');
  const port: NavigationPort = stack === 'nav2' ? nav2Navigation(node) : internalNavigation(node);
  return {
    ctx,
    port,
    /** Runs node time on until `promise` settles (at most `seconds`); its value, or undefined. */
    async until<T>(promise: Promise<T>, seconds: number): Promise<T | undefined> {
      let value: T | undefined;
      void promise.then((v) => (value = v));
      const end = clock.nowNs() + secondsToNs(seconds);
      while (value === undefined && clock.nowNs() < end) {
        clock.advanceTo(clock.nowNs() + STEP_NS);
        ctx.spinSome();
        await new Promise((r) => setImmediate(r));
      }
      return value;
    },
  };
}

const { DockRobot } = NAV2_ERROR_CODES;
const DOCK = { x: 3, y: 1.5, yaw: Math.PI / 2 };

describe('docking through the navigation port', () => {
  it.each(['internal', 'nav2'] as const)(
    'asks the %s docking server on /dock_robot for the dock by pose, and reads docked as NONE',
    async (stack) => {
      const rig = portRig(stack);
      const server = dockingServerStandIn(rig.ctx.createNode('docking_server'), {
        afterS: 1,
        end: 'succeed',
      });
      const result = await rig.until(rig.port.dock(DOCK, new AbortController().signal), 5);
      expect(result).toEqual({ code: 'NONE', detail: '' });
      const [goal] = server.goals;
      expect(goal).toMatchObject({ use_dock_id: false, dock_type: '', navigate_to_staging_pose: true });
      expect(goal!.dock_pose.header.frame_id).toBe('map');
      expect(poseToPose2d(goal!.dock_pose.pose)).toEqual({ x: 3, y: 1.5, yaw: expect.closeTo(DOCK.yaw, 9) });
      expect(goal!.max_staging_time).toBeGreaterThan(0);
    },
  );

  it("reads opennav_docking's codes into the port's endings, naming the code", async () => {
    const expected: Record<number, string> = {
      [DockRobot.DOCK_NOT_IN_DB]: 'INVALID_GOAL',
      [DockRobot.DOCK_NOT_VALID]: 'INVALID_GOAL',
      [DockRobot.FAILED_TO_STAGE]: 'BLOCKED',
      [DockRobot.FAILED_TO_DETECT_DOCK]: 'UNKNOWN',
      [DockRobot.FAILED_TO_CONTROL]: 'BLOCKED',
      [DockRobot.FAILED_TO_CHARGE]: 'UNKNOWN',
      [DockRobot.TIMEOUT]: 'TIMED_OUT',
      [DockRobot.UNKNOWN]: 'UNKNOWN',
    };
    for (const [errorCode, code] of Object.entries(expected)) {
      const rig = portRig('nav2');
      dockingServerStandIn(rig.ctx.createNode('docking_server'), {
        afterS: 0.5,
        end: 'abort',
        errorCode: +errorCode,
      });
      const result = await rig.until(rig.port.dock(DOCK, new AbortController().signal), 5);
      expect(result?.code, errorCode).toBe(code);
      expect(result?.detail).toMatch(new RegExp(`^DockRobot\\.[A-Z_]+ \\(${errorCode}\\): scripted failure`));
    }
  });

  it('cancels the docking when the signal aborts', async () => {
    const rig = portRig('internal');
    dockingServerStandIn(rig.ctx.createNode('docking_server'), { afterS: 0, end: 'never' });
    const abort = new AbortController();
    const docking = rig.port.dock(DOCK, abort.signal);
    await rig.until(new Promise(() => {}), 1);
    abort.abort();
    expect(await rig.until(docking, 2)).toMatchObject({ code: 'CANCELLED' });
  });

  it('fails as SERVER_UNAVAILABLE without a docking server: at once on the robot, after the wait beside Nav2', async () => {
    const own = portRig('internal');
    expect(await own.until(own.port.dock(DOCK, new AbortController().signal), 0.2)).toEqual({
      code: 'SERVER_UNAVAILABLE',
      detail: '/dock_robot is not available',
    });
    const nav2 = portRig('nav2', { serverTimeoutS: 2 });
    expect(await nav2.until(nav2.port.dock(DOCK, new AbortController().signal), 3)).toEqual({
      code: 'SERVER_UNAVAILABLE',
      detail: "Nav2's /dock_robot is not available (waited 2 s)",
    });
  });

  it("docks the robot through its own behaviour server's docking", async () => {
    const rig = portRig('internal');
    const map = gridFromText(['########', '#......#', '#......#', '#......#', '#......#', '########'], 0.5);
    const costmap = buildCostmap(map, [], { ...DEFAULT_INFLATION, inscribed_radius: DEFAULT_ROBOT.radius });
    const plant = new TestPlant(rig.ctx.createNode('test_plant'), map, { x: 3.15, y: 1.6, yaw: 1.3 });
    createDockServer(rig.ctx.createNode('behavior_server'), { robot: DEFAULT_ROBOT, costmap });
    const step = rig.ctx.createNode('plant_clock').createTimer(10_000_000n, () => plant.step());
    const result = await rig.until(rig.port.dock(DOCK, new AbortController().signal), 40);
    step.cancel();
    expect(result).toEqual({ code: 'NONE', detail: '' });
    expect(Math.hypot(plant.pose.x - DOCK.x, plant.pose.y - DOCK.y)).toBeLessThan(0.02);
  });
});
