/**
 * One lidar's life on its links: the start-up sequence on every new link (STOP, GET_INFO,
 * GET_HEALTH with one RESET out of protection stop, motor on, SCAN) and the state it leaves the
 * lidar in — waiting, starting, scanning, silent, refused, failed — logged when it changes, a
 * problem logged once however often a retry meets it again. The owner (the node) says when the
 * link went down, when the watchdog found the device silent, and when nodes came again.
 */
import type { Logger } from '../../ros/index.js';
import type { LidarConnection } from './connection.js';
import type { LidarState } from './diagnostics.js';
import type { LinkDownReason, RplidarDriver } from './driver.js';
import { LidarError } from './errors.js';
import type { DeviceInfo, Health } from './protocol.js';

export interface LidarSessionOptions {
  driver: RplidarDriver;
  /** Given, a failed start closes the link through it (retried with backoff). */
  connection: LidarConnection | undefined;
  log: Logger;
  nowNs: () => bigint;
}

/**
 * Log level per state entered. A problem (silent, refused, failed) is logged when it is new, not
 * again on every retry that meets it; starting again is routine.
 */
const STATE_LOG: Record<LidarState, 'debug' | 'info' | 'warn' | 'error'> = {
  waiting: 'warn',
  starting: 'debug',
  scanning: 'info',
  silent: 'warn',
  refused: 'error',
  failed: 'error',
  stopped: 'info',
};

export class LidarSession {
  readonly #driver: RplidarDriver;
  readonly #connection: LidarConnection | undefined;
  readonly #log: Logger;
  readonly #nowNs: () => bigint;
  #state: LidarState = 'waiting';
  #reason: string | undefined;
  #sinceNs: bigint;
  /** Bumped per start and per link change, so an answer to an abandoned start is ignored. */
  #epoch = 0;
  #starts = 0;
  #info: DeviceInfo | undefined;
  #health: Health | undefined;
  #motorWarned = false;
  /** The problem last logged (`refused: …`), kept until the lidar scans again. */
  #problem: string | undefined;

  constructor(options: LidarSessionOptions) {
    this.#driver = options.driver;
    this.#connection = options.connection;
    this.#log = options.log;
    this.#nowNs = options.nowNs;
    this.#sinceNs = options.nowNs();
  }

  get state(): LidarState {
    return this.#state;
  }
  get reason(): string | undefined {
    return this.#reason;
  }
  /** The problem met since the lidar last scanned, while it is retried. */
  get problem(): string | undefined {
    return this.#problem;
  }
  get info(): DeviceInfo | undefined {
    return this.#info;
  }
  get health(): Health | undefined {
    return this.#health;
  }
  get starts(): number {
    return this.#starts;
  }
  /** When the state was last entered, on the node clock. */
  get sinceNs(): bigint {
    return this.#sinceNs;
  }

  /** Starts the device on the attached link; an earlier start still under way is abandoned. */
  begin(): void {
    void this.#run(++this.#epoch);
  }

  /** The link went down; a refusal or failure (which closed it) stays visible until the next start. */
  linkDown(reason: LinkDownReason | undefined): void {
    if (this.#state === 'stopped') return;
    this.#epoch++;
    if (this.#state !== 'refused' && this.#state !== 'failed') this.#set('waiting', reason);
  }

  /** The watchdog found no node for too long. */
  silent(why: string): void {
    if (this.#state === 'scanning') this.#set('silent', why);
  }

  /** Nodes came again after a silence. */
  resumed(): void {
    if (this.#state === 'silent') this.#set('scanning');
  }

  stop(): void {
    this.#epoch++;
    this.#set('stopped');
  }

  async #run(my: number): Promise<void> {
    const d = this.#driver;
    const current = () => my === this.#epoch;
    this.#starts++;
    this.#set('starting');
    try {
      d.stop(); // a device left scanning by an earlier run must listen first
      this.#info = await d.info();
      if (!current()) return;
      this.#health = await d.health();
      if (!current()) return;
      if (this.#health.status === 'error') {
        // The protocol's way out of protection stop; the request after it waits out the reboot.
        d.reset();
        this.#health = await d.health();
        if (!current()) return;
        if (this.#health.status === 'error') {
          const code = this.#health.errorCode.toString(16).toUpperCase().padStart(4, '0');
          throw new LidarError(
            'HEALTH_ERROR',
            d.name,
            `health ERROR (error code 0x${code}) after a reset: not scanning`,
          );
        }
      }
      await d.motor(true).catch((e: unknown) => {
        // Scan anyway: a motor that does turn (wired on) still gives nodes; one that does not
        // leaves the lidar silent, which the watchdog reports.
        if (!this.#motorWarned) this.#log.warn('lidar motor not switched', { error: message(e) });
        this.#motorWarned = true;
      });
      if (!current()) return;
      await d.startScan();
      if (!current()) return;
      this.#set('scanning');
    } catch (e) {
      if (!current()) return;
      const refused = e instanceof LidarError && e.code === 'HEALTH_ERROR';
      this.#set(refused ? 'refused' : 'failed', message(e));
      this.#connection?.linkFailed(message(e)); // closes the port; retried with backoff
    }
  }

  #set(next: LidarState, why?: string): void {
    const changed = next !== this.#state || why !== this.#reason;
    this.#state = next;
    this.#reason = why;
    this.#sinceNs = this.#nowNs();
    if (!changed) return;
    const problem =
      next === 'silent' || next === 'refused' || next === 'failed' ? `${next}: ${why}` : undefined;
    const level = problem !== undefined && problem === this.#problem ? 'debug' : STATE_LOG[next];
    if (next === 'scanning') this.#problem = undefined;
    if (problem !== undefined) this.#problem = problem;
    this.#log[level](`lidar ${next}${why ? `: ${why}` : ''}`, { device: this.#driver.name });
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
