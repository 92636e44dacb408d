/**
 * The mission log, from what the robot says on the graph: a request's origin and language hint
 * (/guide/request), the language the mission chose (/guide/say), its destination, outcome and why
 * (/guide/status; the bridge has already passed the why through the privacy gate). One entry per
 * request in the store, and one count per request in its local hour. The customer's words are
 * never read here beyond the message's id and language.
 */
import type { GuideRequest, GuideStatus, Utterance } from '../../interfaces/index.js';
import { outcomeOfStatus } from '../../robot/index.js';
import type { MissionLogEntry } from '../protocol.js';
import type { ConsoleStore, MissionStart } from '../store.js';

type Origin = MissionStart['origin'];

/** Requests still being understood, kept until the log has their destination; a flood is cut here. */
const MAX_PENDING = 64;

export interface MissionLogOptions {
  store: ConsoleStore;
  timezone: string;
  /** Where requests come from that are neither the kiosk's nor a dispatch: 'simulated' or 'terminal'. */
  otherOrigin: Origin;
  /** The robot's time, ms since the epoch. */
  nowMs(): number;
  /** A log line started or ended (console clients are told). */
  onEntry(entry: MissionLogEntry): void;
}

interface Pending {
  start: MissionStart;
  logged: boolean;
  /** The latest non-empty why heard for this request. */
  why: string;
}

export function originOf(requestId: string, fallback: Origin): Origin {
  if (requestId.startsWith('kiosk-')) return 'kiosk';
  if (requestId.startsWith('dispatch')) return 'dispatch';
  return fallback;
}

export class MissionLogRecorder {
  readonly #o: MissionLogOptions;
  readonly #pending = new Map<string, Pending>();
  readonly #decided = new Set<string>();
  readonly #hour: Intl.DateTimeFormat;

  constructor(options: MissionLogOptions) {
    this.#o = options;
    this.#hour = new Intl.DateTimeFormat('sv-SE', {
      timeZone: options.timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
    });
  }

  /** The local hour an instant falls in, 'YYYY-MM-DDTHH:00' in the site's time zone. */
  localHour(epochMs: number): string {
    const p = Object.fromEntries(this.#hour.formatToParts(epochMs).map((x) => [x.type, x.value]));
    return `${p.year}-${p.month}-${p.day}T${p.hour}:00`;
  }

  request(msg: GuideRequest): void {
    const id = typeof msg?.request_id === 'string' ? msg.request_id.slice(0, 128) : '';
    if (!id || this.#pending.has(id) || this.#decided.has(id)) return;
    this.#remember(id, typeof msg.language === 'string' ? msg.language.slice(0, 8) : '');
  }

  say(msg: Utterance): void {
    const p = this.#pending.get(msg?.request_id);
    if (p && !p.start.language && typeof msg.language === 'string')
      p.start.language = msg.language.slice(0, 8);
  }

  status(msg: GuideStatus): void {
    const id = msg?.request_id;
    if (!id || this.#decided.has(id)) return;
    // A dispatch has no /guide/request: its first status starts its line.
    const p = this.#pending.get(id) ?? (msg.state === 'dispatched' ? this.#remember(id, '') : undefined);
    if (!p) return;
    if (msg.destination_id && !p.start.destination_id) p.start.destination_id = msg.destination_id;
    if (typeof msg.why === 'string' && msg.why !== '') {
      p.why = msg.why;
      if (!p.logged) p.start.why = msg.why;
    }
    if (p.start.destination_id && msg.state !== 'understanding') this.#start(p);
    const outcome = outcomeOfStatus(msg.state, msg.reason);
    if (outcome === undefined) return;
    this.#start(p);
    this.#pending.delete(id);
    this.#decided.add(id);
    if (this.#decided.size > 4 * MAX_PENDING) this.#decided.delete(this.#decided.values().next().value!);
    const entry = this.#o.store.missionEnded({
      request_id: id,
      endedMs: this.#o.nowMs(),
      destination_id: p.start.destination_id || msg.destination_id,
      outcome,
      reason: msg.reason,
      why: p.why,
    });
    if (entry) this.#o.onEntry(entry);
  }

  #remember(id: string, language: string): Pending {
    if (this.#pending.size >= MAX_PENDING) this.#pending.delete(this.#pending.keys().next().value!);
    const start: MissionStart = {
      request_id: id,
      requestedMs: this.#o.nowMs(),
      origin: originOf(id, this.#o.otherOrigin),
      language,
      destination_id: '',
      why: '',
    };
    const p = { start, logged: false, why: '' };
    this.#pending.set(id, p);
    return p;
  }

  #start(p: Pending): void {
    if (p.logged) return;
    p.logged = true;
    const entry = this.#o.store.missionStarted(p.start);
    this.#o.store.countDemand(this.localHour(p.start.requestedMs), p.start.destination_id, p.start.language);
    this.#o.onEntry(entry);
  }
}
