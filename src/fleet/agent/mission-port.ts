/**
 * How a fleet task becomes the robot's own work, through the mission's public interfaces only
 * (the same a console or a ROS program uses): a `goto` is an operator's dispatch; an `escort`
 * first drives to where the customer waits (a dispatch), then takes the request as the kiosk
 * would, with the task's id as the request's id. The outcome is the mission's own, read off
 * /guide/status. The agent needs nothing else of the robot, so a stand-in can take its place in a
 * benchmark (named as one there).
 */
import { callService } from '../../console/bridge/service-call.js';
import type { GuideStatus } from '../../interfaces/index.js';
import { outcomeOfStatus } from '../../robot/index.js';
import type { RosNode } from '../../ros/index.js';
import type { Task } from '../protocol.js';

export interface TaskOutcome {
  /** The mission's outcome code ('arrived', 'handed_over', 'lost', …). */
  outcome: string;
  reason: string;
}

export interface TaskRun {
  /** Called once the customer is with the robot (an escort under way) or the robot left (goto). */
  started: Promise<void>;
  finished: Promise<TaskOutcome>;
  cancel(): Promise<void>;
}

export type StartResult = { ok: true; run: TaskRun } | { ok: false; reason: string };

export interface MissionPort {
  start(task: Task): Promise<StartResult>;
}

/** Request ids the fleet gives the mission: the task's id, recognisable in the logs. */
export const fleetRequestId = (taskId: string) => `fleet-${taskId}`;

/** The mission's answer to a dispatch names its request: "dispatched to kela (dispatch-3)". */
const DISPATCH_ID = /\((dispatch-\d+)\)\s*$/;

type DispatchSent = { ok: true; finished: Promise<TaskOutcome> } | { ok: false; reason: string };

export function graphMission(node: RosNode): MissionPort {
  const clients = {
    dispatch: node.createClient('medhjalparen_msgs/srv/Dispatch', '/guide/dispatch'),
    cancel: node.createClient('std_srvs/srv/Trigger', '/guide/cancel'),
  };
  const requests = node.createPublisher('medhjalparen_msgs/msg/GuideRequest', '/guide/request');
  const watchers = new Set<(s: GuideStatus) => void>();
  node.createSubscription('medhjalparen_msgs/msg/GuideStatus', '/guide/status', (s: GuideStatus) => {
    for (const w of [...watchers]) w(s);
  });
  /** The first decided outcome of the request `match` picks, looking first at statuses already seen. */
  const outcomeOf = (
    match: (s: GuideStatus) => boolean,
    seen: readonly GuideStatus[] = [],
  ): Promise<TaskOutcome> =>
    new Promise((resolve) => {
      const watch = (s: GuideStatus) => {
        if (!match(s)) return false;
        const outcome = outcomeOfStatus(s.state, s.reason);
        if (!outcome) return false;
        watchers.delete(watch);
        resolve({ outcome, reason: s.reason });
        return true;
      };
      if (!seen.some(watch)) watchers.add(watch);
    });
  /**
   * Sends the robot to a desk as an operator's dispatch does; its outcome is that dispatch's own
   * (the id the mission answers with: the status of an earlier dispatch, republished every second,
   * must not be taken for this one's).
   */
  const dispatch = async (destination: string): Promise<DispatchSent> => {
    const seen: GuideStatus[] = [];
    const keep = (s: GuideStatus) => void seen.push(s);
    watchers.add(keep);
    try {
      const r = await callService(node, clients.dispatch, { destination_id: destination });
      if (!r.success) return { ok: false, reason: 'busy' };
      const id = DISPATCH_ID.exec(r.message)?.[1];
      if (!id) return { ok: false, reason: 'mission_unavailable' };
      return { ok: true, finished: outcomeOf((s) => s.request_id === id, seen) };
    } catch {
      return { ok: false, reason: 'mission_unavailable' };
    } finally {
      watchers.delete(keep);
    }
  };
  const cancel = async () => {
    await callService(node, clients.cancel, {}).catch(() => undefined);
  };
  return {
    async start(task) {
      if (task.kind === 'goto') {
        const sent = await dispatch(task.destination);
        if (!sent.ok) return sent;
        return { ok: true, run: { started: Promise.resolve(), finished: sent.finished, cancel } };
      }
      const id = fleetRequestId(task.id);
      const escort = async (): Promise<TaskOutcome> => {
        if (task.meet && task.meet !== 'dock') {
          const sent = await dispatch(task.meet);
          if (!sent.ok) return { outcome: 'declined', reason: sent.reason };
          const met = await sent.finished;
          if (met.outcome !== 'arrived') return met;
        }
        const finished = outcomeOf((s) => s.request_id === id);
        requests.publish({
          request_id: id,
          text: task.destination,
          language: task.language,
          plain: task.plain,
          mode: 'escort',
        });
        return finished;
      };
      const finished = escort();
      const started = new Promise<void>((resolve) => {
        const watch = (s: GuideStatus) => {
          if (s.request_id !== id || s.state !== 'escorting') return;
          watchers.delete(watch);
          resolve();
        };
        watchers.add(watch);
        void finished.then(() => {
          watchers.delete(watch);
          resolve();
        });
      });
      return { ok: true, run: { started, finished, cancel } };
    },
  };
}
