/**
 * An emulated device behind a real serial device: a pty that any program opens as it would
 * /dev/ttyUSB0 (serialport, pyserial, a third-party Firmata client, a ROS 2 serial driver), so the
 * whole serial path (the program's library, termios, the kernel tty layer) runs as with a USB cable.
 * Any emulated byte device will do (the drive-base board, the lidar): see PtyDevice.
 *
 * Why this design. A real USB serial device knows when a program opens and closes its port: an
 * Arduino Uno resets on the open (DTR auto-reset), so the opener hears its start-up report first;
 * while no program has the port open, what the device sends is lost in the USB-serial chip, and
 * nothing piles up for a late opener. A pty pair made by socat shows none of that (the bytes pile
 * up in the pty, 64 KB of stale bytes starting mid-frame), and holding the pair's other end open
 * with serialport made closing fragile (a write still pending when it closed ended the process
 * with `BindingsError: Canceled`). So:
 *
 * - One socat per *session*: `socat -x -t 0 PTY,wait-slave,pty-interval=0.002,… STDIO` makes a pty
 *   and waits until a program opens it (it says `starting data transfer loop`); when that program
 *   closes it, socat says `Input/output error (probably PTY closed)` and exits at once. The bridge
 *   reads socat's stderr to know when the port is opened, and takes the session as closed once
 *   socat's process has ended and its pipes are read to the end (so the program's last bytes are
 *   not lost). The device's bytes go to socat's stdin; the program's bytes are taken from socat's
 *   dump on stderr (-x), which heads each read with the time socat made it, so they reach the device
 *   as far apart as the program wrote them however late this process (busy running an emulated
 *   board) gets to them: see #toDevice. stdout is only drained. No serialport on the device's side,
 *   no tty of the bridge's own to be cancelled. socat sees the open only by looking every 2 ms; a
 *   program gone again sooner (`echo > PATH`) is caught by its write (see #watch).
 * - `hostPath` is a symlink the bridge manages (replaced atomically: a link under a temporary name,
 *   then renamed over it), pointing at a waiting session's /dev/pts/N. A spare session is always
 *   started ahead, and the moment a program opens the linked pty the link moves on to the spare.
 *   Moving it only once the program's close is seen (socat's line read by the bridge) is too late:
 *   a program that closes and at once reopens the path (the RPLIDAR probe does; serialport in one
 *   process did so every time in trials) would reach the old pty on its way out and be hung up.
 *   So a close and immediate reopen always finds a fresh pty, as it would a USB device.
 * - One program at a time: a program that opens the port while another is still attached waits up
 *   to 2 s (wall time) for that one's close to be seen (the close-and-reopen case: its bytes are
 *   held meanwhile), and is hung up after that, as serialport's exclusive lock would refuse it.
 * - A session opened: the device hears it (`hostAttached`: the drive-base board resets, as on DTR)
 *   and its bytes go to the host. No session open: its bytes are dropped and counted. A host that
 *   has the port open and does not read gets at most 1 MiB queued (beyond the pty's and the pipe's
 *   own buffers); beyond that bytes are dropped and counted too, never queued without bound.
 * - Every pipe to socat has an 'error' listener (a write after socat exited fails with EPIPE, which
 *   must never end the process), and `close()` never throws: each step (pacing, every socat with
 *   SIGTERM then SIGKILL, the link, the folder) runs even when one before it failed.
 *
 * A pty carries bytes only: modem lines (DTR, RTS) set by the host do not reach the device
 * (serialport's `set` fails with ENOTTY on a pty); the open and close of the port is all it shows.
 * Each socat also makes a link of its own in the bridge's folder (`link=`), so its process names
 * the bridge's folder (tests find leftover processes by it) and another bridge can tell a pty that
 * is in use from a stale link. socat runs under `setpriv --pdeathsig TERM` where util-linux has it,
 * so it ends with the bridge's process even when that is killed (a socat waiting for its pty to be
 * opened reads nothing and would not notice), and in a process group of its own, so a Ctrl-C
 * meant for the bridge's process does not end it behind the bridge's back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  accessSync,
  constants,
  lstatSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  renameSync,
  statSync,
  symlinkSync,
  unlinkSync,
  watch,
  type FSWatcher,
} from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EmulatorError } from './errors.js';
import { runRealtime, type RealtimeOptions, type RealtimeRun, type Steppable } from './realtime.js';
import type { EmulatedSerialPort } from './serial-port.js';

/** An emulated byte device that can stand behind a pty (EmulatedBoard, EmulatedRplidar). */
export interface PtyDevice extends Steppable {
  /** The device's end of the cable as a host sees it: what the device sends comes out as 'data'. */
  readonly transport: EmulatedSerialPort;
  /** The cable is pulled: the device's port closes; the device does what it does unpowered. */
  unplug(): void;
  /** The cable is back; the bridge then opens the device's port again, as a host would. */
  replug(): void;
  /**
   * A program has just opened the port (the pty's session began). Called before any byte the
   * device sends from now on is passed to that program. A device that resets on the open (an
   * Arduino's DTR auto-reset) does so here, and drops what it had in flight to the host, so the
   * opener hears it start afresh; a device that keeps running across opens (an RPLIDAR behind its
   * USB adapter, which a pty cannot give a DTR line) leaves this out.
   */
  hostAttached?(): void;
}

/** Whether a program opened or closed the bridge's port. */
export type PtyHostEvent = 'opened' | 'closed';

export interface PtyBridgeOptions {
  /** Folder for the host link and socat's own links; default a fresh temporary folder, removed on close. */
  dir?: string;
  /**
   * Where the host link goes instead of `<dir>/host`: a stable path chosen by the caller. A
   * dangling symlink there (left by a bridge that was killed) is replaced; a file, a folder, a
   * device or a link to the live pty of another running bridge is refused.
   */
  link?: string;
  /** Pace the device by the wall clock (default true); false if the caller advances it. */
  realtime?: boolean | RealtimeOptions;
  /** How long to wait for socat to make a pty, ms. Default 5000. */
  startTimeoutMs?: number;
  /** The socat program. Default 'socat' on the PATH. */
  socat?: string;
  /** Told each time a program opens or closes the port (after the device heard it). */
  onHost?: (event: PtyHostEvent) => void;
}

/** What crossed the bridge, and what was lost. */
export interface PtyBridgeStats {
  /** Times a program opened the port (and the device heard it). */
  opens: number;
  /**
   * Programs refused because another had the port open (their port hangs up): one program at a
   * time, as serialport's exclusive lock has it.
   */
  refusedOpens: number;
  /** Bytes from the device passed to socat for the host. */
  toHostBytes: number;
  /** Bytes from the host passed to the device. */
  fromHostBytes: number;
  /** Bytes from the device dropped while no program had the port open. */
  droppedClosedBytes: number;
  /** Bytes from the device dropped because the program that has the port open did not read them. */
  droppedUnreadBytes: number;
  /** droppedClosedBytes + droppedUnreadBytes. */
  droppedBytes: number;
  /** The last failure while running (a link that could not be made, a session that would not start). */
  lastError: string | undefined;
  /** Wall time the device was paused for because this process was held up (realtime maxLagMs), ms. */
  pausedMs: number;
}

/** Beyond this much waiting in socat's stdin, the device's bytes are dropped (the host does not read). */
const MAX_UNREAD_BYTES = 1 << 20;
/**
 * How long a program that opened the port while the bridge still counts another as having it
 * waits for that one's close to be reported (a program closing and reopening at once), ms of wall
 * time; then it is refused. Only a bound: the report normally takes a few ms.
 */
const HANDOVER_GRACE_MS = 2000;
/** What a program waiting for the handover may write meanwhile, bytes; the rest is dropped. */
const MAX_HELD_BYTES = 65_536;
/** After a program wrote to a pty socat has not yet seen opened, how long the bridge waits before opening it itself, ms. */
const NOTICE_GRACE_MS = 20;
/** Before a hang-up, how long socat may take to pass on what it has for the host, ms (a bound). */
const DRAIN_WAIT_MS = 250;
/** Then how long the host is left to read it, ms: see #quietBeforeHangUp. */
const QUIET_BEFORE_HANGUP_MS = 100;
/** How old socat's reading of a program's bytes is taken to be at most, ms (a bound on a bad clock). */
const MAX_AGO_MS = 2000;
/** socat -x's head of a block: direction, time, length. */
const DUMP_HEADER = /^([<>]) (\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\.\d+)\s+length=(\d+)/;
/** SIGTERM, then SIGKILL if socat has not gone within this, ms. */
const STOP_GRACE_MS = 1000;
/** Of socat's stderr, what is kept for an error message. */
const MAX_LOG_CHARS = 4000;
/** Numbers socat's links across the bridges of this process (they may share a folder). */
let sessionSerial = 0;

type SessionState = 'starting' | 'waiting' | 'open' | 'ended';

/** One socat: one pty, one program's open … close. */
interface Session {
  readonly socat: ChildProcess;
  state: SessionState;
  /** The pty, /dev/pts/N, once socat made it. */
  pty: string | undefined;
  /** Resolves with the pty once made; rejects (EmulatorError) when socat fails first. */
  readonly ready: Promise<string>;
  /** Resolves once socat has exited (or never started). */
  readonly exited: Promise<void>;
  /** What its program wrote while it waited for the handover, and when socat read it. */
  held: Array<{ bytes: Buffer; readAtMs: number }>;
  /** Sees a program write to the pty while socat still waits for it to be opened. */
  watcher: FSWatcher | undefined;
  nudgeTimer: ReturnType<typeof setTimeout> | undefined;
  /** The bridge's own opening of the pty, which makes socat see it opened. */
  nudge: Promise<FileHandle | undefined> | undefined;
}

export class PtyBridge<D extends PtyDevice = PtyDevice> {
  /** The device the host opens: a symlink to a /dev/pts/N that the bridge re-points as programs come and go. */
  readonly hostPath: string;
  readonly #dir: string;
  readonly #ownDir: string | undefined;
  readonly #socatProgram: string;
  readonly #startTimeoutMs: number;
  readonly #realtime: boolean | RealtimeOptions;
  readonly #onHost: ((event: PtyHostEvent) => void) | undefined;
  #run: RealtimeRun | undefined;
  /** Every socat not yet known to have exited. */
  readonly #sessions = new Set<Session>();
  /** The session whose program has the device: the device's bytes go to it, its bytes to the device. */
  #attached: Session | undefined;
  /** Opened while another program was still attached: attached once that one's close is seen. */
  #candidate: Session | undefined;
  #candidateTimer: ReturnType<typeof setTimeout> | undefined;
  /** The session the link points at (or will, once its pty is made): the next program's. */
  #linked: Session | undefined;
  /** Started ahead, not linked: the link moves to it the moment a program opens #linked. */
  #spare: Session | undefined;
  /** The pty the link was last made to point at: the link is ours while it still does. */
  #linkedTo: string | undefined;
  #tempLinks = 0;
  #unplugged = false;
  #closed = false;
  readonly #stats: PtyBridgeStats = {
    opens: 0,
    refusedOpens: 0,
    toHostBytes: 0,
    fromHostBytes: 0,
    droppedClosedBytes: 0,
    droppedUnreadBytes: 0,
    droppedBytes: 0,
    lastError: undefined,
    pausedMs: 0,
  };
  /** Nothing more to the host: its port is about to be hung up. */
  #silenced = false;
  readonly #fromDevice = (bytes: Buffer): void => {
    const stdin = this.#silenced ? undefined : this.#attached?.socat.stdin;
    if (!stdin?.writable) return this.#drop('droppedClosedBytes', bytes.length);
    if (stdin.writableLength + bytes.length > MAX_UNREAD_BYTES)
      return this.#drop('droppedUnreadBytes', bytes.length);
    stdin.write(bytes);
    this.#stats.toHostBytes += bytes.length;
  };

  private constructor(
    readonly device: D,
    dir: string,
    ownDir: string | undefined,
    options: PtyBridgeOptions,
  ) {
    this.#dir = dir;
    this.hostPath = options.link === undefined ? path.join(dir, 'host') : path.resolve(options.link);
    this.#ownDir = ownDir;
    this.#socatProgram = options.socat ?? 'socat';
    this.#startTimeoutMs = options.startTimeoutMs ?? 5000;
    this.#realtime = options.realtime ?? true;
    this.#onHost = options.onHost;
  }

  /** The emulated device, by the name the drive-base callers know it. */
  get board(): D {
    return this.device;
  }

  /**
   * Makes the first session's pty and the link to it, then starts the wall-clock pacing (by
   * default). Refuses a `link` path that is taken (EmulatorError PTY_LINK); SOCAT_MISSING or
   * PTY_START when socat cannot make a pty.
   */
  static async start<D extends PtyDevice>(device: D, options: PtyBridgeOptions = {}): Promise<PtyBridge<D>> {
    if (options.link !== undefined) checkLinkPath(options.link);
    const ownDir =
      options.dir === undefined ? await mkdtemp(path.join(os.tmpdir(), 'medhjalparen-pty-')) : undefined;
    const bridge = new PtyBridge(device, options.dir ?? ownDir!, ownDir, options);
    try {
      if (options.link === undefined) checkLinkPath(bridge.hostPath);
      device.transport.on('data', bridge.#fromDevice);
      await bridge.#plugIn();
    } catch (error) {
      await bridge.close();
      throw error;
    }
    const realtime = bridge.#realtime;
    if (realtime !== false) bridge.#run = runRealtime(device, realtime === true ? {} : realtime);
    return bridge;
  }

  /**
   * Throws what start() would about `link` (EmulatorError PTY_LINK), without starting anything: for
   * a command line that checks its flags before it loads a firmware.
   */
  static checkLink(link: string): void {
    checkLinkPath(link);
  }

  /** Whether a program has the port open now. */
  get hostOpen(): boolean {
    return this.#attached !== undefined;
  }

  /** Bytes from the device dropped so far (no program had the port open, or it did not read): see stats(). */
  get droppedBytes(): number {
    return this.#stats.droppedBytes;
  }

  stats(): PtyBridgeStats {
    return { ...this.#stats, pausedMs: this.#run?.slippedMs() ?? 0 };
  }

  /**
   * Pulls the cable: every session ends, so the host's open port fails and closes (serialport
   * reports a disconnect), and the link disappears; the device does what it does unpowered (the
   * drive-base board runs on from its battery, unheard; a USB-powered lidar stops).
   */
  async unplug(): Promise<void> {
    this.#unplugged = true;
    this.device.unplug();
    this.#removeLink();
    await this.#quietBeforeHangUp();
    this.#endAll();
    await Promise.all([...this.#sessions].map((s) => s.exited));
  }

  /**
   * Plugs the cable back in: the device's port is opened again (the drive-base board resets, as an
   * Arduino does on it) and the link comes back, to a new pty.
   */
  async replug(): Promise<void> {
    this.device.replug();
    this.#unplugged = false;
    this.#silenced = false;
    if (!this.device.transport.isOpen) {
      await new Promise<void>((resolve, reject) =>
        this.device.transport.open((e) => (e ? reject(e) : resolve())),
      );
    }
    await this.#plugIn();
  }

  /**
   * Stops pacing and forwarding, ends every socat (SIGTERM, SIGKILL after a second; a program's
   * open port sees the cable go), removes the link and the folder it made. Never throws: each
   * step runs even when one before it failed. Closing twice does nothing more.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.device.transport.off('data', this.#fromDevice);
    await settle(this.#run?.stop());
    this.#run = undefined;
    await settle(this.#quietBeforeHangUp());
    try {
      this.#endAll();
    } catch {
      // Killing a process that is gone: nothing left to end.
    }
    await settle(Promise.all([...this.#sessions].map((s) => s.exited)));
    this.#removeLink();
    if (this.#ownDir) await settle(rm(this.#ownDir, { recursive: true, force: true }));
  }

  /**
   * Before a program's port is hung up (unplug, close): nothing more is sent to it, and it is given
   * a moment to read what is on its way. A hung-up pty reads as end of file, and serialport notices
   * the hang-up only while it waits for bytes: caught in the middle of a read, it retries the read
   * for ever and never reports the disconnect. A quiet port is waiting, so it hears it.
   */
  async #quietBeforeHangUp(): Promise<void> {
    const stdin = this.#attached?.socat.stdin;
    if (!stdin) return;
    this.#silenced = true;
    for (let waited = 0; stdin.writableLength > 0 && waited < DRAIN_WAIT_MS; waited += 10) await sleep(10);
    await sleep(QUIET_BEFORE_HANGUP_MS);
  }

  get #live(): boolean {
    return !this.#closed && !this.#unplugged;
  }

  /**
   * The first session, linked once its pty is made, and a spare, both made before this resolves
   * (at start and on replug): the link can move on the moment a program opens the port, however
   * soon that is.
   */
  async #plugIn(): Promise<void> {
    const session = this.#startSession();
    const spare = this.#startSession();
    this.#linked = session;
    this.#spare = spare;
    const pty = await session.ready;
    if (this.#linked === session && this.#live) this.#link(pty);
    // A spare that fails is noted (stats().lastError) and replaced when the link next moves.
    await spare.ready.catch(() => undefined);
  }

  #startSession(): Session {
    const socatLink = path.join(this.#dir, `session-${process.pid}-${++sessionSerial}`);
    // -x: socat dumps what it passes, in hex, each read headed by the time it happened (see dumpTime).
    const args = [
      '-d',
      '-d',
      '-x',
      '-t',
      '0',
      `PTY,raw,echo=0,wait-slave,pty-interval=0.002,link=${socatLink}`,
      'STDIO',
    ];
    // A socat waiting for its pty to be opened does not read its stdin, so it would not notice the
    // bridge's process ending (killed, crashed): the kernel ends it with its parent instead.
    // Its own process group: Ctrl-C in a terminal is for the bridge's process, which ends it.
    const setpriv = setprivProgram();
    const spawnOptions = { stdio: 'pipe', detached: true } as const;
    const socat = setpriv
      ? spawn(setpriv, ['--pdeathsig', 'TERM', this.#socatProgram, ...args], spawnOptions)
      : spawn(this.#socatProgram, args, spawnOptions);
    let resolveReady: (pty: string) => void = () => {};
    let rejectReady: (error: EmulatorError) => void = () => {};
    const ready = new Promise<string>((resolve, reject) => {
      resolveReady = resolve;
      rejectReady = reject;
    });
    ready.catch(() => undefined); // a spare nobody awaits may fail: it is noted, not thrown
    let exited: () => void = () => {};
    const session: Session = {
      socat,
      state: 'starting',
      pty: undefined,
      ready,
      exited: new Promise<void>((resolve) => (exited = resolve)),
      held: [],
      watcher: undefined,
      nudgeTimer: undefined,
      nudge: undefined,
    };
    this.#sessions.add(session);
    let log = '';
    let pending = '';
    const timer = setTimeout(() => {
      const error = new EmulatorError(
        'PTY_START',
        'socat',
        `no pty after ${this.#startTimeoutMs} ms; socat said: ${log.trim()}`,
      );
      rejectReady(error);
      this.#stats.lastError = error.message;
      this.#ended(session);
    }, this.#startTimeoutMs);
    // EPIPE after socat exited, or a pipe torn down by a kill: nothing anyone could act on, and
    // unheard it would end the process.
    socat.stdin?.on('error', () => undefined);
    socat.stdout?.on('error', () => undefined);
    socat.stderr?.on('error', () => undefined);
    socat.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const failure =
        error.code === 'ENOENT'
          ? new EmulatorError('SOCAT_MISSING', 'socat', 'socat is not installed: apt-get install socat')
          : new EmulatorError('PTY_START', 'socat', error.message);
      rejectReady(failure);
      this.#stats.lastError = failure.message;
      if (socat.pid === undefined) {
        this.#sessions.delete(session);
        exited(); // never started: there is no 'exit' to wait for
        this.#ended(session);
      }
    });
    // 'close': socat has exited and its stdout has given everything it read before the hang-up
    // (stdout and stderr are two pipes: the line about the hang-up may be read first).
    socat.on('close', (code, signal) => {
      clearTimeout(timer);
      // 127: setpriv could not run socat.
      const failure =
        code === 127 && /No such file/.test(log)
          ? new EmulatorError('SOCAT_MISSING', 'socat', 'socat is not installed: apt-get install socat')
          : new EmulatorError(
              'PTY_START',
              'socat',
              `exited with ${code ?? signal} before the pty was ready: ${log.trim()}`,
            );
      if (session.state === 'starting') this.#stats.lastError = failure.message;
      rejectReady(failure);
      this.#sessions.delete(session);
      exited();
      this.#ended(session);
    });
    socat.stderr?.setEncoding('utf8');
    /** The '>' block of socat's dump being read: bytes from the program, and when socat read them. */
    let block: { bytes: number[]; length: number; readAtMs: number } | undefined;
    let skipping = false;
    socat.stderr?.on('data', (chunk: string) => {
      if (log.length < MAX_LOG_CHARS) log += chunk;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith(' ')) {
          // A line of a block's bytes, in hex.
          if (!block || skipping) continue;
          for (const hex of line.trim().split(' ')) if (hex !== '') block.bytes.push(parseInt(hex, 16));
          if (block.bytes.length >= block.length) {
            if (session.state === 'waiting') this.#opened(session);
            this.#fromProgram(session, Buffer.from(block.bytes), block.readAtMs);
            block = undefined;
          }
          continue;
        }
        const dump = DUMP_HEADER.exec(line);
        if (dump) {
          // '>': read from the pty (the program wrote it); '<': written to it (the device's bytes).
          skipping = dump[1] === '<';
          block = skipping ? undefined : { bytes: [], length: Number(dump[3]), readAtMs: dumpTime(dump[2]!) };
          continue;
        }
        const made = / PTY is (\/\S+)/.exec(line);
        if (made && session.state === 'starting') {
          clearTimeout(timer);
          session.pty = made[1]!;
          session.state = 'waiting';
          resolveReady(session.pty);
          this.#watch(session);
          this.#ready(session);
        } else if (line.includes('starting data transfer loop')) this.#opened(session);
        // `read(…): Input/output error (probably PTY closed)`: the program closed the port; socat
        // exits at once (-t 0), and its 'close' ends the session.
      }
    });
    // The program's bytes are taken from the dump on stderr (with the time socat read them);
    // stdout carries them too, and is only drained.
    socat.stdout?.resume();
    return session;
  }

  /** Bytes from a session's program, read by socat at `readAtMs` (ms since the epoch). */
  #fromProgram(session: Session, bytes: Buffer, readAtMs: number): void {
    if (session === this.#attached) this.#toDevice(bytes, readAtMs);
    else if (session === this.#candidate) {
      const held = session.held.reduce((n, b) => n + b.bytes.length, 0);
      if (held + bytes.length <= MAX_HELD_BYTES) session.held.push({ bytes, readAtMs });
    }
  }

  /**
   * Bytes from the program that has the port. They reach the device at the emulated time matching
   * the moment socat read them from the pty, however late this process got to them (it may have
   * been busy running a device) and however far the device lags: a probe's two requests 20 ms
   * apart stay 20 ms apart, as they would on a wire. Nothing runs the lag off at once: that would
   * hold up every other device and pty of the process meanwhile.
   */
  #toDevice(bytes: Buffer, readAtMs: number): void {
    if (this.#closed) return;
    this.#stats.fromHostBytes += bytes.length;
    const write = (): void => {
      if (this.device.transport.isOpen) this.device.transport.write(bytes);
    };
    const agoMs = Math.min(Math.max(Date.now() - readAtMs, 0), MAX_AGO_MS);
    if (this.#run) this.#run.atNow(write, agoMs);
    else write();
  }

  /** socat made the session's pty: the link goes to it if it is the one to be linked. */
  #ready(session: Session): void {
    if (session === this.#linked && this.#linkedTo !== session.pty && this.#live) this.#tryLink(session.pty!);
  }

  /**
   * socat sees a program open its pty only by looking every 2 ms (wait-slave polls for the hang-up
   * to clear): a program that opens the port, writes and closes it within that time (a probe,
   * `echo > PATH`) would go unseen, its bytes left in the pty for whoever opens it next. Its write
   * shows on the pty's inode (inotify), though: if socat has not seen the open soon after, the
   * bridge opens the pty itself for a moment, so that socat starts, takes the bytes, and sees the
   * port closed again once the bridge lets go.
   */
  #watch(session: Session): void {
    try {
      const watcher = watch(session.pty!, () => {
        if (session.state !== 'waiting' || session.nudgeTimer !== undefined) return;
        session.nudgeTimer = setTimeout(() => {
          if (session.state !== 'waiting' || this.#closed) return;
          const flags = constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK;
          session.nudge = open(session.pty!, flags).catch(() => undefined);
        }, NOTICE_GRACE_MS);
      });
      watcher.on('error', () => undefined);
      session.watcher = watcher;
    } catch {
      // No inotify here: a program that is gone again within 2 ms may go unseen (see above).
    }
  }

  /** Stops watching the session's pty, and lets go of it if the bridge opened it. */
  #unwatch(session: Session): void {
    session.watcher?.close();
    session.watcher = undefined;
    clearTimeout(session.nudgeTimer);
    const nudge = session.nudge;
    session.nudge = undefined;
    nudge?.then((handle) => handle?.close()).catch(() => undefined);
  }

  /** A program opened the session's pty. */
  #opened(session: Session): void {
    if (session.state !== 'waiting') return;
    session.state = 'open';
    this.#unwatch(session);
    if (!this.#live) return;
    // The link moves on at once to a pty nobody has opened: a program that closes the port and
    // opens it again right away finds a fresh one, never this one on its way out.
    if (session === this.#linked) {
      this.#linked = this.#spare ?? this.#startSession();
      this.#spare = this.#startSession();
      if (this.#linked.pty !== undefined) this.#tryLink(this.#linked.pty);
    } else if (session === this.#spare) this.#spare = this.#startSession();
    if (this.#attached === undefined) this.#attach(session);
    else if (this.#candidate === undefined) {
      // Most likely the program attached has just closed the port and opened it again, and its
      // close is still on its way; if not, a second program is refused, as a locked port is.
      this.#candidate = session;
      this.#candidateTimer = setTimeout(() => {
        if (this.#candidate !== session) return;
        this.#candidate = undefined;
        this.#stats.refusedOpens++;
        this.#ended(session);
      }, HANDOVER_GRACE_MS);
    } else {
      this.#stats.refusedOpens++;
      this.#ended(session);
    }
  }

  /** The session's program gets the device: the device hears of it first (an Arduino resets). */
  #attach(session: Session): void {
    this.#attached = session;
    this.#stats.opens++;
    this.device.hostAttached?.();
    this.#onHost?.('opened');
    const held = session.held;
    session.held = [];
    for (const { bytes, readAtMs } of held) this.#toDevice(bytes, readAtMs);
  }

  /**
   * The session's program closed the port, or its socat ended (killed from outside, or failed to
   * start). A waiting session that had made its pty is replaced; one that failed to start is not
   * (socat would most likely fail again at once): the failure is noted in stats().lastError.
   */
  #ended(session: Session): void {
    if (session.state === 'ended') return;
    session.state = 'ended';
    this.#unwatch(session);
    this.#end(session);
    const replace = this.#live && session.pty !== undefined;
    if (session === this.#attached) {
      this.#attached = undefined;
      if (this.#live) this.#onHost?.('closed');
      const next = this.#candidate;
      if (next !== undefined) {
        clearTimeout(this.#candidateTimer);
        this.#candidate = undefined;
        if (this.#live) this.#attach(next);
      }
    } else if (session === this.#candidate) {
      clearTimeout(this.#candidateTimer);
      this.#candidate = undefined;
    } else if (session === this.#linked) {
      this.#linked = undefined;
      if (!replace) return;
      this.#linked = this.#spare ?? this.#startSession();
      this.#spare = this.#startSession();
      if (this.#linked.pty !== undefined) this.#tryLink(this.#linked.pty);
    } else if (session === this.#spare) {
      this.#spare = replace ? this.#startSession() : undefined;
    }
  }

  /** Ends the session's socat (SIGTERM, SIGKILL after a grace period); its 'exit' finishes the job. */
  #end(session: Session): void {
    const socat = session.socat;
    if (socat.exitCode !== null || socat.signalCode !== null || socat.pid === undefined) return;
    const hard = setTimeout(() => socat.kill('SIGKILL'), STOP_GRACE_MS);
    hard.unref();
    socat.once('exit', () => clearTimeout(hard));
    socat.kill('SIGTERM');
  }

  /** Every session goes. */
  #endAll(): void {
    clearTimeout(this.#candidateTimer);
    this.#attached = this.#candidate = this.#linked = this.#spare = undefined;
    for (const session of this.#sessions) {
      session.state = 'ended';
      this.#unwatch(session);
      this.#end(session);
    }
  }

  /** Points the link at `pty`, atomically: a link under a temporary name, renamed over it. */
  #link(pty: string): void {
    const temp = `${this.hostPath}.${process.pid}-${++this.#tempLinks}.tmp`;
    try {
      symlinkSync(pty, temp);
      renameSync(temp, this.hostPath);
      this.#linkedTo = pty;
    } catch (error) {
      try {
        unlinkSync(temp);
      } catch {
        // never made
      }
      throw new EmulatorError(
        'PTY_LINK',
        shortPath(this.hostPath),
        `cannot make the link to ${pty}: ${errnoText(error)}`,
      );
    }
  }

  /** #link, from an event: a failure (the link's folder removed meanwhile) is noted, not thrown. */
  #tryLink(pty: string): void {
    try {
      this.#link(pty);
    } catch (error) {
      this.#stats.lastError = (error as Error).message;
    }
  }

  /** Removes the link if it still points at our pty (another bridge may have taken the path since). */
  #removeLink(): void {
    const ours = this.#linkedTo;
    this.#linkedTo = undefined;
    if (ours === undefined) return;
    try {
      if (readlinkSync(this.hostPath) === ours) unlinkSync(this.hostPath);
    } catch {
      // Gone already, or not ours to remove: either way nothing for the bridge to do.
    }
  }

  #drop(kind: 'droppedClosedBytes' | 'droppedUnreadBytes', count: number): void {
    this.#stats[kind] += count;
    this.#stats.droppedBytes += count;
  }
}

/**
 * Throws PTY_LINK unless `link` can be made the bridge's link: nothing there, or a symlink that
 * no running bridge is using (dangling, left by a bridge that was killed). The folder must exist.
 */
function checkLinkPath(link: string): void {
  const where = shortPath(link);
  const refuse = (what: string): never => {
    throw new EmulatorError('PTY_LINK', where, what);
  };
  if (link === '') refuse('expected a path for the link, got an empty one');
  let stat;
  try {
    stat = lstatSync(link);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') refuse(`cannot use this path for the link: ${errnoText(error)}`);
  }
  if (stat === undefined) {
    const folder = path.dirname(path.resolve(link));
    let isFolder = false;
    try {
      isFolder = statSync(folder).isDirectory();
    } catch {
      // missing: said below
    }
    if (!isFolder) refuse(`its folder ${shortPath(folder)} does not exist`);
    return;
  }
  if (!stat.isSymbolicLink()) {
    const kind = stat.isDirectory()
      ? 'a folder'
      : stat.isFile()
        ? 'a file'
        : stat.isCharacterDevice() || stat.isBlockDevice()
          ? 'a device'
          : 'not a symlink';
    refuse(`${kind} is already there; the link is made only where nothing is, or over a stale link`);
  }
  const target = path.resolve(path.dirname(link), readlinkSync(link));
  if (target.startsWith('/dev/pts/') && existsPath(target) && bridgePtys().has(target)) {
    refuse(
      `it points at ${target}, the live pty of another running bridge (another 'board --emulate' or test?); stop it or choose another path`,
    );
  }
}

function existsPath(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * The ptys of the bridges running on this machine (as far as /proc shows them): each bridge's
 * socat names its own link (`…,wait-slave,…,link=PATH`) on its command line.
 */
function bridgePtys(): Set<string> {
  const ptys = new Set<string>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return ptys;
  }
  for (const pid of pids) {
    let args: string[];
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // gone, or not ours to read
    }
    if (!path.basename(args[0] ?? '').startsWith('socat')) continue;
    for (const arg of args) {
      const link = /wait-slave.*,link=([^,]+)/.exec(arg)?.[1];
      if (link === undefined) continue;
      try {
        ptys.add(path.resolve(path.dirname(link), readlinkSync(link)));
      } catch {
        // its link is gone: it is ending
      }
    }
  }
  return ptys;
}

/**
 * The time in a socat -x block head (`2026/12/03 08:14:43.000950512`, local time) in ms since the
 * epoch. socat 1.7.4 prints the microseconds in nine digits (`.000950512` is 0.950512 s); a
 * socat that prints nanoseconds is read right too, but for the first millisecond of each second,
 * where the two readings differ and the one nearer now (not after it) is taken.
 */
function dumpTime(text: string): number {
  const m = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)\.(\d+)$/.exec(text);
  if (!m) return Date.now();
  const [, y, mo, d, h, mi, sec, fraction] = m;
  const whole = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec)).getTime();
  const n = Number(fraction);
  if (fraction!.length !== 9) return whole + n / 10 ** (fraction!.length - 3);
  if (n >= 1_000_000) return whole + n / 1e6; // nanoseconds
  const now = Date.now();
  const asMicros = whole + n / 1e3;
  return asMicros <= now + 1 ? asMicros : whole + n / 1e6;
}

/** A file system error in words, without the paths Node puts in its message (one may be huge). */
function errnoText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const words: Record<string, string> = {
    ENAMETOOLONG: 'the name is too long',
    ENOTDIR: 'a part of it is not a folder',
    EACCES: 'permission denied',
    EPERM: 'not permitted',
    EROFS: 'the file system is read-only',
    ELOOP: 'too many levels of symbolic links',
    ENOENT: 'its folder does not exist',
    EEXIST: 'something else is there',
  };
  return (code && words[code]) ?? code ?? String(error);
}

let setprivFound: string | null | undefined;

/** util-linux's setpriv, if it is on the PATH (it is on every Debian and Ubuntu): looked up once. */
function setprivProgram(): string | undefined {
  if (setprivFound === undefined) {
    setprivFound = null;
    for (const folder of (process.env['PATH'] ?? '').split(path.delimiter)) {
      const candidate = path.join(folder || '.', 'setpriv');
      try {
        accessSync(candidate, constants.X_OK);
        setprivFound = candidate;
        break;
      } catch {
        // not here
      }
    }
  }
  return setprivFound ?? undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A path as an error names it: a very long one cut, so the message stays a line. */
function shortPath(p: string): string {
  return p.length > 120 ? `${p.slice(0, 100)}… (${p.length} characters)` : p;
}

/** Waits for `work` and swallows its failure: a close goes on with its next step. */
async function settle(work: Promise<unknown> | undefined): Promise<void> {
  try {
    await work;
  } catch {
    // Cleanup: the next step (ending socat, removing the folder) matters more than this error.
  }
}
