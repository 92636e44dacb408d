/**
 * Progress of a long run, for a person waiting on it: a line every few seconds of wall time with
 * the simulated time and the requests served so far. Lives in the CLI because only an adapter
 * may read the wall clock.
 */
import { performance } from 'node:perf_hooks';

export type Pacer = (simElapsedS: number) => Promise<void>;

/** How often a progress line is printed, wall-clock ms. */
export const PROGRESS_EVERY_MS = 5000;

const yieldToEventLoop: Pacer = () => new Promise<void>((resolve) => setImmediate(resolve));

/** `pace` (or a plain yield to the event loop), calling `report` every `everyMs` of wall time. */
export function withProgress(
  pace: Pacer | undefined,
  report: (simElapsedS: number) => void,
  everyMs: number = PROGRESS_EVERY_MS,
): Pacer {
  const inner = pace ?? yieldToEventLoop;
  let last = performance.now();
  return (simElapsedS) => {
    const now = performance.now();
    if (now - last >= everyMs) {
      last = now;
      report(simElapsedS);
    }
    return inner(simElapsedS);
  };
}

/** Seconds as h:mm:ss. */
export function hms(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return `${Math.floor(s / 3600)}:${mm}:${ss}`;
}
