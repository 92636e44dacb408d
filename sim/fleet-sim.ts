/**
 * A fleet on simulated floors: every robot of every floor runs its own whole controller (its own
 * embedded graph and composition root) in a world of its own, all on one simulated clock in one
 * loop: step every world, share each floor (sim/fleet-floor.ts), play every robot's customers and
 * events, spin every graph, watch. So a seed still gives the same run bit for bit, however many
 * robots. The loop yields to the event loop every few steps, so network I/O attached in onStart
 * (a fleet agent on NATS) flows. A robot can be killed mid-run, as if its computer died: its world
 * is no longer stepped and its graph no longer spun, and its body stays where it stopped, an
 * obstacle to the others.
 */
import { loadSite, type Site } from '../src/map/index.js';
import type { Outcome, RunningRobot } from '../src/robot/index.js';
import type { GraphContext } from '../src/ros/index.js';
import type { LiveEvent } from '../src/telemetry/index.js';
import { SimError } from './errors.js';
import { composeRobot, type ComposeOptions } from './fleet-compose.js';
import { SharedFloor } from './fleet-floor.js';
import { PairContacts } from './fleet-contacts.js';
import { buildFleetReport, type FleetRunReport } from './fleet-report.js';
import { robotScenario, type FleetScenario } from './fleet-scenario.js';
import { checkFleetSites } from './fleet-site.js';
import { YIELD_EVERY_STEPS, startPlay, yieldToEventLoop, type ScenarioPlay } from './runner.js';
import { STEP_S, type SimulatorWorld } from './simulator-world.js';

export type { FleetRunReport, FleetScenario };

/** One robot of the fleet, as onStart hands it out (the fleet agent attaches to its graph). */
export interface FleetSimRobot {
  id: string;
  /** Index of its floor in the scenario. */
  floor: number;
  /** The floor's site with this robot's own dock. */
  site: Site;
  world: SimulatorWorld;
  graph: GraphContext;
  robot: RunningRobot;
}

/** What a caller may do to the fleet while it runs. */
export interface FleetControl {
  /**
   * The robot's computer dies now: from the next step its world is not stepped and its graph not
   * spun; its body stays where it is, an obstacle to the others. Killing it again does nothing.
   */
  kill(id: string): void;
  /** Simulated seconds since the start. */
  readonly elapsedS: number;
}

export interface FleetSimOptions extends ComposeOptions {
  /** Each floor's site, already loaded (by floor index); otherwise loaded from the scenario. */
  sites?: readonly Site[];
}

export interface FleetSimHooks {
  /** Once every robot is up, before the first step. */
  onStart?: (robots: readonly FleetSimRobot[], control: FleetControl) => void | Promise<void>;
  /** Called every few steps; the CLI paces real time here. Default: yield to the event loop. */
  pace?: (simElapsedS: number) => Promise<void>;
  /** Stops the run early (Ctrl-C): the robots are stopped, the report covers what ran. */
  signal?: AbortSignal;
  /** The run may end now (a caller's own stream of work is done); asked every step. */
  over?: () => boolean;
  /**
   * Work comes from outside (a fleet's tasks), not the scenario's customers: the run goes on until
   * `signal` (or the time limit), not when the listed customers are served.
   */
  endless?: boolean;
  onEvent?: (robotId: string, e: LiveEvent) => void;
  /** A request's outcome is decided (once per request). */
  onDecided?: (robotId: string, index: number, outcome: Outcome) => void;
  /** After every step, once every graph has spun (tests look at the worlds here). */
  onStep?: (control: FleetControl) => void;
}

/** A robot in the loop: its parts, its play, and whether its computer still runs. */
interface Member extends FleetSimRobot {
  play: ScenarioPlay;
  killedAtS: number | undefined;
}

export async function simulateFleet(
  scenario: FleetScenario,
  options: FleetSimOptions = {},
  hooks: FleetSimHooks = {},
): Promise<FleetRunReport> {
  const sites = options.sites ?? (await Promise.all(scenario.floors.map((f) => loadSite(f.siteDir))));
  // Also gives each floor's first robot the site's dock when the file gave it none.
  const problems = checkFleetSites(scenario, sites);
  if (problems.length > 0) throw SimError.of('SCENARIO_SITE', problems);
  const members = await composeFleet(scenario, sites, options, hooks);
  const floors = scenario.floors.map(
    (_, f) => new SharedFloor(members.filter((m) => m.floor === f).map((m) => m.world.physics)),
  );
  const contacts = scenario.floors.map(
    (_, f) => new PairContacts(floors[f]!, members.filter((m) => m.floor === f).length),
  );
  let steps = 0;
  const control = fleetControl(members, () => steps);
  try {
    await hooks.onStart?.(members.map(publicPart), control);
    await runLoop(scenario, members, floors, contacts, control, hooks, () => ++steps);
  } finally {
    for (const m of members) await m.robot.stop();
  }
  return buildFleetReport({
    scenario,
    members: members.map((m) => ({
      id: m.id,
      floor: m.floor,
      killedAtS: m.killedAtS,
      world: m.world.physics,
      report: m.play.report(hooks.signal?.aborted ?? false),
    })),
    floors: scenario.floors.map((_, f) => ({ site: sites[f]!, contacts: contacts[f]! })),
    simTimeS: steps * STEP_S,
  });
}

/** Kill a robot; how far the run has got. */
function fleetControl(members: readonly Member[], steps: () => number): FleetControl {
  return {
    kill: (id) => {
      const m = members.find((x) => x.id === id);
      if (!m) {
        const ids = members.map((x) => x.id).join(', ');
        throw new SimError('UNKNOWN_ID', `kill('${id}')`, `expected one of ${ids}`);
      }
      m.killedAtS ??= steps() * STEP_S;
    },
    get elapsedS() {
      return steps() * STEP_S;
    },
  };
}

/** What a caller gets of a robot: its parts, not the loop's bookkeeping. */
function publicPart(m: Member): FleetSimRobot {
  return { id: m.id, floor: m.floor, site: m.site, world: m.world, graph: m.graph, robot: m.robot };
}

/** Every robot up in its world, its scenario's part started; the floor's crowd avoids every dock. */
async function composeFleet(
  scenario: FleetScenario,
  sites: readonly Site[],
  options: FleetSimOptions,
  hooks: FleetSimHooks,
): Promise<Member[]> {
  const members: Member[] = [];
  try {
    for (const [f, floor] of scenario.floors.entries()) {
      const docks = floor.robots.map((r) => r.dock);
      for (const spec of floor.robots) {
        const site = { ...sites[f]!, dock: spec.dock };
        const part = robotScenario(scenario, floor, spec);
        const sim = await composeRobot(part, site, spec.id, options);
        const play = startPlay(
          part,
          sim,
          {
            ...(hooks.onEvent ? { onEvent: (e: LiveEvent) => hooks.onEvent!(spec.id, e) } : {}),
            ...(hooks.onDecided
              ? { onDecided: (i: number, o: Outcome) => hooks.onDecided!(spec.id, i, o) }
              : {}),
          },
          { crowdKeepClear: docks },
        );
        members.push({ id: spec.id, floor: f, ...sim, play, killedAtS: undefined });
      }
    }
  } catch (e) {
    for (const m of members) await m.robot.stop();
    throw e;
  }
  return members;
}

/** The lockstep loop, until every running robot has served its customers (or the time limit). */
async function runLoop(
  scenario: FleetScenario,
  members: readonly Member[],
  floors: readonly SharedFloor[],
  contacts: readonly PairContacts[],
  control: FleetControl,
  hooks: FleetSimHooks,
  tick: () => number,
): Promise<void> {
  const kills = [...scenario.kills];
  let settleS = 0;
  while (control.elapsedS < scenario.timeLimitS) {
    const alive = members.filter((m) => m.killedAtS === undefined);
    for (const m of alive) m.world.step();
    const step = tick();
    for (const floor of floors) floor.sync();
    for (const c of contacts) c.step();
    for (const m of alive) m.play.afterStep();
    for (const m of alive) m.graph.spinSome();
    for (const m of alive) m.play.afterSpin();
    while (kills.length > 0 && kills[0]!.atS <= control.elapsedS) control.kill(kills.shift()!.robot);
    hooks.onStep?.(control);
    if (step % YIELD_EVERY_STEPS === 0) {
      await (hooks.pace ? hooks.pace(control.elapsedS) : yieldToEventLoop());
      if (hooks.signal?.aborted) break;
    }
    // Done when every robot still running has served its customers and settled at its dock.
    const served =
      !hooks.endless &&
      kills.length === 0 &&
      members.every((m) => m.killedAtS !== undefined || m.play.served());
    if (served || hooks.over?.()) {
      settleS += STEP_S;
      if (settleS >= 1) break;
    }
  }
}
