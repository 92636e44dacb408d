/**
 * `medhjalparen board --emulate`: the emulated drive-base board alone, for a program outside this
 * one (a third-party Firmata client, a ROS 2 serial driver, `run --world hardware --base PATH`).
 * The real firmware runs on an emulated ATmega328P, paced by the wall clock, behind a pty whose
 * path (`--link`, default `<tmp>/medhjalparen-board`) stays the same while programs open and close
 * it. It behaves as an Arduino Uno on USB: opening the port resets the board (its start-up report
 * comes first), and what it sends while no program has the port open is lost. Runs until Ctrl-C.
 *
 * An adapter: it reads the wall clock only through the emulator's real-time runner.
 */
import os from 'node:os';
import path from 'node:path';
import { EmulatedBoard, EmulatorError, PtyBridge } from '../firmware-bridge/emulator/index.js';
import { describeThrown, showControls } from '../src/input/index.js';
import { createLogger } from '../src/telemetry/index.js';
import { firmwareHex } from './drive-base-option.js';
import { stderrLog } from './logging.js';
import { untilStopped } from './until-stopped.js';

export interface BoardOptions {
  emulate: boolean;
  /** Where the board's device goes (a symlink to its pty). Default `<tmp>/medhjalparen-board`. */
  link?: string;
  logLevel: string;
}

/** The default `--link`: one well-known path per machine (per TMPDIR). */
export function defaultBoardLink(): string {
  return path.join(os.tmpdir(), 'medhjalparen-board');
}

export async function runBoardCommand(o: BoardOptions): Promise<number> {
  // Everything the flags say is checked before the firmware is loaded or a pty is made.
  if (!o.emulate) throw new Error(NEEDS_EMULATE);
  const log = stderrLog(o.logLevel);
  const link = o.link ?? defaultBoardLink();
  await asFlagError(async () => PtyBridge.checkLink(link));
  const logger = createLogger({ level: log.level, destination: log.destination }).child({ node: 'board' });
  const out = (line: string) => process.stdout.write(`${line}\n`);

  const board = await EmulatedBoard.fromHexFile(await firmwareHex());
  let opens = 0;
  const bridge = await asFlagError(() =>
    PtyBridge.start(board, {
      link,
      realtime: {
        // The firmware did what the emulated chip cannot do: said, and the board stays silent.
        onError: (error) => out(`board: the emulated board stopped: ${describeThrown(error)}`),
      },
      onHost: (event) => {
        if (event === 'opened') opens++;
        logger.info({ event, opens }, `a program ${event} the port`);
        out(event === 'opened' ? 'opened: board reset' : 'closed');
      },
    }),
  );
  out(
    `board: the emulated drive-base board (ATmega328P, real firmware) is on ${showControls(bridge.hostPath)} — open it at 115200 baud as an Arduino Uno; it resets on open. Ctrl-C stops.`,
  );
  try {
    await untilStopped(undefined);
  } finally {
    await bridge.close();
    const { refusedOpens, droppedBytes } = bridge.stats();
    logger.info({ opens, refusedOpens, droppedBytes }, 'stopped');
  }
  return 0;
}

const NEEDS_EMULATE =
  'board needs --emulate: it runs the emulated drive-base board behind a pty (a real board needs no emulator: open its serial device, e.g. /dev/ttyACM0, directly)';

/** Runs `work`; a taken or unusable --link path comes out as the flag's error. */
async function asFlagError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof EmulatorError && error.code === 'PTY_LINK')
      throw new Error(`--link: ${error.message}`, { cause: error });
    throw error;
  }
}
