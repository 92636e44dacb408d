/**
 * The connection to the fleet's broker, for a robot or the fleet service. It never stops its
 * owner: a broker that is down at start is said once ("running alone") and tried again every few
 * seconds until it answers; refused credentials are said plainly (they will not fix themselves,
 * but the robot keeps serving its own customers); a broker that goes away later is told when it
 * goes and when it is back (nats.js reconnects by itself and keeps subscriptions).
 *
 * An adapter to the network: its retries wait on the wall clock (the broker lives in real time),
 * through an injected `wait` so tests can drive it.
 */
import { connect, type Authenticator, type NatsConnection } from 'nats';
import { parseFleetUrl } from './fleet-url.js';

export { parseFleetUrl };

export interface FleetLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface FleetLinkOptions {
  /** nats://HOST:PORT */
  url: string;
  /** The client's name on the broker (a robot's id, 'fleet-service'). */
  name: string;
  authenticator?: Authenticator;
  /**
   * The client's own reply-subject prefix (credentials' inboxPrefixFor): a robot may listen only
   * there, so it cannot read the answers the broker sends anyone else.
   */
  inboxPrefix?: string;
  log: FleetLog;
  /** Between attempts while the broker has never answered, ms (default 2,000). */
  retryMs?: number;
  /** Waits ms on the wall clock (injected for tests). */
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export type LinkStatus = 'connecting' | 'connected' | 'disconnected' | 'closed';

export class FleetLink {
  readonly #options: FleetLinkOptions;
  readonly #stop = new AbortController();
  readonly #listeners = new Set<(status: LinkStatus, nc: NatsConnection | undefined) => void>();
  #nc: NatsConnection | undefined;
  #status: LinkStatus = 'connecting';
  /** Resolves at the first connection; never rejects (close() leaves it pending no more: resolves undefined). */
  readonly ready: Promise<NatsConnection | undefined>;

  private constructor(options: FleetLinkOptions) {
    this.#options = options;
    this.ready = this.#firstConnect();
  }

  /** Starts connecting in the background; the caller goes on at once. */
  static open(options: FleetLinkOptions): FleetLink {
    parseFleetUrl(options.url);
    return new FleetLink(options);
  }

  get status(): LinkStatus {
    return this.#status;
  }

  get connection(): NatsConnection | undefined {
    return this.#status === 'connected' ? this.#nc : undefined;
  }

  /** Called on every change of status, with the connection when connected. Returns an unsubscribe. */
  onStatus(listener: (status: LinkStatus, nc: NatsConnection | undefined) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.#stop.abort();
    const nc = this.#nc;
    this.#nc = undefined;
    this.#set('closed');
    await nc?.drain().catch(() => nc.close());
  }

  #set(status: LinkStatus): void {
    if (this.#status === status || this.#status === 'closed') return;
    this.#status = status;
    for (const l of this.#listeners) l(status, this.connection);
  }

  async #firstConnect(): Promise<NatsConnection | undefined> {
    const { log, url, name } = this.#options;
    let told = '';
    while (!this.#stop.signal.aborted) {
      try {
        const nc = await connect(this.#connectOptions());
        if (this.#stop.signal.aborted) {
          await nc.close();
          return undefined;
        }
        this.#nc = nc;
        log.info(`fleet: connected to ${url} as ${name}`);
        this.#set('connected');
        void this.#watch(nc);
        return nc;
      } catch (e) {
        const why = connectFailure(e);
        if (why !== told) {
          (why.startsWith('credentials') ? log.error : log.warn)(
            `fleet: ${url}: ${why}; running alone, trying again every ${(this.#retryMs() / 1000).toFixed(0)} s`,
          );
          told = why;
        }
        await this.#wait(this.#retryMs()).catch(() => undefined);
      }
    }
    return undefined;
  }

  #connectOptions() {
    const { url, name, authenticator, inboxPrefix } = this.#options;
    return {
      ...(inboxPrefix ? { inboxPrefix } : {}),
      servers: url,
      name,
      // After the first connection nats.js keeps trying by itself, forever, and keeps subscriptions.
      maxReconnectAttempts: -1,
      reconnectTimeWait: this.#retryMs(),
      waitOnFirstConnect: false,
      ...(authenticator ? { authenticator } : {}),
    };
  }

  async #watch(nc: NatsConnection): Promise<void> {
    const { log, url } = this.#options;
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') {
        log.warn(`fleet: lost ${url}; running alone until it is back`);
        this.#set('disconnected');
      } else if (s.type === 'reconnect') {
        log.info(`fleet: back on ${url}`);
        this.#set('connected');
      } else if (s.type === 'error' && String(s.data).includes('AUTHORIZATION')) {
        log.error(`fleet: ${url} refused the credentials`);
      }
    }
  }

  #retryMs(): number {
    return this.#options.retryMs ?? 2000;
  }

  #wait(ms: number): Promise<void> {
    return (this.#options.wait ?? wallWait)(ms, this.#stop.signal);
  }
}

/** What went wrong at a connection attempt, in words an operator acts on. */
export function connectFailure(e: unknown): string {
  const code = (e as { code?: string }).code ?? '';
  const text = String((e as Error).message ?? e);
  if (code === 'AUTHORIZATION_VIOLATION' || /authorization/i.test(text)) {
    return 'credentials refused by the broker (check the seed file and the server configuration)';
  }
  if (code === 'CONNECTION_REFUSED' || /ECONNREFUSED|connection refused/i.test(text)) {
    return 'the broker is not running or not reachable';
  }
  return `cannot connect (${text.slice(0, 120)})`;
}

/** The default wait: the wall clock, cut short by close(). */
export function wallWait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    // eslint-disable-next-line no-restricted-syntax -- network retry on the wall clock (FleetLinkOptions.wait)
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(new Error('closed'));
      },
      { once: true },
    );
  });
}
