/**
 * The fleet in plain words: each robot's mission, battery, localisation and connection, each
 * alert's severity. Every colour on the page repeats a word said here (never colour alone).
 */
import { MISSION_WORDS } from '../../../console/pages/web/mission-words.js';
import type { AlertCode, FleetRobotView, FleetSnapshot } from '../../fleet-control.js';
import type { RobotState, TaskRecord } from '../../protocol.js';

export type Severity = 'critical' | 'warning' | 'info';

export const SEVERITY_WORDS: Record<Severity, string> = {
  critical: 'Needs staff',
  warning: 'Warning',
  info: 'Note',
};

export const ALERT_SEVERITY: Record<AlertCode, Severity> = {
  vanished: 'critical',
  battery_critical: 'critical',
  estop: 'critical',
  localization_lost: 'critical',
  fault: 'critical',
  task_unassigned: 'critical',
  battery_low: 'warning',
  handed_over: 'warning',
  bad_message: 'warning',
  task_reassigned: 'info',
};

const LOCALIZATION_WORDS: Record<RobotState['localization'], string> = {
  ok: 'Knows where it is',
  uncertain: 'Unsure where it is',
  lost: 'Lost: does not know where it is',
  unknown: 'Not known yet',
};

const TASK_STATUS_WORDS: Record<TaskRecord['status'], string> = {
  queued: 'Waiting for a robot',
  assigned: 'Given to a robot',
  accepted: 'Accepted by the robot',
  started: 'Under way',
  done: 'Done',
  failed: 'Failed',
  handed_over: 'Handed over with directions',
  cancelled: 'Cancelled',
};

export const KIND_WORDS: Record<TaskRecord['task']['kind'], string> = {
  goto: 'Go to',
  escort: 'Escort',
};

/** Reason codes in the robot's words (GET /api/fleet/reasons), filled in once signed in. */
export const reasonWords: Record<string, string> = {};

export function reasonText(reason: string): string {
  if (reason === '') return '';
  return reasonWords[reason] ?? `an unknown reason (${reason})`;
}

export function taskStatusText(status: TaskRecord['status']): string {
  return TASK_STATUS_WORDS[status] ?? status;
}

/** A destination's name at a site ('its dock' for the dock), else its id. */
export function placeName(snapshot: FleetSnapshot, site: string, id: string): string {
  if (id === 'dock') return 'its dock';
  const found = snapshot.sites.find((s) => s.id === site)?.destinations.find((d) => d.id === id);
  return found?.name ?? id;
}

export function siteName(snapshot: FleetSnapshot, site: string): string {
  return snapshot.sites.find((s) => s.id === site)?.name ?? site;
}

/** Online, gone quiet (vanished) or never seen: the word and its badge class. */
export function connectionWords(view: FleetRobotView): { text: string; badge: string } {
  if (view.status === 'online') return { text: 'Online', badge: 'open' };
  if (view.status === 'vanished') return { text: 'Vanished: no word from it', badge: 'closed' };
  return { text: 'Never seen', badge: 'paused' };
}

export function missionText(snapshot: FleetSnapshot, state: RobotState): string {
  const m = state.mission;
  let line = MISSION_WORDS[m.state] ?? m.state;
  if (m.destination !== '') line += ` to ${placeName(snapshot, state.site, m.destination)}`;
  line += '.';
  if (m.reason !== '') line += ` Why: ${reasonText(m.reason)}.`;
  return line;
}

export function batteryText(b: RobotState['battery']): string {
  const charge = b.charge === null ? 'No reading' : `${Math.round(b.charge * 100)} %`;
  const parts = [charge, b.charging ? 'charging' : 'not charging'];
  if (!b.reliable) parts.push('reading not trustworthy');
  return parts.join(' · ');
}

export function localizationText(l: RobotState['localization']): string {
  return LOCALIZATION_WORDS[l] ?? l;
}

/** A time of day, hh:mm, in the browser's zone. */
export function timeOfDay(ms: number): string {
  return new Date(ms).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });
}
