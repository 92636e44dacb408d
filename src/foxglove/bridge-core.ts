/**
 * The bridge's inside, without the listening socket: the 'foxglove_bridge' node and its timers
 * (topic discovery, the node clock for the 'time' capability), FoxgloveServer with its channels,
 * and each client as it connects: its pass read from the URL (never logged), then the hello.
 */
import p from '@foxglove/ws-protocol';
import type { WebSocket } from 'ws';
import type { IncomingMessage } from 'node:http';
import { NS_PER_S, secondsToNs, type GraphContext, type RosNode, type Timer } from '../ros/index.js';
import type { SchemaRegistry } from '../ros/schemas/index.js';
import { ChannelTable } from './channels.js';
import { ClientSession, STATUS, type SessionContext, type SessionLimits } from './client-session.js';
import { ClientSocket } from './client-socket.js';
import { ClientTeleop, type TeleopDriver } from './client-teleop.js';
import type { FoxglovePasses } from './passes.js';
import { LATCHED_TOPICS } from './topics.js';

const { FoxgloveServer } = p;
const TIME_PERIOD_NS = NS_PER_S / 10n;
const CLOSE_NEEDS_PASS = 4001;

export interface BridgeLimits extends SessionLimits {
  /** Clients at once; more are turned away. */
  maxClients: number;
  /** The largest frame a client may send. */
  maxFrameBytes: number;
}

export interface ClientStats {
  name: string;
  /** Messages sent, and dropped while the client was behind. */
  sent: number;
  dropped: number;
  /** Bytes waiting to be sent to it now. */
  buffered: number;
  subscriptions: number;
}

export interface CoreOptions {
  nodeName: string;
  limits: BridgeLimits;
  registry: SchemaRegistry;
  wallNow: () => number;
  passes?: FoxglovePasses;
  teleop?: TeleopDriver;
  requirePass?: boolean;
  discoveryPeriodS?: number;
  latchedTopics?: readonly string[];
}

export class BridgeCore {
  readonly node: RosNode;
  readonly server: InstanceType<typeof FoxgloveServer>;
  readonly channels: ChannelTable;
  readonly #sessions = new Set<ClientSession>();
  readonly #teleop: ClientTeleop;
  readonly #timers: Timer[];
  readonly #ctx: SessionContext;
  readonly #o: CoreOptions;

  constructor(graph: GraphContext, o: CoreOptions) {
    this.#o = o;
    // Nobody is known without passes, so nobody may publish: then the capability is not offered.
    this.#teleop = new ClientTeleop(o.passes ? o.teleop : undefined, o.registry);
    this.server = new FoxgloveServer({
      name: 'medhjalparen',
      capabilities: ['time', ...(this.#teleop.offered ? ['clientPublish'] : [])],
      supportedEncodings: ['cdr'],
    });
    this.node = graph.createNode(o.nodeName);
    this.channels = new ChannelTable({
      node: this.node,
      server: this.server,
      registry: o.registry,
      latched: new Set(o.latchedTopics ?? LATCHED_TOPICS),
      createNode: (suffix) => graph.createNode(`${o.nodeName}_${suffix}`),
      onRemoved: (id) => this.#sessions.forEach((s) => s.channelRemoved(id)),
    });
    this.server.on('subscribe', (id) => this.channels.subscribe(id));
    this.server.on('unsubscribe', (id) => this.channels.unsubscribe(id));
    this.server.on('error', (e) =>
      this.node.getLogger().warn('foxglove: server error', { error: e.message }),
    );
    this.channels.discover();
    this.#timers = [
      this.node.createTimer(secondsToNs(o.discoveryPeriodS ?? 1), () => this.channels.discover()),
      this.node.createTimer(TIME_PERIOD_NS, () => this.#tick()),
    ];
    this.#ctx = {
      server: this.server,
      channels: this.channels,
      teleop: this.#teleop,
      limits: o.limits,
      wallNow: o.wallNow,
    };
  }

  /** A new connection: served, or closed saying why (wrong protocol, too many, no pass). */
  accept(ws: WebSocket, req: IncomingMessage): void {
    if (ws.protocol !== FoxgloveServer.SUPPORTED_SUBPROTOCOL) {
      ws.close(1002, `speak ${FoxgloveServer.SUPPORTED_SUBPROTOCOL}`);
      return;
    }
    if (this.#sessions.size >= this.#o.limits.maxClients) {
      ws.close(1013, 'too many Foxglove clients; try later');
      return;
    }
    const session = this.#open(ws, req);
    if (!session) return;
    this.#sessions.add(session);
    ws.on('close', () => {
      this.#teleop.closed(session);
      this.#sessions.delete(session);
    });
  }

  clients(): ClientStats[] {
    return [...this.#sessions].map((s) => ({
      name: s.name,
      ...s.socket.counts,
      buffered: s.socket.bufferedAmount,
      subscriptions: s.subscriptions.size,
    }));
  }

  /** Shutting down: whoever drives from here stops now. */
  closing(): void {
    for (const s of this.#sessions) this.#teleop.closed(s);
  }

  /** Timers off, graph subscriptions off, the node off the graph. */
  stop(): void {
    this.#timers.forEach((t) => t.cancel());
    this.channels.stop();
    this.node.destroy();
  }

  /** The node clock to every client, and to a client that fell behind, what it missed. */
  #tick(): void {
    this.server.broadcastTime(this.node.now().nanoseconds);
    this.#sessions.forEach((s) => s.reportDrops());
  }

  #open(ws: WebSocket, req: IncomingMessage): ClientSession | undefined {
    const pass = passOf(req.url);
    const holder = () => this.#o.passes?.check(pass);
    const known = holder();
    if (this.#o.requirePass && !known) {
      // Turned away before the hello: a client without a pass does not even learn the topics.
      const why =
        pass === undefined
          ? 'this server needs a Foxglove pass from the console'
          : 'the pass in the URL is not valid';
      ws.send(
        JSON.stringify({ op: 'status', level: STATUS.error, message: `${why} (in the URL as ?pass=…)` }),
      );
      ws.close(CLOSE_NEEDS_PASS, 'a valid Foxglove pass is needed');
      return undefined;
    }
    const name = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}${known ? ` (${known.name})` : ''}`;
    const socket = new ClientSocket(ws, this.#o.limits.maxBufferedBytes);
    const session = new ClientSession(socket, name, holder, pass !== undefined, this.#ctx);
    ws.on('error', () => ws.terminate());
    ws.on('message', (data, isBinary) => session.receive(data as Buffer, isBinary));
    this.server.handleConnection(socket, name);
    if (pass !== undefined && !known) {
      const message =
        'the pass in the URL is not valid (ended, replaced or mistyped): ask the console for a new one';
      session.tell('error', 'pass', message, { always: true });
    }
    if (known) {
      const may =
        known.mayDrive && this.#teleop.offered ? '; you may drive once you hold teleop in the console' : '';
      session.tell('info', 'hello', `signed in as ${known.name} (${known.role})${may}`, { always: true });
    }
    return session;
  }
}

/** The pass in a request's URL (?pass=…); a URL that does not parse has none. */
function passOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url, 'ws://robot').searchParams.get('pass') ?? undefined;
  } catch {
    return undefined;
  }
}
