/**
 * The fleet view: each site with its robots, the alerts (newest first) and the open tasks with
 * their cancel buttons. Drawn from the page's picture of the fleet after every change; the tasks'
 * rows are kept by task id so that a focused cancel button stays where it is.
 */
import { byId, confirmDialog, el, replaceChildren } from '../../../console/pages/web/dom.js';
import { api } from '../../../console/pages/web/http.js';
import type { FleetAlert, FleetRobotView, FleetSnapshot } from '../../fleet-control.js';
import type { TaskRecord } from '../../protocol.js';
import { OPEN_STATUSES } from './fleet-state.js';
import {
  ALERT_SEVERITY,
  KIND_WORDS,
  SEVERITY_WORDS,
  batteryText,
  connectionWords,
  localizationText,
  missionText,
  placeName,
  siteName,
  taskStatusText,
  timeOfDay,
} from './fleet-words.js';

export const cancelPath = (id: string) => `/api/fleet/tasks/${encodeURIComponent(id)}/cancel`;

export function renderSites(snapshot: FleetSnapshot): void {
  const sections = snapshot.sites.map((site) => {
    const robots = snapshot.robots.filter((r) => r.site === site.id);
    const titleId = `site-${site.id}-title`;
    return el(
      'section',
      { class: 'panel fleet-site', 'aria-labelledby': titleId, 'data-site': site.id },
      el(
        'h2',
        { id: titleId },
        `${site.name} — ${robots.length} ${robots.length === 1 ? 'robot' : 'robots'}`,
      ),
      robots.length === 0
        ? el('p', { class: 'note' }, 'No robots at this site.')
        : el(
            'table',
            {},
            el(
              'thead',
              {},
              el(
                'tr',
                {},
                ...['Robot', 'Connection', 'Mission', 'Battery', 'Location', 'E-stop', 'Task'].map((h) =>
                  el('th', { scope: 'col' }, h),
                ),
              ),
            ),
            el('tbody', {}, ...robots.map((r) => robotRow(snapshot, r))),
          ),
    );
  });
  replaceChildren(byId('sites'), ...sections);
}

function robotRow(snapshot: FleetSnapshot, view: FleetRobotView): HTMLTableRowElement {
  const connection = connectionWords(view);
  const state = view.state;
  const cells: (string | Node)[] = state
    ? [
        missionText(snapshot, state),
        batteryText(state.battery),
        localizationText(state.localization),
        state.estop ? el('span', { class: 'warn-text' }, 'Pressed') : 'Off',
        state.mission.task === '' ? 'None' : taskLabel(snapshot, state.mission.task),
      ]
    : ['No state yet', '—', '—', '—', 'None'];
  return el(
    'tr',
    { 'data-robot': view.robot },
    el('td', {}, view.robot),
    el('td', {}, el('span', { class: `badge ${connection.badge}` }, connection.text)),
    ...cells.map((c) => el('td', {}, c)),
  );
}

/** A task by its destination ("Go to Kela"), with its id for the operator who asks the service. */
function taskLabel(snapshot: FleetSnapshot, id: string): string {
  const record = snapshot.tasks.find((t) => t.task.id === id);
  if (!record) return id;
  const t = record.task;
  return `${KIND_WORDS[t.kind]} ${placeName(snapshot, t.site, t.destination)} (${id})`;
}

export function renderAlerts(snapshot: FleetSnapshot): void {
  const newestFirst = [...snapshot.alerts].sort((a, b) => b.id - a.id);
  byId('alerts-empty').hidden = newestFirst.length > 0;
  replaceChildren(byId('alerts'), ...newestFirst.map((a) => alertItem(snapshot, a)));
}

function alertItem(snapshot: FleetSnapshot, alert: FleetAlert): HTMLLIElement {
  const severity = ALERT_SEVERITY[alert.code] ?? 'warning';
  const where = [siteName(snapshot, alert.site), alert.robot].filter(Boolean).join(', ');
  return el(
    'li',
    { class: severity, 'data-alert': String(alert.id), 'data-code': alert.code },
    el('span', { class: `badge ${severity}` }, SEVERITY_WORDS[severity]),
    ` ${timeOfDay(alert.atMs)} · ${where}: `,
    alert.text,
  );
}

/** Says a new alert once (the list itself is not a live region: it would be read out whole). */
export function announceAlert(snapshot: FleetSnapshot, alert: FleetAlert): void {
  const severity = ALERT_SEVERITY[alert.code] ?? 'warning';
  byId('alert-news').textContent =
    `New alert (${SEVERITY_WORDS[severity]}) at ${siteName(snapshot, alert.site)}: ${alert.text}`;
}

export class TaskTable {
  readonly #rows = new Map<string, HTMLTableRowElement>();

  constructor(private readonly canCancel: boolean) {}

  render(snapshot: FleetSnapshot): void {
    const open = snapshot.tasks.filter((t) => OPEN_STATUSES.has(t.status));
    byId('tasks-empty').hidden = open.length > 0;
    byId('tasks-table').hidden = open.length === 0;
    const ids = new Set(open.map((t) => t.task.id));
    for (const [id, row] of this.#rows) {
      if (ids.has(id)) continue;
      row.remove();
      this.#rows.delete(id);
    }
    const body = byId('tasks-body');
    for (const record of open) {
      const row = this.#rows.get(record.task.id) ?? this.#newRow(snapshot, record);
      this.#fill(snapshot, row, record);
      body.append(row);
    }
  }

  #newRow(snapshot: FleetSnapshot, record: TaskRecord): HTMLTableRowElement {
    const row = el('tr', { 'data-task': record.task.id });
    for (let i = 0; i < 6; i++) row.append(el('td'));
    if (this.canCancel) row.append(el('td', {}, this.#cancelButton(snapshot, record)));
    this.#rows.set(record.task.id, row);
    return row;
  }

  #fill(snapshot: FleetSnapshot, row: HTMLTableRowElement, record: TaskRecord): void {
    const t = record.task;
    const texts = [
      t.id,
      siteName(snapshot, t.site),
      KIND_WORDS[t.kind],
      placeName(snapshot, t.site, t.destination),
      taskStatusText(record.status),
      record.robot ?? (t.robot ? `${t.robot} (chosen)` : 'Not yet chosen'),
    ];
    texts.forEach((text, i) => {
      const cell = row.cells[i];
      if (cell && cell.textContent !== text) cell.textContent = text;
    });
  }

  #cancelButton(snapshot: FleetSnapshot, record: TaskRecord): HTMLButtonElement {
    const where = placeName(snapshot, record.task.site, record.task.destination);
    const button = el(
      'button',
      { type: 'button', class: 'danger', 'data-cancel': record.task.id },
      'Cancel',
      el('span', { class: 'visually-hidden' }, ` the task to ${where} (${record.task.id})`),
    );
    button.addEventListener('click', () => void this.#cancel(button, record.task.id, where));
    return button;
  }

  async #cancel(button: HTMLButtonElement, id: string, where: string): Promise<void> {
    byId('cancel-dialog-text').textContent =
      `Task ${id}, to ${where}. A robot working on it stops and goes back to its place.`;
    if (!(await confirmDialog(byId<HTMLDialogElement>('cancel-dialog')))) return button.focus();
    const result = byId('task-result');
    button.disabled = true;
    try {
      await api('POST', cancelPath(id));
      result.textContent = `Task ${id} cancelled.`;
    } catch (e) {
      button.disabled = false;
      result.textContent = `Task ${id} was not cancelled: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
}
