/**
 * `medhjalparen fleet serve`: the fleet service and its console. It connects to the broker (or
 * waits for it, saying so), provisions the streams, buckets and each robot's queue, and serves
 * the fleet console; every second it sweeps for robots gone silent. An adapter: the wall clock is
 * the service's clock (liveness and records are about real time).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { reasonText } from '../src/robot/index.js';
import { openStore } from '../src/console/store/index.js';
import { startFleetConsole, DEFAULT_FLEET_LISTEN } from '../src/fleet/console/start-fleet-console.js';
import { fleetAuthenticator, readRoster, seedFile } from '../src/fleet/credentials.js';
import { DEFAULT_BROKER_LISTEN, DEFAULT_FLEET_DATA } from './fleet-usage.js';
import { FleetLink, FleetService, fleetId, parseFleetUrl } from '../src/fleet/index.js';
import { loadSite, type Site } from '../src/map/index.js';
import { DEFAULT_SITE } from './package-files.js';
import { terminalFleetLog } from './fleet-option.js';
import { untilStopped } from './until-stopped.js';

export interface FleetServeArgs {
  nats: string;
  keyFile?: string;
  sites: string[];
  robots: { robot: string; site: string }[];
  listen: string;
  data: string;
  durationS?: number;
}

export function parseFleetServeArgs(args: string[]): FleetServeArgs {
  const { values } = parseArgs({
    args,
    options: {
      nats: { type: 'string', default: `nats://${DEFAULT_BROKER_LISTEN}` },
      keys: { type: 'string' },
      key: { type: 'string' },
      site: { type: 'string', multiple: true },
      robot: { type: 'string', multiple: true },
      listen: { type: 'string', default: DEFAULT_FLEET_LISTEN },
      data: { type: 'string', default: DEFAULT_FLEET_DATA },
      duration: { type: 'string' },
    },
  });
  const fromRoster = values.keys ? rosterRobots(values.keys) : [];
  const named = (values.robot ?? []).map((text) => {
    const [robot, site, more] = text.split('@');
    if (!robot || !site || more !== undefined)
      throw new Error(`--robot: expected ID@SITE such as r1@iso-omena, got '${text.slice(0, 80)}'`);
    return { robot: fleetId(robot, '--robot'), site: fleetId(site, '--robot site') };
  });
  const robots = [...fromRoster, ...named.filter((r) => !fromRoster.some((x) => x.robot === r.robot))];
  if (robots.length === 0)
    throw new Error("fleet serve: no robots: give --keys DIR (its roster's robots) or --robot ID@SITE");
  const keyFile = values.key ?? (values.keys ? seedFile(values.keys, 'fleet') : undefined);
  const duration = values.duration === undefined ? undefined : Number(values.duration);
  if (duration !== undefined && !(duration > 0 && Number.isFinite(duration)))
    throw new Error(`--duration: expected seconds > 0, got '${values.duration}'`);
  return {
    nats: parseFleetUrl(values.nats, '--nats'),
    ...(keyFile ? { keyFile } : {}),
    sites: values.site ?? [DEFAULT_SITE],
    robots,
    listen: values.listen,
    data: values.data,
    ...(duration ? { durationS: duration } : {}),
  };
}

/** The robots of a credentials folder's roster, with their sites. */
function rosterRobots(dir: string): { robot: string; site: string }[] {
  return readRoster(dir).identities.flatMap((i) =>
    i.kind === 'robot' ? [{ robot: i.id, site: i.site }] : [],
  );
}

export async function runFleetServe(args: FleetServeArgs): Promise<number> {
  const sites: Site[] = [];
  for (const dir of args.sites) sites.push(await loadSite(path.resolve(dir)));
  const known = new Set(sites.map((s) => s.id));
  const stray = args.robots.find((r) => !known.has(r.site));
  if (stray)
    throw new Error(
      `--robot ${stray.robot}@${stray.site}: no --site with id '${stray.site}' (loaded: ${[...known].join(', ')})`,
    );
  const auth = args.keyFile ? fleetAuthenticator(args.keyFile) : undefined;
  const log = terminalFleetLog();
  const store = openStore(path.resolve(args.data), { reasonText });
  const link = FleetLink.open({
    url: args.nats,
    name: 'fleet-service',
    log,
    ...(auth ? { authenticator: auth.authenticator, inboxPrefix: auth.inboxPrefix } : {}),
  });
  // The service's clock is the wall clock (FleetServiceOptions.now): liveness is about real time.
  const service = new FleetService({ link, sites, roster: args.robots, log, now: () => Date.now() });
  let web: Awaited<ReturnType<typeof startFleetConsole>> | undefined;
  // Silent robots are looked for once a second.
  const sweeper = setInterval(() => void service.sweep(), 1000);
  try {
    web = await startFleetConsole({
      control: service,
      store,
      sites,
      listen: args.listen,
      dataDir: args.data,
    });
    process.stdout.write(
      `Fleet console: ${web.url} — ${args.robots.length} robots on ${sites.length} site(s); broker ${args.nats}${auth ? ' (nkey)' : ' (no credentials)'}. Ctrl-C stops.\n`,
    );
    if (!store.adminExists())
      process.stdout.write(
        `No admin account yet: medhjalparen users add NAME --data ${args.data} --role admin\n`,
      );
    await untilStopped(args.durationS);
    return 0;
  } finally {
    clearInterval(sweeper);
    await web?.stop();
    service.stop();
    await link.close();
    store.close();
  }
}
