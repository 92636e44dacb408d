export {
  ARGON2_OPTIONS,
  DUMMY_HASH,
  PASSWORD_MAX_CHARS,
  PASSWORD_MIN_CHARS,
  hashPassword,
  passwordProblem,
  verifyLogin,
  verifyPassword,
} from './passwords.js';
export {
  SESSION_COOKIE,
  SESSION_TTL_MS,
  clearedSessionCookieOptions,
  createSessions,
  hashSessionToken,
  isSessionToken,
  newSessionToken,
  sessionCookieOptions,
  type NewSession,
  type Sessions,
  type WallClock,
} from './sessions.js';
export { isRole, roleAllows } from './roles.js';
