/**
 * The fleet's NATS names, in one place: subjects, JetStream streams and key-value buckets
 * (docs/fleet.md tells what flows on each). Robot and site ids become subject tokens, so they are
 * checked to be single tokens that hold no wildcard before any subject is built from them.
 */

/** A robot's, site's or desk's id as a subject token: lower-case kebab-case, as site.yaml ids are. */
export const FLEET_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

export class FleetNameError extends Error {}

/** The id itself, or a FleetNameError naming what it is for. */
export function fleetId(id: string, what: string): string {
  if (!FLEET_ID.test(id)) {
    throw new FleetNameError(
      `${what}: '${id.slice(0, 40)}' is not a fleet id (lower-case letters, digits and '-', not starting with '-', at most 64)`,
    );
  }
  return id;
}

export const SUBJECTS = {
  /** A robot's state, core NATS at a bounded rate (the fleet service watches every robot). */
  state: (site: string, robot: string) => `fleet.state.${fleetId(site, 'site')}.${fleetId(robot, 'robot')}`,
  stateAll: 'fleet.state.*.*',
  /** New tasks (kiosk requests, operator dispatches) for a site: the FLEET_TASKS work queue. */
  taskNew: (site: string) => `fleet.tasks.new.${fleetId(site, 'site')}`,
  taskNewAll: 'fleet.tasks.new.*',
  /** Work for one robot, published only by the fleet service: the FLEET_ASSIGN work queue. */
  assign: (robot: string) => `fleet.assign.${fleetId(robot, 'robot')}`,
  assignAll: 'fleet.assign.*',
  /** What a robot did with its work: the FLEET_REPORTS work queue, read by the fleet service. */
  report: (robot: string) => `fleet.report.${fleetId(robot, 'robot')}`,
  reportAll: 'fleet.report.*',
  /**
   * A desk's status as it changes, relayed by the fleet service from the `fleet_desks` bucket to
   * the site's robots (core NATS: a robot only listens; it reads the bucket when it (re)joins).
   */
  desk: (site: string, desk: string) => `fleet.desks.${fleetId(site, 'site')}.${fleetId(desk, 'desk')}`,
  desks: (site: string) => `fleet.desks.${fleetId(site, 'site')}.*`,
  /** Operator actions, kept: the FLEET_AUDIT stream. */
  audit: (site: string) => `fleet.audit.${fleetId(site, 'site')}`,
  auditAll: 'fleet.audit.*',
} as const;

export const STREAMS = {
  tasks: 'FLEET_TASKS',
  assign: 'FLEET_ASSIGN',
  reports: 'FLEET_REPORTS',
  audit: 'FLEET_AUDIT',
} as const;

export const BUCKETS = {
  /** The task book: one record per task, changed with compare-and-set (who does it, how far). */
  tasks: 'fleet_tasks',
  /** Desk statuses staff set, key `<site>.<desk>`: every robot on the site reads them. */
  desks: 'fleet_desks',
} as const;

/** Durable consumers: the fleet service's, and each robot's own on FLEET_ASSIGN. */
export const CONSUMERS = {
  allocator: 'allocator',
  reports: 'reports',
  robot: (robot: string) => `robot-${fleetId(robot, 'robot')}`,
} as const;

/** The desk bucket's key for a site's desk. */
export function deskKey(site: string, desk: string): string {
  return `${fleetId(site, 'site')}.${fleetId(desk, 'desk')}`;
}
