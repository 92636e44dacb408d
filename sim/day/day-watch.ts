/**
 * What the day's report needs, watched on the simulated clock while the day runs: the mission's
 * state and reason from /guide/status (how long the robot was in service while the centre was
 * open, and what kept it out), each request as the customers' play reports it (asked when,
 * decided how), the distance the robot drove and its battery's charge. The robot is watched
 * through its own status topic, never by reaching into its machine; the battery and the pose are
 * the simulator's truth.
 */
import type { GuideStatus } from '../../src/interfaces/index.js';
import type { RosNode } from '../../src/ros/index.js';
import type { LiveEvent } from '../../src/telemetry/index.js';

/**
 * States in which the robot would not take a new escort however long a customer waited: it is
 * charging, closed, stranded, stopped or lost, or an operator holds it.
 */
export const OUT_OF_SERVICE_STATES: ReadonlySet<string> = new Set([
  'charging',
  'closed',
  'battery_critical',
  'estopped',
  'stopped_safe',
  'localizing',
  'paused',
]);

/**
 * Reasons that turn customers away in whatever state they come with (the robot on its way to
 * charge, a battery reading it cannot trust, the centre closed).
 */
export const REFUSING_REASONS: ReadonlySet<string> = new Set([
  'battery_low',
  'battery_unreliable',
  'battery_critical',
  'centre_closed',
]);

/** The robot is in service: it would take a new escort now, or once done with the current one. */
export function inService(state: string, reason: string): boolean {
  return !OUT_OF_SERVICE_STATES.has(state) && !REFUSING_REASONS.has(reason);
}

/** The truth the simulator knows of the battery (sim/battery.ts SimBattery). */
export interface BatteryTruth {
  /** 0..1 */
  readonly charge: number;
  readonly energyDrawnWh: number;
  readonly energyChargedWh: number;
  readonly description: { readonly capacityWh: number };
}

/** One request of the day, as the customers' play reported it. */
export interface WatchedRequest {
  askedS: number;
  outcome?: string;
  reason?: string;
}

/** An interval of run seconds [fromS, untilS). */
export interface Span {
  fromS: number;
  untilS: number;
}

export class DayWatch {
  /** Requests by the runner's index. */
  readonly requests = new Map<number, WatchedRequest>();
  /** Seconds of the service spans spent in each state (and reason) that keeps the robot out of service. */
  readonly outOfServiceS = new Map<string, number>();
  #inServiceS = 0;
  #busyS = 0;
  #state = 'idle';
  #reason = '';
  #since = 0;
  #minCharge = Infinity;
  #distanceM = 0;
  #last: { x: number; y: number } | undefined;
  readonly #service: readonly Span[];
  readonly #now: () => number;
  readonly #battery: BatteryTruth | undefined;
  readonly #startCharge: number;
  readonly #startDrawnWh: number;

  /**
   * `service`: the spans in which the centre is open (run seconds); time in service counts only
   * there. `now`: the run's clock, s.
   */
  constructor(node: RosNode, service: readonly Span[], now: () => number, battery?: BatteryTruth) {
    this.#service = service;
    this.#now = now;
    this.#battery = battery;
    this.#startCharge = battery?.charge ?? NaN;
    this.#startDrawnWh = battery?.energyDrawnWh ?? 0;
    node.createSubscription('medhjalparen_msgs/msg/GuideStatus', '/guide/status', (s: GuideStatus) =>
      this.#onStatus(s.state, typeof s.reason === 'string' ? s.reason : ''),
    );
  }

  /** The mission's latest state. */
  get state(): string {
    return this.#state;
  }

  /** The customers' play tells of a request asked and decided (the runner's live events). */
  onEvent(e: LiveEvent): void {
    if (e.kind === 'request') this.requests.set(e.index, { askedS: e.t });
    else if (e.kind === 'done') {
      const r = this.requests.get(e.index);
      if (r) {
        r.outcome = e.outcome;
        // An escort that arrived went to plan, whatever it went through (asked back, a wait).
        r.reason = e.outcome === 'arrived' ? '' : e.reason;
      }
    }
  }

  /** Samples the truth: called every few steps with the robot's true pose. */
  sample(pose: { x: number; y: number }): void {
    if (this.#last) this.#distanceM += Math.hypot(pose.x - this.#last.x, pose.y - this.#last.y);
    this.#last = { x: pose.x, y: pose.y };
    const charge = this.#battery?.charge;
    if (charge !== undefined && charge < this.#minCharge) this.#minCharge = charge;
  }

  /** What was watched, up to now. */
  summary(): DaySummary {
    this.#account(this.#now());
    const b = this.#battery;
    const openS = this.#service.reduce((s, span) => s + Math.max(0, span.untilS - span.fromS), 0);
    return {
      openS,
      inServiceS: this.#inServiceS,
      busyS: this.#busyS,
      outOfServiceS: new Map(this.outOfServiceS),
      distanceM: this.#distanceM,
      battery: b
        ? {
            startCharge: this.#startCharge,
            endCharge: b.charge,
            minCharge: Math.min(this.#minCharge, b.charge),
            drawnWh: b.energyDrawnWh - this.#startDrawnWh,
            chargedWh: b.energyChargedWh,
            capacityWh: b.description.capacityWh,
          }
        : undefined,
    };
  }

  #onStatus(state: string, reason: string): void {
    this.#account(this.#now());
    this.#state = state;
    this.#reason = reason;
  }

  /** Books the time since the last status to the state it was in, within the service spans. */
  #account(t: number): void {
    const inside = overlapS(this.#service, this.#since, t);
    this.#since = t;
    if (inside <= 0) return;
    if (inService(this.#state, this.#reason)) {
      this.#inServiceS += inside;
      if (this.#state !== 'idle') this.#busyS += inside;
      return;
    }
    const why = OUT_OF_SERVICE_STATES.has(this.#state) ? this.#state : `${this.#state} (${this.#reason})`;
    this.outOfServiceS.set(why, (this.outOfServiceS.get(why) ?? 0) + inside);
  }
}

export interface DaySummary {
  /** Seconds the centre was open within the run. */
  openS: number;
  inServiceS: number;
  /** Of those, seconds serving someone (not idle): asking, escorting, returning, docking, … */
  busyS: number;
  /** Seconds out of service while open, by state (or state and reason). */
  outOfServiceS: Map<string, number>;
  distanceM: number;
  battery:
    | {
        startCharge: number;
        endCharge: number;
        minCharge: number;
        drawnWh: number;
        chargedWh: number;
        capacityWh: number;
      }
    | undefined;
}

/** Seconds of [from, until) within the spans. */
function overlapS(spans: readonly Span[], from: number, until: number): number {
  let s = 0;
  for (const span of spans) s += Math.max(0, Math.min(until, span.untilS) - Math.max(from, span.fromS));
  return s;
}
