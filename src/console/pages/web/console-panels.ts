/**
 * The console's side panels: the current mission, dispatch, desk statuses, the mission log, faults
 * and (for admins) user accounts. Each renders from the live state or its own API call.
 */
import type {
  Battery,
  CentreNow,
  DeskNow,
  FaultReport,
  LiveState,
  MissionLogEntry,
  SetDeskStatusBody,
  UserReply,
} from '../../protocol.js';
import type { ConsoleContext } from './console.js';
import { act } from './console-teleop.js';
import { byId, clock, el, replaceChildren } from './dom.js';
import { api, listOf } from './http.js';
import { ROUTES } from './routes.js';
import { MISSION_WORDS } from './mission-words.js';

const CANCELLABLE = new Set([
  'understanding',
  'asking',
  'escorting',
  'waiting_for_customer',
  'dispatched',
  'paused',
  // Leaving a customer to charge: cancelling sends it home at once.
  'handing_over',
  // Stopped with a critical charge: cancelling tries home with what is left.
  'battery_critical',
]);
/**
 * Nothing to pause: at rest (idle, or on its dock closed or charging; taking control pauses it
 * anyway), stopped, or handing over (the robot refuses until it is on its way home).
 */
const NOT_PAUSABLE = new Set(['idle', 'closed', 'charging', 'estopped', 'stopped_safe', 'handing_over']);
/** States in which the robot refuses a dispatch, and why, for the dispatch panel. */
const NO_DISPATCH: Record<string, string> = {
  charging: 'The robot is charging: it takes no dispatch until it is charged enough.',
  handing_over: 'The robot is leaving its customer to charge: it takes no dispatch now.',
  battery_critical:
    'The battery is critical: put the robot on its charger, or use "Try to drive home" under Current mission.',
};
/** Mission reasons that need staff, as the alert under the header says them (the reason's words follow). */
const STAFF_ALERTS: Record<string, string> = {
  battery_critical:
    'Battery critical: the robot has stopped where it is. Push it onto its dock or plug it in.',
  battery_unreliable:
    'Battery reading unreliable: the robot takes no escorts. Check the battery and its wiring.',
  dock_failed: 'Docking failed: the robot cannot get onto its charger. Clear the dock.',
  return_needs_help: 'The robot cannot get back to its dock. Clear the way or drive it home.',
  localization_lost: 'The robot does not know where it is. Check the lidar, or drive it home.',
};
const WEEKDAY_SHORT: Record<string, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};
const LOG_ROWS = 100;

export class Panels {
  private readonly log = new Map<number, MissionLogEntry>();
  private lastDesks = '';
  private lastMission = '';
  private lastAlert = '';

  /** Times are shown on the site's clock. */
  private readonly zone: string;

  constructor(private readonly context: ConsoleContext) {
    this.zone = context.site.timezone;
    this.fillDeskPickers();
    this.wireMission();
    this.wireDispatch();
    this.wireDeskForm();
    this.wireFaults();
    this.wireUsers();
  }

  async load(): Promise<void> {
    const missions = listOf<MissionLogEntry>(await api('GET', `${ROUTES.missions}?limit=${LOG_ROWS}`));
    for (const entry of missions) this.log.set(entry.id, entry);
    this.renderLog();
    if (this.context.can('admin')) await Promise.all([this.loadFaults(), this.loadUsers()]);
  }

  update(state: Partial<LiveState>): void {
    this.renderMission(state);
    this.renderDesks(state.desks ?? []);
    this.renderRobot(state);
  }

  addLog(entry: MissionLogEntry): void {
    this.log.set(entry.id, entry);
    this.renderLog();
  }

  private deskName(id: string): string {
    if (id === 'dock') return 'its dock';
    return this.context.site.desks.find((d) => d.id === id)?.name.en ?? id;
  }

  private fillDeskPickers(): void {
    for (const select of [byId<HTMLSelectElement>('dispatch-desk'), byId<HTMLSelectElement>('desk-id')]) {
      replaceChildren(
        select,
        ...this.context.site.desks.map((d) => el('option', { value: d.id }, d.name.en)),
      );
    }
  }

  private wireMission(): void {
    const text = byId('mission-text');
    byId('mission-cancel').addEventListener('click', () => void act(text, () => api('POST', ROUTES.cancel)));
    const pause = byId<HTMLButtonElement>('pause');
    pause.addEventListener('click', () => {
      const paused = pause.dataset.paused !== 'true';
      void act(text, () => api('POST', ROUTES.pause, { paused }));
    });
  }

  private renderMission(state: Partial<LiveState>): void {
    const mission = state.mission;
    if (mission === undefined) return;
    const key = JSON.stringify([
      mission,
      state.remaining_m === null ? null : Math.round(state.remaining_m ?? 0),
    ]);
    if (key === this.lastMission) return;
    this.lastMission = key;
    const words = MISSION_WORDS[mission.state] ?? mission.state;
    const parts = [words];
    if (mission.destination_id !== '') parts.push(`to ${this.deskName(mission.destination_id)}`);
    let line = parts.join(' ') + '.';
    if (state.remaining_m !== null && state.remaining_m !== undefined)
      line += ` ${Math.round(state.remaining_m)} m to go.`;
    if (mission.reason_text !== '') line += ` Why: ${mission.reason_text}.`;
    byId('mission-text').textContent = line;
    // How the request was understood: the catalogue term that chose the desk (never the customer's words).
    const why = byId('mission-why');
    why.hidden = mission.why === '';
    why.textContent = mission.why === '' ? '' : `Understood by ${mission.why}`;
    const cancel = byId<HTMLButtonElement>('mission-cancel');
    cancel.disabled = !CANCELLABLE.has(mission.state);
    // Critical: the cancel is the operator's "go home with what is left".
    cancel.textContent = mission.state === 'battery_critical' ? 'Try to drive home' : 'Cancel mission';
    const pause = byId<HTMLButtonElement>('pause');
    const paused = mission.state === 'paused';
    pause.dataset.paused = String(paused);
    pause.textContent = paused ? 'Resume' : 'Pause';
    pause.disabled = !paused && NOT_PAUSABLE.has(mission.state);
    const refused = NO_DISPATCH[mission.state];
    for (const id of ['dispatch-go', 'dispatch-dock'])
      byId<HTMLButtonElement>(id).disabled = refused !== undefined;
    const note = byId('dispatch-note');
    note.hidden = refused === undefined;
    note.textContent = refused ?? '';
    this.renderAlert(mission);
  }

  /** The staff alert under the header: what needs a person now, and the reason in the robot's words. */
  private renderAlert(mission: LiveState['mission']): void {
    const headline = STAFF_ALERTS[mission.reason];
    const key = headline === undefined ? '' : mission.reason;
    if (key === this.lastAlert) return;
    this.lastAlert = key;
    const alert = byId('staff-alert');
    alert.hidden = headline === undefined;
    alert.dataset.reason = mission.reason;
    replaceChildren(
      alert,
      ...(headline === undefined
        ? []
        : [el('strong', {}, headline), ' ', el('span', {}, `(${mission.reason_text})`)]),
    );
  }

  private renderRobot(state: Partial<LiveState>): void {
    const battery = byId('battery');
    battery.textContent = batteryLine(state.battery ?? null);
    battery.classList.toggle('warn-text', state.battery?.trusted === false);
    if (state.centre) byId('centre').textContent = centreLine(state.centre);
    if (state.pose) {
      byId('robot-summary').textContent =
        `Robot at x ${state.pose.x.toFixed(1)} m, y ${state.pose.y.toFixed(1)} m; ${state.people?.length ?? 0} people seen.`;
    }
    const faults = state.faults ?? [];
    replaceChildren(
      byId('robot-faults'),
      ...(faults.length === 0
        ? [el('li', {}, 'The robot reports no faults.')]
        : faults.map((f) => el('li', {}, el('strong', {}, `${f.source}: `), f.message))),
    );
  }

  private wireDispatch(): void {
    const result = byId('dispatch-result');
    const send = (destination_id: string) => {
      result.textContent = '';
      void act(result, () => api('POST', ROUTES.dispatch, { destination_id })).then((ok) => {
        if (ok) result.textContent = `Sent to ${this.deskName(destination_id)}.`;
      });
    };
    byId('dispatch-go').addEventListener('click', () => send(byId<HTMLSelectElement>('dispatch-desk').value));
    byId('dispatch-dock').addEventListener('click', () => send('dock'));
  }

  private renderDesks(desks: DeskNow[]): void {
    const key = JSON.stringify(desks);
    if (key === this.lastDesks) return;
    this.lastDesks = key;
    const list = byId('desk-list');
    replaceChildren(
      list,
      ...desks.map((desk) => {
        const details = [desk.source === 'staff' ? 'set by staff' : `hours today ${desk.today}`];
        if (desk.note !== '') details.push(desk.note);
        if (desk.until !== '') details.push(`until ${clock(desk.until, this.zone)}`);
        return el(
          'li',
          { 'data-desk': desk.id, 'data-state': desk.state },
          el('strong', {}, this.deskName(desk.id)),
          ' ',
          el('span', { class: `badge ${desk.state}` }, desk.state),
          el('br'),
          el('span', { class: 'note' }, details.join(' · ')),
        );
      }),
    );
  }

  private wireDeskForm(): void {
    const result = byId('desk-result');
    byId<HTMLFormElement>('desk-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const id = byId<HTMLSelectElement>('desk-id').value;
      const state = byId<HTMLSelectElement>('desk-state').value;
      const note = byId<HTMLInputElement>('desk-note').value.trim();
      const until = byId<HTMLInputElement>('desk-until').value;
      result.textContent = '';
      const call =
        state === 'hours'
          ? () => api('DELETE', ROUTES.deskStatus(id))
          : () => {
              const body: SetDeskStatusBody = { state: state as SetDeskStatusBody['state'] };
              if (note !== '') body.note = note;
              if (until !== '') body.until = new Date(until).toISOString();
              return api('PUT', ROUTES.deskStatus(id), body);
            };
      void act(result, call).then((ok) => {
        if (ok) result.textContent = `${this.deskName(id)}: saved.`;
      });
    });
  }

  private renderLog(): void {
    const rows = [...this.log.values()].sort((a, b) => b.id - a.id).slice(0, LOG_ROWS);
    if (rows.length === 0) {
      replaceChildren(byId('log-body'), el('tr', {}, el('td', { colspan: '7' }, 'No requests yet.')));
      return;
    }
    replaceChildren(
      byId('log-body'),
      ...rows.map((entry) =>
        el(
          'tr',
          { 'data-request': entry.request_id, 'data-outcome': entry.outcome || 'under-way' },
          el('td', {}, clock(entry.requested_at, this.zone)),
          el('td', {}, entry.origin),
          el('td', {}, entry.language),
          el('td', {}, this.deskName(entry.destination_id)),
          el('td', {}, entry.outcome === '' ? 'under way' : entry.outcome),
          el('td', {}, entry.reason_text || entry.reason),
          el('td', { class: 'why' }, entry.why),
        ),
      ),
    );
  }

  private wireFaults(): void {
    const result = byId('fault-result');
    byId<HTMLFormElement>('fault-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const textArea = byId<HTMLTextAreaElement>('fault-text');
      const text = textArea.value.trim();
      if (text === '') {
        result.textContent = 'Describe the problem first.';
        return;
      }
      void act(result, () => api('POST', ROUTES.faults, { text })).then(async (ok) => {
        if (!ok) return;
        textArea.value = '';
        result.textContent = 'Thank you: the report is saved.';
        if (this.context.can('admin')) await this.loadFaults();
      });
    });
  }

  private async loadFaults(): Promise<void> {
    const faults = listOf<FaultReport>(await api('GET', ROUTES.faults));
    replaceChildren(
      byId('fault-list'),
      ...(faults.length === 0
        ? [el('li', {}, 'No reports.')]
        : faults.map((f) =>
            el('li', {}, el('strong', {}, `${clock(f.created, this.zone)} ${f.reporter}: `), f.text),
          )),
    );
  }

  private wireUsers(): void {
    const result = byId('user-result');
    byId<HTMLFormElement>('user-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const name = byId<HTMLInputElement>('user-name').value.trim();
      const role = byId<HTMLSelectElement>('user-role').value;
      const password = byId<HTMLInputElement>('user-password').value;
      void act(result, () => api('POST', ROUTES.users, { name, role, password })).then(async (ok) => {
        if (!ok) return;
        byId<HTMLInputElement>('user-password').value = '';
        result.textContent = `${name} added.`;
        await this.loadUsers();
      });
    });
  }

  private async loadUsers(): Promise<void> {
    const users = listOf<UserReply>(await api('GET', ROUTES.users));
    const result = byId('user-result');
    replaceChildren(
      byId('user-list'),
      ...users.map((user) => {
        const remove = el('button', { type: 'button', class: 'secondary' }, `Remove ${user.name}`);
        remove.disabled = user.name === this.context.session.name;
        remove.addEventListener('click', () => {
          void act(result, () => api('DELETE', ROUTES.user(user.name))).then(() => this.loadUsers());
        });
        return el('li', { class: 'row' }, `${user.name} (${user.role})`, remove);
      }),
    );
  }
}

/** The header's battery line: the charge, charging or not, and whether it can be trusted. */
export function batteryLine(b: Battery | null): string {
  if (b === null) return 'Battery: no reading';
  const charge =
    b.percentage < 0
      ? 'Battery: charge not known'
      : `Battery ${Math.round(b.percentage)} %${b.source === 'estimate' ? ' (estimated)' : ''}`;
  const charging = b.charging ? 'charging' : 'not charging';
  if (b.trusted) return `${charge} · ${charging}`;
  return `${charge} · ${charging} · reading not trustworthy: ${b.doubt}`;
}

/** The header's centre line: "Centre open until 20.00", "Centre closed, opens Sat 10.00". */
export function centreLine(c: CentreNow): string {
  if (c.always_open) return 'Centre always open';
  const when = (m: NonNullable<CentreNow['next']>) =>
    m.in_days === 0 ? m.clock : `${WEEKDAY_SHORT[m.weekday] ?? m.weekday} ${m.clock}`;
  if (c.open) return c.next ? `Centre open until ${when(c.next)}` : 'Centre open';
  return c.next ? `Centre closed, opens ${when(c.next)}` : 'Centre closed';
}
