import { pino } from 'pino';
import type { LogLevel } from '../src/telemetry/index.js';

const LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Node logs as JSON lines on stderr, so stdout stays the human-readable live view. */
export function stderrLog(level: string): { level: LogLevel; destination: pino.DestinationStream } {
  if (!LEVELS.includes(level as LogLevel)) {
    throw new Error(`--log-level: expected one of ${LEVELS.join(', ')}, got '${level}'`);
  }
  return { level: level as LogLevel, destination: pino.destination({ fd: 2, sync: true }) };
}
