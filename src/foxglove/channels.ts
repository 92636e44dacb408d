/**
 * The graph's topics as Foxglove channels: discovered with getTopicNamesAndTypes (any backend),
 * advertised with their ros2msg schema, and subscribed to on the graph only while some client
 * subscribes. Each message is encoded to CDR once and the same bytes go to every subscriber.
 *
 * The node API has no destroySubscription (rclnodejs has; the embedded graph does not yet), so
 * each live topic gets a small node of its own, destroyed when the last client unsubscribes.
 */
import type { FoxgloveServer } from '@foxglove/ws-protocol';
import type { Logger, MessageTypeName, RosNode } from '../ros/index.js';
import type { SchemaRegistry } from '../ros/schemas/index.js';
import { whyHidden } from './topics.js';

export interface ChannelInfo {
  id: number;
  topic: string;
  type: string;
}

export interface HiddenTopic {
  topic: string;
  type: string;
  why: string;
}

interface Entry extends ChannelInfo {
  latched: boolean;
  /** The node holding the graph subscription, while a client subscribes. */
  live?: RosNode;
  /** A latched topic's last message, for clients that subscribe after it came. */
  last?: { bytes: Uint8Array; stampNs: bigint };
  messages: number;
  encodeFailures: number;
}

export interface ChannelTableOptions {
  /** The bridge's node: its clock stamps messages, its logger tells what was left out. */
  node: RosNode;
  server: FoxgloveServer;
  registry: SchemaRegistry;
  latched: ReadonlySet<string>;
  /** A fresh node for one topic's graph subscription (unique name from `suffix`). */
  createNode: (suffix: string) => RosNode;
  /** A channel is going away: drop what refers to it. */
  onRemoved?: (channelId: number) => void;
}

export class ChannelTable {
  readonly #o: ChannelTableOptions;
  readonly #log: Logger;
  readonly #byId = new Map<number, Entry>();
  readonly #byTopic = new Map<string, Entry>();
  /** Topics left out, by topic and type, told once each. */
  readonly #hidden = new Map<string, HiddenTopic>();

  constructor(options: ChannelTableOptions) {
    this.#o = options;
    this.#log = options.node.getLogger();
  }

  /** Advertises new topics and withdraws those gone (or changed type) since the last look. */
  discover(): void {
    const seen = new Set<string>();
    for (const { name, types } of this.#o.node.getTopicNamesAndTypes()) {
      const type = types.length === 1 ? types[0]! : undefined;
      const why =
        type === undefined ? `publishers disagree on its type (${types.join(', ')})` : this.#why(type);
      if (why !== undefined) {
        this.#hide(name, types.join(','), why);
        continue;
      }
      seen.add(name);
      const known = this.#byTopic.get(name);
      if (known && known.type === type) continue;
      if (known) this.#remove(known);
      this.#add(name, type!);
    }
    for (const entry of [...this.#byTopic.values()]) if (!seen.has(entry.topic)) this.#remove(entry);
  }

  has(channelId: number): boolean {
    return this.#byId.has(channelId);
  }

  /** Some client subscribes (the graph subscription exists). */
  isLive(channelId: number): boolean {
    return this.#byId.get(channelId)?.live !== undefined;
  }

  /** A latched channel's last message, if any came since it went live. */
  latest(channelId: number): { bytes: Uint8Array; stampNs: bigint } | undefined {
    return this.#byId.get(channelId)?.last;
  }

  channels(): ChannelInfo[] {
    return [...this.#byId.values()].map(({ id, topic, type }) => ({ id, topic, type }));
  }

  hidden(): HiddenTopic[] {
    return [...this.#hidden.values()];
  }

  /** The first client subscribed: subscribe on the graph (latched topics as transient_local). */
  subscribe(channelId: number): void {
    const entry = this.#byId.get(channelId);
    if (!entry || entry.live) return;
    const node = this.#o.createNode(`c${channelId}`);
    entry.live = node;
    const qos = entry.latched ? { qos: { durability: 'transient_local' as const } } : {};
    node.createSubscription(entry.type as MessageTypeName, entry.topic, qos, (msg: unknown) =>
      this.#forward(entry, msg),
    );
  }

  /** The last client went: off the graph, and the latched copy with it (the graph replays it). */
  unsubscribe(channelId: number): void {
    const entry = this.#byId.get(channelId);
    if (!entry?.live) return;
    entry.live.destroy();
    delete entry.live;
    delete entry.last;
  }

  stop(): void {
    for (const entry of this.#byId.values()) if (entry.live) entry.live.destroy();
    this.#byId.clear();
    this.#byTopic.clear();
  }

  #why(type: string): string | undefined {
    return whyHidden(type) ?? (this.#o.registry.has(type) ? undefined : 'no schema for its type');
  }

  #hide(topic: string, type: string, why: string): void {
    const key = `${topic} ${type}`;
    if (this.#hidden.has(key)) return;
    this.#hidden.set(key, { topic, type, why });
    this.#log.info('foxglove: topic not advertised', { topic, type, why });
  }

  #add(topic: string, type: string): void {
    const schema = this.#o.registry.schema(type);
    const id = this.#o.server.addChannel({
      topic,
      encoding: 'cdr',
      schemaName: schema.name,
      schema: schema.data,
      schemaEncoding: schema.encoding,
    });
    const entry: Entry = {
      id,
      topic,
      type,
      latched: this.#o.latched.has(topic),
      messages: 0,
      encodeFailures: 0,
    };
    this.#byId.set(id, entry);
    this.#byTopic.set(topic, entry);
  }

  #remove(entry: Entry): void {
    this.unsubscribe(entry.id);
    this.#o.onRemoved?.(entry.id);
    this.#o.server.removeChannel(entry.id);
    this.#byId.delete(entry.id);
    this.#byTopic.delete(entry.topic);
  }

  /** Encodes once; FoxgloveServer sends the same bytes to each subscribed client. */
  #forward(entry: Entry, msg: unknown): void {
    if (!entry.live) return;
    let bytes: Uint8Array;
    try {
      bytes = this.#o.registry.encode(entry.type, msg);
    } catch (e) {
      // A publisher's message that does not fit its own type: said once, never fatal.
      if (entry.encodeFailures++ === 0) {
        this.#log.warn('foxglove: a message does not encode as its type; such messages are skipped', {
          topic: entry.topic,
          error: e instanceof Error ? e.message : String(e),
        });
      }
      return;
    }
    const stampNs = this.#o.node.now().nanoseconds;
    entry.messages++;
    if (entry.latched) entry.last = { bytes, stampNs };
    this.#o.server.sendMessage(entry.id, stampNs, bytes);
  }
}
