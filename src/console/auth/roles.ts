/**
 * Roles, in order: each may do everything the roles before it may (viewer < operator < admin).
 * A route or message names the least role it needs; roleAllows is the one place that decides.
 */
import { ROLES, type Role } from '../protocol.js';

export function isRole(text: string): text is Role {
  return (ROLES as readonly string[]).includes(text);
}

/** Whether a user of role `have` may do what needs role `need`. */
export function roleAllows(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need) && ROLES.includes(need);
}
