/**
 * The console beside the robot, for `run`: the store opened from --data, the web server on
 * --listen, and the lines the start banner adds (where to open it; how to make the first admin).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import {
  HOW_TO_ADD_ADMIN,
  parseListen,
  startConsole,
  type ConsoleFoxglove,
  type RunningConsole,
} from '../src/console/index.js';
import { openStore, type SqliteConsoleStore } from '../src/console/store/index.js';
import type { Site } from '../src/map/index.js';
import { reasonText } from '../src/robot/index.js';
import type { GraphContext } from '../src/ros/index.js';

export interface ConsoleArgs {
  /** HOST:PORT (--listen). */
  listen: string;
  /** The data folder (--data). */
  data: string;
}

export interface OpenedStore {
  store: SqliteConsoleStore;
  close(): void;
}

/**
 * Checks --listen and opens the console's database, first: a wrong address or a locked or damaged
 * file stops the run before anything moves.
 */
export function openConsoleStore(args: ConsoleArgs): OpenedStore {
  parseListen(args.listen);
  // The log keeps reason codes; operators read them in the mission's plain words.
  const store = openStore(path.resolve(args.data), { reasonText });
  return { store, close: () => store.close() };
}

export async function startCliConsole(
  graph: GraphContext,
  site: Site,
  opened: OpenedStore,
  args: ConsoleArgs,
  otherOrigin: 'simulated' | 'terminal',
  foxglove?: ConsoleFoxglove,
): Promise<RunningConsole> {
  return startConsole({
    graph,
    site,
    store: opened.store,
    listen: args.listen,
    otherOrigin,
    ...(foxglove ? { foxglove } : {}),
  });
}

/** "Console: http://…/ — kiosk: http://…/kiosk", and how to make the first admin while none exists. */
export function consoleBanner(running: RunningConsole, store: SqliteConsoleStore): string {
  const lines = [`Console: ${running.url} — kiosk: ${running.kioskUrl}`];
  if (!store.adminExists()) {
    lines.push(`No admin account yet: make one with \`${HOW_TO_ADD_ADMIN}\` (the kiosk works meanwhile).`);
  }
  if (!espeakInstalled()) {
    lines.push(
      "Speech: off, espeak-ng is not installed (apt-get install --no-install-recommends espeak-ng); the kiosk shows the robot's words.",
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The robot's voice needs Debian's espeak-ng; without it the kiosk still shows every word. */
function espeakInstalled(): boolean {
  return spawnSync('espeak-ng', ['--version'], { stdio: 'ignore', timeout: 5000 }).status === 0;
}
