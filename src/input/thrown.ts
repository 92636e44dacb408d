/**
 * Whatever was thrown, as one line a person can read: an Error's message, the `message` of an
 * error-like object (johnny-five reports failures as `{ class, message }` events), a string, or
 * a short rendering of anything else; never `[object Object]`, and with control characters
 * shown, not obeyed (the text may carry bytes from a device or a file name).
 */
import { inspect } from 'node:util';
import { excerpt, showControls } from './text.js';

/** An error message is one sentence or two; anything longer is cut here. */
const MAX_MESSAGE_CHARS = 1000;
/** A value that is not an error is quoted as a short excerpt. */
const MAX_VALUE_CHARS = 200;

export function describeThrown(value: unknown): string {
  const message = messageOf(value);
  if (message !== undefined) {
    const text = message.trim() === '' ? nameOf(value) : message;
    return excerpt(text, MAX_MESSAGE_CHARS);
  }
  if (typeof value === 'string') return excerpt(value === '' ? '(an empty string)' : value, MAX_VALUE_CHARS);
  const shown = inspect(value, { depth: 2, breakLength: Infinity, maxArrayLength: 8, maxStringLength: 80 });
  return `something that is not an Error was thrown: ${excerpt(shown, MAX_VALUE_CHARS)}`;
}

function messageOf(value: unknown): string | undefined {
  if (value instanceof Error) return value.message;
  if (typeof value === 'object' && value !== null && 'message' in value) {
    const { message } = value as { message: unknown };
    if (typeof message === 'string') return message;
  }
  return undefined;
}

function nameOf(value: unknown): string {
  const name = value instanceof Error ? value.name : 'error';
  return `${showControls(name)} without a message`;
}
