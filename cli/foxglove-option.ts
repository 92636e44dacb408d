/**
 * The Foxglove live view beside the robot, for `run`: `--foxglove PORT` starts it (off without),
 * `--foxglove-listen HOST` says where (default 127.0.0.1: this machine only). The console issues
 * the passes (POST /api/foxglove/pass) and its teleop deadman is the one a Foxglove operator
 * drives through, so the order is: prepare, start the console with `console`, then `start`.
 * Reachable from other machines, the server asks every client for a pass, viewers too.
 * startCliViz starts viz_publisher, which the view and recordings both want.
 */
import { excerpt, showControls } from '../src/input/index.js';
import type { Site } from '../src/map/index.js';
import type { RobotDescription } from '../src/robot/index.js';
import type { GraphContext } from '../src/ros/index.js';
import type { RunningFoxgloveBridge, TeleopDriver } from '../src/foxglove/index.js';
// The light parts only: parsing the flags costs nothing; the server is loaded when started.
import { DEFAULT_FOXGLOVE_HOST, isLoopback } from '../src/foxglove/address.js';
import { FoxgloveError } from '../src/foxglove/errors.js';
import { FoxglovePasses } from '../src/foxglove/passes.js';
import type { ConsoleFoxglove } from '../src/console/index.js';

/** The flags for node:util parseArgs. */
export const FOXGLOVE_FLAGS = {
  foxglove: { type: 'string' },
  'foxglove-listen': { type: 'string' },
} as const;

export const FOXGLOVE_USAGE = `  --foxglove PORT: the Foxglove live view (foxglove.websocket.v1) on PORT, off by default;
  --foxglove-listen HOST: where, default ${DEFAULT_FOXGLOVE_HOST} (this machine only; elsewhere every
  client needs a pass from the console). Operators drive from Foxglove with their pass once they
  hold teleop in the console.`;

export interface FoxgloveArgs {
  port: number;
  host: string;
}

const HOST = /^[A-Za-z0-9.-]+$|^\[?[0-9A-Fa-f:.]+\]?$/;

/** The flags' values → the server's address, or undefined when --foxglove is not given. */
export function parseFoxgloveArgs(values: {
  foxglove?: string | undefined;
  'foxglove-listen'?: string | undefined;
}): FoxgloveArgs | undefined {
  const listen = values['foxglove-listen'];
  if (values.foxglove === undefined) {
    if (listen !== undefined)
      throw new FoxgloveError('BAD_OPTION', '--foxglove-listen', 'needs --foxglove PORT');
    return undefined;
  }
  const text = values.foxglove;
  const port = Number(text);
  if (!/^\d{1,5}$/.test(text) || port > 65535) {
    throw new FoxgloveError(
      'BAD_OPTION',
      '--foxglove',
      `expected a port 0…65535 (0: any free one), got '${excerpt(text)}'`,
    );
  }
  const host = listen ?? DEFAULT_FOXGLOVE_HOST;
  if (!HOST.test(host) || host.length > 253) {
    throw new FoxgloveError(
      'BAD_OPTION',
      '--foxglove-listen',
      `expected a host name or address, got '${excerpt(host)}'`,
    );
  }
  return { port, host: host.replace(/^\[|\]$/g, '') };
}

export interface PreparedFoxglove {
  readonly args: FoxgloveArgs;
  /** For startConsole({ foxglove }): the console issues passes and says where to connect. */
  readonly console: ConsoleFoxglove;
  /** Starts the server on `graph`; driving goes through `teleop` (the console's deadman). */
  start(graph: GraphContext, o?: { teleop?: TeleopDriver }): Promise<void>;
  /** One line for the start banner ('' until started). */
  banner(): string;
  /** Closes the server and takes its node off the graph. Idempotent. */
  stop(): Promise<void>;
}

export function prepareFoxglove(args: FoxgloveArgs): PreparedFoxglove {
  const passes = new FoxglovePasses();
  let bridge: RunningFoxgloveBridge | undefined;
  const requirePass = !isLoopback(args.host);
  return {
    args,
    console: {
      issuer: passes,
      address: () => (bridge ? { host: bridge.host, port: bridge.port } : undefined),
    },
    async start(graph, o = {}) {
      const { startFoxgloveBridge } = await import('../src/foxglove/index.js');
      bridge = await startFoxgloveBridge(graph, {
        port: args.port,
        host: args.host,
        passes,
        requirePass,
        ...(o.teleop ? { teleop: o.teleop } : {}),
      });
    },
    banner() {
      if (!bridge) return '';
      const who = requirePass ? 'every client needs a pass' : 'viewing needs no pass (this machine only)';
      return `${showControls(`Foxglove: ${bridge.url} (Open connection → Foxglove WebSocket); ${who}; to drive, an operator's pass from the console (POST /api/foxglove/pass).`)}\n`;
    },
    async stop() {
      const running = bridge;
      bridge = undefined;
      await running?.stop();
    },
  };
}

/**
 * The node 'viz_publisher' (the footprint and the desk markers, latched): for the Foxglove view
 * and for recordings alike, so it is started on its own, whether or not the server is.
 */
export async function startCliViz(
  graph: GraphContext,
  o: { site: Site; robot: RobotDescription },
): Promise<{ stop(): void }> {
  const { VIZ_NODE, startVizPublisher } = await import('../src/foxglove/index.js');
  const node = graph.createNode(VIZ_NODE);
  const viz = startVizPublisher(node, o);
  return {
    stop() {
      viz.stop();
      node.destroy();
    },
  };
}
