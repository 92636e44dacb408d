/**
 * The roster: who may connect to the fleet's broker, as public keys only (`<dir>/roster.json`).
 * The seeds live beside it, one file each (`<dir>/<id>.nk`, mode 0600, the folder 0700); this
 * module writes them but never returns, prints or logs one. The roster is read as untrusted
 * input: bounded in size, every field checked, so a hand-edited file cannot put a wildcard or a
 * stray quote into the server configuration made from it.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { nkeys } from 'nats';
import { fleetId } from '../subjects.js';

export const ROSTER_FILE = 'roster.json';
export const SERVICE_ID = 'fleet';
/** A roster of 10,000 identities is about 1.5 MB; a fleet has tens. */
const ROSTER_MAX_BYTES = 4 * 1024 * 1024;
/** A user nkey's public key: 'U' and 55 base32 characters. */
const USER_PUBLIC_KEY = /^U[A-Z2-7]{55}$/;

export type FleetIdentity =
  | { kind: 'robot'; id: string; site: string; publicKey: string }
  | { kind: 'kiosk'; id: string; site: string; publicKey: string }
  | { kind: 'service'; id: typeof SERVICE_ID; publicKey: string };

export type IdentityRequest = { kind: 'robot' | 'kiosk'; id: string; site: string } | { kind: 'service' };

export interface Roster {
  identities: FleetIdentity[];
}

export class FleetCredentialsError extends Error {}

export function rosterFile(dir: string): string {
  return path.join(dir, ROSTER_FILE);
}

export function seedFile(dir: string, id: string): string {
  return path.join(dir, `${fleetId(id, 'id')}.nk`);
}

/** The roster in `dir`; an empty one when the folder has none yet. */
export function readRoster(dir: string): Roster {
  const file = rosterFile(dir);
  if (!existsSync(file)) return { identities: [] };
  const stat = statSync(file);
  if (!stat.isFile()) throw new FleetCredentialsError(`${file}: not a regular file`);
  if (stat.size > ROSTER_MAX_BYTES)
    throw new FleetCredentialsError(
      `${file}: ${stat.size} bytes, more than the ${ROSTER_MAX_BYTES} a roster may have`,
    );
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new FleetCredentialsError(`${file}: not JSON (${(e as Error).message.slice(0, 80)})`);
  }
  return parseRoster(data, file);
}

/** Checks a roster read from `file`: every identity well formed, every id once. */
export function parseRoster(data: unknown, file: string): Roster {
  const list = (data as { identities?: unknown } | null)?.identities;
  if (!Array.isArray(list)) throw new FleetCredentialsError(`${file}: expected { "identities": [ … ] }`);
  const identities = list.map((item, i) => parseIdentity(item, `${file}: identities[${i}]`));
  const ids = new Set<string>();
  for (const { id } of identities) {
    if (ids.has(id)) throw new FleetCredentialsError(`${file}: the id '${id}' is listed twice`);
    ids.add(id);
  }
  return { identities };
}

function parseIdentity(item: unknown, where: string): FleetIdentity {
  const o = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
  const text = (key: string) => {
    if (typeof o[key] !== 'string') throw new FleetCredentialsError(`${where}: '${key}' must be a string`);
    return o[key];
  };
  const publicKey = text('publicKey');
  if (!USER_PUBLIC_KEY.test(publicKey))
    throw new FleetCredentialsError(
      `${where}: publicKey is not a user public key ('U' and 55 base32 characters)`,
    );
  const id = guard(where, () => fleetId(text('id'), 'id'));
  if (o['kind'] === 'service') {
    if (id !== SERVICE_ID) throw new FleetCredentialsError(`${where}: the service's id is '${SERVICE_ID}'`);
    return { kind: 'service', id: SERVICE_ID, publicKey };
  }
  if (o['kind'] !== 'robot' && o['kind'] !== 'kiosk')
    throw new FleetCredentialsError(`${where}: kind must be robot, kiosk or service`);
  if (id === SERVICE_ID) throw new FleetCredentialsError(`${where}: the id '${SERVICE_ID}' is the service's`);
  const site = guard(where, () => fleetId(text('site'), 'site'));
  return { kind: o['kind'], id, site, publicKey };
}

function guard<T>(where: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new FleetCredentialsError(`${where}: ${(e as Error).message}`);
  }
}

/**
 * Makes a new key pair for an identity: its seed to `<dir>/<id>.nk` (0600), its public key into
 * the roster. Refuses an id that has a seed or a roster entry already, unless `force`.
 */
export function addIdentity(dir: string, request: IdentityRequest, force = false): FleetIdentity {
  const id = request.kind === 'service' ? SERVICE_ID : request.id;
  const roster = readRoster(dir);
  const seed = seedFile(dir, id);
  if (!force && (roster.identities.some((i) => i.id === id) || existsSync(seed)))
    throw new FleetCredentialsError(
      `'${id}' has keys already (${seed}); --force makes new ones and the old seed stops working`,
    );
  ensurePrivateDir(dir);
  const kp = nkeys.createUser();
  try {
    writePrivate(seed, kp.getSeed());
    const publicKey = kp.getPublicKey();
    const identity: FleetIdentity =
      request.kind === 'service' ? { kind: 'service', id: SERVICE_ID, publicKey } : { ...request, publicKey };
    writeRoster(dir, { identities: [...roster.identities.filter((i) => i.id !== id), identity] });
    return identity;
  } finally {
    kp.clear(); // the seed's bytes are wiped from memory, not left for the collector
  }
}

/** Takes an identity out of the roster and deletes its seed; false when it was not there. */
export function removeIdentity(dir: string, id: string): boolean {
  const roster = readRoster(dir);
  const seed = seedFile(dir, id);
  const listed = roster.identities.some((i) => i.id === id);
  if (listed) writeRoster(dir, { identities: roster.identities.filter((i) => i.id !== id) });
  const hadSeed = existsSync(seed);
  rmSync(seed, { force: true });
  return listed || hadSeed;
}

/** The keys' folder, made 0700; an existing one others may read or enter is refused. */
function ensurePrivateDir(dir: string): void {
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = statSync(dir);
  if (!stat.isDirectory()) throw new FleetCredentialsError(`${dir}: not a folder`);
  if ((stat.mode & 0o077) !== 0)
    throw new FleetCredentialsError(`${dir}: others may read this folder; chmod 700 ${dir} (it holds seeds)`);
}

/** Whole or not at all: a temporary file, created 0600 (never readable by others, even briefly), renamed. */
function writePrivate(file: string, bytes: Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  rmSync(tmp, { force: true }); // left by a run that died half-way
  writeFileSync(tmp, bytes, { mode: 0o600, flag: 'wx' });
  renameSync(tmp, file);
}

function writeRoster(dir: string, roster: Roster): void {
  const file = rosterFile(dir);
  const tmp = `${file}.${process.pid}.tmp`;
  rmSync(tmp, { force: true });
  writeFileSync(tmp, `${JSON.stringify(roster, null, 2)}\n`, { mode: 0o644, flag: 'wx' });
  renameSync(tmp, file);
}
