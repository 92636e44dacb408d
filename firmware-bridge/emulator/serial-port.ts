/**
 * The host's end of the emulated board's USB cable: a Node Duplex stream with the part of
 * serialport 13's SerialPort API that firmata.js and johnny-five use. firmata.js (firmata-io 2.3)
 * takes any object as its transport and calls only `on('open' | 'close' | 'error' | 'data')` and
 * `write(buffer, callback)` (it would report a 'close' whose argument has both `disconnect` and
 * `disconnected` set as 'disconnect'; serialport sets only `disconnected`, so an unplugged cable
 * reaches firmata's user as 'close', here as with a real cable). johnny-five
 * (`new Board({ port })`) reads `port.path` for its logs and hands the object to firmata. The rest (`isOpen`, `open`, `close`, `drain`, `flush`,
 * `baudRate`) is what a reconnecting host driver uses, with serialport's semantics: writes made
 * while closed wait for the next 'open'; `close` emits 'close' with null, an unplugged cable with
 * an error whose `disconnected` is true; closing does not end the stream, it can be opened again.
 */
import { Duplex } from 'node:stream';
import { EmulatorError } from './errors.js';

/** What the port needs from the board behind it. */
export interface SerialLine {
  /** Bytes the host wrote: they go onto the wire now, one byte time each. */
  hostWrite(bytes: Uint8Array): void;
  /** The host opened the port: DTR asserted (an Arduino resets on it). */
  hostOpened(): void;
  /** The host set modem lines (serialport's `set`); devices that ignore them leave this out. */
  hostSet?(lines: ModemLines): void;
  /** The host closed the port: DTR and RTS drop (termios' HUPCL); devices that ignore it leave this out. */
  hostClosed?(): void;
}

/** Modem lines as serialport's `set()` takes them. */
export interface ModemLines {
  dtr?: boolean;
  rts?: boolean;
}

/** The error a 'close' event carries when the cable is pulled, as serialport's DisconnectedError. */
export class DisconnectedError extends Error {
  readonly disconnected = true;
  constructor(message: string) {
    super(message);
    this.name = 'DisconnectedError';
  }
}

type Callback = (error?: Error | null) => void;

export class EmulatedSerialPort extends Duplex {
  readonly path: string;
  readonly baudRate: number;
  #open = true;
  #plugged = true;

  /** Starts open, as a SerialPort with autoOpen whose 'open' fires on the next tick. */
  constructor(
    private readonly line: SerialLine,
    path = 'emulated:atmega328p',
    baudRate = 115200,
  ) {
    super({ allowHalfOpen: true, autoDestroy: false, emitClose: false });
    this.path = path;
    this.baudRate = baudRate;
    process.nextTick(() => {
      if (this.#open) this.emit('open');
    });
  }

  get isOpen(): boolean {
    return this.#open;
  }

  /** Opens the port; fails while the cable is unplugged, as opening a missing device does. */
  open(callback?: Callback): void {
    if (this.#open)
      return this.#fail(new EmulatorError('PORT_STATE', this.path, 'Port is already open'), callback);
    if (!this.#plugged) {
      return this.#fail(
        new EmulatorError(
          'PORT_STATE',
          this.path,
          'Error: No such file or directory, cannot open the port (unplugged)',
        ),
        callback,
      );
    }
    this.#open = true;
    this.line.hostOpened();
    process.nextTick(() => {
      this.emit('open');
      callback?.(null);
    });
  }

  close(callback?: Callback): void {
    if (!this.#open)
      return this.#fail(new EmulatorError('PORT_STATE', this.path, 'Port is not open'), callback);
    this.#open = false;
    this.line.hostClosed?.();
    process.nextTick(() => {
      this.emit('close', null);
      callback?.(null);
    });
  }

  /** Sets modem lines (DTR, RTS) as serialport does; the device behind sees them at once. */
  set(lines: ModemLines, callback?: Callback): void {
    if (!this.#open)
      return this.#fail(new EmulatorError('PORT_STATE', this.path, 'Port is not open'), callback);
    this.line.hostSet?.({ ...lines });
    process.nextTick(() => callback?.(null));
  }

  /** Calls back once the bytes written so far are on the emulated wire (at once: the queue is the wire). */
  drain(callback?: Callback): void {
    process.nextTick(() => callback?.(null));
  }

  flush(callback?: Callback): void {
    process.nextTick(() => callback?.(null));
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: Callback): void {
    if (!this.#open) {
      this.once('open', () => this._write(chunk, _encoding, callback));
      return;
    }
    this.line.hostWrite(chunk);
    callback(null);
  }

  override _read(): void {
    // Bytes are pushed as the emulated board sends them.
  }

  /** Board side: bytes that finished arriving over the wire. Lost while the port is closed, as on a tty. */
  deliver(bytes: Buffer): void {
    if (this.#open) this.push(bytes);
  }

  /** Board side: the cable is pulled. An open port closes with a DisconnectedError. */
  unplug(): void {
    this.#plugged = false;
    if (!this.#open) return;
    this.#open = false;
    process.nextTick(() => this.emit('close', new DisconnectedError(`${this.path}: cable unplugged`)));
  }

  /** Board side: the cable is back; the host may open the port again. */
  replug(): void {
    this.#plugged = true;
  }

  get plugged(): boolean {
    return this.#plugged;
  }

  #fail(error: Error, callback?: Callback): void {
    process.nextTick(() => {
      if (callback) callback(error);
      else this.emit('error', error);
    });
  }
}
