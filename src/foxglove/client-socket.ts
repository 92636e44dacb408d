/**
 * One client's `ws` socket as FoxgloveServer sees it (its IWebSocket), with back-pressure: a
 * client that reads slower than the robot publishes is not allowed to grow the server's memory.
 * While more than `maxBufferedBytes` wait to be sent to it, its message data is dropped (and
 * counted) instead of queued; JSON (channel lists, statuses) still goes out, it is small and rare.
 *
 * FoxgloveServer sends a message as header then payload (the payload is the one encoding every
 * client shares): the header's turn decides for both.
 */
import type { IWebSocket } from '@foxglove/ws-protocol';
import type { WebSocket } from 'ws';

type Listener = ((event: unknown) => void) | null | undefined;

/** The server's binary opcode of message data (2 is time). */
const MESSAGE_DATA = 1;

/** Payloads up to this size are sent in one frame with their header (copied), larger ones as fragments. */
const COPY_BELOW_BYTES = 16 * 1024;

function bytesOf(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  return ArrayBuffer.isView(data)
    ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : new Uint8Array(data);
}

function firstByte(data: ArrayBuffer | ArrayBufferView): number | undefined {
  return data.byteLength === 0 ? undefined : bytesOf(data)[0];
}

export class ClientSocket implements IWebSocket {
  binaryType = 'arraybuffer';
  onopen: Listener;
  onerror: Listener;
  onclose: Listener;
  onmessage: Listener;
  /** Messages (message data) sent, and dropped because the client was behind. */
  readonly counts = { sent: 0, dropped: 0 };
  readonly #ws: WebSocket;
  readonly #maxBufferedBytes: number;
  /** The header of the message whose payload comes next (FoxgloveServer sends them in turn). */
  #header: Uint8Array | undefined;
  #dropping = false;

  constructor(ws: WebSocket, maxBufferedBytes: number) {
    this.#ws = ws;
    this.#maxBufferedBytes = maxBufferedBytes;
    ws.on('close', (code: number, reason: Buffer) =>
      this.onclose?.({ code, reason: reason.toString('utf8'), wasClean: true }),
    );
  }

  get protocol(): string {
    return this.#ws.protocol;
  }

  /** Bytes waiting to be sent to this client. */
  get bufferedAmount(): number {
    return this.#ws.bufferedAmount;
  }

  /** The client is too far behind for another message. */
  get behind(): boolean {
    return this.#ws.bufferedAmount > this.#maxBufferedBytes;
  }

  get open(): boolean {
    return this.#ws.readyState === this.#ws.OPEN;
  }

  send(data: string | ArrayBuffer | ArrayBufferView, options?: { fin?: boolean }): void {
    if (!this.open) return;
    if (typeof data === 'string') {
      this.#ws.send(data);
      return;
    }
    if (options?.fin === true) return this.#payload(data);
    // A header (fin: false) decides for its payload; a whole frame (time, a replay) goes alone.
    const isMessage = firstByte(data) === MESSAGE_DATA;
    if (this.behind) {
      this.#dropping = options?.fin === false;
      if (isMessage) this.counts.dropped++;
      return;
    }
    if (isMessage) this.counts.sent++;
    if (options?.fin === false) this.#header = bytesOf(data);
    else this.#ws.send(data);
  }

  /**
   * A message's shared payload, after its header. A small one goes out in one frame with its
   * header (a copy of a few hundred bytes costs less than a second write to the socket); a large
   * one (a map, a scan) as a second fragment, never copied.
   */
  #payload(data: ArrayBuffer | ArrayBufferView): void {
    const header = this.#header;
    this.#header = undefined;
    if (this.#dropping || !header) {
      this.#dropping = false;
      return;
    }
    const payload = bytesOf(data);
    if (payload.byteLength > COPY_BELOW_BYTES) {
      this.#ws.send(header, { fin: false });
      this.#ws.send(payload, { fin: true });
      return;
    }
    const frame = new Uint8Array(header.byteLength + payload.byteLength);
    frame.set(header, 0);
    frame.set(payload, header.byteLength);
    this.#ws.send(frame);
  }

  close(): void {
    this.#ws.close();
  }

  /** Hands a request that passed the bridge's checks to FoxgloveServer, as if it came off the wire. */
  deliver(request: object): void {
    this.onmessage?.({ data: JSON.stringify(request) });
  }
}
