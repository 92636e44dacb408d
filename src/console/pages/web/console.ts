/**
 * The operator console (/): login (or how to make the first admin), then the live map and the
 * panels. Controls an account's role may not use are hidden; the server refuses them anyway.
 */
import type { Role, SessionReply, SetupReply, SiteReply } from '../../protocol.js';
import { byId, wireTextSize } from './dom.js';
import { ApiError, api } from './http.js';
import { LiveConnection } from './live.js';
import { MapView } from './map-view.js';
import { Panels } from './console-panels.js';
import { ROUTES } from './routes.js';
import { wireFoxglove } from './console-foxglove.js';
import { wireTeleop, type TeleopWiring } from './console-teleop.js';

const ROLE_RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export interface ConsoleContext {
  session: SessionReply;
  site: SiteReply;
  live: LiveConnection;
  can(role: Role): boolean;
}

async function main(): Promise<void> {
  wireTextSize(byId<HTMLButtonElement>('text-smaller'), byId<HTMLButtonElement>('text-larger'));
  const session = await api<SessionReply>('GET', ROUTES.session).catch(() => undefined);
  if (session === undefined) await showLogin();
  else await startConsole(session);
}

async function showLogin(): Promise<void> {
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
    void login();
  });
  byId<HTMLInputElement>('login-name').focus();
}

async function login(): Promise<void> {
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
    await startConsole(session);
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

async function startConsole(session: SessionReply): Promise<void> {
  const site = await api<SiteReply>('GET', ROUTES.site);
  const can = (role: Role) => ROLE_RANK[session.role] >= ROLE_RANK[role];
  applyRole(can);
  byId('who').hidden = false;
  byId('who').textContent = `${session.name} (${session.role})`;
  const logout = byId<HTMLButtonElement>('logout');
  logout.hidden = false;
  logout.addEventListener('click', () => {
    void api('POST', ROUTES.logout)
      .catch(() => undefined)
      .then(() => location.reload());
  });
  byId('console').hidden = false;
  document.body.dataset.role = session.role;

  const map = new MapView(byId<HTMLCanvasElement>('map'));
  map.setSite(site);
  byId('zoom-in').addEventListener('click', () => map.zoom(1.25));
  byId('zoom-out').addEventListener('click', () => map.zoom(0.8));
  byId('zoom-fit').addEventListener('click', () => map.fit());

  // The panels need the connection and the connection feeds the panels: wired once both exist.
  const wired: { panels?: Panels; teleop?: TeleopWiring } = {};
  const live = new LiveConnection(ROUTES.consoleSocket, {
    map: (image) => map.setMap(image),
    state: (state) => {
      map.setState(state);
      wired.panels?.update(state);
      wired.teleop?.state(state);
    },
    log: (message) => wired.panels?.addLog(message.entry),
    connection: (open) => {
      const status = byId('connection');
      status.textContent = open ? 'Live' : 'Connection lost — reconnecting…';
      document.body.dataset.live = String(open);
      wired.teleop?.connection(open);
    },
    error: (message) => {
      byId('connection').textContent = `Server: ${message.message}`;
    },
  });
  const context: ConsoleContext = { session, site, live, can };
  const panels = new Panels(context);
  wired.panels = panels;
  wired.teleop = wireTeleop(context);
  wireFoxglove();
  live.connect();
  await panels.load();
}

/** Hides what this role may not use ([data-min-role]); the server checks again on every call. */
function applyRole(can: (role: Role) => boolean): void {
  for (const node of document.querySelectorAll<HTMLElement>('[data-min-role]')) {
    node.hidden = !can(node.dataset.minRole as Role);
  }
}

main().catch((error: unknown) => {
  byId('connection').textContent =
    `The console could not start: ${error instanceof Error ? error.message : String(error)}`;
});
