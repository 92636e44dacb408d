/**
 * Actions' small vocabularies between the node API and rclnodejs: action_msgs/msg/GoalStatus
 * codes, the server's accept/reject answers (rclnodejs's GoalResponse and CancelResponse enums)
 * and goal ids (unique_identifier_msgs/msg/UUID as the text form a log shows).
 */
import { GoalStatus, RosGraphError, type GoalStatusCode } from './ros.js';

const CODES = new Set<number>(Object.values(GoalStatus));

/** A status code from the wire, checked: an unknown number is a bug or a newer ROS, said as such. */
export function goalStatusOf(code: unknown, goalId: string): GoalStatusCode {
  if (typeof code === 'number' && CODES.has(code)) return code as GoalStatusCode;
  throw new RosGraphError(
    `goal ${goalId}: status ${String(code)} is not an action_msgs/msg/GoalStatus code (0…6)`,
  );
}

/** Whether a status ends the goal (SUCCEEDED, CANCELED, ABORTED). */
export function isTerminal(status: GoalStatusCode): boolean {
  return (
    status === GoalStatus.STATUS_SUCCEEDED ||
    status === GoalStatus.STATUS_CANCELED ||
    status === GoalStatus.STATUS_ABORTED
  );
}

/** rclnodejs's enum value for a server's decision ('accept' → ACCEPT). */
export function responseCode(
  decision: 'accept' | 'reject',
  responses: { readonly ACCEPT: number; readonly REJECT: number },
): number {
  return decision === 'accept' ? responses.ACCEPT : responses.REJECT;
}

/** A UUID's 16 bytes as 8-4-4-4-12 lowercase hex. */
export function uuidString(bytes: ArrayLike<number>): string {
  if (bytes.length !== 16) throw new RosGraphError(`a goal id has 16 bytes, this one ${bytes.length}`);
  const hex = Array.from(bytes, (b) => (b & 0xff).toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
