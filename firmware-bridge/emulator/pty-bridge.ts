/**
 * An emulated device behind a real serial device: socat makes a linked pair of ptys,
 * `<dir>/board` and `<dir>/host`; the bridge opens the device end with serialport and pumps bytes
 * between it and the emulated device's port, while the device runs paced by the wall clock. The
 * host opens `<dir>/host` with serialport exactly as it would /dev/ttyUSB0, so the whole serial
 * path (the native binding, termios, the kernel tty layer) runs as with a USB cable. Any emulated
 * byte device will do (the drive-base board, the lidar): see PtyDevice. A pty carries bytes only:
 * modem lines (DTR, RTS) set by the host do not reach the device (serialport's `set` fails with
 * ENOTTY on a pty).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { EmulatorError } from './errors.js';
import { runRealtime, type RealtimeOptions, type RealtimeRun, type Steppable } from './realtime.js';
import type { EmulatedSerialPort } from './serial-port.js';

/** An emulated byte device that can stand behind a pty pair (EmulatedBoard, EmulatedRplidar). */
export interface PtyDevice extends Steppable {
  /** The device's end of the cable as a host sees it: what the device sends comes out as 'data'. */
  readonly transport: EmulatedSerialPort;
  /** The cable is pulled: the device's port closes; the device does what it does unpowered. */
  unplug(): void;
  /** The cable is back; the bridge then opens the device's port again, as a host would. */
  replug(): void;
}

export interface PtyBridgeOptions {
  /** Folder for the two links; default a fresh temporary folder, removed on close. */
  dir?: string;
  /** Pace the device by the wall clock (default true); false if the caller advances it. */
  realtime?: boolean | RealtimeOptions;
  /** How long to wait for socat to make the ptys, ms. Default 5000. */
  startTimeoutMs?: number;
  /** The socat program. Default 'socat' on the PATH. */
  socat?: string;
}

export class PtyBridge<D extends PtyDevice = PtyDevice> {
  /** The device the host opens (a symlink to a /dev/pts/N). */
  readonly hostPath: string;
  readonly boardPath: string;
  #socat: ChildProcess | undefined;
  #port: SerialPort | undefined;
  #run: RealtimeRun | undefined;
  readonly #realtime: boolean | RealtimeOptions;
  readonly #ownDir: string | undefined;
  readonly #socatProgram: string;
  readonly #startTimeoutMs: number;
  #closed = false;
  readonly #fromHost = (bytes: Buffer): void => {
    this.#run?.catchUp(); // the bytes arrive now: the device must be at now, not where it lags
    if (this.device.transport.isOpen) this.device.transport.write(bytes);
  };
  readonly #fromBoard = (bytes: Buffer): void => {
    if (this.#port?.isOpen) this.#port.write(bytes);
  };

  private constructor(
    readonly device: D,
    dir: string,
    ownDir: string | undefined,
    options: PtyBridgeOptions,
  ) {
    this.hostPath = path.join(dir, 'host');
    this.boardPath = path.join(dir, 'board');
    this.#ownDir = ownDir;
    this.#socatProgram = options.socat ?? 'socat';
    this.#startTimeoutMs = options.startTimeoutMs ?? 5000;
    this.#realtime = options.realtime ?? true;
    device.transport.on('data', this.#fromBoard);
  }

  /** The emulated device, by the name the drive-base callers know it. */
  get board(): D {
    return this.device;
  }

  /** Starts socat, opens the device end and starts pumping (and, by default, the wall-clock pacing). */
  static async start<D extends PtyDevice>(device: D, options: PtyBridgeOptions = {}): Promise<PtyBridge<D>> {
    const ownDir =
      options.dir === undefined ? await mkdtemp(path.join(os.tmpdir(), 'medhjalparen-pty-')) : undefined;
    const bridge = new PtyBridge(device, options.dir ?? ownDir!, ownDir, options);
    try {
      await bridge.#connect();
    } catch (error) {
      await bridge.close();
      throw error;
    }
    // Only now, so nothing the device sends at power-on is lost before its end is open.
    const realtime = bridge.#realtime;
    if (realtime !== false) bridge.#run = runRealtime(device, realtime === true ? {} : realtime);
    return bridge;
  }

  /**
   * Pulls the cable: socat ends, so the host's open port fails and closes (serialport reports a
   * disconnect) and the device path disappears; the device does what it does unpowered (the
   * drive-base board runs on from its battery, unheard; a USB-powered lidar stops).
   */
  async unplug(): Promise<void> {
    this.device.unplug();
    await this.#disconnect();
  }

  /**
   * Plugs the cable back in: the device path comes back (a new pty behind the same link) and the
   * device's port is opened again (the drive-base board resets as an Arduino does on it).
   */
  async replug(): Promise<void> {
    this.device.replug();
    await this.#connect();
    await new Promise<void>((resolve, reject) =>
      this.device.transport.open((e) => (e ? reject(e) : resolve())),
    );
  }

  /**
   * Stops pacing and pumping, closes the device end, ends socat (the host end goes away) and
   * removes the folder it made. Never throws: each step runs even when one before it failed.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.device.transport.off('data', this.#fromBoard);
    await settle(this.#run?.stop());
    await settle(this.#disconnect());
    if (this.#ownDir) await settle(rm(this.#ownDir, { recursive: true, force: true }));
  }

  async #connect(): Promise<void> {
    this.#socat = await startSocat(this.#socatProgram, this.boardPath, this.hostPath, this.#startTimeoutMs);
    this.#port = await openPort(this.boardPath);
    this.#port.on('data', this.#fromHost);
  }

  /** Closes the device end and ends socat; socat is ended even when closing the port fails. */
  async #disconnect(): Promise<void> {
    const port = this.#port;
    this.#port = undefined;
    const socat = this.#socat;
    this.#socat = undefined;
    try {
      if (port) {
        port.off('data', this.#fromHost);
        await closePort(port);
      }
    } finally {
      if (socat) await stopProcess(socat);
    }
  }
}

function startSocat(
  program: string,
  boardPath: string,
  hostPath: string,
  timeoutMs: number,
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const socat = spawn(
      program,
      ['-d', '-d', `pty,raw,echo=0,link=${boardPath}`, `pty,raw,echo=0,link=${hostPath}`],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let log = '';
    let ready = false;
    const timer = setTimeout(() => {
      socat.kill('SIGTERM');
      reject(
        new EmulatorError('PTY_START', 'socat', `no ptys after ${timeoutMs} ms; socat said: ${log.trim()}`),
      );
    }, timeoutMs);
    socat.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        error.code === 'ENOENT'
          ? new EmulatorError('SOCAT_MISSING', 'socat', 'socat is not installed: apt-get install socat')
          : new EmulatorError('PTY_START', 'socat', error.message),
      );
    });
    socat.on('exit', (code) => {
      clearTimeout(timer);
      reject(
        new EmulatorError(
          'PTY_START',
          'socat',
          `exited with ${code} before the ptys were ready: ${log.trim()}`,
        ),
      );
    });
    socat.stderr?.setEncoding('utf8');
    socat.stderr?.on('data', (chunk: string) => {
      if (ready) return; // keep draining the pipe so socat never blocks on it
      log += chunk;
      // socat -d -d reports this once both ptys exist and their links are made.
      if (log.includes('starting data transfer loop')) {
        ready = true;
        clearTimeout(timer);
        socat.removeAllListeners('exit');
        resolve(socat);
      }
    });
  });
}

function openPort(devicePath: string): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path: devicePath, baudRate: 115200, autoOpen: false });
    // Always heard: closing cancels a write still pending in serialport's poller (a host end
    // nobody reads leaves writes pending), and the stream reports that as an 'error'
    // (BindingsError: Canceled) which, unheard, ends the process. The bridge's own end of the pty
    // has nothing else to say that anyone could act on; the host sees its own errors.
    port.on('error', () => undefined);
    port.open((error) => (error ? reject(error) : resolve(port)));
  });
}

function closePort(port: SerialPort): Promise<void> {
  return new Promise((resolve) => {
    if (!port.isOpen) return resolve();
    port.close(() => resolve());
  });
}

/** Waits for `work` and swallows its failure: a close goes on with its next step. */
async function settle(work: Promise<unknown> | undefined): Promise<void> {
  try {
    await work;
  } catch {
    // Cleanup: the next step (ending socat, removing the folder) matters more than this error.
  }
}

/** SIGTERM, then SIGKILL if the process has not gone within a second. */
function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const hard = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(hard);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

const STOP_GRACE_MS = 1000;
