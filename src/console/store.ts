/**
 * What the console keeps between runs, as an interface: operator accounts, sessions, desk statuses
 * set by staff, fault reports, the mission log and hourly demand. The SQLite store
 * (store/sqlite-store.ts) implements it; the server and the robot bridge see only this. Nothing
 * here holds a customer's words: the mission log keeps time, language, destination, outcome,
 * reason and the catalogue term that chose the destination (its why); demand keeps counts.
 */
import type { DemandRow, DeskState, FaultReport, MissionLogEntry, Role, UserReply } from './protocol.js';

export interface StoredUser extends UserReply {
  id: number;
}
export interface StoredSession {
  user: StoredUser;
  /** ms since the epoch. */
  expiresMs: number;
}
export interface StoredDeskStatus {
  destination_id: string;
  state: DeskState;
  note: string;
  /** ms since the epoch, or null: until staff change it. */
  untilMs: number | null;
  set_by: string;
  /** ms since the epoch. */
  setMs: number;
}
/** A request as it starts (the mission log's first half); the outcome comes later. */
export interface MissionStart {
  request_id: string;
  requestedMs: number;
  origin: 'kiosk' | 'dispatch' | 'simulated' | 'terminal';
  language: string;
  destination_id: string;
  /** The catalogue term that chose the destination (GuideStatus.why, gated); '' when none yet. */
  why: string;
}
export interface MissionEnd {
  request_id: string;
  endedMs: number;
  destination_id: string;
  outcome: string;
  reason: string;
  /** The why as the request ended; '' keeps the one stored at its start. */
  why: string;
}

/** The accounts and sessions part of the store: all that sign-in and the account routes use. */
export type AccountStore = Pick<
  ConsoleStore,
  | 'addUser'
  | 'removeUser'
  | 'listUsers'
  | 'adminExists'
  | 'passwordHash'
  | 'createSession'
  | 'session'
  | 'deleteSession'
  | 'deleteExpiredSessions'
>;

export interface ConsoleStore {
  // accounts: passwords arrive already hashed (argon2id PHC strings); a hash never leaves the store
  // except through verifyHash's caller-supplied check.
  addUser(name: string, role: Role, passwordHash: string, nowMs: number): StoredUser;
  removeUser(name: string): boolean;
  listUsers(): StoredUser[];
  adminExists(): boolean;
  /** The stored hash for a login attempt (undefined: no such user). */
  passwordHash(name: string): { user: StoredUser; hash: string } | undefined;

  /** Sessions are kept by the SHA-256 of their token, never the token. */
  createSession(tokenHash: string, userId: number, nowMs: number, expiresMs: number): void;
  session(tokenHash: string, nowMs: number): StoredSession | undefined;
  deleteSession(tokenHash: string): void;
  deleteExpiredSessions(nowMs: number): number;

  deskStatuses(): StoredDeskStatus[];
  setDeskStatus(status: StoredDeskStatus): void;
  clearDeskStatus(destinationId: string): boolean;

  addFault(reporter: string, text: string, nowMs: number): FaultReport;
  faults(limit: number): FaultReport[];

  missionStarted(start: MissionStart): MissionLogEntry;
  /** Fills in the outcome; undefined when the request was never logged as started. */
  missionEnded(end: MissionEnd): MissionLogEntry | undefined;
  missions(limit: number, beforeId?: number): MissionLogEntry[];

  /** Counts one request in its hour (the site's local hour, as an ISO string of the hour's start). */
  countDemand(hour: string, destinationId: string, language: string): void;
  demand(fromHour: string, toHour: string): DemandRow[];

  close(): void;
}
