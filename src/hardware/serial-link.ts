/**
 * How a driver reaches its device: a serial link it can open afresh whenever the device comes
 * back (after an unplug, a reset, a pty restarting). A USB device, a pty in front of an emulator
 * and an emulator's in-process transport are all links; the drivers never know which.
 */
import { SerialPort } from 'serialport';

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
  /** Opens the port afresh; rejects with the system's reason when it cannot. */
  open(): Promise<SerialPortLike>;
}

/** A serial device by path (/dev/ttyUSB0, a pty): opened at `baudRate`, 8N1. */
export function serialLink(path: string, label: string, baudRate = 115200): SerialLink {
  return {
    label,
    open: () =>
      new Promise((resolve, reject) => {
        const port = new SerialPort({ path, baudRate, autoOpen: false });
        port.open((error) => (error ? reject(error) : resolve(port)));
      }),
  };
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
