/**
 * Actions on rclnodejs (`new ActionServer(node, …)`, `new ActionClient(node, …)`) behind the node
 * API's createActionServer/createActionClient. Where rcl_action is stricter than the node API the
 * adapter keeps the node API's promise: feedback and terminal calls after a goal has ended are
 * dropped, a server ending a goal as cancelled that nobody asked to cancel aborts it (rcl_action
 * knows CANCELED only after CANCELING; Nav2 ends a preempted goal the same way), and a client
 * sending to a server that is not there is refused at once instead of waiting for ever.
 */
import type { RclClientGoalHandle, RclNode, RclServerGoalHandle, Rclnodejs } from './api.js';
import { goalStatusOf, isTerminal, responseCode, uuidString } from './goal-status.js';
import {
  GoalStatus,
  RosGraphError,
  type ActionClient,
  type ActionServerCallbacks,
  type ActionTypeName,
  type ActionTypes,
  type ClientGoalHandle,
  type Logger,
  type ServerGoalHandle,
} from './ros.js';

/** A message object of rclnodejs as plain data (typed arrays kept), as the node API hands them out. */
function plain<T>(message: unknown): T {
  const m = message as { toPlainObject?: (typedArray: boolean) => unknown };
  return (typeof m.toPlainObject === 'function' ? m.toPlainObject(true) : message) as T;
}

export function createRclActionServer<A extends ActionTypeName>(
  rcl: Rclnodejs,
  node: RclNode,
  type: A,
  name: string,
  callbacks: ActionServerCallbacks<A>,
  log: Logger,
): { destroy(): void } {
  const handles = new WeakMap<RclServerGoalHandle, ServerGoalHandle<A>>();
  const wrap = (h: RclServerGoalHandle): ServerGoalHandle<A> => {
    let gh = handles.get(h);
    if (!gh) handles.set(h, (gh = serverGoalHandle<A>(h, log)));
    return gh;
  };
  // A failing execute is rclnodejs's to end: it logs it and aborts the goal with an empty result.
  const server = new rcl.ActionServer(
    node,
    type,
    name,
    (h) => callbacks.execute(wrap(h)),
    (goal) => responseCode(callbacks.goal?.(plain(goal)) ?? 'accept', rcl.GoalResponse),
    undefined,
    (h) => responseCode(callbacks.cancel?.(wrap(h)) ?? 'accept', rcl.CancelResponse),
  );
  return { destroy: () => server.destroy() };
}

function serverGoalHandle<A extends ActionTypeName>(
  h: RclServerGoalHandle,
  log: Logger,
): ServerGoalHandle<A> {
  const goalId = uuidString(h.goalId.uuid);
  const request = plain<ActionTypes[A]['goal']>(h.request);
  return {
    goalId,
    request,
    get isCancelRequested() {
      return h.isCancelRequested;
    },
    get isActive() {
      return h.isActive;
    },
    publishFeedback: (feedback) => h.isActive && h.publishFeedback(feedback),
    succeed: () => h.isActive && h.succeed(),
    abort: () => h.isActive && h.abort(),
    canceled() {
      if (!h.isActive) return;
      if (h.isCancelRequested) return h.canceled();
      log.debug('goal ended as cancelled without a cancel request: aborted', { goal_id: goalId });
      h.abort();
    },
  };
}

export function createRclActionClient<A extends ActionTypeName>(
  rcl: Rclnodejs,
  node: RclNode,
  type: A,
  name: string,
): ActionClient<A> {
  const client = new rcl.ActionClient(node, type, name);
  const resolved = node.resolveTopicName(name);
  return {
    isActionServerAvailable: () => client.isActionServerAvailable(),
    async sendGoal(goal, feedbackCallback) {
      if (!client.isActionServerAvailable()) throw new RosGraphError(`action '${resolved}' is not available`);
      const onFeedback = feedbackCallback && ((f: unknown) => feedbackCallback(plain(f)));
      return clientGoalHandle<A>(await client.sendGoal(goal, onFeedback));
    },
  };
}

function clientGoalHandle<A extends ActionTypeName>(h: RclClientGoalHandle): ClientGoalHandle<A> {
  const goalId = uuidString(h.goalId.uuid);
  const status = () => goalStatusOf(h.status, goalId);
  return {
    goalId,
    accepted: h.accepted,
    get status() {
      return status();
    },
    async getResult() {
      // rcl_action answers UNKNOWN for a goal it never accepted; the node API says why instead.
      if (!h.accepted) throw new RosGraphError(`goal ${goalId} was rejected; it has no result`);
      const result = plain<ActionTypes[A]['result']>(await h.getResult());
      return { status: status(), result };
    },
    async cancelGoal() {
      if (!h.accepted || isTerminal(status())) return;
      const answer = await h.cancelGoal();
      // The status topic says so too, later; the answer is the server's word now (a raise only:
      // rclnodejs's handle never moves a status back).
      if ((answer?.goals_canceling?.length ?? 0) > 0) h.status = GoalStatus.STATUS_CANCELING;
    },
  };
}
