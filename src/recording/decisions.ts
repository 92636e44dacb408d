/**
 * The mission's decisions, as a replay compares them: the sequence of distinct GuideStatus
 * (state, reason, destination, request) the mission went through. The 1 Hz repeats and the
 * stamps are left out: two runs decide the same when they go through the same states for the
 * same reasons, not when their messages fall on the same nanosecond.
 */
import type { GuideStatus } from '../interfaces/index.js';

export interface Decision {
  /** Log time of the first status that said it, ns. */
  atNs: bigint;
  state: string;
  reason: string;
  destination_id: string;
  request_id: string;
}

export interface Divergence {
  /** Index in both sequences of the first decision that differs. */
  index: number;
  recorded: Decision | undefined;
  replayed: Decision | undefined;
}

/** The distinct decisions of a stream of statuses, in order. */
export function decisionsOf(statuses: Iterable<{ atNs: bigint; status: GuideStatus }>): Decision[] {
  const out: Decision[] = [];
  for (const { atNs, status } of statuses) {
    const d: Decision = {
      atNs,
      state: status.state,
      reason: status.reason,
      destination_id: status.destination_id,
      request_id: status.request_id,
    };
    const last = out[out.length - 1];
    if (!last || !sameDecision(last, d)) out.push(d);
  }
  return out;
}

export function sameDecision(a: Decision, b: Decision): boolean {
  return (
    a.state === b.state &&
    a.reason === b.reason &&
    a.destination_id === b.destination_id &&
    a.request_id === b.request_id
  );
}

/** Where two sequences first differ (one ending early counts), or undefined when they agree. */
export function firstDivergence(
  recorded: readonly Decision[],
  replayed: readonly Decision[],
): Divergence | undefined {
  const n = Math.max(recorded.length, replayed.length);
  for (let index = 0; index < n; index++) {
    const a = recorded[index];
    const b = replayed[index];
    if (!a || !b || !sameDecision(a, b)) return { index, recorded: a, replayed: b };
  }
  return undefined;
}

/** "+12.34 s escorting → kela (request r-1)", times from `startNs`. */
export function describeDecision(d: Decision | undefined, startNs: bigint): string {
  if (!d) return '(nothing: the sequence had ended)';
  const at = (Number(d.atNs - startNs) / 1e9).toFixed(2);
  const to = d.destination_id ? ` → ${d.destination_id}` : '';
  const why = d.reason ? `, reason ${d.reason}` : '';
  const req = d.request_id ? ` (request ${d.request_id})` : '';
  return `+${at} s ${d.state}${to}${why}${req}`;
}
