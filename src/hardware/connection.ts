/**
 * Keeps a DriveBase linked to its board: when the port closes or errors the base has already
 * noticed (it detached itself); this opens a fresh port through the injected `connect()` when
 * the board comes back, retrying with exponential backoff, and recycles a port that stays open
 * but silent. All timing is on the injected clock, driven by tick() from a node timer.
 */
import type { Clock } from '../ros/index.js';
import type { DriveBase } from './drive-base.js';
import { firmataIOOf, type BoardWithIO, type FirmataIO } from './firmata-io.js';

export interface BaseConnectionOptions {
  clock: Clock;
  /** Opens the board's port afresh and resolves once Firmata is ready (johnny-five's 'ready'). */
  connect: () => Promise<FirmataIO | BoardWithIO>;
  /** ns to wait before the first retry after a loss; doubles per failed attempt. Default 100 ms. */
  minBackoffNs?: bigint;
  /** ns: the longest wait between attempts. Default 2 s. */
  maxBackoffNs?: bigint;
  /** ns of silence on an open port after which it is closed and opened again. Default 1 s. */
  relinkAfterNs?: bigint;
  /** ns a connect() may take before it counts as failed (its late port is closed). Default 5 s. */
  connectTimeoutNs?: bigint;
}

export interface ConnectionStatus {
  attempts: number;
  failures: number;
  connecting: boolean;
  /** When the next attempt is due (clock ns), while the base has no port and none is being opened. */
  nextAttemptNs: bigint | undefined;
  backoffNs: bigint;
  /** The last failure's message (a connect error, a timeout). */
  lastError: string | undefined;
}

const MS = 1_000_000n;

export class BaseConnection {
  readonly #base: DriveBase;
  readonly #clock: Clock;
  readonly #connect: () => Promise<FirmataIO | BoardWithIO>;
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

  constructor(base: DriveBase, options: BaseConnectionOptions) {
    this.#base = base;
    this.#clock = options.clock;
    this.#connect = options.connect;
    this.#minBackoffNs = options.minBackoffNs ?? 100n * MS;
    this.#maxBackoffNs = options.maxBackoffNs ?? 2000n * MS;
    this.#relinkAfterNs = options.relinkAfterNs ?? 1000n * MS;
    this.#connectTimeoutNs = options.connectTimeoutNs ?? 5000n * MS;
    this.#backoffNs = this.#minBackoffNs;
    // With no port at the start, the first tick tries at once.
    this.#nextAttemptNs = base.attached ? undefined : this.#clock.nowNs();
  }

  tick(): void {
    if (this.#closed) return;
    const now = this.#clock.nowNs();
    const base = this.#base;
    base.check();
    if (base.attached) {
      if (base.connected) this.#backoffNs = this.#minBackoffNs;
      if (base.silentForNs() <= this.#relinkAfterNs) return;
      base.detach('telemetry_timeout', { closePort: true });
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

  /** Stops reconnecting and lets go of the port. */
  close(): void {
    this.#closed = true;
    this.#attempt++;
    this.#base.detach('detached');
  }

  status(): ConnectionStatus {
    return {
      attempts: this.#attempts,
      failures: this.#failures,
      connecting: this.#inFlightSinceNs !== undefined,
      nextAttemptNs:
        this.#base.attached || this.#inFlightSinceNs !== undefined ? undefined : this.#nextAttemptNs,
      backoffNs: this.#backoffNs,
      lastError: this.#lastError,
    };
  }

  #start(now: bigint): void {
    const attempt = ++this.#attempt;
    this.#attempts++;
    this.#inFlightSinceNs = now;
    this.#nextAttemptNs = undefined;
    let pending: Promise<FirmataIO | BoardWithIO>;
    try {
      pending = this.#connect();
    } catch (e) {
      pending = Promise.reject(e);
    }
    pending.then(
      (io) => {
        if (attempt !== this.#attempt || this.#closed) return release(io);
        try {
          this.#base.attach(io);
          this.#inFlightSinceNs = undefined;
        } catch (e) {
          this.#fail(e instanceof Error ? e.message : String(e)); // not a Firmata board (IO_INVALID)
        }
      },
      (e: unknown) => {
        if (attempt !== this.#attempt) return;
        this.#fail(e instanceof Error ? e.message : String(e));
      },
    );
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

/** A port that arrived after its attempt was abandoned: close it so it does not hold the device. */
function release(port: FirmataIO | BoardWithIO): void {
  try {
    firmataIOOf(port).transport?.close?.(() => {});
  } catch {
    // Nothing more to do for a port we never used.
  }
}
