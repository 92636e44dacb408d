import { LIMITS, excerpt, showControls } from '../src/input/index.js';
import type { LiveEvent } from '../src/telemetry/index.js';

/**
 * One line per thing that happened, for a person watching the robot work. Text that came from
 * outside (what a customer asked, names from the site, phrases built from them) is printed with
 * its control characters shown, never obeyed by the terminal.
 */
export function formatLiveEvent(e: LiveEvent): string {
  const clock = formatSimTime(e.t);
  const show = showControls;
  switch (e.kind) {
    case 'request':
      return `${clock}  customer ${e.index} asks: "${excerpt(e.text, LIMITS.requestChars.value)}"`;
    case 'status': {
      const s = e.status;
      // Idle keeps the last request's ids (so listeners can tell which one ended); not a goal.
      if (s.state === 'idle') {
        // Sent somewhere by an operator, it waits there.
        const there = s.reason === 'dispatch_arrived' && s.destination_id !== 'dock';
        // It could not get home: ready where it stands, and trying again.
        if (s.reason === 'return_blocked' || s.reason === 'return_needs_help')
          return `${clock}  robot: idle away from its dock (${show(s.reason)})`;
        return there
          ? `${clock}  robot: idle at ${show(s.destination_id)}`
          : `${clock}  robot: idle, at its dock`;
      }
      const where = s.destination_id ? ` → ${show(s.destination_id)}` : '';
      const why = s.reason ? ` (${show(s.reason)})` : '';
      return `${clock}  robot: ${show(s.state)}${where}${why}`;
    }
    case 'say':
      return `${clock}  robot says [${show(e.language)}]: ${show(e.text)}`;
    case 'event':
      return `${clock}  ${show(e.what)}`;
    case 'safety':
      return e.stopped
        ? `${clock}  safety gate holds the robot: ${show(e.reason)}`
        : `${clock}  safety gate releases the robot (was: ${show(e.reason)})`;
    case 'detour':
      return `${clock}  navigator: the way is blocked; detour of ${e.extraM.toFixed(0)} m (${e.lengthM.toFixed(0)} m to go)`;
    case 'progress': {
      const gap =
        e.customerGapM === undefined ? 'customer not seen' : `customer ${e.customerGapM.toFixed(1)} m behind`;
      const who = e.state === 'returning' ? '' : `, ${gap}`;
      return `${clock}  … ${show(e.state)}${e.destination ? ` → ${show(e.destination)}` : ''}: ${e.speed.toFixed(2)} m/s${who}`;
    }
    case 'done':
      return `${clock}  customer ${e.index}: ${show(e.outcome)}${e.destination ? ` at ${show(e.destination)}` : ''}${
        e.reason && e.outcome !== 'arrived' ? ` (${show(e.reason)})` : ''
      }`;
  }
}

function formatSimTime(t: number): string {
  const s = Math.floor(t);
  const hh = String(Math.floor(s / 3600)).padStart(2, '0');
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return `[${hh}:${mm}:${ss}]`;
}
