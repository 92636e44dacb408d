/**
 * For the Foxglove tests: a real client (ws-protocol's own FoxgloveClient over `ws`) that keeps
 * everything the server sent, and waits that are bounded generously in real time and end as soon
 * as what they wait for has happened, so a loaded machine only makes a test slower.
 */
import p from '@foxglove/ws-protocol';
import type { Channel, IWebSocket, ServerInfo, StatusMessage } from '@foxglove/ws-protocol';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';

const { FoxgloveClient } = p;
export const SUBPROTOCOL = FoxgloveClient.SUPPORTED_SUBPROTOCOL;

/** Waits until `cond` holds, checking every few ms, at most `timeoutMs` of real time. */
export async function until(cond: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const start = performance.now();
  while (!cond()) {
    if (performance.now() - start > timeoutMs) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await sleep(2);
  }
}

export interface ReceivedMessage {
  subscriptionId: number;
  timestamp: bigint;
  data: Uint8Array;
}

export class TestClient {
  readonly ws: WebSocket;
  readonly client: InstanceType<typeof FoxgloveClient>;
  readonly channels = new Map<string, Channel>();
  readonly statuses: StatusMessage[] = [];
  readonly messages: ReceivedMessage[] = [];
  readonly times: bigint[] = [];
  readonly errors: Error[] = [];
  serverInfo: ServerInfo | undefined;
  closed: { code: number; reason: string } | undefined;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    this.client = new FoxgloveClient({ ws: ws as unknown as IWebSocket });
    this.client.on('serverInfo', (info) => (this.serverInfo = info));
    this.client.on('status', (s) => this.statuses.push(s));
    this.client.on('advertise', (chans) => chans.forEach((c) => this.channels.set(c.topic, c)));
    this.client.on('unadvertise', (ids) => {
      for (const [topic, c] of this.channels) if (ids.includes(c.id)) this.channels.delete(topic);
    });
    this.client.on('message', (m) =>
      this.messages.push({
        subscriptionId: m.subscriptionId,
        timestamp: m.timestamp,
        data: new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength),
      }),
    );
    this.client.on('time', (t) => this.times.push(t.timestamp));
    this.client.on('error', (e) => this.errors.push(e));
    ws.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
  }

  /** Connects and waits for the server's hello (or for the server to close the connection). */
  static async connect(url: string, o: { pass?: string; protocols?: string[] } = {}): Promise<TestClient> {
    const full = o.pass === undefined ? url : `${url}?pass=${encodeURIComponent(o.pass)}`;
    const c = new TestClient(new WebSocket(full, o.protocols ?? [SUBPROTOCOL]));
    await until(() => c.serverInfo !== undefined || c.closed !== undefined, `hello from ${url}`);
    return c;
  }

  channel(topic: string): Channel {
    const c = this.channels.get(topic);
    if (!c) throw new Error(`no channel ${topic}; have ${[...this.channels.keys()].join(', ')}`);
    return c;
  }

  subscribe(topic: string): number {
    return this.client.subscribe(this.channel(topic).id);
  }

  of(subscriptionId: number): ReceivedMessage[] {
    return this.messages.filter((m) => m.subscriptionId === subscriptionId);
  }

  /** Statuses whose message matches `re`. */
  said(re: RegExp): StatusMessage[] {
    return this.statuses.filter((s) => re.test(s.message));
  }

  send(data: string | Uint8Array): void {
    this.ws.send(data);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.ws.close();
    await until(() => this.closed !== undefined, 'close');
  }
}
