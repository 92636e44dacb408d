/**
 * The fleet console's live socket, /api/fleet/live: a signed-in page (any role, its own origin)
 * gets the whole snapshot, then each FleetChange as the fleet service tells it. One subscription
 * to the service feeds every socket.
 *
 * Bounded: a socket may have at most `maxUnsent` messages that the network has not taken yet. A
 * page that falls that far behind (a tablet asleep, a dead link) is dropped, with a log line, and
 * reconnects for a fresh snapshot; sending never waits, so one slow page never holds the others.
 * The socket closes (4001) when its session ends: logout, expiry, the account removed.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { WebSocket } from 'ws';
import { socketOriginCheck, type Account } from '../../console/server/access.js';
import type { SessionWatcher } from '../../console/server/deps.js';
import { CLOSE_SESSION_ENDED } from '../../console/server/live-socket.js';
import type { FleetChange, FleetControl } from '../fleet-control.js';
import type { FleetLiveMessage } from './schemas.js';

export const FLEET_LIVE_PATH = '/api/fleet/live';

export interface FleetLiveOptions {
  control: FleetControl;
  wallNow: () => number;
  /** Messages a socket may have unsent before it is dropped. */
  maxUnsent: number;
  logLine: (line: string) => void;
}

/** What the hub uses of a WebSocket (the tests give sockets whose network never drains). */
export type LiveSocket = Pick<WebSocket, 'send' | 'on' | 'terminate' | 'close'>;

interface LiveClient {
  socket: LiveSocket;
  account: Account;
  /** Sent but not yet taken by the network (ws calls back when it is). */
  unsent: number;
}

export class FleetLiveHub implements SessionWatcher {
  readonly #o: FleetLiveOptions;
  readonly #clients = new Set<LiveClient>();
  #unsubscribe: (() => void) | undefined;

  constructor(options: FleetLiveOptions) {
    this.#o = options;
  }

  get size(): number {
    return this.#clients.size;
  }

  /** Subscribes to the fleet's changes (once). */
  start(): void {
    this.#unsubscribe ??= this.#o.control.subscribe((change) => this.#change(change));
  }

  routes(): FastifyPluginAsync {
    return async (app) => {
      app.get(
        FLEET_LIVE_PATH,
        { websocket: true, config: { access: 'viewer' }, preValidation: socketOriginCheck },
        (socket, request) => {
          // The guard has refused an anonymous upgrade already (401).
          if (request.account) this.attach(socket, request.account);
        },
      );
    };
  }

  sessionEnded(tokenHash: string): void {
    for (const c of this.#clients) if (c.account.tokenHash === tokenHash) this.#end(c);
  }

  userRemoved(userId: number): void {
    for (const c of this.#clients) if (c.account.user.id === userId) this.#end(c);
  }

  /** Closes every socket and stops listening to the fleet. */
  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    for (const c of this.#clients) c.socket.close(1001, 'server stopping');
    this.#clients.clear();
  }

  /** A signed-in page's socket: it gets the snapshot now and every change from now on. */
  attach(socket: LiveSocket, account: Account): void {
    const client: LiveClient = { socket, account, unsent: 0 };
    this.#clients.add(client);
    socket.on('close', () => this.#clients.delete(client));
    socket.on('error', () => socket.terminate());
    // The page only listens: anything it sends is ignored (maxPayload caps its size).
    this.#send(client, JSON.stringify({ type: 'snapshot', snapshot: this.#o.control.snapshot() }));
  }

  #change(change: FleetChange): void {
    const now = this.#o.wallNow();
    let json: string | undefined;
    for (const c of this.#clients) {
      if (c.account.expiresMs <= now) this.#end(c);
      else this.#send(c, (json ??= JSON.stringify({ type: 'change', change } satisfies FleetLiveMessage)));
    }
  }

  #send(client: LiveClient, json: string): void {
    if (client.unsent >= this.#o.maxUnsent) return this.#drop(client);
    client.unsent++;
    client.socket.send(json, () => client.unsent--);
  }

  #drop(client: LiveClient): void {
    this.#clients.delete(client);
    this.#o.logLine(
      `fleet console: dropped the live socket of ${client.account.user.name}: ` +
        `${client.unsent} messages unsent (a page too slow or gone); it reconnects for a fresh snapshot`,
    );
    // terminate, not close: a closing handshake would wait behind the unsent messages.
    client.socket.terminate();
  }

  #end(client: LiveClient): void {
    this.#clients.delete(client);
    client.socket.close(CLOSE_SESSION_ENDED, 'session ended');
  }
}
