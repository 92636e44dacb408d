/**
 * The dispatch form (operators): a site, then what to do there — go to a destination, or escort
 * a customer from where they wait — and which robot: any (the fleet picks the best placed) or one
 * of that site's. The lists follow the fleet's picture; a choice already made is kept.
 */
import { byId, el, replaceChildren } from '../../../console/pages/web/dom.js';
import { api } from '../../../console/pages/web/http.js';
import type { FleetSnapshot } from '../../fleet-control.js';
import type { TaskRecord } from '../../protocol.js';
import { connectionWords, placeName } from './fleet-words.js';

export const DISPATCH_PATH = '/api/fleet/dispatch';
const ANY_ROBOT = '';

const select = (id: string) => byId<HTMLSelectElement>(id);

/** Replaces a select's options when they differ, keeping the choice when it is still there. */
function setOptions(box: HTMLSelectElement, options: { value: string; text: string }[]): void {
  const key = JSON.stringify(options);
  if (box.dataset.options === key) return;
  box.dataset.options = key;
  const chosen = box.value;
  replaceChildren(box, ...options.map((o) => el('option', { value: o.value }, o.text)));
  if (options.some((o) => o.value === chosen)) box.value = chosen;
}

export class DispatchForm {
  #snapshot: FleetSnapshot | undefined;

  constructor() {
    for (const id of ['dispatch-site', 'dispatch-kind'])
      select(id).addEventListener('change', () => this.#refresh());
    byId<HTMLFormElement>('dispatch-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#send();
    });
  }

  update(snapshot: FleetSnapshot): void {
    this.#snapshot = snapshot;
    setOptions(
      select('dispatch-site'),
      snapshot.sites.map((s) => ({ value: s.id, text: s.name })),
    );
    this.#refresh();
  }

  #refresh(): void {
    const snapshot = this.#snapshot;
    if (!snapshot) return;
    const siteId = select('dispatch-site').value;
    const site = snapshot.sites.find((s) => s.id === siteId);
    const places = (site?.destinations ?? []).map((d) => ({ value: d.id, text: d.name }));
    setOptions(select('dispatch-destination'), places);
    const escort = select('dispatch-kind').value === 'escort';
    byId('dispatch-meet-field').hidden = !escort;
    setOptions(select('dispatch-meet'), [...places, { value: 'dock', text: "The robot's dock" }]);
    const robots = snapshot.robots
      .filter((r) => r.site === siteId)
      .map((r) => ({ value: r.robot, text: `${r.robot} (${connectionWords(r).text.split(':')[0]})` }));
    setOptions(select('dispatch-robot'), [{ value: ANY_ROBOT, text: 'Any robot (best placed)' }, ...robots]);
  }

  async #send(): Promise<void> {
    const error = byId('dispatch-error');
    const result = byId('dispatch-result');
    error.textContent = '';
    result.textContent = '';
    const site = select('dispatch-site').value;
    const kind = select('dispatch-kind').value;
    const destination = select('dispatch-destination').value;
    const robot = select('dispatch-robot').value;
    const body = {
      site,
      kind,
      destination,
      ...(kind === 'escort' ? { meet: select('dispatch-meet').value } : {}),
      ...(robot !== ANY_ROBOT ? { robot } : {}),
    };
    const button = byId<HTMLButtonElement>('dispatch-go');
    button.disabled = true;
    try {
      const record = await api<TaskRecord>('POST', DISPATCH_PATH, body);
      const where = this.#snapshot ? placeName(this.#snapshot, site, destination) : destination;
      const who = robot === ANY_ROBOT ? 'the best placed robot' : robot;
      result.textContent = `Task ${record.task.id} sent: ${who} to ${where}.`;
    } catch (e) {
      error.textContent = `Not sent: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      button.disabled = false;
    }
  }
}
