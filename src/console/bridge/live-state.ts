/**
 * The live state as a book of fields, each with a version and its JSON made once: a client
 * remembers the versions it has, and each tick it is sent only the fields that moved on since
 * (the serialising is shared by every client, so twenty clients cost one JSON.stringify per field).
 */
import type { LiveState } from '../protocol.js';

export type StateField = keyof LiveState;
export type SeenVersions = Partial<Record<StateField, number>>;

export const ALL_FIELDS: readonly StateField[] = [
  'stamp',
  'pose',
  'path',
  'scan',
  'people',
  'mission',
  'remaining_m',
  'customer',
  'battery',
  'safety',
  'faults',
  'desks',
  'centre',
  'teleop',
];

export function initialLiveState(): LiveState {
  return {
    stamp: 0,
    pose: null,
    path: [],
    scan: [],
    people: [],
    mission: { state: 'idle', request_id: '', destination_id: '', reason: '', reason_text: '', why: '' },
    remaining_m: null,
    customer: { bound: false, visible: false, distance_behind: 0 },
    battery: null,
    safety: { estop_latched: false, reason: '', source: '' },
    faults: [],
    desks: [],
    centre: { always_open: true, open: true, next: null, today: 'always open' },
    teleop: { holder: '', driving: false },
  };
}

export class LiveStateBook {
  readonly #values: LiveState = initialLiveState();
  readonly #json = new Map<StateField, string>();
  readonly #version = new Map<StateField, number>();

  constructor() {
    for (const f of ALL_FIELDS) {
      this.#json.set(f, JSON.stringify(this.#values[f]));
      this.#version.set(f, 1);
    }
  }

  /** Sets a field; its version moves on only when its content changed. True when it did. */
  set<F extends StateField>(field: F, value: LiveState[F]): boolean {
    const json = JSON.stringify(value);
    if (json === this.#json.get(field)) return false;
    this.#values[field] = value;
    this.#json.set(field, json);
    this.#version.set(field, (this.#version.get(field) ?? 0) + 1);
    return true;
  }

  get<F extends StateField>(field: F): LiveState[F] {
    return this.#values[field];
  }

  /** Every field (GET /api/state). */
  full(): LiveState {
    return { ...this.#values };
  }

  /** Every field as JSON, from the JSON each field already has (GET /api/state, many times a second). */
  fullJson(): string {
    return `{${ALL_FIELDS.map((f) => `"${f}":${this.#json.get(f)}`).join(',')}}`;
  }

  /** Some fields. */
  snapshot(fields: readonly StateField[] = ALL_FIELDS): Partial<LiveState> {
    const out: Partial<LiveState> = {};
    for (const f of fields) (out as Record<string, unknown>)[f] = this.#values[f];
    return out;
  }

  /**
   * The JSON of a 'state' message holding the `fields` changed since `seen` (updated in place) and
   * any `extra` parts ('"name":json', a client's own view of a field), or undefined when nothing
   * but the stamp moved: a still robot costs its clients nothing.
   */
  delta(
    seen: SeenVersions,
    fields: readonly StateField[],
    extra: readonly string[] = [],
  ): string | undefined {
    const parts: string[] = [...extra];
    for (const f of fields) {
      if (f === 'stamp') continue;
      const v = this.#version.get(f)!;
      if (seen[f] === v) continue;
      seen[f] = v;
      parts.push(`"${f}":${this.#json.get(f)}`);
    }
    if (parts.length === 0) return undefined;
    parts.push(`"stamp":${this.#json.get('stamp')}`);
    return `{"type":"state","state":{${parts.join(',')}}}`;
  }
}
