/**
 * Structured logs: pino JSON lines, one root logger per process and a child per ROS node.
 * Nodes see only the small `Logger` interface of src/ros, so the same node code logs through
 * pino here and through rclnodejs's logger on a ROS 2 system.
 */
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { Clock, Logger } from '../ros/index.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type RootLogger = PinoLogger;

export interface LoggerOptions {
  /** Lowest level written (default 'info'); 'silent' writes nothing. */
  level?: LogLevel;
  /** Where the JSON lines go (default: stdout). Anything with `write(line: string)`. */
  destination?: DestinationStream;
  /**
   * Stamps `time` (ms since the epoch) from this clock instead of the wall clock: in the
   * simulator log lines then carry sim time, line up with the scenario and repeat run to run.
   */
  clock?: Clock;
  /** Fields on every line, e.g. { run: 'escort-all' }. Default none (no pid, no hostname). */
  base?: Record<string, unknown>;
}

/**
 * Field names dropped from every log line, whatever their value. Customers' words (`text`,
 * `utterance`, `customer_text`) and camera images (`image`, `frame`) are personal data
 * (DESIGN.md, principle 6): logs are kept, shipped and read by many people, so such fields
 * must never reach them, even when a developer logs a whole message object by mistake. The
 * fields are removed rather than replaced by '[Redacted]' so a line does not even tell that a
 * customer said something. Positions, ids, reasons and codes are what logs are for.
 */
export const REDACTED_FIELDS = ['text', 'utterance', 'customer_text', 'image', 'frame'] as const;

/**
 * pino's redaction takes explicit paths (its `*` matches one level), so the names are listed at
 * the top level and nested up to three objects (or arrays) deep: `{ request: { text } }`,
 * `{ msg: { goal: { text } } }`. Log flat fields; deeper nesting is not covered. The message
 * string itself is never inspected: never put customer text in it.
 */
const REDACT_PATHS = REDACTED_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`, `*.*.*.${f}`]);

export function createLogger(options: LoggerOptions = {}): RootLogger {
  const clock = options.clock;
  const config = {
    level: options.level ?? 'info',
    base: options.base ?? null,
    redact: { paths: REDACT_PATHS, remove: true },
    ...(clock ? { timestamp: () => `,"time":${clock.nowNs() / 1_000_000n}` } : {}),
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}

/** The ROS-node view of a root logger: every line carries `node`, the node's name. */
export function nodeLogger(base: RootLogger, nodeName: string): Logger {
  const child = base.child({ node: nodeName });
  return {
    debug: (msg, fields) => (fields ? child.debug(fields, msg) : child.debug(msg)),
    info: (msg, fields) => (fields ? child.info(fields, msg) : child.info(msg)),
    warn: (msg, fields) => (fields ? child.warn(fields, msg) : child.warn(msg)),
    error: (msg, fields) => (fields ? child.error(fields, msg) : child.error(msg)),
  };
}
