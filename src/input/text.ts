/**
 * Text from outside (files, requests, device bytes) on its way into a message or onto a terminal:
 * control characters and escape sequences are shown, not obeyed, and it is cut to a short excerpt.
 */
import { LIMITS } from './limits.js';

/**
 * `text` with C0/C1 control characters (ANSI escapes included) shown as `\xNN` / `\n`, so a
 * terminal prints them instead of acting on them. Tabs stay; everything printable is untouched.
 */
export function showControls(text: string): string {
  // eslint-disable-next-line no-control-regex -- the point is to find control characters
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]|\n/g, (c) =>
    c === '\n' ? '\\n' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/** At most `max` characters of `text` with controls shown, and an ellipsis when it was cut. */
export function excerpt(text: string, max: number = LIMITS.excerptChars.value): string {
  const shown = showControls(text.length > max * 4 ? text.slice(0, max * 4) : text);
  return shown.length > max ? `${shown.slice(0, max - 1)}…` : shown;
}
