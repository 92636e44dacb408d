/**
 * The page's picture of the fleet: the snapshot the socket sends first, with each change applied
 * (a robot's or a task's newest view replaces the old one; alerts are kept newest last, bounded).
 */
import type { FleetChange, FleetSnapshot } from '../../fleet-control.js';
import type { TaskStatus } from '../../protocol.js';

/** The most alerts the page keeps (the service's snapshot is bounded too). */
export const KEPT_ALERTS = 100;

export const OPEN_STATUSES: ReadonlySet<TaskStatus> = new Set(['queued', 'assigned', 'accepted', 'started']);

export function applyChange(snapshot: FleetSnapshot, change: FleetChange): void {
  switch (change.kind) {
    case 'robot': {
      const i = snapshot.robots.findIndex((r) => r.robot === change.robot.robot);
      if (i < 0) snapshot.robots.push(change.robot);
      else snapshot.robots[i] = change.robot;
      break;
    }
    case 'task': {
      const i = snapshot.tasks.findIndex((t) => t.task.id === change.task.task.id);
      if (i < 0) snapshot.tasks.push(change.task);
      else snapshot.tasks[i] = change.task;
      break;
    }
    case 'alert':
      if (!snapshot.alerts.some((a) => a.id === change.alert.id)) snapshot.alerts.push(change.alert);
      snapshot.alerts.splice(0, Math.max(0, snapshot.alerts.length - KEPT_ALERTS));
      break;
    case 'broker':
      snapshot.broker = change.broker;
      break;
  }
}
