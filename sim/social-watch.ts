/**
 * Feeds the social-navigation metrics (social-metrics.ts) from the simulated floor: every step
 * the robot's true pose and speed, the people on the floor, the request being escorted and the
 * customer being served; at the end, each request's metrics (its path measured against the
 * shortest way on the static map) and the run's summary, rounded for the report. Read only.
 */
import { DEFAULT_GUIDE_PARAMS } from '../src/robot/index.js';
import type { CustomerPlay, CustomerRun } from './customer-play.js';
import { ShortestPaths } from './shortest-path.js';
import {
  SocialMetrics,
  roundSocial,
  summarizeRun,
  type RequestSocial,
  type RunSocial,
} from './social-metrics.js';
import type { SimWorld } from './world.js';

export class SocialWatch {
  readonly #metrics: SocialMetrics;
  readonly #world: SimWorld;
  readonly #customers: CustomerPlay;
  readonly #now: () => number;
  readonly #robot = { x: 0, y: 0, yaw: 0, v: 0 };
  #shortest: ShortestPaths | undefined;

  /** `listed`: the scenario lists its customers (each request's figures are kept for the report). */
  constructor(world: SimWorld, customers: CustomerPlay, now: () => number, listed: boolean) {
    this.#world = world;
    this.#customers = customers;
    this.#now = now;
    // The distance the mission itself calls lagging: beyond it, it slows for the customer.
    this.#metrics = new SocialMetrics({
      robotRadiusM: world.robotRadius,
      followGapM: DEFAULT_GUIDE_PARAMS.comfortGapM,
      keepRequests: listed,
    });
  }

  /** Called every step, after the world and the customers have moved. */
  step(): void {
    const pose = this.#world.robotPose();
    const robot = this.#robot;
    robot.x = pose.x;
    robot.y = pose.y;
    robot.yaw = pose.yaw;
    robot.v = this.#world.plant.velocity.v;
    const customers = this.#customers;
    this.#metrics.step(
      this.#now(),
      robot,
      this.#world.people(),
      customers.escorting(),
      customers.servedPersonId(),
    );
  }

  /** A request's metrics for the report (null: it was never escorted). */
  request(c: CustomerRun, arrived: boolean): RequestSocial | null {
    this.#shortest ??= new ShortestPaths(this.#world.caster, this.#world.robotRadius);
    const shortest = this.#shortest;
    const m = this.#metrics.request(c.index, arrived, (a, b) => shortest.lengthM(a, b));
    return m && roundSocial(m);
  }

  /** The run's summary over its requests' (already rounded) metrics. */
  run(requests: readonly (RequestSocial | null)[]): RunSocial {
    return roundSocial(summarizeRun(requests, this.#metrics.runIntrusions()));
  }
}
