/**
 * The customer kiosk (/kiosk), the robot's own screen. It can only ask: choose a language (or
 * just type, in any language: the robot answers in the words' language and the screen follows),
 * find a desk (search with suggestions, or tiles by organisation), then be taken there or be told
 * the way; pick when the robot asks which desk; follow the robot while the screen shows what it
 * says; on arrival the desk's description and today's hours, then back to the start by itself.
 * The customer's words go to the robot and nowhere else.
 */
import type { CentreNow, Language, LiveState, Suggestion } from '../../protocol.js';
import { byId, el, replaceChildren, wireTextSize } from './dom.js';
import { ApiError, api, listOf } from './http.js';
import { KioskDeskList, type KioskDesk } from './kiosk-desks.js';
import { kioskStrings, LANGUAGE_NAMES, type KioskStrings } from './kiosk-strings.js';
import { LiveConnection } from './live.js';
import { ROUTES } from './routes.js';
import { Voice } from './kiosk-voice.js';
import { chooseView, directionsView, elsewhereView, replyOf, type Say } from './kiosk-talk.js';

type Screen =
  | 'start'
  | 'ask'
  | 'confirm'
  | 'waiting'
  | 'escort'
  | 'arrived'
  | 'answer'
  | 'choose'
  | 'directions'
  | 'elsewhere'
  | 'handover';
type Mode = 'escort' | 'directions';

/** Seconds the arrival and answer screens stay before the kiosk starts over for the next person. */
export const RETURN_AFTER_S = 30;
/** Directions take longer to read (and to walk while reading): their screen stays longer. */
const DIRECTIONS_STAY_S = 2 * RETURN_AFTER_S;
const LANGUAGES: readonly Language[] = ['fi', 'sv', 'en'];
/**
 * What the robot can do for a new customer, from its mission state and the centre's hours:
 * guide ('open'), only tell the way in words ('closed', 'charging'), or nothing but send them to
 * staff ('empty': its battery is critical, stopped where it is).
 */
type Availability = 'open' | 'closed' | 'charging' | 'empty';
/** The screens that show the banner saying why the robot does not guide now. */
const BANNER_SCREENS: ReadonlySet<Screen> = new Set(['start', 'ask', 'confirm']);
/** Said kinds after which the robot will not take the customer there (no "Take me there" offered). */
const NO_ESCORT_KINDS: ReadonlySet<string> = new Set(['busy.directions', 'battery.low.directions']);

class Kiosk {
  /** The language the screen is in: the customer's pick, else the one the robot last answered in. */
  private language: Language = 'fi';
  /** The language the customer picked for this session; '' until they do (the robot detects it). */
  private picked: Language | '' = '';
  /** Taken there, or told the way, for the request under way (a pick keeps it). */
  private mode: Mode = 'escort';
  /** The say an asking, directions or elsewhere screen shows. */
  private talk: Say | undefined;
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
  /** The mission's state as the kiosk last heard it, and the centre's hours now. */
  private robotState = 'idle';
  private centre: CentreNow | undefined;
  private bannerKey = '';
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
    if (screen === 'arrived' || screen === 'answer' || screen === 'elsewhere') this.returnLater();
    if (screen === 'directions' || screen === 'handover') this.returnLater(DIRECTIONS_STAY_S);
  }

  private render(): void {
    this.words = kioskStrings(this.language, this.plain);
    const w = this.words;
    document.documentElement.lang = this.screen === 'start' ? 'fi' : this.language;
    byId('kiosk').classList.toggle('plain', this.plain);
    const plain = byId<HTMLButtonElement>('plain');
    plain.setAttribute('aria-pressed', String(this.plain));
    if (this.screen === 'start') {
      // Before a language is chosen, the toggle says what it is in all three.
      const names = LANGUAGES.map((l) => [l, kioskStrings(l, false).plainMode] as const);
      replaceChildren(plain, ...trilingual(Object.fromEntries(names) as Record<Language, string>));
    } else {
      plain.textContent = w.plainMode;
    }
    this.voice.label(w.sound);
    byId('text-smaller-label').textContent = ` ${w.textSmaller}`;
    byId('text-larger-label').textContent = ` ${w.textLarger}`;
    byId('text-size-group').setAttribute('aria-label', `${w.textSmaller} / ${w.textLarger}`);
    this.renderBanner();
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
      choose: () =>
        chooseView(
          w,
          this.talk!,
          (choice) => this.pick(choice, this.mode),
          () => void this.cancel(),
        ),
      directions: () =>
        directionsView(
          w,
          this.chosen?.name ?? '',
          this.talk?.text ?? '',
          // Taken there instead, unless the robot told the way because it is busy or must charge.
          this.chosen && !NO_ESCORT_KINDS.has(this.talk?.kind ?? '') && this.availability() === 'open'
            ? () => this.pick(this.chosen!, 'escort')
            : undefined,
          () => this.startOver(),
        ),
      handover: () => this.handoverView(),
      elsewhere: () =>
        elsewhereView(
          w,
          this.talk!,
          (choice) => this.choose(choice),
          () => this.startOver(),
        ),
    };
    replaceChildren(screen, ...views[this.screen]());
  }

  /** What the robot can do now, from its state and the centre's hours. */
  private availability(): Availability {
    const state = this.robotState;
    if (state === 'closed' || (this.centre !== undefined && !this.centre.open)) return 'closed';
    if (state === 'charging') return 'charging';
    if (state === 'battery_critical') return 'empty';
    return 'open';
  }

  /** The banner's words in `language` for `available` (none while the robot guides). */
  private bannerText(available: Availability, language: Language): string[] {
    const w = kioskStrings(language, this.plain);
    if (available === 'charging') return [w.charging];
    if (available === 'empty') return [w.batteryEmpty];
    if (available !== 'closed') return [];
    const next = this.centre?.open === false ? this.centre.next : null;
    return next ? [w.centreClosed, w.opensAt(w.openingWhen(next))] : [w.centreClosed];
  }

  /**
   * Why the robot does not guide now, over the start, ask and confirm screens: in all three
   * languages before one is chosen, else in the customer's.
   */
  private renderBanner(): void {
    const banner = byId('robot-banner');
    const available = this.availability();
    const shown = available !== 'open' && BANNER_SCREENS.has(this.screen);
    const languages = shown ? (this.screen === 'start' ? LANGUAGES : [this.language]) : [];
    const lines = languages.map((language) => [language, this.bannerText(available, language).join(' ')]);
    // Redrawn only when its words change: it is a live region, and the same words are not news.
    const key = JSON.stringify(lines);
    if (key === this.bannerKey) return;
    this.bannerKey = key;
    banner.dataset.available = available;
    banner.hidden = !shown;
    replaceChildren(banner, ...lines.map(([language, text]) => el('p', { lang: language! }, text!)));
  }

  private startView(): Node[] {
    const buttons = LANGUAGE_NAMES.map(({ language, name }) => {
      const button = el('button', { type: 'button', lang: language, 'data-language': language }, name);
      button.addEventListener('click', () => {
        this.picked = language;
        this.setLanguage(language);
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
      this.anyLanguageBox(),
    ];
  }

  /** Or just type, in any language: the request goes without one and the robot detects it. */
  private anyLanguageBox(): Node {
    const input = el('input', {
      id: 'start-search',
      type: 'text',
      autocomplete: 'off',
      spellcheck: 'false',
      maxlength: '200',
    });
    const go = el(
      'button',
      { type: 'submit', id: 'start-ask' },
      ...trilingual({ fi: 'Kysy', sv: 'Fråga', en: 'Ask' }),
    );
    const form = el(
      'form',
      { class: 'search any-language' },
      el(
        'label',
        { for: 'start-search' },
        ...trilingual({
          fi: 'Tai kirjoita, mitä tarvitset',
          sv: 'Skriv vad du behöver',
          en: 'Type what you need',
        }),
      ),
      el('div', { class: 'row' }, input, go),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = input.value.trim();
      if (text !== '') void this.ask(text);
    });
    return form;
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
    input.lang = this.language;
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
    // While the robot guides nobody (closed, charging), the way in words is what it offers.
    const escort = this.availability() === 'open';
    const go = escort ? el('button', { type: 'button', id: 'confirm' }, w.confirm) : null;
    go?.addEventListener('click', () => this.pick(desk, 'escort'));
    const way = el('button', { type: 'button', id: 'show-way' }, w.showTheWay);
    way.addEventListener('click', () => this.pick(desk, 'directions'));
    const cancel = el('button', { type: 'button', class: 'secondary', id: 'cancel' }, w.cancel);
    cancel.addEventListener('click', () => this.show('ask'));
    return [
      el(
        'h1',
        { tabindex: '-1', class: 'big-message' },
        escort ? w.followMe(desk.name, desk.minutes) : w.placeWalk(desk.name, desk.minutes),
      ),
      info ? this.desks.statusLine(info, w) : null,
      el('div', { class: 'actions' }, go, way, cancel),
    ].filter((n): n is HTMLElement => n !== null);
  }

  /**
   * A desk chosen by pressing (a tile, a suggestion, one the robot offered): asked for by its id,
   * in the language on the screen (an id has no words for the robot to tell the language by).
   */
  private pick(desk: { id: string; name: string; minutes?: number }, mode: Mode): void {
    this.chosen = desk;
    void this.ask(desk.id, mode, this.picked || this.language);
  }

  /**
   * Sends the request (a desk id, or the typed words) with the customer's language if they picked
   * one, plain language if asked for, and whether to be taken there or told the way; the robot
   * answers by speaking.
   */
  private async ask(
    text: string,
    // While the centre is closed the robot takes no escort: typed words ask for the way in words.
    mode: Mode = this.availability() === 'closed' ? 'directions' : 'escort',
    language: Language | '' = this.picked,
  ): Promise<void> {
    this.requestId = undefined;
    this.early = [];
    this.lastSay = undefined;
    this.talk = undefined;
    this.mode = mode;
    this.lagging = false;
    this.remaining = null;
    this.voice.unlock();
    this.show('waiting');
    try {
      const reply = await api<{ request_id: string }>('POST', ROUTES.kioskRequest, {
        text,
        language,
        plain: this.plain,
        mode,
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
      if (error instanceof ApiError && error.reply.error === 'centre_closed') {
        // Closed just now: say when it opens, and offer the way in words again (Back).
        this.robotState = 'closed';
        this.answerText = this.bannerText('closed', this.language).join(' ');
      } else {
        this.answerText = refused ? this.words.cannotGuide : this.words.failed;
      }
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
    this.followLanguage(say.language);
    for (const url of [say.audio, ...(say.audio_more ?? [])]) this.voice.play(url);
    byId('announce').textContent = say.text;
    const reply = replyOf(say);
    if (reply === 'escort') {
      this.lagging = false;
      this.show('escort');
    } else if (reply === 'lag' || reply === 'resume') {
      this.lagging = reply === 'lag';
      this.refresh('escort');
    } else if (reply === 'arrived') {
      this.show('arrived');
    } else if (reply === 'choose' || reply === 'directions' || reply === 'elsewhere') {
      this.talk = say;
      this.show(reply);
    } else if (reply === 'answer') {
      this.answerText = say.text;
      this.show('answer');
    } else if (reply === 'handover') {
      this.talk = say;
      this.show('handover');
    } else if (this.screen === 'escort' || this.screen === 'arrived') {
      this.updateSays();
    }
  }

  /** Until the customer picks a language, the screen speaks the one the robot answered in. */
  private followLanguage(spoken: string): void {
    const language = LANGUAGES.find((l) => l === spoken);
    if (this.picked !== '' || language === undefined || language === this.language) return;
    this.setLanguage(language);
  }

  private setLanguage(language: Language): void {
    this.language = language;
    void this.desks.load(language).then(() => {
      // A desk named before the list came is named again in the new language.
      const desk = this.chosen ? this.desks.get(this.chosen.id) : undefined;
      if (desk && this.chosen) this.chosen = { ...this.chosen, name: desk.displayName };
    });
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
    if (changed.centre !== undefined || changed.mission !== undefined) {
      const before = this.availability();
      if (changed.centre !== undefined) this.centre = changed.centre;
      if (changed.mission !== undefined) this.robotState = changed.mission.state;
      if (this.availability() !== before && (this.screen === 'confirm' || this.screen === 'directions')) {
        // "Take me there" comes or goes: the screen is redrawn, focus kept on its heading.
        const lost = document.activeElement === null || document.activeElement === document.body;
        this.render();
        if (!lost) byId('screen').querySelector<HTMLElement>('h1')?.focus();
      } else {
        // The banner alone, in place: what the customer is typing and the focus stay.
        this.renderBanner();
      }
    }
    const mission = this.live.state.mission;
    const mine = mission?.request_id === this.requestId && this.requestId !== undefined;
    if (!mine) return;
    // A typed request names its desk only when the robot understood it: take the name from the mission.
    const desk = mission?.destination_id ? this.desks.get(mission.destination_id) : undefined;
    if (desk !== undefined && this.chosen?.id !== desk.id) {
      this.chosen = { id: desk.id, name: desk.displayName };
      const title = document.getElementById('escort-title');
      if (title) title.textContent = this.words.walking(desk.displayName);
      // Told the way before the robot's status named the desk: the heading names it now.
      if (this.screen === 'directions')
        byId('screen').querySelector('h1')!.textContent = this.words.wayTo(desk.displayName);
    }
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
      el('h1', { tabindex: '-1', id: 'escort-title' }, w.walking(this.chosen?.name ?? '')),
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

  /** The robot must leave to charge: sorry, and the way on from here, large; then the start. */
  private handoverView(): Node[] {
    const w = this.words;
    const done = el('button', { type: 'button', id: 'done' }, w.done);
    done.addEventListener('click', () => this.startOver());
    return [
      el('h1', { tabindex: '-1' }, w.handoverTitle),
      el('p', { class: 'directions', id: 'handover' }, this.talk?.text ?? ''),
      el('p', { class: 'note', id: 'countdown' }, w.backToStart(DIRECTIONS_STAY_S)),
      el('div', { class: 'actions' }, done),
    ];
  }

  /** Stops the request under way (an escort, or a question the robot waits to have answered). */
  private async cancel(): Promise<void> {
    const id = this.requestId;
    this.requestId = undefined;
    this.talk = undefined;
    if (id !== undefined) await api('POST', ROUTES.kioskCancel, { request_id: id }).catch(() => undefined);
    this.show('ask');
  }

  /** The next customer starts fresh: start screen, default language, plain mode and text size off. */
  private startOver(): void {
    this.requestId = undefined;
    this.chosen = undefined;
    this.lastSay = undefined;
    this.talk = undefined;
    this.plain = false;
    this.language = 'fi';
    this.picked = '';
    this.mode = 'escort';
    this.voice.stop();
    this.resetTextSize();
    delete document.body.dataset.request;
    this.show('start');
  }

  private returnLater(seconds = RETURN_AFTER_S): void {
    // The screen's own timer: a browser has only the wall clock (the robot's clock is the server's).
    let left = seconds;
    this.countdownTimer = window.setInterval(() => {
      left -= 1;
      const node = document.getElementById('countdown');
      if (node) node.textContent = this.words.backToStart(Math.max(left, 0));
    }, 1000);
    this.returnTimer = window.setTimeout(() => this.startOver(), seconds * 1000);
  }

  private clearReturn(): void {
    window.clearTimeout(this.returnTimer);
    window.clearInterval(this.countdownTimer);
  }
}

/** Words in all three languages, each marked with its own lang. */
function trilingual(words: Record<Language, string>): Array<Node | string> {
  return LANGUAGES.flatMap((language, i) => [
    ...(i > 0 ? [' · '] : []),
    el('span', { lang: language }, words[language]),
  ]);
}

new Kiosk().start();

export type { KioskDesk };
