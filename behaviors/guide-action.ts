/**
 * The guide mission as a ROS 2 action: medhjalparen_msgs/action/Guide on /guide, for a ROS
 * program that wants what the kiosk does (a voice front end, a fleet manager, a test rig). It is
 * an adapter on the mission's own topics, so the mission has one way in:
 *
 * | dir | name | type |
 * | --- | --- | --- |
 * | in | /guide | medhjalparen_msgs/action/Guide (server) |
 * | out | /guide/request | medhjalparen_msgs/msg/GuideRequest |
 * | in | /guide/status | medhjalparen_msgs/msg/GuideStatus |
 * | out | /guide/cancel | std_srvs/srv/Trigger (client) |
 *
 * A goal becomes a request with its own id; the mission's statuses for that id are the feedback,
 * and the first one that decides the request (outcomeOfStatus) ends the goal: arrived, told the
 * way or sent elsewhere succeed, anything else aborts, with the mission's outcome and reason. A
 * goal is refused while the mission is not idle (it would answer "busy" and never take it), and
 * one the mission has not taken within `takeTimeout` is aborted rather than left open.
 */
import type { GuideResult, GuideStatus } from '../src/interfaces/index.js';
import type { RosNode, ServerGoalHandle } from '../src/ros/index.js';
import { outcomeOfStatus, type Outcome } from './mission-reasons.js';

/** Outcomes in which the robot did what was asked (the customer got where, or knows where, to go). */
const SUCCEEDED: ReadonlySet<Outcome> = new Set(['arrived', 'directions', 'elsewhere']);
/** How long the mission has to take a goal's request, ns of node time. */
const TAKE_TIMEOUT_NS = 5_000_000_000n;

type GuideHandle = ServerGoalHandle<'medhjalparen_msgs/action/Guide'>;

interface OpenGoal {
  handle: GuideHandle;
  sentNs: bigint;
  taken: boolean;
  destination: string;
  finish(result: GuideResult, ok: boolean): void;
}

export function createGuideActionServer(node: RosNode): { stop(): void } {
  const requests = node.createPublisher('medhjalparen_msgs/msg/GuideRequest', '/guide/request');
  const cancel = node.createClient('std_srvs/srv/Trigger', '/guide/cancel');
  const open = new Map<string, OpenGoal>();
  let missionState = 'idle';
  let activeRequest = '';

  node.createSubscription('medhjalparen_msgs/msg/GuideStatus', '/guide/status', (status) => {
    missionState = status.state;
    activeRequest = status.request_id;
    const goal = open.get(status.request_id);
    if (goal) onStatus(status.request_id, goal, status);
  });

  const onStatus = (requestId: string, goal: OpenGoal, status: GuideStatus) => {
    goal.taken = true;
    if (status.destination_id) goal.destination = status.destination_id;
    const outcome = outcomeOfStatus(status.state, status.reason);
    if (outcome === undefined) {
      goal.handle.publishFeedback({ state: status.state, destination_id: status.destination_id });
      return;
    }
    open.delete(requestId);
    const result = { outcome, reason: status.reason, destination_id: goal.destination };
    goal.finish(result, SUCCEEDED.has(outcome));
  };

  // A request the mission never took (it was busy after all) ends rather than hanging.
  const watchdog = node.createTimer(500_000_000n, () => {
    const now = node.now().nanoseconds;
    for (const [requestId, goal] of open) {
      if (goal.taken || now - goal.sentNs < TAKE_TIMEOUT_NS) continue;
      open.delete(requestId);
      goal.finish({ outcome: 'refused', reason: missionState, destination_id: '' }, false);
    }
  });

  const server = node.createActionServer('medhjalparen_msgs/action/Guide', '/guide', {
    goal: (goal) =>
      goal.request.trim() !== '' && missionState === 'idle' && open.size === 0 ? 'accept' : 'reject',
    execute: (handle) =>
      new Promise<GuideResult>((resolve) => {
        const requestId = `guide-action-${handle.goalId}`;
        const finish = (result: GuideResult, ok: boolean) => {
          if (handle.isCancelRequested) handle.canceled();
          else if (ok) handle.succeed();
          else handle.abort();
          resolve(result);
        };
        open.set(requestId, {
          handle,
          sentNs: node.now().nanoseconds,
          taken: false,
          destination: '',
          finish,
        });
        const { request, language, plain, mode } = handle.request;
        requests.publish({ request_id: requestId, text: request, language, plain, mode });
      }),
    // Only this goal's own request is cancelled: never a customer's from the kiosk.
    cancel: (handle) => {
      if (activeRequest !== `guide-action-${handle.goalId}`) return 'reject';
      cancel.sendRequest({}, () => {});
      return 'accept';
    },
  });

  return {
    stop() {
      watchdog.cancel();
      server.destroy();
    },
  };
}
