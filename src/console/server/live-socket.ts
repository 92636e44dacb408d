/**
 * The live WebSockets. /ws (console; a valid session and a same-origin Origin, else 401/403 before
 * the upgrade) and /kiosk/ws (anonymous, same-origin; no people, scan, faults or teleop, and only
 * its own request's words). Each client gets a hello, the map, then at most STATE_RATE_HZ the
 * fields that changed since its last message. Client frames are capped (maxPayload), parsed and
 * checked against ClientMessage; a bad one gets an 'error' message and the connection stays.
 * Teleop frames are limited per connection; the excess is dropped with one error per second.
 */
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { SaidEvent } from '../bridge/bridge.js';
import { ALL_FIELDS, type SeenVersions, type StateField } from '../bridge/live-state.js';
import {
  ClientMessage,
  PROTOCOL_VERSION,
  type MapImage,
  type MissionLogEntry,
  type ServerMessage,
} from '../protocol.js';
import { sameOrigin, type Account } from './access.js';
import type { ServerDeps, SessionWatcher } from './deps.js';
import { ApiError } from './errors.js';

const checkClient = TypeCompiler.Compile(ClientMessage);
const KIOSK_FIELDS: readonly StateField[] = ALL_FIELDS.filter(
  (f) => !['people', 'scan', 'faults', 'teleop'].includes(f),
);
/** A client this far behind is skipped for a tick rather than buffered without end. */
const MAX_BUFFERED_BYTES = 512 * 1024;
const CLOSE_SESSION_ENDED = 4001;
/** Kiosk words kept for a kiosk that follows its request just after asking. */
const RECENT_KIOSK_SAYS = 16;

interface Client {
  socket: WebSocket;
  kind: 'console' | 'kiosk';
  account: Account | undefined;
  follow: string;
  seen: SeenVersions;
  flood: { windowStartMs: number; count: number; told: boolean };
}

export class LiveHub implements SessionWatcher {
  readonly #deps: ServerDeps;
  readonly #clients = new Set<Client>();
  /**
   * The last few words said to kiosk requests, in memory only: a kiosk learns its request's id
   * from the POST reply and follows it a moment later, by when the robot may already have answered
   * (a closed desk is answered at once). Following replays them.
   */
  readonly #recentKioskSays: Extract<ServerMessage, { type: 'say' }>[] = [];

  constructor(deps: ServerDeps) {
    this.#deps = deps;
  }

  get size(): number {
    return this.#clients.size;
  }

  /** The two socket routes; the access guard has already run (401/403) for /ws. */
  routes(): FastifyPluginAsync {
    return async (app) => {
      const originCheck = async (request: FastifyRequest) => {
        if (!sameOrigin(request)) {
          throw new ApiError(
            403,
            'foreign_origin',
            'the WebSocket must be opened by the page itself',
            'origin',
          );
        }
      };
      app.get(
        '/ws',
        { websocket: true, config: { access: 'viewer' }, preValidation: originCheck },
        (socket, request) => this.#open(socket, 'console', request.account, ''),
      );
      app.get(
        '/kiosk/ws',
        { websocket: true, config: { access: 'public' }, preValidation: originCheck },
        (socket, request) => {
          const query = request.query as Record<string, unknown>;
          const follow = typeof query['request_id'] === 'string' ? query['request_id'].slice(0, 64) : '';
          this.#open(socket, 'kiosk', undefined, follow);
        },
      );
    };
  }

  /** The bridge's 10 Hz tick: each client gets what changed for it. */
  tick(): void {
    const now = this.#deps.wallNow();
    for (const c of this.#clients) {
      if (c.account && c.account.expiresMs <= now) {
        this.#endSession(c);
        continue;
      }
      if (c.socket.bufferedAmount > MAX_BUFFERED_BYTES) continue;
      const msg = this.#deps.bridge.book.delta(c.seen, c.kind === 'kiosk' ? KIOSK_FIELDS : ALL_FIELDS);
      if (msg) c.socket.send(msg);
    }
  }

  map(map: MapImage): void {
    this.#broadcast(() => true, { type: 'map', map });
  }

  say(said: SaidEvent): void {
    const audio = this.#deps.speech?.url(said.language, said.text);
    const msg: ServerMessage = { type: 'say', ...said, ...(audio ? { audio } : {}) };
    this.#broadcast((c) => c.kind === 'console' || (c.follow !== '' && c.follow === said.request_id), msg);
    if (said.request_id.startsWith('kiosk-')) {
      this.#recentKioskSays.push(msg);
      if (this.#recentKioskSays.length > RECENT_KIOSK_SAYS) this.#recentKioskSays.shift();
    }
  }

  log(entry: MissionLogEntry): void {
    this.#broadcast((c) => c.kind === 'console', { type: 'log', entry });
  }

  sessionEnded(tokenHash: string): void {
    for (const c of this.#clients) if (c.account?.tokenHash === tokenHash) this.#endSession(c);
  }

  userRemoved(userId: number): void {
    for (const c of this.#clients) if (c.account?.user.id === userId) this.#endSession(c);
  }

  closeAll(): void {
    for (const c of this.#clients) c.socket.close(1001, 'server stopping');
  }

  #open(socket: WebSocket, kind: Client['kind'], account: Account | undefined, follow: string): void {
    const client: Client = {
      socket,
      kind,
      account,
      follow,
      seen: {},
      flood: { windowStartMs: 0, count: 0, told: false },
    };
    this.#clients.add(client);
    socket.on('message', (data, isBinary) => this.#receive(client, data as Buffer, isBinary));
    socket.on('close', () => {
      this.#clients.delete(client);
      // A lost connection stops the robot at once (the holder's own socket only).
      if (account) this.#deps.bridge.teleop.stop(account.tokenHash);
    });
    socket.on('error', () => socket.terminate());
    this.#send(client, { type: 'hello', protocol: PROTOCOL_VERSION, role: account?.user.role ?? 'kiosk' });
    const map = this.#deps.bridge.map();
    if (map) this.#send(client, { type: 'map', map });
    const state = this.#deps.bridge.book.delta(client.seen, kind === 'kiosk' ? KIOSK_FIELDS : ALL_FIELDS);
    if (state) socket.send(state);
    if (follow !== '') this.#replay(client);
  }

  #receive(client: Client, data: Buffer, isBinary: boolean): void {
    if (isBinary) return this.#error(client, 'binary_frame', 'send JSON text frames', 'frame');
    let msg: unknown;
    try {
      msg = JSON.parse(data.toString('utf8'));
    } catch (e) {
      const at = /position (\d+)/.exec((e as Error).message)?.[1];
      return this.#error(
        client,
        'malformed_json',
        'the frame is not valid JSON',
        at ? `frame@${at}` : 'frame',
      );
    }
    if (!checkClient.Check(msg)) {
      const first = checkClient.Errors(msg).First();
      const where = `frame${(first?.path ?? '').replaceAll('/', '.')}`;
      return this.#error(
        client,
        'invalid_message',
        `${where}: ${first?.message ?? 'not a known message'}`,
        where,
      );
    }
    if (msg.type === 'follow') {
      if (client.kind !== 'kiosk')
        return this.#error(client, 'forbidden', 'follow is for the kiosk', 'frame.type');
      client.follow = msg.request_id;
      this.#replay(client);
      return;
    }
    this.#teleop(client, msg);
  }

  #teleop(client: Client, msg: Exclude<ClientMessage, { type: 'follow' }>): void {
    const account = client.account;
    if (!account) return this.#error(client, 'forbidden', 'the kiosk cannot drive', 'frame.type');
    if (account.expiresMs <= this.#deps.wallNow()) return this.#endSession(client);
    if (msg.type === 'teleop_stop') return this.#deps.bridge.teleop.stop(account.tokenHash);
    if (this.#flooding(client)) return;
    if (!this.#deps.bridge.teleop.command(account.tokenHash, msg.linear, msg.angular)) {
      this.#error(client, 'not_holder', 'take teleop first (POST /api/teleop/take with confirm)', 'teleop');
    }
  }

  /** More teleop frames this second than allowed: dropped, and said once per second. */
  #flooding(client: Client): boolean {
    const now = this.#deps.wallNow();
    const f = client.flood;
    if (now - f.windowStartMs >= 1000) Object.assign(f, { windowStartMs: now, count: 0, told: false });
    f.count++;
    if (f.count <= this.#deps.limits.teleopPerSecond) return false;
    if (!f.told) {
      f.told = true;
      this.#error(
        client,
        'rate_limited',
        `at most ${this.#deps.limits.teleopPerSecond} teleop messages a second; the rest were dropped`,
        'frame',
      );
    }
    return true;
  }

  #endSession(c: Client): void {
    if (c.account) this.#deps.bridge.teleop.release(c.account.tokenHash);
    this.#clients.delete(c);
    c.socket.close(CLOSE_SESSION_ENDED, 'session ended');
  }

  #error(client: Client, error: string, message: string, where: string): void {
    this.#send(client, { type: 'error', error, message, where });
  }

  /** What was already said to the request this kiosk follows, in order. */
  #replay(client: Client): void {
    for (const m of this.#recentKioskSays) if (m.request_id === client.follow) this.#send(client, m);
  }

  #send(client: Client, msg: ServerMessage): void {
    client.socket.send(JSON.stringify(msg));
  }

  #broadcast(to: (c: Client) => boolean, msg: ServerMessage): void {
    let json: string | undefined;
    for (const c of this.#clients) if (to(c)) c.socket.send((json ??= JSON.stringify(msg)));
  }
}
