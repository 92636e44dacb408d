/**
 * A fleet run's report: one ordinary run report per robot (its requests, outcomes and
 * collisions, robot–robot contacts included), each with a `fleet` section saying which robot and
 * floor it is, and one section per floor (robot–robot contacts counted once per pair, the closest
 * two robots came). `sim run` writes the robots' reports as its runs, so a fleet's JSON reads as
 * every other report does.
 */
import { formatTable, round, type RunReport } from './report.js';
import type { FleetScenario } from './fleet-scenario.js';
import type { PairContacts } from './fleet-contacts.js';
import type { Site } from '../src/map/index.js';
import type { SimWorld } from './world.js';

export interface FleetRobotSection {
  robot: string;
  /** Index of its floor in the scenario. */
  floor: number;
  /** Simulated time its computer died (a kill), null: it ran to the end. */
  killed_at_s: number | null;
  /** Contacts with other robots, as this robot's world counted them. */
  robot_collisions: number;
  /** Its floor's robot–robot contacts, once per pair. */
  floor_robot_collisions: number;
  /** Closest any two robots of its floor came, edge to edge, m (null: alone on its floor). */
  floor_min_robot_gap_m: number | null;
}

export type FleetRobotReport = RunReport & { fleet: FleetRobotSection };

export interface FleetFloorReport {
  floor: number;
  site: string;
  robots: string[];
  robot_collisions: number;
  min_robot_gap_m: number | null;
}

export interface FleetRunReport {
  scenario: string;
  file: string;
  seed: number;
  sim_time_s: number;
  floors: FleetFloorReport[];
  robots: FleetRobotReport[];
  expectation_failures: string[];
  ok: boolean;
}

export interface FleetReportInput {
  scenario: FleetScenario;
  members: ReadonlyArray<{
    id: string;
    floor: number;
    killedAtS: number | undefined;
    world: SimWorld;
    report: RunReport;
  }>;
  floors: ReadonlyArray<{ site: Site; contacts: PairContacts }>;
  simTimeS: number;
}

export function buildFleetReport(input: FleetReportInput): FleetRunReport {
  const { scenario } = input;
  const floors: FleetFloorReport[] = input.floors.map((f, i) => ({
    floor: i,
    site: f.site.id,
    robots: input.members.filter((m) => m.floor === i).map((m) => m.id),
    robot_collisions: f.contacts.count,
    min_robot_gap_m: Number.isFinite(f.contacts.minGapM) ? round(f.contacts.minGapM, 3) : null,
  }));
  const robots = input.members.map((m) => robotReport(m, floors[m.floor]!, scenario));
  const failures: string[] = [];
  const maxCollisions = scenario.expect.collisions ?? 0;
  for (const f of floors) {
    if (f.robot_collisions > maxCollisions)
      failures.push(
        `floor ${f.floor} (${f.site}): robot–robot collisions: expected ≤ ${maxCollisions}, got ${f.robot_collisions}`,
      );
  }
  return {
    scenario: scenario.name,
    file: scenario.file,
    seed: scenario.seed,
    sim_time_s: round(input.simTimeS, 2),
    floors,
    robots,
    expectation_failures: failures,
    ok: failures.length === 0 && robots.every((r) => r.ok),
  };
}

/** The robot's own report, its robot–robot contacts counted with its other collisions. */
function robotReport(
  m: FleetReportInput['members'][number],
  floor: FleetFloorReport,
  scenario: FleetScenario,
): FleetRobotReport {
  const r = m.report;
  const robotCollisions = m.world.robotCollisions();
  const failures = [...r.expectation_failures];
  const others = r.collisions.wall + r.collisions.obstacle + r.collisions.person;
  const max = scenario.expect.collisions ?? 0;
  if (robotCollisions > 0 && others + robotCollisions > max)
    failures.push(`collisions with other robots: ${robotCollisions} (expected ≤ ${max} collisions in all)`);
  if (m.killedAtS !== undefined) failures.push(`killed at ${round(m.killedAtS, 2)} s: its computer died`);
  return {
    ...r,
    collisions: { ...r.collisions, robot: robotCollisions },
    expectation_failures: failures,
    ok: failures.length === 0 && r.requests.every((q) => q.expectation_failures.length === 0),
    fleet: {
      robot: m.id,
      floor: m.floor,
      killed_at_s: m.killedAtS === undefined ? null : round(m.killedAtS, 2),
      robot_collisions: robotCollisions,
      floor_robot_collisions: floor.robot_collisions,
      floor_min_robot_gap_m: floor.min_robot_gap_m,
    },
  };
}

/** The floors for the terminal: which robots, their contacts, how close they came. */
export function floorTable(report: FleetRunReport): string {
  const rows = [['floor', 'site', 'robots', 'robot collisions', 'closest robots m']];
  for (const f of report.floors) {
    rows.push([
      String(f.floor),
      f.site,
      f.robots.join(' '),
      String(f.robot_collisions),
      f.min_robot_gap_m?.toFixed(2) ?? '-',
    ]);
  }
  return formatTable(rows);
}
