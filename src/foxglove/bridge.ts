/**
 * The Foxglove live view: a Foxglove WebSocket server (foxglove.websocket.v1) inside the robot's
 * process, as the graph node 'foxglove_bridge', so it works on any graph backend. It advertises
 * the graph's topics with their ros2msg schemas, sends each message as CDR to the clients that
 * subscribe, keeps time with the node clock (the 'time' capability, so the app follows simulated
 * time too), and takes teleop from operators through the console's deadman (client-teleop.ts).
 *
 * Off by default: the command line starts it beside the robot (--foxglove PORT), on 127.0.0.1
 * unless told otherwise. Viewing needs no pass there (only this machine reaches it); a server
 * that listens further out can be told to require a pass for viewing too (`requirePass`).
 */
import { WebSocketServer } from 'ws';
import type { GraphContext, RosNode } from '../ros/index.js';
import { schemaRegistry, type SchemaRegistry } from '../ros/schemas/index.js';
import { BridgeCore, type BridgeLimits, type ClientStats } from './bridge-core.js';
import type { ChannelInfo, HiddenTopic } from './channels.js';
import type { TeleopDriver } from './client-teleop.js';
import { FoxgloveError } from './errors.js';
import type { FoxglovePasses } from './passes.js';

import { DEFAULT_FOXGLOVE_HOST } from './address.js';

export type { BridgeLimits, ClientStats } from './bridge-core.js';
export const NODE_NAME = 'foxglove_bridge';

export const DEFAULT_LIMITS: Readonly<BridgeLimits> = Object.freeze({
  maxClients: 16,
  maxSubscriptions: 64,
  maxFramesPerSecond: 100,
  maxBufferedBytes: 4 * 1024 * 1024,
  maxFrameBytes: 64 * 1024,
});

export interface FoxgloveBridgeOptions {
  /** TCP port; 0 picks a free one (tests). */
  port: number;
  /** Address to listen on (default 127.0.0.1: this machine only). */
  host?: string;
  /** Who presented which pass. Without it nobody is known, so nobody drives. */
  passes?: FoxglovePasses;
  /** The console's teleop deadman; without it the server takes no client messages at all. */
  teleop?: TeleopDriver;
  /** Viewing needs a pass too (for a server reachable from other machines). */
  requirePass?: boolean;
  /** The node's name (default foxglove_bridge); its per-topic helpers are named after it. */
  nodeName?: string;
  /** How often topics are looked for, s of node time (default 1). */
  discoveryPeriodS?: number;
  limits?: Partial<BridgeLimits>;
  /** Topics subscribed as transient_local (default LATCHED_TOPICS, topics.ts). */
  latchedTopics?: readonly string[];
  registry?: SchemaRegistry;
  /** Real time, ms: flood windows and status repeats only (robot time is the node clock). */
  wallNow?: () => number;
}

export interface RunningFoxgloveBridge {
  /** ws://HOST:PORT/ */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly node: RosNode;
  channels(): ChannelInfo[];
  /** Topics on the graph that are not advertised, and why. */
  hidden(): HiddenTopic[];
  clients(): ClientStats[];
  /** Looks for topics now (otherwise every discoveryPeriodS). */
  discover(): void;
  /** Stops teleop, closes every connection and the server, and takes the node (and its helpers) off the graph. */
  stop(): Promise<void>;
}

export async function startFoxgloveBridge(
  graph: GraphContext,
  options: FoxgloveBridgeOptions,
): Promise<RunningFoxgloveBridge> {
  const limits = checkedLimits(options);
  const host = options.host ?? DEFAULT_FOXGLOVE_HOST;
  const core = new BridgeCore(graph, {
    ...options,
    limits,
    nodeName: options.nodeName ?? NODE_NAME,
    registry: options.registry ?? schemaRegistry(),
    wallNow: options.wallNow ?? systemNow,
  });
  let wss: WebSocketServer;
  try {
    wss = await listen(host, options.port, limits.maxFrameBytes, (protocols) =>
      core.server.handleProtocols(protocols),
    );
  } catch (e) {
    core.stop();
    throw e;
  }
  wss.on('connection', (ws, req) => core.accept(ws, req));
  const address = wss.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `ws://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    host,
    port,
    node: core.node,
    channels: () => core.channels.channels(),
    hidden: () => core.channels.hidden(),
    clients: () => core.clients(),
    discover: () => core.channels.discover(),
    async stop() {
      core.closing();
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      core.stop();
    },
  };
}

function listen(
  host: string,
  port: number,
  maxPayload: number,
  handleProtocols: (protocols: Set<string>) => string | false,
): Promise<WebSocketServer> {
  return new Promise((resolve, reject) => {
    const wss = new WebSocketServer({ host, port, maxPayload, handleProtocols, perMessageDeflate: false });
    wss.once('listening', () => resolve(wss));
    wss.once('error', (e: NodeJS.ErrnoException) => {
      wss.close();
      reject(new FoxgloveError('LISTEN_FAILED', `${host}:${port}`, listenProblem(e)));
    });
  });
}

function listenProblem(e: NodeJS.ErrnoException): string {
  if (e.code === 'EADDRINUSE')
    return 'the port is in use (another medhjalparen or foxglove_bridge?); choose another with --foxglove PORT';
  if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') return 'this machine has no such address';
  if (e.code === 'EACCES') return 'not allowed (ports below 1024 need privileges)';
  return e.message;
}

function checkedLimits(options: FoxgloveBridgeOptions): BridgeLimits {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new FoxgloveError(
        'BAD_OPTION',
        `limits.${name}`,
        `expected a whole number > 0, found ${String(value)}`,
      );
    }
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new FoxgloveError('BAD_OPTION', 'port', `expected 0…65535, found ${String(options.port)}`);
  }
  const period = options.discoveryPeriodS ?? 1;
  if (!Number.isFinite(period) || period <= 0) {
    throw new FoxgloveError(
      'BAD_OPTION',
      'discoveryPeriodS',
      `expected seconds > 0, found ${String(period)}`,
    );
  }
  return limits;
}

// Flood windows are about the client's real sending rate, whatever the robot's clock says.
// eslint-disable-next-line no-restricted-syntax -- the injected wall clock's default
const systemNow = () => Date.now();
