/**
 * The live WebSockets. /ws (console; a valid session and a same-origin Origin, else 401/403 before
 * the upgrade) and /kiosk/ws (anonymous, same-origin; no people, scan, faults or teleop, and only
 * its own request's words). Each client gets a hello, the map, then at most STATE_RATE_HZ the
 * fields that changed since its last message. Client frames are capped (maxPayload), parsed and
 * checked against ClientMessage; a bad one gets an 'error' message and the connection stays.
 * Teleop frames are limited per connection; the excess is dropped with one error per second.
 */
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { FastifyPluginAsync } from 'fastify';
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
import { socketOriginCheck, type Account } from './access.js';
import type { ServerDeps, SessionWatcher } from './deps.js';
import { jsonErrorOffset } from './json-offset.js';
import { speechParts } from '../speech.js';

const checkClient = TypeCompiler.Compile(ClientMessage);
/** Each message type's own schema, so an error names the field (a union only says "no variant"). */
const checkByType = new Map(
  ClientMessage.anyOf.map((variant) => [
    String(variant.properties.type.const),
    TypeCompiler.Compile(variant),
  ]),
);
/** The kiosk's fields; its 'mission' is its own view (see kioskMission). */
const KIOSK_FIELDS: readonly StateField[] = ALL_FIELDS.filter(
  (f) => !['people', 'scan', 'faults', 'teleop', 'mission'].includes(f),
);
/** A client this far behind is skipped for a tick rather than buffered without end. */
const MAX_BUFFERED_BYTES = 512 * 1024;
/** The close code a page reads as "signed out" (logout, expiry, the account removed). */
export const CLOSE_SESSION_ENDED = 4001;
/**
 * The robot may speak before a kiosk has told which request is its own (it asks, then follows):
 * the last words of the last few kiosk requests are kept in memory to replay when it does.
 */
const KEPT_REQUESTS = 8;
const KEPT_WORDS = 10;

interface Client {
  socket: WebSocket;
  kind: 'console' | 'kiosk';
  account: Account | undefined;
  follow: string;
  seen: SeenVersions;
  /** The kiosk's last 'mission' as sent (JSON). */
  mission: string;
  flood: { windowStartMs: number; count: number; told: boolean };
}

export class LiveHub implements SessionWatcher {
  readonly #deps: ServerDeps;
  readonly #clients = new Set<Client>();
  readonly #recentWords = new Map<string, ServerMessage[]>();

  constructor(deps: ServerDeps) {
    this.#deps = deps;
  }

  get size(): number {
    return this.#clients.size;
  }

  /** The two socket routes; the access guard has already run (401/403) for /ws. */
  routes(): FastifyPluginAsync {
    return async (app) => {
      app.get(
        '/ws',
        { websocket: true, config: { access: 'viewer' }, preValidation: socketOriginCheck },
        (socket, request) => this.#open(socket, 'console', request.account, ''),
      );
      app.get(
        '/kiosk/ws',
        { websocket: true, config: { access: 'public' }, preValidation: socketOriginCheck },
        (socket, request) => {
          const query = request.query as Record<string, unknown>;
          const follow = typeof query['request_id'] === 'string' ? query['request_id'].slice(0, 64) : '';
          this.#open(socket, 'kiosk', undefined, follow);
        },
      );
    };
  }

  /** Any page connected (the bridge builds the live state only then). */
  get watching(): boolean {
    return this.#clients.size > 0;
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
      const msg = this.#stateFor(c);
      if (msg) c.socket.send(msg);
    }
  }

  map(map: MapImage): void {
    this.#broadcast(() => true, { type: 'map', map });
  }

  say(said: SaidEvent): void {
    const speech = this.#deps.speech;
    const urls = speech
      ? speechParts(said.text).flatMap((part) => speech.url(said.language, part) ?? [])
      : [];
    const [audio, ...more] = urls;
    const msg: ServerMessage = {
      type: 'say',
      ...said,
      ...(audio ? { audio } : {}),
      ...(more.length > 0 ? { audio_more: more } : {}),
    };
    if (said.request_id.startsWith('kiosk-')) this.#keepWords(said.request_id, msg);
    this.#broadcast((c) => c.kind === 'console' || (c.follow !== '' && c.follow === said.request_id), msg);
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
      follow: '',
      seen: {},
      mission: '',
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
    // Nobody may have been watching: the state is built afresh for the first message.
    this.#deps.bridge.refresh();
    const state = this.#stateFor(client);
    if (state) socket.send(state);
    if (follow) this.#follow(client, follow);
  }

  #receive(client: Client, data: Buffer, isBinary: boolean): void {
    if (isBinary) return this.#error(client, 'binary_frame', 'send JSON text frames', 'frame');
    let msg: unknown;
    try {
      msg = JSON.parse(data.toString('utf8'));
    } catch {
      const at = jsonErrorOffset(data.toString('utf8')) ?? 0;
      return this.#error(
        client,
        'malformed_json',
        `the frame is not valid JSON (at byte ${at})`,
        `frame@${at}`,
      );
    }
    if (!checkClient.Check(msg)) {
      const type = (msg as { type?: unknown } | null)?.type;
      const variant = checkByType.get(String(type));
      const first = variant?.Errors(msg).First();
      const where = first ? `frame${first.path.replaceAll('/', '.')}` : 'frame.type';
      const said = first
        ? first.message.toLowerCase()
        : `expected one of ${[...checkByType.keys()].join(', ')}`;
      return this.#error(client, 'invalid_message', `${where}: ${said}`, where);
    }
    if (msg.type === 'follow') {
      if (client.kind !== 'kiosk')
        return this.#error(client, 'forbidden', 'follow is for the kiosk', 'frame.type');
      this.#follow(client, msg.request_id);
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

  /** What changed for this client; a kiosk sees another request's id as '' (the id cancels it). */
  #stateFor(c: Client): string | undefined {
    const book = this.#deps.bridge.book;
    if (c.kind === 'console') return book.delta(c.seen, ALL_FIELDS);
    const mission = book.get('mission');
    const own = mission.request_id !== '' && mission.request_id === c.follow;
    const json = JSON.stringify(own ? mission : { ...mission, request_id: '' });
    const extra = json === c.mission ? [] : [`"mission":${json}`];
    c.mission = json;
    return book.delta(c.seen, KIOSK_FIELDS, extra);
  }

  #keepWords(requestId: string, msg: ServerMessage): void {
    const words = this.#recentWords.get(requestId) ?? [];
    this.#recentWords.delete(requestId);
    this.#recentWords.set(requestId, [...words, msg].slice(-KEPT_WORDS));
    if (this.#recentWords.size > KEPT_REQUESTS)
      this.#recentWords.delete(this.#recentWords.keys().next().value!);
  }

  /** A kiosk hears its request's words from now on, and those said before it asked. */
  #follow(client: Client, requestId: string): void {
    client.follow = requestId;
    for (const msg of this.#recentWords.get(requestId) ?? []) this.#send(client, msg);
  }

  #endSession(c: Client): void {
    if (c.account) this.#deps.bridge.teleop.release(c.account.tokenHash);
    this.#clients.delete(c);
    c.socket.close(CLOSE_SESSION_ENDED, 'session ended');
  }

  #error(client: Client, error: string, message: string, where: string): void {
    this.#send(client, { type: 'error', error, message, where });
  }

  #send(client: Client, msg: ServerMessage): void {
    client.socket.send(JSON.stringify(msg));
  }

  #broadcast(to: (c: Client) => boolean, msg: ServerMessage): void {
    let json: string | undefined;
    for (const c of this.#clients) if (to(c)) c.socket.send((json ??= JSON.stringify(msg)));
  }
}
