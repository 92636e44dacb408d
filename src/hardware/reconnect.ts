/**
 * Keeps a device driver linked to its port, whatever the device: when the port closes or errors
 * (the driver noticed and let go of it), this opens a fresh port through the injected `connect()`
 * when the device comes back, retrying with exponential backoff, and recycles a port that stays
 * open but silent. All timing is on the injected clock, driven by tick() from a node timer.
 *
 * The drive base (BaseConnection) and the lidar (LidarConnection) are both this, each with a
 * small adapter saying what "attached", "connected" and "silent" mean for its driver.
 */
import type { Clock } from '../ros/index.js';

/** What the reconnector needs from a driver: its link state and how to hand it a port. */
export interface LinkTarget<P> {
  /** A port is attached (it may be silent). */
  readonly attached: boolean;
  /** Attached and its data fresh: the backoff starts again from its minimum. */
  readonly connected: boolean;
  /** Lets the driver notice its own timeouts; called first on every tick. */
  check(): void;
  /** ns the attached port has been silent (0 when none is attached). */
  silentForNs(): bigint;
  /** Takes a freshly opened port; throwing refuses it (counted as a failed attempt). */
  attach(port: P): void;
  /** The attached port stayed silent too long: close it, so a fresh one is opened. */
  dropSilent(): void;
  /** Lets go of the port for good (shutdown). */
  release(): void;
}

export interface ReconnectorOptions<P> {
  clock: Clock;
  /** Opens the device's port afresh and resolves once it is usable. */
  connect: () => Promise<P>;
  /** Closes a port that arrived after its attempt was abandoned, so it does not hold the device. */
  discard: (port: P) => void;
  /** ns to wait before the first retry after a loss; doubles per failed attempt. Default 100 ms. */
  minBackoffNs?: bigint;
  /** ns: the longest wait between attempts. Default 2 s. */
  maxBackoffNs?: bigint;
  /** ns of silence on an open port after which it is closed and opened again. Default 1 s. */
  relinkAfterNs?: bigint;
  /** ns a connect() may take before it counts as failed (its late port is discarded). Default 5 s. */
  connectTimeoutNs?: bigint;
}

export interface ConnectionStatus {
  attempts: number;
  failures: number;
  connecting: boolean;
  /** When the next attempt is due (clock ns), while nothing is attached and none is being opened. */
  nextAttemptNs: bigint | undefined;
  backoffNs: bigint;
  /** The last failure's message (a connect error, a timeout, a refused link). */
  lastError: string | undefined;
}

const MS = 1_000_000n;

export class Reconnector<P> {
  readonly #target: LinkTarget<P>;
  readonly #clock: Clock;
  readonly #connect: () => Promise<P>;
  readonly #discard: (port: P) => void;
  readonly #minBackoffNs: bigint;
  readonly #maxBackoffNs: bigint;
  readonly #relinkAfterNs: bigint;
  readonly #connectTimeoutNs: bigint;
  #backoffNs: bigint;
  #nextAttemptNs: bigint | undefined;
  /** Bumped per attempt, so a late answer to an abandoned attempt is recognised. */
  #attempt = 0;
  #inFlightSinceNs: bigint | undefined;
  #attempts = 0;
  #failures = 0;
  #lastError: string | undefined;
  #closed = false;

  constructor(target: LinkTarget<P>, options: ReconnectorOptions<P>) {
    this.#target = target;
    this.#clock = options.clock;
    this.#connect = options.connect;
    this.#discard = options.discard;
    this.#minBackoffNs = options.minBackoffNs ?? 100n * MS;
    this.#maxBackoffNs = options.maxBackoffNs ?? 2000n * MS;
    this.#relinkAfterNs = options.relinkAfterNs ?? 1000n * MS;
    this.#connectTimeoutNs = options.connectTimeoutNs ?? 5000n * MS;
    this.#backoffNs = this.#minBackoffNs;
    // With no port at the start, the first tick tries at once.
    this.#nextAttemptNs = target.attached ? undefined : this.#clock.nowNs();
  }

  tick(): void {
    if (this.#closed) return;
    const now = this.#clock.nowNs();
    const target = this.#target;
    target.check();
    if (target.attached) {
      if (target.connected) this.#backoffNs = this.#minBackoffNs;
      if (target.silentForNs() <= this.#relinkAfterNs) return;
      target.dropSilent();
    }
    if (this.#inFlightSinceNs !== undefined) {
      if (now - this.#inFlightSinceNs <= this.#connectTimeoutNs) return;
      this.#attempt++; // abandon it
      this.#fail(`connect did not finish within ${Number(this.#connectTimeoutNs / MS)} ms`);
      return;
    }
    if (this.#nextAttemptNs === undefined) {
      this.#nextAttemptNs = now + this.#backoffNs;
      return;
    }
    if (now < this.#nextAttemptNs) return;
    this.#start(now);
  }

  /**
   * The attached link turned out unusable after it was attached (the device refused to start, or
   * did not answer its start-up requests): its port is closed and the failure counts like a
   * failed connect, so the next attempt backs off.
   */
  linkFailed(message: string): void {
    if (this.#closed) return;
    if (this.#target.attached) this.#target.dropSilent();
    this.#fail(message);
  }

  /** Stops reconnecting and lets go of the port. */
  close(): void {
    this.#closed = true;
    this.#attempt++;
    this.#target.release();
  }

  status(): ConnectionStatus {
    return {
      attempts: this.#attempts,
      failures: this.#failures,
      connecting: this.#inFlightSinceNs !== undefined,
      nextAttemptNs:
        this.#target.attached || this.#inFlightSinceNs !== undefined ? undefined : this.#nextAttemptNs,
      backoffNs: this.#backoffNs,
      lastError: this.#lastError,
    };
  }

  #start(now: bigint): void {
    const attempt = ++this.#attempt;
    this.#attempts++;
    this.#inFlightSinceNs = now;
    this.#nextAttemptNs = undefined;
    let pending: Promise<P>;
    try {
      pending = this.#connect();
    } catch (e) {
      pending = Promise.reject(e);
    }
    pending.then(
      (port) => {
        if (attempt !== this.#attempt || this.#closed) return this.#release(port);
        try {
          this.#target.attach(port);
          this.#inFlightSinceNs = undefined;
        } catch (e) {
          this.#fail(e instanceof Error ? e.message : String(e)); // refused by the driver
        }
      },
      (e: unknown) => {
        if (attempt !== this.#attempt) return;
        this.#fail(e instanceof Error ? e.message : String(e));
      },
    );
  }

  #release(port: P): void {
    try {
      this.#discard(port);
    } catch {
      // Nothing more to do for a port we never used.
    }
  }

  #fail(message: string): void {
    this.#inFlightSinceNs = undefined;
    this.#failures++;
    this.#lastError = message;
    this.#nextAttemptNs = this.#clock.nowNs() + this.#backoffNs;
    const doubled = this.#backoffNs * 2n;
    this.#backoffNs = doubled < this.#maxBackoffNs ? doubled : this.#maxBackoffNs;
  }
}
