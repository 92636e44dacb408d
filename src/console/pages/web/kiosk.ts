/**
 * The customer kiosk (/kiosk), the robot's own screen. It can only ask: choose a language, find a
 * desk (search with suggestions, or tiles by organisation), confirm, then follow the robot while
 * the screen shows what it says; on arrival the desk's description and today's hours, then back
 * to the start by itself. The customer's words go to the robot and nowhere else.
 */
import type { Language, LiveState, ServerMessage, Suggestion } from '../../protocol.js';
import { byId, el, replaceChildren, wireTextSize } from './dom.js';
import { ApiError, api, listOf } from './http.js';
import { KioskDeskList, type KioskDesk } from './kiosk-desks.js';
import { kioskStrings, LANGUAGE_NAMES, type KioskStrings } from './kiosk-strings.js';
import { LiveConnection } from './live.js';
import { ROUTES } from './routes.js';
import { Voice } from './kiosk-voice.js';

type Say = Extract<ServerMessage, { type: 'say' }>;
type Screen = 'start' | 'ask' | 'confirm' | 'waiting' | 'escort' | 'arrived' | 'answer';

/** Seconds the arrival and answer screens stay before the kiosk starts over for the next person. */
export const RETURN_AFTER_S = 30;
const LAG_KINDS = new Set(['escort.slow', 'escort.wait', 'escort.look', 'escort.ask']);
/** The robot's answers that end a request at the kiosk, by phrase kind (src/interaction/phrases.ts). */
const isArrival = (kind: string) => kind === 'arrive' || kind.startsWith('arrive.');
const ANSWER_KINDS = new Set([
  'unknown',
  'ambiguous',
  'busy',
  'unavailable',
  'paused',
  'escort.lost',
  'nav.failed',
  'cancelled',
  'estop',
]);
/** 'closed', 'closed.indefinitely', 'closed.staff', 'closed.staff.help', …: told plainly, with the help offered. */
const isAnswer = (kind: string) => ANSWER_KINDS.has(kind) || kind === 'closed' || kind.startsWith('closed.');

class Kiosk {
  private language: Language = 'fi';
  private plain = false;
  private screen: Screen = 'start';
  private words: KioskStrings = kioskStrings('fi', false);
  private readonly desks = new KioskDeskList();
  private chosen: { id: string; name: string; minutes?: number } | undefined;
  private requestId: string | undefined;
  /** Words that came before this kiosk knew its request's id (the reply and the words race). */
  private early: Say[] = [];
  private lastSay: Say | undefined;
  private lagging = false;
  private remaining: number | null = null;
  private returnTimer: number | undefined;
  private countdownTimer: number | undefined;
  private readonly voice = new Voice(byId<HTMLAudioElement>('voice'), byId<HTMLButtonElement>('mute'));
  private readonly resetTextSize = wireTextSize(
    byId<HTMLButtonElement>('text-smaller'),
    byId<HTMLButtonElement>('text-larger'),
  );
  private readonly live = new LiveConnection(ROUTES.kioskSocket, {
    say: (message) => this.heard(message),
    state: (_state, changed) => this.stateChanged(changed),
  });

  start(): void {
    byId('plain').addEventListener('click', () => {
      this.plain = !this.plain;
      this.render();
    });
    this.live.connect();
    this.show('start');
  }

  private show(screen: Screen): void {
    this.screen = screen;
    this.clearReturn();
    this.render();
    const heading = byId('screen').querySelector<HTMLElement>('h1, h2');
    heading?.focus();
    if (screen === 'arrived' || screen === 'answer') this.returnLater();
  }

  private render(): void {
    this.words = kioskStrings(this.language, this.plain);
    const w = this.words;
    document.documentElement.lang = this.screen === 'start' ? 'fi' : this.language;
    byId('kiosk').classList.toggle('plain', this.plain);
    const plain = byId<HTMLButtonElement>('plain');
    plain.setAttribute('aria-pressed', String(this.plain));
    plain.textContent = w.plainMode;
    this.voice.label(w.sound);
    byId('text-smaller-label').textContent = ` ${w.textSmaller}`;
    byId('text-larger-label').textContent = ` ${w.textLarger}`;
    byId('text-size-group').setAttribute('aria-label', `${w.textSmaller} / ${w.textLarger}`);
    const screen = byId('screen');
    screen.dataset.screen = this.screen;
    const views: Record<Screen, () => Node[]> = {
      start: () => this.startView(),
      ask: () => this.askView(),
      confirm: () => this.confirmView(),
      waiting: () => [el('h1', { tabindex: '-1' }, w.oneMoment)],
      escort: () => this.escortView(),
      arrived: () => this.arrivedView(),
      answer: () => this.answerView(),
    };
    replaceChildren(screen, ...views[this.screen]());
  }

  private startView(): Node[] {
    const buttons = LANGUAGE_NAMES.map(({ language, name }) => {
      const button = el('button', { type: 'button', lang: language, 'data-language': language }, name);
      button.addEventListener('click', () => {
        this.language = language;
        void this.desks.load(language);
        this.show('ask');
      });
      return button;
    });
    return [
      el(
        'h1',
        { tabindex: '-1' },
        el('span', { lang: 'fi' }, 'Hei!'),
        ' · ',
        el('span', { lang: 'sv' }, 'Hej!'),
        ' · ',
        el('span', { lang: 'en' }, 'Hello!'),
      ),
      el(
        'p',
        { class: 'big-message' },
        el('span', { lang: 'fi' }, 'Valitse kieli'),
        ' · ',
        el('span', { lang: 'sv' }, 'Välj språk'),
        ' · ',
        el('span', { lang: 'en' }, 'Choose a language'),
      ),
      el(
        'div',
        { class: 'language-buttons', role: 'group', 'aria-label': 'Kieli · Språk · Language' },
        ...buttons,
      ),
    ];
  }

  private askView(): Node[] {
    const w = this.words;
    const back = el('button', { type: 'button', class: 'secondary' }, w.back);
    back.addEventListener('click', () => this.startOver());
    return [
      el('h1', { tabindex: '-1' }, w.whereTo),
      this.searchBox(),
      el('h2', {}, w.orChoose),
      this.desks.tiles(w, this.language, (desk) =>
        this.choose({
          id: desk.id,
          name: desk.displayName,
          ...(desk.minutes ? { minutes: desk.minutes } : {}),
        }),
      ),
      el('div', { class: 'actions' }, back),
    ];
  }

  /** The search box: an ARIA combobox whose suggestions come from the robot's request matcher. */
  private searchBox(): Node {
    const w = this.words;
    const input = el('input', {
      id: 'search',
      type: 'search',
      role: 'combobox',
      'aria-autocomplete': 'list',
      'aria-expanded': 'false',
      'aria-controls': 'suggestions',
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder: w.searchPlaceholder,
      maxlength: '200',
    });
    const list = el('ul', {
      id: 'suggestions',
      class: 'suggestions',
      role: 'listbox',
      'aria-label': w.suggestions,
      hidden: true,
    });
    let items: Suggestion[] = [];
    let active = -1;
    let asked = 0;
    const mark = () => {
      list.querySelectorAll('li').forEach((li, i) => li.setAttribute('aria-selected', String(i === active)));
      if (active >= 0) input.setAttribute('aria-activedescendant', `suggestion-${active}`);
      else input.removeAttribute('aria-activedescendant');
    };
    const pick = (s: Suggestion) => this.choose({ id: s.id, name: s.name, minutes: s.minutes });
    const show = (suggestions: Suggestion[]) => {
      items = suggestions;
      active = -1;
      replaceChildren(
        list,
        ...suggestions.map((s, i) => {
          const li = el(
            'li',
            { id: `suggestion-${i}`, role: 'option', 'aria-selected': 'false', 'data-id': s.id },
            el('strong', {}, s.name),
            ` — ${s.organisation}`,
          );
          li.addEventListener('click', () => pick(s));
          return li;
        }),
      );
      list.hidden = suggestions.length === 0;
      input.setAttribute('aria-expanded', String(suggestions.length > 0));
      byId('announce').textContent =
        suggestions.length === 0 && input.value.trim() !== ''
          ? w.noSuggestions
          : `${w.suggestions}: ${suggestions.length}`;
    };
    input.addEventListener('input', () => {
      const q = input.value.trim();
      const ticket = ++asked;
      if (q === '') return show([]);
      const query = new URLSearchParams({ q, lang: this.language });
      void api<unknown>('GET', `${ROUTES.kioskSuggest}?${query}`)
        .then((reply) => {
          if (ticket === asked) show(listOf<Suggestion>(reply));
        })
        .catch(() => undefined);
    });
    input.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        if (items.length === 0) return;
        event.preventDefault();
        active =
          (active +
            (event.key === 'ArrowDown' ? 1 : items.length - 1) +
            (active < 0 && event.key === 'ArrowUp' ? 1 : 0)) %
          items.length;
        mark();
      } else if (event.key === 'Enter') {
        event.preventDefault();
        const s = items[active >= 0 ? active : 0];
        if (s !== undefined) pick(s);
        else if (input.value.trim() !== '') void this.ask(input.value.trim());
      } else if (event.key === 'Escape') {
        show([]);
      }
    });
    return el('div', { class: 'search' }, el('label', { for: 'search' }, w.searchLabel), input, list);
  }

  private choose(desk: { id: string; name: string; minutes?: number }): void {
    this.chosen = desk;
    this.show('confirm');
  }

  private confirmView(): Node[] {
    const w = this.words;
    const desk = this.chosen!;
    const info = this.desks.get(desk.id);
    const go = el('button', { type: 'button', id: 'confirm' }, w.confirm);
    go.addEventListener('click', () => void this.ask(desk.id));
    const cancel = el('button', { type: 'button', class: 'secondary', id: 'cancel' }, w.cancel);
    cancel.addEventListener('click', () => this.show('ask'));
    return [
      el('h1', { tabindex: '-1', class: 'big-message' }, w.followMe(desk.name, desk.minutes)),
      info ? this.desks.statusLine(info, w) : null,
      el('div', { class: 'actions' }, go, cancel),
    ].filter((n): n is HTMLElement => n !== null);
  }

  /** Sends the request (a desk id, or the typed words when nothing matched); the robot answers by speaking. */
  private async ask(text: string): Promise<void> {
    this.requestId = undefined;
    this.early = [];
    this.lastSay = undefined;
    this.lagging = false;
    this.remaining = null;
    this.voice.unlock();
    this.show('waiting');
    try {
      const reply = await api<{ request_id: string }>('POST', ROUTES.kioskRequest, {
        text,
        language: this.language,
      });
      this.requestId = reply.request_id;
      document.body.dataset.request = reply.request_id;
      // Hear this request's words (and the server's replay of any said before we asked).
      this.live.send({ type: 'follow', request_id: reply.request_id });
      const early = this.early.filter((s) => s.request_id === reply.request_id);
      this.early = [];
      for (const say of early) this.heard(say);
    } catch (error) {
      // The server's words are for operators (English); the customer reads their own language.
      this.lastSay = undefined;
      const refused = error instanceof ApiError && (error.status === 409 || error.status === 429);
      this.answerText = refused ? this.words.cannotGuide : this.words.failed;
      this.show('answer');
    }
  }

  private answerText = '';

  private heard(say: Say): void {
    if (this.requestId === undefined) {
      if (this.screen === 'waiting' && this.early.length < 20) this.early.push(say);
      return;
    }
    if (say.request_id !== this.requestId) return;
    this.lastSay = say;
    this.voice.play(say.audio);
    byId('announce').textContent = say.text;
    if (say.kind === 'escort.start') {
      this.lagging = false;
      this.show('escort');
    } else if (LAG_KINDS.has(say.kind)) {
      this.lagging = true;
      this.refresh('escort');
    } else if (say.kind === 'escort.resume') {
      this.lagging = false;
      this.refresh('escort');
    } else if (isArrival(say.kind)) {
      this.show('arrived');
    } else if (isAnswer(say.kind)) {
      this.answerText = say.text;
      this.show('answer');
    } else if (this.screen === 'escort' || this.screen === 'arrived') {
      this.updateSays();
    }
  }

  /** Redraws the screen if it is `screen` (or the waiting screen, which it replaces), keeping focus. */
  private refresh(screen: Screen): void {
    if (this.screen === 'waiting') this.show(screen);
    else if (this.screen === screen) this.render();
  }

  private updateSays(): void {
    const says = document.getElementById('robot-says-text');
    if (says && this.lastSay) says.textContent = this.lastSay.text;
  }

  private stateChanged(changed: Partial<LiveState>): void {
    const mission = this.live.state.mission;
    const mine = mission?.request_id === this.requestId && this.requestId !== undefined;
    if (!mine) return;
    // A typed request names its desk only when the robot understood it: take the name from the mission.
    const desk = mission?.destination_id ? this.desks.get(mission.destination_id) : undefined;
    if (desk !== undefined && this.chosen?.id !== desk.id)
      this.chosen = { id: desk.id, name: desk.displayName };
    if (changed.remaining_m === undefined) return;
    this.remaining = changed.remaining_m;
    const node = document.getElementById('remaining');
    if (node && this.remaining !== null) node.textContent = this.words.remaining(Math.round(this.remaining));
  }

  private escortView(): Node[] {
    const w = this.words;
    const cancel = el('button', { type: 'button', class: 'secondary', id: 'cancel' }, w.cancel);
    cancel.addEventListener('click', () => void this.cancel());
    return [
      el('h1', { tabindex: '-1' }, w.walking(this.chosen?.name ?? '')),
      el(
        'p',
        { class: 'distance', id: 'remaining' },
        this.remaining === null ? '' : w.remaining(Math.round(this.remaining)),
      ),
      this.lagging ? el('p', { class: 'lag-warning', id: 'lag' }, w.stayCloser) : null,
      this.saysBox(),
      el('div', { class: 'actions' }, cancel),
    ].filter((n): n is HTMLElement => n !== null);
  }

  private saysBox(): HTMLElement {
    return el(
      'section',
      { class: 'robot-says', 'aria-label': this.words.robotSays },
      el('h2', { class: 'visually-hidden' }, this.words.robotSays),
      el('p', { id: 'robot-says-text' }, this.lastSay?.text ?? ''),
    );
  }

  private arrivedView(): Node[] {
    const w = this.words;
    const desk = this.chosen ? this.desks.get(this.chosen.id) : undefined;
    const done = el('button', { type: 'button', id: 'done' }, w.done);
    done.addEventListener('click', () => this.startOver());
    return [
      el(
        'h1',
        { tabindex: '-1', class: 'big-message' },
        w.arrived(desk?.displayName ?? this.chosen?.name ?? ''),
      ),
      desk?.displayDescription ? el('p', { id: 'description' }, desk.displayDescription) : null,
      desk ? el('p', { id: 'hours' }, `${w.todayHours}: ${this.desks.hoursText(desk, w)}`) : null,
      this.saysBox(),
      el('p', { class: 'note', id: 'countdown' }, w.backToStart(RETURN_AFTER_S)),
      el('div', { class: 'actions' }, done),
    ].filter((n): n is HTMLElement => n !== null);
  }

  private answerView(): Node[] {
    const w = this.words;
    const again = el('button', { type: 'button', id: 'start-over' }, w.startOver);
    again.addEventListener('click', () => this.startOver());
    const back = el('button', { type: 'button', class: 'secondary' }, w.back);
    back.addEventListener('click', () => this.show('ask'));
    return [
      el('h1', { tabindex: '-1' }, w.answerTitle),
      el('p', { class: 'robot-says big-message', id: 'answer' }, this.answerText),
      el('p', { class: 'note', id: 'countdown' }, w.backToStart(RETURN_AFTER_S)),
      el('div', { class: 'actions' }, back, again),
    ];
  }

  private async cancel(): Promise<void> {
    const id = this.requestId;
    this.requestId = undefined;
    if (id !== undefined) await api('POST', ROUTES.kioskCancel, { request_id: id }).catch(() => undefined);
    this.show('ask');
  }

  /** The next customer starts fresh: start screen, default language, plain mode and text size off. */
  private startOver(): void {
    this.requestId = undefined;
    this.chosen = undefined;
    this.lastSay = undefined;
    this.plain = false;
    this.language = 'fi';
    this.voice.stop();
    this.resetTextSize();
    delete document.body.dataset.request;
    this.show('start');
  }

  private returnLater(): void {
    // The screen's own timer: a browser has only the wall clock (the robot's clock is the server's).
    let left = RETURN_AFTER_S;
    this.countdownTimer = window.setInterval(() => {
      left -= 1;
      const node = document.getElementById('countdown');
      if (node) node.textContent = this.words.backToStart(Math.max(left, 0));
    }, 1000);
    this.returnTimer = window.setTimeout(() => this.startOver(), RETURN_AFTER_S * 1000);
  }

  private clearReturn(): void {
    window.clearTimeout(this.returnTimer);
    window.clearInterval(this.countdownTimer);
  }
}

new Kiosk().start();

export type { KioskDesk };
