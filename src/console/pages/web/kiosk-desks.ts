/**
 * The desks the kiosk offers, as tiles grouped by organisation, each with its state now and
 * today's hours (staff's status wins over the hours, as the robot's own answers do).
 */
import type { DeskState, Language } from '../../protocol.js';
import { el } from './dom.js';
import { api, listOf } from './http.js';
import type { KioskStrings } from './kiosk-strings.js';
import { ROUTES } from './routes.js';

type MaybeLocalized = string | Partial<Record<Language, string>>;

/** One desk as GET /api/kiosk/desks gives it. */
export interface KioskDesk {
  id: string;
  name: MaybeLocalized;
  organisation: string;
  state: DeskState;
  /** Today's hours: '08:00–16:00', 'closed' or 'always open'. */
  today: string;
  description?: MaybeLocalized;
  note?: string;
  minutes?: number;
}

export interface ShownDesk extends KioskDesk {
  displayName: string;
  displayDescription: string;
}

function pick(value: MaybeLocalized | undefined, language: Language): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : (value[language] ?? value.en ?? '');
}

export class KioskDeskList {
  private desks: ShownDesk[] = [];
  private loading: Promise<void> | undefined;
  private container: HTMLElement | undefined;
  private onChoose: ((desk: ShownDesk) => void) | undefined;
  private words: KioskStrings | undefined;

  load(language: Language): Promise<void> {
    this.loading = api<unknown>('GET', `${ROUTES.kioskDesks}?lang=${language}`)
      .then((reply) => {
        this.desks = listOf<KioskDesk>(reply).map((d) => ({
          ...d,
          displayName: pick(d.name, language),
          displayDescription: pick(d.description, language),
        }));
        this.fill();
      })
      .catch(() => undefined);
    return this.loading;
  }

  get(id: string): ShownDesk | undefined {
    return this.desks.find((d) => d.id === id);
  }

  /** The tiles, grouped by organisation; filled in when the list arrives. */
  tiles(words: KioskStrings, _language: Language, onChoose: (desk: ShownDesk) => void): HTMLElement {
    this.container = el('div', { id: 'desk-tiles' });
    this.onChoose = onChoose;
    this.words = words;
    this.fill();
    return this.container;
  }

  statusLine(desk: ShownDesk, words: KioskStrings): HTMLElement {
    return el(
      'p',
      {},
      el('span', { class: `badge ${desk.state}` }, this.stateText(desk.state, words)),
      ` ${words.todayHours}: ${this.hoursText(desk, words)}`,
      desk.note ? ` · ${desk.note}` : '',
    );
  }

  hoursText(desk: KioskDesk, words: KioskStrings): string {
    if (desk.today === 'always open') return words.alwaysOpen;
    if (desk.today === 'closed' || desk.today === '') return words.closedToday;
    return desk.today;
  }

  private stateText(state: DeskState, words: KioskStrings): string {
    return state === 'open' ? words.open : state === 'closed' ? words.closed : words.paused;
  }

  private fill(): void {
    const container = this.container;
    const words = this.words;
    if (container === undefined || words === undefined) return;
    const groups = new Map<string, ShownDesk[]>();
    for (const desk of this.desks)
      groups.set(desk.organisation, [...(groups.get(desk.organisation) ?? []), desk]);
    container.replaceChildren(
      ...[...groups].map(([organisation, desks], i) =>
        el(
          'section',
          { class: 'org', 'aria-labelledby': `org-${i}` },
          el('h3', { id: `org-${i}` }, organisation),
          el(
            'div',
            { class: 'tiles' },
            ...desks.map((desk) => {
              const tile = el(
                'button',
                { type: 'button', class: 'tile', 'data-desk': desk.id, 'data-state': desk.state },
                el('span', { class: 'tile-name' }, desk.displayName),
                el('span', { class: `badge ${desk.state}` }, this.stateText(desk.state, words)),
                el('span', {}, `${words.todayHours}: ${this.hoursText(desk, words)}`),
              );
              tile.addEventListener('click', () => this.onChoose?.(desk));
              return tile;
            }),
          ),
        ),
      ),
    );
  }
}
