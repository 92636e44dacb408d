/** JSON over HTTP to the robot's own server (same origin; the session cookie goes along). */
import type { ErrorReply } from '../../protocol.js';

/** A refused call: the HTTP status and the server's error reply in plain words. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reply: ErrorReply,
  ) {
    super(reply.where ? `${reply.message} (${reply.where})` : reply.message);
    this.name = 'ApiError';
  }
}

export async function api<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...init.headers, 'content-type': 'application/json' };
  }
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, { error: 'NETWORK', message: 'The robot did not answer; check the connection.' });
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const reply = parsed as Partial<ErrorReply> | undefined;
    throw new ApiError(response.status, {
      error: reply?.error ?? `HTTP_${response.status}`,
      message: reply?.message ?? `${method} ${path} failed (${response.status})`,
      ...(reply?.where ? { where: reply.where } : {}),
    });
  }
  return parsed as T;
}

/** A list reply, whether the server sends the array itself or wraps it in one field. */
export function listOf<T>(reply: unknown): T[] {
  if (Array.isArray(reply)) return reply as T[];
  if (reply !== null && typeof reply === 'object') {
    const arrays = Object.values(reply).filter(Array.isArray);
    if (arrays.length === 1) return arrays[0] as T[];
  }
  return [];
}
