/**
 * When to pass the gated /cmd_vel on to the board. The gate publishes at 20 Hz; the board stops
 * by itself 250 ms after its last valid command. So: forward a new command at once unless one
 * went out less than `minPeriodNs` ago (the board gets at most 20 Hz), repeat the latest at least
 * every `refreshPeriodNs` while it is fresh (the board's watchdog never trips while the host is
 * alive), and once the latest is older than `freshForNs` send one explicit stop and then nothing:
 * the board's own watchdog is the backstop when the host really stops. Pure: times are given.
 */
export interface RelayTiming {
  minPeriodNs: bigint;
  refreshPeriodNs: bigint;
  freshForNs: bigint;
}

export interface Velocity {
  /** m/s */
  linear: number;
  /** rad/s */
  angular: number;
}

const STOP: Velocity = Object.freeze({ linear: 0, angular: 0 });

export class CommandRelay {
  readonly #t: RelayTiming;
  #latest: Velocity | undefined;
  #stampNs = 0n;
  #pending = false;
  #lastSentNs: bigint | undefined;
  #stopSent = false;

  constructor(timing: RelayTiming) {
    this.#t = { ...timing };
  }

  /** A new command arrived at `nowNs`. */
  take(cmd: Velocity, nowNs: bigint): void {
    this.#latest = { linear: cmd.linear, angular: cmd.angular };
    this.#stampNs = nowNs;
    this.#pending = true;
    this.#stopSent = false;
  }

  /** What to send at `nowNs`, if anything; what it returns counts as sent. */
  due(nowNs: bigint): Velocity | undefined {
    if (!this.#latest) return undefined;
    if (nowNs - this.#stampNs > this.#t.freshForNs) {
      if (this.#stopSent) return undefined;
      this.#stopSent = true;
      return this.#sent(nowNs, STOP);
    }
    const since = this.#lastSentNs === undefined ? undefined : nowNs - this.#lastSentNs;
    const newOne = this.#pending && (since === undefined || since >= this.#t.minPeriodNs);
    const refresh = since === undefined || since >= this.#t.refreshPeriodNs;
    return newOne || refresh ? this.#sent(nowNs, this.#latest) : undefined;
  }

  /** The link came back or changed: the next due() sends at once. */
  resend(): void {
    this.#lastSentNs = undefined;
    if (this.#latest) this.#pending = true;
  }

  #sent(nowNs: bigint, v: Velocity): Velocity {
    this.#lastSentNs = nowNs;
    this.#pending = false;
    return v;
  }
}
