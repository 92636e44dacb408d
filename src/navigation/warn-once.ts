/**
 * A warning per key for the node's life: bad input and failing periodic replans would otherwise
 * log every message or every tick. Apart because the navigator's inputs and its planning both
 * warn this way and share one set of keys.
 */
import type { Logger } from '../ros/index.js';

export type WarnOnce = (key: string, msg: string, fields?: Record<string, unknown>) => void;

export function warnOnceTo(log: Logger): WarnOnce {
  const warned = new Set<string>();
  return (key, msg, fields) => {
    if (warned.has(key)) return;
    warned.add(key);
    log.warn(msg, fields);
  };
}
