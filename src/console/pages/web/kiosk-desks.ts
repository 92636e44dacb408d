/**
 * The desks the kiosk offers, as tiles grouped by organisation, each with its state now and
 * today's hours (staff's status wins over the hours, as the robot's own answers do).
 */
import type { DeskNow, DeskState, Language } from '../../protocol.js';
import { el } from './dom.js';
import { api } from './http.js';
import type { KioskStrings } from './kiosk-strings.js';
import { ROUTES } from './routes.js';

type Localized = Record<Language, string>;

/** One desk tile as GET /api/kiosk/desks gives it (grouped by organisation). */
export interface KioskDesk {
  id: string;
  name: Localized;
  description?: Localized;
  now: DeskNow;
  /** Minutes' walk from the robot's dock. */
  minutes: number;
}
interface KioskGroup {
  organisation: string;
  desks: KioskDesk[];
}

export interface ShownDesk extends KioskDesk {
  organisation: string;
  displayName: string;
  displayDescription: string;
}

export class KioskDeskList {
  private desks: ShownDesk[] = [];
  private loading: Promise<void> | undefined;
  private container: HTMLElement | undefined;
  private onChoose: ((desk: ShownDesk) => void) | undefined;
  private words: KioskStrings | undefined;

  load(language: Language): Promise<void> {
    this.loading = api<KioskGroup[]>('GET', ROUTES.kioskDesks)
      .then((groups) => {
        this.desks = groups.flatMap((group) =>
          group.desks.map((d) => ({
            ...d,
            organisation: group.organisation,
            displayName: d.name[language],
            displayDescription: d.description?.[language] ?? '',
          })),
        );
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
      el('span', { class: `badge ${desk.now.state}` }, this.stateText(desk.now.state, words)),
      ` ${words.todayHours}: ${this.hoursText(desk, words)}`,
      desk.now.note ? ` · ${desk.now.note}` : '',
    );
  }

  hoursText(desk: KioskDesk, words: KioskStrings): string {
    const today = desk.now.today;
    if (today === 'always open') return words.alwaysOpen;
    if (today === 'closed' || today === '') return words.closedToday;
    return today;
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
                { type: 'button', class: 'tile', 'data-desk': desk.id, 'data-state': desk.now.state },
                el('span', { class: 'tile-name' }, desk.displayName),
                el('span', { class: `badge ${desk.now.state}` }, this.stateText(desk.now.state, words)),
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
