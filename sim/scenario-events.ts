/**
 * The scenario's events, fired when due: an obstacle appears (and goes again), a staff member
 * presses or releases the e-stop, an operator cancels. Times are absolute or counted from the
 * start of a request's escort. The e-stop and cancel go through the robot's own services, as a
 * console would send them.
 */
import type { RosNode } from '../src/ros/index.js';
import type { LiveEvent } from '../src/telemetry/index.js';
import type { ScenarioEvent } from './scenario.js';
import type { SimWorld } from './world.js';

export interface EventScheduleDeps {
  node: RosNode;
  world: SimWorld;
  /** Seconds since the run started. */
  now: () => number;
  /** When request `index`'s escort started, if it has. */
  escortStartS: (index: number) => number | undefined;
  emit: (e: LiveEvent) => void;
}

export class EventSchedule {
  readonly #pending: Array<{ e: ScenarioEvent; fired: boolean }>;
  readonly #obstacleExpiry: Array<{ id: string; atS: number }> = [];
  readonly #d: EventScheduleDeps;
  readonly #estop;
  readonly #cancel;

  constructor(events: readonly ScenarioEvent[], deps: EventScheduleDeps) {
    this.#pending = events.map((e) => ({ e, fired: false }));
    this.#d = deps;
    this.#estop = deps.node.createClient('std_srvs/srv/SetBool', '/safety/estop');
    this.#cancel = deps.node.createClient('std_srvs/srv/Trigger', '/guide/cancel');
  }

  /** Fires what is due and removes obstacles whose time is up. */
  step(): void {
    for (const p of this.#pending) {
      if (p.fired || !this.#isDue(p.e)) continue;
      p.fired = true;
      this.#fire(p.e);
    }
    const t = this.#d.now();
    for (let i = this.#obstacleExpiry.length - 1; i >= 0; i--) {
      const expiry = this.#obstacleExpiry[i]!;
      if (expiry.atS > t) continue;
      this.#d.world.removeObstacle(expiry.id);
      this.#d.emit({ t, kind: 'event', what: `obstacle ${expiry.id} removed` });
      this.#obstacleExpiry.splice(i, 1);
    }
  }

  /** No event timed from a request is still to come (the run may end). */
  requestEventsDone(): boolean {
    return this.#pending.every((p) => p.fired || !('request' in p.e.time));
  }

  /** Where each event that never happened stands in the file. */
  neverFired(): string[] {
    return this.#pending.filter((p) => !p.fired).map((p) => p.e.where);
  }

  #isDue(e: ScenarioEvent): boolean {
    const t = this.#d.now();
    if ('at' in e.time) return t >= e.time.at;
    const start = this.#d.escortStartS(e.time.request);
    return start !== undefined && t >= start + e.time.after;
  }

  #fire(e: ScenarioEvent): void {
    const { world, emit } = this.#d;
    const t = this.#d.now();
    switch (e.kind) {
      case 'obstacle':
        world.addObstacle(e.obstacle);
        if (e.durationS !== undefined) this.#obstacleExpiry.push({ id: e.obstacle.id, atS: t + e.durationS });
        emit({
          t,
          kind: 'event',
          what: `obstacle ${e.obstacle.id} appears at (${e.obstacle.x}, ${e.obstacle.y})`,
        });
        break;
      case 'estop':
        this.#estop.sendRequest({ data: e.action === 'press' }, () => {});
        emit({ t, kind: 'event', what: `e-stop ${e.action === 'press' ? 'pressed' : 'released'}` });
        break;
      case 'cancel':
        this.#cancel.sendRequest({}, () => {});
        emit({ t, kind: 'event', what: 'operator cancels the mission' });
        break;
    }
  }
}
