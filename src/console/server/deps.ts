/** What the server's routes are given: the robot bridge, the site, the store and the clocks. */
import type { FastifyPluginAsync } from 'fastify';
import type { Matcher } from '../../interaction/index.js';
import type { Site } from '../../map/index.js';
import type { Bridge } from '../bridge/bridge.js';
import type { AccountStore, ConsoleStore } from '../store.js';
import type { ConsoleFoxglove } from './routes-foxglove.js';

export interface Limits {
  /** Requests per minute per address, over all routes (WebSocket upgrades count too). */
  generalPerMinute: number;
  /** Login attempts per minute per address. */
  loginPerMinute: number;
  /** Kiosk requests per minute per address. */
  kioskRequestsPerMinute: number;
  /** Teleop messages per second per WebSocket; more are dropped. */
  teleopPerSecond: number;
}

export const DEFAULT_LIMITS: Limits = {
  generalPerMinute: 1200,
  loginPerMinute: 5,
  kioskRequestsPerMinute: 20,
  teleopPerSecond: 50,
};

/** Speech for the kiosk (optional): a plugin serving WAVs and the URL of a phrase's audio. */
export interface SpeechService {
  plugin: FastifyPluginAsync;
  url(language: string, text: string): string | undefined;
}

export interface ServerDeps {
  /** The Foxglove live view beside the console, when it runs: passes for its clients. */
  foxglove?: ConsoleFoxglove;
  bridge: Bridge;
  site: Site;
  store: ConsoleStore;
  matcher: Matcher;
  limits: Limits;
  /** Wall-clock ms for session expiry and rate windows (injected: tests and the one clock rule). */
  wallNow: () => number;
  speech?: SpeechService;
  /** Secure cookies (only behind HTTPS, e.g. a reverse proxy). */
  secureCookies: boolean;
  /** The robot's footprint radius, m (the pages draw it). */
  robotRadius: number;
  logError: (e: unknown) => void;
}

/**
 * What signing in and the account routes need: the accounts part of the store, the limits, the
 * clocks. The robot's console and the fleet console both give it (ServerDeps is one).
 */
export interface AccountDeps {
  store: AccountStore;
  limits: Pick<Limits, 'generalPerMinute' | 'loginPerMinute'>;
  wallNow: () => number;
  secureCookies: boolean;
  logError: (e: unknown) => void;
  /** How to make the first admin, said by /api/setup (default: the robot's, HOW_TO_ADD_ADMIN). */
  noAdminHint?: string;
}

/** Told when a session ends (logout, an account removed): its sockets close and its teleop stops. */
export interface SessionWatcher {
  sessionEnded(tokenHash: string): void;
  userRemoved(userId: number): void;
}
