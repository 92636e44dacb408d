import type { LiveEvent } from '../src/telemetry/index.js';

/** One line per thing that happened, for a person watching the robot work. */
export function formatLiveEvent(e: LiveEvent): string {
  const clock = formatSimTime(e.t);
  switch (e.kind) {
    case 'request':
      return `${clock}  customer ${e.index} asks: "${e.text}"`;
    case 'status': {
      const s = e.status;
      // Idle keeps the last request's ids (so listeners can tell which one ended); not a goal.
      if (s.state === 'idle') return `${clock}  robot: idle, at its dock`;
      const where = s.destination_id ? ` → ${s.destination_id}` : '';
      const why = s.reason ? ` (${s.reason})` : '';
      return `${clock}  robot: ${s.state}${where}${why}`;
    }
    case 'say':
      return `${clock}  robot says [${e.language}]: ${e.text}`;
    case 'event':
      return `${clock}  ${e.what}`;
    case 'safety':
      return e.stopped
        ? `${clock}  safety gate holds the robot: ${e.reason}`
        : `${clock}  safety gate releases the robot (was: ${e.reason})`;
    case 'detour':
      return `${clock}  navigator: the way is blocked; detour of ${e.extraM.toFixed(0)} m (${e.lengthM.toFixed(0)} m to go)`;
    case 'progress': {
      const gap =
        e.customerGapM === undefined ? 'customer not seen' : `customer ${e.customerGapM.toFixed(1)} m behind`;
      const who = e.state === 'returning' ? '' : `, ${gap}`;
      return `${clock}  … ${e.state}${e.destination ? ` → ${e.destination}` : ''}: ${e.speed.toFixed(2)} m/s${who}`;
    }
    case 'done':
      return `${clock}  customer ${e.index}: ${e.outcome}${e.destination ? ` at ${e.destination}` : ''}${
        e.reason && e.outcome !== 'arrived' ? ` (${e.reason})` : ''
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
