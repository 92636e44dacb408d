/**
 * A client's frames, read as they come off the wire: anything may be missing, of the wrong type,
 * too long or not JSON at all. Each frame becomes one request of the protocol the bridge serves,
 * or a problem that names what is wrong and where (`frame.subscriptions[2].channelId: …`).
 * FoxgloveServer itself would throw on most of these (and say nothing to the client); nothing
 * reaches it that has not passed here.
 */
import { jsonErrorOffset } from '../console/server/json-offset.js';

/** Entries one subscribe, unsubscribe, advertise or unadvertise may carry. */
export const MAX_LIST = 256;
const MAX_NAME = 256;
const UINT32_MAX = 0xffff_ffff;
/** The client binary opcode for message data: 1 byte opcode, uint32 channel id, payload. */
const MESSAGE_DATA = 1;
const SERVICE_CALL_REQUEST = 2;

export interface ClientAdvertisement {
  id: number;
  topic: string;
  encoding: string;
  schemaName: string;
}

export type ClientRequest =
  | { op: 'subscribe'; subscriptions: Array<{ id: number; channelId: number }> }
  | { op: 'unsubscribe'; subscriptionIds: number[] }
  | { op: 'advertise'; channels: ClientAdvertisement[] }
  | { op: 'unadvertise'; channelIds: number[] }
  | { op: 'publish'; channelId: number; data: Uint8Array }
  /** A request of the protocol that this server does not offer (parameters, services…). */
  | { op: 'unoffered'; what: string };

export type ReadFrame = { ok: true; request: ClientRequest } | { ok: false; problem: string };

const UNOFFERED = new Set([
  'getParameters',
  'setParameters',
  'subscribeParameterUpdates',
  'unsubscribeParameterUpdates',
  'subscribeConnectionGraph',
  'unsubscribeConnectionGraph',
  'fetchAsset',
]);

const fail = (problem: string): ReadFrame => ({ ok: false, problem });

/** Reads one frame: text is a JSON request, binary a message (or service call) by its opcode. */
export function readFrame(data: Buffer, isBinary: boolean): ReadFrame {
  return isBinary ? readBinary(data) : readText(data.toString('utf8'));
}

function readBinary(data: Buffer): ReadFrame {
  if (data.length === 0) return fail('frame: an empty binary frame (expected an opcode byte)');
  const op = data[0]!;
  if (op === SERVICE_CALL_REQUEST) return { ok: true, request: { op: 'unoffered', what: 'service calls' } };
  if (op !== MESSAGE_DATA) {
    return fail(`frame[0]: unknown binary opcode ${op} (expected 1, message data)`);
  }
  if (data.length < 5) {
    return fail(`frame: message data of ${data.length} bytes (expected at least 5: opcode, channel id)`);
  }
  const channelId = data.readUInt32LE(1);
  return { ok: true, request: { op: 'publish', channelId, data: data.subarray(5) } };
}

function readText(text: string): ReadFrame {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return fail(`frame@${jsonErrorOffset(text) ?? 0}: not valid JSON`);
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
    return fail('frame: expected a JSON object with an "op"');
  }
  const op = (msg as { op?: unknown }).op;
  const fields = msg as Record<string, unknown>;
  switch (op) {
    case 'subscribe':
      return readSubscribe(fields);
    case 'unsubscribe':
      return readIds(fields, 'subscriptionIds', (ids) => ({ op: 'unsubscribe', subscriptionIds: ids }));
    case 'advertise':
      return readAdvertise(fields);
    case 'unadvertise':
      return readIds(fields, 'channelIds', (ids) => ({ op: 'unadvertise', channelIds: ids }));
    default:
      if (typeof op === 'string' && UNOFFERED.has(op))
        return { ok: true, request: { op: 'unoffered', what: op } };
      return fail(
        `frame.op: expected subscribe, unsubscribe, advertise or unadvertise, found ${describe(op)}`,
      );
  }
}

function readSubscribe(fields: Record<string, unknown>): ReadFrame {
  const list = readList(fields, 'subscriptions');
  if (typeof list === 'string') return fail(list);
  const subscriptions: Array<{ id: number; channelId: number }> = [];
  for (const [i, entry] of list.entries()) {
    const where = `frame.subscriptions[${i}]`;
    if (typeof entry !== 'object' || entry === null) return fail(`${where}: expected {id, channelId}`);
    const { id, channelId } = entry as Record<string, unknown>;
    if (!isUint32(id))
      return fail(`${where}.id: expected a whole number 0…${UINT32_MAX}, found ${describe(id)}`);
    if (!isUint32(channelId)) {
      return fail(
        `${where}.channelId: expected a whole number 0…${UINT32_MAX}, found ${describe(channelId)}`,
      );
    }
    subscriptions.push({ id, channelId });
  }
  return { ok: true, request: { op: 'subscribe', subscriptions } };
}

function readAdvertise(fields: Record<string, unknown>): ReadFrame {
  const list = readList(fields, 'channels');
  if (typeof list === 'string') return fail(list);
  const channels: ClientAdvertisement[] = [];
  for (const [i, entry] of list.entries()) {
    const where = `frame.channels[${i}]`;
    if (typeof entry !== 'object' || entry === null)
      return fail(`${where}: expected {id, topic, encoding, schemaName}`);
    const c = entry as Record<string, unknown>;
    if (!isUint32(c['id']))
      return fail(`${where}.id: expected a whole number 0…${UINT32_MAX}, found ${describe(c['id'])}`);
    for (const name of ['topic', 'encoding', 'schemaName'] as const) {
      const value = c[name];
      if (typeof value !== 'string' || value.length === 0 || value.length > MAX_NAME) {
        return fail(
          `${where}.${name}: expected a name of 1…${MAX_NAME} characters, found ${describe(value)}`,
        );
      }
    }
    channels.push({
      id: c['id'],
      topic: c['topic'] as string,
      encoding: c['encoding'] as string,
      schemaName: c['schemaName'] as string,
    });
  }
  return { ok: true, request: { op: 'advertise', channels } };
}

function readIds(
  fields: Record<string, unknown>,
  name: string,
  make: (ids: number[]) => ClientRequest,
): ReadFrame {
  const list = readList(fields, name);
  if (typeof list === 'string') return fail(list);
  const bad = list.findIndex((id) => !isUint32(id));
  if (bad >= 0) {
    return fail(
      `frame.${name}[${bad}]: expected a whole number 0…${UINT32_MAX}, found ${describe(list[bad])}`,
    );
  }
  return { ok: true, request: make(list as number[]) };
}

/** The list in `fields[name]`, or what is wrong with it. */
function readList(fields: Record<string, unknown>, name: string): unknown[] | string {
  const list = fields[name];
  if (!Array.isArray(list)) return `frame.${name}: expected a list, found ${describe(list)}`;
  if (list.length > MAX_LIST)
    return `frame.${name}: ${list.length} entries (at most ${MAX_LIST} in one frame)`;
  return list;
}

function isUint32(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= UINT32_MAX;
}

/** A value for an error message: its type, or a short excerpt of a string (never more). */
function describe(value: unknown): string {
  if (typeof value === 'string') return `"${[...value].slice(0, 40).join('')}"`;
  if (typeof value === 'number') return String(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return value === undefined ? 'nothing' : typeof value;
}
