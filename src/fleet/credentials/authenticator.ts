/**
 * A client's credentials from its seed file: the file is checked before it is trusted (a regular
 * file, readable by its owner only, small, a user seed), and every error names the file but never
 * shows its content. The seed stays in memory only inside the authenticator.
 */
import { readFileSync, statSync } from 'node:fs';
import { nkeyAuthenticator, nkeys, type Authenticator } from 'nats';
import { inboxPrefixFor } from './permissions.js';
import { FleetCredentialsError } from './roster.js';

export interface FleetCredentials {
  authenticator: Authenticator;
  publicKey: string;
  /** Pass to connect() as `inboxPrefix`: the broker lets this client listen on no other inbox. */
  inboxPrefix: string;
}

/** A seed is 58 characters; a trailing newline or two is allowed. */
const SEED_MAX_BYTES = 256;

export function fleetAuthenticator(seedFile: string): FleetCredentials {
  const stat = statOf(seedFile);
  if (!stat.isFile())
    throw new FleetCredentialsError(`${seedFile}: not a regular file (a seed file is expected)`);
  if ((stat.mode & 0o077) !== 0)
    throw new FleetCredentialsError(`${seedFile}: others may read this seed; chmod 600 ${seedFile}`);
  if (stat.size > SEED_MAX_BYTES) throw new FleetCredentialsError(`${seedFile}: too large to be a seed file`);
  const seed = new TextEncoder().encode(readFileSync(seedFile, 'utf8').trim());
  let publicKey: string;
  try {
    if (seed[0] !== 0x53 || seed[1] !== 0x55) throw new Error('not a user seed');
    const kp = nkeys.fromSeed(seed);
    publicKey = kp.getPublicKey();
  } catch {
    // The decoder's message may quote the seed: it is not passed on.
    throw new FleetCredentialsError(
      `${seedFile}: not a valid user seed (expected one line starting with 'SU')`,
    );
  }
  return { authenticator: nkeyAuthenticator(seed), publicKey, inboxPrefix: inboxPrefixFor(publicKey) };
}

function statOf(file: string) {
  try {
    return statSync(file);
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'unreadable';
    throw new FleetCredentialsError(`${file}: cannot read the seed file (${code})`);
  }
}
