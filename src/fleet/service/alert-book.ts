/**
 * The operator's alerts: what needs a person (a robot vanished, a customer handed over, a task no
 * robot can take), numbered, bounded, and said once per cause rather than at every state message.
 */
import type { AlertCode, FleetAlert } from '../fleet-control.js';

const KEPT = 200;

export class AlertBook {
  readonly #alerts: FleetAlert[] = [];
  /** Causes already told and still true (robot + code): said again only after they clear. */
  readonly #standing = new Set<string>();
  #next = 1;

  constructor(private readonly onAlert: (a: FleetAlert) => void) {}

  add(
    code: AlertCode,
    where: { site: string; robot?: string | null; task?: string | null },
    text: string,
    atMs: number,
  ): FleetAlert {
    const alert: FleetAlert = {
      id: this.#next++,
      code,
      site: where.site,
      robot: where.robot ?? null,
      task: where.task ?? null,
      atMs,
      text,
    };
    this.#alerts.push(alert);
    if (this.#alerts.length > KEPT) this.#alerts.shift();
    this.onAlert(alert);
    return alert;
  }

  /** Adds the alert if the condition is newly true for this robot; forgets it when false. */
  condition(
    on: boolean,
    code: AlertCode,
    where: { site: string; robot: string },
    text: string,
    atMs: number,
  ): void {
    const key = `${where.robot}/${code}`;
    if (!on) {
      this.#standing.delete(key);
      return;
    }
    if (this.#standing.has(key)) return;
    this.#standing.add(key);
    this.add(code, where, text, atMs);
  }

  all(): FleetAlert[] {
    return [...this.#alerts];
  }
}
