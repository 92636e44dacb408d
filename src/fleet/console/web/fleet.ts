/**
 * The fleet console (/): sign in as on the robot's console, then every site with its robots, the
 * alerts, the open tasks and (operators) the dispatch form, kept live by /api/fleet/live. The
 * socket sends the whole picture first, after every reconnect too, so a dropped page catches up.
 */
import type { Role, SessionReply } from '../../../console/protocol.js';
import { byId, wireTextSize } from '../../../console/pages/web/dom.js';
import { api } from '../../../console/pages/web/http.js';
import { applyRole, roleCan, showSignedIn, signedIn } from '../../../console/pages/web/sign-in.js';
import type { FleetSnapshot } from '../../fleet-control.js';
import type { FleetLiveMessage } from '../schemas.js';
import { DispatchForm } from './fleet-dispatch.js';
import { FloorMaps } from './fleet-floors.js';
import { applyChange } from './fleet-state.js';
import { TaskTable, announceAlert, renderAlerts, renderSites } from './fleet-view.js';
import { reasonWords } from './fleet-words.js';

const LIVE_PATH = '/api/fleet/live';
const REASONS_PATH = '/api/fleet/reasons';
/** The close code of a session that ended (logout elsewhere, expiry): back to the login form. */
const SESSION_ENDED = 4001;

interface View {
  tasks: TaskTable;
  floors: FloorMaps;
  dispatch: DispatchForm | undefined;
}

async function start(session: SessionReply): Promise<void> {
  const can = (role: Role) => roleCan(session, role);
  applyRole(can);
  showSignedIn(session);
  byId('role-note').hidden = can('operator');
  Object.assign(reasonWords, await api<Record<string, string>>('GET', REASONS_PATH));
  byId('fleet').hidden = false;
  const view: View = {
    tasks: new TaskTable(can('operator')),
    floors: new FloorMaps(),
    dispatch: can('operator') ? new DispatchForm() : undefined,
  };
  connect(view, 500);
  await view.floors.start();
}

function render(view: View, snapshot: FleetSnapshot): void {
  byId('broker').textContent =
    snapshot.broker === 'connected' ? 'Fleet messaging: connected' : 'Fleet messaging: DISCONNECTED';
  byId('broker').classList.toggle('warn-text', snapshot.broker !== 'connected');
  renderSites(snapshot);
  view.floors.update(snapshot);
  renderAlerts(snapshot);
  view.tasks.render(snapshot);
  view.dispatch?.update(snapshot);
  document.body.dataset.live = 'true';
}

/** Opens the live socket; a lost one is retried with a growing delay (the page's own timer). */
function connect(view: View, retryMs: number): void {
  const socket = new WebSocket(
    `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${LIVE_PATH}`,
  );
  let snapshot: FleetSnapshot | undefined;
  socket.addEventListener('open', () => (byId('connection').textContent = 'Live'));
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as FleetLiveMessage;
    if (message.type === 'snapshot') snapshot = message.snapshot;
    else if (snapshot) {
      applyChange(snapshot, message.change);
      if (message.change.kind === 'alert') announceAlert(snapshot, message.change.alert);
    }
    if (snapshot) render(view, snapshot);
  });
  socket.addEventListener('close', (event) => {
    document.body.dataset.live = 'false';
    if (event.code === SESSION_ENDED) return location.reload();
    byId('connection').textContent = 'Connection lost — reconnecting…';
    const opened = snapshot !== undefined;
    window.setTimeout(() => connect(view, opened ? 500 : Math.min(retryMs * 2, 8000)), retryMs);
  });
}

async function main(): Promise<void> {
  wireTextSize(byId<HTMLButtonElement>('text-smaller'), byId<HTMLButtonElement>('text-larger'));
  await signedIn(start);
}

main().catch((error: unknown) => {
  byId('connection').textContent =
    `The fleet console could not start: ${error instanceof Error ? error.message : String(error)}`;
});
