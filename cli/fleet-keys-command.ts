/**
 * `medhjalparen fleet keys`: the fleet broker's credentials (src/fleet/credentials.ts). Seeds go
 * to files only; nothing this command prints holds one.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  addIdentity,
  FleetCredentialsError,
  natsServerFile,
  readRoster,
  removeIdentity,
  seedFile,
  type FleetIdentity,
  type IdentityRequest,
} from '../src/fleet/credentials.js';
import { fleetId, FleetNameError } from '../src/fleet/subjects.js';
import { excerpt } from '../src/input/index.js';
import {
  DEFAULT_BROKER_LISTEN,
  DEFAULT_BROKER_STORE,
  DEFAULT_KEYS_DIR,
  FLEET_KEYS_USAGE,
} from './fleet-usage.js';

const ACTIONS = ['add', 'list', 'remove', 'server-config'] as const;
type Action = (typeof ACTIONS)[number];
type Flags = ReturnType<typeof parseFlags>['values'];

/** A failure of the request as asked (exit 1), or of how it was asked (exit 2, with the usage). */
class KeysError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

export async function runFleetKeysCommand(args: readonly string[]): Promise<number> {
  try {
    const [action, ...rest] = args;
    if (!(ACTIONS as readonly (string | undefined)[]).includes(action))
      throw new KeysError(`expected one of ${ACTIONS.join(', ')}, got '${excerpt(action ?? '')}'`, 2);
    const { values, positionals } = parseFlags(rest);
    if (values.dir === '') throw new KeysError("--dir: expected a folder, got ''", 2);
    return RUNNERS[action as Action](values, positionals);
  } catch (error) {
    if (error instanceof FleetCredentialsError) return fail(new KeysError(error.message));
    if (error instanceof KeysError) return fail(error);
    throw error;
  }
}

function parseFlags(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      dir: { type: 'string', default: DEFAULT_KEYS_DIR },
      robot: { type: 'string' },
      kiosk: { type: 'string' },
      service: { type: 'boolean', default: false },
      site: { type: 'string' },
      force: { type: 'boolean', default: false },
      listen: { type: 'string', default: DEFAULT_BROKER_LISTEN },
      store: { type: 'string', default: DEFAULT_BROKER_STORE },
      'robot-desk-watch': { type: 'boolean', default: false },
    },
  });
}

function fail(error: KeysError): number {
  const usage = error.exitCode === 2 ? `\nusage:\n${FLEET_KEYS_USAGE}` : '';
  process.stderr.write(`medhjalparen: fleet keys: ${error.message}\n${usage}`);
  return error.exitCode;
}

const RUNNERS: Record<Action, (flags: Flags, positionals: string[]) => number> = {
  add: (flags, positionals) => {
    noPositionals('add', positionals);
    const identity = addIdentity(flags.dir, identityRequest(flags), flags.force);
    process.stdout.write(
      `added ${describe(identity)}: seed in ${seedFile(flags.dir, identity.id)} (keep it on that machine only), public key ${identity.publicKey}\n` +
        'make the broker configuration again: medhjalparen fleet keys server-config > nats.conf\n',
    );
    return 0;
  },
  list: (flags, positionals) => {
    noPositionals('list', positionals);
    const { identities } = readRoster(flags.dir);
    if (identities.length === 0) process.stdout.write(`no identities in ${path.resolve(flags.dir)} yet\n`);
    for (const i of identities)
      process.stdout.write(
        `${i.id.padEnd(24)} ${i.kind.padEnd(8)} ${(i.kind === 'service' ? '-' : i.site).padEnd(16)} ${i.publicKey}\n`,
      );
    return 0;
  },
  remove: (flags, positionals) => {
    if (positionals.length !== 1) throw new KeysError('fleet keys remove takes one ID', 2);
    const id = flagId(positionals[0]!, 'ID');
    if (!removeIdentity(flags.dir, id))
      throw new KeysError(
        `there is no identity '${id}' in ${path.resolve(flags.dir)} (see: medhjalparen fleet keys list)`,
      );
    process.stdout.write(
      `removed ${id}; make the broker configuration again and restart nats-server to shut it out\n`,
    );
    return 0;
  },
  'server-config': (flags, positionals) => {
    noPositionals('server-config', positionals);
    const roster = readRoster(flags.dir);
    const options = {
      listen: flags.listen,
      storeDir: flags.store,
      robotDeskWatch: flags['robot-desk-watch'],
    };
    process.stdout.write(natsServerFile(roster, options));
    return 0;
  },
};

/** Exactly one of --robot, --kiosk, --service; --site with the first two only. */
function identityRequest(flags: Flags): IdentityRequest {
  const given = (['robot', 'kiosk', 'service'] as const).filter((k) =>
    k === 'service' ? flags.service : flags[k] !== undefined,
  );
  if (given.length !== 1)
    throw new KeysError('fleet keys add needs exactly one of --robot ID, --kiosk ID or --service', 2);
  const kind = given[0]!;
  if (kind === 'service') {
    if (flags.site !== undefined)
      throw new KeysError('--site: the fleet service serves every site; leave it out', 2);
    return { kind };
  }
  if (flags.site === undefined) throw new KeysError(`--${kind} needs --site SITE (the site it serves)`, 2);
  const id = flagId(flags[kind]!, `--${kind}`);
  if (id === 'fleet') throw new KeysError(`--${kind}: 'fleet' is the fleet service's id; choose another`, 2);
  return { kind, id, site: flagId(flags.site, '--site') };
}

function flagId(value: string, flag: string): string {
  try {
    return fleetId(value, flag);
  } catch (e) {
    if (e instanceof FleetNameError) throw new KeysError(e.message, 2);
    throw e;
  }
}

function noPositionals(action: string, positionals: string[]): void {
  if (positionals.length > 0)
    throw new KeysError(`fleet keys ${action} takes no '${excerpt(positionals[0]!)}'`, 2);
}

function describe(i: FleetIdentity): string {
  return i.kind === 'service' ? 'the fleet service' : `${i.kind} ${i.id} at ${i.site}`;
}
