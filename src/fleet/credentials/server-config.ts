/**
 * The broker's configuration made from the roster: an `authorization` block with one nkey user
 * per identity and its permissions (permissions.ts). JetStream runs in the global account: with
 * nats-server 2.9 a plain `authorization { users }` block needs no `accounts` (credentials.test.ts
 * runs streams, key-value buckets and pull consumers under it). Every string is written quoted:
 * unquoted, `$JS.API.INFO` would be read as a variable.
 */
import path from 'node:path';
import { permissionsFor, type PermissionOptions, type Permissions } from './permissions.js';
import { FleetCredentialsError, type Roster } from './roster.js';

export type NatsConfigOptions = PermissionOptions;

export interface NatsServerFileOptions extends NatsConfigOptions {
  /** HOST:PORT the broker listens on. */
  listen: string;
  /** JetStream's store folder (made absolute: the server resolves relative paths from its own cwd). */
  storeDir: string;
}

const LISTEN = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

/** The `authorization { users: [...] }` block; refuses a roster without the fleet service. */
export function natsServerConfig(roster: Roster, options: NatsConfigOptions = {}): string {
  if (!roster.identities.some((i) => i.kind === 'service'))
    throw new FleetCredentialsError(
      'the roster has no fleet service (it makes the streams); add it with: medhjalparen fleet keys add --service',
    );
  const users = roster.identities.map((identity) => {
    const who =
      identity.kind === 'service'
        ? 'the fleet service'
        : `${identity.kind} ${identity.id} at ${identity.site}`;
    return [
      `    # ${who}`,
      `    { nkey: ${q(identity.publicKey)}, permissions: ${permissionsText(permissionsFor(identity, options))} }`,
    ].join('\n');
  });
  return ['authorization {', '  users: [', users.join(',\n'), '  ]', '}', ''].join('\n');
}

/** A whole configuration file: where to listen, where JetStream keeps its data, who may connect. */
export function natsServerFile(roster: Roster, options: NatsServerFileOptions): string {
  const m = LISTEN.exec(options.listen);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535)
    throw new FleetCredentialsError(
      `--listen: expected HOST:PORT such as 127.0.0.1:4222, got '${options.listen.slice(0, 80)}'`,
    );
  if (options.storeDir === '') throw new FleetCredentialsError("--store: expected a folder, got ''");
  return [
    '# The fleet broker, made by: medhjalparen fleet keys server-config (docs/fleet-security.md).',
    '# Public keys only; make it again after fleet keys add or remove, then restart nats-server.',
    `listen: ${q(options.listen)}`,
    `jetstream { store_dir: ${q(path.resolve(options.storeDir))} }`,
    natsServerConfig(roster, options),
  ].join('\n');
}

function permissionsText(p: Permissions): string {
  const side = (s: { allow: string[]; deny?: string[] }) =>
    `{ allow: ${list(s.allow)}${s.deny?.length ? `, deny: ${list(s.deny)}` : ''} }`;
  return `{\n      publish: ${side(p.publish)},\n      subscribe: ${side(p.subscribe)}\n    }`;
}

const list = (items: string[]) => `[${items.map(q).join(', ')}]`;
/** JSON's quoting is the server's: every value here is ASCII without quotes or backslashes anyway. */
const q = (text: string) => JSON.stringify(text);
