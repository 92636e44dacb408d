/**
 * How a driver reaches its device: a serial link it can open afresh whenever the device comes
 * back (after an unplug, a reset, a pty restarting). A USB device, a pty in front of an emulator
 * and an emulator's in-process transport are all links; the drivers never know which.
 */
import { constants, type Stats } from 'node:fs';
import { open as openFile, stat } from 'node:fs/promises';
import { isatty } from 'node:tty';
import { SerialPort } from 'serialport';
import { describeThrown } from '../input/index.js';
import { HardwareError } from './errors.js';

/** The part of a serialport SerialPort that drivers and johnny-five/firmata.js use. */
export interface SerialPortLike {
  readonly isOpen: boolean;
  write(data: Buffer | Uint8Array | number[]): unknown;
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  on(event: 'close' | 'error' | 'open', listener: (arg?: unknown) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
  close(callback?: (error?: Error | null) => void): void;
  /** Modem lines (an RPLIDAR A1's motor is switched by DTR); absent on in-process transports. */
  set?(options: { dtr?: boolean; rts?: boolean }, callback?: (error?: Error | null) => void): void;
  /** Waits until what was written has gone out. */
  drain?(callback?: (error?: Error | null) => void): void;
}

export interface SerialLink {
  /** The device as the operator named it, for every message about it: '--base /dev/ttyUSB0'. */
  readonly label: string;
  /**
   * Opens the port afresh. Rejects with a HardwareError (NO_SUCH_DEVICE, NOT_A_SERIAL_DEVICE,
   * PORT_UNAVAILABLE) whose message names the device by its label and says what was found.
   */
  open(): Promise<SerialPortLike>;
}

/**
 * A serial device by path (/dev/ttyUSB0, a pty): opened at `baudRate`, 8N1. The path is looked
 * at before it is opened: a file, a directory or a FIFO is refused as what it is, never opened
 * (a FIFO would wait for a writer; a file would be written to).
 */
export function serialLink(path: string, label: string, baudRate = 115200): SerialLink {
  return {
    label,
    async open() {
      await checkSerialDevice(path, label);
      return new Promise((resolve, reject) => {
        const port = new SerialPort({ path, baudRate, autoOpen: false });
        port.open((error) => {
          if (!error) return resolve(port);
          void openFailure(error, path).then((e) => reject(openError(e, label)));
        });
      });
    },
  };
}

/**
 * serialport locks a device (flock) before it asks for its serial settings, so a device that is
 * no tty at all (/dev/null) opened by two programs at once, or twice by one run given it for both
 * --base and --lidar, fails the lock before it can fail as ENOTTY. A lock refusal is therefore
 * checked: a device that is no terminal is named as that, not as busy. The probe opens it
 * without becoming its controlling terminal and without waiting; a real port held by another
 * program is already open, so this second open does not toggle its modem lines.
 */
async function openFailure(error: Error, path: string): Promise<unknown> {
  if (errnoOf(error) !== 'EAGAIN') return error;
  let probe: Awaited<ReturnType<typeof openFile>> | undefined;
  try {
    probe = await openFile(path, constants.O_RDONLY | constants.O_NOCTTY | constants.O_NONBLOCK);
    return isatty(probe.fd) ? error : Object.assign(new Error('not a tty'), { code: 'ENOTTY' });
  } catch {
    return error;
  } finally {
    await probe?.close();
  }
}

/** What a person should have given; every refusal ends with it. */
const EXPECTED = 'expected a serial device such as /dev/ttyUSB0 or /dev/ttyACM0';
const WHERE_TO_LOOK = 'ls /dev/serial/by-id lists the USB serial devices plugged in';

/** What a path that is not a character device is, as a person would say it. */
const NOT_A_DEVICE: ReadonlyArray<readonly [(s: Stats) => boolean, string]> = [
  [(s) => s.isFile(), 'an ordinary file'],
  [(s) => s.isDirectory(), 'a directory'],
  [(s) => s.isFIFO(), 'a FIFO (named pipe)'],
  [(s) => s.isSocket(), 'a socket'],
  [(s) => s.isBlockDevice(), 'a block device (a disk)'],
];

/** Refuses a path that is not a character device, saying what it is instead. */
async function checkSerialDevice(path: string, label: string): Promise<void> {
  let found: Stats;
  try {
    found = await stat(path);
  } catch (e) {
    throw openError(e, label);
  }
  if (found.isCharacterDevice()) return;
  const kind = NOT_A_DEVICE.find(([is]) => is(found))?.[1] ?? 'something that is not a device';
  throw new HardwareError('NOT_A_SERIAL_DEVICE', label, `not a serial device: found ${kind}; ${EXPECTED}`);
}

/** errno names for the texts serialport puts in its open errors (it gives no code). */
const ERRNO_TEXT: ReadonlyArray<readonly [string, string]> = [
  ['No such file or directory', 'ENOENT'],
  ['Not a directory', 'ENOTDIR'],
  ['Permission denied', 'EACCES'],
  ['Device or resource busy', 'EBUSY'],
  // serialport locks the port it opens (flock): a second opener is refused with this.
  ['Cannot lock port', 'EAGAIN'],
  ['Inappropriate ioctl for device', 'ENOTTY'],
  ['No such device or address', 'ENXIO'],
  ['No such device', 'ENODEV'],
  ['Input/output error', 'EIO'],
  ['Is a directory', 'EISDIR'],
];

/** A failed stat or open as what a person can do about it. */
function openError(e: unknown, label: string): HardwareError {
  const code = errnoOf(e);
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new HardwareError('NO_SUCH_DEVICE', label, `no such device; ${EXPECTED} (${WHERE_TO_LOOK})`);
    case 'ENOTTY':
    case 'EINVAL':
      return new HardwareError(
        'NOT_A_SERIAL_DEVICE',
        label,
        `not a serial device: found a character device that takes no serial settings (${code}); ${EXPECTED}`,
      );
    case 'EISDIR':
      return new HardwareError(
        'NOT_A_SERIAL_DEVICE',
        label,
        `not a serial device: found a directory; ${EXPECTED}`,
      );
    case 'EACCES':
    case 'EPERM':
      return new HardwareError(
        'PORT_UNAVAILABLE',
        label,
        `permission denied (${code}): serial devices need the dialout group (sudo usermod -aG dialout $USER, then log in again)`,
      );
    case 'EBUSY':
    case 'EAGAIN':
      return new HardwareError('PORT_UNAVAILABLE', label, `busy (${code}): another program has it open`);
    case 'ENXIO':
    case 'ENODEV':
    case 'EIO':
      return new HardwareError(
        'PORT_UNAVAILABLE',
        label,
        `no device answers behind it (${code}): unplugged, or its adapter is gone`,
      );
    default:
      return new HardwareError('PORT_UNAVAILABLE', label, `cannot open: ${code ?? describeThrown(e)}`);
  }
}

function errnoOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  const text = describeThrown(e);
  return ERRNO_TEXT.find(([phrase]) => text.includes(phrase))?.[1];
}

/**
 * Closes a port once what was written has gone out, whatever state it is in; never rejects (a
 * port already gone is closed enough).
 */
export function closePort(port: SerialPortLike): Promise<void> {
  return new Promise((resolve) => {
    if (port.isOpen === false) return resolve();
    const close = () => {
      try {
        port.close(() => resolve());
      } catch {
        resolve();
      }
    };
    if (port.drain) port.drain(close);
    else close();
  });
}
