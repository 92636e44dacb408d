/**
 * Desk statuses shared by every robot of a site: what staff set on any robot's console (a desk
 * closed, paused until 14.00) reaches the others through the `fleet_desks` bucket, and what
 * arrives is written into this robot's own store, so its answers, routing and pages use it as if
 * set here. The newest change wins (setMs); a change applied from the fleet is not sent back.
 *
 * Local changes are found by comparing the store with what was last seen, at the agent's tick:
 * the console writes the store and needs to know nothing of a fleet.
 */
import type { KV, NatsConnection, Subscription } from 'nats';
import type { StoredDeskStatus } from '../../console/store.js';
import { decodeFleet, encodeFleet, FLEET_SCHEMA_VERSION, type DeskStatus } from '../protocol.js';
import { BUCKETS, deskKey, SUBJECTS } from '../subjects.js';
import type { FleetLog } from '../link.js';

/** The part of the robot console's store desk statuses live in. */
export interface DeskStore {
  deskStatuses(): StoredDeskStatus[];
  setDeskStatus(status: StoredDeskStatus): void;
  clearDeskStatus(destinationId: string): boolean;
}

export interface DeskShareOptions {
  site: string;
  /** The site's desk ids (each is read from the bucket when the robot joins). */
  desks: readonly string[];
  store: DeskStore;
  /** Tells the robot's console bridge that statuses changed (it republishes them to the mission). */
  changed: () => void;
  log: FleetLog;
}

const fingerprint = (s: StoredDeskStatus | undefined) =>
  s ? `${s.state}|${s.note}|${s.untilMs}|${s.set_by}|${s.setMs}` : '';

export class DeskShare {
  readonly #o: DeskShareOptions;
  /** What this robot's store held at the last look, by desk: changes since are local ones. */
  #seen = new Map<string, string>();
  #kv: KV | undefined;
  #relay: Subscription | undefined;
  #ticking = false;

  constructor(options: DeskShareOptions) {
    this.#o = options;
    this.#seen = this.#look();
  }

  /**
   * Connected (or back): follow the service's relay of changes, then read every desk of the site
   * once (what changed while this robot was away). A robot creates no consumer of its own: the
   * broker would let it aim one anywhere (docs/fleet.md, Credentials).
   */
  async join(nc: NatsConnection): Promise<void> {
    this.#kv = await nc.jetstream().views.kv(BUCKETS.desks, { bindOnly: true });
    this.#relay ??= nc.subscribe(SUBJECTS.desks(this.#o.site), {
      callback: (err, m) => {
        if (err) return;
        const desk = m.subject.slice(m.subject.lastIndexOf('.') + 1);
        this.#arrived(desk, m.data.length === 0 ? undefined : m.data);
      },
    });
    for (const desk of this.#o.desks) {
      const e = await this.#kv.get(deskKey(this.#o.site, desk));
      if (e) this.#arrived(desk, e.operation === 'PUT' ? e.value : undefined);
    }
  }

  /** Stops following the relay (the agent stops). */
  stop(): void {
    this.#relay?.unsubscribe();
    this.#relay = undefined;
  }

  /** The agent's tick: local changes since the last look go to the fleet. */
  async tick(): Promise<void> {
    const kv = this.#kv;
    if (!kv || this.#ticking) return;
    this.#ticking = true;
    try {
      const now = this.#look();
      for (const desk of new Set([...now.keys(), ...this.#seen.keys()])) {
        const print = now.get(desk);
        if (print === this.#seen.get(desk)) continue;
        const status = this.#o.store.deskStatuses().find((x) => x.destination_id === desk);
        const key = deskKey(this.#o.site, desk);
        if (status) await kv.put(key, encodeFleet('desk', this.#toFleet(status)));
        else await kv.delete(key);
        this.#remember(desk, print);
      }
    } finally {
      this.#ticking = false;
    }
  }

  /** What this robot's store holds for a desk, as last sent or applied (a change since is local). */
  #remember(desk: string, print: string | undefined): void {
    if (print === undefined) this.#seen.delete(desk);
    else this.#seen.set(desk, print);
  }

  /** A desk's status from the fleet; undefined: staff cleared it. */
  #arrived(desk: string, value: Uint8Array | undefined): void {
    const mine = this.#o.store.deskStatuses().find((s) => s.destination_id === desk);
    // Staff changed it here and the next tick has not sent it yet: this robot's change is the
    // newer one (a status cleared here has no time of its own to compare).
    if (fingerprint(mine) !== (this.#seen.get(desk) ?? '')) return;
    if (value === undefined) {
      if (mine && this.#o.store.clearDeskStatus(desk)) this.#applied(desk);
      return;
    }
    let d: DeskStatus;
    try {
      d = decodeFleet('desk', value, `${BUCKETS.desks}/${this.#o.site}.${desk}`);
    } catch (err) {
      this.#o.log.warn(`fleet: refused a desk status: ${(err as Error).message}`);
      return;
    }
    if (d.site !== this.#o.site || d.desk !== desk || (mine && mine.setMs > d.setMs)) return;
    const status = {
      destination_id: d.desk,
      state: d.state,
      note: d.note,
      untilMs: d.untilMs,
      set_by: d.setBy,
      setMs: d.setMs,
    };
    if (fingerprint(mine) === fingerprint(status)) return; // its own change, back from the bucket
    this.#o.store.setDeskStatus(status);
    this.#applied(desk);
  }

  /** A change from the fleet is in the store: seen, so not sent back; the mission hears it. */
  #applied(desk: string): void {
    const now = this.#o.store.deskStatuses().find((x) => x.destination_id === desk);
    this.#remember(desk, now ? fingerprint(now) : undefined);
    this.#o.changed();
  }

  #look(): Map<string, string> {
    return new Map(this.#o.store.deskStatuses().map((s) => [s.destination_id, fingerprint(s)]));
  }

  #toFleet(s: StoredDeskStatus): DeskStatus {
    return {
      v: FLEET_SCHEMA_VERSION,
      site: this.#o.site,
      desk: s.destination_id,
      state: s.state,
      note: s.note.slice(0, 200),
      untilMs: s.untilMs,
      setBy: s.set_by.slice(0, 64),
      setMs: s.setMs,
    };
  }
}
