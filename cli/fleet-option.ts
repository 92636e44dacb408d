/**
 * `run --fleet nats://HOST:PORT --robot-id ID [--fleet-key FILE]`: the robot joins a fleet. It
 * starts exactly as alone and stays so until the broker answers (said on the terminal); its agent
 * then tells the fleet how it is and does the work the fleet service gives it.
 */
import type { FleetAgent, FleetLog, JoinFleetOptions } from '../src/fleet/index.js';
import { parseFleetUrl } from '../src/fleet/fleet-url.js';
import { fleetId } from '../src/fleet/subjects.js';
import type { Site } from '../src/map/index.js';
import type { GraphContext } from '../src/ros/index.js';

export const FLEET_FLAGS = {
  fleet: { type: 'string' },
  'robot-id': { type: 'string' },
  'fleet-key': { type: 'string' },
} as const;

export const FLEET_USAGE = `  --fleet nats://HOST:PORT: join a fleet (docs/fleet.md) as --robot-id ID, authenticated by the
  nkey seed file --fleet-key FILE (made by \`medhjalparen fleet keys add --robot ID --site SITE\`);
  without a broker the robot runs alone and joins when it answers.`;

export interface FleetArgs {
  url: string;
  robot: string;
  keyFile?: string;
}

export function parseFleetArgs(values: {
  fleet?: string;
  'robot-id'?: string;
  'fleet-key'?: string;
}): FleetArgs | undefined {
  if (values.fleet === undefined) {
    if (values['robot-id'] !== undefined || values['fleet-key'] !== undefined)
      throw new Error('--robot-id and --fleet-key need --fleet nats://HOST:PORT');
    return undefined;
  }
  const url = parseFleetUrl(values.fleet);
  const robot = values['robot-id'];
  if (robot === undefined) throw new Error('--fleet needs --robot-id ID (the id its credentials name)');
  return {
    url,
    robot: fleetId(robot, '--robot-id'),
    ...(values['fleet-key'] ? { keyFile: values['fleet-key'] } : {}),
  };
}

export interface CliFleet {
  agent: FleetAgent;
  banner: string;
  stop(): Promise<void>;
}

/**
 * Reads the key (a wrong one stops the run before it starts), then joins in the background. The
 * fleet's code (the NATS client among it) is loaded only here, by a robot that joins one.
 */
export async function startCliFleet(
  graph: GraphContext,
  site: Site,
  args: FleetArgs,
  log: FleetLog,
  desks?: JoinFleetOptions['desks'],
): Promise<CliFleet> {
  const [{ FleetLink, joinFleet }, { fleetAuthenticator }] = await Promise.all([
    import('../src/fleet/index.js'),
    import('../src/fleet/credentials.js'),
  ]);
  const auth = args.keyFile ? fleetAuthenticator(args.keyFile) : undefined;
  const link = FleetLink.open({
    url: args.url,
    name: args.robot,
    log,
    ...(auth ? { authenticator: auth.authenticator, inboxPrefix: auth.inboxPrefix } : {}),
  });
  const agent = joinFleet(graph, { robot: args.robot, site, link, log, ...(desks ? { desks } : {}) });
  const how = auth ? 'with its nkey' : 'without credentials (a broker with no authorization)';
  return {
    agent,
    banner: `Fleet: ${args.robot} at ${site.id} joins ${args.url} ${how}; it runs alone until the broker answers.\n`,
    async stop() {
      agent.stop();
      await link.close();
    },
  };
}

/** Fleet lines on the terminal (stderr), one per event: the agent says little and only what matters. */
export function terminalFleetLog(): FleetLog {
  const line = (level: string) => (message: string) => process.stderr.write(`${level}: ${message}\n`);
  return { info: line('info'), warn: line('warn'), error: line('error') };
}
