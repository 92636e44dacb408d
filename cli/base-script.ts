/**
 * `medhjalparen base --script "v,w,s;…"`: drives a fixed sequence of segments through the safety
 * gate, then commands zero and keeps running until the board's telemetry says the wheels have
 * stopped, and sums the run up (time, how far each wheel went, how long the stop took).
 *
 * Time passes one of two ways:
 *  - on the emulated clock (`--emulate` without `--pty`, `runEmulatedScript`): the whole node
 *    graph runs on a SimClock in lockstep with the emulated board, 1 ms at a time (board, clock,
 *    executor, then the stream events the driver's serial traffic needs), as the simulator runs
 *    the board in the loop. Segments are timed on that clock, so a script prints the same lines
 *    on every run, however loaded the machine; it runs as fast as the CPU allows, or paced to
 *    the wall clock with `pace` (`--realtime`).
 *  - on the wall clock (a real board, or the emulated one behind a pty, `wallClockTime`): bytes
 *    go through the kernel and the board keeps its own time, so segments are wall-timed.
 * Either way the run ends only once the wheels report stopped (`wheelsStopped`, for
 * STOPPED_FRAMES telemetry frames in a row), or fails after STOP_WAIT_NS.
 *
 * An adapter: it reads the wall clock only in `wallClockTime` and the optional pacer.
 */
import { EmulatedBoard } from '../firmware-bridge/emulator/index.js';
import { transportLink } from '../firmware-bridge/emulator/in-the-loop.js';
import {
  telemetryFlags,
  tickDelta,
  type DriveBase,
  type SerialLink,
  type TelemetryEvent,
  type TelemetryFrame,
} from '../src/hardware/index.js';
import { excerpt } from '../src/input/index.js';
import { HardwareWorld, startBaseBringUp } from '../src/robot/index.js';
import { EmbeddedContext, SimClock, twist, type Clock, type Publisher } from '../src/ros/index.js';
import type { DestinationStream } from 'pino';
import { createLogger, nodeLogger, type LogLevel } from '../src/telemetry/index.js';
import { firmwareHex } from './drive-base-option.js';
import { formatDeviceChecks } from './preflight.js';

export interface Segment {
  /** m/s */
  linear: number;
  /** rad/s */
  angular: number;
  seconds: number;
}

/** "v,w,seconds;…" as segments; an error names the first bad segment. */
export function parseScript(text: string): Segment[] {
  return text.split(';').map((part, i) => {
    const [v, w, s] = part.split(',').map((x) => Number(x.trim()));
    if (![v, w, s].every((x) => Number.isFinite(x)) || !(s! > 0)) {
      throw new Error(
        `--script segment ${i + 1} '${excerpt(part)}': expected v,w,seconds (m/s, rad/s, s > 0)`,
      );
    }
    return { linear: v!, angular: w!, seconds: s! };
  });
}

/** One line of live telemetry, as the keyboard mode shows it and the script prints it. */
export function statusLine(t: TelemetryFrame | undefined, rttMs: number | undefined): string {
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

/**
 * The wheels stand still in this frame: the board's "stopped" (PROTOCOL.md §3.2: motors off,
 * no wheel turning, no controlled stop ramping) and both measured speeds 0, which also holds
 * for a board whose firmware predates the turning and stopping bits.
 */
export function wheelsStopped(t: TelemetryFrame): boolean {
  return t.leftSpeedMmS === 0 && t.rightSpeedMmS === 0 && telemetryFlags(t).stopped;
}

/** Frames in a row that must say stopped (at the board's 50 Hz: 60 ms). */
export const STOPPED_FRAMES = 3;
/** How long the wheels may take to stop after the stop command. */
export const STOP_WAIT_NS = 5_000_000_000n;
/** How long the driver may take to link up after the check (an Arduino reboots on open). */
export const CONNECT_WAIT_NS = 15_000_000_000n;
/** The teleop command goes out at 20 Hz, as in the keyboard mode. */
export const TELEOP_PERIOD_NS = 50_000_000n;

/** How a script's time passes: the node clock, and a way to let it run. */
export interface ScriptTime {
  /** 'emulated' (lockstep) or 'wall': said in the summary. */
  readonly name: 'emulated' | 'wall';
  /** The node graph's clock (telemetry is stamped on it). */
  readonly clock: Clock;
  /** Lets time run until `ready()` holds or `forNs` has passed; resolves `ready()`. */
  until(ready: () => boolean, forNs: bigint): Promise<boolean>;
}

export interface ScriptSummary {
  clock: 'emulated' | 'wall';
  /** From the first segment to the wheels reported stopped, s. */
  elapsedS: number;
  /** Encoder ticks each wheel counted over the run (signed: forward +). */
  leftTicks: number;
  rightTicks: number;
  /** The board's ticks_per_m (its CONFIG_REPORT; the defaults when it sent none). */
  ticksPerM: number;
  configReported: boolean;
  /** Signed wheel travel over the run, m. */
  leftM: number;
  rightM: number;
  /** From the stop command to the first frame of the stopped run, ms. */
  stopMs: number;
}

export interface ScriptResult {
  /** 0 once the wheels reported stopped; 1 when they did not within STOP_WAIT_NS. */
  code: number;
  summary: ScriptSummary | undefined;
}

/**
 * Drives `segments` with `command` (which publishes on /cmd_vel_teleop), printing a status line
 * after each; then commands zero and waits until the wheels report stopped, printing the last
 * status line and the summary. The base must be connected.
 */
export async function driveScript(p: {
  base: Pick<DriveBase, 'on' | 'status'>;
  segments: readonly Segment[];
  time: ScriptTime;
  command: (linear: number, angular: number) => void;
  out: (line: string) => void;
}): Promise<ScriptResult> {
  const { base, time, out } = p;
  const clock = time.clock;
  let latest: TelemetryFrame | undefined = base.status().telemetry;
  /** The frame the run's ticks count from: the latest at the start (or the first after it). */
  let first = latest;
  /** Frames in a row that said stopped, and when the first of them arrived. */
  let stoppedRun = 0;
  let stoppedSinceNs = 0n;
  const onTelemetry = (e: TelemetryEvent) => {
    latest = e.frame;
    first ??= e.frame;
    if (!wheelsStopped(e.frame)) stoppedRun = 0;
    else if (stoppedRun++ === 0) stoppedSinceNs = e.receivedNs;
  };
  const unsubscribe = base.on('telemetry', onTelemetry);
  const status = () => statusLine(latest, base.status().ackRttP50Ms);
  try {
    const startNs = clock.nowNs();
    for (const s of p.segments) {
      p.command(s.linear, s.angular);
      await time.until(() => false, BigInt(Math.round(s.seconds * 1e9)));
      out(status());
    }
    p.command(0, 0);
    const stopNs = clock.nowNs();
    // Only frames that arrive after the stop command count.
    stoppedRun = 0;
    const stopped = await time.until(() => stoppedRun >= STOPPED_FRAMES, STOP_WAIT_NS);
    out(status());
    if (!stopped || !first || !latest) {
      out(
        `error: the wheels did not report stopped within ${Number(STOP_WAIT_NS) / 1e9} s (${time.name} time) of the stop command`,
      );
      return { code: 1, summary: undefined };
    }
    const { config, configReported } = base.status();
    const leftTicks = tickDelta(latest.leftTicks, first.leftTicks);
    const rightTicks = tickDelta(latest.rightTicks, first.rightTicks);
    const summary: ScriptSummary = {
      clock: time.name,
      elapsedS: Number(clock.nowNs() - startNs) / 1e9,
      leftTicks,
      rightTicks,
      ticksPerM: config.ticksPerM,
      configReported,
      leftM: leftTicks / config.ticksPerM,
      rightM: rightTicks / config.ticksPerM,
      stopMs: Number(stoppedSinceNs - stopNs) / 1e6,
    };
    out(summaryLine(summary));
    return { code: 0, summary };
  } finally {
    unsubscribe();
  }
}

/** The last line: time from the first segment to the wheels stopped, how far each went, how long the stop took. */
export function summaryLine(s: ScriptSummary): string {
  const source = s.configReported ? 'as the board reports' : "the board's default: it reported none";
  return [
    `done after ${s.elapsedS.toFixed(3)} s (${s.clock} time)`,
    `wheels travelled L ${s.leftM.toFixed(3)} m R ${s.rightM.toFixed(3)} m (ticks ${s.leftTicks} ${s.rightTicks}, ${s.ticksPerM} ticks/m ${source})`,
    `stopped ${s.stopMs.toFixed(0)} ms after the stop command`,
  ].join(' · ');
}

/** Script time on the system clock: polls every 10 ms (a real board, or the board behind a pty). */
export function wallClockTime(clock: Clock): ScriptTime {
  return scriptTime('wall', clock, (leftNs) => sleep(Math.min(10, Number(leftNs) / 1e6)));
}

/** Script time that waits for a condition by `pass` (a sleep, a lockstep step) until its deadline. */
function scriptTime(
  name: ScriptTime['name'],
  clock: Clock,
  pass: (leftNs: bigint) => Promise<void>,
): ScriptTime {
  return {
    name,
    clock,
    async until(ready, forNs) {
      const end = clock.nowNs() + forNs;
      while (!ready()) {
        const left = end - clock.nowNs();
        if (left <= 0n) return ready();
        await pass(left);
      }
      return true;
    },
  };
}

export interface EmulatedScriptOptions {
  /** The drive-base firmware; default the package's build (see firmwareHex). */
  hexPath?: string;
  /** Called with each line as it is printed (without its newline). */
  out?: (line: string) => void;
  /** The nodes' logs (cli/logging.ts's stderrLog); default none. Stamped with the emulated clock. */
  log?: { level: LogLevel; destination: DestinationStream };
  /**
   * Called after every lockstep step with the emulated seconds since the start; the run waits
   * for it (cli/pace.ts's realtimePacer plays it at real speed). Default: yield to the event loop.
   */
  pace?: (elapsedS: number) => Promise<void>;
}

export interface EmulatedScriptRun extends ScriptResult {
  /** Every line printed, in order. */
  lines: string[];
}

/** Lockstep step: 1 ms of emulated time for the board, the node clock and the executor. */
const STEP_NS = 1_000_000n;
const LABEL = 'the emulated board (in-process)';

/**
 * `base --emulate --script`: the real firmware on an emulated board and the bring-up graph
 * (driver, safety gate, teleop) on one SimClock, in lockstep; see the file's comment. The same
 * script gives the same lines on every run.
 */
export async function runEmulatedScript(
  script: string | readonly Segment[],
  options: EmulatedScriptOptions = {},
): Promise<EmulatedScriptRun> {
  const segments = typeof script === 'string' ? parseScript(script) : script;
  const lines: string[] = [];
  const out = (line: string) => {
    lines.push(line);
    options.out?.(line);
  };
  const board = await EmulatedBoard.fromHexFile(options.hexPath ?? (await firmwareHex()));
  const link: SerialLink = transportLink(board.transport, LABEL);
  const clock = new SimClock(0n);
  const root = options.log
    ? createLogger({ level: options.log.level, destination: options.log.destination, clock })
    : undefined;
  const graph = new EmbeddedContext({
    clock,
    ...(root ? { logger: (name: string) => nodeLogger(root, name) } : {}),
  });
  const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
  /** One step: the board runs to the new time, the graph delivers and fires what is due, the streams flow. */
  const step = async (ns: bigint) => {
    const t = clock.nowNs() + ns;
    board.advanceTo(t);
    clock.advanceTo(t);
    graph.spinSome();
    await (options.pace ? options.pace(Number(t) / 1e9) : yieldToEventLoop());
  };
  const time = scriptTime('emulated', clock, (left) => step(left < STEP_NS ? left : STEP_NS));

  /** Runs the lockstep until `work` settles (its own timeouts bound it), then gives its outcome. */
  const during = async <T>(work: Promise<T>): Promise<T> => {
    let settled = false;
    const done = work.finally(() => (settled = true));
    while (!settled) await step(STEP_NS);
    return done;
  };

  out(`connecting to ${LABEL} …`);
  // On the bench there is no lidar: the gate still applies the e-stop, limits and timeouts.
  const world = new HardwareWorld({ base: link });
  const checks = await during(world.preflight());
  for (const line of formatDeviceChecks(checks).split('\n').slice(0, -1)) out(line);
  if (checks.some((c) => !c.ok)) return { code: 1, summary: undefined, lines };

  const robot = await startBaseBringUp({ graph, world });
  try {
    const base = world.driveBase!.base;
    const teleop = teleopPublisher(graph);
    if (!(await time.until(() => base.status().connected, CONNECT_WAIT_NS))) {
      out(`error: ${LABEL}: no telemetry within ${Number(CONNECT_WAIT_NS) / 1e9} s of connecting`);
      return { code: 1, summary: undefined, lines };
    }
    out(`connected: ${LABEL}`);
    const result = await driveScript({ base, segments, time, command: teleop.command, out });
    return { ...result, lines };
  } finally {
    await robot.stop();
    graph.shutdown();
  }
}

/**
 * The teleop node: `command` publishes at once and the node repeats it at 20 Hz (the gate and
 * the driver drop a command that is not refreshed).
 */
export function teleopPublisher(graph: EmbeddedContext): { command(linear: number, angular: number): void } {
  const node = graph.createNode('teleop');
  const pub: Publisher<'geometry_msgs/msg/Twist'> = node.createPublisher(
    'geometry_msgs/msg/Twist',
    '/cmd_vel_teleop',
  );
  let current = { linear: 0, angular: 0 };
  node.createTimer(TELEOP_PERIOD_NS, () => pub.publish(twist(current.linear, current.angular)));
  return {
    command(linear, angular) {
      current = { linear, angular };
      pub.publish(twist(linear, angular));
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
