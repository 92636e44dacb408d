/**
 * `medhjalparen base`: the drive base alone, for bring-up and the workshop. Connects to a real
 * board (`--port`) or the emulated one with the real firmware (`--emulate`, optionally behind a
 * real pty with `--pty`), shows live telemetry, and drives from the keyboard through the safety
 * gate with a deadman: a key must keep arriving (the terminal's key repeat) or the robot stops.
 * `--script` drives a fixed sequence instead, for tests and demos without a terminal, and ends
 * only once the wheels report stopped (cli/base-script.ts): with `--emulate` alone it runs on the
 * emulated clock in lockstep with the board, repeatable line for line; with a real board or
 * `--pty` its segments are timed on the wall clock.
 *
 * An adapter: it runs the node graph on the system clock (src/ros/wall-clock.ts), except for an
 * emulated script, which runs on a simulated one.
 */
import readline from 'node:readline';
import { EmulatedBoard, PtyBridge, runRealtime } from '../firmware-bridge/emulator/index.js';
import { transportLink } from '../firmware-bridge/emulator/in-the-loop.js';
import {
  LED_PATTERNS,
  serialLink,
  type LedPattern,
  type SerialLink,
  type TelemetryFrame,
} from '../src/hardware/index.js';
import { showControls } from '../src/input/index.js';
import { HardwareWorld, startBaseBringUp } from '../src/robot/index.js';
import { EmbeddedContext, SystemClock, twist } from '../src/ros/index.js';
import { createLogger, nodeLogger } from '../src/telemetry/index.js';
import {
  driveScript,
  parseScript,
  runEmulatedScript,
  statusLine,
  wallClockTime,
  type Segment,
} from './base-script.js';
import { firmwareHex } from './drive-base-option.js';
import { stderrLog } from './logging.js';
import { realtimePacer } from './pace.js';
import { formatDeviceChecks } from './preflight.js';

export interface BaseOptions {
  port?: string;
  emulate: boolean;
  pty: boolean;
  /** "v,w,seconds;v,w,seconds…" (m/s, rad/s, s): drive this, wait for the wheels to stop, and exit. */
  script?: string;
  /** An emulated script (`--emulate` without `--pty`) at real speed instead of as fast as it runs. */
  realtime?: boolean;
  logLevel: string;
}

/** The deadman: without a new key for this long the teleop command stops. */
const DEADMAN_MS = 600;
const TELEOP_PERIOD_NS = 50_000_000n;
const SPEEDS = { linear: 0.4, angular: 1.0 };
/** How long the driver may take to link up after the check, ms (an Arduino reboots on open). */
const CONNECT_WAIT_MS = 15_000;

/** The base's link, and what to tear down after (an emulator, a pty bridge). */
interface Link {
  link: SerialLink;
  close(): Promise<void>;
}

export async function runBaseCommand(o: BaseOptions): Promise<number> {
  // Everything the flags say is checked before a device is opened, so a mistake opens nothing.
  if (o.emulate === (o.port !== undefined))
    throw new Error('base needs exactly one of --port PATH or --emulate');
  const segments = o.script === undefined ? undefined : parseScript(o.script);
  const log = stderrLog(o.logLevel);
  if (segments === undefined && !process.stdin.isTTY)
    throw new Error('base needs a terminal for keyboard driving (or --script "v,w,seconds;…")');
  if (segments !== undefined && o.emulate && !o.pty) {
    // No kernel between host and board: the whole run on the emulated clock, in lockstep.
    const run = await runEmulatedScript(segments, {
      out: (line) => process.stdout.write(`${line}\n`),
      log,
      ...(o.realtime ? { pace: realtimePacer() } : {}),
    });
    return run.code;
  }
  const { link, close } = await openLink(o);
  try {
    return await bringUp(link, segments, log);
  } finally {
    // However it ended (done, a failed check, an error): the emulator or the pty goes too.
    await close();
  }
}

async function bringUp(
  link: SerialLink,
  segments: Segment[] | undefined,
  log: ReturnType<typeof stderrLog>,
): Promise<number> {
  const out = (line: string) => process.stdout.write(line);
  // On the bench there is no lidar: the gate still applies the e-stop, limits and timeouts.
  const world = new HardwareWorld({ base: link });
  out(`connecting to ${link.label} …\n`);
  const checks = await world.preflight();
  out(formatDeviceChecks(checks));
  if (checks.some((c) => !c.ok)) return 1;
  const root = createLogger({ level: log.level, destination: log.destination });
  const graph = new EmbeddedContext({ clock: new SystemClock(), logger: (name) => nodeLogger(root, name) });
  const robot = await startBaseBringUp({ graph, world });
  const base = world.driveBase!.base;
  const teleopNode = graph.createNode('teleop');
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
  const spinner = graph.spin();

  const shutdown = async () => {
    spinner.stop();
    await robot.stop();
    graph.shutdown();
  };
  // The driver links up on its own (a board may be rebooting); drive only once it has.
  if (!(await until(() => base.status().connected, CONNECT_WAIT_MS))) {
    await shutdown();
    out(`error: ${link.label}: no telemetry within ${CONNECT_WAIT_MS / 1000} s of connecting\n`);
    return 1;
  }
  out(`connected: ${link.label}\n`);

  if (segments) {
    // Bytes through the kernel to a board on its own time: the segments are wall-timed.
    const result = await driveScript({
      base,
      segments,
      time: wallClockTime(graph.clock),
      command: (linear, angular) => {
        command = { linear, angular };
        teleop.publish(twist(linear, angular));
      },
      out: (line) => out(`${line}\n`),
    });
    await shutdown();
    return result.code;
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
  if (o.port) return { link: serialLink(o.port, `--port ${showControls(o.port)}`), close: async () => {} };
  const board = await EmulatedBoard.fromHexFile(await firmwareHex());
  if (o.pty) {
    // The full serialport path: the emulated board behind a pty pair, opened like a USB device.
    const bridge = await PtyBridge.start(board);
    return {
      link: serialLink(bridge.hostPath, `the emulated board on ${bridge.hostPath}`),
      close: () => bridge.close(),
    };
  }
  const run = runRealtime(board);
  return { link: transportLink(board.transport, 'the emulated board (in-process)'), close: () => run.stop() };
}

/** Resolves true once `ready()` holds, or false after `timeoutMs` (wall clock: a person is waiting). */
async function until(ready: () => boolean, timeoutMs: number): Promise<boolean> {
  for (let waited = 0; waited < timeoutMs; waited += 50) {
    if (ready()) return true;
    await sleep(50);
  }
  return ready();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
