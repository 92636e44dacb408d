/**
 * The Guide action (/guide) on the whole robot, on the simulated floor and simulated time: a
 * ROS program asks the way, is sent elsewhere, cancels its own escort, and is refused while the
 * robot is busy.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { GuideFeedback, GuideGoal } from '../src/interfaces/index.js';
import { loadSite } from '../src/map/index.js';
import { DEFAULT_ROBOT, startRobot, type RunningRobot } from '../src/robot/index.js';
import { EmbeddedContext, GoalStatus, type ActionClient } from '../src/ros/index.js';
import { DEFAULT_SITE } from '../cli/package-files.js';
import { SimulatorWorld } from '../sim/simulator-world.js';

const running: RunningRobot[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

async function robotWithClient() {
  const site = await loadSite(DEFAULT_SITE);
  const startNs = BigInt(Date.parse('2026-11-26T10:00:00+02:00')) * 1_000_000n;
  const world = new SimulatorWorld({ site, robot: DEFAULT_ROBOT, seed: 3, robotStart: site.dock, startNs });
  const graph = new EmbeddedContext({ clock: world.clock });
  running.push(await startRobot({ graph, world, site }));
  const client: ActionClient<'medhjalparen_msgs/action/Guide'> = graph
    .createNode('guide_client')
    .createActionClient('medhjalparen_msgs/action/Guide', '/guide');
  /** Steps the floor until `done()` (at most `limitS` of simulated time). */
  const runUntil = async (done: () => boolean, limitS = 120) => {
    for (let i = 0; i < limitS * 100 && !done(); i++) {
      world.step();
      graph.spinSome();
      if (i % 20 === 0) await new Promise((r) => setImmediate(r));
    }
  };
  /** Sends a goal and steps until it is answered. */
  const send = async (goal: GuideGoal, feedback: GuideFeedback[] = []) => {
    let handle: Awaited<ReturnType<typeof client.sendGoal>> | undefined;
    void client.sendGoal(goal, (f) => feedback.push(f)).then((h) => (handle = h));
    await runUntil(() => handle !== undefined, 5);
    return handle!;
  };
  const result = async (handle: Awaited<ReturnType<typeof send>>, limitS = 120) => {
    let out: Awaited<ReturnType<typeof handle.getResult>> | undefined;
    void handle.getResult().then((r) => (out = r));
    await runUntil(() => out !== undefined, limitS);
    return out;
  };
  return { runUntil, send, result };
}

const goal = (request: string, mode = ''): GuideGoal => ({ request, language: '', plain: false, mode });

describe('the Guide action', () => {
  it('tells the way when asked for directions, and sends a customer elsewhere, both succeeding', async () => {
    const r = await robotWithClient();
    await r.runUntil(() => false, 2); // the robot's nodes come up
    const feedback: GuideFeedback[] = [];
    const directions = await r.send(goal('kela', 'directions'), feedback);
    expect(directions.accepted).toBe(true);
    expect(await r.result(directions)).toEqual({
      status: GoalStatus.STATUS_SUCCEEDED,
      result: { outcome: 'directions', reason: 'directions_given', destination_id: 'kela' },
    });
    expect(feedback.map((f) => f.state)).toContain('understanding');

    const elsewhere = await r.send(goal('I need a new passport'));
    const ended = await r.result(elsewhere);
    expect(ended?.status).toBe(GoalStatus.STATUS_SUCCEEDED);
    expect(ended?.result.outcome).toBe('elsewhere');
  });

  it('cancels its own escort; a second goal while the robot escorts, or an empty one, is refused', async () => {
    const r = await robotWithClient();
    await r.runUntil(() => false, 2);
    expect((await r.send(goal('  '))).accepted).toBe(false);
    const feedback: GuideFeedback[] = [];
    const escort = await r.send(goal('kela'), feedback);
    expect(escort.accepted).toBe(true);
    await r.runUntil(() => feedback.some((f) => f.state === 'escorting'), 30);
    expect(feedback.at(-1)).toEqual({ state: 'escorting', destination_id: 'kela' });

    expect((await r.send(goal('library'))).accepted).toBe(false);

    void escort.cancelGoal();
    const ended = await r.result(escort, 30);
    expect(ended?.status).toBe(GoalStatus.STATUS_CANCELED);
    expect(ended?.result).toEqual({ outcome: 'cancelled', reason: 'cancelled', destination_id: 'kela' });
  });
});
