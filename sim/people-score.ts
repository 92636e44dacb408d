/**
 * How well the robot finds people, scored against the simulator's ground truth (which only the
 * SimWorld holds; the robot never sees it). The rule, stated once for the test, the benchmark and
 * the docs:
 *
 * - a true person counts for recall when within `withinM` of the robot and not hidden from its
 *   lidar by the map's walls (other people may hide them: that still counts as a miss);
 * - a detection counts for precision when within `withinM` of the robot;
 * - a detection and a true person match when at most `matchM` apart, one to one, closest pairs
 *   first; a detection matched to anyone is correct, a true person matched by anyone is found.
 */
import type { People } from '../src/ros/index.js';
import type { SimulatedRobot } from './runner.js';

export const PEOPLE_SCORE_RULE = { withinM: 5, matchM: 0.5 } as const;

export interface PeopleScore {
  /** Messages (or scans) scored. */
  frames: number;
  /** Detections within range that matched a true person / all detections within range. */
  correct: number;
  detections: number;
  /** True people within range and in sight that were matched / all of them. */
  found: number;
  truths: number;
  precision: number;
  recall: number;
}

type Point = { x: number; y: number };

export class PeopleScorer {
  #frames = 0;
  #correct = 0;
  #detections = 0;
  #found = 0;
  #truths = 0;

  constructor(readonly rule: { withinM: number; matchM: number } = PEOPLE_SCORE_RULE) {}

  /** One moment: what was detected, who was there, where the robot was, who it could see. */
  add(
    detected: readonly Point[],
    truth: readonly Point[],
    robot: Point,
    inSight: (p: Point) => boolean,
  ): void {
    const { withinM, matchM } = this.rule;
    const near = (p: Point) => Math.hypot(p.x - robot.x, p.y - robot.y) <= withinM;
    const pairs: { i: number; j: number; d: number }[] = [];
    detected.forEach((a, i) =>
      truth.forEach((b, j) => {
        const d = Math.hypot(a.x - b.x, a.y - b.y);
        if (d <= matchM) pairs.push({ i, j, d });
      }),
    );
    pairs.sort((a, b) => a.d - b.d || a.i - b.i || a.j - b.j);
    const usedD = new Uint8Array(detected.length);
    const usedT = new Uint8Array(truth.length);
    for (const { i, j } of pairs) {
      if (usedD[i] || usedT[j]) continue;
      usedD[i] = 1;
      usedT[j] = 1;
    }
    this.#frames++;
    detected.forEach((d, i) => {
      if (!near(d)) return;
      this.#detections++;
      if (usedD[i]) this.#correct++;
    });
    truth.forEach((t, j) => {
      if (!near(t) || !inSight(t)) return;
      this.#truths++;
      if (usedT[j]) this.#found++;
    });
  }

  score(): PeopleScore {
    return {
      frames: this.#frames,
      correct: this.#correct,
      detections: this.#detections,
      found: this.#found,
      truths: this.#truths,
      precision: this.#detections === 0 ? 1 : this.#correct / this.#detections,
      recall: this.#truths === 0 ? 1 : this.#found / this.#truths,
    };
  }
}

/**
 * Scores every /people the robot publishes against the world at that moment (the message is
 * delivered in the same lockstep step as the scan it came from, before the world moves on).
 */
export function scoreRobotPeople(sim: SimulatedRobot, scorer = new PeopleScorer()): PeopleScorer {
  const physics = sim.world.physics;
  const node = sim.graph.createNode('people_score');
  node.createSubscription('people_msgs/msg/People', '/people', (msg: People) => {
    const robot = physics.robotPose();
    scorer.add(
      msg.people.map((p) => ({ x: p.position.x, y: p.position.y })),
      physics.people(),
      robot,
      (p) => physics.lineOfSight(robot, p),
    );
  });
  return scorer;
}
