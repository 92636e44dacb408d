/**
 * The roll of robots as the fleet service knows them: each one's last state, when it was last
 * heard of, and whether it is online. States are taken in order per start of a robot's agent
 * (`boot`, `seq`): a repeated or late state (older than one already taken) is dropped; a new boot
 * is a restarted robot. A robot silent for longer than the timeout has vanished; `sweep` says so
 * once, and the next state brings it back.
 */
import type { RobotState } from '../protocol.js';
import type { FleetRobotView } from '../fleet-control.js';

/** A robot is taken for vanished after this much silence: six missed states at 2 Hz. */
export const VANISHED_AFTER_MS = 3000;

export type Heard = 'new' | 'back' | 'taken' | 'old';

export class RobotRoll {
  readonly #robots = new Map<string, FleetRobotView & { boot: string; seq: number }>();
  readonly #timeoutMs: number;

  constructor(roster: readonly { robot: string; site: string }[], timeoutMs = VANISHED_AFTER_MS) {
    this.#timeoutMs = timeoutMs;
    for (const r of roster)
      this.#robots.set(r.robot, { ...r, state: null, lastSeenMs: 0, status: 'never_seen', boot: '', seq: 0 });
  }

  /** Takes a state heard at `nowMs` (the service's clock); 'old' when it is late or repeated. */
  heard(state: RobotState, nowMs: number): Heard {
    const known = this.#robots.get(state.robot);
    if (known && known.boot === state.boot && state.seq <= known.seq) return 'old';
    const was = known?.status;
    this.#robots.set(state.robot, {
      robot: state.robot,
      site: state.site,
      state,
      lastSeenMs: nowMs,
      status: 'online',
      boot: state.boot,
      seq: state.seq,
    });
    if (was === undefined) return 'new';
    return was === 'vanished' ? 'back' : 'taken';
  }

  /** Robots silent too long, now marked vanished (each told once per silence). */
  sweep(nowMs: number): FleetRobotView[] {
    const gone: FleetRobotView[] = [];
    for (const r of this.#robots.values()) {
      if (r.status === 'online' && nowMs - r.lastSeenMs > this.#timeoutMs) {
        r.status = 'vanished';
        gone.push(view(r));
      }
    }
    return gone;
  }

  get(robot: string): FleetRobotView | undefined {
    const r = this.#robots.get(robot);
    return r && view(r);
  }

  all(): FleetRobotView[] {
    return [...this.#robots.values()]
      .map(view)
      .sort((a, b) => a.site.localeCompare(b.site) || a.robot.localeCompare(b.robot));
  }
}

function view(r: FleetRobotView): FleetRobotView {
  return { robot: r.robot, site: r.site, state: r.state, lastSeenMs: r.lastSeenMs, status: r.status };
}
