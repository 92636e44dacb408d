/**
 * The operator console (/): login (or how to make the first admin), then the live map and the
 * panels. Controls an account's role may not use are hidden; the server refuses them anyway.
 */
import type { Role, SessionReply, SiteReply } from '../../protocol.js';
import { byId, wireTextSize } from './dom.js';
import { api } from './http.js';
import { LiveConnection } from './live.js';
import { MapView } from './map-view.js';
import { Panels } from './console-panels.js';
import { ROUTES } from './routes.js';
import { wireFoxglove } from './console-foxglove.js';
import { wireTeleop, type TeleopWiring } from './console-teleop.js';
import { applyRole, roleCan, showSignedIn, signedIn } from './sign-in.js';

export interface ConsoleContext {
  session: SessionReply;
  site: SiteReply;
  live: LiveConnection;
  can(role: Role): boolean;
}

async function main(): Promise<void> {
  wireTextSize(byId<HTMLButtonElement>('text-smaller'), byId<HTMLButtonElement>('text-larger'));
  await signedIn(startConsole);
}

async function startConsole(session: SessionReply): Promise<void> {
  const site = await api<SiteReply>('GET', ROUTES.site);
  const can = (role: Role) => roleCan(session, role);
  applyRole(can);
  showSignedIn(session);
  byId('console').hidden = false;

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

main().catch((error: unknown) => {
  byId('connection').textContent =
    `The console could not start: ${error instanceof Error ? error.message : String(error)}`;
});
