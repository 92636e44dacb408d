/**
 * `medhjalparen base`: the drive base alone, for bring-up and the workshop. Connects to a real
 * board (`--port`) or the emulated one with the real firmware (`--emulate`, optionally behind a
 * real pty with `--pty`), shows live telemetry, and drives from the keyboard through the safety
 * gate with a deadman: a key must keep arriving (the terminal's key repeat) or the robot stops.
 * `--script` drives a fixed sequence instead, for tests and demos without a terminal.
 *
 * An adapter: it runs the node graph on the system clock (src/ros/wall-clock.ts).
 */
import { execFile } from 'node:child_process';
import readline from 'node:readline';
import { promisify } from 'node:util';
import { SerialPort } from 'serialport';
import { EmulatedBoard, runRealtime } from '../../firmware-bridge/emulator/index.js';
import { DEFAULT_HEX, connectJohnnyFive } from '../../firmware-bridge/emulator/in-the-loop.js';
import { PtyBridge } from '../../firmware-bridge/emulator/pty-bridge.js';
import {
  DriveBase,
  LED_PATTERNS,
  createDriveBaseNode,
  telemetryFlags,
  type LedPattern,
  type TelemetryFrame,
} from '../hardware/index.js';
import { EmbeddedContext, SystemClock, spinRealtime, twist } from '../ros/index.js';
import { createSafetyGate } from '../safety/index.js';
import { createLogger, nodeLogger } from '../telemetry/index.js';
import { stderrLog } from './logging.js';

export interface BaseOptions {
  port?: string;
  emulate: boolean;
  pty: boolean;
  /** "v,w,seconds;v,w,seconds…" (m/s, rad/s, s): drive this and exit. */
  script?: string;
  logLevel: string;
}

/** The deadman: without a new key for this long the teleop command stops. */
const DEADMAN_MS = 600;
const TELEOP_PERIOD_NS = 50_000_000n;
const SPEEDS = { linear: 0.4, angular: 1.0 };

interface Link {
  /** What johnny-five opens. */
  port: unknown;
  /** Opens the link afresh (after an unplug). */
  reopen(): Promise<unknown>;
  close(): Promise<void>;
  describe: string;
}

export async function runBaseCommand(o: BaseOptions): Promise<number> {
  const segments = o.script === undefined ? undefined : parseScript(o.script);
  const link = await openLink(o);
  const clock = new SystemClock();
  const log = stderrLog(o.logLevel);
  const root = createLogger({ level: log.level, destination: log.destination });
  const ctx = new EmbeddedContext({ clock, logger: (name) => nodeLogger(root, name) });
  const out = (line: string) => process.stdout.write(line);
  out(`connecting to ${link.describe} …\n`);
  const j5 = await connectJohnnyFive(link.port);
  out(`connected: firmware ${firmwareName(j5.io)}\n`);

  // On the bench there is no lidar: the gate still applies the e-stop, limits and timeouts.
  const gate = createSafetyGate(ctx.createNode('safety_gate'), { require_scan: false });
  const base = new DriveBase(j5.io, { clock });
  const baseNode = createDriveBaseNode(ctx.createNode('drive_base'), base, {
    connect: async () => (await connectJohnnyFive(await link.reopen())).io,
  });
  const teleopNode = ctx.createNode('teleop');
  const teleop = teleopNode.createPublisher('geometry_msgs/msg/Twist', '/cmd_vel_teleop');
  let command = { linear: 0, angular: 0 };
  // Key presses are wall-clock events from the terminal, so the deadman is timed on the wall clock.
  let lastKeyMs = -Infinity;
  teleopNode.createTimer(TELEOP_PERIOD_NS, () => {
    const fresh = segments !== undefined || Date.now() - lastKeyMs <= DEADMAN_MS;
    teleop.publish(fresh ? twist(command.linear, command.angular) : twist(0, 0));
  });
  let latest: TelemetryFrame | undefined;
  base.on('telemetry', (t) => (latest = t.frame));
  const spinner = spinRealtime(ctx);

  const shutdown = async () => {
    spinner.stop();
    baseNode.stop();
    gate.stop();
    base.detach('detached', { closePort: true });
    await link.close();
  };

  if (segments) {
    for (const s of segments) {
      command = { linear: s.linear, angular: s.angular };
      await sleep(s.seconds * 1000);
      out(`${statusLine(latest, base.status().ackRttP50Ms)}\n`);
    }
    command = { linear: 0, angular: 0 };
    await sleep(400);
    out(`${statusLine(latest, base.status().ackRttP50Ms)}\n`);
    await shutdown();
    return 0;
  }

  if (!process.stdin.isTTY) {
    await shutdown();
    throw new Error('base needs a terminal for keyboard driving (or --script "v,w,seconds;…")');
  }
  out(
    'drive: arrows or w/a/s/d (hold; release to stop) · space: stop · 0–5: LED pattern · c: clear a latched stop · q: quit\n',
  );
  readline.emitKeypressEvents(process.stdin);
  process.stdin.setRawMode(true);
  const display = setInterval(() => out(`\r${statusLine(latest, base.status().ackRttP50Ms)}\x1b[K`), 200);
  await new Promise<void>((resolve) => {
    process.stdin.on(
      'keypress',
      (_text: string, key: { name?: string; ctrl?: boolean; sequence?: string }) => {
        const name = key?.name ?? key?.sequence ?? '';
        if (name === 'q' || (key?.ctrl && name === 'c')) return resolve();
        const drive = DRIVE_KEYS[name];
        if (drive) {
          command = drive;
          lastKeyMs = Date.now();
        } else if (name === 'space') command = { linear: 0, angular: 0 };
        else if (name === 'c') base.clearStop();
        else if (/^[0-5]$/.test(name))
          base.setLeds(LED_PATTERNS[Number(name)] as LedPattern, { red: 0, green: 80, blue: 255 });
      },
    );
  });
  clearInterval(display);
  process.stdin.setRawMode(false);
  process.stdin.pause();
  out('\nstopping\n');
  await shutdown();
  return 0;
}

const DRIVE_KEYS: Record<string, { linear: number; angular: number }> = {
  up: { linear: SPEEDS.linear, angular: 0 },
  w: { linear: SPEEDS.linear, angular: 0 },
  down: { linear: -SPEEDS.linear / 2, angular: 0 },
  s: { linear: -SPEEDS.linear / 2, angular: 0 },
  left: { linear: 0, angular: SPEEDS.angular },
  a: { linear: 0, angular: SPEEDS.angular },
  right: { linear: 0, angular: -SPEEDS.angular },
  d: { linear: 0, angular: -SPEEDS.angular },
};

async function openLink(o: BaseOptions): Promise<Link> {
  if (o.emulate === (o.port !== undefined))
    throw new Error('base needs exactly one of --port PATH or --emulate');
  if (o.port) return serialLink(o.port, o.port);
  await promisify(execFile)('bash', ['firmware-bridge/build.sh']);
  const board = await EmulatedBoard.fromHexFile(DEFAULT_HEX);
  if (o.pty) {
    // The full serialport path: the emulated board behind a pty pair, opened like a USB device.
    const bridge = await PtyBridge.start(board);
    const link = serialLink(bridge.hostPath, `emulated board on ${bridge.hostPath}`);
    return { ...link, close: async () => (await link.close(), await bridge.close()) };
  }
  const run = runRealtime(board);
  const transport = board.transport;
  return {
    port: transport,
    describe: 'emulated board (in-process)',
    reopen: async () => {
      if (!transport.isOpen)
        await new Promise<void>((res, rej) => transport.open((e) => (e ? rej(e) : res())));
      return transport;
    },
    close: () => run.stop(),
  };
}

function serialLink(path: string, describe: string): Link {
  const open = () => new SerialPort({ path, baudRate: 115200 });
  let port = open();
  return {
    port,
    describe,
    reopen: async () => (port = open()),
    close: () => new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())),
  };
}

function statusLine(t: TelemetryFrame | undefined, rttMs: number | undefined): string {
  if (!t) return 'waiting for telemetry …';
  const f = telemetryFlags(t);
  const ms = (v: number) => (v / 1000).toFixed(2);
  return [
    `wheels L ${ms(t.leftSpeedMmS)} R ${ms(t.rightSpeedMmS)} m/s`,
    `ticks ${t.leftTicks} ${t.rightTicks}`,
    `battery ${(t.batteryMv / 1000).toFixed(1)} V`,
    `bumper ${f.bumper ? 'PRESSED' : 'ok'}`,
    `e-stop ${f.estop ? 'PRESSED' : 'ok'}`,
    f.stopLatched ? 'STOP LATCHED (c clears)' : f.driving ? 'driving' : 'motors off',
    `fault ${f.fault}`,
    `rejected ${t.rejectedFrames}`,
    `ack ${rttMs === undefined ? '-' : rttMs.toFixed(1)} ms`,
  ].join(' · ');
}

function parseScript(text: string): Array<{ linear: number; angular: number; seconds: number }> {
  return text.split(';').map((part, i) => {
    const [v, w, s] = part.split(',').map((x) => Number(x.trim()));
    if (![v, w, s].every((x) => Number.isFinite(x)) || !(s! > 0)) {
      throw new Error(`--script segment ${i + 1} '${part}': expected v,w,seconds (m/s, rad/s, s > 0)`);
    }
    return { linear: v!, angular: w!, seconds: s! };
  });
}

function firmwareName(io: unknown): string {
  const fw = (io as { firmware?: { name?: string; version?: { major: number; minor: number } } }).firmware;
  return fw?.name ? `${fw.name} ${fw.version?.major ?? '?'}.${fw.version?.minor ?? '?'}` : 'unknown';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
