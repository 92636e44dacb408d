/**
 * Passwords: argon2id at OWASP's minimum (19 MiB, 2 passes, 1 lane), the rules a new password
 * must meet, and a login check that spends the same work whether or not the name exists, so the
 * answer's timing does not tell which names are accounts.
 *
 * Text is compared in Unicode NFC: 'ä' typed on a tablet (one code point) and in a terminal
 * (a + combining diaeresis) is the same password.
 */
import { hash, verify, type Algorithm, type Options } from '@node-rs/argon2';
import type { ConsoleStore, StoredUser } from '../store.js';

const ARGON2ID: Algorithm = 2;

export const ARGON2_OPTIONS: Readonly<Options> = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

export const PASSWORD_MIN_CHARS = 12;
export const PASSWORD_MAX_CHARS = 256;

/**
 * Verified when the name is unknown, so a miss costs what a hit costs. Made with ARGON2_OPTIONS
 * from 32 random bytes that were then thrown away: no password opens it. (A test checks that its
 * parameters follow ARGON2_OPTIONS.)
 */
export const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$QeUKWxFusOMCMGTKdeVp4A$fKQOtBiMHYCLI7hQq8rYzTFkvNGqW0KYHudlIC30LiY';

/** What is wrong with `password` for user `name`, in plain words; undefined when it is fine. */
export function passwordProblem(name: string, password: string): string | undefined {
  const text = password.normalize('NFC');
  const chars = [...text].length;
  if (chars < PASSWORD_MIN_CHARS)
    return `a password needs at least ${PASSWORD_MIN_CHARS} characters (this one has ${chars}); a few words make a good one`;
  if (chars > PASSWORD_MAX_CHARS)
    return `a password has at most ${PASSWORD_MAX_CHARS} characters (this one has ${chars})`;
  const lower = text.toLowerCase();
  if (name !== '' && lower.split(name.toLowerCase()).join('') === '')
    return 'the password cannot be the user name (nor the name repeated)';
  if (/^(.)\1*$/su.test(text)) return 'the password cannot be one character repeated';
  return undefined;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFC'), ARGON2_OPTIONS);
}

/** Whether `password` matches `stored`; a stored hash that cannot be read matches nothing. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password.normalize('NFC'));
  } catch {
    return false;
  }
}

/**
 * The user a name and password log in as, or undefined. An unknown name is still checked against
 * DUMMY_HASH, so it takes as long as a wrong password. `check` is the real verifier except in the
 * test that records which hash a login checked.
 */
export async function verifyLogin(
  store: Pick<ConsoleStore, 'passwordHash'>,
  name: string,
  password: string,
  check: (stored: string, password: string) => Promise<boolean> = verifyPassword,
): Promise<StoredUser | undefined> {
  const found = store.passwordHash(name);
  const ok = await check(found?.hash ?? DUMMY_HASH, password);
  return ok && found ? found.user : undefined;
}
