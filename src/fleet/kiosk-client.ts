/**
 * A kiosk of the fleet (a standalone screen at an entrance, or a kiosk vendor's system): it puts
 * a customer's escort on the site's task queue and is told the broker kept it. It reads nothing
 * back (a kiosk's credentials allow only this); the fleet service gives the task to the best
 * placed robot, which comes to the meeting point and takes the customer from there. The task
 * names the destination and meeting point by id, never the customer's words.
 */
import { randomBytes } from 'node:crypto';
import type { NatsConnection } from 'nats';
import { encodeFleet, FLEET_SCHEMA_VERSION, type Task } from './protocol.js';
import { fleetId, SUBJECTS } from './subjects.js';

export interface KioskEscort {
  site: string;
  destination: string;
  /** Where the customer waits: the kiosk's own place, a destination id of the site. */
  meet: string;
  language: Task['language'];
  plain: boolean;
}

/** Puts the escort on the queue; resolves with the task once the broker has stored it. */
export async function requestEscort(nc: NatsConnection, escort: KioskEscort, nowMs: number): Promise<Task> {
  const task: Task = {
    v: FLEET_SCHEMA_VERSION,
    id: randomBytes(12).toString('base64url'),
    site: fleetId(escort.site, 'site'),
    kind: 'escort',
    destination: fleetId(escort.destination, 'destination'),
    meet: fleetId(escort.meet, 'meeting point'),
    language: escort.language,
    plain: escort.plain,
    origin: 'kiosk',
    createdMs: nowMs,
  };
  // The task id is the message id: a kiosk sending again after a lost answer is stored once.
  await nc.jetstream().publish(SUBJECTS.taskNew(task.site), encodeFleet('task', task), { msgID: task.id });
  return task;
}
