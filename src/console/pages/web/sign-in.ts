/**
 * Signing in, shared by the robot's console and the fleet console: the login form (or how to make
 * the first admin), then the signed-in page; the log-out button; hiding what a role may not use.
 * The page must have the login section's elements (#login-section, #login-form, #login-name,
 * #login-password, #login-error, #setup-hint, #setup-command).
 */
import type { Role, SessionReply, SetupReply } from '../../protocol.js';
import { byId } from './dom.js';
import { ApiError, api } from './http.js';
import { ROUTES } from './routes.js';

const ROLE_RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** Whether a session of this role may do what needs `role` (the server decides again). */
export function roleCan(session: SessionReply, role: Role): boolean {
  return ROLE_RANK[session.role] >= ROLE_RANK[role];
}

/** The session now, or the login form until someone signs in; then `start` with the session. */
export async function signedIn(start: (session: SessionReply) => Promise<void>): Promise<void> {
  const session = await api<SessionReply>('GET', ROUTES.session).catch(() => undefined);
  if (session === undefined) await showLogin(start);
  else await start(session);
}

async function showLogin(start: (session: SessionReply) => Promise<void>): Promise<void> {
  byId('login-section').hidden = false;
  const setup = await api<SetupReply>('GET', ROUTES.setup).catch(() => undefined);
  if (setup !== undefined && !setup.admin_exists) {
    byId('setup-hint').hidden = false;
    const command = setup.how.match(/medhjalparen users add [^\n]*--role admin/)?.[0];
    if (command !== undefined) byId('setup-command').textContent = command;
  }
  const form = byId<HTMLFormElement>('login-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void login(start);
  });
  byId<HTMLInputElement>('login-name').focus();
}

async function login(start: (session: SessionReply) => Promise<void>): Promise<void> {
  const name = byId<HTMLInputElement>('login-name').value.trim();
  const password = byId<HTMLInputElement>('login-password').value;
  const error = byId('login-error');
  error.textContent = '';
  if (name === '' || password === '') {
    error.textContent = 'Enter your user name and password.';
    return;
  }
  try {
    const session = await api<SessionReply>('POST', ROUTES.login, { name, password });
    byId<HTMLInputElement>('login-password').value = '';
    byId('login-section').hidden = true;
    await start(session);
  } catch (e) {
    error.textContent =
      e instanceof ApiError && e.status === 401
        ? 'Wrong user name or password.'
        : e instanceof ApiError && e.status === 429
          ? 'Too many attempts; wait a minute and try again.'
          : e instanceof Error
            ? e.message
            : String(e);
  }
}

/** Shows who is signed in and the log-out button (#who, #logout); logging out reloads the page. */
export function showSignedIn(session: SessionReply): void {
  byId('who').hidden = false;
  byId('who').textContent = `${session.name} (${session.role})`;
  const logout = byId<HTMLButtonElement>('logout');
  logout.hidden = false;
  logout.addEventListener('click', () => {
    void api('POST', ROUTES.logout)
      .catch(() => undefined)
      .then(() => location.reload());
  });
  document.body.dataset.role = session.role;
}

/** Hides what this role may not use ([data-min-role]); the server checks again on every call. */
export function applyRole(can: (role: Role) => boolean): void {
  for (const node of document.querySelectorAll<HTMLElement>('[data-min-role]')) {
    node.hidden = !can(node.dataset.minRole as Role);
  }
}
