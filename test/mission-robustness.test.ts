/**
 * A failed return never ends the robot's day, on the simulated floor: a cart left across the only
 * way home (a scenario event) stops the robot on its way back; it tells the operator and whoever
 * is near, serves the next customers from where it stands, and gets home once the way clears.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulate } from '../cli/simulate.js';
import type { GuideStatus, Utterance } from '../src/interfaces/index.js';
import { distance, type Pose2D } from '../src/ros/index.js';
import { loadScenario } from '../sim/scenario.js';

const SCENARIO = path.join('sim', 'scenarios', 'return-blocked-serves-from-where-it-stands.yaml');

describe('a blocked way home', () => {
  it('serves the next customers from where the robot stands and gets home once the way clears', async () => {
    const scenario = await loadScenario(SCENARIO);
    const reasons: string[] = [];
    const said: Utterance[] = [];
    /** Where the robot was when each request's escort first started. */
    const escortFrom: Array<{ request: string; at: Pose2D }> = [];
    let dock: Pose2D | undefined;
    const report = await simulate(scenario, {
      onStart: (sim) => {
        dock = sim.site.dock;
        const node = sim.graph.createNode('robustness_probe');
        node.createSubscription('medhjalparen_msgs/msg/GuideStatus', '/guide/status', (s: GuideStatus) => {
          if (s.reason && s.reason !== reasons.at(-1)) reasons.push(s.reason);
          if (s.state === 'escorting' && !escortFrom.some((e) => e.request === s.request_id)) {
            escortFrom.push({ request: s.request_id, at: sim.world.physics.robotPose() });
          }
        });
        node.createSubscription('medhjalparen_msgs/msg/Utterance', '/guide/say', (u: Utterance) =>
          said.push(u),
        );
      },
    });
    expect(report.requests.map((r) => r.outcome)).toEqual([
      'arrived',
      'arrived',
      'arrived',
      'arrived',
      'arrived',
    ]);
    expect(report.ok).toBe(true);
    expect(report.collisions).toEqual({ wall: 0, obstacle: 0, person: 0 });
    // The operator was told, in the reason table's words, and the robot asked whoever was near.
    expect(reasons).toContain('return_blocked');
    for (const language of ['fi', 'sv', 'en'])
      expect(said.some((u) => u.kind === 'return.blocked' && u.language === language)).toBe(true);
    // Customers 1..3 were escorted from where it stood (metres from its dock), the last from the dock.
    expect(escortFrom.map((e) => e.request)).toEqual(['req-0', 'req-1', 'req-2', 'req-3', 'req-4']);
    const fromDock = escortFrom.map((e) => distance(e.at, dock!));
    expect(fromDock[0]).toBeLessThan(0.5);
    expect(fromDock.slice(1, 4).every((d) => d > 3)).toBe(true);
    expect(fromDock[4]).toBeLessThan(0.5);
  });
});
