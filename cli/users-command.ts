/**
 * `medhjalparen users`: the console's operator accounts, kept in DATA/console.sqlite. There is no
 * default account; the first admin is made here. This is an adapter: it reads the wall clock for
 * an account's creation time.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { hashPassword, isRole, passwordProblem } from '../src/console/auth/index.js';
import { ROLES, UserName } from '../src/console/protocol.js';
import { DATABASE_FILE, openStore, type SqliteConsoleStore } from '../src/console/store/index.js';
import { excerpt } from '../src/input/index.js';
import { PasswordInputError, readPassword } from './password-input.js';
import { USERS_USAGE, defaultDataDir } from './users-usage.js';

const NAME_RULE = new RegExp(UserName.pattern!);
const ACTIONS = ['add', 'list', 'remove', 'password'] as const;
type Action = (typeof ACTIONS)[number];

/** A failure of the request as asked (exit 1), or of how it was asked (exit 2, with the usage). */
class UsersError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

interface UsersArgs {
  action: Action;
  name: string;
  role?: string;
  dataDir: string;
}

export async function runUsersCommand(args: readonly string[]): Promise<number> {
  try {
    const parsed = parseUsersArgs(args);
    return await ACTION_RUNNERS[parsed.action](parsed);
  } catch (error) {
    if (error instanceof PasswordInputError) return fail(new UsersError(error.message));
    if (error instanceof UsersError) return fail(error);
    throw error;
  }
}

function fail(error: UsersError): number {
  const usage = error.exitCode === 2 ? `\nusage:\n${USERS_USAGE}` : '';
  process.stderr.write(`medhjalparen: users: ${error.message}\n${usage}`);
  return error.exitCode;
}

function parseUsersArgs(args: readonly string[]): UsersArgs {
  if (args.some((a) => a === '--password' || a.startsWith('--password=') || a === '-p')) {
    throw new UsersError(
      '--password is refused: a password given as an argument shows in the process list and stays in shell ' +
        'history. Leave it out and type the password when asked, or pipe it on stdin as one line',
      2,
    );
  }
  const [action, ...rest] = args;
  if (!(ACTIONS as readonly (string | undefined)[]).includes(action))
    throw new UsersError(`expected one of ${ACTIONS.join(', ')}, got '${excerpt(action ?? '')}'`, 2);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { role: { type: 'string' }, data: { type: 'string', default: defaultDataDir() } },
  });
  if (values.data === '') throw new UsersError("--data: expected a folder, got ''", 2);
  const wanted = action === 'list' ? 0 : 1;
  if (positionals.length !== wanted)
    throw new UsersError(`users ${action} takes ${wanted === 0 ? 'no name' : 'one user NAME'}`, 2);
  if (values.role !== undefined && action !== 'add')
    throw new UsersError(
      '--role applies to users add only (to change a role, remove the user and add them again)',
      2,
    );
  const name = positionals[0] ?? '';
  if (wanted === 1 && !NAME_RULE.test(name))
    throw new UsersError(
      `user name '${excerpt(name)}': expected 2–32 characters of a–z, 0–9, '.', '_' and '-', starting with a letter or digit`,
      2,
    );
  return {
    action: action as Action,
    name,
    dataDir: values.data,
    ...(values.role ? { role: values.role } : {}),
  };
}

const ACTION_RUNNERS: Record<Action, (args: UsersArgs) => Promise<number>> = {
  add: addUser,
  list: listUsers,
  remove: removeUser,
  password: changePassword,
};

async function addUser(args: UsersArgs): Promise<number> {
  const role = args.role;
  if (role === undefined) throw new UsersError(`users add needs --role ${ROLES.join('|')}`, 2);
  if (!isRole(role))
    throw new UsersError(`--role: expected one of ${ROLES.join(', ')}, got '${excerpt(role)}'`, 2);
  return withStore(args.dataDir, true, async (store) => {
    if (store.passwordHash(args.name)) throw duplicate(args.name);
    const hash = await newPasswordHash(args.name);
    store.addUser(args.name, role, hash, Date.now());
    process.stdout.write(`added ${args.name} (${role}) to ${store.file}\n`);
    return 0;
  });
}

async function listUsers(args: UsersArgs): Promise<number> {
  const users = existsSync(databaseFile(args.dataDir))
    ? await withStore(args.dataDir, false, async (store) => store.listUsers())
    : [];
  if (users.length === 0) {
    process.stdout.write(
      `no accounts yet; make the first admin with: medhjalparen users add NAME --role admin\n`,
    );
    return 0;
  }
  const rows = [['NAME', 'ROLE', 'CREATED'], ...users.map((u) => [u.name, u.role, u.created])];
  for (const [name, role, created] of rows)
    process.stdout.write(`${name!.padEnd(33)} ${role!.padEnd(9)} ${created}\n`);
  return 0;
}

async function removeUser(args: UsersArgs): Promise<number> {
  return withExistingUser(args, async (store) => {
    store.removeUser(args.name);
    process.stdout.write(`removed ${args.name}; their sessions have ended\n`);
    if (!store.adminExists())
      process.stdout.write(
        'no admin is left: the console now shows how to make one (medhjalparen users add NAME --role admin)\n',
      );
    return 0;
  });
}

async function changePassword(args: UsersArgs): Promise<number> {
  return withExistingUser(args, async (store) => {
    const hash = await newPasswordHash(args.name);
    if (!store.setPasswordHash(args.name, hash)) throw unknownUser(args.name, store.file);
    process.stdout.write(`changed the password of ${args.name}; their sessions have ended\n`);
    return 0;
  });
}

/** A new password, asked for (twice at a terminal) and checked against the rules, hashed. */
async function newPasswordHash(name: string): Promise<string> {
  const password = await readPassword({
    prompt: `New password for ${name}: `,
    confirm: `The same password again: `,
  });
  const problem = passwordProblem(name, password);
  if (problem !== undefined) throw new UsersError(`${problem}; nothing was changed`);
  return hashPassword(password);
}

function databaseFile(dataDir: string): string {
  return path.join(path.resolve(dataDir), DATABASE_FILE);
}

/** Opens the store (creating it only when `create`), runs `act`, and always closes it. */
async function withStore<T>(
  dataDir: string,
  create: boolean,
  act: (store: SqliteConsoleStore) => Promise<T>,
) {
  if (!create && !existsSync(databaseFile(dataDir)))
    throw new UsersError(`there is no console database at ${databaseFile(dataDir)} (no accounts yet)`);
  const store = openStore(dataDir);
  try {
    return await act(store);
  } finally {
    store.close();
  }
}

function withExistingUser(args: UsersArgs, act: (store: SqliteConsoleStore) => Promise<number>) {
  return withStore(args.dataDir, false, async (store) => {
    if (!store.passwordHash(args.name)) throw unknownUser(args.name, store.file);
    return act(store);
  });
}

function unknownUser(name: string, file: string): UsersError {
  return new UsersError(`there is no user named '${name}' in ${file} (see: medhjalparen users list)`);
}

function duplicate(name: string): UsersError {
  return new UsersError(
    `a user named '${name}' exists already; choose another name, or change their password with: medhjalparen users password ${name}`,
  );
}
