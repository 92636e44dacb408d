/**
 * One connected Foxglove client: what it subscribed to and advertised, who its pass says it is,
 * and what it may cost. Every frame it sends is read here first (client-frames.ts); a frame that
 * is wrong, or over a limit, is answered with a status that names the problem and goes no
 * further; the rest is handed to FoxgloveServer (subscriptions) or to teleop (its messages).
 */
import type { FoxgloveServer } from '@foxglove/ws-protocol';
import type { ChannelTable } from './channels.js';
import { readFrame, type ClientAdvertisement } from './client-frames.js';
import type { ClientSocket } from './client-socket.js';
import type { ClientTeleop, PublishingClient, Said } from './client-teleop.js';
import type { PassHolder } from './passes.js';

/** ws-protocol's StatusLevel, by name (the enum is a runtime value of a CommonJS module). */
export const STATUS = { info: 0, warning: 1, error: 2 } as const;
/** A status about the same thing goes to a client at most this often (floods, drops, refusals). */
const REPEAT_MS = 1000;
/** At most this many problems are listed in one status; the rest are counted. */
const LISTED = 5;

export interface SessionLimits {
  /** Bytes waiting for one client before its messages are dropped (never queued without end). */
  maxBufferedBytes: number;
  /** Subscriptions one client may hold. */
  maxSubscriptions: number;
  /** Frames one client may send a second; more are dropped. */
  maxFramesPerSecond: number;
}

export interface SessionContext {
  server: FoxgloveServer;
  channels: ChannelTable;
  teleop: ClientTeleop;
  limits: SessionLimits;
  wallNow: () => number;
}

export class ClientSession implements PublishingClient {
  readonly advertised = new Map<number, { channel: ClientAdvertisement; refused?: string }>();
  drivingKey: string | undefined;
  /** Subscription id → channel id, as FoxgloveServer holds them for this client. */
  readonly subscriptions = new Map<number, number>();
  /** Problems told, by key: when last, and how many since. */
  readonly #told = new Map<string, { atMs: number; since: number }>();
  readonly #flood = { windowStartMs: -Infinity, count: 0 };
  readonly #ctx: SessionContext;
  #droppedTold = 0;

  constructor(
    readonly socket: ClientSocket,
    readonly name: string,
    readonly holder: () => PassHolder | undefined,
    readonly presentedPass: boolean,
    ctx: SessionContext,
  ) {
    this.#ctx = ctx;
  }

  /** One frame off the wire. */
  receive(data: Buffer, isBinary: boolean): void {
    if (this.#flooding()) return;
    const read = readFrame(data, isBinary);
    if (!read.ok) return this.tell('error', 'frame', read.problem, { always: true });
    const request = read.request;
    switch (request.op) {
      case 'subscribe':
        return this.#subscribe(request.subscriptions);
      case 'unsubscribe':
        return this.#unsubscribe(request.subscriptionIds);
      case 'advertise':
        return this.#say(this.#teleopOffered() ? this.#ctx.teleop.advertise(this, request.channels) : []);
      case 'unadvertise':
        return this.#say(this.#teleopOffered() ? this.#ctx.teleop.unadvertise(this, request.channelIds) : []);
      case 'publish': {
        if (!this.#teleopOffered()) return;
        const said = this.#ctx.teleop.publish(this, request.channelId, request.data);
        return said && this.tell(said.level, said.key, said.message);
      }
      case 'unoffered':
        return this.tell(
          'warning',
          `unoffered ${request.what}`,
          `${request.what}: not offered by this server (it serves topics${this.#ctx.teleop.offered ? ' and takes teleop' : ''}); ignored`,
          { always: true },
        );
    }
  }

  /** Tells a client that fell behind how many messages it missed, once it reads again. */
  reportDrops(): void {
    const dropped = this.socket.counts.dropped;
    if (dropped === this.#droppedTold || this.socket.behind) return;
    const missed = dropped - this.#droppedTold;
    this.#droppedTold = dropped;
    const message = `you fell behind: ${missed} messages were dropped while more than ${this.#ctx.limits.maxBufferedBytes} bytes waited to be sent to you (subscribe to fewer topics, or read faster)`;
    this.#ctx.server.sendStatus({ level: STATUS.warning, message }, this.socket);
  }

  /** A channel went away: FoxgloveServer dropped its subscriptions, and so does the mirror. */
  channelRemoved(channelId: number): void {
    for (const [subId, chan] of this.subscriptions) if (chan === channelId) this.subscriptions.delete(subId);
  }

  /**
   * A status to this client. Repeats of the same key are held back for REPEAT_MS and then told
   * with their count (`always` tells each one: an answer to one bad frame). Nothing is queued
   * for a client that is behind: it would only grow the buffer it is not reading.
   */
  tell(level: keyof typeof STATUS, key: string, message: string, o: { always?: boolean } = {}): void {
    const now = this.#ctx.wallNow();
    const told = this.#told.get(key);
    if (!o.always && told && now - told.atMs < REPEAT_MS) {
      told.since++;
      return;
    }
    const more = told && told.since > 0 ? ` (${told.since} more like this since the last status)` : '';
    this.#told.set(key, { atMs: now, since: 0 });
    if (this.socket.behind) return;
    this.#ctx.server.sendStatus({ level: STATUS[level], message: `${message}${more}` }, this.socket);
  }

  #teleopOffered(): boolean {
    if (this.#ctx.teleop.offered) return true;
    this.tell('error', 'publish', 'this server takes no messages from clients (no clientPublish); ignored');
    return false;
  }

  #subscribe(wanted: Array<{ id: number; channelId: number }>): void {
    const { channels, limits } = this.#ctx;
    const accepted: Array<{ id: number; channelId: number }> = [];
    const problems: string[] = [];
    const channelsHeld = new Set(this.subscriptions.values());
    for (const { id, channelId } of wanted) {
      if (!channels.has(channelId))
        problems.push(`channel ${channelId} is not advertised (subscription ${id})`);
      else if (this.subscriptions.has(id) || accepted.some((a) => a.id === id))
        problems.push(`subscription id ${id} is in use`);
      else if (channelsHeld.has(channelId)) problems.push(`channel ${channelId} is subscribed already`);
      else if (this.subscriptions.size + accepted.length >= limits.maxSubscriptions)
        problems.push(
          `subscription ${id} to channel ${channelId} refused: at most ${limits.maxSubscriptions} subscriptions per client`,
        );
      else {
        accepted.push({ id, channelId });
        channelsHeld.add(channelId);
      }
    }
    // Channels already live on the graph will not replay their latched message: this client
    // gets the copy kept from the last one (the graph replays it to a fresh subscription).
    const replays = accepted.filter((a) => channels.isLive(a.channelId) && channels.latest(a.channelId));
    for (const a of accepted) this.subscriptions.set(a.id, a.channelId);
    if (accepted.length > 0) this.socket.deliver({ op: 'subscribe', subscriptions: accepted });
    for (const { id, channelId } of replays) this.#replay(id, channels.latest(channelId)!);
    this.#sayProblems('subscribe', problems);
  }

  #unsubscribe(ids: number[]): void {
    const known = ids.filter((id) => this.subscriptions.has(id));
    const unknown = ids.filter((id) => !this.subscriptions.has(id));
    for (const id of known) this.subscriptions.delete(id);
    if (known.length > 0) this.socket.deliver({ op: 'unsubscribe', subscriptionIds: known });
    this.#sayProblems(
      'unsubscribe',
      unknown.map((id) => `subscription ${id} does not exist`),
    );
  }

  /** A message-data frame as FoxgloveServer builds it, to this client only. */
  #replay(subscriptionId: number, last: { bytes: Uint8Array; stampNs: bigint }): void {
    const frame = new Uint8Array(13 + last.bytes.byteLength);
    const view = new DataView(frame.buffer);
    view.setUint8(0, 1);
    view.setUint32(1, subscriptionId, true);
    view.setBigUint64(5, last.stampNs, true);
    frame.set(last.bytes, 13);
    this.socket.send(frame);
  }

  #sayProblems(op: string, problems: string[]): void {
    if (problems.length === 0) return;
    const listed = problems.slice(0, LISTED).join('; ');
    const more = problems.length > LISTED ? `; and ${problems.length - LISTED} more` : '';
    this.tell('error', op, `${op}: ${listed}${more}`, { always: true });
  }

  #say(said: Said[]): void {
    for (const s of said) this.tell(s.level, s.key, s.message, { always: true });
  }

  /** More frames this second than allowed: dropped, and said once a second. */
  #flooding(): boolean {
    const now = this.#ctx.wallNow();
    const f = this.#flood;
    if (now - f.windowStartMs >= 1000) Object.assign(f, { windowStartMs: now, count: 0 });
    f.count++;
    if (f.count <= this.#ctx.limits.maxFramesPerSecond) return false;
    this.tell(
      'warning',
      'flood',
      `at most ${this.#ctx.limits.maxFramesPerSecond} frames a second; the rest were dropped`,
    );
    return true;
  }
}
